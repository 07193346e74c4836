package io.vigil.scan.lockfile;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.scan.Ecosystem;
import java.util.Map;

/**
 * Reads {@code package-lock.json} and {@code npm-shrinkwrap.json}: the {@code packages} map of
 * lockfile versions 2 and 3 (keys {@code node_modules/a/node_modules/b}; {@code name} for aliases;
 * {@code link} entries and workspace folders skipped), or the nested {@code dependencies} of
 * version 1 ({@code npm:real@1.0.0} aliases resolved).
 */
final class NpmLockReader {
  private NpmLockReader() {}

  static String read(String content, Collector c) {
    JsonNode root = c.json(content, "a package-lock.json written by npm").orElse(null);
    if (root == null) {
      return "package-lock.json";
    }
    int version = root.path("lockfileVersion").asInt(1);
    JsonNode packages = root.path("packages");
    if (version >= 2 && packages.isObject()) {
      for (Map.Entry<String, JsonNode> e : packages.properties()) {
        readPackage(e.getKey(), e.getValue(), c);
      }
    } else if (root.path("dependencies").isObject()) {
      readDependencies(root.path("dependencies"), "/dependencies", 1, c);
    } else if (!packages.isObject()) {
      c.error(
          1,
          "neither \"packages\" nor \"dependencies\" is an object; expected a package-lock.json"
              + " (lockfileVersion 1, 2 or 3)");
    }
    return "package-lock.json v" + version;
  }

  private static void readPackage(String key, JsonNode pkg, Collector c) {
    if (key.isEmpty()) {
      return; // the project itself
    }
    String pointer = "/packages/" + Collector.pointer(key);
    int nm = key.lastIndexOf("node_modules/");
    if (nm < 0) {
      return; // a workspace folder: the project's own code
    }
    if (!pkg.isObject()) {
      c.error(
          0,
          "at "
              + pointer
              + ": expected an object describing the package, found "
              + pkg.getNodeType());
      return;
    }
    if (pkg.path("link").asBoolean(false)) {
      return; // a symlink to a workspace folder, listed under its own key
    }
    String name = pkg.path("name").asText(key.substring(nm + "node_modules/".length()));
    String version = pkg.path("version").asText("");
    String resolved = pkg.path("resolved").asText("");
    if (notRegistry(resolved)) {
      c.warn(
          0,
          "at "
              + pointer
              + ": "
              + name
              + " is resolved from "
              + resolved
              + ", not the npm registry; Vigil cannot fetch or look it up, scan its source instead");
      return;
    }
    if (version.isEmpty()) {
      c.warn(0, "at " + pointer + ": " + name + " has no \"version\"; not checked");
      c.add(Ecosystem.NPM, name, "", c.at(pointer), "");
      return;
    }
    if (version.startsWith("npm:")) {
      String real = version.substring(4);
      int at = real.lastIndexOf('@');
      if (at > 0) {
        name = real.substring(0, at);
        version = real.substring(at + 1);
      }
    }
    c.add(Ecosystem.NPM, name, version, c.at(pointer), pkg.path("integrity").asText(""));
  }

  private static void readDependencies(JsonNode deps, String pointer, int depth, Collector c) {
    if (depth > c.limits.maxNestingDepth()) {
      c.error(
          0,
          "at "
              + pointer
              + ": dependencies nested deeper than maxNestingDepth ("
              + c.limits.maxNestingDepth()
              + ")");
      return;
    }
    for (Map.Entry<String, JsonNode> e : deps.properties()) {
      String name = e.getKey();
      JsonNode d = e.getValue();
      String here = pointer + "/" + Collector.pointer(name);
      if (!d.isObject()) {
        c.error(
            0, "at " + here + ": expected an object with \"version\", found " + d.getNodeType());
        continue;
      }
      String version = d.path("version").asText("");
      String resolved = d.path("resolved").asText("");
      if (version.startsWith("npm:")) {
        String real = version.substring(4);
        int at = real.lastIndexOf('@');
        if (at > 0) {
          name = real.substring(0, at);
          version = real.substring(at + 1);
        }
      }
      if (notRegistry(resolved) || notRegistry(version)) {
        c.warn(
            0,
            "at "
                + here
                + ": "
                + name
                + " comes from "
                + (notRegistry(version) ? version : resolved)
                + ", not the npm registry; Vigil cannot fetch or look it up, scan its source"
                + " instead");
      } else if (version.isEmpty()) {
        c.warn(0, "at " + here + ": " + name + " has no \"version\"; not checked");
        c.add(Ecosystem.NPM, name, "", c.at(here), "");
      } else {
        c.add(Ecosystem.NPM, name, version, c.at(here), d.path("integrity").asText(""));
      }
      if (d.path("dependencies").isObject()) {
        readDependencies(d.path("dependencies"), here + "/dependencies", depth + 1, c);
      }
    }
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
