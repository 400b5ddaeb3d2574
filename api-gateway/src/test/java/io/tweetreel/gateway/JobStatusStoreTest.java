package io.tweetreel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tweetreel.core.Json;
import io.tweetreel.schemas.JobStatus;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lookups when the owner of a job's partition crashed: they are answered from a standby replica (this instance's
 * own, else another instance's over HTTP) without waiting; an owner that answers "not yet" is waited for, not
 * bypassed.
 */
class JobStatusStoreTest {
    private static final String JOB = "123e4567-e89b-42d3-a456-426614174000";
    private static final Duration LOOKUP_WAIT = Duration.ofMillis(600);
    private static final JobStatus COMPLETED = JobLookupTest.completed(Instant.parse("2026-12-03T07:00:00Z"));

    private final HostInfo gone = closedPort();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final PeerLookups peers = new PeerLookups(new PeerHttp(Duration.ofSeconds(15)));
    private Javalin other;

    @AfterEach
    void stop() {
        if (other != null) {
            other.stop();
        }
    }

    @Test
    void aCrashedOwnersJobIsAnsweredFromThisInstancesStandbyAtOnce() {
        HostInfo self = new HostInfo("127.0.0.1", 1);
        Placement here = new Placement(self, gone, Set.of(self));
        here.standbyCopy.put(JOB, COMPLETED);
        JobStatusStore store = new JobStatusStore(here, peers, LOOKUP_WAIT, meters);

        long start = System.nanoTime();
        assertThat(store.status(JOB)).contains(COMPLETED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LOOKUP_WAIT);
        assertThat(lookups("standby")).isEqualTo(1);
    }

    @Test
    void aCrashedOwnersJobIsAnsweredByTheInstanceKeepingItsStandby() {
        HostInfo self = new HostInfo("127.0.0.1", 1);
        // the other instance, reached over HTTP, keeps the standby and answers from it
        HostInfo standby = start(placement -> {
            Placement there = new Placement(placement, gone, Set.of(placement));
            there.standbyCopy.put(JOB, COMPLETED);
            return there;
        });
        JobStatusStore store =
                new JobStatusStore(new Placement(self, gone, Set.of(standby)), peers, LOOKUP_WAIT, meters);

        assertThat(store.status(JOB)).contains(COMPLETED);
        assertThat(lookups("standby-forwarded")).isEqualTo(1);
    }

    @Test
    void anOwnerThatAnswersNotYetIsWaitedForNotBypassed() {
        HostInfo self = new HostInfo("127.0.0.1", 1);
        // the owner is alive but does not own the key yet (503): a standby copy here is not asked
        HostInfo owner = start(placement -> new Placement(placement, new HostInfo("127.0.0.1", 2), Set.of()));
        Placement here = new Placement(self, owner, Set.of(self));
        here.standbyCopy.put(JOB, COMPLETED);
        JobStatusStore store = new JobStatusStore(here, peers, LOOKUP_WAIT, meters);

        assertThatThrownBy(() -> store.status(JOB)).isInstanceOf(TemporarilyUnavailableException.class);
        assertThat(lookups("standby")).isZero();
    }

    @Test
    void aCrashedOwnerWithoutAStandbyIsUnavailable() {
        HostInfo self = new HostInfo("127.0.0.1", 1);
        JobStatusStore store = new JobStatusStore(new Placement(self, gone, Set.of()), peers, LOOKUP_WAIT, meters);

        assertThatThrownBy(() -> store.status(JOB)).isInstanceOf(TemporarilyUnavailableException.class);
    }

    private double lookups(String where) {
        return meters.counter("gateway.lookups", "store", JobStatusTopology.STATUS_STORE, "where", where)
                .count();
    }

    /** Another gateway instance on loopback answering its peer endpoint from the placement it is given. */
    private HostInfo start(java.util.function.Function<HostInfo, Placement> placementOf) {
        Map<String, Placement> holder = new HashMap<>();
        other = Javalin.create(cfg -> {
                    cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
                    cfg.routes.get(
                            PeerLookupEndpoint.PATH,
                            ctx -> new PeerLookupEndpoint(new JobStatusStore(
                                            holder.get("self"), peers, LOOKUP_WAIT, new SimpleMeterRegistry()))
                                    .handle(ctx));
                    cfg.routes.exception(
                            Problem.ProblemException.class, (e, ctx) -> GatewayApp.write(ctx, e.problem()));
                    cfg.routes.exception(
                            TemporarilyUnavailableException.class,
                            (e, ctx) -> GatewayApp.write(ctx, Problem.unavailable(e)));
                })
                .start("127.0.0.1", 0);
        HostInfo host = new HostInfo("127.0.0.1", other.port());
        holder.put("self", placementOf.apply(host));
        return host;
    }

    private static HostInfo closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return new HostInfo("127.0.0.1", socket.getLocalPort());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One partition, its owner and standbys as the group placed them, and this instance's copies of it. */
    private static final class Placement implements StoreOwners {
        final HostInfo self;
        final HostInfo owner;
        final Set<HostInfo> standbys;
        final Map<String, Object> activeCopy = new HashMap<>();
        final Map<String, Object> standbyCopy = new HashMap<>();

        Placement(HostInfo self, HostInfo owner, Set<HostInfo> standbys) {
            this.self = self;
            this.owner = owner;
            this.standbys = standbys;
        }

        @Override
        public boolean isSelf(HostInfo host) {
            return self.equals(host);
        }

        @Override
        public Owner owner(String store, String key) {
            return new Owner(owner, 0, isSelf(owner), standbys);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> Optional<V> queryHere(String store, String key, Owner owner) {
            if (!owner.isSelf()) {
                throw new TemporarilyUnavailableException("not active here", Duration.ofSeconds(1));
            }
            return Optional.ofNullable((V) activeCopy.get(key));
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> Optional<V> queryAnyReplicaHere(String store, String key, Owner owner) {
            if (owner.isSelf()) {
                return queryHere(store, key, owner);
            }
            if (!standbys.contains(self)) {
                throw new TemporarilyUnavailableException("no copy here", Duration.ofSeconds(1));
            }
            return Optional.ofNullable((V) standbyCopy.get(key));
        }

        @Override
        public int liveInstances() {
            return 1 + standbys.size();
        }
    }
}
