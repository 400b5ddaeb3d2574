package io.tweetreel.devstack;

/**
 * Something the dev stack starts after its infrastructure (Kafka, registry, S3) is up, such as one of the pipeline
 * services. Components start at the same time (each service waits for Kafka and its peers by itself), except one that
 * {@linkplain #needsEarlierComponents() needs the earlier ones}; they stop in reverse order of their start.
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

    /**
     * Whether this component starts only once every component before it in the list is ready (e.g. one that calls
     * the gateway), instead of alongside them.
     */
    default boolean needsEarlierComponents() {
        return false;
    }

    /**
     * Stops the component; called when the stack stops, also when another component failed to start, and then
     * perhaps while this one's {@link #start} still runs (which should then fail soon) and once more after it.
     */
    void stop() throws Exception;
}
