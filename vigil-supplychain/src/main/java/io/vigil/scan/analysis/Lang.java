package io.vigil.scan.analysis;

import java.util.Locale;

/** The language a file is read as, by its name. */
enum Lang {
  JS,
  PY,
  SHELL,
  /** String constants of Java class files. */
  JAVA,
  /** Configuration and other text that is read for endpoints and paths only. */
  TEXT,
  /** Not text analysis material (images, binaries, docs, source maps). */
  NONE;

  static Lang of(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith(".d.ts") || p.endsWith(".map") || p.endsWith(".min.map")) {
      return NONE;
    }
    int dot = p.lastIndexOf('.');
    int slash = p.lastIndexOf('/');
    String ext = dot > slash ? p.substring(dot + 1) : "";
    return switch (ext) {
      case "js", "mjs", "cjs", "jsx", "ts", "tsx", "mts", "cts" -> JS;
      case "py", "pyw" -> PY;
      case "sh", "bash", "zsh", "bat", "cmd", "ps1", "command", "vbs" -> SHELL;
      case "json", "yml", "yaml", "toml", "cfg", "ini", "txt", "pth", "xml", "properties" -> TEXT;
      case "" -> p.endsWith("/bin") || p.contains("/bin/") ? SHELL : NONE;
      default -> NONE;
    };
  }
}
