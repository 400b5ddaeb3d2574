package io.tweetreel.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first key of {@code tweetreel up --auth}, made through a stand-in gateway's admin endpoint. */
class FirstApiKeyTest {
    static final String ADMIN_TOKEN = "0123456789".repeat(4);
    static final String KEY = "trk_" + "AbCdEfGhIj".repeat(4);

    private final HttpServer gateway;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> announced = new CopyOnWriteArrayList<>();
    private volatile int status = 201;

    @TempDir
    Path state;

    FirstApiKeyTest() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.createContext("/admin/keys", exchange -> {
            requests.add(exchange.getRequestMethod() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = (status == 201
                            ? "{\"id\":\"key_0000111122223333\",\"name\":\"dev\",\"key\":\"" + KEY + "\","
                                    + "\"prefix\":\"trk_AbCd\",\"revokedAt\":null,\"ratePerMinute\":60}"
                            : "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"admin is disabled\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        gateway.start();
    }

    @AfterEach
    void stop() {
        gateway.stop(0);
    }

    private FirstApiKey firstKey() {
        return new FirstApiKey(
                "http://127.0.0.1:" + gateway.getAddress().getPort(),
                ADMIN_TOKEN,
                state.resolve("api-key"),
                announced::add);
    }

    @Test
    void theFirstStartMakesAKeyNamedDevKeepsItForItsOwnerAndShowsItOnce() throws Exception {
        Path file = state.resolve("api-key");

        firstKey().start(null);
        String second = firstKey().start(null);

        assertThat(requests).containsExactly("POST Bearer " + ADMIN_TOKEN + " {\"name\":\"dev\"}");
        assertThat(Files.readString(file)).isEqualTo(KEY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(announced).containsExactly("API key (shown once, also in " + file + "): " + KEY);
        assertThat(second).isEqualTo("kept in " + file);
    }

    @Test
    void aGatewayThatRefusesLeavesNoKeyFileAndSaysWhy() {
        status = 401;

        assertThatThrownBy(() -> firstKey().start(null))
                .hasMessageContaining("answered 401")
                .hasMessageContaining("admin is disabled")
                .hasMessageNotContaining(ADMIN_TOKEN);
        assertThat(state.resolve("api-key")).doesNotExist();
        assertThat(announced).isEmpty();
    }
}
