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
}
