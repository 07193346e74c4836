package io.vigil.ingest.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutation test: real EVTX files with random byte flips, overwritten runs and truncations (fixed
 * seeds, so a failure replays) must read without any exception, without an internal error reported
 * as a problem, within a time bound, and every event they still give must be a JSON object. For a
 * longer run: {@code -Devtx.fuzz.iterations=20000 -Devtx.fuzz.seed=7}; {@code
 * -Devtx.fuzz.verbose=true} prints the slow iterations and saves their input under target/.
 */
class EvtxFuzzTest {
  private static final int ITERATIONS = Integer.getInteger("evtx.fuzz.iterations", 400);
  private static final long SEED = Long.getLong("evtx.fuzz.seed", 0x5eed_e7c5L);

  @Test
  void read_mutatedFiles_reportOnlyTypedProblems() throws IOException {
    Path windows = SharedData.require("datasets/windows");
    List<byte[]> originals = new ArrayList<>();
    for (Path f : EvtxSamples.evtxFiles(windows.resolve("evtx-mdecrevoisier"))) {
      originals.add(Files.readAllBytes(f));
    }
    for (Path f : EvtxSamples.evtxFiles(windows.resolve("sigma-regression")).subList(0, 10)) {
      originals.add(Files.readAllBytes(f));
    }
    // Two chunks of a larger log (header + chunks 0 and 1), for templates shared across records.
    originals.add(
        Arrays.copyOf(
            Files.readAllBytes(windows.resolve("evtx-parser-fixtures/security.evtx")),
            4096 + 2 * 65536));

    Random random = new Random(SEED);
    long events = 0;
    long problems = 0;
    long start = System.nanoTime();
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] original = originals.get(random.nextInt(originals.size()));
      byte[] mutated = mutate(original, random);
      long t0 = System.nanoTime();
      List<EvtxProblem> seen = new ArrayList<>();
      long[] count = {0};
      String label = "iteration " + i + " (seed " + SEED + ")";
      EvtxSummary summary =
          EvtxReader.read(
              new ByteArrayInputStream(mutated),
              label,
              EvtxSamples.SCHEMA,
              EvtxLimits.DEFAULT,
              event -> {
                count[0]++;
                try {
                  assertThat(EvtxJson.MAPPER.readTree(event.raw()).isObject()).isTrue();
                } catch (IOException e) {
                  throw new AssertionError(label + ": raw text is not JSON: " + event.raw(), e);
                }
              },
              seen::add);
      if (Boolean.getBoolean("evtx.fuzz.verbose") && (System.nanoTime() - t0) > 200_000_000L) {
        System.out.printf(
            "slow: %s %d ms, %d bytes, %s%n",
            label, (System.nanoTime() - t0) / 1_000_000, mutated.length, summary);
        Files.write(Path.of("target", "evtx-fuzz-" + i + ".evtx"), mutated);
      }
      assertThat(seen)
          .as(label)
          .noneMatch(p -> p.message().contains("internal error"))
          .hasSize((int) summary.problems());
      assertThat(summary.events()).isEqualTo(count[0]);
      // A mutated template can reuse one 64 KiB value in every field: tens of MB of JSON from one
      // chunk (bounded by evtx.max-event-chars per record), all parsed again above.
      assertThat((System.nanoTime() - t0) / 1_000_000).as(label + " millis").isLessThan(20_000);
      events += count[0];
      problems += seen.size();
    }
    assertThat(events).as("events still read from mutated files").isPositive();
    assertThat(problems).as("problems reported for mutated files").isPositive();
    assertThat((System.nanoTime() - start) / 1_000_000_000)
        .as("seconds")
        .isLessThan(ITERATIONS / 2 + 60);
  }

  private static byte[] mutate(byte[] original, Random random) {
    byte[] b = original.clone();
    int kind = random.nextInt(5);
    // Most damage goes where the structure is: chunk header, templates and first records.
    int hot = Math.min(b.length, 4096 + 512 + 4096);
    if (kind == 0 || kind == 3) {
      int flips = 1 + random.nextInt(40);
      for (int f = 0; f < flips; f++) {
        int at =
            random.nextBoolean() ? 4096 + random.nextInt(hot - 4096) : random.nextInt(b.length);
        b[at] ^= (byte) (1 << random.nextInt(8));
      }
    }
    if (kind == 1) {
      int at = 4096 + random.nextInt(hot - 4096);
      int len = 1 + random.nextInt(64);
      byte fill = (byte) (random.nextBoolean() ? 0xff : random.nextInt(256));
      for (int j = at; j < Math.min(b.length, at + len); j++) {
        b[j] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : fill;
      }
    }
    if (kind == 2) {
      // Plausible-looking offsets and sizes: small integers written over 32-bit fields.
      for (int f = 0; f < 8; f++) {
        int at = (4096 + random.nextInt(hot - 4100)) & ~3;
        int v = random.nextInt(70_000);
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
        b[at + 2] = (byte) (v >> 16);
        b[at + 3] = 0;
      }
    }
    if (kind == 3 || kind == 4) {
      return Arrays.copyOf(b, random.nextInt(b.length + 1));
    }
    return b;
  }
}
