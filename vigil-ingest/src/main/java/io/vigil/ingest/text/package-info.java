/**
 * Line-oriented text log formats turned into normalized JSON events: each line (or record) becomes
 * one JSON object that keeps the source's own field names and adds Elastic Common Schema fields,
 * built with {@link io.vigil.ingest.text.EcsJson}. {@code io.vigil.ingest.LogReader} recognises the
 * formats by content and hands the JSON to the same parser as JSON inputs.
 */
package io.vigil.ingest.text;
