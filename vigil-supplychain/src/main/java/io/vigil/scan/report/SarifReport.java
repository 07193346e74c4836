package io.vigil.scan.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.scan.Finding;
import io.vigil.scan.PackageReport;
import io.vigil.scan.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes scan results as SARIF 2.1.0: one run, one rule per finding type, one result per finding
 * with its location as {@code <package path>/<file inside the package>} and the line.
 */
public final class SarifReport {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

  private SarifReport() {}

  public static void write(List<PackageReport> reports, String toolVersion, OutputStream out)
      throws IOException {
    Map<String, Finding> rules = new LinkedHashMap<>();
    for (PackageReport r : reports) {
      for (Finding f : r.findings()) {
        rules.putIfAbsent(f.type(), f);
      }
    }
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("$schema", SCHEMA);
      g.writeStringField("version", "2.1.0");
      g.writeArrayFieldStart("runs");
      g.writeStartObject();
      g.writeObjectFieldStart("tool");
      g.writeObjectFieldStart("driver");
      g.writeStringField("name", "vigil-scan");
      g.writeStringField("version", toolVersion);
      g.writeStringField(
          "informationUri", "https://github.com/vigil/vigil/blob/main/docs/SCANNER.md");
      g.writeArrayFieldStart("rules");
      for (Finding f : rules.values()) {
        g.writeStartObject();
        g.writeStringField("id", f.type());
        g.writeObjectFieldStart("shortDescription");
        g.writeStringField("text", f.type());
        g.writeEndObject();
        g.writeObjectFieldStart("fullDescription");
        g.writeStringField("text", f.why());
        g.writeEndObject();
        g.writeObjectFieldStart("defaultConfiguration");
        g.writeStringField("level", level(f.severity()));
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndObject();
      g.writeArrayFieldStart("results");
      for (PackageReport r : reports) {
        for (Finding f : r.findings()) {
          g.writeStartObject();
          g.writeStringField("ruleId", f.type());
          g.writeStringField("level", level(f.severity()));
          g.writeObjectFieldStart("message");
          g.writeStringField(
              "text",
              r.name()
                  + (r.version().isEmpty() ? "" : "@" + r.version())
                  + " ("
                  + r.verdict().label()
                  + "): "
                  + f.evidence()
                  + " — "
                  + f.why());
          g.writeEndObject();
          g.writeArrayFieldStart("locations");
          g.writeStartObject();
          g.writeObjectFieldStart("physicalLocation");
          g.writeObjectFieldStart("artifactLocation");
          String uri = r.path().replace('\\', '/');
          g.writeStringField("uri", f.file().isEmpty() ? uri : uri + "/" + f.file());
          g.writeEndObject();
          g.writeObjectFieldStart("region");
          g.writeNumberField("startLine", Math.max(1, f.line()));
          g.writeEndObject();
          g.writeEndObject();
          g.writeEndObject();
          g.writeEndArray();
          g.writeObjectFieldStart("properties");
          g.writeStringField("severity", f.severity().name());
          g.writeStringField("category", f.category().name());
          g.writeStringField("package", r.name());
          g.writeStringField("verdict", r.verdict().label());
          g.writeEndObject();
          g.writeEndObject();
        }
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  /** SARIF levels: error for high and critical, warning for medium, note below. */
  static String level(Severity s) {
    return switch (s) {
      case CRITICAL, HIGH -> "error";
      case MEDIUM -> "warning";
      case LOW, INFO -> "note";
    };
  }
}
