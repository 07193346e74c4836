package io.vigil.scan.lockfile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.vigil.scan.Ecosystem;
import java.io.IOException;

/**
 * Reads {@code package-lock.json} and {@code npm-shrinkwrap.json} as a stream, so every package
 * gets its line and a damaged file still yields the packages before the damage: the {@code
 * packages} map of lockfile versions 2 and 3 (keys {@code node_modules/a/node_modules/b}; {@code
 * name} for aliases; {@code link} entries and workspace folders skipped), or the nested {@code
 * dependencies} of version 1 ({@code npm:real@1.0.0} aliases resolved).
 */
final class NpmLockReader {
  private NpmLockReader() {}

  /** The fields of one package entry that matter. */
  private static final class Entry {
    String name = "";
    String version = "";
    String resolved = "";
    String integrity = "";
    boolean link;
  }

  /** A v1 dependency read completely, added once its whole entry has been read. */
  private record Pending(String name, int line, Entry entry) {}

  static String read(String content, Collector c) {
    int version = 0;
    boolean sawPackages = false;
    java.util.List<Pending> pending = new java.util.ArrayList<>();
    try (JsonParser p = c.jsonFactory().createParser(content)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        c.error(
            1,
            "expected a JSON object (a package-lock.json written by npm), found "
                + p.currentToken());
        return "package-lock.json";
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "lockfileVersion" -> version = p.getValueAsInt(1);
          case "packages" -> {
            if (value == JsonToken.START_OBJECT) {
              sawPackages = true;
              readPackages(p, c);
            } else {
              p.skipChildren();
            }
          }
          case "dependencies" -> {
            if (value == JsonToken.START_OBJECT && version < 2 && !sawPackages) {
              readDependencies(p, 1, c, pending);
            } else {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      String msg = e.getOriginalMessage();
      if (msg.contains("nesting depth")) {
        msg = msg + " (setting maxNestingDepth)";
      }
      c.error(
          loc == null ? 0 : loc.getLineNr(),
          "not valid JSON: "
              + msg
              + (loc == null ? "" : " at column " + loc.getColumnNr())
              + "; expected a package-lock.json written by npm (entries before this point were"
              + " read)");
    } catch (IOException e) {
      c.error(0, "could not read: " + e.getMessage());
    }
    for (Pending d : pending) {
      add(d.name(), d.entry(), d.line(), c);
    }
    return "package-lock.json v" + (version == 0 ? 1 : version);
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  /** At START_OBJECT of "packages"; returns after its END_OBJECT. */
  private static void readPackages(JsonParser p, Collector c) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      int line = line(p);
      if (p.nextToken() != JsonToken.START_OBJECT) {
        c.error(line, "the entry '" + key + "' should be an object describing a package");
        p.skipChildren();
        continue;
      }
      Entry e = readEntry(p, 0, c, null);
      int nm = key.lastIndexOf("node_modules/");
      if (key.isEmpty() || nm < 0 || e.link) {
        continue; // the project itself, a workspace folder, or a link to one
      }
      String name = e.name.isEmpty() ? key.substring(nm + "node_modules/".length()) : e.name;
      add(name, e, line, c);
    }
  }

  /**
   * At START_OBJECT of one entry; reads its fields and, for v1 ({@code depth > 0}), its nested
   * {@code dependencies} into {@code children}. Returns after the entry's END_OBJECT.
   */
  private static Entry readEntry(
      JsonParser p, int depth, Collector c, java.util.List<Pending> children) throws IOException {
    Entry e = new Entry();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      switch (f) {
        case "name" -> e.name = text(p, t);
        case "version" -> e.version = text(p, t);
        case "resolved" -> e.resolved = text(p, t);
        case "integrity" -> e.integrity = text(p, t);
        case "link" -> e.link = t == JsonToken.VALUE_TRUE;
        case "dependencies" -> {
          if (depth > 0 && t == JsonToken.START_OBJECT) {
            readDependencies(p, depth + 1, c, children);
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    return e;
  }

  private static String text(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    p.skipChildren();
    return "";
  }

  /** At START_OBJECT of a v1 "dependencies" map; returns after its END_OBJECT. */
  private static void readDependencies(
      JsonParser p, int depth, Collector c, java.util.List<Pending> out) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      int line = line(p);
      if (p.nextToken() != JsonToken.START_OBJECT) {
        c.error(line, "the dependency '" + name + "' should be an object with a \"version\"");
        p.skipChildren();
        continue;
      }
      java.util.List<Pending> children = new java.util.ArrayList<>();
      Entry e = readEntry(p, depth, c, children);
      out.add(new Pending(name, line, e));
      out.addAll(children);
    }
  }

  private static void add(String name, Entry e, int line, Collector c) {
    String version = e.version;
    if (version.startsWith("npm:")) {
      String real = version.substring(4);
      int at = real.lastIndexOf('@');
      if (at > 0) {
        name = real.substring(0, at);
        version = real.substring(at + 1);
      }
    }
    if (notRegistry(e.resolved) || notRegistry(version)) {
      c.warn(
          line,
          name
              + " comes from "
              + (notRegistry(version) ? version : e.resolved)
              + ", not the npm registry; Vigil cannot fetch or look it up, scan its source instead");
      return;
    }
    if (version.isEmpty()) {
      c.warn(line, name + " has no \"version\"; not checked");
      c.add(Ecosystem.NPM, name, "", c.at(line), "");
      return;
    }
    c.add(Ecosystem.NPM, name, version, c.at(line), e.integrity);
  }

  /** A source that is not the registry: local files, git, other URLs than registry tarballs. */
  static boolean notRegistry(String s) {
    return s.startsWith("file:")
        || s.startsWith("link:")
        || s.startsWith("git")
        || s.startsWith("github:")
        || s.startsWith("ssh:")
        || s.startsWith("./")
        || s.startsWith("../")
        || s.startsWith("/");
  }
}
