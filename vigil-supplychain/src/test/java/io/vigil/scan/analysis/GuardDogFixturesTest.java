package io.vigil.scan.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.lingala.zip4j.io.inputstream.ZipInputStream;
import net.lingala.zip4j.model.LocalFileHeader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GuardDog's rule fixtures as oracles: each {@code ruleid:} annotation marks a snippet that should
 * show the capability our rules map that GuardDog rule to; each {@code ok:} a snippet that should
 * not. The fixtures are read from the password zip in memory, never extracted. The thresholds are
 * the measured rates rounded down: a drop means a rule got worse.
 */
class GuardDogFixturesTest {
  private static Map<String, String> fixtures;

  static synchronized Map<String, String> fixtures() throws IOException {
    if (fixtures == null) {
      Path zip =
          SharedData.require(
              "supplychain-samples/malicious/snippets/guarddog-v2.10.0-rule-fixtures.zip");
      Map<String, String> m = new HashMap<>();
      try (InputStream in = Files.newInputStream(zip);
          ZipInputStream z = new ZipInputStream(in, "infected".toCharArray())) {
        LocalFileHeader h;
        while ((h = z.getNextEntry()) != null) {
          if (!h.isDirectory()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            z.transferTo(out);
            String name = h.getFileName().substring(h.getFileName().lastIndexOf('/') + 1);
            m.put(name, out.toString(StandardCharsets.UTF_8));
          }
        }
      }
      fixtures = m;
    }
    return fixtures;
  }

  record Snippet(boolean positive, int line, String code) {}

  /** The snippets under annotations for one rule: the code after the comment, to a blank line. */
  static List<Snippet> snippets(String text, String rule) {
    String[] lines = text.split("\n", -1);
    List<Snippet> out = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].trim();
      boolean pos = l.matches("^(#|//)\\s*ruleid:\\s*" + rule + "\\b.*");
      boolean neg = l.matches("^(#|//)\\s*ok:\\s*" + rule + "\\b.*");
      if (!pos && !neg) {
        continue;
      }
      // the code after the annotation, plus the lines just above it (GuardDog rules follow data)
      StringBuilder code = new StringBuilder();
      int k = i - 1;
      while (k >= 0
          && !lines[k].trim().isEmpty()
          && !lines[k].trim().matches("^(#|//)\\s*(ruleid|ok):.*")
          && i - k < 12) {
        k--;
      }
      for (int j = k + 1; j < i; j++) {
        if (!lines[j].trim().startsWith("#") && !lines[j].trim().startsWith("//")) {
          code.append(lines[j]).append('\n');
        }
      }
      for (int j = i + 1; j < lines.length && j < i + 25; j++) {
        String c = lines[j].trim();
        if (c.isEmpty() || c.matches("^(#|//)\\s*(ruleid|ok):.*")) {
          break;
        }
        code.append(lines[j]).append('\n');
      }
      out.add(new Snippet(pos, i + 1, code.toString()));
    }
    return out;
  }

  @ParameterizedTest(name = "{0} as {2}")
  @CsvSource({
    // fixture file, GuardDog rule, our capabilities (any of), min recall %, max ok-hits %
    "exec-base64.py, exec-base64, DECODED_EXEC, 65, 0",
    "npm-exec-base64.js, npm-exec-base64, DECODED_EXEC, 50, 0",
    "npm-serialize-environment.js, npm-serialize-environment, ENV_HARVEST, 100, 100",
    "download-executable.py, download-executable, EXEC_WRITE, 40, 25",
    "pyarmor.py, pyarmor, STRONG_OBFUSCATION, 50, 0",
    "clipboard-access.py, clipboard-access, SPY, 70, 0",
    "exfiltrate-sensitive-data.py, exfiltrate-sensitive-data, SECRET_READ STEALER_TARGET ENV_HARVEST SYSTEM_INFO, 65, 50",
    "shady-links.py, shady-links, EXFIL_ENDPOINT RAW_IP, 10, 15",
    "obfuscation.py, obfuscation, STRONG_OBFUSCATION HIDDEN_CODE DECODED_EXEC, 35, 50",
    "npm-obfuscation.js, npm-obfuscation, STRONG_OBFUSCATION HIDDEN_CODE DECODED_EXEC, 25, 25",
  })
  void fixtures_annotatedSnippets_matchTheMappedCapability(
      String file, String rule, String capabilities, int minRecall, int maxOkHits)
      throws IOException {
    String text = fixtures().get(file);
    assertThat(text).as(file + " in the fixtures zip").isNotNull();
    Set<Capability> wanted = EnumSet.noneOf(Capability.class);
    for (String c : capabilities.trim().split("\\s+")) {
      wanted.add(Capability.valueOf(c));
    }
    Lang lang = file.endsWith(".py") ? Lang.PY : Lang.JS;
    int pos = 0;
    int hit = 0;
    int neg = 0;
    int okHit = 0;
    List<String> missed = new ArrayList<>();
    for (Snippet s : snippets(text, rule)) {
      Set<Capability> got =
          TextScanner.scan(file, s.code(), lang).stream()
              .map(Signal::capability)
              .collect(Collectors.toCollection(() -> EnumSet.noneOf(Capability.class)));
      got.retainAll(wanted);
      if (s.positive()) {
        pos++;
        if (!got.isEmpty()) {
          hit++;
        } else {
          missed.add(file + ":" + s.line());
        }
      } else {
        neg++;
        if (!got.isEmpty()) {
          okHit++;
        }
      }
    }
    int recall = pos == 0 ? 100 : 100 * hit / pos;
    int okRate = neg == 0 ? 0 : 100 * okHit / neg;
    System.out.printf(
        Locale.ROOT,
        "%s: %d/%d positives (%d %%), %d/%d ok-snippets flagged; missed %s%n",
        file,
        hit,
        pos,
        recall,
        okHit,
        neg,
        missed);
    assertThat(recall)
        .as("recall on " + file + ", missed " + missed)
        .isGreaterThanOrEqualTo(minRecall);
    assertThat(okRate).as("ok-snippets flagged in " + file).isLessThanOrEqualTo(maxOkHits);
  }
}
