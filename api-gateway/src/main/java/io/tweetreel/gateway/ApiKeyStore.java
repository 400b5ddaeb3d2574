package io.tweetreel.gateway;

import io.tweetreel.schemas.ApiKey;
import java.util.List;
import java.util.Optional;

/** The API keys as this gateway instance knows them, and the one way to change them ({@link KafkaApiKeyStore}). */
public interface ApiKeyStore {
    /** The key with this id, revoked or not. */
    Optional<ApiKey> byId(String id);

    /** The key a client presented (matched by its hash), revoked or not. */
    Optional<ApiKey> byKey(String presentedKey);

    /** Every key, revoked ones included, oldest first. */
    List<ApiKey> all();

    /**
     * Writes a new version of a key and returns once this instance reads it, so the next request here sees it.
     *
     * @throws TemporarilyUnavailableException when Kafka does not take it, or this instance does not read it back,
     *                                         in time
     */
    void write(ApiKey key);
}
