package io.vigil.scan.osv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.scan.Ecosystem;
import io.vigil.scan.Severity;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns OSV JSON records into {@link Advisory} values, and advisories to and from Vigil's store.
 */
final class OsvRecords {
  static final int MAX_WHY_CHARS = 400;

  private OsvRecords() {}

  /** Why a raw record was not imported. */
  static final class BadRecord extends Exception {
    BadRecord(String message) {
      super(message);
    }
  }

  /** The outcome of reading one raw record. */
  record Parsed(List<Advisory> advisories, boolean withdrawn, String note) {}

  /**
   * Reads one OSV record. {@code fallbackId} (the file name) is used, with a note, when the record
   * has no {@code id}. Affected entries of ecosystems Vigil does not scan are left out.
   */
  static Parsed parse(JsonNode root, String fallbackId) throws BadRecord {
    if (!root.isObject()) {
      throw new BadRecord("expected a JSON object (an OSV record), found " + root.getNodeType());
    }
    String note = "";
    String id = root.path("id").asText("").trim();
    if (id.isEmpty()) {
      if (fallbackId.isEmpty()) {
        throw new BadRecord("the record has no \"id\"");
      }
      id = fallbackId;
      note = "the record has no \"id\"; imported as " + id + " (from the file name)";
    }
    if (!root.path("withdrawn").asText("").isEmpty()) {
      return new Parsed(List.of(), true, note);
    }
    JsonNode affected = root.path("affected");
    if (!affected.isArray()) {
      throw new BadRecord("\"affected\" is missing or not a list (record " + id + ")");
    }
    List<String> aliases = new ArrayList<>();
    for (JsonNode a : root.path("aliases")) {
      if (a.isTextual()) {
        aliases.add(a.asText());
      }
    }
    boolean malicious =
        id.startsWith("MAL-") || aliases.stream().anyMatch(a -> a.startsWith("MAL-"));
    AdvisoryKind kind = malicious ? AdvisoryKind.MALICIOUS : AdvisoryKind.VULNERABILITY;
    String summary = oneLine(root.path("summary").asText(""));
    String why = why(kind, id, summary, root.path("details").asText(""));
    Map<Ecosystem, List<Advisory.Affected>> byEco = new EnumMap<>(Ecosystem.class);
    Severity recordSeverity = malicious ? Severity.CRITICAL : severity(root, null);
    Severity best = null;
    int index = 0;
    for (JsonNode a : affected) {
      index++;
      JsonNode pkg = a.path("package");
      String ecoName = pkg.path("ecosystem").asText("");
      int colon = ecoName.indexOf(':');
      Optional<Ecosystem> eco =
          Ecosystem.fromOsv(colon > 0 ? ecoName.substring(0, colon) : ecoName);
      if (eco.isEmpty()) {
        continue;
      }
      String name = pkg.path("name").asText("").trim();
      if (name.isEmpty()) {
        throw new BadRecord(
            "affected[" + (index - 1) + "].package.name is missing (record " + id + ")");
      }
      Set<String> versions = new LinkedHashSet<>();
      for (JsonNode v : a.path("versions")) {
        if (v.isTextual() && !v.asText().isBlank()) {
          versions.add(v.asText().trim());
        }
      }
      List<Advisory.Range> ranges = new ArrayList<>();
      for (JsonNode r : a.path("ranges")) {
        String type = r.path("type").asText("");
        if (!type.equals("SEMVER") && !type.equals("ECOSYSTEM")) {
          continue;
        }
        List<Advisory.Event> events = new ArrayList<>();
        for (JsonNode e : r.path("events")) {
          for (String k : List.of("introduced", "fixed", "last_affected", "limit")) {
            if (e.path(k).isTextual()) {
              events.add(new Advisory.Event(k, e.path(k).asText().trim()));
            }
          }
        }
        boolean bounded =
            events.stream()
                .anyMatch(e -> e.kind().equals("fixed") || e.kind().equals("last_affected"));
        if (!bounded) {
          // older GitHub exports keep the upper bound beside the range: "<= 29.0" or "< 2.0"
          String last =
              a.path("database_specific").path("last_known_affected_version_range").asText("");
          Advisory.Event bound = upperBound(last);
          if (bound != null) {
            events.add(bound);
          }
        }
        if (events.isEmpty()) {
          throw new BadRecord(
              "affected["
                  + (index - 1)
                  + "].ranges has a "
                  + type
                  + " range with no events (record "
                  + id
                  + ")");
        }
        ranges.add(new Advisory.Range(type, events));
      }
      if (!malicious) {
        Severity s = severity(root, a);
        if (s != null && (best == null || s.compareTo(best) > 0)) {
          best = s;
        }
      }
      byEco
          .computeIfAbsent(eco.get(), k -> new ArrayList<>())
          .add(new Advisory.Affected(name, versions, ranges));
    }
    Severity sev = malicious ? Severity.CRITICAL : best != null ? best : recordSeverity;
    if (sev == null) {
      sev = Severity.MEDIUM;
    }
    List<Advisory> out = new ArrayList<>();
    for (Map.Entry<Ecosystem, List<Advisory.Affected>> e : byEco.entrySet()) {
      out.add(new Advisory(id, kind, e.getKey(), summary, why, sev, aliases, e.getValue()));
    }
    return new Parsed(out, false, note);
  }

  /** {@code <= 1.2} as last_affected 1.2, {@code < 1.2} as fixed 1.2; null for anything else. */
  static Advisory.Event upperBound(String range) {
    String r = range.trim();
    if (r.startsWith("<=")) {
      String v = r.substring(2).trim();
      return v.isEmpty() || v.contains(" ") ? null : new Advisory.Event("last_affected", v);
    }
    if (r.startsWith("<")) {
      String v = r.substring(1).trim();
      return v.isEmpty() || v.contains(" ") ? null : new Advisory.Event("fixed", v);
    }
    return null;
  }

  /**
   * The record's severity: GitHub's {@code database_specific.severity}, an affected entry's {@code
   * ecosystem_specific.severity}, or the highest CVSS v3 base score; null when none.
   */
  private static Severity severity(JsonNode root, JsonNode affected) {
    Severity s = null;
    if (affected != null) {
      s = word(affected.path("ecosystem_specific").path("severity").asText(""));
      if (s == null) {
        s = word(affected.path("database_specific").path("severity").asText(""));
      }
      if (s == null) {
        s = cvss(affected.path("severity"));
      }
    }
    if (s == null) {
      s = word(root.path("database_specific").path("severity").asText(""));
    }
    if (s == null) {
      s = cvss(root.path("severity"));
    }
    return s;
  }

  private static Severity cvss(JsonNode list) {
    Severity best = null;
    for (JsonNode s : list) {
      Optional<Double> score = Cvss.baseScore(s.path("score").asText(""));
      if (score.isPresent()) {
        Severity sev = Cvss.severity(score.get());
        if (best == null || sev.compareTo(best) > 0) {
          best = sev;
        }
      }
    }
    return best;
  }

  private static Severity word(String w) {
    return switch (w.toUpperCase(Locale.ROOT)) {
      case "CRITICAL" -> Severity.CRITICAL;
      case "HIGH" -> Severity.HIGH;
      case "MODERATE", "MEDIUM" -> Severity.MEDIUM;
      case "LOW" -> Severity.LOW;
      default -> null;
    };
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }

  /**
   * What the record says the package does, without the malicious-packages boilerplate ({@code Per
   * source details}, {@code ## Source:} headers), cut to {@value #MAX_WHY_CHARS} characters at a
   * sentence end when one is near.
   */
  static String why(AdvisoryKind kind, String id, String summary, String details) {
    StringBuilder b = new StringBuilder();
    for (String line : details.split("\n")) {
      String t = line.trim();
      if (t.equals("---")
          || t.startsWith("_-= Per source details")
          || t.startsWith("## Source:")
          || t.isEmpty()) {
        continue;
      }
      if (t.startsWith("#")) {
        t = t.replaceFirst("^#+\\s*", "");
        if (!t.endsWith(".") && !t.endsWith(":")) {
          t = t + ":";
        }
      }
      b.append(b.length() == 0 ? "" : " ").append(t);
    }
    String text = oneLine(b.toString());
    if (text.length() > MAX_WHY_CHARS) {
      int cut = text.lastIndexOf(". ", MAX_WHY_CHARS);
      text =
          cut > MAX_WHY_CHARS / 3
              ? text.substring(0, cut + 1)
              : text.substring(0, MAX_WHY_CHARS) + "…";
    }
    if (text.isEmpty()) {
      text =
          kind == AdvisoryKind.MALICIOUS
              ? (summary.isEmpty() ? "OSV " + id + " lists this release as malicious" : summary)
                  + "; treat any machine that installed it as compromised and rotate its secrets."
              : (summary.isEmpty() ? "See " + id : summary) + ".";
    }
    return text;
  }

  /** The compact store form of one advisory (one JSON line). */
  static ObjectNode toStore(Advisory a) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    o.put("id", a.id());
    o.put("kind", a.kind().name());
    o.put("summary", a.summary());
    o.put("why", a.why());
    o.put("severity", a.severity().name());
    ArrayNode al = o.putArray("aliases");
    a.aliases().forEach(al::add);
    ArrayNode aff = o.putArray("affected");
    for (Advisory.Affected x : a.affected()) {
      ObjectNode n = aff.addObject();
      n.put("name", x.name());
      ArrayNode vs = n.putArray("versions");
      x.versions().stream().sorted().forEach(vs::add);
      ArrayNode rs = n.putArray("ranges");
      for (Advisory.Range r : x.ranges()) {
        ObjectNode rn = rs.addObject();
        rn.put("type", r.type());
        ArrayNode es = rn.putArray("events");
        for (Advisory.Event e : r.events()) {
          es.addObject().put(e.kind(), e.version());
        }
      }
    }
    return o;
  }

  /** Reads the compact store form back. */
  static Advisory fromStore(JsonNode o, Ecosystem ecosystem) throws BadRecord {
    String id = o.path("id").asText("");
    if (id.isEmpty()) {
      throw new BadRecord("a stored advisory has no id");
    }
    AdvisoryKind kind;
    Severity sev;
    try {
      kind = AdvisoryKind.valueOf(o.path("kind").asText(""));
      sev = Severity.valueOf(o.path("severity").asText(""));
    } catch (IllegalArgumentException e) {
      throw new BadRecord("stored advisory " + id + " has an unknown kind or severity");
    }
    List<String> aliases = new ArrayList<>();
    o.path("aliases").forEach(x -> aliases.add(x.asText()));
    List<Advisory.Affected> affected = new ArrayList<>();
    for (JsonNode n : o.path("affected")) {
      Set<String> versions = new LinkedHashSet<>();
      n.path("versions").forEach(v -> versions.add(v.asText()));
      List<Advisory.Range> ranges = new ArrayList<>();
      for (JsonNode r : n.path("ranges")) {
        List<Advisory.Event> events = new ArrayList<>();
        for (JsonNode e : r.path("events")) {
          e.properties()
              .forEach(p -> events.add(new Advisory.Event(p.getKey(), p.getValue().asText())));
        }
        ranges.add(new Advisory.Range(r.path("type").asText(), events));
      }
      affected.add(new Advisory.Affected(n.path("name").asText(), versions, ranges));
    }
    return new Advisory(
        id,
        kind,
        ecosystem,
        o.path("summary").asText(""),
        o.path("why").asText(""),
        sev,
        aliases,
        affected);
  }
}
