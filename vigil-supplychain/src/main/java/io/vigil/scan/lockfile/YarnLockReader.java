package io.vigil.scan.lockfile;

import io.vigil.scan.Ecosystem;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code yarn.lock}: the classic v1 format (entry headers {@code "a@^1", "a@^1.1":} with
 * indented {@code version}, {@code resolved}, {@code integrity}) and Yarn Berry's YAML (entries
 * with {@code resolution: "a@npm:1.2.3"} and {@code version}; workspaces, patches, links and git
 * sources skipped or reported).
 */
final class YarnLockReader {
  private YarnLockReader() {}

  static String read(String content, Collector c) {
    if (content.contains("__metadata:")) {
      readBerry(content, c);
      return "yarn.lock (berry)";
    }
    readClassic(content, c);
    return "yarn.lock v1";
  }

  private static final class Entry {
    int line;
    String header;
    String version = "";
    String resolved = "";
    String integrity = "";
  }

  private static void readClassic(String content, Collector c) {
    String[] lines = content.split("\r?\n", -1);
    Entry cur = null;
    for (int i = 0; i < lines.length; i++) {
      String raw = lines[i];
      int lineNo = i + 1;
      if (raw.isBlank() || raw.stripLeading().startsWith("#")) {
        continue;
      }
      int indent = 0;
      while (indent < raw.length() && raw.charAt(indent) == ' ') {
        indent++;
      }
      String t = raw.trim();
      if (indent == 0) {
        finishClassic(cur, c);
        cur = null;
        if (!t.endsWith(":")) {
          c.error(
              lineNo,
              "expected an entry header ending in ':' like '\"lodash@^4.17.0\":', found '"
                  + shorten(t)
                  + "'");
          continue;
        }
        cur = new Entry();
        cur.line = lineNo;
        cur.header = t.substring(0, t.length() - 1);
      } else if (cur != null && indent == 2) {
        int sp = t.indexOf(' ');
        if (t.endsWith(":")) {
          continue; // a nested block: dependencies, optionalDependencies
        }
        if (sp < 0) {
          c.error(
              lineNo,
              "expected 'field value' (e.g. 'version \"1.0.0\"'), found '" + shorten(t) + "'");
          continue;
        }
        String key = unquote(t.substring(0, sp));
        String value = unquote(t.substring(sp + 1).trim());
        switch (key) {
          case "version" -> cur.version = value;
          case "resolved" -> cur.resolved = value;
          case "integrity" -> cur.integrity = value;
          default -> {}
        }
      } else if (cur == null && indent > 0) {
        c.error(lineNo, "an indented line outside any entry: '" + shorten(t) + "'");
      }
    }
    finishClassic(cur, c);
  }

  private static void finishClassic(Entry e, Collector c) {
    if (e == null) {
      return;
    }
    List<String> specs = new ArrayList<>();
    for (String s : e.header.split(",")) {
      String u = unquote(s.trim());
      if (!u.isEmpty()) {
        specs.add(u);
      }
    }
    if (specs.isEmpty()) {
      c.error(e.line, "the entry header names no package");
      return;
    }
    String spec = specs.get(0);
    String[] nr = splitSpec(spec);
    if (nr == null) {
      c.error(e.line, "expected 'name@range' in the entry header, found '" + shorten(spec) + "'");
      return;
    }
    String name = nr[0];
    String range = nr[1];
    if (range.startsWith("npm:")) {
      String[] real = splitSpec(range.substring(4));
      if (real != null) {
        name = real[0];
      }
    }
    if (NpmLockReader.notRegistry(range)
        || NpmLockReader.notRegistry(e.resolved)
        || range.startsWith("http")) {
      c.warn(
          e.line,
          name
              + " comes from "
              + (e.resolved.isEmpty() ? range : e.resolved)
              + ", not the npm registry; Vigil cannot fetch or look it up, scan its source instead");
      return;
    }
    if (e.version.isEmpty()) {
      c.error(e.line, "the entry for " + name + " has no 'version' line; not checked");
      return;
    }
    c.add(Ecosystem.NPM, name, e.version, c.at(e.line), e.integrity);
  }

  /** Splits {@code name@range} at the '@' after the name (scoped names start with '@'). */
  static String[] splitSpec(String spec) {
    int at = spec.indexOf('@', spec.startsWith("@") ? 1 : 0);
    if (at <= 0) {
      return null;
    }
    return new String[] {spec.substring(0, at), spec.substring(at + 1)};
  }

  private static void readBerry(String content, Collector c) {
    Node root = Yaml.compose(content, c, "a Yarn Berry yarn.lock").orElse(null);
    if (root == null) {
      return;
    }
    for (Yaml.Entry e : Yaml.entries(root)) {
      if (e.key().equals("__metadata")) {
        continue;
      }
      String resolution = Yaml.text(e.value(), "resolution");
      String version = Yaml.text(e.value(), "version");
      if (resolution.isEmpty()) {
        c.error(
            e.line(),
            "the entry '"
                + shorten(e.key())
                + "' has no 'resolution'; expected e.g. resolution: \"lodash@npm:4.17.21\"");
        continue;
      }
      String[] nr = splitSpec(resolution);
      if (nr == null) {
        c.error(
            e.line(),
            "expected resolution 'name@protocol:version', found '" + shorten(resolution) + "'");
        continue;
      }
      String name = nr[0];
      String ref = nr[1];
      if (ref.startsWith("workspace:") || ref.startsWith("patch:")) {
        continue; // the project's own code, or a patch over an entry listed on its own
      }
      if (!ref.startsWith("npm:")) {
        c.warn(
            e.line(),
            name
                + " comes from "
                + ref
                + ", not the npm registry; Vigil cannot fetch or look it up");
        continue;
      }
      if (version.isEmpty()) {
        version = ref.substring(4);
      }
      c.add(Ecosystem.NPM, name, version, c.at(e.line()), "");
    }
  }

  static String unquote(String s) {
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
