/**
 * The event store: every event Vigil ingests, searchable by hunters.
 *
 * <p>{@link io.vigil.store.EventStore} keeps one Lucene index per UTC day and searches them
 * together:
 *
 * <pre>{@code
 * try (EventStore store = EventStore.open(dir, EventStore.Settings.defaults())) {
 *   store.add(List.of(new StoredEvent(seq, time, json)));   // id = spool sequence number
 *   store.commit(seq);             // durable and searchable; every id up to seq was added
 *   var hits = store.search("Image:*\\\\powershell.exe AND -User:*system*", from, to, 100);
 *   var perHour = store.histogram("EventID:4625", from, to, 24);
 *   var hosts = store.top("Hostname", "EventID:4625", from, to, 10);
 * }
 * }</pre>
 *
 * <p>Each JSON value is indexed under its dotted path three ways: a lowercased keyword (so {@code
 * field:value} and wildcards match the whole value without regard to case, like Sigma), its words
 * in one full-text field (a bare word or "phrase" matches any field; a value that is one word or a
 * GUID, timestamp or decimal is one documents-only term instead, found whole or by wildcard), and,
 * for numbers, points (so {@code EventID:[4600 TO 4700]} is numeric). {@code search(query, from,
 * to, limit, EventStore.DEFAULT_TRACK_TOTAL_HITS)} counts matches exactly up to 10,000 only.
 * Re-adding an id the store holds is skipped (ids are not indexed: see {@link
 * io.vigil.store.EventStore#commit(long)}). The relational side (alerts, tokens, dead letters) is
 * {@link io.vigil.store.db.Database}.
 */
package io.vigil.store;
