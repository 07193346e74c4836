package io.vigil.scan.lockfile;

import io.vigil.scan.Ecosystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads pip requirements files: {@code name[extras]==1.0 ; markers --hash=sha256:…} lines,
 * continuation lines, comments, and {@code -r}/{@code --requirement} includes relative to the
 * including file (up to {@link LockfileLimits#maxIncludeDepth()}). Lines that pin no exact version
 * ({@code >=}, URLs, editable installs) are listed with an empty version and a warning: they are
 * not checkable, but not silently dropped either.
 */
final class RequirementsReader {
  private RequirementsReader() {}

  static String read(Path file, String content, Collector c) {
    Set<Path> visiting = new HashSet<>();
    visiting.add(file.toAbsolutePath().normalize());
    readFile(file, content, c, 0, visiting);
    return "requirements.txt";
  }

  private static void readFile(
      Path file, String content, Collector c, int depth, Set<Path> visiting) {
    String where = file.toString();
    String[] lines = content.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      StringBuilder logical = new StringBuilder(lines[i]);
      while (endsWithBackslash(logical) && i + 1 < lines.length) {
        logical.setLength(logical.length() - 1);
        logical.append(' ').append(lines[++i]);
      }
      String line = stripComment(logical.toString()).trim();
      if (line.isEmpty()) {
        continue;
      }
      readLine(file, where, lineNo, line, c, depth, visiting);
    }
  }

  private static boolean endsWithBackslash(StringBuilder b) {
    int n = b.length();
    while (n > 0 && Character.isWhitespace(b.charAt(n - 1))) {
      n--;
    }
    if (n > 0 && b.charAt(n - 1) == '\\') {
      b.setLength(n);
      return true;
    }
    return false;
  }

  /** Comments start at '#' at the line start or after whitespace. */
  private static String stripComment(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '#' && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
        return s.substring(0, i);
      }
    }
    return s;
  }

  private static void readLine(
      Path file,
      String where,
      int lineNo,
      String line,
      Collector c,
      int depth,
      Set<Path> visiting) {
    if (line.startsWith("-")) {
      String[] opt = option(line);
      switch (opt[0]) {
        case "-r", "--requirement" -> include(file, where, lineNo, opt[1], c, depth, visiting);
        case "-c", "--constraint" -> {} // constraints pin, but install nothing
        case "-e", "--editable" ->
            c.warn(
                where,
                lineNo,
                "editable install '"
                    + opt[1]
                    + "' is local or VCS code, not a PyPI release; not checked — scan its folder");
        case "--extra-index-url" ->
            c.warn(
                where,
                lineNo,
                "--extra-index-url "
                    + opt[1]
                    + ": pip takes the highest version found on any index, which is how"
                    + " dependency-confusion attacks win; prefer one index (--index-url) that"
                    + " proxies PyPI");
        default -> {} // --index-url, --hash alone, --find-links, --pre, --no-binary, ...
      }
      return;
    }
    List<String> hashes = new ArrayList<>();
    StringBuilder rest = new StringBuilder();
    for (String tok : line.split("\\s+")) {
      if (tok.startsWith("--hash=")) {
        hashes.add(tok.substring("--hash=".length()));
      } else if (tok.startsWith("--")) {
        // per-requirement options such as --global-option: ignore
      } else {
        rest.append(rest.length() == 0 ? "" : " ").append(tok);
      }
    }
    String req = rest.toString();
    // URL or path requirements
    int atUrl = req.indexOf(" @ ");
    if (atUrl < 0) {
      atUrl = req.indexOf("@ ");
    }
    if (req.contains("://") || req.startsWith(".") || req.startsWith("/")) {
      String name = atUrl > 0 ? req.substring(0, atUrl).trim() : "";
      int br = name.indexOf('[');
      if (br > 0) {
        name = name.substring(0, br);
      }
      c.warn(
          where,
          lineNo,
          "'"
              + YarnLockReader.shorten(req)
              + "' installs from a URL or path, not a PyPI release; not checked");
      if (!name.isEmpty() && validName(name)) {
        c.add(Ecosystem.PYPI, name, "", where + ":" + lineNo, "");
      }
      return;
    }
    int semi = req.indexOf(';');
    if (semi >= 0) {
      req = req.substring(0, semi).trim();
    }
    int i = 0;
    while (i < req.length()
        && (Character.isLetterOrDigit(req.charAt(i)) || "._-".indexOf(req.charAt(i)) >= 0)) {
      i++;
    }
    String name = req.substring(0, i);
    if (name.isEmpty() || !validName(name)) {
      c.error(
          where,
          lineNo,
          "expected a requirement like 'name==1.0' or an option like '-r other.txt', found '"
              + YarnLockReader.shorten(line)
              + "'");
      return;
    }
    String spec = req.substring(i).trim();
    if (spec.startsWith("[")) {
      int close = spec.indexOf(']');
      if (close < 0) {
        c.error(where, lineNo, "the extras of '" + name + "' have no closing ']'");
        return;
      }
      spec = spec.substring(close + 1).trim();
    }
    if (spec.startsWith("(") && spec.endsWith(")")) {
      spec = spec.substring(1, spec.length() - 1).trim();
    }
    String pinned = pinned(spec);
    String digest = String.join(" ", hashes);
    if (pinned == null) {
      c.warn(
          where,
          lineNo,
          name
              + (spec.isEmpty() ? " has no version" : " is not pinned ('" + spec + "')")
              + ": Vigil checks exact versions only, so it is not checked; pin it with '=='"
              + " (pip freeze, pip-compile) or scan a lockfile");
      c.add(Ecosystem.PYPI, name, "", where + ":" + lineNo, "");
      return;
    }
    c.add(Ecosystem.PYPI, name, pinned, where + ":" + lineNo, digest);
  }

  static boolean validName(String name) {
    return Character.isLetterOrDigit(name.charAt(0))
        && Character.isLetterOrDigit(name.charAt(name.length() - 1))
        && name.chars().allMatch(ch -> ch < 128);
  }

  /** The version of a single {@code ==X} or {@code ===X} specifier without wildcards; else null. */
  static String pinned(String spec) {
    if (spec.contains(",")) {
      return null;
    }
    String v;
    if (spec.startsWith("===")) {
      v = spec.substring(3).trim();
    } else if (spec.startsWith("==")) {
      v = spec.substring(2).trim();
    } else {
      return null;
    }
    if (v.isEmpty() || v.contains("*") || v.contains(" ")) {
      return null;
    }
    return v;
  }

  private static String[] option(String line) {
    String l = line.trim();
    int eq = l.indexOf('=');
    int sp = l.indexOf(' ');
    if (l.startsWith("--") && eq > 0 && (sp < 0 || eq < sp)) {
      return new String[] {l.substring(0, eq), l.substring(eq + 1).trim()};
    }
    if (sp > 0) {
      return new String[] {l.substring(0, sp), l.substring(sp + 1).trim()};
    }
    if (l.length() > 2 && l.charAt(1) != '-') {
      return new String[] {l.substring(0, 2), l.substring(2).trim()}; // -rfile
    }
    return new String[] {l, ""};
  }

  private static void include(
      Path file,
      String where,
      int lineNo,
      String target,
      Collector c,
      int depth,
      Set<Path> visiting) {
    if (target.isEmpty()) {
      c.error(where, lineNo, "-r names no file; expected '-r other-requirements.txt'");
      return;
    }
    if (target.contains("://")) {
      c.warn(
          where,
          lineNo,
          "-r " + target + " is a URL; Vigil does not download requirement files, not read");
      return;
    }
    if (depth + 1 > c.limits.maxIncludeDepth()) {
      c.error(
          where,
          lineNo,
          "-r "
              + target
              + " goes deeper than maxIncludeDepth ("
              + c.limits.maxIncludeDepth()
              + "); not read");
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    Path inc = (dir == null ? Path.of(target) : dir.resolve(target)).normalize();
    String shown =
        file.getParent() == null ? target : file.getParent().resolve(target).normalize().toString();
    if (!visiting.add(inc)) {
      c.warn(
          where, lineNo, "-r " + target + " includes a file already being read (a cycle); skipped");
      return;
    }
    try {
      if (!Files.isRegularFile(inc)) {
        c.error(
            where,
            lineNo,
            "-r "
                + target
                + ": "
                + inc
                + " does not exist (paths are relative to "
                + (dir == null ? "." : dir)
                + ")");
        return;
      }
      long size = Files.size(inc);
      if (size > c.limits.maxFileBytes()) {
        c.error(
            where,
            lineNo,
            "-r "
                + target
                + " is "
                + size
                + " bytes, more than maxFileBytes ("
                + c.limits.maxFileBytes()
                + ")");
        return;
      }
      String text = Files.readString(inc, StandardCharsets.UTF_8);
      readFile(Path.of(shown), text, c, depth + 1, visiting);
    } catch (IOException e) {
      c.error(where, lineNo, "-r " + target + " could not be read: " + e.getMessage());
    } finally {
      visiting.remove(inc);
    }
  }
}
