/**
 * The renderer stage's I/O: request in, 1080x1920 PNG out. Knows nothing of Kafka or Avro.
 *
 * <p>Wiring, at start-up (each step throws {@link java.lang.IllegalStateException} on misconfiguration, which the
 * service should turn into a refusal to start):
 * <pre>{@code
 * CardTemplate template = CardTemplate.load(templatePathOrNull);                 // TEMPLATE_PATH
 * ProfilePhotoFetcher photos = new ProfilePhotoFetcher(allowPrivatePhotoHosts);  // RENDERER_ALLOW_PRIVATE_PHOTO_HOSTS
 * CardRendererPool renderers = CardRendererPool.start(maxConcurrentJobs,         // MAX_CONCURRENT_JOBS
 *         () -> new CardRenderer(chromiumPath, template, photos, renderTimeout)); // CHROMIUM_PATH
 * }</pre>
 * Per job: {@code renderers.render(new CardRequest(body, name, username, Theme.fromString(theme), photoUrl), pngPath)};
 * a {@link io.tweetreel.renderer.RenderException} means the render failed even after a browser relaunch and a retry.
 */
package io.tweetreel.renderer;
