package dev.coroutine.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The m2e metadata shipped in the plugin jar makes Eclipse run every goal of the plugin on its
 * incremental builds: its goal list is the plugin descriptor's (generated from the mojos), so a
 * goal added later cannot be forgotten there.
 */
class LifecycleMappingMetadataTest {

  @Test
  void m2eMetadata_executesEveryGoalOfThePlugin_onIncrementalBuilds() throws Exception {
    Document m2e = parse("META-INF/m2e/lifecycle-mapping-metadata.xml");
    Document descriptor = parse("META-INF/maven/plugin.xml");

    List<String> goals = new ArrayList<>();
    NodeList mojos = descriptor.getElementsByTagName("mojo");
    for (int i = 0; i < mojos.getLength(); i++) {
      goals.add(child((Element) mojos.item(i), "goal").getTextContent().trim());
    }
    assertThat(goals).contains("instrument", "instrument-tests");

    assertThat(texts(m2e, "goal")).containsExactlyInAnyOrderElementsOf(goals);
    Element execute = (Element) m2e.getElementsByTagName("execute").item(0);
    assertThat(execute).as("action <execute>").isNotNull();
    assertThat(child(execute, "runOnIncremental").getTextContent().trim()).isEqualTo("true");
    assertThat(m2e.getElementsByTagName("ignore").getLength()).isZero();
  }

  private static Document parse(String resource) throws Exception {
    try (InputStream in =
        LifecycleMappingMetadataTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource + " on the class path").isNotNull();
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
    }
  }

  private static List<String> texts(Document doc, String tag) {
    List<String> out = new ArrayList<>();
    NodeList nodes = doc.getElementsByTagName(tag);
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add(nodes.item(i).getTextContent().trim());
    }
    return out;
  }

  /** The first direct child element named {@code tag}. */
  private static Element child(Element parent, String tag) {
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e && e.getTagName().equals(tag)) {
        return e;
      }
    }
    throw new AssertionError("no <" + tag + "> in <" + parent.getTagName() + ">");
  }
}
