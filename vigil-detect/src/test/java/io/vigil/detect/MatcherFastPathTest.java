package io.vigil.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The matching fast paths agree with the plain matchers: counted-dot regexes answered without
 * RE2/J, and field automata split into anchored, reversed-suffix and substring parts.
 */
class MatcherFastPathTest {
  private static ValueTest.Regex regex(String re, int flags) {
    return new ValueTest.Regex(com.google.re2j.Pattern.compile(re, flags), re);
  }

  private static boolean re2j(String re, int flags, String s) {
    return com.google.re2j.Pattern.compile(re, flags).matcher(s).find();
  }

  @Test
  void countedDot_shapesRecognised() {
    assertThat(ValueTest.Regex.minChars(".{1000,}")).isEqualTo(1000);
    assertThat(ValueTest.Regex.dotRun(".{1000,}")).isTrue();
    assertThat(ValueTest.Regex.dotRun(".{5}")).isTrue();
    assertThat(ValueTest.Regex.dotRun(".{5,9}")).isTrue();
    assertThat(ValueTest.Regex.minChars("^.{5,}$")).isEqualTo(5);
    assertThat(ValueTest.Regex.dotRun("^.{5,}$")).isFalse();
    assertThat(ValueTest.Regex.minChars("a.{5,}")).isZero();
    assertThat(ValueTest.Regex.dotRun("\\.{5,}")).isFalse();
  }

  @Test
  void countedDot_sameAnswerAsRe2j() {
    String high = "\uD83D\uDE00"; // one code point, two chars
    List<String> values =
        List.of(
            "",
            "abcd",
            "abcde",
            "ab\ncde",
            "abc\ndefgh",
            "\n\n\nabcde\n",
            high + high + high + high,
            high + high + high + high + high,
            "ab" + high + "cd",
            "\uD83Dabcd", // a lone high surrogate counts as one code point
            "abcd\uDE00");
    for (String re : List.of(".{5,}", ".{5}", ".{5,7}", "^.{5,}", ".{5,}$", "^.{5}$")) {
      for (int flags : new int[] {0, com.google.re2j.Pattern.DOTALL}) {
        ValueTest.Regex t = regex(re, flags);
        for (String v : values) {
          assertThat(t.test(v, -1, null))
              .as("%s flags %d on %s", re, flags, v.replace("\n", "\\n"))
              .isEqualTo(re2j(re, flags, v));
        }
      }
    }
  }

  @Test
  void countedDot_longValue() {
    ValueTest.Regex t = regex(".{1000,}", 0);
    assertThat(t.test("x".repeat(999), -1, null)).isFalse();
    assertThat(t.test("x".repeat(1000), -1, null)).isTrue();
    assertThat(t.test("x".repeat(600) + "\n" + "x".repeat(600), -1, null)).isFalse();
    assertThat(
            regex(".{1000,}", com.google.re2j.Pattern.DOTALL)
                .test("x".repeat(600) + "\n" + "x".repeat(600), -1, null))
        .isTrue();
  }

  /** Marks of a value over an automaton of one needle (rule 0), read forwards or reversed. */
  private static boolean marks(String needle, String value, boolean reversed) {
    Map<String, int[]> m = new LinkedHashMap<>();
    m.put(needle, new int[] {0});
    long[] bits = new long[1];
    new FieldAutomaton(m).scan(value, reversed, bits);
    return bits[0] != 0;
  }

  private static String exact(String s) {
    return FieldAutomaton.BEGIN + s + FieldAutomaton.END;
  }

  private static String prefix(String s) {
    return FieldAutomaton.BEGIN + s;
  }

  private static String suffix(String s) {
    return Bucket.reverseSuffix(s + FieldAutomaton.END);
  }

  @Test
  void anchoredAutomaton_exactAndPrefix_stopEarlyButFindEverything() {
    Map<String, int[]> m = new LinkedHashMap<>();
    m.put(exact("cmd.exe"), new int[] {0});
    m.put(prefix("c:\\windows\\"), new int[] {1});
    m.put(prefix("c:\\win"), new int[] {2});
    FieldAutomaton a = new FieldAutomaton(m);
    assertThat(a.anchored()).isTrue();
    long[] bits = new long[1];
    a.scan("C:\\Windows\\System32\\cmd.exe", false, bits);
    assertThat(bits[0]).isEqualTo(0b110L);
    bits[0] = 0;
    a.scan("CMD.EXE", false, bits);
    assertThat(bits[0]).isEqualTo(0b001L);
    bits[0] = 0;
    a.scan("x cmd.exe", false, bits);
    assertThat(bits[0]).isZero();
    assertThat(marks(exact("cmd.exe"), "cmd.exe ", false)).isFalse();
    assertThat(marks(exact(""), "", false)).isTrue();
    assertThat(marks(exact(""), "a", false)).isFalse();
  }

  @Test
  void reversedSuffixAutomaton_readsFromTheEnd() {
    assertThat(marks(suffix("\\cmd.exe"), "C:\\Windows\\System32\\CMD.exe", true)).isTrue();
    assertThat(marks(suffix("\\cmd.exe"), "C:\\Windows\\System32\\CMD.exe ", true)).isFalse();
    assertThat(marks(suffix("\\cmd.exe"), "cmd.exe", true)).isFalse();
    assertThat(marks(suffix("\\cmd.exe"), "\\cmd.exe", true)).isTrue();
    // non-ASCII: the value is lower-cased as a whole (the Kelvin sign becomes k)
    assertThat(marks(suffix("\\kä.exe"), "D:\\été\\\u212AÄ.EXE", true)).isTrue();
    assertThat(marks(suffix("\\kä.exe"), "D:\\été\\\u212AÄ.EXE2", true)).isFalse();
    // numbers are read as their decimal text, backwards too
    Map<String, int[]> m = new LinkedHashMap<>();
    m.put(suffix("4688"), new int[] {0});
    long[] bits = new long[1];
    new FieldAutomaton(m).scan(14688L, new char[24], true, bits);
    assertThat(bits[0]).isEqualTo(1L);
    bits[0] = 0;
    new FieldAutomaton(m).scan(46880L, new char[24], true, bits);
    assertThat(bits[0]).isZero();
  }

  @Test
  void substringAutomaton_notAnchored_scansEverything() {
    Map<String, int[]> m = new LinkedHashMap<>();
    m.put("-enc", new int[] {0});
    m.put(prefix("powershell"), new int[] {1});
    FieldAutomaton a = new FieldAutomaton(m);
    assertThat(a.anchored()).isFalse();
    long[] bits = new long[1];
    a.scan("PowerShell -nop -ENC abc", false, bits);
    assertThat(bits[0]).isEqualTo(0b11L);
    bits[0] = 0;
    a.scan("x powershell -nop -ENC abc", false, bits);
    assertThat(bits[0]).isEqualTo(0b01L);
    bits[0] = 0;
    a.scan("abc \u00e9 -enc", false, bits);
    assertThat(bits[0]).isEqualTo(0b01L);
  }

  @Test
  void substringAutomaton_skippingAtTheRoot_findsWhatContainsFinds() {
    List<String> needles =
        List.of("x", "-enc", "enc", "nco", "::", "a::b", "powershell", "shell", "ll -", "\\temp\\");
    Map<String, int[]> m = new LinkedHashMap<>();
    for (int i = 0; i < needles.size(); i++) {
      m.put(needles.get(i), new int[] {i});
    }
    // dense, and sparse beyond the first state (the tables of automata too large to be dense)
    for (FieldAutomaton a : List.of(new FieldAutomaton(m), new FieldAutomaton(m, 1))) {
      findsWhatContainsFinds(a, needles);
    }
  }

  private static void findsWhatContainsFinds(FieldAutomaton a, List<String> needles) {
    java.util.Random random = new java.util.Random(42);
    String alphabet = "abcelnoprswx-: \\ENCX";
    for (int round = 0; round < 2000; round++) {
      StringBuilder sb = new StringBuilder();
      int len = random.nextInt(40);
      for (int i = 0; i < len; i++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (round % 7 == 0) {
        sb.insert(random.nextInt(sb.length() + 1), needles.get(random.nextInt(needles.size())));
      }
      if (round % 11 == 0) {
        sb.insert(random.nextInt(sb.length() + 1), "\u00e9"); // non-ASCII: lower-cased as a whole
      }
      String value = sb.toString();
      long expected = 0;
      for (int i = 0; i < needles.size(); i++) {
        if (value.toLowerCase(java.util.Locale.ROOT).contains(needles.get(i))) {
          expected |= 1L << i;
        }
      }
      long[] bits = new long[1];
      a.scan(value, false, bits);
      assertThat(bits[0]).as(value).isEqualTo(expected);
    }
  }

  @Test
  void substringAutomaton_longNeedlesShiftTable_findsWhatLowerCaseContainsFinds() {
    // every needle >= SKIP_MIN characters: the scan moves by the shift table of window pairs
    List<String> needles =
        List.of(
            "kiwi",
            "-encodedcommand",
            "\\temp\\",
            "cmlua.dll",
            "i\u0307ex",
            "abab",
            "baba",
            "aaaa",
            "powershell",
            "shell -e",
            "ll -e",
            "\u00e9t\u00e9",
            "\u02e3x");
    Map<String, int[]> m = new LinkedHashMap<>();
    for (int i = 0; i < needles.size(); i++) {
      m.put(needles.get(i), new int[] {i});
    }
    FieldAutomaton a = new FieldAutomaton(m);
    Map<String, int[]> ascii = new LinkedHashMap<>(m);
    ascii.remove("i\u0307ex"); // non-ASCII needles: no shift table (pair filter only)
    ascii.remove("\u00e9t\u00e9");
    ascii.remove("\u02e3x");
    FieldAutomaton b = new FieldAutomaton(ascii);
    java.util.Random random = new java.util.Random(7);
    String alphabet = "abeiklmnoprsuwx-. \\ABEIKLSW";
    String[] odd = {
      "\u212A", "\u0130", "\u00e9", "\u0131", "\u00C4", "\u00C9T\u00C9", "\u02e3X", "\u02e3x"
    };
    for (int round = 0; round < 5000; round++) {
      StringBuilder sb = new StringBuilder();
      int len = random.nextInt(round % 50 == 0 ? 600 : 60);
      for (int i = 0; i < len; i++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (round % 3 == 0) {
        String n = needles.get(random.nextInt(needles.size()));
        sb.insert(random.nextInt(sb.length() + 1), random.nextBoolean() ? n : n.toUpperCase());
      }
      if (round % 5 == 0) {
        // the Kelvin sign and the dotted capital I lower-case to ASCII; the others do not
        sb.insert(random.nextInt(sb.length() + 1), odd[random.nextInt(odd.length)]);
      }
      if (round % 13 == 0) {
        sb.insert(random.nextInt(sb.length() + 1), "\u212Aiwi");
      }
      String value = sb.toString();
      String lower = value.toLowerCase(java.util.Locale.ROOT);
      long expected = 0;
      long expectedAscii = 0;
      for (int i = 0; i < needles.size(); i++) {
        if (lower.contains(needles.get(i))) {
          expected |= 1L << i;
          if (ascii.containsKey(needles.get(i))) {
            expectedAscii |= 1L << i;
          }
        }
      }
      long[] bits = new long[1];
      a.scan(value, false, bits);
      assertThat(bits[0]).as(value).isEqualTo(expected);
      bits[0] = 0;
      b.scan(value, false, bits);
      assertThat(bits[0]).as(value).isEqualTo(expectedAscii);
    }
    assertThat(marks("kiwi", "", false)).isFalse();
    assertThat(marks("kiwi", "KIW", false)).isFalse();
    assertThat(marks("kiwi", "xx\u212AIWI", false)).isTrue();
  }

  /** The keyword scan of a JSON text: the marks, or -1 when it cannot answer. */
  private static long keywordMarks(String json, String... needles) {
    Map<String, int[]> m = new LinkedHashMap<>();
    for (int i = 0; i < needles.length; i++) {
      m.put(needles[i], new int[] {i});
    }
    long[] bits = new long[1];
    return KeywordScanner.of(m).scan(json, bits) ? bits[0] : -1;
  }

  /**
   * The keyword scan of the same JSON from its UTF-8 bytes, with the traits the byte parser learnt:
   * the marks, or -1 when it cannot answer (the caller then decodes).
   */
  private static long keywordMarksFromBytes(String json, String... needles) {
    Map<String, int[]> m = new LinkedHashMap<>();
    for (int i = 0; i < needles.length; i++) {
      m.put(needles[i], new int[] {i});
    }
    byte[] utf8 = ("  " + json + " ").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    io.vigil.event.Event e =
        new io.vigil.event.JsonEventParser(io.vigil.event.FieldSchema.of(List.of("a")))
            .parse(utf8, 1, utf8.length - 1, "test", 1);
    assertThat(e.rawTraits()).as("parsed from bytes: %s", json).isNotNegative();
    long[] bits = new long[1];
    return KeywordScanner.of(m).scan(utf8, 1, utf8.length - 1, e.rawTraits(), bits) ? bits[0] : -1;
  }

  @Test
  void keywordScanOfBytes_sameMarksAsTheTextScan() {
    String[][] cases = {
      {"{\"a\":\"x SEKURLSA::logonpasswords\"}", "sekurlsa::", "mimikatz"},
      {"{\"a\":\"C:\\\\Temp\\\\mimilib.dll\"}", "\\mimilib.dll"},
      {"{\"a\":\"say \\\"hi\\\"\"}", "\"hi\""},
      {"{\"u\":\"http:\\/\\/x\",\"a\":\"kerberos::ptt\"}", "kerberos::ptt"},
      {"{\"a\":\"C:\\\\users mimikatz\"}", "mimikatz"},
      // non-ASCII text around and inside values: never part of an ASCII needle
      {"{\"a\":\"Microsoft\u00ae Windows\u00ae mimikatz.exe\u00e9\"}", "mimikatz", "windows"},
      {"{\"\u00e9t\u00e9\":\"\u00e9Kiwi Legit Printer\u20ac\"}", "kiwi legit printer"},
      // needles at the very start and end of the text, and across values and keys
      {"{\"kiwi\":1}", "{\"kiwi", "1}", "kiwi\":1"},
      // the dotless i and the long s fold to ASCII letters in upper case: not the same letters
      {"{\"a\":\"m\u0131m\u0131katz \u017fekurlsa::\"}", "mimikatz", "sekurlsa::"},
    };
    for (String[] c : cases) {
      String[] needles = java.util.Arrays.copyOfRange(c, 1, c.length);
      long text = keywordMarks(c[0], needles);
      assertThat(text).as(c[0]).isNotNegative();
      assertThat(keywordMarksFromBytes(c[0], needles)).as(c[0]).isEqualTo(text);
    }
    assertThat(keywordMarksFromBytes("{\"a\":\"x sekurlsa:: \u00ae\"}", "sekurlsa::", "y"))
        .isEqualTo(0b01L);
    assertThat(keywordMarksFromBytes("{\"a\":\"m\u0131m\u0131katz\"}", "mimikatz")).isZero();
    // what the bytes cannot show: a backslash-u escape, an escaped slash when a needle has one, a
    // character whose lower case is ASCII
    assertThat(keywordMarksFromBytes("{\"a\":\"\\u006dimikatz\"}", "mimikatz")).isEqualTo(-1L);
    assertThat(keywordMarksFromBytes("{\"u\":\"a\\/b\"}", "a/b", "kerberos::ptt")).isEqualTo(-1L);
    assertThat(keywordMarksFromBytes("{\"u\":\"a\\/b kerberos::ptt\"}", "kerberos::ptt"))
        .isEqualTo(0b1L);
    assertThat(keywordMarksFromBytes("{\"a\":\"mimi\u212Aatz\"}", "mimikatz")).isEqualTo(-1L);
    assertThat(keywordMarksFromBytes("{\"a\":\"\u0130 mimikatz\"}", "mimikatz")).isEqualTo(-1L);
  }

  @Test
  void keywordScanOfBytes_randomTexts_sameMarksAsTheTextScan() {
    java.util.Random random = new java.util.Random(42);
    String[] pieces = {
      "mimi",
      "katz",
      "::",
      "sekurlsa",
      "Kiwi",
      " ",
      ".",
      "\\\\",
      "\\\"",
      "\u00ae",
      "\u00e9",
      "\u20ac",
      "k",
      "K",
      "dll",
      "lsadump",
      "x",
      "\u4e2d",
      "\\n"
    };
    String[] needles = {"mimikatz", "sekurlsa::", "lsadump::", "kiwi legit", ".dll", "\\mimi"};
    for (int round = 0; round < 2_000; round++) {
      StringBuilder json = new StringBuilder("{");
      int fields = 1 + random.nextInt(4);
      for (int f = 0; f < fields; f++) {
        json.append(f == 0 ? "" : ",").append("\"f").append(f).append("\":\"");
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
          String p = pieces[random.nextInt(pieces.length)];
          json.append(
              random.nextBoolean() || p.startsWith("\\")
                  ? p
                  : p.toUpperCase(java.util.Locale.ROOT));
        }
        json.append('"');
      }
      String text = json.append('}').toString();
      long expected = keywordMarks(text, needles);
      assertThat(expected).as(text).isNotNegative().isEqualTo(referenceMarks(text, needles));
      assertThat(keywordMarksFromBytes(text, needles)).as(text).isEqualTo(expected);
    }
  }

  /** The needles (JSON-spelt) that occur in the text ignoring ASCII case, the slow way. */
  private static long referenceMarks(String json, String... needles) {
    StringBuilder folded = new StringBuilder();
    for (char c : json.toCharArray()) {
      folded.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    long marks = 0;
    for (int i = 0; i < needles.length; i++) {
      String spelt = needles[i].replace("\\", "\\\\").replace("\"", "\\\"");
      if (folded.indexOf(spelt) >= 0) {
        marks |= 1L << i;
      }
    }
    return marks;
  }

  @Test
  void keywordScan_needlesSharingAnchors_foundInEitherCase() {
    // many needles on a few anchors (the mimikatz keyword rule's shape), in either case
    String[] needles = {
      "dpapi::masterkey",
      "kerberos::ptt",
      "sekurlsa::",
      "eo.oe.kiwi",
      "gentilkiwi.com",
      "kiwi legit printer",
      "mimidrv.sys",
      "\\mimilib.dll",
      "kali"
    };
    String text =
        "{\"a\":\"KERBEROS::PTT and Sekurlsa::logonpasswords\",\"b\":\"C:\\\\x\\\\MIMILIB.dll\","
            + "\"c\":\"http://GentilKiwi.com kiwikiwi legit printer\",\"k\":\"kal\"}";
    assertThat(keywordMarks(text, needles))
        .isEqualTo(referenceMarks(text, needles))
        .isEqualTo(0b010110110L);
    assertThat(keywordMarksFromBytes(text, needles)).isEqualTo(0b010110110L);
  }

  @Test
  void keywordScan_escapesInTheText() {
    // needles are found in JSON spelling, ignoring ASCII case
    assertThat(keywordMarks("{\"a\":\"x SEKURLSA::logonpasswords\"}", "sekurlsa::", "mimikatz"))
        .isEqualTo(0b01L);
    assertThat(keywordMarks("{\"a\":\"C:\\\\Temp\\\\mimilib.dll\"}", "\\mimilib.dll"))
        .isEqualTo(0b1L);
    assertThat(keywordMarks("{\"a\":\"say \\\"hi\\\"\"}", "\"hi\"")).isEqualTo(0b1L);
    // an escaped slash hides nothing from needles without a slash: still answered
    assertThat(keywordMarks("{\"u\":\"http:\\/\\/x\",\"a\":\"kerberos::ptt\"}", "kerberos::ptt"))
        .isEqualTo(0b1L);
    // ... but may hide a needle with one: no answer, the caller decodes
    assertThat(keywordMarks("{\"u\":\"a\\/b\"}", "a/b", "kerberos::ptt")).isEqualTo(-1L);
    // a backslash-u escape may hide any needle; an escaped backslash before u is no escape
    assertThat(keywordMarks("{\"a\":\"\\u006dimikatz\"}", "mimikatz")).isEqualTo(-1L);
    assertThat(keywordMarks("{\"a\":\"C:\\\\users mimikatz\"}", "mimikatz")).isEqualTo(0b1L);
    // characters whose lower case is ASCII: no answer
    assertThat(keywordMarks("{\"a\":\"mimi\u212Aatz\"}", "mimikatz")).isEqualTo(-1L);
  }

  @Test
  void wildcardOnly_matchesEveryValueButNull() {
    for (String glob : List.of("*", "**", "***")) {
      ValueTest.Str t = ValueTest.Str.of(Pattern.parse(glob), false);
      MatchContext ctx = new MatchContext();
      assertThat(t.test("", -1, ctx)).as(glob).isTrue();
      assertThat(t.test("Any \u212A Text", -1, ctx)).as(glob).isTrue();
      assertThat(t.test(42L, -1, ctx)).as(glob).isTrue();
      assertThat(t.test(Boolean.FALSE, -1, ctx)).as(glob).isTrue();
      assertThat(t.test(io.vigil.event.Event.NULL, -1, ctx)).as(glob).isFalse();
    }
    // an empty exact value still matches only the empty text
    ValueTest.Str empty = ValueTest.Str.of(Pattern.parse(""), false);
    assertThat(empty.test("", -1, new MatchContext())).isTrue();
    assertThat(empty.test("x", -1, new MatchContext())).isFalse();
  }

  @Test
  void longValues_testedWithoutALowerCaseCopy_sameAnswerAsTheLowerCaseForm() {
    String[] patterns = {
      "*kiwi*", "*-enc*", "*\\powershell.exe", "c:\\windows\\*", "*update-help*", "*é*",
      "*\u212Aelvin*", "*=*", "*ab?d*", "*x*", "*~q*", "*\\*",
    };
    String[] pieces = {
      "C:\\Windows\\",
      "\\PowerShell.exe",
      "KIWI",
      "kiWi",
      "\u212Aiwi",
      "-EnC",
      "\u0130",
      "\u0131",
      "é",
      "É",
      "abXd",
      "=",
      "Update-Help",
      " ",
      "x",
      "~Q",
      "\u017f",
      "Z".repeat(60),
      "y".repeat(100),
    };
    java.util.Random random = new java.util.Random(7);
    MatchContext ctx = new MatchContext();
    for (int round = 0; round < 3_000; round++) {
      StringBuilder sb = new StringBuilder();
      while (sb.length() < ValueTest.Str.FOLD_MIN || random.nextInt(4) != 0) {
        sb.append(pieces[random.nextInt(pieces.length)]);
      }
      String value = sb.toString();
      String lower = value.toLowerCase(java.util.Locale.ROOT);
      for (String p : patterns) {
        ValueTest.Str t = ValueTest.Str.of(Pattern.parse(p), false);
        assertThat(t.test(value, -1, ctx))
            .as("%s on '%s'", p, value)
            .isEqualTo(t.testText(value, lower));
      }
    }
    // found at the value's very start and end, in any case
    ValueTest.Str kiwi = ValueTest.Str.of(Pattern.parse("*kiwi*"), false);
    String pad = "-".repeat(ValueTest.Str.FOLD_MIN);
    assertThat(kiwi.test("KiWi" + pad, -1, ctx)).isTrue();
    assertThat(kiwi.test(pad + "kIWI", -1, ctx)).isTrue();
    assertThat(kiwi.test(pad + "kIW", -1, ctx)).isFalse();
    assertThat(ValueTest.Str.of(Pattern.parse("*\\x.exe"), false).test(pad + "\\X.EXE", -1, ctx))
        .isTrue();
  }

  @Test
  void fieldItemIndex_givesTheAnswerOfItsTestsOneByOne() {
    // Sigma patterns: exact, prefix, suffix, contains, empty, glob, cased and numeric values
    String[] patterns = {
      "cmd.exe",
      "*\\cmd.exe",
      "*\\powershell.exe",
      "c:\\windows\\*",
      "*kiwi*",
      "*-enc*",
      "*\u212Aelvin*",
      "",
      "*ab?d*",
      "4688",
      "*\\i\u0307*",
      "*=*",
      "*update-help*",
      "*é*"
    };
    java.util.Random random = new java.util.Random(11);
    String[] pieces = {
      "C:\\Windows\\",
      "CMD.EXE",
      "cmd.exe",
      "\\PowerShell.exe",
      "KIWI",
      "\u212Aiwi",
      "-EnC",
      "\u0130",
      "\u0131",
      "é",
      "É",
      "abXd",
      "4688",
      "=",
      "Update-Help",
      " ",
      "\\",
      "x"
    };
    for (int round = 0; round < 300; round++) {
      List<ValueTest> tests = new java.util.ArrayList<>();
      int n = 4 + random.nextInt(8);
      for (int i = 0; i < n; i++) {
        String p = patterns[random.nextInt(patterns.length)];
        tests.add(ValueTest.Str.of(Pattern.parse(p), random.nextInt(10) == 0));
      }
      ValueTest[] ts = tests.toArray(ValueTest[]::new);
      Cond.FieldMatch indexed = new Cond.FieldMatch(null, ts, false, false, false, "f");
      Cond.FieldMatch plain = new Cond.FieldMatch(null, ts, false, false, false, "f", null, -1);
      MatchContext ctx = new MatchContext();
      for (int v = 0; v < 40; v++) {
        StringBuilder sb = new StringBuilder();
        int parts = random.nextInt(5);
        for (int i = 0; i < parts; i++) {
          sb.append(pieces[random.nextInt(pieces.length)]);
        }
        String value = sb.toString();
        // the index is built after a few evaluations: compare before and after
        assertThat(indexed.matches(value, -1, ctx))
            .as("%s on '%s'", tests, value)
            .isEqualTo(plain.matches(value, -1, ctx));
      }
      assertThat(indexed.matches(4688L, -1, ctx)).isEqualTo(plain.matches(4688L, -1, ctx));
      assertThat(indexed.matches(List.of("x", "CMD.exe"), -1, ctx))
          .isEqualTo(plain.matches(List.of("x", "CMD.exe"), -1, ctx));
    }
    assertThat(StrIndex.of(new ValueTest[] {ValueTest.Str.of(Pattern.parse("*a*"), false)}, false))
        .isNull();
  }
}
