package io.tweetreel.devstack;

/**
 * Something the dev stack starts after its infrastructure (Kafka, registry, S3) is up, such as one of the pipeline
 * services. Components start one after another in the order they are given and stop in reverse order.
 */
public interface StackComponent {

    /** Short name shown in the start-up lines, e.g. {@code gateway}. */
    String name();

    /**
     * Starts the component and returns once it is ready to serve.
     *
     * @param endpoints where the infrastructure listens; {@link StackEndpoints#asEnvironment()} gives the same as
     *                  the environment variables a service reads
     * @return the address to show the user, e.g. {@code http://127.0.0.1:3000}
     */
    String start(StackEndpoints endpoints) throws Exception;

    /** Stops the component; called once, also when a later component failed to start. */
    void stop() throws Exception;
}
