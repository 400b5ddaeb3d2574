package io.tweetreel.renderer;

/** Post bodies of known lengths and scripts shared by the tests. */
final class TestTexts {

    static final String ARABIC =
            "مرحبا بالعالم! هذا منشور تجريبي باللغة العربية لاختبار اتجاه النص من اليمين إلى اليسار. #تجربة";
    static final String JAPANESE = "東京の桜が満開です。今日は天気も良く、散歩日和でした。日本語の表示テスト、漢字・ひらがな・カタカナ。";
    static final String EMOJI = "🎉🔥🌈🍕🚀❤️";

    private static final String SENTENCES =
            "Kafka streams the requests, Chromium draws the card, FFmpeg makes the reel. "
                    + "Follow @tweetreel for updates and read more at https://example.com/blog/posts/rendering-cards-with-playwright-and-kafka "
                    + "#buildinpublic #java\nA new line starts here, and the text keeps flowing with more words to fill the space. ";

    private TestTexts() {}

    static String ofLength(int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            text.append(SENTENCES);
        }
        return text.substring(0, length).strip();
    }

    static String chars20() {
        return "Hello world, reel 20";
    }

    static String chars280() {
        return ofLength(280);
    }

    static String chars2000() {
        return ofLength(2000);
    }
}
