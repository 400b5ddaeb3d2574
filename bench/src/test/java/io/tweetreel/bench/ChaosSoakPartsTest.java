package io.tweetreel.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The chaos soak's parts that need no stack: its options, its per-minute figures, its duplicate count, its chart. */
class ChaosSoakPartsTest {

    @Test
    void readsDurationsAsAPersonTypesThem() {
        assertThat(SoakDurations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(SoakDurations.parse("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(SoakDurations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(SoakDurations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(SoakDurations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(SoakDurations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(SoakDurations.format(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(SoakDurations.format(Duration.ofSeconds(45))).isEqualTo("45s");
    }

    @Test
    void refusesADurationWithoutAUnitOrOfZero() {
        assertThatThrownBy(() -> SoakDurations.parse("10")).hasMessageContaining("10m, 60s");
        assertThatThrownBy(() -> SoakDurations.parse("ten minutes")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SoakDurations.parse("0s")).hasMessageContaining("zero");
    }

    @Test
    void aggregatesEachMinutesEndedJobsAndListsAnEmptyMinuteAsZero() {
        List<SoakMinutes.Outcome> outcomes = List.of(
                new SoakMinutes.Outcome("a", 10_000, 20_000, true),
                new SoakMinutes.Outcome("b", 50_000, 40_000, true),
                new SoakMinutes.Outcome("c", 59_999, 30_000, true),
                new SoakMinutes.Outcome("d", 61_000, 90_000, false),
                new SoakMinutes.Outcome("e", 150_000, 25_000, true));

        List<SoakMinutes.Minute> minutes = SoakMinutes.of(outcomes, 4);

        assertThat(minutes)
                .extracting(SoakMinutes.Minute::minute, SoakMinutes.Minute::completed, SoakMinutes.Minute::failed)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, 3, 0),
                        org.assertj.core.groups.Tuple.tuple(1, 0, 1),
                        org.assertj.core.groups.Tuple.tuple(2, 1, 0),
                        org.assertj.core.groups.Tuple.tuple(3, 0, 0));
        assertThat(minutes.get(0).p50Ms()).isEqualTo(30_000);
        assertThat(minutes.get(0).p99Ms()).isEqualTo(40_000);
        // a failed job's time is not a latency of a reel
        assertThat(minutes.get(1).p50Ms()).isNaN();
        assertThat(minutes.get(2).p99Ms()).isEqualTo(25_000);
    }

    @Test
    void aJobsMinutesGoOnPastTheSoakWhileTheLastJobsEnd() {
        List<SoakMinutes.Minute> minutes =
                SoakMinutes.of(List.of(new SoakMinutes.Outcome("late", 4 * 60_000 + 5, 100_000, true)), 2);

        assertThat(minutes).hasSize(5);
        assertThat(minutes.get(4).completed()).isEqualTo(1);
    }

    @Test
    void countsAJobAsDuplicatedWhenItsMetadataNamesMoreThanOneReel() {
        Map<String, List<String>> filed = Map.of(
                "once",
                List.of("2026-12-03_aa.mp4", "2026-12-03_aa.jpg", "2026-12-03_aa.vtt", "2026-12-03_aa.srt"),
                "twice",
                List.of("2026-12-03_bb.mp4", "2026-12-03_bb.jpg", "2026-12-03_cc.mp4", "2026-12-03_cc.jpg"),
                "poster-only-twice",
                List.of("2026-12-03_dd.mp4", "2026-12-03_dd.jpg", "2026-12-03_ee.jpg"));

        assertThat(FiledReels.duplicated(filed, 1)).containsExactly(Map.entry("twice", 2));
        assertThat(FiledReels.moreThanOnce(Map.of("a", 1, "b", 3))).containsExactly(Map.entry("b", 3));
    }

    @Test
    void theChartIsWellFormedSvgWithBothLatencySeriesTheBarsAndTheKills() throws Exception {
        List<SoakMinutes.Minute> minutes = List.of(
                new SoakMinutes.Minute(0, 4, 0, 30_000, 45_000),
                new SoakMinutes.Minute(1, 0, 0, Double.NaN, Double.NaN),
                new SoakMinutes.Minute(2, 5, 1, 32_000, 70_000));
        List<SoakReport.Kill> kills = List.of(
                new SoakReport.Kill("composer-2", 60, 70.0, 78.0, null),
                new SoakReport.Kill("gateway", 120, 130.0, null, "not ready <after> 180 s"));

        String svg = SoakChart.svg("soak & chaos", minutes, kills, 150);

        Document doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        var xpath = XPathFactory.newInstance().newXPath();
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        // a point for each minute that completed something; the empty minute leaves no point at zero
        assertThat(((String) xpath.evaluate("//*[@class='p50']/@points", doc, XPathConstants.STRING)).split(" "))
                .hasSize(2);
        assertThat(((String) xpath.evaluate("//*[@class='p99']/@points", doc, XPathConstants.STRING)).split(" "))
                .hasSize(2);
        NodeList bars = (NodeList)
                xpath.evaluate("//*[@class='throughput']/*[local-name()='rect']", doc, XPathConstants.NODESET);
        assertThat(bars.getLength()).isEqualTo(3);
        String killLabels = (String) xpath.evaluate("string(//*[@class='kills'])", doc, XPathConstants.STRING);
        assertThat(killLabels).contains("composer-2").contains("gateway");
        assertThat(svg).contains("soak &amp; chaos");
    }

    @Test
    void axisEndsAreRoundNumbers() {
        assertThat(SoakChart.niceCeiling(43)).isEqualTo(50);
        assertThat(SoakChart.niceCeiling(7.2)).isEqualTo(10);
        assertThat(SoakChart.niceCeiling(1.5)).isEqualTo(2);
        assertThat(SoakChart.niceCeiling(100)).isEqualTo(100);
    }
}
