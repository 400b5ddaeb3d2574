package io.tweetreel.renderer;

import io.tweetreel.schemas.ReelFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A fixed set of {@link CardRenderer}s ({@code RENDER_BROWSERS}, at most one per concurrent job), each lent to one
 * worker thread at a time: Playwright objects may be used from any thread, but by one at a time. {@link #render}
 * blocks until one is free.
 */
public final class CardRendererPool implements AutoCloseable {

    private final List<CardRenderer> all;
    private final BlockingQueue<CardRenderer> idle;

    private CardRendererPool(List<CardRenderer> renderers) {
        this.all = List.copyOf(renderers);
        this.idle = new ArrayBlockingQueue<>(renderers.size(), false, renderers);
    }

    /**
     * Starts {@code size} renderers in parallel (start-up time is that of one, not the sum).
     *
     * @throws IllegalStateException if any fails to start; the ones that did start are closed again
     */
    public static CardRendererPool start(int size, Supplier<CardRenderer> factory) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be at least 1, got " + size);
        }
        List<CompletableFuture<CardRenderer>> starting = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            starting.add(CompletableFuture.supplyAsync(factory));
        }
        List<CardRenderer> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<CardRenderer> future : starting) {
            try {
                started.add(future.join());
            } catch (CompletionException e) {
                failure = e.getCause() instanceof RuntimeException runtime
                        ? runtime
                        : new IllegalStateException(e.getCause());
            }
        }
        if (failure != null) {
            started.forEach(CardRenderer::close);
            throw failure;
        }
        return new CardRendererPool(started);
    }

    /**
     * Renders every format of the request on the next free renderer (one borrow: all formats in one browser
     * session), waiting for one if all are busy.
     */
    public CardRenderResult render(CardRequest request, Function<ReelFormat, Path> pngFor) throws InterruptedException {
        return render(request, pngFor, null);
    }

    /** Same, with each format's base card and layers for a reveal; see {@link CardRenderer#render}. */
    public CardRenderResult render(
            CardRequest request, Function<ReelFormat, Path> pngFor, Function<ReelFormat, Path> basePngFor)
            throws InterruptedException {
        CardRenderer renderer = idle.take();
        try {
            return renderer.render(request, pngFor, basePngFor);
        } finally {
            idle.add(renderer);
        }
    }

    public int size() {
        return all.size();
    }

    /** Renderers taken from the pool and not yet given back, i.e. rendering right now. */
    public int busyCount() {
        return all.size() - idle.size();
    }

    @Override
    public void close() {
        all.forEach(CardRenderer::close);
    }
}
