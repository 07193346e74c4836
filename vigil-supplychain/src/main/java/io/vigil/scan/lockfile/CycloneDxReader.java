package io.vigil.scan.lockfile;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.scan.Ecosystem;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a CycloneDX SBOM in JSON: every component (nested ones too) with a package URL ({@code
 * pkg:npm/…}, {@code pkg:pypi/…}, {@code pkg:maven/…}) becomes a package; SHA hashes become its
 * integrity. Components of other ecosystems are counted in one warning.
 */
final class CycloneDxReader {
  private CycloneDxReader() {}

  static String read(String content, Collector c) {
    JsonNode root = c.json(content, "a CycloneDX SBOM (\"bomFormat\": \"CycloneDX\")").orElse(null);
    if (root == null) {
      return "CycloneDX";
    }
    if (!"CycloneDX".equals(root.path("bomFormat").asText())) {
      c.error(
          1,
          "\"bomFormat\" is '" + root.path("bomFormat").asText("") + "'; expected \"CycloneDX\"");
    }
    Map<String, Integer> otherTypes = new TreeMap<>();
    Map<String, Integer> lines = c.objectLines(content);
    walk(root.path("components"), "/components", 1, c, otherTypes, lines);
    if (!otherTypes.isEmpty()) {
      c.warn(0, "components of ecosystems Vigil does not scan were skipped: " + otherTypes);
    }
    return "CycloneDX " + root.path("specVersion").asText("");
  }

  private static void walk(
      JsonNode comps,
      String pointer,
      int depth,
      Collector c,
      Map<String, Integer> other,
      Map<String, Integer> lines) {
    if (depth > c.limits.maxNestingDepth()) {
      c.error(0, "at " + pointer + ": components nested deeper than maxNestingDepth");
      return;
    }
    int i = 0;
    for (JsonNode comp : comps) {
      String here = pointer + "/" + i++;
      int line = lines.getOrDefault(here, 0);
      String purl = comp.path("purl").asText("");
      if (purl.isEmpty()) {
        if (!comp.path("components").isArray()) {
          c.warn(
              line,
              "at "
                  + here
                  + ": component '"
                  + comp.path("name").asText("?")
                  + "' has no purl; not checked");
        }
      } else {
        Purl p = Purl.parse(purl);
        if (p == null) {
          c.error(
              line,
              "at "
                  + here
                  + ": '"
                  + YarnLockReader.shorten(purl)
                  + "' is not a package URL; expected pkg:TYPE/NAMESPACE/NAME@VERSION");
        } else if (p.ecosystem == null) {
          other.merge(p.type, 1, Integer::sum);
        } else {
          List<String> digests = new ArrayList<>();
          for (JsonNode h : comp.path("hashes")) {
            String alg = h.path("alg").asText("").toLowerCase(Locale.ROOT).replace("-", "");
            String hex = h.path("content").asText("");
            if (!hex.isEmpty()
                && (alg.equals("sha1")
                    || alg.equals("sha256")
                    || alg.equals("sha512")
                    || alg.equals("sha384"))) {
              digests.add(alg + ":" + hex);
            }
          }
          if (p.version.isEmpty()) {
            c.warn(line, "at " + here + ": " + p.name + " has no version in its purl; not checked");
          }
          c.add(p.ecosystem, p.name, p.version, c.at(lines, here), String.join(" ", digests));
        }
      }
      if (comp.path("components").isArray()) {
        walk(comp.path("components"), here + "/components", depth + 1, c, other, lines);
      }
    }
  }

  /** A package URL reduced to what a scan needs. */
  record Purl(String type, Ecosystem ecosystem, String name, String version) {
    static Purl parse(String purl) {
      if (!purl.startsWith("pkg:")) {
        return null;
      }
      String s = purl.substring(4);
      int hash = s.indexOf('#');
      if (hash >= 0) {
        s = s.substring(0, hash);
      }
      int q = s.indexOf('?');
      if (q >= 0) {
        s = s.substring(0, q);
      }
      while (s.startsWith("/")) {
        s = s.substring(1);
      }
      int slash = s.indexOf('/');
      if (slash <= 0) {
        return null;
      }
      String type = s.substring(0, slash).toLowerCase(Locale.ROOT);
      String rest = s.substring(slash + 1);
      String version = "";
      int at = rest.lastIndexOf('@');
      if (at >= 0 && rest.indexOf('/', at) < 0) {
        version = decode(rest.substring(at + 1));
        rest = rest.substring(0, at);
      }
      int last = rest.lastIndexOf('/');
      String namespace = last >= 0 ? decode(rest.substring(0, last)) : "";
      String name = decode(rest.substring(last + 1));
      if (name.isEmpty()) {
        return null;
      }
      return switch (type) {
        case "npm" ->
            new Purl(
                type, Ecosystem.NPM, namespace.isEmpty() ? name : namespace + "/" + name, version);
        case "pypi" -> new Purl(type, Ecosystem.PYPI, name, version);
        case "maven" ->
            namespace.isEmpty()
                ? null
                : new Purl(
                    type, Ecosystem.MAVEN, namespace.replace('/', '.') + ":" + name, version);
        default -> new Purl(type, null, name, version);
      };
    }

    private static String decode(String s) {
      try {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return s;
      }
    }
  }
}
