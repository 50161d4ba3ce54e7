package dev.coroutine.bench.jmh;

import dev.coroutine.internal.ContextMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The two shapes of a context's persistent map, side by side (benchmarks/README.md, "Context
 * variables"): a flat key/value array against a hash array mapped trie, for lookups and for updates
 * (a set: a new map with one value replaced), by number of entries. What chose {@link
 * ContextMap#SMALL_MAX}. Keys hash as {@code ContextVar}s do (a counter times an odd constant).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ContextMapBench {
  /** Entries in the map. */
  @Param({"1", "4", "8", "16", "64"})
  int size;

  /** The shape: "flat" or "trie". */
  @Param({"flat", "trie"})
  String shape;

  /** The keys. */
  Key[] keys;

  /** The map holding them. */
  ContextMap map;

  /** A key hashed as a ContextVar is. */
  static final class Key {
    /** Distinct per key. */
    final int hash;

    Key(int n) {
      hash = n * 0x9E3779B9;
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  static final int OPS = 1024;

  @Setup(Level.Trial)
  public void fill() {
    keys = new Key[size];
    map = shape.equals("flat") ? ContextMap.emptyFlatOnly() : ContextMap.emptyTrieOnly();
    for (int i = 0; i < size; i++) {
      keys[i] = new Key(i + 1);
      map = map.put(keys[i], i);
    }
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public int get() {
    int sum = 0;
    Key[] k = keys;
    ContextMap m = map;
    for (int i = 0; i < OPS; i++) {
      sum += (Integer) m.get(k[i % k.length]);
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public int put() {
    int n = 0;
    Key[] k = keys;
    ContextMap m = map;
    for (int i = 0; i < OPS; i++) {
      n += m.put(k[i % k.length], i).size();
    }
    return n;
  }
}
