package io.vigil.scan.lockfile;

import io.vigil.scan.Ecosystem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code poetry.lock}, a TOML file, for the little a scan needs: each {@code [[package]]}
 * table's {@code name}, {@code version}, file hashes (inline {@code files = […]} of Poetry 1.2+ or
 * the older {@code [metadata.files]} table) and {@code [package.source]} type (directory, file, git
 * and url sources are not PyPI releases and are reported).
 */
final class PoetryLockReader {
  private PoetryLockReader() {}

  private static final Pattern STRING_KEY =
      Pattern.compile("^([A-Za-z0-9_.-]+)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.){0,1000})\"");
  private static final Pattern HASH =
      Pattern.compile("hash\\s*=\\s*\"([a-zA-Z0-9]{1,16}:[0-9a-fA-F]{1,256})\"");
  private static final Pattern META_FILES_KEY =
      Pattern.compile("^\"?([A-Za-z0-9_.-]+)\"?\\s*=\\s*\\[");

  private static final class Pkg {
    int line;
    String name = "";
    String version = "";
    String sourceType = "";
    final List<String> hashes = new ArrayList<>();
  }

  static String read(String content, Collector c) {
    String[] lines = content.split("\r?\n", -1);
    List<Pkg> pkgs = new ArrayList<>();
    Map<String, List<String>> metaFiles = new HashMap<>();
    Pkg cur = null;
    String section = "";
    String metaName = null;
    boolean inMultiline = false;
    for (int i = 0; i < lines.length; i++) {
      String t = lines[i].trim();
      int lineNo = i + 1;
      if (inMultiline) {
        if (t.contains("\"\"\"")) {
          inMultiline = false;
        }
        continue;
      }
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      if (t.startsWith("[[") && t.endsWith("]]")) {
        section = t.substring(2, t.length() - 2).trim();
        if (section.equals("package")) {
          cur = new Pkg();
          cur.line = lineNo;
          pkgs.add(cur);
        }
        continue;
      }
      if (t.startsWith("[") && t.endsWith("]") && !t.contains("=")) {
        section = t.substring(1, t.length() - 1).trim();
        continue;
      }
      if (t.indexOf("\"\"\"") >= 0 && t.indexOf("\"\"\"") == t.lastIndexOf("\"\"\"")) {
        inMultiline = true;
      }
      if (section.equals("package") && cur != null) {
        Matcher m = STRING_KEY.matcher(t);
        if (m.find()) {
          switch (m.group(1)) {
            case "name" -> cur.name = m.group(2);
            case "version" -> cur.version = m.group(2);
            default -> {}
          }
        }
        if (t.startsWith("source") && t.contains("type")) {
          Matcher st = Pattern.compile("type\\s*=\\s*\"([a-z]{1,20})\"").matcher(t);
          if (st.find()) {
            cur.sourceType = st.group(1);
          }
        }
        addHashes(t, cur.hashes);
      } else if (section.equals("package.source") && cur != null) {
        Matcher m = STRING_KEY.matcher(t);
        if (m.find() && m.group(1).equals("type")) {
          cur.sourceType = m.group(2);
        }
      } else if (section.equals("package.files") && cur != null) {
        addHashes(t, cur.hashes);
      } else if (section.equals("metadata.files")) {
        Matcher m = META_FILES_KEY.matcher(t);
        if (m.find()) {
          metaName = m.group(1);
        }
        if (metaName != null) {
          addHashes(
              t,
              metaFiles.computeIfAbsent(
                  metaName.toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>()));
        }
      }
    }
    if (pkgs.isEmpty() && !content.isBlank()) {
      c.error(1, "no [[package]] tables; expected a poetry.lock written by Poetry");
    }
    for (Pkg p : pkgs) {
      if (p.name.isEmpty() || p.version.isEmpty()) {
        c.error(
            p.line,
            "this [[package]] table has no "
                + (p.name.isEmpty() ? "name" : "version")
                + "; expected name = \"...\" and version = \"...\"");
        continue;
      }
      if (!p.sourceType.isEmpty() && !p.sourceType.equals("legacy")) {
        c.warn(
            p.line,
            p.name
                + " "
                + p.version
                + " comes from a "
                + p.sourceType
                + " source, not a PyPI release; not checked");
        continue;
      }
      List<String> hashes = new ArrayList<>(p.hashes);
      hashes.addAll(metaFiles.getOrDefault(p.name.toLowerCase(java.util.Locale.ROOT), List.of()));
      c.add(Ecosystem.PYPI, p.name, p.version, c.at(p.line), String.join(" ", hashes));
    }
    return "poetry.lock";
  }

  private static void addHashes(String line, List<String> out) {
    Matcher h = HASH.matcher(line);
    while (h.find()) {
      out.add(h.group(1));
    }
  }
}
