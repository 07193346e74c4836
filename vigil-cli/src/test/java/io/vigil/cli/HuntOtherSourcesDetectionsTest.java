package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.testing.SharedData;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hunts with SigmaHQ's {@code rules} folder over the Linux, network, web and cloud datasets and
 * checks the key detections reviewed in docs/DETECTIONS.md ("Linux, network, web and cloud"): each
 * listed rule fires at least the reviewed number of times on its dataset, and the datasets where no
 * SigmaHQ rule applies stay silent. The events reach the rules through the readers' normalization
 * and the built-in linux, zeek, webserver, aws and suricata mappings.
 */
class HuntOtherSourcesDetectionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Dataset folder to rule id to the least number of detections expected. */
  private static final Map<String, Map<String, Integer>> EXPECTED =
      Map.of(
          "linux/otrf",
          Map.of("11063ec2-de63-4153-935e-b1a8b9e616f1", 1), // Linux Remote System Discovery
          "network/otrf-apt29-zeek",
          Map.of("aac2fd97-bcba-491b-ad66-a6edf89c71bf", 4), // Executable from Webdav
          "network/zeek-wrccdc2018-background",
          Map.of("b640c0b8-87f8-4daa-aef8-95a24261dd1d", 24), // MITRE BZAR Indicators for Execution
          "web/ocatak-scanners",
          Map.of(
              "5513deaf-f49a-46c2-a6c8-3f111b5cb453", 198, // SQL Injection Strings In URI
              "65354b83-a2ea-4ea6-8414-3ab38be0d409", 18, // Cross Site Scripting Strings
              "7745c2ea-24a5-4290-b680-04359cb84b35", 11, // Path Traversal Exploitation Attempts
              "953d460b-f810-420a-97a2-cfca4c98e602", 19), // Source Code Enumeration by Keyword
          "web/sbousseaden",
          Map.of("7745c2ea-24a5-4290-b680-04359cb84b35", 24), // Path Traversal Exploitation
          "cloud/invictus-aws-stratus",
          Map.of(
              "4db60cc0-36fb-42b7-9b58-a5b53019fb74", 6, // CloudTrail Important Change
              "e386b9b5-af12-450e-afff-761730fb8a98", 1, // VPC Flow Logs Deleted
              "abae8fec-57bd-4f87-aff6-6e3db989843d", 2, // Snapshot Backup Exfiltration
              "0a5177f4-6ca9-44c2-aacf-d3f3d8b6e4d2", 2, // IAM Backdoor Users Keys
              "38e7f511-3f74-41d4-836e-f57dfa18eead", 1, // Malicious Usage of System Manager
              "77caf516-34e5-4df9-b4db-20744fea0a60", 1, // Console Login Without MFA
              "6fb77778-040f-4015-9440-572aa9b6b580", 6), // Security Group Modification
          "cloud/otrf-aws",
          Map.of("905d389b-b853-46d0-9d3d-dea0d3a3cd49", 11)); // STS AssumeRole Misuse

  /** Datasets on which no SigmaHQ rule of {@code rules/} applies (see docs/DETECTIONS.md). */
  private static final List<String> SILENT = List.of("linux/loghub", "network/suricata-eve-alerts");

  @TempDir Path dir;

  @Test
  void hunt_linuxNetworkWebCloudDatasets_keyDetectionsFire() throws IOException {
    Path rules = SharedData.require("sigma/rules");
    Path datasets = SharedData.require("datasets");
    List<String> folders = new ArrayList<>(EXPECTED.keySet());
    folders.addAll(SILENT);
    folders.sort(null);
    Path out = dir.resolve("detections.jsonl");
    List<String> args =
        new ArrayList<>(
            List.of(
                "hunt", "--rules", rules.toString(), "--format", "jsonl", "-o", out.toString()));
    for (String folder : folders) {
      args.add(SharedData.require("datasets/" + folder).toString());
    }

    HuntRun run = HuntRun.of(args.toArray(String[]::new));

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains(", 0 parse errors");
    Map<String, Map<String, Integer>> tally = new TreeMap<>();
    try (BufferedReader r = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode d = JSON.readTree(line);
        String file =
            datasets
                .relativize(Path.of(d.get("source").get("file").asText().split("!")[0]))
                .toString()
                .replace('\\', '/');
        String folder = file.substring(0, file.indexOf('/', file.indexOf('/') + 1));
        tally
            .computeIfAbsent(folder, k -> new TreeMap<>())
            .merge(d.get("rule").get("id").asText(), 1, Integer::sum);
      }
    }
    for (Map.Entry<String, Map<String, Integer>> want : EXPECTED.entrySet()) {
      Map<String, Integer> got = tally.getOrDefault(want.getKey(), Map.of());
      for (Map.Entry<String, Integer> rule : want.getValue().entrySet()) {
        assertThat(got.getOrDefault(rule.getKey(), 0))
            .as("%s: rule %s (all: %s)", want.getKey(), rule.getKey(), got)
            .isGreaterThanOrEqualTo(rule.getValue());
      }
    }
    for (String folder : SILENT) {
      assertThat(tally.get(folder)).as(folder).isNull();
    }
  }
}
