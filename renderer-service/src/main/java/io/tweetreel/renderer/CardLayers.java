package io.tweetreel.renderer;

import com.microsoft.playwright.Page;
import io.tweetreel.schemas.ReelFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of a rendered card that a {@code reveal} reel brings in one after another, read from the page's DOM:
 * each visual line of the post's text, then the blocks (media grid, quote card, and the footer: time line and
 * counts row together). Also hides and shows exactly those parts, so the renderer can screenshot the base card
 * (everything else) in the same layout.
 *
 * <p>Lines are found per grapheme (Range.getClientRects) and grouped by line box in the text's logical order,
 * which is top to bottom for every script, RTL and CJK included; whitespace neither starts a line nor widens one
 * (a hanging space at a wrap would). Boxes are padded a little so antialiasing, descenders and colour emoji stay
 * inside; two consecutive lines whose padded boxes would overlap share the boundary halfway, so no pixel belongs
 * to two lines.
 */
final class CardLayers {

    /** Kept around a line's glyph boxes, CSS px: antialiasing, overhanging glyphs (italics in fonts, emoji). */
    static final double LINE_PAD_CSS = 3;
    /** Kept around a block: its border's antialiased edge. */
    static final double BLOCK_PAD_CSS = 1;

    /** Every part a reveal brings in; the base card is the card with these hidden ({@code visibility: hidden}). */
    private static final String REVEALED = "['.text', '.media', '.quote', '.time', '.actions']";

    /**
     * Returns {lines: [{text, left, top, right, bottom}], blocks: [...same without text]} in CSS px. Text of the
     * "Show more" link the fit script adds to a cut post widens its line but is not part of the line's text.
     */
    private static final String COLLECT = """
            () => {
              const result = { lines: [], blocks: [] };
              const body = document.querySelector('.text');
              if (body) {
                const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
                const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
                const range = document.createRange();
                let line = null;
                let node;
                while ((node = walker.nextNode())) {
                  const own = !(node.parentElement && node.parentElement.closest('.show-more'));
                  for (const piece of segmenter.segment(node.data)) {
                    if (/^\\s+$/.test(piece.segment)) {
                      if (line && own) { line.text += piece.segment; }
                      continue;
                    }
                    range.setStart(node, piece.index);
                    range.setEnd(node, piece.index + piece.segment.length);
                    for (const box of range.getClientRects()) {
                      if (box.width <= 0 || box.height <= 0) { continue; }
                      const middle = (box.top + box.bottom) / 2;
                      if (!line || middle > line.bottom) {
                        line = { text: '', left: box.left, top: box.top, right: box.right, bottom: box.bottom };
                        result.lines.push(line);
                      } else {
                        line.left = Math.min(line.left, box.left);
                        line.top = Math.min(line.top, box.top);
                        line.right = Math.max(line.right, box.right);
                        line.bottom = Math.max(line.bottom, box.bottom);
                      }
                    }
                    if (line && own) { line.text += piece.segment; }
                  }
                }
              }
              const box = (selectors) => {
                const boxes = selectors.map((s) => document.querySelector(s)).filter((e) => e)
                    .map((e) => e.getBoundingClientRect()).filter((b) => b.width > 0 && b.height > 0);
                if (boxes.length === 0) { return null; }
                return {
                  left: Math.min(...boxes.map((b) => b.left)), top: Math.min(...boxes.map((b) => b.top)),
                  right: Math.max(...boxes.map((b) => b.right)), bottom: Math.max(...boxes.map((b) => b.bottom))
                };
              };
              for (const block of [['.media'], ['.quote'], ['.time', '.actions']]) {
                const found = box(block);
                if (found) { result.blocks.push(found); }
              }
              return result;
            }
            """;

    private static final String HIDE =
            "() => " + REVEALED + ".forEach((s) => document.querySelectorAll(s).forEach((e) => "
                    + "e.style.setProperty('visibility', 'hidden', 'important')))";
    private static final String SHOW = "() => " + REVEALED
            + ".forEach((s) => document.querySelectorAll(s).forEach((e) => e.style.removeProperty('visibility')))";

    private CardLayers() {}

    /** The layers of the card on {@code page}, in reading order, in the format's pixels (inside the frame). */
    static List<CardLayer> collect(Page page, ReelFormat format, double deviceScale) {
        @SuppressWarnings("unchecked")
        Map<String, List<Map<String, Object>>> found = (Map<String, List<Map<String, Object>>>) page.evaluate(COLLECT);
        List<CardLayer> lines = new ArrayList<>();
        for (Map<String, Object> line : found.get("lines")) {
            toPixels(line, CardLayer.Kind.LINE, String.valueOf(line.get("text")).strip(), format, deviceScale)
                    .ifPresent(lines::add);
        }
        List<CardLayer> layers = new ArrayList<>(separated(lines));
        for (Map<String, Object> block : found.get("blocks")) {
            toPixels(block, CardLayer.Kind.BLOCK, "", format, deviceScale).ifPresent(layers::add);
        }
        return layers;
    }

    /** Hides every part {@link #collect} reports; the layout does not move. */
    static void hide(Page page) {
        page.evaluate(HIDE);
    }

    /** Undoes {@link #hide}. */
    static void show(Page page) {
        page.evaluate(SHOW);
    }

    /** Padded, scaled out to whole pixels and clamped to the frame; empty when nothing of it is inside. */
    private static Optional<CardLayer> toPixels(
            Map<String, Object> box, CardLayer.Kind kind, String text, ReelFormat format, double deviceScale) {
        double pad = kind == CardLayer.Kind.LINE ? LINE_PAD_CSS : BLOCK_PAD_CSS;
        int left = clamp((int) Math.floor((number(box, "left") - pad) * deviceScale), format.width());
        int top = clamp((int) Math.floor((number(box, "top") - pad) * deviceScale), format.height());
        int right = clamp((int) Math.ceil((number(box, "right") + pad) * deviceScale), format.width());
        int bottom = clamp((int) Math.ceil((number(box, "bottom") + pad) * deviceScale), format.height());
        if (right <= left || bottom <= top) {
            return Optional.empty();
        }
        return Optional.of(new CardLayer(kind, left, top, right - left, bottom - top, text));
    }

    /** Consecutive lines that overlap after padding meet halfway instead. */
    private static List<CardLayer> separated(List<CardLayer> lines) {
        List<CardLayer> result = new ArrayList<>(lines);
        for (int i = 0; i + 1 < result.size(); i++) {
            CardLayer upper = result.get(i);
            CardLayer lower = result.get(i + 1);
            int upperBottom = upper.y() + upper.height();
            if (upperBottom > lower.y() && lower.y() > upper.y()) {
                int boundary = (upperBottom + lower.y()) / 2;
                result.set(i, upper.withRows(upper.y(), boundary));
                result.set(i + 1, lower.withRows(boundary, lower.y() + lower.height()));
            }
        }
        return result;
    }

    private static double number(Map<String, Object> box, String key) {
        return ((Number) box.get(key)).doubleValue();
    }

    private static int clamp(int value, int max) {
        return Math.max(0, Math.min(max, value));
    }
}
