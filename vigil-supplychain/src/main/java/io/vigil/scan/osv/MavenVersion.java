package io.vigil.scan.osv;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * A Maven version ordered the way Maven's {@code ComparableVersion} orders it: the text splits into
 * numbers and words at {@code .}, {@code -} and digit/letter changes; a {@code -} (or a change
 * between letters and digits) opens a nested list that ranks below anything after a {@code .};
 * trailing zeros and release words are dropped; the known qualifiers rank {@code alpha < beta <
 * milestone < rc < snapshot < (release, ga, final) < sp}, unknown words after them in
 * case-insensitive lexical order. So {@code 1.0-SNAPSHOT < 1.0 = 1.0.0 = 1.0.RELEASE < 1.0-sp <
 * 1.0.1}.
 */
final class MavenVersion implements Comparable<MavenVersion> {
  static final int MAX_LENGTH = 256;

  private static final List<String> QUALIFIERS =
      List.of("alpha", "beta", "milestone", "rc", "snapshot", "", "sp");

  private sealed interface Item permits IntItem, StringItem, ListItem {
    boolean isNull();

    /** Compares with another item, or with "nothing" (padding) when {@code other} is null. */
    int compareTo(Item other);
  }

  private record IntItem(BigInteger value) implements Item {
    @Override
    public boolean isNull() {
      return value.signum() == 0;
    }

    @Override
    public int compareTo(Item other) {
      return switch (other) {
        case null -> value.signum() == 0 ? 0 : 1;
        case IntItem i -> value.compareTo(i.value);
        case StringItem s -> 1;
        case ListItem l -> 1;
      };
    }
  }

  private record StringItem(String value) implements Item {
    static StringItem of(String raw, boolean followedByDigit) {
      String v = raw.toLowerCase(Locale.ROOT);
      if (followedByDigit && v.length() == 1) {
        v =
            switch (v) {
              case "a" -> "alpha";
              case "b" -> "beta";
              case "m" -> "milestone";
              default -> v;
            };
      }
      v =
          switch (v) {
            case "ga", "final", "release" -> "";
            case "cr" -> "rc";
            default -> v;
          };
      return new StringItem(v);
    }

    String rank() {
      int i = QUALIFIERS.indexOf(value);
      return i >= 0 ? Integer.toString(i) : QUALIFIERS.size() + "-" + value;
    }

    @Override
    public boolean isNull() {
      return value.isEmpty();
    }

    @Override
    public int compareTo(Item other) {
      return switch (other) {
        case null -> rank().compareTo(new StringItem("").rank());
        case IntItem i -> -1;
        case StringItem s -> rank().compareTo(s.rank());
        case ListItem l -> -1;
      };
    }
  }

  private record ListItem(List<Item> items) implements Item {
    ListItem() {
      this(new ArrayList<>());
    }

    @Override
    public boolean isNull() {
      return items.isEmpty();
    }

    void normalize() {
      for (int i = items.size() - 1; i >= 0; i--) {
        Item last = items.get(i);
        if (last.isNull()) {
          items.remove(i);
        } else if (!(last instanceof ListItem)) {
          break;
        }
      }
    }

    @Override
    public int compareTo(Item other) {
      return switch (other) {
        case null -> items.isEmpty() ? 0 : items.get(0).compareTo(null);
        case IntItem i -> -1;
        case StringItem s -> 1;
        case ListItem l -> {
          int n = Math.max(items.size(), l.items.size());
          for (int k = 0; k < n; k++) {
            Item a = k < items.size() ? items.get(k) : null;
            Item b = k < l.items.size() ? l.items.get(k) : null;
            int c = a == null ? (b == null ? 0 : -b.compareTo(null)) : a.compareTo(b);
            if (c != 0) {
              yield c;
            }
          }
          yield 0;
        }
      };
    }
  }

  private final ListItem items;

  private MavenVersion(ListItem items) {
    this.items = items;
  }

  /** Every string is a Maven version; over-long ones are cut at {@value #MAX_LENGTH}. */
  static MavenVersion parse(String text) {
    String v = text.trim().toLowerCase(Locale.ROOT);
    if (v.length() > MAX_LENGTH) {
      v = v.substring(0, MAX_LENGTH);
    }
    ListItem root = new ListItem();
    ListItem list = root;
    Deque<ListItem> stack = new ArrayDeque<>();
    stack.push(list);
    boolean digit = false;
    int start = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '.' || c == '-') {
        if (i == start) {
          list.items.add(new IntItem(BigInteger.ZERO));
        } else {
          list.items.add(item(digit, v.substring(start, i)));
        }
        start = i + 1;
        if (c == '-') {
          ListItem next = new ListItem();
          list.items.add(next);
          list = next;
          stack.push(list);
        }
      } else if (c >= '0' && c <= '9') {
        if (!digit && i > start) {
          list.items.add(StringItem.of(v.substring(start, i), true));
          start = i;
          ListItem next = new ListItem();
          list.items.add(next);
          list = next;
          stack.push(list);
        }
        digit = true;
      } else {
        if (digit && i > start) {
          list.items.add(item(true, v.substring(start, i)));
          start = i;
          ListItem next = new ListItem();
          list.items.add(next);
          list = next;
          stack.push(list);
        }
        digit = false;
      }
    }
    if (v.length() > start) {
      list.items.add(item(digit, v.substring(start)));
    }
    while (!stack.isEmpty()) {
      stack.pop().normalize();
    }
    return new MavenVersion(root);
  }

  private static Item item(boolean digit, String s) {
    return digit ? new IntItem(new BigInteger(s)) : StringItem.of(s, false);
  }

  @Override
  public int compareTo(MavenVersion o) {
    return items.compareTo(o.items);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MavenVersion m && compareTo(m) == 0;
  }

  @Override
  public int hashCode() {
    return 0;
  }
}
