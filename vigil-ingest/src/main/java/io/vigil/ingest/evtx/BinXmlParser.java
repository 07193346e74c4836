package io.vigil.ingest.evtx;

import io.vigil.ingest.evtx.XmlNode.Attribute;
import io.vigil.ingest.evtx.XmlNode.Element;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the Binary XML of one chunk into {@link XmlNode} trees. Names and template definitions are
 * addressed by their offset in the chunk and cached for the chunk's lifetime, so a template defined
 * by an earlier record is parsed once and instantiated by every later record that refers back to
 * it. Every offset is checked against the chunk and every loop is bounded; bad bytes raise {@link
 * BadEvtxException}, which the reader reports.
 */
final class BinXmlParser {
  private static final int END_OF_FRAGMENT = 0x00;
  private static final int OPEN_START_ELEMENT = 0x01;
  private static final int CLOSE_START_ELEMENT = 0x02;
  private static final int CLOSE_EMPTY_ELEMENT = 0x03;
  private static final int END_ELEMENT = 0x04;
  private static final int VALUE = 0x05;
  private static final int ATTRIBUTE = 0x06;
  private static final int CDATA = 0x07;
  private static final int CHAR_REF = 0x08;
  private static final int ENTITY_REF = 0x09;
  private static final int PI_TARGET = 0x0a;
  private static final int PI_DATA = 0x0b;
  private static final int TEMPLATE_INSTANCE = 0x0c;
  private static final int NORMAL_SUBSTITUTION = 0x0d;
  private static final int OPTIONAL_SUBSTITUTION = 0x0e;
  private static final int FRAGMENT_HEADER = 0x0f;
  private static final int MORE_BIT = 0x40;

  private static final int TEMPLATE_HEADER_SIZE = 24;

  private final byte[] data;
  private final int length;
  private final EvtxLimits limits;
  private final Map<Integer, String> names = new HashMap<>();
  private final Map<Integer, Template> templates = new HashMap<>();
  // Template subtrees without placeholders, shared as they are by every instance.
  private final Map<Element, Boolean> constant = new IdentityHashMap<>();
  private int nodeBudget;

  /** A parsed template definition: its body with placeholders, and its size in the chunk. */
  private record Template(int offset, int dataSize, Element root) {}

  /** A read position inside the chunk, bounded by the end of the fragment being read. */
  private final class Cursor {
    int pos;
    final int end;

    Cursor(int pos, int end) {
      this.pos = pos;
      this.end = Math.min(end, length);
    }

    private void need(int n, String what) {
      if (pos < 0 || n < 0 || pos > end - n) {
        throw new BadEvtxException(
            "expected "
                + what
                + " ("
                + n
                + " bytes) at chunk offset "
                + pos
                + ", but the fragment ends at "
                + end);
      }
    }

    int peek() {
      need(1, "a BinXML token");
      return data[pos] & 0xff;
    }

    int u8(String what) {
      need(1, what);
      return data[pos++] & 0xff;
    }

    int u16(String what) {
      need(2, what);
      int v = Values.u16(data, pos);
      pos += 2;
      return v;
    }

    long u32(String what) {
      need(4, what);
      long v = Values.u32(data, pos);
      pos += 4;
      return v;
    }

    String utf16Chars(int chars, String what) {
      need(chars * 2, what);
      String s = Values.utf16(data, pos, chars * 2);
      pos += chars * 2;
      return s;
    }
  }

  BinXmlParser(byte[] data, int length, EvtxLimits limits) {
    this.data = data;
    this.length = length;
    this.limits = limits;
  }

  /** Parses the BinXML of one record ({@code start} to {@code end} in the chunk) into its tree. */
  Element parseRecord(int start, int end) {
    nodeBudget = limits.maxNodes();
    Element root = parseFragment(new Cursor(start, end), 0, List.of());
    if (root == null) {
      throw new BadEvtxException("the record's BinXML holds no element");
    }
    return root;
  }

  private void spend(int nodes) {
    nodeBudget -= nodes;
    if (nodeBudget < 0) {
      throw new BadEvtxException(
          "the record expands to more than "
              + limits.maxNodes()
              + " XML nodes; raise evtx.max-nodes if such records are expected");
    }
  }

  /**
   * Reads a fragment (optional header, then one element or template instance, then an optional end
   * token) and returns its resolved root element, or null when the fragment is empty.
   */
  private Element parseFragment(Cursor c, int depth, List<XmlNode> values) {
    while (c.pos < c.end) {
      int token = c.peek();
      switch (token) {
        case FRAGMENT_HEADER -> {
          c.u8("fragment header token");
          c.u8("fragment major version");
          c.u8("fragment minor version");
          c.u8("fragment flags");
        }
        case TEMPLATE_INSTANCE -> {
          return readTemplateInstance(c, depth);
        }
        case OPEN_START_ELEMENT, OPEN_START_ELEMENT | MORE_BIT -> {
          Element raw = readElement(c, depth, 0);
          List<Element> resolved = resolve(raw, values, depth);
          return resolved.isEmpty() ? null : resolved.get(0);
        }
        case END_OF_FRAGMENT -> {
          return null;
        }
        default ->
            throw new BadEvtxException(
                String.format(
                    Locale.ROOT,
                    "expected a fragment header, element or template instance at chunk offset %d,"
                        + " found token 0x%02x",
                    c.pos,
                    token));
      }
    }
    return null;
  }

  private String name(Cursor c, long offset) {
    if (offset == c.pos) {
      // The name is stored inline, right here: read it and step over it.
      String name = readName((int) offset);
      c.pos += 8 + 2 * Values.u16(data, (int) offset + 6) + 2;
      if (c.pos > c.end) {
        throw new BadEvtxException("an inline name runs past the end of its fragment");
      }
      return name;
    }
    if (offset < 0 || offset >= length) {
      throw new BadEvtxException(
          "a name refers to chunk offset " + offset + ", outside the chunk of " + length);
    }
    return readName((int) offset);
  }

  private String readName(int offset) {
    String cached = names.get(offset);
    if (cached != null) {
      return cached;
    }
    // Name: next-in-bucket offset (4), hash (2), character count (2), UTF-16 characters, NUL.
    if (offset < 0 || offset > length - 8) {
      throw new BadEvtxException("a name at chunk offset " + offset + " runs past the chunk");
    }
    int chars = Values.u16(data, offset + 6);
    if (offset + 8 + 2 * chars + 2 > length) {
      throw new BadEvtxException(
          "a name of " + chars + " characters at chunk offset " + offset + " runs past the chunk");
    }
    String name =
        new String(data, offset + 8, 2 * chars, java.nio.charset.StandardCharsets.UTF_16LE);
    names.put(offset, name);
    return name;
  }

  private Element readElement(Cursor c, int depth, int elementDepth) {
    if (elementDepth >= limits.maxElementDepth()) {
      throw new BadEvtxException(
          "elements nest deeper than "
              + limits.maxElementDepth()
              + "; raise evtx.max-element-depth if such records are expected");
    }
    spend(1);
    int token = c.u8("element token");
    c.u16("element dependency id");
    c.u32("element size");
    String name = name(c, c.u32("element name offset"));
    List<Attribute> attributes = new ArrayList<>(0);
    if ((token & MORE_BIT) != 0) {
      c.u32("attribute list size");
      while (true) {
        int t = c.peek();
        if ((t & ~MORE_BIT) != ATTRIBUTE) {
          break;
        }
        spend(1);
        c.u8("attribute token");
        String attributeName = name(c, c.u32("attribute name offset"));
        List<XmlNode> value = new ArrayList<>(1);
        readValueNodes(c, depth, value);
        attributes.add(new Attribute(attributeName, value));
      }
    }
    int close = c.u8("close of element start");
    List<XmlNode> children = new ArrayList<>(2);
    if (close == CLOSE_START_ELEMENT) {
      readContent(c, depth, elementDepth, children, name);
    } else if (close != CLOSE_EMPTY_ELEMENT) {
      throw new BadEvtxException(
          String.format(
              Locale.ROOT,
              "element <%s>: expected the close of its start (0x02 or 0x03) at chunk offset %d,"
                  + " found token 0x%02x",
              name,
              c.pos - 1,
              close));
    }
    return new Element(name, attributes, children);
  }

  private static boolean isValueToken(int t) {
    int base = t & ~MORE_BIT;
    return base == VALUE
        || base == CDATA
        || base == CHAR_REF
        || base == ENTITY_REF
        || t == NORMAL_SUBSTITUTION
        || t == OPTIONAL_SUBSTITUTION;
  }

  private void readValueNodes(Cursor c, int depth, List<XmlNode> out) {
    while (c.pos < c.end && isValueToken(c.peek())) {
      out.add(readValueNode(c));
    }
  }

  private XmlNode readValueNode(Cursor c) {
    spend(1);
    int token = c.u8("value token");
    int base = token & ~MORE_BIT;
    if (token == NORMAL_SUBSTITUTION || token == OPTIONAL_SUBSTITUTION) {
      int index = c.u16("substitution index");
      int type = c.u8("substitution value type");
      return new XmlNode.Substitution(index, type, token == OPTIONAL_SUBSTITUTION);
    }
    return switch (base) {
      case VALUE -> {
        int type = c.u8("value type");
        if (type != Values.STRING) {
          throw new BadEvtxException(
              String.format(
                  Locale.ROOT,
                  "a value token holds type 0x%02x; only strings (0x01) are stored inline",
                  type));
        }
        yield new XmlNode.Text(c.utf16Chars(c.u16("string length"), "string characters"));
      }
      case CDATA -> new XmlNode.CData(c.utf16Chars(c.u16("CDATA length"), "CDATA characters"));
      case CHAR_REF -> new XmlNode.CharRef(c.u16("character reference"));
      case ENTITY_REF -> new XmlNode.EntityRef(name(c, c.u32("entity name offset")));
      default -> throw new IllegalStateException("not a value token: " + token);
    };
  }

  private void readContent(
      Cursor c, int depth, int elementDepth, List<XmlNode> children, String name) {
    while (true) {
      if (c.pos >= c.end) {
        throw new BadEvtxException(
            "element <" + name + "> is not closed before its fragment ends at " + c.end);
      }
      int t = c.peek();
      if (t == END_ELEMENT) {
        c.u8("end element");
        return;
      }
      switch (t) {
        case OPEN_START_ELEMENT, OPEN_START_ELEMENT | MORE_BIT ->
            children.add(readElement(c, depth, elementDepth + 1));
        case PI_TARGET -> {
          spend(1);
          c.u8("PI target token");
          String target = name(c, c.u32("PI target name offset"));
          String piData = "";
          if (c.pos < c.end && c.peek() == PI_DATA) {
            c.u8("PI data token");
            piData = c.utf16Chars(c.u16("PI data length"), "PI data");
          }
          children.add(new XmlNode.ProcessingInstruction(target, piData));
        }
        case PI_DATA -> {
          c.u8("PI data token");
          children.add(
              new XmlNode.ProcessingInstruction(
                  "", c.utf16Chars(c.u16("PI data length"), "PI data")));
        }
        case TEMPLATE_INSTANCE -> {
          Element e = readTemplateInstance(c, depth);
          if (e != null) {
            children.add(e);
          }
        }
        case FRAGMENT_HEADER -> {
          c.u8("fragment header");
          c.u8("fragment major version");
          c.u8("fragment minor version");
          c.u8("fragment flags");
        }
        default -> {
          if (!isValueToken(t)) {
            throw new BadEvtxException(
                String.format(
                    Locale.ROOT,
                    "element <%s>: unexpected token 0x%02x at chunk offset %d",
                    name,
                    t,
                    c.pos));
          }
          children.add(readValueNode(c));
        }
      }
    }
  }

  /** Reads a template instance (definition or back-reference, then values) and instantiates it. */
  private Element readTemplateInstance(Cursor c, int depth) {
    if (depth >= limits.maxTemplateDepth()) {
      throw new BadEvtxException(
          "templates and embedded BinXML nest deeper than "
              + limits.maxTemplateDepth()
              + "; raise evtx.max-template-depth if such records are expected");
    }
    c.u8("template instance token");
    c.u8("template instance flags");
    c.u32("template id");
    long definition = c.u32("template definition offset");
    Template template;
    if (definition == c.pos) {
      template = template((int) definition, depth);
      c.pos = template.offset + TEMPLATE_HEADER_SIZE + template.dataSize;
      if (c.pos > c.end) {
        throw new BadEvtxException("an inline template definition runs past its fragment");
      }
    } else {
      if (definition >= length) {
        throw new BadEvtxException(
            "a template instance refers to a definition at chunk offset "
                + definition
                + ", outside the chunk of "
                + length);
      }
      template = template((int) definition, depth);
    }
    long count = c.u32("substitution count");
    if (count > limits.maxSubstitutions()) {
      throw new BadEvtxException(
          "a template instance declares "
              + count
              + " substitution values, over the limit of "
              + limits.maxSubstitutions()
              + "; raise evtx.max-substitutions if such records are expected");
    }
    int n = (int) count;
    c.need(4 * n, "substitution descriptors");
    int[] sizes = new int[n];
    int[] types = new int[n];
    for (int i = 0; i < n; i++) {
      sizes[i] = c.u16("substitution size");
      types[i] = c.u8("substitution type");
      c.u8("substitution padding");
    }
    List<XmlNode> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      c.need(sizes[i], "substitution value " + i);
      values.add(decodeValue(types[i], c.pos, sizes[i], depth));
      c.pos += sizes[i];
    }
    List<Element> resolved = resolve(template.root, values, depth);
    return resolved.isEmpty() ? null : resolved.get(0);
  }

  private Template template(int offset, int depth) {
    Template cached = templates.get(offset);
    if (cached != null) {
      return cached;
    }
    // Definition: next-definition offset (4), GUID (16), data size (4), then a BinXML fragment.
    if (offset < 0 || offset > length - TEMPLATE_HEADER_SIZE) {
      throw new BadEvtxException(
          "a template definition at chunk offset " + offset + " runs past the chunk");
    }
    long dataSize = Values.u32(data, offset + 20);
    int bodyStart = offset + TEMPLATE_HEADER_SIZE;
    if (dataSize > length - bodyStart) {
      throw new BadEvtxException(
          "the template definition at chunk offset "
              + offset
              + " declares "
              + dataSize
              + " bytes, past the end of the chunk");
    }
    Cursor body = new Cursor(bodyStart, bodyStart + (int) dataSize);
    Element root = null;
    while (body.pos < body.end && root == null) {
      int t = body.peek();
      if (t == FRAGMENT_HEADER) {
        body.pos += 4;
      } else if (t == OPEN_START_ELEMENT || t == (OPEN_START_ELEMENT | MORE_BIT)) {
        root = readElement(body, depth + 1, 0);
      } else if (t == TEMPLATE_INSTANCE) {
        root = readTemplateInstance(body, depth + 1);
      } else {
        throw new BadEvtxException(
            String.format(
                Locale.ROOT,
                "the template definition at chunk offset %d starts with token 0x%02x, not an"
                    + " element",
                offset,
                t));
      }
    }
    if (root == null) {
      throw new BadEvtxException(
          "the template definition at chunk offset " + offset + " holds no element");
    }
    Template template = new Template(offset, (int) dataSize, root);
    templates.put(offset, template);
    return template;
  }

  /** Decodes one substitution value into a node, or null when it is empty (and so omitted). */
  private XmlNode decodeValue(int type, int off, int size, int depth) {
    if (size == 0 && type != Values.BINXML) {
      return null;
    }
    if ((type & Values.ARRAY) != 0) {
      EvtxValue v = Values.array(type, data, off, size);
      if (v instanceof EvtxValue.Array a && a.items().isEmpty()) {
        return null;
      }
      return new XmlNode.Value(v);
    }
    return switch (type) {
      case Values.NULL -> null;
      case Values.STRING -> {
        String s = Values.utf16(data, off, size);
        yield s.isEmpty() ? null : new XmlNode.Text(s);
      }
      case Values.ANSI_STRING -> {
        String s = Values.ansi(data, off, size);
        yield s.isEmpty() ? null : new XmlNode.Text(s);
      }
      case Values.BINXML -> {
        if (size == 0) {
          yield null;
        }
        Element e = parseFragment(new Cursor(off, off + size), depth + 1, List.of());
        yield e;
      }
      default -> new XmlNode.Value(Values.scalar(type, data, off, size));
    };
  }

  /**
   * Copies a template body with its placeholders replaced by the instance's values. Empty values
   * vanish (and attributes left with no value vanish with them); an element holding an array value
   * of several items is repeated once per item, as the format specifies.
   */
  private List<Element> resolve(Element e, List<XmlNode> values, int depth) {
    spend(1);
    if (isConstant(e)) {
      return List.of(e);
    }
    List<Attribute> attributes = new ArrayList<>(e.attributes().size());
    for (Attribute a : e.attributes()) {
      List<XmlNode> value = new ArrayList<>(a.value().size());
      for (XmlNode node : a.value()) {
        resolveNode(node, values, depth, value);
      }
      if (!value.isEmpty()) {
        attributes.add(new Attribute(a.name(), value));
      }
    }
    List<XmlNode> children = new ArrayList<>(e.children().size());
    for (XmlNode node : e.children()) {
      resolveNode(node, values, depth, children);
    }
    Element resolved = new Element(e.name(), attributes, children);
    return expandArrays(resolved);
  }

  private boolean isConstant(Element e) {
    Boolean known = constant.get(e);
    if (known != null) {
      return known;
    }
    boolean result = true;
    for (Attribute a : e.attributes()) {
      for (XmlNode node : a.value()) {
        if (node instanceof XmlNode.Substitution || isExpandable(node)) {
          result = false;
        }
      }
    }
    for (XmlNode node : e.children()) {
      if (node instanceof XmlNode.Substitution
          || isExpandable(node)
          || (node instanceof Element child && !isConstant(child))) {
        result = false;
      }
    }
    constant.put(e, result);
    return result;
  }

  private void resolveNode(XmlNode node, List<XmlNode> values, int depth, List<XmlNode> out) {
    switch (node) {
      case XmlNode.Substitution s -> {
        if (s.index() < values.size()) {
          XmlNode value = values.get(s.index());
          if (value != null) {
            out.add(value);
          }
        }
      }
      case Element child -> out.addAll(resolve(child, values, depth));
      default -> out.add(node);
    }
  }

  private List<Element> expandArrays(Element e) {
    int found = -1;
    boolean inAttribute = false;
    int attributeIndex = -1;
    List<XmlNode> children = e.children();
    for (int i = 0; i < children.size() && found < 0; i++) {
      if (isExpandable(children.get(i))) {
        found = i;
      }
    }
    for (int a = 0; a < e.attributes().size() && found < 0; a++) {
      List<XmlNode> value = e.attributes().get(a).value();
      for (int i = 0; i < value.size(); i++) {
        if (isExpandable(value.get(i))) {
          found = i;
          inAttribute = true;
          attributeIndex = a;
          break;
        }
      }
    }
    if (found < 0) {
      return List.of(e);
    }
    List<XmlNode> where = inAttribute ? e.attributes().get(attributeIndex).value() : children;
    EvtxValue.Array array = (EvtxValue.Array) ((XmlNode.Value) where.get(found)).value();
    spend(array.items().size());
    List<Element> out = new ArrayList<>(array.items().size());
    for (EvtxValue item : array.items()) {
      XmlNode replacement;
      if (array.strings()) {
        String s = item.text();
        replacement = s.isEmpty() ? null : new XmlNode.Text(s);
      } else {
        replacement = new XmlNode.Value(item);
      }
      List<Attribute> attributes = new ArrayList<>(e.attributes().size());
      for (int a = 0; a < e.attributes().size(); a++) {
        Attribute attribute = e.attributes().get(a);
        if (inAttribute && a == attributeIndex) {
          List<XmlNode> value = replaced(attribute.value(), found, replacement);
          if (!value.isEmpty()) {
            attributes.add(new Attribute(attribute.name(), value));
          }
        } else {
          attributes.add(attribute);
        }
      }
      List<XmlNode> newChildren = inAttribute ? children : replaced(children, found, replacement);
      out.addAll(expandArrays(new Element(e.name(), attributes, newChildren)));
    }
    return out;
  }

  private static boolean isExpandable(XmlNode node) {
    return node instanceof XmlNode.Value v
        && v.value() instanceof EvtxValue.Array a
        && a.items().size() > 1;
  }

  private static List<XmlNode> replaced(List<XmlNode> nodes, int index, XmlNode replacement) {
    List<XmlNode> copy = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      if (i != index) {
        copy.add(nodes.get(i));
      } else if (replacement != null) {
        copy.add(replacement);
      }
    }
    return copy;
  }
}
