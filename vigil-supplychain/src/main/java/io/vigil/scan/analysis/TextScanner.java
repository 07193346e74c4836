package io.vigil.scan.analysis;

import io.vigil.scan.Finding;
import io.vigil.scan.ScoreCategory;
import io.vigil.scan.Severity;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Applies {@link TextRules} to one text file, plus the structural checks no line pattern can do:
 * obfuscator naming, code hidden past whitespace, and encoded strings, which are decoded and
 * scanned again (so {@code exec(b64decode("aW1wb3J0IG9z…"))} is judged by what it decodes to).
 */
final class TextScanner {
  private static final int MAX_DEPTH = 2;
  private static final int MAX_ATTEMPTS_PER_RULE = 100;
  private static final int MAX_DECODED_BYTES = 1 << 20;
  private static final int MIN_BASE64_RUN = 40;

  /** Files larger than this are treated as bundles: threat rules need their signals nearby. */
  static final int BUNDLE_SIZE = 512 * 1024;

  private static final int MAX_OFFSETS = 32;

  private static final List<TextRules.Rule> RULES = TextRules.RULES;
  private static final Anchors ANCHORS;
  private static final int[][] RULES_BY_ANCHOR;

  static {
    List<String> anchors = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    Map<Integer, List<Integer>> byAnchor = new HashMap<>();
    for (int r = 0; r < RULES.size(); r++) {
      for (String a : RULES.get(r).anchors()) {
        String key = a.toLowerCase(Locale.ROOT);
        Integer i = index.get(key);
        if (i == null) {
          i = anchors.size();
          anchors.add(key);
          index.put(key, i);
        }
        byAnchor.computeIfAbsent(i, k -> new ArrayList<>()).add(r);
      }
    }
    ANCHORS = new Anchors(anchors);
    RULES_BY_ANCHOR = new int[anchors.size()][];
    for (int i = 0; i < anchors.size(); i++) {
      RULES_BY_ANCHOR[i] = byAnchor.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /** API names whose presence in an encoded string means the code hides what it calls. */
  private static final Map<String, Capability> HIDDEN_NAMES = hiddenNames();

  private static Map<String, Capability> hiddenNames() {
    Map<String, Capability> m = new LinkedHashMap<>();
    for (String s :
        List.of("child_process", "execSync", "spawn", "exec", "system", "popen", "subprocess")) {
      m.put(s, Capability.PROCESS);
    }
    for (String s : List.of("eval", "Function", "_compile", "runInThisContext", "__import__")) {
      m.put(s, Capability.DYNAMIC_CODE);
    }
    for (String s :
        List.of("createDecipher", "createDecipheriv", "b64decode", "decrypt", "marshal", "atob")) {
      m.put(s, Capability.DECODE);
    }
    for (String s : List.of("http", "https", "request", "urlopen", "socket", "net")) {
      m.put(s, Capability.NETWORK);
    }
    for (String s : List.of("homedir", "hostname", "userInfo", "env", "environ")) {
      m.put(s, Capability.SYSTEM_INFO);
    }
    for (String s :
        List.of("readFileSync", "writeFileSync", "require", "npm_package_description")) {
      m.put(s, Capability.OTHER);
    }
    return m;
  }

  private TextScanner() {}

  /** Scans one file's text as the given language. */
  static List<Signal> scan(String file, String text, Lang lang) {
    List<Signal> out = new ArrayList<>();
    scan(file, text, lang, 0, 0, out);
    return out;
  }

  private static void scan(
      String file, String text, Lang lang, int depth, int baseLine, List<Signal> out) {
    char[] cs = text.toCharArray();
    Lines lines = new Lines(text, cs, baseLine);
    String prefix = depth == 0 ? "" : "[decoded] ";
    matchRules(file, text, cs, lang, lines, prefix, out);
    if (lang == Lang.JS || lang == Lang.PY || lang == Lang.SHELL) {
      structural(file, text, cs, lang, lines, prefix, out);
      decodeStrings(file, text, cs, lang, lines, depth, out);
    }
  }

  private static void matchRules(
      String file,
      String text,
      char[] cs,
      Lang lang,
      Lines lines,
      String prefix,
      List<Signal> out) {
    int n = RULES.size();
    int[] attempts = new int[n];
    int[] firstAt = new int[n];
    int[] count = new int[n];
    String[] evidence = new String[n];
    int[][] offsets = new int[n][];
    int[] nOffsets = new int[n];
    // in large (bundled) files, threat rules need the signals near each other: keep where they are
    boolean track = text.length() > BUNDLE_SIZE;
    Arrays.fill(firstAt, -1);
    boolean[] applies = new boolean[n];
    for (int r = 0; r < n; r++) {
      applies[r] = RULES.get(r).langs().contains(lang);
    }
    ANCHORS.scan(
        cs,
        (anchor, start) -> {
          for (int r : RULES_BY_ANCHOR[anchor]) {
            if (!applies[r] || attempts[r] >= MAX_ATTEMPTS_PER_RULE) {
              continue;
            }
            TextRules.Rule rule = RULES.get(r);
            if (firstAt[r] >= 0 && (!track || nOffsets[r] >= MAX_OFFSETS)) {
              count[r]++;
              continue;
            }
            attempts[r]++;
            int ws = Math.max(lines.startOf(start), start - 240);
            int we = Math.min(lines.endOf(start), start + 260);
            String window = text.substring(ws, we);
            int at;
            String seen;
            if (rule.pattern() == null) {
              at = start;
              seen = window;
            } else {
              com.google.re2j.Matcher m = rule.pattern().matcher(window);
              if (!m.find()) {
                continue;
              }
              if (rule.capability() == Capability.RAW_IP && !publicIp(m.group())) {
                continue;
              }
              at = ws + m.start();
              if (firstAt[r] >= 0 && at < firstAt[r] + 1) {
                continue;
              }
              seen = around(text, ws + m.start(), ws + m.end(), lines);
            }
            if (firstAt[r] < 0) {
              firstAt[r] = at;
              evidence[r] = seen;
            }
            if (track) {
              if (offsets[r] == null) {
                offsets[r] = new int[MAX_OFFSETS];
              }
              offsets[r][nOffsets[r]++] = at;
            }
            count[r]++;
          }
          return true;
        });
    // one finding per rule type and file: the first place, and how many more
    Map<String, Integer> seenType = new HashMap<>();
    for (int r = 0; r < n; r++) {
      if (firstAt[r] < 0) {
        continue;
      }
      TextRules.Rule rule = RULES.get(r);
      String key = rule.type();
      if (seenType.containsKey(key)) {
        continue;
      }
      seenType.put(key, r);
      String ev = prefix + evidence[r] + (count[r] > 1 ? " (and " + (count[r] - 1) + " more)" : "");
      out.add(
          new Signal(
              finding(rule.type(), rule.severity(), file, lines.lineOf(firstAt[r]), ev, rule.why()),
              rule.capability(),
              track ? Arrays.copyOf(offsets[r], nOffsets[r]) : Signal.ANYWHERE));
    }
  }

  private static void structural(
      String file,
      String text,
      char[] cs,
      Lang lang,
      Lines lines,
      String prefix,
      List<Signal> out) {
    // javascript-obfuscator style _0x1a2b names
    if (lang == Lang.JS) {
      Set<String> names = new LinkedHashSet<>();
      int firstAt = -1;
      for (int i = text.indexOf("_0x");
          i >= 0 && names.size() < 50;
          i = text.indexOf("_0x", i + 3)) {
        int j = i + 3;
        while (j < text.length() && j - i < 11 && isHex(cs[j])) {
          j++;
        }
        if (j - i >= 7) {
          names.add(text.substring(i, j));
          if (firstAt < 0) {
            firstAt = i;
          }
        }
      }
      if (names.size() >= 10) {
        out.add(
            new Signal(
                finding(
                    "obfuscator-names",
                    Severity.HIGH,
                    file,
                    lines.lineOf(firstAt),
                    prefix
                        + names.size()
                        + " identifiers like "
                        + String.join(", ", names.stream().limit(4).toList()),
                    "Machine-generated _0x… names are the mark of javascript-obfuscator; the code was made unreadable on purpose."),
                Capability.STRONG_OBFUSCATION));
      }
    }
    // code pushed far to the right by whitespace
    int run = 0;
    boolean contentBefore = false;
    int lineStart = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = cs[i];
      if (c == '\n') {
        run = 0;
        contentBefore = false;
        lineStart = i + 1;
      } else if (c == ' ' || c == '\t') {
        run++;
      } else {
        if (run >= 150
            && contentBefore
            && c != '#'
            && !(c == '/' && i + 1 < text.length() && cs[i + 1] == '/')
            && c != '*') {
          int end = Math.min(text.length(), i + 160);
          int nl = text.indexOf('\n', i);
          if (nl >= 0 && nl < end) {
            end = nl;
          }
          out.add(
              new Signal(
                  finding(
                      "hidden-code",
                      Severity.HIGH,
                      file,
                      lines.lineOf(i),
                      prefix + "after " + run + " blanks: " + clean(text.substring(i, end)),
                      "Code placed far to the right of visible text is hidden from reviewers and editors without wrapping."),
                  Capability.HIDDEN_CODE));
          return;
        }
        run = 0;
        contentBefore = true;
      }
      if (i - lineStart > 20_000) {
        // long minified line: skip to its end, it cannot hide anything by indentation
        int nl = text.indexOf('\n', i);
        if (nl < 0) {
          break;
        }
        i = nl - 1;
        run = 0;
      }
    }
  }

  private static void decodeStrings(
      String file, String text, char[] cs, Lang lang, Lines lines, int depth, List<Signal> out) {
    Set<String> hidden = new LinkedHashSet<>();
    Set<Capability> hiddenCaps = java.util.EnumSet.noneOf(Capability.class);
    int hiddenAt = -1;
    boolean codeFound = false;
    boolean blobFound = false;
    boolean urlFound = false;
    int len = text.length();
    int i = 0;
    while (i < len) {
      char c = cs[i];
      // hex literal: "2e2f74…"
      if ((c == '"' || c == '\'') && i + 9 < len && isHex(cs[i + 1])) {
        int j = i + 1;
        while (j < len && isHex(cs[j]) && j - i < 200_000) {
          j++;
        }
        int n = j - i - 1;
        if (j < len && cs[j] == c && n >= 6 && n % 2 == 0) {
          byte[] b = hexDecode(text, i + 1, j);
          String s = printable(b);
          if (s != null) {
            if (noteHidden(s, hidden, hiddenCaps) && hiddenAt < 0) {
              hiddenAt = i;
            }
            if (!urlFound && (s.startsWith("http://") || s.startsWith("https://"))) {
              urlFound = true;
              out.add(encodedUrl("hex", s, file, lines.lineOf(i)));
            }
            if (s.length() >= 24 && depth < MAX_DEPTH) {
              codeFound |= rescan(file, s, lang, lines.lineOf(i), depth, out);
            }
          }
          i = j + 1;
          continue;
        }
      }
      // \x41\x42 escapes
      if (c == '\\' && i + 3 < len && cs[i + 1] == 'x') {
        int j = i;
        StringBuilder sb = new StringBuilder();
        while (j + 3 < len + 0
            && j + 3 <= len - 1 + 1
            && cs[j] == '\\'
            && j + 1 < len
            && cs[j + 1] == 'x'
            && j + 3 < len
            && isHex(cs[j + 2])
            && isHex(cs[j + 3])) {
          sb.append((char) Integer.parseInt(text.substring(j + 2, j + 4), 16));
          j += 4;
        }
        if (sb.length() >= 4) {
          String s = printable(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
          if (s != null) {
            if (noteHidden(s, hidden, hiddenCaps) && hiddenAt < 0) {
              hiddenAt = i;
            }
            if (s.length() >= 24 && depth < MAX_DEPTH) {
              codeFound |= rescan(file, s, lang, lines.lineOf(i), depth, out);
            }
          }
          i = Math.max(j, i + 1);
          continue;
        }
      }
      // base64 runs, possibly split over lines
      if (isB64(c)) {
        int j = i;
        int letters = 0;
        int digits = 0;
        int upper = 0;
        int lower = 0;
        StringBuilder sb = null;
        while (j < len) {
          char d = cs[j];
          if (isB64(d)) {
            if (d >= '0' && d <= '9') {
              digits++;
            } else if (d >= 'A' && d <= 'Z') {
              upper++;
            } else if (d >= 'a' && d <= 'z') {
              lower++;
            }
            letters++;
            j++;
          } else if ((d == '\n' || d == '\r')
              && letters >= MIN_BASE64_RUN
              && j + 1 < len
              && isB64(cs[j + 1])) {
            j++;
          } else {
            break;
          }
        }
        int runLen = j - i;
        if (letters >= MIN_BASE64_RUN
            && digits > 0
            && upper > 2
            && lower > 2
            && !dataUri(text, i)) {
          String run = text.substring(i, j).replace("\n", "").replace("\r", "");
          if (run.startsWith("=")) {
            // stored backwards ("...=="[::-1]): padding comes first
            run = new StringBuilder(run).reverse().toString();
          }
          byte[] decoded = b64(run);
          if (decoded != null) {
            byte[] inflated = inflate(decoded);
            String s = printable(inflated != null ? inflated : decoded);
            if (s != null && s.length() >= 16) {
              noteHidden(s, hidden, hiddenCaps);
              String trimmed = s.trim();
              if (!urlFound
                  && (trimmed.startsWith("http://") || trimmed.startsWith("https://"))
                  && trimmed.indexOf(' ') < 0) {
                urlFound = true;
                out.add(encodedUrl("base64", trimmed, file, lines.lineOf(i)));
              }
              if (depth < MAX_DEPTH) {
                boolean code = rescan(file, s, lang, lines.lineOf(i), depth, out);
                if (code && !codeFound) {
                  codeFound = true;
                  out.add(
                      new Signal(
                          finding(
                              "encoded-code",
                              Severity.HIGH,
                              file,
                              lines.lineOf(i),
                              (inflated != null ? "[base64+zlib] " : "[base64] ")
                                  + clean(s.substring(0, Math.min(160, s.length()))),
                              "Program code stored base64-encoded is hidden from review and usually run with exec/eval."),
                          Capability.STRONG_OBFUSCATION));
                }
              }
            } else if (runLen >= 1000 && !blobFound) {
              blobFound = true;
              out.add(
                  new Signal(
                      finding(
                          "encoded-blob",
                          Severity.MEDIUM,
                          file,
                          lines.lineOf(i),
                          runLen
                              + " characters of base64 that decode to binary: "
                              + clean(run.substring(0, 60))
                              + "…",
                          "A large encoded binary blob in source code can be an encrypted or packed payload."),
                      Capability.WEAK_OBFUSCATION));
            }
          }
        }
        i = Math.max(j, i + 1);
        continue;
      }
      i++;
    }
    Set<String> strong = new LinkedHashSet<>(hidden);
    strong.removeIf(
        s ->
            HIDDEN_NAMES.get(s) == Capability.OTHER
                || s.equals("env")
                || s.equals("net")
                || s.equals("http")
                || s.equals("https")
                || s.equals("request")
                || s.equals("socket")
                || s.equals("system"));
    if (hiddenAt >= 0 && (strong.size() >= 2 || hidden.size() >= 4)) {
      out.add(
          new Signal(
              finding(
                  "encoded-api-names",
                  Severity.HIGH,
                  file,
                  lines.lineOf(hiddenAt),
                  "hex/escaped strings decode to: " + String.join(", ", hidden),
                  "Encoding the names of the APIs a program calls serves only to hide what it does."),
              Capability.STRONG_OBFUSCATION));
      for (Capability cap : hiddenCaps) {
        if (cap != Capability.OTHER) {
          out.add(
              new Signal(
                  finding(
                      "encoded-api-" + cap.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                      Severity.INFO,
                      file,
                      lines.lineOf(hiddenAt),
                      "decoded API names: " + String.join(", ", hidden),
                      "What the hidden API names let the code do."),
                  cap));
        }
      }
    }
  }

  /** Scans decoded text; true when it looks like program code. */
  private static boolean rescan(
      String file, String decoded, Lang lang, int line, int depth, List<Signal> out) {
    List<Signal> inner = new ArrayList<>();
    scan(file, decoded, lang, depth + 1, line - 1, inner);
    Set<String> already = new java.util.HashSet<>();
    for (Signal s : out) {
      already.add(s.finding().type());
    }
    for (Signal s : inner) {
      if (already.add(s.finding().type())) {
        out.add(s);
      } else {
        // keep capability evidence of decoded code even when the type was already reported
        out.add(s);
      }
    }
    String d = decoded;
    return d.contains("import ")
        || d.contains("require(")
        || d.contains("exec(")
        || d.contains("eval(")
        || d.contains("subprocess")
        || d.contains("os.system")
        || d.contains("powershell")
        || d.contains("function(")
        || d.contains("function (")
        || d.contains("=>")
        || (d.contains("http") && (d.contains("(") || d.contains("|")));
  }

  /**
   * True when the first dotted quad in the text is a public address (not private, loopback,
   * link-local).
   */
  static boolean publicIp(String text) {
    com.google.re2j.Matcher m =
        com.google.re2j.Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})")
            .matcher(text);
    if (!m.find()) {
      return false;
    }
    int a = Integer.parseInt(m.group(1));
    int b = Integer.parseInt(m.group(2));
    if (a > 255
        || b > 255
        || Integer.parseInt(m.group(3)) > 255
        || Integer.parseInt(m.group(4)) > 255) {
      return false;
    }
    return !(a == 0
        || a == 10
        || a == 127
        || (a == 169 && b == 254)
        || (a == 172 && b >= 16 && b <= 31)
        || (a == 192 && b == 168)
        || (a == 100 && b >= 64 && b <= 127)
        || a >= 224);
  }

  private static boolean noteHidden(String s, Set<String> hidden, Set<Capability> caps) {
    String t = s.trim();
    Capability cap = HIDDEN_NAMES.get(t);
    if (cap != null) {
      hidden.add(t);
      caps.add(cap);
      return true;
    }
    return false;
  }

  private static boolean dataUri(String text, int at) {
    int from = Math.max(0, at - 40);
    String before = text.substring(from, at).toLowerCase(Locale.ROOT);
    return before.contains(";base64,") || before.contains("data:");
  }

  private static byte[] hexDecode(String text, int from, int to) {
    int n = Math.min((to - from) / 2, MAX_DECODED_BYTES);
    byte[] b = new byte[n];
    for (int k = 0; k < n; k++) {
      b[k] = (byte) Integer.parseInt(text.substring(from + 2 * k, from + 2 * k + 2), 16);
    }
    return b;
  }

  private static byte[] b64(String run) {
    String s = run;
    int eq = s.indexOf('=');
    if (eq >= 0) {
      s = s.substring(0, eq);
    }
    s = s.length() > MAX_DECODED_BYTES ? s.substring(0, MAX_DECODED_BYTES) : s;
    s = s.substring(0, s.length() - s.length() % 4);
    try {
      if (s.indexOf('-') >= 0 || s.indexOf('_') >= 0) {
        return Base64.getUrlDecoder().decode(s);
      }
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] inflate(byte[] b) {
    if (b.length < 2 || (b[0] & 0xff) != 0x78) {
      return null;
    }
    Inflater inf = new Inflater();
    try {
      inf.setInput(b);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      while (!inf.finished() && out.size() < MAX_DECODED_BYTES) {
        int n = inf.inflate(buf);
        if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
          break;
        }
        out.write(buf, 0, n);
      }
      return out.size() > 0 ? out.toByteArray() : null;
    } catch (DataFormatException e) {
      return null;
    } finally {
      inf.end();
    }
  }

  /** The bytes as text when at least 90 % are printable ASCII or common whitespace, else null. */
  private static String printable(byte[] b) {
    if (b.length == 0) {
      return null;
    }
    int ok = 0;
    for (byte x : b) {
      int c = x & 0xff;
      if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t') {
        ok++;
      }
    }
    return ok * 10 >= b.length * 9 ? new String(b, StandardCharsets.UTF_8) : null;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static final boolean[] B64 = new boolean[128];

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      B64[c] = true;
      B64[c + 32] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      B64[c] = true;
    }
    for (char c : "+/=-_".toCharArray()) {
      B64[c] = true;
    }
  }

  private static boolean isB64(char c) {
    return c < 128 && B64[c];
  }

  static Finding finding(
      String type, Severity severity, String file, int line, String evidence, String why) {
    return new Finding(
        type, ScoreCategory.SUPPLY_CHAIN, severity, file, Math.max(0, line), clip(evidence), why);
  }

  static String clip(String s) {
    String c = clean(s);
    return c.length() <= 300 ? c : c.substring(0, 297) + "...";
  }

  static String clean(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 400));
    boolean space = false;
    for (int i = 0; i < s.length() && b.length() < 400; i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        if (!space && b.length() > 0) {
          b.append(' ');
        }
        space = true;
      } else {
        b.append(c);
        space = false;
      }
    }
    return b.toString().trim();
  }

  private static String around(String text, int from, int to, Lines lines) {
    int s = Math.max(lines.startOf(from), from - 60);
    int e = Math.min(lines.endOf(from), Math.max(to, from) + 80);
    e = Math.max(e, Math.min(to, s + 300));
    return clean(text.substring(s, Math.min(e, text.length())));
  }

  /** Line starts of a text, for offsets to 1-based line numbers. */
  static final class Lines {
    private final String text;
    private final char[] cs;
    private final int base;
    private int[] starts;

    Lines(String text, char[] cs, int base) {
      this.text = text;
      this.cs = cs;
      this.base = base;
    }

    int lineOf(int offset) {
      if (starts == null) {
        int count = 1;
        for (char c : cs) {
          if (c == '\n') {
            count++;
          }
        }
        starts = new int[count];
        int k = 1;
        for (int i = 0; i < cs.length; i++) {
          if (cs[i] == '\n') {
            starts[k++] = i + 1;
          }
        }
      }
      int idx = Arrays.binarySearch(starts, offset);
      return base + (idx >= 0 ? idx + 1 : -idx - 1);
    }

    /** The start of the line holding offset, looking back at most 400 characters. */
    int startOf(int offset) {
      int stop = Math.max(0, offset - 400);
      for (int i = Math.min(offset, cs.length) - 1; i >= stop; i--) {
        if (cs[i] == '\n') {
          return i + 1;
        }
      }
      return stop;
    }

    /** The end of the line holding offset, looking ahead at most 400 characters. */
    int endOf(int offset) {
      int stop = Math.min(text.length(), offset + 400);
      for (int i = offset; i < stop; i++) {
        if (cs[i] == '\n') {
          return i;
        }
      }
      return stop;
    }
  }

  /** A URL found only after decoding a literal: hidden from review, so strong obfuscation. */
  private static Signal encodedUrl(String encoding, String url, String file, int line) {
    return new Signal(
        finding(
            "encoded-url",
            Severity.HIGH,
            file,
            line,
            encoding + " literal decodes to " + clean(url),
            "A URL stored "
                + encoding
                + "-encoded is hidden from review and from scanners; legitimate code writes its"
                + " endpoints plainly."),
        Capability.STRONG_OBFUSCATION);
  }
}
