package io.vigil.ingest.evtx;

import io.vigil.event.Event;
import io.vigil.ingest.evtx.XmlNode.Attribute;
import io.vigil.ingest.evtx.XmlNode.Element;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a record's XML tree into the JSON object {@code evtx_dump} prints for it, and puts the same
 * leaves into an {@link Event.Builder} under their dotted paths, in one walk.
 *
 * <p>The shape: an element with only text becomes its value; attributes go under {@code
 * #attributes} and text beside them under {@code #text}; an element with nothing becomes null;
 * repeated child names get {@code _1}, {@code _2} suffixes; inside {@code EventData} and {@code
 * UserData}, {@code <Data Name="X">v</Data>} becomes {@code "X": v} and unnamed {@code Data}
 * elements gather under {@code "Data": {"#text": [...]}}. Integers and booleans that make up a
 * whole value are JSON numbers and booleans; every other value is a string. Character references
 * and the five predefined XML entities are resolved to the characters they stand for.
 */
final class EventRenderer {
  private final StringBuilder json = new StringBuilder(2048);
  private final StringBuilder path = new StringBuilder(128);
  private final StringBuilder text = new StringBuilder(256);
  private static final int MAX_CACHED_NAMES = 4096;

  private final Map<String, String> lowerCase = new HashMap<>();
  private final int maxDepth;
  private final int maxChars;
  private Event.Builder event;
  private int depth;

  /**
   * @param maxDepth deepest element nesting rendered; templates nested in templates can stack their
   *     depths, so the limit is checked again on the final tree
   * @param maxChars longest JSON text rendered
   */
  EventRenderer(int maxDepth, int maxChars) {
    this.maxDepth = maxDepth;
    this.maxChars = maxChars;
  }

  /** Puts a leaf at the current path, unless only the JSON text is wanted. */
  private void put(Object value) {
    if (json.length() > maxChars) {
      throw new BadEvtxException(
          "the record renders to more than "
              + maxChars
              + " characters of JSON; raise evtx.max-event-chars if such records are expected");
    }
    if (event != null) {
      event.put(path.toString(), value);
    }
  }

  /**
   * Renders one record; returns the JSON text after filling {@code builder} (null when only the
   * text is wanted).
   */
  String render(Element root, Event.Builder builder) {
    this.event = builder;
    depth = 0;
    json.setLength(0);
    path.setLength(0);
    json.append('{');
    key(root.name());
    int mark = push(root.name());
    elementValue(root, false);
    pop(mark);
    json.append('}');
    this.event = null;
    return json.toString();
  }

  private int push(String segment) {
    int mark = path.length();
    if (mark > 0) {
      path.append('.');
    }
    path.append(lower(segment));
    return mark;
  }

  /**
   * A path segment in lower case. Event fields are case-insensitive and stored lower-cased; handing
   * the builder lower-case paths spares it a copy per field. Names repeat in every record, so their
   * lower-case forms are cached (the cache is cleared when it grows past a bound, for hostile
   * inputs with endless distinct names).
   */
  private String lower(String segment) {
    String cached = lowerCase.get(segment);
    if (cached == null) {
      if (lowerCase.size() >= MAX_CACHED_NAMES) {
        lowerCase.clear();
      }
      cached = segment.toLowerCase(Locale.ROOT);
      lowerCase.put(segment, cached);
    }
    return cached;
  }

  private void pop(int mark) {
    path.setLength(mark);
  }

  private void key(String name) {
    string(name);
    json.append(':');
  }

  private static boolean isEmptyText(XmlNode node) {
    return switch (node) {
      case XmlNode.Text t -> t.text().isEmpty();
      case XmlNode.CData t -> t.text().isEmpty();
      case XmlNode.Value v -> v.value().text().isEmpty();
      case XmlNode.CharRef c -> false;
      case XmlNode.EntityRef r -> false;
      default -> true;
    };
  }

  private static boolean hasText(List<XmlNode> nodes) {
    for (XmlNode node : nodes) {
      if (!(node instanceof Element) && !isEmptyText(node)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasAttributeText(Element e) {
    for (Attribute a : e.attributes()) {
      if (hasText(a.value())) {
        return true;
      }
    }
    return false;
  }

  private void elementValue(Element e, boolean dataContainer) {
    boolean elementChild = e.hasElementChild();
    boolean attributeText = hasAttributeText(e);
    if (!elementChild && !attributeText && !hasText(e.children())) {
      json.append("null");
      put(Event.NULL);
    } else if (!elementChild && !attributeText) {
      scalar(e.children());
    } else {
      body(e, dataContainer);
    }
  }

  /** Writes content as a JSON number or boolean when it is one integer or boolean, else text. */
  private void scalar(List<XmlNode> nodes) {
    XmlNode single = null;
    int count = 0;
    for (XmlNode node : nodes) {
      if (node instanceof Element || isEmptyText(node)) {
        continue;
      }
      single = node;
      count++;
    }
    if (count == 1 && single instanceof XmlNode.Value v) {
      switch (v.value()) {
        case EvtxValue.Num n -> {
          String digits = n.text();
          json.append(digits);
          put(n.unsigned() && n.value() < 0 ? (Object) digits : (Long) n.value());
          return;
        }
        case EvtxValue.Bool b -> {
          json.append(b.value());
          put(b.value());
          return;
        }
        default -> {}
      }
    }
    text.setLength(0);
    for (XmlNode node : nodes) {
      appendText(node);
    }
    String s = text.toString();
    string(s);
    put(s);
  }

  private void appendText(XmlNode node) {
    switch (node) {
      case XmlNode.Text t -> text.append(t.text());
      case XmlNode.CData t -> text.append(t.text());
      case XmlNode.Value v -> text.append(v.value().text());
      case XmlNode.CharRef c -> text.appendCodePoint(c.code());
      case XmlNode.EntityRef r -> text.append(entity(r.name()));
      default -> {}
    }
  }

  private static String entity(String name) {
    return switch (name) {
      case "amp" -> "&";
      case "lt" -> "<";
      case "gt" -> ">";
      case "quot" -> "\"";
      case "apos" -> "'";
      default -> "&" + name + ";";
    };
  }

  private static Attribute nameAttribute(Element e) {
    for (Attribute a : e.attributes()) {
      if (a.name().equals("Name")) {
        return a;
      }
    }
    return null;
  }

  private static boolean isData(Element e) {
    return e.name().equals("Data");
  }

  private String textOf(List<XmlNode> nodes) {
    text.setLength(0);
    for (XmlNode node : nodes) {
      appendText(node);
    }
    return text.toString();
  }

  private void body(Element e, boolean dataContainer) {
    if (++depth > maxDepth) {
      throw new BadEvtxException(
          "the record's elements, its templates expanded, nest deeper than "
              + maxDepth
              + "; raise evtx.max-element-depth if such records are expected");
    }
    boolean flatten = false;
    int positional = 0;
    if (dataContainer) {
      for (XmlNode node : e.children()) {
        if (node instanceof Element child && isData(child)) {
          Attribute name = nameAttribute(child);
          if (name != null && hasText(name.value())) {
            flatten = true;
          }
          positional++;
        }
      }
    }
    json.append('{');
    boolean first = true;
    if (hasAttributeText(e)) {
      first = false;
      key("#attributes");
      int mark = push("#attributes");
      json.append('{');
      boolean firstAttribute = true;
      for (Attribute a : e.attributes()) {
        if (!hasText(a.value())) {
          continue;
        }
        if (!firstAttribute) {
          json.append(',');
        }
        firstAttribute = false;
        key(a.name());
        int m = push(a.name());
        scalar(a.value());
        pop(m);
      }
      json.append('}');
      pop(mark);
    }
    if (hasText(e.children())) {
      if (!first) {
        json.append(',');
      }
      first = false;
      key("#text");
      int mark = push("#text");
      scalar(e.children());
      pop(mark);
    }
    Map<String, Integer> seen = null;
    boolean positionalDone = false;
    for (XmlNode node : e.children()) {
      if (!(node instanceof Element child)) {
        continue;
      }
      if (dataContainer && isData(child)) {
        if (flatten) {
          Attribute name = nameAttribute(child);
          if (name == null || !hasText(name.value())) {
            continue;
          }
          String key = textOf(name.value());
          if (!first) {
            json.append(',');
          }
          first = false;
          key(key);
          int mark = push(key);
          dataValue(child);
          pop(mark);
        } else if (!positionalDone) {
          positionalDone = true;
          if (!first) {
            json.append(',');
          }
          first = false;
          json.append("\"Data\":{\"#text\":");
          int mark = push("Data");
          push("#text");
          if (positional == 1) {
            dataValue(child);
          } else {
            json.append('[');
            boolean firstItem = true;
            for (XmlNode other : e.children()) {
              if (other instanceof Element data && isData(data)) {
                if (!firstItem) {
                  json.append(',');
                }
                firstItem = false;
                dataValue(data);
              }
            }
            json.append(']');
          }
          pop(mark);
          json.append('}');
        }
        continue;
      }
      if (seen == null) {
        seen = new HashMap<>();
      }
      int n = seen.merge(child.name(), 1, Integer::sum) - 1;
      String key = n == 0 ? child.name() : child.name() + "_" + n;
      if (!first) {
        json.append(',');
      }
      first = false;
      key(key);
      int mark = push(key);
      String name = child.name();
      elementValue(child, name.equals("EventData") || name.equals("UserData"));
      pop(mark);
    }
    json.append('}');
    depth--;
  }

  private void dataValue(Element data) {
    boolean elementChild = data.hasElementChild();
    if (!elementChild && !hasText(data.children())) {
      json.append("\"\"");
      put("");
    } else if (elementChild) {
      body(data, false);
    } else {
      scalar(data.children());
    }
  }

  /** Appends a JSON string literal: quotes, backslashes and control characters escaped. */
  private void string(String s) {
    json.append('"');
    int n = s.length();
    int plain = 0;
    while (plain < n) {
      char ch = s.charAt(plain);
      if (ch < 0x20 || ch == '"' || ch == '\\' || Character.isSurrogate(ch)) {
        break;
      }
      plain++;
    }
    json.append(s, 0, plain);
    for (int i = plain; i < n; i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> {
          if (ch < 0x20 || (Character.isSurrogate(ch) && !pairedSurrogate(s, i))) {
            json.append("\\u");
            for (int shift = 12; shift >= 0; shift -= 4) {
              json.append(Character.forDigit((ch >> shift) & 0xf, 16));
            }
          } else {
            json.append(ch);
          }
        }
      }
    }
    json.append('"');
  }

  private static boolean pairedSurrogate(String s, int i) {
    char ch = s.charAt(i);
    if (Character.isHighSurrogate(ch)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
