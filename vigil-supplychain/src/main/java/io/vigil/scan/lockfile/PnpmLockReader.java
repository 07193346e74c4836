package io.vigil.scan.lockfile;

import io.vigil.scan.Ecosystem;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code pnpm-lock.yaml}: the {@code packages} map with keys shaped by lockfile version
 * ({@code /name/1.0.0_peer@2} in v5, {@code /name@1.0.0(peer@2)} in v6, {@code name@1.0.0} in v9),
 * integrity from {@code resolution.integrity}; tarball, git and directory resolutions reported.
 */
final class PnpmLockReader {
  private PnpmLockReader() {}

  static String read(String content, Collector c) {
    Node root = Yaml.compose(content, c, "a pnpm-lock.yaml written by pnpm").orElse(null);
    if (root == null) {
      return "pnpm-lock.yaml";
    }
    String lv = Yaml.text(root, "lockfileVersion");
    if (lv.isEmpty()) {
      c.error(
          1, "no 'lockfileVersion'; expected a pnpm-lock.yaml (lockfileVersion 5.x, 6.0 or 9.0)");
    }
    boolean slashForm = lv.startsWith("5") || lv.startsWith("4") || lv.startsWith("3");
    Node packages = Yaml.get(root, "packages").orElse(null);
    if (packages == null) {
      return "pnpm-lock.yaml v" + lv;
    }
    for (Yaml.Entry e : Yaml.entries(packages)) {
      Node v = e.value();
      Node resolution = Yaml.get(v, "resolution").orElse(null);
      String integrity = resolution == null ? "" : Yaml.text(resolution, "integrity");
      String tarball = resolution == null ? "" : Yaml.text(resolution, "tarball");
      String type = resolution == null ? "" : Yaml.text(resolution, "type");
      String name = Yaml.text(v, "name");
      String version = Yaml.text(v, "version");
      if (!type.isEmpty() || (!tarball.isEmpty() && integrity.isEmpty())) {
        c.warn(
            e.line(),
            (name.isEmpty() ? e.key() : name)
                + " comes from "
                + (type.isEmpty() ? tarball : type)
                + ", not the npm registry; Vigil cannot fetch or look it up");
        continue;
      }
      if (name.isEmpty() || version.isEmpty()) {
        String[] nv = slashForm ? parseSlash(e.key()) : parseAt(e.key());
        if (nv == null) {
          c.error(
              e.line(),
              "cannot read a package name and version from the key '"
                  + YarnLockReader.shorten(e.key())
                  + "'; expected "
                  + (slashForm ? "/name/1.0.0" : "name@1.0.0"));
          continue;
        }
        name = name.isEmpty() ? nv[0] : name;
        version = version.isEmpty() ? nv[1] : version;
      }
      c.add(Ecosystem.NPM, name, version, c.at(e.line()), integrity);
    }
    return "pnpm-lock.yaml v" + lv;
  }

  /** v5: {@code /name/1.0.0}, {@code /@scope/name/1.0.0_peer@1.0.0}. */
  static String[] parseSlash(String key) {
    String k = key.startsWith("/") ? key.substring(1) : key;
    String[] parts = k.split("/");
    String name;
    String version;
    if (k.startsWith("@")) {
      if (parts.length < 3) {
        return null;
      }
      name = parts[0] + "/" + parts[1];
      version = parts[2];
    } else {
      if (parts.length < 2) {
        return null;
      }
      name = parts[0];
      version = parts[1];
    }
    int cut = version.indexOf('_');
    if (cut > 0) {
      version = version.substring(0, cut);
    }
    cut = version.indexOf('(');
    if (cut > 0) {
      version = version.substring(0, cut);
    }
    return name.isEmpty() || version.isEmpty() ? null : new String[] {name, version};
  }

  /** v6 and v9: {@code /name@1.0.0(peer@1)}, {@code @scope/name@1.0.0}. */
  static String[] parseAt(String key) {
    String k = key.startsWith("/") ? key.substring(1) : key;
    int paren = k.indexOf('(');
    if (paren > 0) {
      k = k.substring(0, paren);
    }
    String[] nv = YarnLockReader.splitSpec(k);
    if (nv == null || nv[1].isEmpty()) {
      return null;
    }
    return nv;
  }
}
