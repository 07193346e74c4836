package io.vigil.ingest.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.event.Event;
import io.vigil.testing.SharedData;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every EVTX sample of SigmaHQ's regression data, read natively, must give field by field the
 * events of the evtx_dump JSON exported beside it: same count, same paths, same values, same JSON
 * types (numbers where evtx_dump prints numbers). Both the event's fields and its raw JSON text are
 * compared.
 *
 * <p>One normalization, applied to both sides: trailing spaces of string values are removed. The
 * exporter that produced these files trims them (Sysmon writes {@code ParentCommandLine} as {@code
 * "C:\Windows\system32\cmd.exe" } with a space at the end, the JSON has none); the reader keeps the
 * bytes as Windows logged them, which is what detections on live logs see.
 */
class EvtxSigmaRegressionTest {

  @TestFactory
  Stream<DynamicTest> read_sigmaRegressionSample_matchesEvtxDumpJsonFieldByField() {
    Path root = SharedData.require("datasets/windows/sigma-regression");
    List<Path> files = EvtxSamples.evtxFiles(root);
    assertThat(files).as("EVTX samples under " + root).isNotEmpty();
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    root.relativize(file).toString(), () -> assertMatches(file)));
  }

  private static void assertMatches(Path evtx) throws Exception {
    Path json = evtx.resolveSibling(evtx.getFileName().toString().replace(".evtx", ".json"));
    assertThat(json).exists();
    List<JsonNode> expected = EvtxJson.readAll(json);
    EvtxSamples.Result result = EvtxSamples.read(evtx);

    assertThat(
            result.problems().stream().filter(p -> p.kind() != EvtxProblem.Kind.CHECKSUM_MISMATCH))
        .as("problems")
        .isEmpty();
    assertThat(result.events()).as("events").hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      Event event = result.events().get(i);
      Map<String, List<String>> want =
          EvtxJson.flatten(expected.get(i), EvtxSigmaRegressionTest::trimTrailingSpaces);
      assertThat(normalized(EvtxJson.flatten(event))).as("fields of event %d", i).isEqualTo(want);
      assertThat(
              EvtxJson.flatten(
                  EvtxJson.MAPPER.readTree(event.raw()),
                  EvtxSigmaRegressionTest::trimTrailingSpaces))
          .as("raw JSON of event %d", i)
          .isEqualTo(want);
    }
  }

  static String trimTrailingSpaces(String pathAndValue) {
    return pathAndValue.contains("=s:") ? pathAndValue.stripTrailing() : pathAndValue;
  }

  private static Map<String, List<String>> normalized(Map<String, List<String>> fields) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    fields.forEach(
        (k, v) ->
            out.put(k, v.stream().map(s -> s.startsWith("s:") ? s.stripTrailing() : s).toList()));
    return out;
  }
}
