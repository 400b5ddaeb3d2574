package io.tweetreel.systemtests;

import io.tweetreel.devstack.DevStackConfig;
import java.nio.file.Path;

/**
 * The fault stack's services on a three-broker cluster (replication factor 3, {@code min.insync.replicas} 2), each
 * Kafka node its own process, so a test can kill a broker the way a machine is lost. A stack of its own: the
 * single-broker fault tests stop and restart their broker in-process, which this cluster does not offer.
 */
public class ClusterFaultStackExtension extends FaultStackExtension {
    @Override
    protected DevStackConfig config(Path stateDir) {
        return DevStackConfig.forTests(stateDir).withBrokers(3);
    }
}
