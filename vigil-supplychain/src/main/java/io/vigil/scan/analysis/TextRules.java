package io.vigil.scan.analysis;

import com.google.re2j.Pattern;
import io.vigil.scan.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The catalog of line-level signals, loaded from {@code text-rules.yaml} beside this class: each
 * rule names a finding type, the capability it shows, the languages it applies to, literal anchors
 * (found in one case-insensitive pass) and a linear-time RE2 pattern checked in a window around
 * each anchor. Rules describe behaviour, never a particular package.
 */
final class TextRules {
  private TextRules() {}

  /** One rule; {@code pattern} null means the anchor alone is the signal. */
  record Rule(
      String type,
      Capability capability,
      Severity severity,
      Set<Lang> langs,
      List<String> anchors,
      Pattern pattern,
      String why) {}

  static final List<Rule> RULES = load();

  private static List<Rule> load() {
    String resource = "text-rules.yaml";
    try (InputStream in = TextRules.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      Object doc =
          new Load(LoadSettings.builder().setLabel(resource).build()).loadFromInputStream(in);
      List<Rule> rules = new ArrayList<>();
      int index = 0;
      for (Object o : (List<?>) doc) {
        index++;
        rules.add(rule(resource, index, (Map<?, ?>) o));
      }
      return List.copyOf(rules);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Rule rule(String resource, int index, Map<?, ?> m) {
    String where = resource + " rule #" + index + " (" + m.get("type") + ")";
    try {
      Set<Lang> langs = EnumSet.noneOf(Lang.class);
      for (Object l : (List<?>) m.get("langs")) {
        langs.add(Lang.valueOf(l.toString()));
      }
      List<String> anchors = new ArrayList<>();
      if (m.get("anchors") instanceof List<?> list) {
        for (Object a : list) {
          anchors.add(a.toString().toLowerCase(Locale.ROOT));
        }
      }
      if (m.get("quoted") instanceof List<?> list) {
        for (Object a : list) {
          anchors.add("'" + a.toString().toLowerCase(Locale.ROOT) + "'");
          anchors.add("\"" + a.toString().toLowerCase(Locale.ROOT) + "\"");
        }
      }
      if (anchors.isEmpty()) {
        throw new IllegalArgumentException("no anchors");
      }
      Object p = m.get("pattern");
      return new Rule(
          m.get("type").toString(),
          Capability.valueOf(m.get("capability").toString()),
          Severity.valueOf(m.get("severity").toString()),
          langs,
          List.copyOf(anchors),
          p == null ? null : Pattern.compile(p.toString()),
          m.get("why").toString());
    } catch (RuntimeException e) {
      throw new IllegalStateException(where + ": " + e.getMessage(), e);
    }
  }
}
