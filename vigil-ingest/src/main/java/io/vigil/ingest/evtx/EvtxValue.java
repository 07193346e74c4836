package io.vigil.ingest.evtx;

import java.util.List;

/**
 * A typed BinXML value other than a plain string, already decoded. Numbers and booleans become JSON
 * numbers and booleans; everything else is text in the form {@code evtx_dump} prints it.
 */
sealed interface EvtxValue {

  /** The value as text, as it appears inside a longer string. */
  String text();

  /**
   * An integer of any width; {@code unsigned} for a uint64 that may pass {@link Long#MAX_VALUE}.
   */
  record Num(long value, boolean unsigned) implements EvtxValue {
    @Override
    public String text() {
      return unsigned ? Long.toUnsignedString(value) : Long.toString(value);
    }
  }

  /** A boolean (BinXML stores 32 bits; any non-zero value is true). */
  record Bool(boolean value) implements EvtxValue {
    @Override
    public String text() {
      return value ? "true" : "false";
    }
  }

  /**
   * Text formatted from a typed value: a real number, GUID, SID, time, hex integer or binary.
   * {@code evtx_dump} prints these as JSON strings, so they stay strings here too.
   */
  record Formatted(String text) implements EvtxValue {}

  /**
   * An array value; {@code strings} when its items came from a string or ANSI string array (they
   * become text when the array is expanded into repeated elements).
   */
  record Array(List<EvtxValue> items, boolean strings) implements EvtxValue {
    public Array {
      items = List.copyOf(items);
    }

    @Override
    public String text() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(items.get(i).text());
      }
      return sb.toString();
    }
  }
}
