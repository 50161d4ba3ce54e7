package dev.coroutine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Stress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The persistent map behind contexts: every shape agrees with a mutable map, old versions stay. */
class ContextMapTest {

  /** A key whose hash is chosen, to force trie collisions and shared prefixes. */
  private static final class Key {
    private final int hash;
    private final String name;

    Key(String name, int hash) {
      this.name = name;
      this.hash = hash;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  @Test
  void empty_hasNothing() {
    ContextMap m = ContextMap.empty();
    assertThat(m.size()).isZero();
    assertThat(m.get(new Key("a", 1))).isSameAs(ContextMap.MISSING);
    assertThat(m.remove(new Key("a", 1))).isSameAs(m);
  }

  @Test
  void put_leavesTheOldVersionUnchanged_everyShape() {
    for (Supplier<ContextMap> empty : shapes()) {
      Key a = new Key("a", 1);
      Key b = new Key("b", 2);
      ContextMap m1 = empty.get().put(a, "1");
      ContextMap m2 = m1.put(b, "2").put(a, "one");
      assertThat(m1.get(a)).isEqualTo("1");
      assertThat(m1.get(b)).isSameAs(ContextMap.MISSING);
      assertThat(m1.size()).isEqualTo(1);
      assertThat(m2.get(a)).isEqualTo("one");
      assertThat(m2.get(b)).isEqualTo("2");
      assertThat(m2.size()).isEqualTo(2);
      ContextMap m3 = m2.remove(a);
      assertThat(m2.get(a)).isEqualTo("one");
      assertThat(m3.get(a)).isSameAs(ContextMap.MISSING);
      assertThat(m3.size()).isEqualTo(1);
    }
  }

  @Test
  void put_sameValueAgain_returnsTheSameMap() {
    for (Supplier<ContextMap> empty : shapes()) {
      Key a = new Key("a", 7);
      ContextMap m = empty.get().put(a, "x");
      assertThat(m.put(a, "x")).isSameAs(m);
    }
  }

  @Test
  void nullValues_areValuesNotAbsence() {
    for (Supplier<ContextMap> empty : shapes()) {
      Key a = new Key("a", 3);
      ContextMap m = empty.get().put(a, null);
      assertThat(m.get(a)).isNull();
      assertThat(m.size()).isEqualTo(1);
    }
  }

  @Test
  void flatMap_growsIntoATrie_pastItsLimit_andKeepsEveryEntry() {
    ContextMap m = ContextMap.empty();
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < ContextMap.SMALL_MAX + 5; i++) {
      Key k = new Key("k" + i, i * 0x9E3779B9);
      keys.add(k);
      m = m.put(k, i);
    }
    assertThat(m.getClass().getSimpleName()).isEqualTo("Trie");
    for (int i = 0; i < keys.size(); i++) {
      assertThat(m.get(keys.get(i))).isEqualTo(i);
    }
    assertThat(m.size()).isEqualTo(keys.size());
  }

  @Test
  void trie_equalHashes_andSharedPrefixes_areKeptApart() {
    ContextMap m = ContextMap.emptyTrieOnly();
    Key a = new Key("a", 0x12345678);
    Key b = new Key("b", 0x12345678); // the same whole hash: a collision list
    Key c = new Key("c", 0x02345678); // differs only in the top bits: a deep path
    Key d = new Key("d", 0x12345679);
    m = m.put(a, 1).put(b, 2).put(c, 3).put(d, 4);
    assertThat(m.get(a)).isEqualTo(1);
    assertThat(m.get(b)).isEqualTo(2);
    assertThat(m.get(c)).isEqualTo(3);
    assertThat(m.get(d)).isEqualTo(4);
    assertThat(m.size()).isEqualTo(4);
    ContextMap n = m.remove(b).remove(c);
    assertThat(n.get(a)).isEqualTo(1);
    assertThat(n.get(b)).isSameAs(ContextMap.MISSING);
    assertThat(n.get(c)).isSameAs(ContextMap.MISSING);
    assertThat(n.get(d)).isEqualTo(4);
    assertThat(n.size()).isEqualTo(2);
    assertThat(n.remove(a).remove(d).size()).isZero();
  }

  /**
   * Random puts and removes, against {@link IdentityHashMap} (an oracle we did not write), on every
   * shape: after each step the size, at the end every key and the contents, and every tenth version
   * kept along the way still holds what it held. Each run is one seed (named in a failure) with its
   * own key hashes: few distinct values, so collisions and shared prefixes happen on purpose. The
   * number of runs scales with {@code -Dcoroutine.stress.scale}.
   */
  @Test
  void randomOperations_agreeWithAMutableMap_everyShape() {
    int runs = Stress.scaled(12);
    for (int seed = 0; seed < runs; seed++) {
      for (Supplier<ContextMap> empty : shapes()) {
        randomRun(seed, empty);
      }
    }
  }

  private static void randomRun(int seed, Supplier<ContextMap> empty) {
    Random r = new Random(seed);
    Key[] keys = new Key[4 + r.nextInt(60)]; // from below the flat limit to a deep trie
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new Key("k" + i, r.nextInt(8) << (5 * r.nextInt(7)));
    }
    Map<Key, Object> expected = new IdentityHashMap<>();
    ContextMap m = empty.get();
    List<ContextMap> versions = new ArrayList<>();
    List<Map<Key, Object>> snapshots = new ArrayList<>();
    int steps = 1500;
    for (int step = 0; step < steps; step++) {
      Key k = keys[r.nextInt(keys.length)];
      if (r.nextInt(3) == 0) {
        m = m.remove(k);
        expected.remove(k);
      } else {
        Integer v = r.nextInt(5);
        m = m.put(k, v);
        expected.put(k, v);
      }
      if (step % (steps / 10) == 0) {
        versions.add(m);
        snapshots.add(new IdentityHashMap<>(expected));
      }
      assertThat(m.size()).as("seed %d step %d: size", seed, step).isEqualTo(expected.size());
    }
    assertThat(contents(m)).as("seed %d: contents", seed).isEqualTo(new HashMap<>(expected));
    for (Key k : keys) {
      assertThat(m.get(k))
          .as("seed %d: get(%s)", seed, k)
          .isEqualTo(expected.containsKey(k) ? expected.get(k) : ContextMap.MISSING);
    }
    for (int i = 0; i < versions.size(); i++) {
      assertThat(contents(versions.get(i)))
          .as("seed %d: version %d", seed, i)
          .isEqualTo(new HashMap<>(snapshots.get(i)));
    }
  }

  private static Map<Object, Object> contents(ContextMap m) {
    Map<Object, Object> out = new HashMap<>();
    m.forEach((k, v) -> assertThat(out.put(k, v)).isNull());
    return out;
  }

  private static List<Supplier<ContextMap>> shapes() {
    return List.of(ContextMap::empty, ContextMap::emptyFlatOnly, ContextMap::emptyTrieOnly);
  }
}
