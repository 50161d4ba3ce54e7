package dev.coroutine.maven;

import dev.coroutine.transform.ClassFileLocator;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;

/**
 * Reads class files from a class path (folders and jars) and then from the running JDK, without
 * loading any class. Each jar is opened at most once, on first need, and closed by {@link #close}.
 * Safe to call from many threads.
 */
final class ClassPathLocator implements ClassFileLocator, Closeable {
  /** The class path entries, in order. */
  private final List<Entry> entries = new ArrayList<>();

  /** The JDK's own classes, read as resources of the platform loader. */
  private final ClassFileLocator jdk = ClassFileLocator.of(ClassLoader.getPlatformClassLoader());

  /** Creates a locator over {@code classPath}; entries that do not exist are ignored. */
  ClassPathLocator(List<Path> classPath) {
    for (Path p : new LinkedHashSet<>(classPath)) {
      if (Files.isDirectory(p)) {
        entries.add(new Folder(p));
      } else if (Files.isRegularFile(p)) {
        entries.add(new Jar(p));
      }
    }
  }

  @Override
  public byte[] find(String internalName) {
    String resource = internalName + ".class";
    if (!internalName.startsWith("java/")) {
      for (Entry e : entries) {
        byte[] b = e.find(resource);
        if (b != null) {
          return b;
        }
      }
    }
    return jdk.find(internalName);
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (Entry e : entries) {
      try {
        e.close();
      } catch (IOException ex) {
        failure = ex;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** One class path entry. */
  private interface Entry extends Closeable {
    byte[] find(String resource);
  }

  /** A folder of class files. */
  private record Folder(Path dir) implements Entry {
    @Override
    public byte[] find(String resource) {
      Path file = dir.resolve(resource);
      try {
        return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }

    @Override
    public void close() {}
  }

  /** A jar, opened on first need (as a multi-release jar for the running JDK). */
  private static final class Jar implements Entry {
    /** The jar's path. */
    private final Path path;

    /** The open jar, or null before first use. */
    private JarFile jar;

    /** True once closed: no reopening. */
    private boolean closed;

    Jar(Path path) {
      this.path = path;
    }

    @Override
    public synchronized byte[] find(String resource) {
      try {
        if (jar == null) {
          if (closed) {
            throw new IllegalStateException("locator closed");
          }
          jar = new JarFile(path.toFile(), false, ZipFile.OPEN_READ, Runtime.version());
        }
        JarEntry entry = jar.getJarEntry(resource);
        if (entry == null) {
          return null;
        }
        try (InputStream in = jar.getInputStream(entry)) {
          return in.readAllBytes();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + resource + " from " + path, e);
      }
    }

    @Override
    public synchronized void close() throws IOException {
      closed = true;
      if (jar != null) {
        jar.close();
        jar = null;
      }
    }
  }
}
