package io.vigil.detect;

import java.nio.file.Path;
import java.util.List;

/**
 * The metadata of one loaded Sigma rule, carried into every {@link Detection} it raises. Level and
 * status are lower-case; the author stays in every alert (the Detection Rule License asks for it).
 */
public record Rule(
    String id,
    String title,
    String level,
    String status,
    List<String> tags,
    String author,
    List<String> references,
    String description,
    LogSource logsource,
    Path file) {
  public Rule {
    id = id == null ? "" : id;
    title = title == null ? "" : title;
    level = level == null ? "" : level;
    status = status == null ? "" : status;
    tags = List.copyOf(tags);
    author = author == null ? "" : author;
    references = List.copyOf(references);
    description = description == null ? "" : description;
  }
}
