package io.vigil.scan.lockfile;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.scan.Ecosystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code Pipfile.lock} (pipenv): the {@code default} and {@code develop} sections, each
 * package's {@code version} ({@code ==1.0}) and {@code hashes}; git, path and editable entries are
 * reported as not checkable.
 */
final class PipfileLockReader {
  private PipfileLockReader() {}

  static String read(String content, Collector c) {
    JsonNode root = c.json(content, "a Pipfile.lock written by pipenv").orElse(null);
    if (root == null) {
      return "Pipfile.lock";
    }
    if (!root.has("default") && !root.has("develop")) {
      c.error(1, "neither \"default\" nor \"develop\" is present; expected a Pipfile.lock");
    }
    Map<String, Integer> lines = c.objectLines(content);
    for (String section : List.of("default", "develop")) {
      for (Map.Entry<String, JsonNode> e : root.path(section).properties()) {
        String name = e.getKey();
        JsonNode p = e.getValue();
        String pointer = "/" + section + "/" + Collector.pointer(name);
        int line = lines.getOrDefault(pointer, 0);
        if (p.has("git") || p.has("path") || p.has("file") || p.path("editable").asBoolean(false)) {
          c.warn(
              line,
              "at "
                  + pointer
                  + ": "
                  + name
                  + " comes from git, a path or a URL, not a PyPI release; not checked");
          continue;
        }
        String spec = p.path("version").asText("").trim();
        String pinned = RequirementsReader.pinned(spec);
        if (pinned == null) {
          c.warn(
              line,
              "at "
                  + pointer
                  + ": "
                  + name
                  + (spec.isEmpty() ? " has no version" : " is not pinned ('" + spec + "')")
                  + "; not checked");
          c.add(Ecosystem.PYPI, name, "", c.at(lines, pointer), "");
          continue;
        }
        List<String> hashes = new ArrayList<>();
        p.path("hashes").forEach(h -> hashes.add(h.asText()));
        c.add(Ecosystem.PYPI, name, pinned, c.at(lines, pointer), String.join(" ", hashes));
      }
    }
    return "Pipfile.lock";
  }
}
