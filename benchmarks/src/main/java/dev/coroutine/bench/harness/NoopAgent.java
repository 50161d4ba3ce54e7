package dev.coroutine.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * T2's yardstick: an agent whose transformer returns null at once. Loading with it costs what any
 * Java agent costs (the JVM hands every class file to Java); what our agent adds beyond it is the
 * cost of its own filters.
 */
public final class NoopAgent {
  private NoopAgent() {}

  /** The agent entry point: registers a transformer that never transforms. */
  public static void premain(String args, Instrumentation inst) {
    inst.addTransformer(
        new ClassFileTransformer() {
          @Override
          public byte[] transform(
              ClassLoader loader,
              String className,
              Class<?> classBeingRedefined,
              ProtectionDomain protectionDomain,
              byte[] classfileBuffer) {
            return null;
          }
        });
  }

  /** Writes the agent jar (this class and its transformer, with the manifest) to {@code jar}. */
  static Path writeJar(Path jar) throws IOException {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(new Attributes.Name("Premain-Class"), NoopAgent.class.getName());
    Files.createDirectories(jar.getParent());
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out, m)) {
      for (String name : new String[] {"NoopAgent", "NoopAgent$1"}) {
        String entry = "dev/coroutine/bench/harness/" + name + ".class";
        j.putNextEntry(new JarEntry(entry));
        try (InputStream in = NoopAgent.class.getClassLoader().getResourceAsStream(entry)) {
          in.transferTo(j);
        }
        j.closeEntry();
      }
    }
    return jar;
  }
}
