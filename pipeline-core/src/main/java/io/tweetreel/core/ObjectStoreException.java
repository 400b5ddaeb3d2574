package io.tweetreel.core;

/** The object store failed or could not be reached; transient unless it is an {@link ObjectNotFoundException}. */
public class ObjectStoreException extends RuntimeException {
    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The object does not exist. */
    public static final class ObjectNotFoundException extends ObjectStoreException {
        public ObjectNotFoundException(String bucket, String key) {
            super("no object " + key + " in bucket " + bucket, null);
        }
    }
}
