package io.vigil.ingest.evtx;

import io.vigil.event.Event;
import io.vigil.event.FieldSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test helper: lists shared EVTX files and reads one into lists of events and problems. */
final class EvtxSamples {
  static final FieldSchema SCHEMA =
      FieldSchema.of(
          List.of(
              "Event.System.EventID",
              "Event.System.Channel",
              "Event.System.Provider.#attributes.Name",
              "Event.EventData.CommandLine"));

  private EvtxSamples() {}

  record Result(List<Event> events, List<EvtxProblem> problems, EvtxSummary summary) {}

  static Result read(Path file) {
    List<Event> events = new ArrayList<>();
    List<EvtxProblem> problems = new ArrayList<>();
    try {
      EvtxSummary summary = EvtxReader.read(file, SCHEMA, events::add, problems::add);
      return new Result(events, problems, summary);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> evtxFiles(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".evtx")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
