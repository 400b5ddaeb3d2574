package io.tweetreel.gateway;

import io.tweetreel.core.ApiKeyDirectory;
import io.tweetreel.schemas.ApiKey;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ApiKeyStore} in memory: what is written is read back at once, as the Kafka one does on its instance. */
final class InMemoryApiKeys implements ApiKeyStore {
    final Map<String, ApiKey> byId = new ConcurrentHashMap<>();
    volatile TemporarilyUnavailableException unavailable;

    @Override
    public Optional<ApiKey> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public Optional<ApiKey> byKey(String presentedKey) {
        String hash = ApiKeyDirectory.hash(presentedKey);
        return byId.values().stream().filter(k -> k.getKeyHash().equals(hash)).findFirst();
    }

    @Override
    public List<ApiKey> all() {
        return byId.values().stream()
                .sorted(Comparator.comparing(ApiKey::getCreatedAt).thenComparing(ApiKey::getId))
                .toList();
    }

    @Override
    public void write(ApiKey key) {
        if (unavailable != null) {
            throw unavailable;
        }
        byId.put(key.getId(), key);
    }

    void clear() {
        byId.clear();
        unavailable = null;
    }
}
