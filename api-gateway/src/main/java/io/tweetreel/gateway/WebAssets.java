package io.tweetreel.gateway;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web page and the OpenAPI document: a handful of files from the classpath ({@code /public}), read once and
 * served from memory with an ETag, so browsers revalidate cheaply and always see the current version.
 */
public final class WebAssets {
    record Asset(byte[] bytes, String contentType, String etag) {}

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    public WebAssets() {
        add("index.html", "/public/index.html", "text/html; charset=utf-8");
        add("app.css", "/public/app.css", "text/css; charset=utf-8");
        add("app.js", "/public/app.js", "text/javascript; charset=utf-8");
        add("favicon.svg", "/public/favicon.svg", "image/svg+xml");
        add("openapi.json", "/openapi.json", "application/json");
    }

    private void add(String name, String resource, String contentType) {
        try (InputStream in = WebAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the gateway's jar");
            }
            byte[] bytes = in.readAllBytes();
            String hash = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
            assets.put(name, new Asset(bytes, contentType, "\"" + hash + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void page(Context ctx) {
        serve(ctx, "index.html");
    }

    public void openApi(Context ctx) {
        serve(ctx, "openapi.json");
    }

    /** {@code /assets/{name}}: only the files listed above. */
    public void asset(Context ctx) {
        String name = ctx.pathParam("name");
        if (name.equals("index.html") || name.equals("openapi.json") || !assets.containsKey(name)) {
            throw Problem.of(404, "no such resource").toException();
        }
        serve(ctx, name);
    }

    private void serve(Context ctx, String name) {
        Asset asset = assets.get(name);
        ctx.header("ETag", asset.etag());
        ctx.header("Cache-Control", "no-cache");
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && ifNoneMatch.contains(asset.etag())) {
            ctx.status(304);
            return;
        }
        ctx.contentType(asset.contentType()).result(asset.bytes());
    }
}
