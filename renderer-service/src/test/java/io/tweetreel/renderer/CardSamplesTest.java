package io.tweetreel.renderer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tweetreel.schemas.Theme;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Writes sample cards for a human to look at: {@code mvn test -Dtest=CardSamplesTest -Dcard.samples.dir=/tmp/cards}. */
class CardSamplesTest {

    @Test
    void writeSamples() throws Exception {
        String dir = System.getProperty("card.samples.dir");
        assumeTrue(dir != null, "set -Dcard.samples.dir to write samples");
        Path out = Files.createDirectories(Path.of(dir));
        try (CardRenderer renderer =
                new CardRenderer(CardRenderer.DEFAULT_CHROMIUM_PATH, CardTemplate.bundled(), null)) {
            for (Theme theme : Theme.values()) {
                String t = theme.name();
                renderer.render(
                        new CardRequest("Just shipped it. Feels good! 🚀", "Ada Lovelace", "ada", theme, null),
                        null,
                        out.resolve(t + "-20.png"));
                renderer.render(
                        new CardRequest(TestTexts.chars280(), "Grace Hopper", "@grace_h", theme, null),
                        null,
                        out.resolve(t + "-280.png"));
                renderer.render(
                        new CardRequest(TestTexts.chars2000(), "Linus", "linus", theme, null),
                        null,
                        out.resolve(t + "-2000.png"));
                renderer.render(
                        new CardRequest(TestTexts.ARABIC, "محمد علي", "mohammed", theme, null),
                        null,
                        out.resolve(t + "-arabic.png"));
                renderer.render(
                        new CardRequest(TestTexts.JAPANESE, "山田太郎", "yamada", theme, null),
                        null,
                        out.resolve(t + "-japanese.png"));
                renderer.render(
                        new CardRequest(TestTexts.EMOJI, "Emoji Fan", "emoji", theme, null),
                        TestImages.avatarDataUri(),
                        out.resolve(t + "-emoji-photo.png"));
            }
        }
    }
}
