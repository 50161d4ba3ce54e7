package dev.coroutine.internal;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The immutable mapping a {@code dev.coroutine.Context} holds: context variable to value. Every
 * update returns a new map and leaves the old one as it was, so copying a context is sharing one
 * reference (O(1)) and a context captured by a task never sees later changes of its creator.
 *
 * <p>Keys are compared by identity and hashed by their {@code hashCode()}; {@code ContextVar} gives
 * each variable a distinct hash, so the trie never needs its collision lists for them (they exist
 * so that any key works). Values may be null; an absent key reads as {@link #MISSING}.
 *
 * <p>Two shapes, chosen by size (see {@code benchmarks/README.md}, "Context variables", for the
 * measurement): up to {@link #SMALL_MAX} entries a flat key/value array searched linearly (a
 * program has a handful of context variables: a scan of a few references beats hashing), above that
 * a hash array mapped trie (HAMT, as CPython's {@code hamt.c}) whose updates copy one node per
 * level, at most seven levels for a 32-bit hash.
 */
public abstract class ContextMap {
  /** What {@link #get} returns for a key that is not in the map. */
  public static final Object MISSING =
      new Object() {
        @Override
        public String toString() {
          return "<MISSING>";
        }
      };

  /** Entries a flat map holds before it turns into a trie. */
  public static final int SMALL_MAX = 8;

  /** The empty map (flat, growing into a trie past {@link #SMALL_MAX} entries). */
  private static final ContextMap EMPTY = new Flat(new Object[0], SMALL_MAX);

  ContextMap() {}

  /**
   * The empty map.
   *
   * @return the empty map
   */
  public static ContextMap empty() {
    return EMPTY;
  }

  /**
   * An empty map that stays a flat array at any size: for benchmarks comparing the two shapes.
   *
   * @return an empty flat map that never turns into a trie
   */
  public static ContextMap emptyFlatOnly() {
    return new Flat(new Object[0], Integer.MAX_VALUE);
  }

  /**
   * An empty map that is a trie from the first entry: for benchmarks comparing the two shapes.
   *
   * @return an empty trie
   */
  public static ContextMap emptyTrieOnly() {
    return new Trie(Node.EMPTY, 0);
  }

  /**
   * The value of {@code key}, or {@link #MISSING}.
   *
   * @param key the key, compared by identity
   * @return its value (possibly null), or {@link #MISSING} if the map has no entry for it
   */
  public abstract Object get(Object key);

  /**
   * This map with {@code key} mapped to {@code value}; this map itself if it already was.
   *
   * @param key the key, compared by identity
   * @param value the value, may be null
   * @return the updated map
   */
  public abstract ContextMap put(Object key, Object value);

  /**
   * This map without {@code key}; this map itself if it had no entry for it.
   *
   * @param key the key, compared by identity
   * @return the updated map
   */
  public abstract ContextMap remove(Object key);

  /**
   * The number of entries.
   *
   * @return the number of entries
   */
  public abstract int size();

  /**
   * Calls {@code action} with each key and value (in no particular order).
   *
   * @param action called once per entry
   */
  public abstract void forEach(BiConsumer<Object, Object> action);

  /** Up to {@code limit} entries in one array: {@code k0, v0, k1, v1, ...}. */
  private static final class Flat extends ContextMap {
    /** Keys at even indexes, each followed by its value; never changed once built. */
    private final Object[] kv;

    /** Past this many entries a put returns a {@link Trie}. */
    private final int limit;

    Flat(Object[] kv, int limit) {
      this.kv = kv;
      this.limit = limit;
    }

    @Override
    public Object get(Object key) {
      Object[] a = kv;
      for (int i = 0; i < a.length; i += 2) {
        if (a[i] == key) {
          return a[i + 1];
        }
      }
      return MISSING;
    }

    @Override
    public ContextMap put(Object key, Object value) {
      Object[] a = kv;
      for (int i = 0; i < a.length; i += 2) {
        if (a[i] == key) {
          if (a[i + 1] == value) {
            return this;
          }
          Object[] b = a.clone();
          b[i + 1] = value;
          return new Flat(b, limit);
        }
      }
      if (a.length / 2 >= limit) {
        ContextMap t = emptyTrieOnly();
        for (int i = 0; i < a.length; i += 2) {
          t = t.put(a[i], a[i + 1]);
        }
        return t.put(key, value);
      }
      Object[] b = Arrays.copyOf(a, a.length + 2);
      b[a.length] = key;
      b[a.length + 1] = value;
      return new Flat(b, limit);
    }

    @Override
    public ContextMap remove(Object key) {
      Object[] a = kv;
      for (int i = 0; i < a.length; i += 2) {
        if (a[i] == key) {
          Object[] b = new Object[a.length - 2];
          System.arraycopy(a, 0, b, 0, i);
          System.arraycopy(a, i + 2, b, i, a.length - i - 2);
          return new Flat(b, limit);
        }
      }
      return this;
    }

    @Override
    public int size() {
      return kv.length / 2;
    }

    @Override
    public void forEach(BiConsumer<Object, Object> action) {
      Object[] a = kv;
      for (int i = 0; i < a.length; i += 2) {
        action.accept(a[i], a[i + 1]);
      }
    }
  }

  /** A hash array mapped trie: its root node and its number of entries. */
  private static final class Trie extends ContextMap {
    /** The root; {@link Node#EMPTY} for no entries. */
    private final Node root;

    /** Number of entries. */
    private final int size;

    Trie(Node root, int size) {
      this.root = root;
      this.size = size;
    }

    @Override
    public Object get(Object key) {
      return root.get(key, key.hashCode(), 0);
    }

    @Override
    public ContextMap put(Object key, Object value) {
      int h = key.hashCode();
      boolean present = root.get(key, h, 0) != MISSING;
      Node r = root.put(key, h, value, 0);
      return r == root ? this : new Trie(r, present ? size : size + 1);
    }

    @Override
    public ContextMap remove(Object key) {
      int h = key.hashCode();
      Node r = root.remove(key, h, 0);
      if (r == root) {
        return this;
      }
      return new Trie(r == null ? Node.EMPTY : r, size - 1);
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public void forEach(BiConsumer<Object, Object> action) {
      root.forEach(action);
    }
  }

  /**
   * A trie node. Below 32 bits of hash ({@code shift < 32}) a bitmap node: bit {@code i} of {@link
   * #bitmap} says whether the 5-bit hash chunk {@code i} at this level has a slot, and {@link
   * #slots} holds, per set bit in order, a key and its value, or null and a child node. At {@code
   * shift >= 32} (keys whose whole hashes are equal) a collision list: {@link #bitmap} is unused
   * and the slots are key/value pairs only.
   */
  private static final class Node {
    /** The node with no slots. */
    static final Node EMPTY = new Node(0, new Object[0]);

    /** Which 5-bit chunks have a slot (bitmap nodes only). */
    final int bitmap;

    /** Pairs: key and value, or null and a child {@link Node}. Never changed once built. */
    final Object[] slots;

    Node(int bitmap, Object[] slots) {
      this.bitmap = bitmap;
      this.slots = slots;
    }

    Object get(Object key, int hash, int shift) {
      Node n = this;
      while (true) {
        if (shift >= 32) {
          Object[] s = n.slots;
          for (int i = 0; i < s.length; i += 2) {
            if (s[i] == key) {
              return s[i + 1];
            }
          }
          return MISSING;
        }
        int bit = 1 << ((hash >>> shift) & 31);
        if ((n.bitmap & bit) == 0) {
          return MISSING;
        }
        int i = 2 * Integer.bitCount(n.bitmap & (bit - 1));
        Object k = n.slots[i];
        if (k == null) {
          n = (Node) n.slots[i + 1];
          shift += 5;
        } else {
          return k == key ? n.slots[i + 1] : MISSING;
        }
      }
    }

    Node put(Object key, int hash, Object value, int shift) {
      if (shift >= 32) {
        return putCollision(key, value);
      }
      int bit = 1 << ((hash >>> shift) & 31);
      int i = 2 * Integer.bitCount(bitmap & (bit - 1));
      if ((bitmap & bit) == 0) {
        Object[] s = new Object[slots.length + 2];
        System.arraycopy(slots, 0, s, 0, i);
        s[i] = key;
        s[i + 1] = value;
        System.arraycopy(slots, i, s, i + 2, slots.length - i);
        return new Node(bitmap | bit, s);
      }
      Object k = slots[i];
      Object v = slots[i + 1];
      Object replacement;
      if (k == null) {
        Node child = (Node) v;
        Node updated = child.put(key, hash, value, shift + 5);
        if (updated == child) {
          return this;
        }
        replacement = updated;
      } else if (k == key) {
        if (v == value) {
          return this;
        }
        Object[] s = slots.clone();
        s[i + 1] = value;
        return new Node(bitmap, s);
      } else {
        replacement = pair(k, k.hashCode(), v, key, hash, value, shift + 5);
      }
      Object[] s = slots.clone();
      s[i] = null;
      s[i + 1] = replacement;
      return new Node(bitmap, s);
    }

    /** A node at {@code shift} holding two different keys. */
    private static Node pair(
        Object k1, int h1, Object v1, Object k2, int h2, Object v2, int shift) {
      if (shift >= 32) {
        return new Node(0, new Object[] {k1, v1, k2, v2});
      }
      int b1 = (h1 >>> shift) & 31;
      int b2 = (h2 >>> shift) & 31;
      if (b1 == b2) {
        return new Node(1 << b1, new Object[] {null, pair(k1, h1, v1, k2, h2, v2, shift + 5)});
      }
      Object[] s = b1 < b2 ? new Object[] {k1, v1, k2, v2} : new Object[] {k2, v2, k1, v1};
      return new Node((1 << b1) | (1 << b2), s);
    }

    private Node putCollision(Object key, Object value) {
      for (int i = 0; i < slots.length; i += 2) {
        if (slots[i] == key) {
          if (slots[i + 1] == value) {
            return this;
          }
          Object[] s = slots.clone();
          s[i + 1] = value;
          return new Node(0, s);
        }
      }
      Object[] s = Arrays.copyOf(slots, slots.length + 2);
      s[slots.length] = key;
      s[slots.length + 1] = value;
      return new Node(0, s);
    }

    /** This node without {@code key}: itself if absent, null if it would be left empty. */
    Node remove(Object key, int hash, int shift) {
      if (shift >= 32) {
        for (int i = 0; i < slots.length; i += 2) {
          if (slots[i] == key) {
            return slots.length == 2 ? null : new Node(0, without(slots, i));
          }
        }
        return this;
      }
      int bit = 1 << ((hash >>> shift) & 31);
      if ((bitmap & bit) == 0) {
        return this;
      }
      int i = 2 * Integer.bitCount(bitmap & (bit - 1));
      Object k = slots[i];
      if (k == null) {
        Node child = (Node) slots[i + 1];
        Node updated = child.remove(key, hash, shift + 5);
        if (updated == child) {
          return this;
        }
        Object[] s = slots.clone();
        if (updated == null) {
          return bitmap == bit ? null : new Node(bitmap & ~bit, without(slots, i));
        }
        if (updated.slots.length == 2 && updated.slots[0] != null) {
          s[i] = updated.slots[0]; // a child left with one entry: pull the entry up
          s[i + 1] = updated.slots[1];
        } else {
          s[i + 1] = updated;
        }
        return new Node(bitmap, s);
      }
      if (k != key) {
        return this;
      }
      return bitmap == bit ? null : new Node(bitmap & ~bit, without(slots, i));
    }

    private static Object[] without(Object[] a, int i) {
      Object[] s = new Object[a.length - 2];
      System.arraycopy(a, 0, s, 0, i);
      System.arraycopy(a, i + 2, s, i, a.length - i - 2);
      return s;
    }

    void forEach(BiConsumer<Object, Object> action) {
      for (int i = 0; i < slots.length; i += 2) {
        if (slots[i] == null) {
          ((Node) slots[i + 1]).forEach(action);
        } else {
          action.accept(slots[i], slots[i + 1]);
        }
      }
    }
  }
}
