package io.vigil.ingest.evtx;

import java.util.List;

/**
 * One node of the XML tree that BinXML describes. Template bodies hold {@link Substitution}
 * placeholders; the tree of a record, after its template is instantiated, holds none.
 */
sealed interface XmlNode {

  /** An element with its attributes (each a list of value nodes) and its children. */
  record Element(String name, List<Attribute> attributes, List<XmlNode> children)
      implements XmlNode {
    boolean hasElementChild() {
      for (XmlNode child : children) {
        if (child instanceof Element) {
          return true;
        }
      }
      return false;
    }
  }

  /** An attribute; its value is a list of text and value nodes. */
  record Attribute(String name, List<XmlNode> value) {}

  /** Character data: literal text in the template, or a string value. */
  record Text(String text) implements XmlNode {}

  /** A CDATA section. */
  record CData(String text) implements XmlNode {}

  /** A typed, non-string value from a substitution. */
  record Value(EvtxValue value) implements XmlNode {}

  /** A character reference ({@code &#65;}). */
  record CharRef(int code) implements XmlNode {}

  /** An entity reference ({@code &amp;}). */
  record EntityRef(String name) implements XmlNode {}

  /** A processing instruction; not rendered into events. */
  record ProcessingInstruction(String target, String data) implements XmlNode {}

  /** A placeholder in a template body for the instance's value number {@code index}. */
  record Substitution(int index, int type, boolean optional) implements XmlNode {}
}
