package io.vigil.ingest.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Zeek's tab-separated logs: the {@code #separator}, {@code #set_separator}, {@code #empty_field},
 * {@code #unset_field}, {@code #path}, {@code #fields} and {@code #types} header lines (they may
 * come again mid-file, for a new log), then one record per line.
 *
 * <p>An event is the object Zeek's JSON writer would give for the record: field names exactly as in
 * {@code #fields} ({@code id.orig_h} …), values typed by {@code #types} ({@code count}, {@code
 * int}, {@code port} as numbers, {@code time} and {@code interval} as seconds with a fraction,
 * {@code double}, {@code bool}, {@code set[…]} and {@code vector[…]} as arrays), unset fields left
 * out, {@code \xhh} escapes decoded, and {@code _path} from {@code #path}; plus {@code
 * event.original}, the line. The ECS fields ({@code @timestamp} from {@code ts}, {@code source.ip},
 * {@code destination.port}, {@code event.dataset} {@code zeek.PATH} and those of each log) are
 * added by {@code LogReader} with the same Zeek normalizer as Zeek JSON gets, so both forms give
 * the same events.
 */
public final class ZeekTsvDecoder implements TextDecoder {
  private String separator = "\t";
  private String setSeparator = ",";
  private String emptyField = "(empty)";
  private String unsetField = "-";
  private String path;
  private String[] fields;
  private String[] types;

  @Override
  public void line(String line, long number, Output out) throws BadLineException {
    if (line.startsWith("#")) {
      directive(line);
      return;
    }
    if (fields == null) {
      throw new BadLineException(
          "a Zeek log line before the #fields header; a Zeek TSV file starts with #separator and"
              + " #fields lines");
    }
    String[] values = split(line, separator);
    if (values.length != fields.length) {
      throw new BadLineException(
          "a Zeek log line with "
              + values.length
              + " values where #fields names "
              + fields.length
              + ": \""
              + Text.clip(line, 60)
              + "\"");
    }
    EcsJson json = new EcsJson();
    json.field("_path", path);
    for (int i = 0; i < fields.length; i++) {
      String v = values[i];
      if (v.equals(unsetField)) {
        continue;
      }
      String type = types != null && i < types.length ? types[i] : "string";
      Object value = typed(type, v, fields[i]);
      json.field(fields[i], value);
    }
    json.set("event.original", line);
    out.event(json.toJson(), number);
  }

  private Object typed(String type, String v, String field) throws BadLineException {
    if (type.startsWith("set[") || type.startsWith("vector[")) {
      List<Object> items = new ArrayList<>();
      if (!v.equals(emptyField)) {
        String inner = type.substring(type.indexOf('[') + 1, type.length() - 1);
        for (String item : split(v, setSeparator)) {
          items.add(item.equals(unsetField) ? null : typed(inner, item, field));
        }
      }
      return items;
    }
    if (v.equals(emptyField)) {
      return "";
    }
    switch (type) {
      case "count", "int", "port" -> {
        Long n = Text.integer(v);
        if (n == null) {
          throw new BadLineException(
              "Zeek field " + field + " is a " + type + " but holds \"" + Text.clip(v, 30) + "\"");
        }
        return n;
      }
      case "time", "interval", "double" -> {
        try {
          return Double.parseDouble(v);
        } catch (NumberFormatException e) {
          throw new BadLineException(
              "Zeek field " + field + " is a " + type + " but holds \"" + Text.clip(v, 30) + "\"");
        }
      }
      case "bool" -> {
        if (v.equals("T") || v.equals("F")) {
          return v.equals("T");
        }
        throw new BadLineException(
            "Zeek field " + field + " is a bool (T or F) but holds \"" + Text.clip(v, 30) + "\"");
      }
      default -> {
        return unescape(v);
      }
    }
  }

  private void directive(String line) throws BadLineException {
    if (line.startsWith("#separator")) {
      String v = line.substring(10).trim();
      separator = unescape(v);
      if (separator.isEmpty()) {
        separator = "\t";
      }
      return;
    }
    int tab = line.indexOf(separator);
    if (tab < 0) {
      return; // a comment
    }
    String name = line.substring(1, tab);
    String rest = line.substring(tab + separator.length());
    switch (name) {
      case "set_separator" -> setSeparator = unescape(rest);
      case "empty_field" -> emptyField = rest;
      case "unset_field" -> unsetField = rest;
      case "path" -> path = rest;
      case "fields" -> {
        fields = split(rest, separator);
        types = null;
      }
      case "types" -> {
        types = split(rest, separator);
        if (fields != null && types.length != fields.length) {
          String[] t = types;
          types = null;
          throw new BadLineException(
              "#types names " + t.length + " types for " + fields.length + " #fields");
        }
      }
      default -> {
        // #open, #close and comments
      }
    }
    if (setSeparator.isEmpty()) {
      setSeparator = ",";
    }
  }

  private static String[] split(String s, String sep) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int i;
    while ((i = s.indexOf(sep, start)) >= 0) {
      out.add(s.substring(start, i));
      start = i + sep.length();
    }
    out.add(s.substring(start));
    return out.toArray(new String[0]);
  }

  /** Zeek's {@code \xhh} escapes. */
  static String unescape(String v) {
    if (v.indexOf("\\x") < 0) {
      return v;
    }
    StringBuilder out = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\\'
          && i + 3 < v.length()
          && v.charAt(i + 1) == 'x'
          && Character.digit(v.charAt(i + 2), 16) >= 0
          && Character.digit(v.charAt(i + 3), 16) >= 0) {
        out.append((char) Integer.parseInt(v.substring(i + 2, i + 4), 16));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
