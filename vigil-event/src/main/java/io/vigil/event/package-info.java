/**
 * The event model that every Vigil module shares.
 *
 * <p>A consumer states which field paths it reads as a {@link io.vigil.event.FieldSchema}; a parser
 * such as {@link io.vigil.event.JsonEventParser} then fills only those slots of each {@link
 * io.vigil.event.Event}, so the hot path never builds a map of every field:
 *
 * <pre>{@code
 * FieldSchema schema = FieldSchema.of(List.of("EventID", "Event.System.EventID", "CommandLine"));
 * JsonEventParser parser = new JsonEventParser(schema);
 * Event event = parser.parse(line, "sysmon.jsonl", 1);
 * Object id = event.get(schema.slot("EventID"));   // Long 1, or null when missing
 * }</pre>
 */
package io.vigil.event;
