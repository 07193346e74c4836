package io.vigil.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The set of field paths that a consumer (the detection engine, a store) reads from events, each
 * given a slot number, so that a parser extracts only those fields into an array instead of
 * building a map of every field.
 *
 * <p>Paths are dotted ({@code Event.EventData.Image}, {@code winlog.event_data.Image}); a JSON key
 * that itself contains dots ({@code "process.name": …}) names the same path as nested objects.
 * Paths compare case-insensitively, because Windows sources disagree on case ({@code ProcessId}
 * versus {@code ProcessID}). Immutable and thread-safe.
 */
public final class FieldSchema {
  private static final int MAX_CACHED_KEYS = 16_384;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final List<String> paths;
  private final Map<String, Integer> slots;
  private final Node root;

  private FieldSchema(List<String> paths) {
    this.paths = List.copyOf(paths);
    this.slots = new HashMap<>();
    this.root = new Node();
    for (int i = 0; i < this.paths.size(); i++) {
      String path = this.paths.get(i);
      slots.put(lower(path), i);
      Node node = root;
      for (String segment : path.split("\\.", -1)) {
        node = node.children.computeIfAbsent(lower(segment), k -> new Node());
      }
      node.slot = i;
    }
    root.freeze();
  }

  /** A schema over the given paths, duplicates (ignoring case) removed, in first-seen order. */
  public static FieldSchema of(Collection<String> paths) {
    Map<String, String> unique = new LinkedHashMap<>();
    for (String path : paths) {
      if (path == null || path.isEmpty()) {
        throw new IllegalArgumentException("a field path must not be empty");
      }
      unique.putIfAbsent(lower(path), path);
    }
    return new FieldSchema(new ArrayList<>(unique.values()));
  }

  /** The slot of a path, or -1 when the schema does not hold it. */
  public int slot(String path) {
    Integer slot = slots.get(lower(path));
    return slot == null ? -1 : slot;
  }

  /** The number of slots. */
  public int size() {
    return paths.size();
  }

  /** The paths in slot order. */
  public List<String> paths() {
    return paths;
  }

  /** The root of the path tree that streaming parsers walk key by key. */
  public Node root() {
    return root;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /**
   * One segment of the path tree. A parser asks {@link #child(String)} for each object key it
   * reads; a null answer means no wanted path lies below, so the whole subtree can be skipped.
   */
  public static final class Node {
    private static final Node NONE = new Node();

    private final Map<String, Node> children = new HashMap<>();
    // Keys as parsers see them (any case, possibly dotted) mapped to their node; parsers repeat
    // the same keys millions of times, so lower-casing happens once per distinct key.
    private final Map<String, Node> seen = new ConcurrentHashMap<>();
    private int slot = -1;
    // The children again, for parsers that read keys as bytes: an open-addressing table of the
    // lower-case ASCII key bytes (non-ASCII keys are looked up through child(String)).
    private byte[][] asciiKeys = new byte[1][];
    private Node[] asciiNodes = new Node[1];

    private Node() {}

    private void freeze() {
      int size = Integer.highestOneBit(Math.max(1, children.size()) * 4);
      asciiKeys = new byte[size][];
      asciiNodes = new Node[size];
      for (Map.Entry<String, Node> e : children.entrySet()) {
        e.getValue().freeze();
        String key = e.getKey();
        if (!key.chars().allMatch(c -> c < 0x80)) {
          continue;
        }
        byte[] bytes = key.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int i = asciiHash(bytes, 0, bytes.length) & (size - 1);
        while (asciiKeys[i] != null) {
          i = (i + 1) & (size - 1);
        }
        asciiKeys[i] = bytes;
        asciiNodes[i] = e.getValue();
      }
    }

    /**
     * The node for an object key given as bytes that are all ASCII, hold no dot and no escape (the
     * parser checked), compared case-insensitively; null when no wanted path lies below.
     */
    Node childAscii(byte[] b, int off, int len) {
      return childAscii(b, off, len, asciiHash(b, off, len));
    }

    /** As {@link #childAscii(byte[], int, int)}, with the key's {@link #asciiHash} given. */
    Node childAscii(byte[] b, int off, int len, int hash) {
      byte[][] keys = asciiKeys;
      int mask = keys.length - 1;
      int i = hash & mask;
      byte[] k;
      while ((k = keys[i]) != null) {
        if (k.length == len && equalsLower(k, b, off)) {
          return asciiNodes[i];
        }
        i = (i + 1) & mask;
      }
      return null;
    }

    private static boolean equalsLower(byte[] lower, byte[] b, int off) {
      int len = lower.length;
      int j = 0;
      for (; j + 8 <= len; j += 8) {
        if (toLower((long) LONGS.get(b, off + j)) != (long) LONGS.get(lower, j)) {
          return false;
        }
      }
      for (; j < len; j++) {
        int c = b[off + j];
        if (c >= 'A' && c <= 'Z') {
          c += 'a' - 'A';
        }
        if (c != lower[j]) {
          return false;
        }
      }
      return true;
    }

    /** Eight ASCII bytes with A-Z made a-z. */
    private static long toLower(long x) {
      long low7 = x & 0x7F7F7F7F7F7F7F7FL;
      long atLeastA = low7 + 0x3F3F3F3F3F3F3F3FL; // high bit set where byte >= 'A'
      long aboveZ = low7 + 0x2525252525252525L; // high bit set where byte > 'Z'
      long upper = atLeastA & ~aboveZ & ~x & 0x8080808080808080L;
      return x | (upper >>> 2);
    }

    /**
     * A hash of ASCII bytes that ignores case (and, harmlessly, bit 5 of every byte), eight bytes a
     * step.
     */
    static int asciiHash(byte[] b, int off, int len) {
      long h = 0;
      int j = 0;
      for (; j + 8 <= len; j += 8) {
        h = hashStep(h, (long) LONGS.get(b, off + j));
      }
      int rest = len - j;
      if (rest > 0) {
        long x;
        if (off + j + 8 <= b.length) {
          x = (long) LONGS.get(b, off + j);
        } else {
          x = 0;
          for (int k = rest - 1; k >= 0; k--) {
            x = x << 8 | (b[off + j + k] & 0xff);
          }
        }
        h = hashTail(h, x, rest);
      }
      return hashEnd(h, len);
    }

    /** The hash of eight more key bytes (a little-endian long). */
    static long hashStep(long h, long word) {
      return (h + (word | 0x2020202020202020L)) * 0x9E3779B97F4A7C15L;
    }

    /** The hash of the last {@code rest} (1 to 7) key bytes, the low bytes of {@code word}. */
    static long hashTail(long h, long word, int rest) {
      long keep = -1L >>> (64 - 8 * rest);
      return (h + ((word | 0x2020202020202020L) & keep)) * 0x9E3779B97F4A7C15L;
    }

    static int hashEnd(long h, int len) {
      h = (h + len) * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 29));
    }

    /** The slot of the path ending here, or -1 when this node only leads to longer paths. */
    public int slot() {
      return slot;
    }

    /** Whether longer wanted paths go through this node. */
    public boolean hasChildren() {
      return !children.isEmpty();
    }

    /** The node for an object key below this one (the key may hold dots), or null. */
    public Node child(String key) {
      Node cached = seen.get(key);
      if (cached != null) {
        return cached == NONE ? null : cached;
      }
      Node found = resolve(key);
      if (seen.size() < MAX_CACHED_KEYS) {
        seen.put(key, found == null ? NONE : found);
      }
      return found;
    }

    private Node resolve(String key) {
      Node direct = children.get(lower(key));
      if (direct != null || key.indexOf('.') < 0) {
        return direct;
      }
      Node node = this;
      for (String segment : key.split("\\.", -1)) {
        node = node.children.get(lower(segment));
        if (node == null) {
          return null;
        }
      }
      return node;
    }
  }
}
