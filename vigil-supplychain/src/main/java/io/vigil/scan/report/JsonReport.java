package io.vigil.scan.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.scan.Finding;
import io.vigil.scan.PackageReport;
import io.vigil.scan.ScoreCategory;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;

/**
 * Writes scan results as JSON: {@code {"packages":[{"path","ecosystem","name","version","verdict",
 * "scores":{…},"reasons":[…],"findings":[…]}],"errors":[…]}}.
 */
public final class JsonReport {
  private JsonReport() {}

  public static void write(List<PackageReport> reports, List<String> errors, OutputStream out)
      throws IOException {
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeArrayFieldStart("packages");
      for (PackageReport r : reports) {
        g.writeStartObject();
        g.writeStringField("path", r.path());
        g.writeStringField("ecosystem", r.ecosystem().osvName());
        g.writeStringField("name", r.name());
        g.writeStringField("version", r.version());
        g.writeStringField("verdict", r.verdict().label());
        g.writeObjectFieldStart("scores");
        for (ScoreCategory c : ScoreCategory.values()) {
          g.writeNumberField(key(c), r.scores().getOrDefault(c, 100));
        }
        g.writeEndObject();
        g.writeArrayFieldStart("reasons");
        for (String s : r.reasons()) {
          g.writeString(s);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("findings");
        for (Finding f : r.findings()) {
          g.writeStartObject();
          g.writeStringField("type", f.type());
          g.writeStringField("category", key(f.category()));
          g.writeStringField("severity", f.severity().name().toLowerCase(Locale.ROOT));
          g.writeStringField("file", f.file());
          g.writeNumberField("line", f.line());
          g.writeStringField("evidence", f.evidence());
          g.writeStringField("why", f.why());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("errors");
      for (String e : errors) {
        g.writeString(e);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  /** The JSON key of a score category: {@code supplyChain}, {@code quality}, … */
  static String key(ScoreCategory c) {
    String[] parts = c.name().toLowerCase(Locale.ROOT).split("_");
    StringBuilder b = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      b.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
    }
    return b.toString();
  }
}
