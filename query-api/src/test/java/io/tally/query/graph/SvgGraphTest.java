package io.tally.query.graph;

import io.tally.query.expr.Series;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.tally.query.graph.Pictures.constant;
import static io.tally.query.graph.Pictures.series;
import static io.tally.query.graph.Pictures.svg;
import static org.assertj.core.api.Assertions.assertThat;

/** SVG pictures, checked by parsing them as XML. */
class SvgGraphTest {
    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(Document d) {
        NodeList nodes = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    @Test
    void isAnSvgDocumentOfTheRequestedSize() throws Exception {
        Document d = parse(svg(List.of(series("a.b", 1, 2, 3)), "width", "400", "height", "200"));
        Element root = d.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(root.getAttribute("width")).isEqualTo("400");
        assertThat(root.getAttribute("height")).isEqualTo("200");
        assertThat(d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path").getLength()).isPositive();
    }

    @Test
    void titleAndNamesAreEscaped() throws Exception {
        String title = "<script>alert(1)</script> & \"quotes\"";
        String name = "x</text><script>evil()</script>&amp;";
        String svg = svg(List.of(series(name, 1, 2, 3)), "title", title, "vtitle", "a<b");
        assertThat(svg).doesNotContain("<script>").doesNotContain("</text><script>");
        Document d = parse(svg);
        assertThat(d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "title").item(0).getTextContent())
                .isEqualTo(title);
        assertThat(texts(d)).contains(title, name, "a<b");
        assertThat(d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "script").getLength()).isZero();
    }

    @Test
    void charactersXmlCannotCarryAreReplaced() throws Exception {
        String svg = svg(List.of(series("a\u0001b", 1, 2)), "title", "bell\u0007 \uD800 end");
        Document d = parse(svg);
        assertThat(texts(d)).contains("a\uFFFDb", "bell\uFFFD \uFFFD end");
    }

    @Test
    void seriesAreGroupedByName() throws Exception {
        Document d = parse(svg(List.of(series("a", 1, 2, 3), series("b", 3, 2, 1))));
        NodeList groups = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            if (g.getAttribute("class").equals("line")) {
                lines.add(g.getAttribute("data-name"));
            }
        }
        assertThat(lines).containsExactly("a", "b");
    }

    @Test
    void noSeriesSaysNoData() throws Exception {
        assertThat(texts(parse(svg(List.of())))).containsExactly("No Data");
    }

    @Test
    void secondYAxisLabelsAreOnTheRight() throws Exception {
        Series b = series("b", constant(10, 5000));
        Document d = parse(svg(List.of(series("a", constant(10, 5)), b.withStyle(b.style().withSecondYAxis()))));
        assertThat(texts(d)).contains("5.0K", "5.0");
    }

    @Test
    void unitSystemsScaleTheLabels() throws Exception {
        List<Series> big = List.of(series("bytes", 0, 4096));
        assertThat(texts(parse(svg(big, "yUnitSystem", "binary")))).contains("4Ki");
        assertThat(texts(parse(svg(List.of(series("n", 0, 5000)), "yUnitSystem", "si")))).contains("5K");
        assertThat(texts(parse(svg(List.of(series("n", 0, 5000)), "yUnitSystem", "none")))).contains("5000");
    }

    @Test
    void layoutOptionsRemoveParts() throws Exception {
        List<Series> one = List.of(series("a", 1, 2, 3));
        assertThat(texts(parse(svg(one, "title", "T", "graphOnly", "true")))).isEmpty();
        assertThat(texts(parse(svg(one, "hideLegend", "true")))).doesNotContain("a");
        assertThat(texts(parse(svg(one)))).contains("a");
        List<Series> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(series("s" + i, 1, 2));
        }
        assertThat(texts(parse(svg(eleven)))).doesNotContain("s0");
        assertThat(texts(parse(svg(eleven, "hideLegend", "false")))).contains("s0", "s10");
        assertThat(texts(parse(svg(List.of(series("d", 1), series("d", 2)), "uniqueLegend", "true"))))
                .containsOnlyOnce("d");
    }
}
