package io.tweetreel.systemtests;

import io.tweetreel.composer.ComposerConfig;
import io.tweetreel.core.ConfigVariable;
import io.tweetreel.core.EnvConfig;
import io.tweetreel.gateway.GatewayConfig;
import io.tweetreel.notifier.NotifierConfig;
import io.tweetreel.renderer.RendererConfig;
import io.tweetreel.storage.StorageConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The services built from this repository (module = compose service), what each declares and how it reads it. */
final class ServiceConfigs {
    /** Module → the variables its config record declares. */
    static final Map<String, List<ConfigVariable>> DECLARED = new LinkedHashMap<>();
    /** Module → its config reader, which validates. */
    static final Map<String, Consumer<EnvConfig>> READERS = new LinkedHashMap<>();

    static {
        DECLARED.put("renderer-service", RendererConfig.VARIABLES);
        DECLARED.put("composer-service", ComposerConfig.VARIABLES);
        DECLARED.put("storage-service", StorageConfig.VARIABLES);
        DECLARED.put("notifier-service", NotifierConfig.VARIABLES);
        DECLARED.put("api-gateway", GatewayConfig.VARIABLES);
        READERS.put("renderer-service", RendererConfig::read);
        READERS.put("composer-service", ComposerConfig::read);
        READERS.put("storage-service", StorageConfig::read);
        READERS.put("notifier-service", NotifierConfig::read);
        READERS.put("api-gateway", GatewayConfig::read);
    }

    private ServiceConfigs() {}
}
