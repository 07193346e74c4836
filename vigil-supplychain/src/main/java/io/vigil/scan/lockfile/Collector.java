package io.vigil.scan.lockfile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.scan.Ecosystem;
import io.vigil.scan.PackageRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one read gathers: packages (first listing wins), problems, integrity; stops adding at {@link
 * LockfileLimits#maxEntries()} with one error that names the setting.
 */
final class Collector {
  final String file;
  final LockfileLimits limits;
  private final Set<String> keys = new LinkedHashSet<>();
  private final List<PackageRef> packages = new ArrayList<>();
  private final List<LockfileProblem> problems = new ArrayList<>();
  private final Map<PackageRef, String> integrity = new LinkedHashMap<>();
  private boolean full;

  Collector(String file, LockfileLimits limits) {
    this.file = file;
    this.limits = limits;
  }

  /** Adds a package once per ecosystem/name/version; {@code digest} may be empty. */
  void add(Ecosystem e, String name, String version, String source, String digest) {
    if (name.isBlank()) {
      return;
    }
    String key = e + "\u0000" + name + "\u0000" + version;
    if (keys.contains(key)) {
      return;
    }
    if (packages.size() >= limits.maxEntries()) {
      if (!full) {
        full = true;
        error(
            0,
            "stopped after maxEntries ("
                + limits.maxEntries()
                + ") packages; the rest of the file was not read. Raise maxEntries if the file is"
                + " genuine");
      }
      return;
    }
    keys.add(key);
    PackageRef ref = new PackageRef(e, name, version, source);
    packages.add(ref);
    if (digest != null && !digest.isBlank()) {
      integrity.put(ref, digest.trim());
    }
  }

  void warn(int line, String message) {
    problems.add(new LockfileProblem(LockfileProblem.Level.WARNING, file, line, message));
  }

  void warn(String otherFile, int line, String message) {
    problems.add(new LockfileProblem(LockfileProblem.Level.WARNING, otherFile, line, message));
  }

  void error(int line, String message) {
    problems.add(new LockfileProblem(LockfileProblem.Level.ERROR, file, line, message));
  }

  void error(String otherFile, int line, String message) {
    problems.add(new LockfileProblem(LockfileProblem.Level.ERROR, otherFile, line, message));
  }

  String at(int line) {
    return file + ":" + line;
  }

  String at(String jsonPointer) {
    return file + "#" + jsonPointer;
  }

  LockfileResult result(String format) {
    return new LockfileResult(format, packages, problems, integrity);
  }

  // ---- JSON -------------------------------------------------------------------------------

  private static final Map<Integer, JsonFactory> FACTORIES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A JSON factory enforcing {@code maxNestingDepth}, for streaming readers. */
  JsonFactory jsonFactory() {
    return FACTORIES.computeIfAbsent(
        limits.maxNestingDepth(),
        d ->
            JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(d).build())
                .build());
  }

  private static final Map<Integer, ObjectMapper> MAPPERS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Parses JSON within {@code maxNestingDepth}; on failure records an error with the line. */
  Optional<JsonNode> json(String content, String expected) {
    ObjectMapper m =
        MAPPERS.computeIfAbsent(
            limits.maxNestingDepth(),
            d ->
                new ObjectMapper(
                    JsonFactory.builder()
                        .streamReadConstraints(
                            StreamReadConstraints.builder().maxNestingDepth(d).build())
                        .build()));
    try {
      JsonNode n = m.readTree(content);
      if (n == null || !n.isObject()) {
        error(
            1,
            "expected a JSON object ("
                + expected
                + "), found "
                + (n == null ? "nothing" : n.getNodeType()));
        return Optional.empty();
      }
      return Optional.of(n);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      String msg = e.getOriginalMessage();
      if (msg.contains("nesting depth")) {
        msg = msg + " (setting maxNestingDepth)";
      }
      error(
          loc == null ? 0 : loc.getLineNr(),
          "not valid JSON: "
              + msg
              + (loc == null ? "" : " at column " + loc.getColumnNr())
              + "; expected "
              + expected);
      return Optional.empty();
    }
  }

  /**
   * The line where each JSON object starts, keyed by its JSON pointer (for a member, the line of
   * its name), for readers that work on a tree but want {@code file:line} sources. Malformed JSON
   * yields what was seen before the damage (the tree reader reports the error).
   */
  Map<String, Integer> objectLines(String content) {
    Map<String, Integer> out = new java.util.HashMap<>();
    int cap = limits.maxEntries() * 4;
    java.util.ArrayDeque<String> path = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<int[]> index = new java.util.ArrayDeque<>(); // array element counters
    try (com.fasterxml.jackson.core.JsonParser p = jsonFactory().createParser(content)) {
      String pendingName = null;
      int pendingLine = 0;
      com.fasterxml.jackson.core.JsonToken t;
      while ((t = p.nextToken()) != null && out.size() < cap) {
        switch (t) {
          case FIELD_NAME -> {
            pendingName = p.currentName();
            pendingLine = p.currentTokenLocation().getLineNr();
          }
          case START_OBJECT, START_ARRAY -> {
            String seg;
            int line;
            if (pendingName != null) {
              seg = pendingName;
              line = pendingLine;
            } else if (!index.isEmpty() && index.peek()[0] >= 0) {
              seg = Integer.toString(index.peek()[0]++);
              line = p.currentTokenLocation().getLineNr();
            } else {
              seg = null;
              line = p.currentTokenLocation().getLineNr();
            }
            pendingName = null;
            if (seg != null) {
              path.addLast(pointer(seg));
            }
            if (t == com.fasterxml.jackson.core.JsonToken.START_OBJECT && seg != null) {
              out.put("/" + String.join("/", path), line);
            }
            index.push(
                new int[] {
                  t == com.fasterxml.jackson.core.JsonToken.START_ARRAY ? 0 : -1,
                  seg == null ? 0 : 1
                });
          }
          case END_OBJECT, END_ARRAY -> {
            int[] top = index.pop();
            if (top[1] == 1) {
              path.removeLast();
            }
          }
          default -> {
            if (pendingName != null) {
              pendingName = null;
            } else if (!index.isEmpty() && index.peek()[0] >= 0) {
              index.peek()[0]++;
            }
          }
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // the tree reader reports malformed JSON with its line
    }
    return out;
  }

  /**
   * {@code file:line} when the object at {@code pointer} has a known line, else {@code
   * file#pointer}.
   */
  String at(Map<String, Integer> lines, String pointer) {
    Integer line = lines.get(pointer);
    return line == null ? at(pointer) : at(line);
  }

  /** Escapes one JSON-pointer segment (RFC 6901). */
  static String pointer(String segment) {
    return segment.replace("~", "~0").replace("/", "~1");
  }
}
