package io.vigil.scan.analysis;

import io.vigil.scan.Severity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the constant pool of a Java class file (never loads or runs it) and reports the
 * capabilities its references show: process spawning, networking, class loading from bytes,
 * decoding; its string constants are handed to {@link TextScanner} for endpoints and paths.
 */
final class ClassFileScanner {
  private ClassFileScanner() {}

  /** True when the bytes start like a class file (magic and a plausible version). */
  static boolean isClassFile(byte[] b) {
    return b.length >= 10
        && (b[0] & 0xff) == 0xCA
        && (b[1] & 0xff) == 0xFE
        && (b[2] & 0xff) == 0xBA
        && (b[3] & 0xff) == 0xBE
        && (((b[6] & 0xff) << 8) | (b[7] & 0xff)) >= 45;
  }

  /** The UTF-8 constants of a class file, or an empty set when it is not a readable class. */
  static Set<String> utf8Constants(byte[] b) {
    Set<String> out = new LinkedHashSet<>();
    if (b.length < 10
        || (b[0] & 0xff) != 0xCA
        || (b[1] & 0xff) != 0xFE
        || (b[2] & 0xff) != 0xBA
        || (b[3] & 0xff) != 0xBE) {
      return out;
    }
    int count = u2(b, 8);
    int p = 10;
    try {
      for (int i = 1; i < count; i++) {
        int tag = b[p] & 0xff;
        p++;
        switch (tag) {
          case 1 -> {
            int len = u2(b, p);
            p += 2;
            out.add(new String(b, p, len, StandardCharsets.UTF_8));
            p += len;
          }
          case 3, 4, 9, 10, 11, 12, 17, 18 -> p += 4;
          case 5, 6 -> {
            p += 8;
            i++;
          }
          case 7, 8, 16, 19, 20 -> p += 2;
          case 15 -> p += 3;
          default -> {
            return out;
          }
        }
      }
    } catch (ArrayIndexOutOfBoundsException | StringIndexOutOfBoundsException e) {
      return out;
    }
    return out;
  }

  private static int u2(byte[] b, int p) {
    return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
  }

  /** Signals of one class file. */
  static List<Signal> scan(String file, byte[] bytes) {
    Set<String> c = utf8Constants(bytes);
    List<Signal> out = new ArrayList<>();
    if (c.isEmpty()) {
      return out;
    }
    if (c.contains("java/lang/ProcessBuilder")
        || (c.contains("java/lang/Runtime") && c.contains("exec"))) {
      out.add(
          sig(
              "java-process-spawn",
              Capability.PROCESS,
              Severity.LOW,
              file,
              "references "
                  + (c.contains("java/lang/ProcessBuilder")
                      ? "java/lang/ProcessBuilder"
                      : "Runtime.exec"),
              "Spawns operating-system processes."));
    }
    String net =
        firstOf(
            c,
            "java/net/Socket",
            "java/net/http/HttpClient",
            "java/net/HttpURLConnection",
            "java/net/DatagramSocket",
            "java/net/URLConnection");
    if (net == null
        && c.contains("java/net/URL")
        && (c.contains("openConnection") || c.contains("openStream"))) {
      net = "java/net/URL.openConnection";
    }
    if (net != null) {
      out.add(
          sig(
              "java-network",
              Capability.NETWORK,
              Severity.INFO,
              file,
              "references " + net,
              "Opens network connections."));
    }
    String dyn = null;
    if (c.contains("java/net/URLClassLoader")) {
      dyn = "java/net/URLClassLoader";
    } else if (c.contains("defineClass")) {
      dyn = "defineClass";
    } else if (c.contains("javax/script/ScriptEngineManager")) {
      dyn = "javax/script/ScriptEngineManager";
    }
    if (dyn != null) {
      out.add(
          sig(
              "java-dynamic-code",
              Capability.DYNAMIC_CODE,
              Severity.LOW,
              file,
              "references " + dyn,
              "Loads or defines classes or scripts at run time."));
    }
    if (c.contains("java/util/Base64") && c.contains("getDecoder")) {
      out.add(
          sig(
              "java-decode",
              Capability.DECODE,
              Severity.INFO,
              file,
              "references java/util/Base64.getDecoder",
              "Decodes base64 data."));
    }
    if (c.contains("getenv") && c.contains("()Ljava/util/Map;") && c.contains("java/lang/System")) {
      out.add(
          sig(
              "java-environment-read",
              Capability.OTHER,
              Severity.INFO,
              file,
              "System.getenv() (the whole environment)",
              "Reads the whole environment."));
    }
    if (c.contains("setExecutable")) {
      out.add(
          sig(
              "java-writes-executable",
              Capability.EXEC_WRITE,
              Severity.LOW,
              file,
              "references File.setExecutable",
              "Marks files executable."));
    }
    StringBuilder strings = new StringBuilder();
    for (String s : c) {
      if (s.length() >= 4
          && s.length() < 4096
          && !s.startsWith("(")
          && !s.startsWith("L")
          && s.indexOf(';') < 0) {
        strings.append(s).append('\n');
      }
    }
    for (Signal s : TextScanner.scan(file, strings.toString(), Lang.JAVA)) {
      // class constants have no useful line numbers
      var f = s.finding();
      out.add(
          new Signal(
              TextScanner.finding(f.type(), f.severity(), f.file(), 0, f.evidence(), f.why()),
              s.capability()));
    }
    return out;
  }

  private static String firstOf(Set<String> c, String... names) {
    for (String n : names) {
      if (c.contains(n)) {
        return n;
      }
    }
    return null;
  }

  private static Signal sig(
      String type, Capability cap, Severity sev, String file, String evidence, String why) {
    return new Signal(TextScanner.finding(type, sev, file, 0, evidence, why), cap);
  }
}
