package dev.coroutine.maven;

import dev.coroutine.transform.ClassFileLocator;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Reads class files from a class path (folders and jars) and then from the running JDK, without
 * loading any class, as one Java release sees it: a class path holding multi-release classes
 * ({@code META-INF/versions/N/}) answers differently for different releases, so every lookup goes
 * through a {@link View}. Each jar is opened at most once per release, on first need, and closed by
 * {@link #close}. Safe to call from many threads.
 */
final class ClassPathLocator implements Closeable {

  /**
   * The release whose view of the class path a class is rewritten against: {@code folders} for the
   * folders ({@code META-INF/versions/M/} for the highest {@code M <= folders} that has the class,
   * else the base), {@code jars} for the jars (as {@link JarFile} opens them for that release: the
   * versioned entries if the jar is multi-release, else the base). {@value #BASE} means the base:
   * {@code versions/} ignored.
   *
   * @param folders the release the folders are read as
   * @param jars the release the jars are read as
   */
  record View(int folders, int jars) {
    /** The base release: what a JDK 8 or a reader that ignores {@code versions/} sees. */
    static final int BASE = 8;

    /** Where the versioned classes of a multi-release layout live. */
    private static final String VERSIONS = "META-INF/versions/";

    /**
     * The view for the class file at {@code relativePath} in an output folder.
     *
     * <p>A class under {@code META-INF/versions/N/} is only ever loaded from a multi-release jar by
     * JDK N and later: it sees the project's classes of release N (its own folder's {@code
     * versions/M} over the base) and the jars at release N, as javac did when it compiled it with
     * {@code --release N}.
     *
     * <p>A base class is loaded by every JDK from its class file's release up, from the packaged
     * jar and also straight from the output folders (tests, {@code exec:java}), where {@code
     * versions/} means nothing; the project's versioned classes replace some base classes on later
     * JDKs and must agree with them. So it sees the folders' base, which javac compiled it against
     * (an output folder on javac's class path is a plain folder), and each jar at the release of
     * its class file: that is what the lowest JDK that can load it sees, and what javac read, since
     * javac opens multi-release jars at the release it compiles for ({@code --release}, {@code
     * -target}), and so what the javac plugin reads through javac's model. Not the jars' base: that
     * is what a JDK 8 sees, which cannot load a later class file, and a jar whose {@code versions/}
     * change a hierarchy would give frames that fail where it runs; and not the running JDK's
     * release: the output would then depend on the JDK that runs Maven.
     *
     * @param relativePath the class file's path relative to its output folder, {@code /}-separated
     * @param classFile the class file's bytes (only its version is read)
     */
    static View of(String relativePath, byte[] classFile) {
      if (relativePath.startsWith(VERSIONS)) {
        int slash = relativePath.indexOf('/', VERSIONS.length());
        int n = slash < 0 ? -1 : release(relativePath.substring(VERSIONS.length(), slash));
        if (n > BASE) {
          return new View(n, n);
        }
      }
      return new View(BASE, releaseOf(classFile));
    }

    /**
     * The release a class file was compiled for (major version 61 is Java 17); {@value #BASE} for
     * older ones or bytes that are not a class file (the transformer reports those).
     */
    private static int releaseOf(byte[] classFile) {
      if (classFile.length < 8
          || (classFile[0] & 0xFF) != 0xCA
          || (classFile[1] & 0xFF) != 0xFE
          || (classFile[2] & 0xFF) != 0xBA
          || (classFile[3] & 0xFF) != 0xBE) {
        return BASE;
      }
      int major = (classFile[6] & 0xFF) << 8 | (classFile[7] & 0xFF);
      return Math.max(BASE, major - 44);
    }

    /** The release a {@code versions/} folder name stands for, or -1 if it is not a number. */
    private static int release(String name) {
      if (name.isEmpty()
          || name.length() > 4
          || !name.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return -1;
      }
      return Integer.parseInt(name);
    }
  }

  /** The class path entries, in order. */
  private final List<Entry> entries = new ArrayList<>();

  /** The JDK's own classes, read as resources of the platform loader. */
  private final ClassFileLocator jdk = ClassFileLocator.of(ClassLoader.getPlatformClassLoader());

  /**
   * Creates a locator over {@code classPath}; entries that do not exist are ignored.
   *
   * @throws UncheckedIOException if a folder's {@code META-INF/versions} cannot be listed
   */
  ClassPathLocator(List<Path> classPath) {
    for (Path p : new LinkedHashSet<>(classPath)) {
      if (Files.isDirectory(p)) {
        entries.add(Folder.of(p));
      } else if (Files.isRegularFile(p)) {
        entries.add(new Jar(p));
      }
    }
  }

  /**
   * The class path as {@code view} sees it. The answers of different views differ, so a class
   * hierarchy cached from one view must not serve another.
   *
   * @param view the releases to read the folders and the jars as
   * @return a locator over the class path entries for that view, then the running JDK
   */
  ClassFileLocator view(View view) {
    return internalName -> {
      String resource = internalName + ".class";
      if (!internalName.startsWith("java/")) {
        for (Entry e : entries) {
          byte[] b = e.find(resource, view);
          if (b != null) {
            return b;
          }
        }
      }
      return jdk.find(internalName);
    };
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
    /** The bytes of {@code resource} as {@code view} sees this entry, or null. */
    byte[] find(String resource, View view);
  }

  /**
   * A folder of class files.
   *
   * @param dir the folder
   * @param versions the releases it has a {@code META-INF/versions/N} folder for, highest first
   */
  private record Folder(Path dir, List<Integer> versions) implements Entry {
    /** The folder {@code dir}, with the releases it has versioned classes for. */
    static Folder of(Path dir) {
      Path versions = dir.resolve(View.VERSIONS);
      if (!Files.isDirectory(versions)) {
        return new Folder(dir, List.of());
      }
      try (Stream<Path> children = Files.list(versions)) {
        return new Folder(
            dir,
            children
                .filter(Files::isDirectory)
                .map(p -> View.release(p.getFileName().toString()))
                .filter(n -> n > View.BASE)
                .sorted(Comparator.reverseOrder())
                .collect(Collectors.toUnmodifiableList()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + versions, e);
      }
    }

    @Override
    public byte[] find(String resource, View view) {
      for (int n : versions) {
        if (n <= view.folders()) {
          byte[] b = read(dir.resolve(View.VERSIONS + n).resolve(resource));
          if (b != null) {
            return b;
          }
        }
      }
      return read(dir.resolve(resource));
    }

    private static byte[] read(Path file) {
      try {
        return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }

    @Override
    public void close() {}
  }

  /** A jar, opened on first need for each release it is read as (a multi-release jar differs). */
  private static final class Jar implements Entry {
    /** The jar's path. */
    private final Path path;

    /** The jar opened for each release asked so far. */
    private final Map<Integer, JarFile> opened = new HashMap<>();

    /** True once closed: no reopening. */
    private boolean closed;

    Jar(Path path) {
      this.path = path;
    }

    @Override
    public synchronized byte[] find(String resource, View view) {
      try {
        JarFile jar = opened.get(view.jars());
        if (jar == null) {
          if (closed) {
            throw new IllegalStateException("locator closed");
          }
          Runtime.Version release =
              view.jars() <= View.BASE
                  ? JarFile.baseVersion()
                  : Runtime.Version.parse(Integer.toString(view.jars()));
          jar = new JarFile(path.toFile(), false, ZipFile.OPEN_READ, release);
          opened.put(view.jars(), jar);
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
      IOException failure = null;
      for (JarFile jar : opened.values()) {
        try {
          jar.close();
        } catch (IOException e) {
          failure = e;
        }
      }
      opened.clear();
      if (failure != null) {
        throw failure;
      }
    }
  }
}
