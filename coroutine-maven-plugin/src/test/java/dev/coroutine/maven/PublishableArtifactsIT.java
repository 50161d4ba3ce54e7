package dev.coroutine.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.maven.model.Model;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.Profile;
import org.apache.maven.model.io.xpp3.MavenXpp3Reader;
import org.codehaus.plexus.util.xml.pull.XmlPullParserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a published module (runtime, agent, this plugin) must carry to be released to Maven Central
 * and adopted: the licence, the POM metadata Central requires, a sources jar and a javadoc jar, a
 * stable module name, a reproducible-build timestamp, and a signing profile that stays off by
 * default. Runs after {@code package} of this module (so the reactor has packaged all three) and
 * reads the POM files and the jars in each module's {@code target}.
 */
class PublishableArtifactsIT {

  /** The repository's root: the parent POM, LICENSE and README live there. */
  private static final Path ROOT = Path.of(required("project.root"));

  /** The version every published jar carries in its file name. */
  private static final String VERSION = required("project.version");

  static Stream<String> publishedModules() {
    return Arrays.stream(required("published.modules").split(",")).map(String::trim);
  }

  @Test
  void licenceFile_isApache2_andTheReadmeSaysSo() throws IOException {
    String licence = Files.readString(ROOT.resolve("LICENSE"));
    assertThat(licence)
        .contains("Apache License", "Version 2.0, January 2004", "END OF TERMS AND CONDITIONS");
    assertThat(Files.readString(ROOT.resolve("README.md")))
        .contains("Apache License 2.0")
        .contains("(LICENSE)");
  }

  @Test
  void parentPom_hasCentralsMetadata_reproducibleTimestamp_andAReleaseSigningProfileOffByDefault()
      throws Exception {
    Model parent = read(ROOT.resolve("pom.xml"));

    assertThat(parent.getUrl()).as("url").startsWith("https://");
    assertThat(parent.getLicenses()).as("licenses").hasSize(1);
    assertThat(parent.getLicenses().get(0).getName()).isEqualTo("Apache-2.0");
    assertThat(parent.getLicenses().get(0).getUrl()).contains("apache.org/licenses/LICENSE-2.0");
    assertThat(parent.getScm()).as("scm").isNotNull();
    assertThat(parent.getScm().getConnection()).as("scm connection").startsWith("scm:git:");
    assertThat(parent.getScm().getUrl()).as("scm url").startsWith("https://");
    assertThat(parent.getDevelopers()).as("developers").isNotEmpty();
    assertThat(parent.getDevelopers().get(0).getName()).as("developer name").isNotBlank();
    assertThat(parent.getProperties().getProperty("project.build.outputTimestamp"))
        .as("project.build.outputTimestamp (reproducible jars)")
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

    Profile release =
        parent.getProfiles().stream()
            .filter(p -> p.getId().equals("release"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no profile 'release' in the parent POM"));
    assertThat(release.getActivation())
        .as("the release profile is activated only by -Prelease")
        .isNull();
    assertThat(release.getBuild().getPlugins())
        .extracting(Plugin::getArtifactId)
        .contains("maven-gpg-plugin");
    assertThat(parent.getBuild().getPlugins())
        .extracting(Plugin::getArtifactId)
        .as("nothing signs outside -Prelease")
        .doesNotContain("maven-gpg-plugin");
  }

  @ParameterizedTest
  @MethodSource("publishedModules")
  void publishedModulePom_namesAndDescribesIt_andInheritsTheRest(String module) throws Exception {
    Model model = read(ROOT.resolve(module).resolve("pom.xml"));

    assertThat(model.getArtifactId()).isEqualTo(module);
    assertThat(model.getName()).as(module + " <name>").isNotBlank();
    assertThat(model.getDescription()).as(module + " <description>").isNotBlank();
    assertThat(model.getParent().getArtifactId())
        .as(module + " inherits url, licenses, scm and developers from the parent")
        .isEqualTo("coroutine-parent");
    assertThat(model.getLicenses()).as(module + " must not override the licence").isEmpty();
  }

  @ParameterizedTest
  @MethodSource("publishedModules")
  void publishedModule_shipsJarSourcesAndJavadoc_withAStableModuleName(String module)
      throws IOException {
    Path target = ROOT.resolve(module).resolve("target");
    String base = module + "-" + VERSION;

    try (JarFile jar = open(target.resolve(base + ".jar"))) {
      boolean hasModuleInfo = jar.getEntry("module-info.class") != null;
      String name = jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
      assertThat(hasModuleInfo || name != null)
          .as(base + ".jar has module-info.class or an Automatic-Module-Name")
          .isTrue();
      if (name != null) {
        ModuleDescriptor.newModule(name); // throws on a name that is not a legal module name
        assertThat(name).startsWith("dev.coroutine");
      }
    }
    try (JarFile sources = open(target.resolve(base + "-sources.jar"))) {
      assertThat(sources.stream().map(e -> e.getName()).filter(n -> n.endsWith(".java")))
          .as(base + "-sources.jar holds the sources")
          .isNotEmpty();
    }
    try (JarFile javadoc = open(target.resolve(base + "-javadoc.jar"))) {
      assertThat(javadoc.getEntry("index.html"))
          .as(base + "-javadoc.jar has index.html")
          .isNotNull();
    }
  }

  /**
   * A jar entry dated when it was built makes every build's bytes differ. The archivers date our
   * entries with the outputTimestamp; the shade plugin dates the relocated ASM classes with a fixed
   * date of its own (1980). Either is stable; what must not occur is a date after the timestamp,
   * which can only be the build's clock.
   */
  @ParameterizedTest
  @MethodSource("publishedModules")
  void everyEntryOfEveryPublishedJar_isDatedNoLaterThanTheOutputTimestamp(String module)
      throws Exception {
    Model parent = read(ROOT.resolve("pom.xml"));
    Instant stamp =
        Instant.parse(parent.getProperties().getProperty("project.build.outputTimestamp"));
    Path target = ROOT.resolve(module).resolve("target");
    for (String suffix : List.of(".jar", "-sources.jar", "-javadoc.jar")) {
      String name = module + "-" + VERSION + suffix;
      try (JarFile jar = open(target.resolve(name))) {
        List<String> stale =
            jar.stream()
                .filter(e -> e.getTime() > stamp.toEpochMilli() + 2000)
                .map(e -> e.getName() + " " + Instant.ofEpochMilli(e.getTime()))
                .limit(5)
                .toList();
        assertThat(stale).as(name + ": entries dated after the outputTimestamp " + stamp).isEmpty();
      }
    }
  }

  private static JarFile open(Path jar) throws IOException {
    if (!Files.isRegularFile(jar)) {
      List<String> present = new ArrayList<>();
      if (Files.isDirectory(jar.getParent())) {
        try (Stream<Path> files = Files.list(jar.getParent())) {
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".jar"))
              .forEach(present::add);
        }
      }
      throw new AssertionError(
          jar
              + " is missing (the module must be packaged in the same build: run from the root, or"
              + " with -am); jars there: "
              + present);
    }
    return new JarFile(jar.toFile());
  }

  private static Model read(Path pom) throws IOException, XmlPullParserException {
    try (Reader in = Files.newBufferedReader(pom, StandardCharsets.UTF_8)) {
      return new MavenXpp3Reader().read(in);
    }
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException(
          "system property "
              + property
              + " is not set: run this test through failsafe (mvn verify)");
    }
    return value;
  }
}
