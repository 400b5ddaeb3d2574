package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Forwarded lookups over real HTTP on loopback: an instance that does not answer at all is told apart from one that
 * answers "not yet" (a lookup asks a standby only for the first), and a standby is asked for any copy it keeps.
 */
class PeerLookupsTest {
    private static final String KEY = "123e4567-e89b-42d3-a456-426614174000";
    private static final Function<String, String> AS_IS = Function.identity();

    // generous: the first request of a JVM on a loaded machine takes seconds
    private final PeerLookups peers = new PeerLookups(new PeerHttp(Duration.ofSeconds(15)));
    private Javalin peer;
    private HostInfo peerHost;

    @BeforeEach
    void start() {
        // answers a copy only when asked for any replica, as a standby that does not own the key does
        peer = Javalin.create(cfg -> cfg.routes.get(PeerLookupEndpoint.PATH, ctx -> {
                    if ("any".equals(ctx.queryParam("replica"))) {
                        ctx.contentType("application/json").result("{\"copy\":\"" + ctx.pathParam("key") + "\"}");
                    } else {
                        ctx.status(503).result("not the owner");
                    }
                }))
                .start("127.0.0.1", 0);
        peerHost = new HostInfo("127.0.0.1", peer.port());
    }

    @AfterEach
    void stop() {
        peer.stop();
    }

    @Test
    void anInstanceThatDoesNotAnswerIsUnreachableAndOneThatSaysNotYetIsNot() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HostInfo gone = new HostInfo("127.0.0.1", closedPort);
        assertThatThrownBy(() -> peers.lookup(gone, JobStatusTopology.STATUS_STORE, KEY, Duration.ofSeconds(3), AS_IS))
                .isInstanceOf(PeerUnreachableException.class);

        assertThatThrownBy(
                        () -> peers.lookup(peerHost, JobStatusTopology.STATUS_STORE, KEY, Duration.ofSeconds(3), AS_IS))
                .isInstanceOf(TemporarilyUnavailableException.class)
                .isNotInstanceOf(PeerUnreachableException.class);
    }

    @Test
    void aStandbyIsAskedForAnyCopyItKeeps() {
        assertThat(peers.lookupReplica(peerHost, JobStatusTopology.STATUS_STORE, KEY, Duration.ofSeconds(3), AS_IS))
                .contains("{\"copy\":\"" + KEY + "\"}");
    }
}
