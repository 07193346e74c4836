package io.vigil.ingest.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.event.Event;
import io.vigil.testing.SharedData;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The benign Security, System and Sysmon logs must give the events of their JSON-lines export in
 * benign-json/, record by record and field by field.
 *
 * <p>That export was made with python-evtx, whose rendering differs from evtx_dump's (which this
 * reader follows) in ways that say nothing about the data. Both sides are brought to one form by
 * these rules, and only by these:
 *
 * <ol>
 *   <li>Values are compared as text: python-evtx prints attribute numbers as strings.
 *   <li>GUIDs: braces dropped, upper case ({@code {54849625-…}} vs {@code 54849625-…}).
 *   <li>Times: {@code 2016-07-08 18:12:51.681641} vs {@code 2016-07-08T18:12:51.681640Z}. Beyond
 *       the format, python-evtx divides the FILETIME tick count as a float (whose precision at
 *       1.3e16 µs is 2 µs) where evtx_dump truncates exactly; times are compared as microseconds
 *       since the epoch and may differ by up to 4.
 *   <li>Line ends: the export went through an XML parser, which turns CR LF into LF.
 *   <li>Namespace declarations: python-evtx drops {@code xmlns} and {@code xmlns:*} attributes.
 *   <li>Hex integers: leading zeros dropped ({@code 0x0000000000000004} vs {@code 0x4}).
 *   <li>Binary values: python-evtx prints base64, evtx_dump upper-case hex; base64 is decoded.
 *   <li>Empty values: python-evtx keeps an attribute whose optional substitution is empty as {@code
 *       ""} and an empty element as {@code ""} or null; evtx_dump drops the attribute. Empty
 *       strings, nulls and empty objects are dropped on both sides.
 *   <li>Attributes of an element that also has text or child elements: python-evtx's export drops
 *       them ({@code "EventID": 6009}, and {@code <EventData Name="…">}), evtx_dump keeps them
 *       ({@code "EventID": {"#attributes": {"Qualifiers": 16384}, "#text": 6009}}); {@code #text}
 *       is dropped from paths and such attributes are ignored.
 *   <li>Booleans: python-evtx prints {@code True}/{@code False}; compared without case.
 *   <li>Whitespace and control characters: the export went through an XML parser that strips the
 *       text of elements and cannot hold control characters; values are stripped, control
 *       characters other than tab and line feed removed, CR LF turned into LF.
 *   <li>String arrays (the unnamed {@code <Data>} of classic events such as EventLog 6013):
 *       python-evtx 0.6.1 splits them wrongly: it echoes the tail of an item as an item of its own
 *       and loses the empty ones ({@code 249221, "", 221, 60, …} where the record holds four empty
 *       strings, then {@code 249221, 60, …}; evtx_dump and this reader agree on the latter). The
 *       distinct non-empty items of the record must all be in the export, and every extra item of
 *       the export must be the end of another item.
 * </ol>
 *
 * <p>Beyond these rules, every value of every record must be equal.
 */
class EvtxBenignLogsTest {
  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0b-\\x1f]");
  private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]+");
  private static final Pattern GUID =
      Pattern.compile(
          "\\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\}?");
  private static final Pattern TIME =
      Pattern.compile("(\\d{4}-\\d\\d-\\d\\d)[ T](\\d\\d:\\d\\d:\\d\\d)(\\.\\d+)?Z?");
  private static final Pattern BASE64 =
      Pattern.compile("(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

  @ParameterizedTest
  @ValueSource(strings = {"security", "system", "sysmon"})
  void read_benignLog_matchesJsonLinesExport(String name) throws Exception {
    Path evtx = SharedData.require("datasets/windows/evtx-parser-fixtures/" + name + ".evtx");
    Path jsonl = SharedData.require("datasets/windows/benign-json/" + name + ".jsonl");
    List<JsonNode> expected = EvtxJson.readAll(jsonl);
    EvtxSamples.Result result = EvtxSamples.read(evtx);

    assertThat(result.events()).hasSize(expected.size());
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      Event event = result.events().get(i);
      Map<String, List<String>> want = normalize(EvtxJson.flatten(expected.get(i)), true);
      Map<String, List<String>> got = normalize(EvtxJson.flatten(event), false);
      String diff = diff(want, got);
      if (!diff.isEmpty()) {
        mismatches.add("record " + event.index() + ": " + diff);
      }
    }
    assertThat(mismatches).as("events that differ (%d)", mismatches.size()).isEmpty();
  }

  private static Map<String, List<String>> normalize(
      Map<String, List<String>> fields, boolean python) {
    Map<String, List<String>> byPath = new TreeMap<>();
    fields.forEach(
        (path, values) ->
            byPath.put(
                path.endsWith(".#text") ? path.substring(0, path.length() - 6) : path, values));
    Set<String> contentOwners = new HashSet<>();
    for (String path : byPath.keySet()) {
      if (!path.contains(".#attributes.")) {
        for (int dot = path.length(); dot > 0; dot = path.lastIndexOf('.', dot - 1)) {
          contentOwners.add(path.substring(0, dot));
        }
      }
    }
    Map<String, List<String>> out = new TreeMap<>();
    byPath.forEach(
        (p, values) -> {
          int attributes = p.indexOf(".#attributes.");
          if (attributes > 0) {
            String element = p.substring(0, attributes);
            if (p.substring(attributes + 13).startsWith("xmlns")) {
              return; // namespace declarations
            }
            if (contentOwners.contains(element)) {
              return; // attributes beside text or children
            }
          }
          List<String> items = new ArrayList<>();
          for (String typed : values) {
            String v = typed.equals("null") ? "" : typed.substring(2);
            if (python && v.startsWith("<string>")) {
              for (String item : v.split("\n")) {
                items.add(value(item.replace("<string>", "").replace("</string>", "")));
              }
            } else {
              items.add(value(v));
            }
          }
          items.removeIf(String::isEmpty);
          if (p.endsWith(".data")) {
            items = new ArrayList<>(new TreeSet<>(items));
          }
          if (!items.isEmpty()) {
            out.put(p, items);
          }
        });
    return out;
  }

  private static String value(String text) {
    String v = CONTROL.matcher(text.replace("\r\n", "\n")).replaceAll("").strip();
    if (v.equals("True") || v.equals("False")) {
      return v.toLowerCase(Locale.ROOT);
    }
    if (HEX.matcher(v).matches() && v.length() <= 18) {
      return "0x" + Long.toHexString(Long.parseUnsignedLong(v.substring(2), 16));
    }
    if (GUID.matcher(v).matches()) {
      return v.replace("{", "").replace("}", "").toUpperCase(Locale.ROOT);
    }
    var time = TIME.matcher(v);
    if (time.matches()) {
      String fraction = time.group(3) == null ? "" : time.group(3);
      LocalDateTime t = LocalDateTime.parse(time.group(1) + "T" + time.group(2) + fraction);
      long micros = t.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + t.getNano() / 1000;
      return "time:" + micros;
    }
    return v;
  }

  /** The differences between two normalized events, empty when they are the same. */
  private static String diff(Map<String, List<String>> want, Map<String, List<String>> got) {
    StringBuilder sb = new StringBuilder();
    Set<String> keys = new TreeSet<>(want.keySet());
    keys.addAll(got.keySet());
    for (String key : keys) {
      List<String> w = want.getOrDefault(key, List.of());
      List<String> g = got.getOrDefault(key, List.of());
      boolean same;
      if (key.endsWith(".data")) {
        same =
            w.containsAll(g)
                && w.stream()
                    .allMatch(
                        item ->
                            g.contains(item)
                                || w.stream()
                                    .anyMatch(o -> o.length() > item.length() && o.endsWith(item)));
      } else {
        same = w.size() == g.size();
        for (int i = 0; same && i < w.size(); i++) {
          same = sameValue(w.get(i), g.get(i));
        }
      }
      if (!same) {
        sb.append("\n  ")
            .append(key)
            .append(": want ")
            .append(w.stream().map(EvtxBenignLogsTest::visible).toList())
            .append(", got ")
            .append(g.stream().map(EvtxBenignLogsTest::visible).toList());
      }
    }
    return sb.toString();
  }

  private static String visible(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints()
        .forEach(
            c -> {
              if (c < 0x20 || c > 0x7e) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", c));
              } else {
                sb.appendCodePoint(c);
              }
            });
    return sb.toString();
  }

  private static boolean sameValue(String python, String ours) {
    if (python.equals(ours)) {
      return true;
    }
    if (python.startsWith("time:") && ours.startsWith("time:")) {
      return Math.abs(Long.parseLong(python.substring(5)) - Long.parseLong(ours.substring(5))) <= 4;
    }
    if (BASE64.matcher(python).matches()) {
      return HexFormat.of()
          .withUpperCase()
          .formatHex(Base64.getDecoder().decode(python))
          .equals(ours);
    }
    return false;
  }
}
