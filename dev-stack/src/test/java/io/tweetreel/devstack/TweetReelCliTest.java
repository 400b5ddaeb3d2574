package io.tweetreel.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TweetReelCliTest {

    @Test
    void theWebhookSecretIsGeneratedOnceAsAStandardWebhooksKeyReadableOnlyByItsOwner(@TempDir Path state)
            throws Exception {
        String first = TweetReelCli.webhookSecret(state);
        String again = TweetReelCli.webhookSecret(state);

        assertThat(again).isEqualTo(first);
        assertThat(first).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(first.substring("whsec_".length())))
                .hasSize(32);
        Path file = state.resolve("webhook-secret");
        assertThat(Files.readString(file)).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(TweetReelCli.webhookSecret(Files.createTempDirectory(state, "other")))
                .isNotEqualTo(first);
    }

    @Test
    void upStartsTheNotifierWithTheOtherServicesOnItsDefaultPort(@TempDir Path root) {
        List<StackComponent> services = TweetReelCli.services(root, 1, 1, Map.of());

        assertThat(services)
                .extracting(StackComponent::name)
                .containsExactly("renderer", "composer", "storage", "notifier", "gateway");
        assertThat(((ServiceProcess) services.get(3)).port()).isEqualTo(3104);
    }

    @Test
    void withoutAuthTheGatewayTakesNoKeysAndNoAdminTokenIsMade(@TempDir Path state) throws Exception {
        assertThat(TweetReelCli.accessEnvironment(state, false)).isEqualTo(Map.of("API_AUTH", "none"));
        assertThat(state.resolve("admin-token")).doesNotExist();
        assertThat(ServiceProcess.sharedEnvironment("s", "http://localhost:3000"))
                .containsEntry("API_AUTH", "none");
    }

    @Test
    void withAuthTheGatewayTakesKeysAndOneAdminTokenKeptAcrossRestartsForItsOwnerOnly(@TempDir Path state)
            throws Exception {
        Map<String, String> first = TweetReelCli.accessEnvironment(state, true);
        Map<String, String> again = TweetReelCli.accessEnvironment(state, true);

        assertThat(first).containsEntry("API_AUTH", "keys");
        String token = first.get("ADMIN_TOKEN");
        assertThat(token).matches("[0-9A-Za-z]{40}");
        assertThat(again).isEqualTo(first);
        Path file = state.resolve("admin-token");
        assertThat(Files.readString(file)).isEqualTo(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(TweetReelCli.adminToken(Files.createTempDirectory(state, "other")))
                .isNotEqualTo(token);
    }
}
