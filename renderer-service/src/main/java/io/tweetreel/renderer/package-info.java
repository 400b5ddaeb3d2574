/**
 * The renderer stage: {@code videos.requested} → the tweet card as a 1080x1920 PNG in the work bucket →
 * {@code videos.screenshot}.
 *
 * <p>{@link io.tweetreel.renderer.RendererService} wires the stage and refuses to start on a broken template or a
 * missing Chromium; {@link io.tweetreel.renderer.RendererTopology} names its topics, step and failure code (the
 * stream shape itself is {@link io.tweetreel.core.StageTopology}); {@link io.tweetreel.renderer.CardRendering} is
 * the work per job: check the request, settle the reel's length, render the card, put the PNG (and, for a
 * {@code reveal}, the base card) and the caption files in the work bucket.
 *
 * <p>The drawing knows nothing of Kafka: {@link io.tweetreel.renderer.CardRenderer} with its template and
 * image fetcher, and {@link io.tweetreel.renderer.CardRendererPool}, the renderers (browsers) the workers share; a
 * {@link io.tweetreel.renderer.CardRequest} in, a PNG file per format out (for a reveal also the base card and
 * the layers {@link io.tweetreel.renderer.CardLayers} reads from the page). A
 * {@link io.tweetreel.renderer.RenderException} means the render failed even after a browser relaunch and a
 * retry.
 */
package io.tweetreel.renderer;
