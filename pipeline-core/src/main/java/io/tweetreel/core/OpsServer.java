package io.tweetreel.core;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;

/** A small HTTP server for the {@link OpsEndpoints} of a stage. */
public final class OpsServer implements AutoCloseable {
    private final Javalin app;

    private OpsServer(Javalin app) {
        this.app = app;
    }

    public static OpsServer start(String host, int port, OpsEndpoints endpoints) {
        Javalin app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            config.startup.showJavalinBanner = false;
            endpoints.addTo(config);
        });
        app.start(host, port);
        return new OpsServer(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
