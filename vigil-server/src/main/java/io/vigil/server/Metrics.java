package io.vigil.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The server's counters, written in Prometheus text format by {@code /metrics}. */
final class Metrics {
  final Map<String, LongAdder> eventsIn = new ConcurrentHashMap<>();
  final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
  final LongAdder parseErrors = new LongAdder();
  final LongAdder eventsStored = new LongAdder();
  final LongAdder detections = new LongAdder();
  final LongAdder alertsNew = new LongAdder();
  final LongAdder droppedUdp = new LongAdder();
  final LongAdder droppedOversize = new LongAdder();
  final LongAdder spoolCorruptions = new LongAdder();
  final LongAdder detectionFailures = new LongAdder();
  final Map<Integer, LongAdder> httpRequests = new ConcurrentHashMap<>();

  /** Wall time of the detection workers decoding, parsing and matching (nanoseconds). */
  final LongAdder detectNanos = new LongAdder();

  /** Wall time of the detection workers adding events to the store, waits included. */
  final LongAdder storeAddNanos = new LongAdder();

  /** Wall time of the commit points (store commit, dead letters, spool checkpoint). */
  final LongAdder commitNanos = new LongAdder();

  final LongAdder commits = new LongAdder();

  void in(String input, long n) {
    eventsIn.computeIfAbsent(input, k -> new LongAdder()).add(n);
  }

  void rejected(String input, long n) {
    rejected.computeIfAbsent(input, k -> new LongAdder()).add(n);
  }

  void http(int status) {
    httpRequests.computeIfAbsent(status, k -> new LongAdder()).increment();
  }

  /** Gauges read at scrape time. */
  record Gauges(
      long lagRecords, long lagBytes, long spoolBytes, long storeBytes, long storeEvents) {}

  String prometheus(Gauges g) {
    StringBuilder sb = new StringBuilder(2048);
    help(sb, "vigil_events_in_total", "counter", "Events accepted into the spool, per input.");
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(eventsIn).entrySet()) {
      sb.append("vigil_events_in_total{input=\"")
          .append(e.getKey())
          .append("\"} ")
          .append(e.getValue().sum())
          .append('\n');
    }
    help(
        sb,
        "vigil_events_rejected_total",
        "counter",
        "Events refused at an input (malformed, oversize), per input; they went to dead letters.");
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(rejected).entrySet()) {
      sb.append("vigil_events_rejected_total{input=\"")
          .append(e.getKey())
          .append("\"} ")
          .append(e.getValue().sum())
          .append('\n');
    }
    counter(
        sb,
        "vigil_parse_errors_total",
        "Events the detection stage could not parse.",
        parseErrors.sum());
    counter(
        sb, "vigil_events_stored_total", "Events written to the event store.", eventsStored.sum());
    counter(
        sb,
        "vigil_detections_total",
        "Rule matches found by the detection stage.",
        detections.sum());
    counter(
        sb, "vigil_alerts_new_total", "Alerts inserted (replays not counted).", alertsNew.sum());
    counter(
        sb,
        "vigil_syslog_udp_dropped_total",
        "UDP datagrams dropped because the spool backlog was full.",
        droppedUdp.sum());
    counter(
        sb,
        "vigil_syslog_oversize_total",
        "Syslog messages over syslog.max-message-bytes.",
        droppedOversize.sum());
    counter(
        sb,
        "vigil_spool_corrupt_records_total",
        "Damaged spool records found by the detection stage.",
        spoolCorruptions.sum());
    help(
        sb,
        "vigil_pipeline_seconds_total",
        "counter",
        "Wall time of the detection stage per step: detect (decode, parse, match, on the workers),"
            + " store_add (adding to the event store, on the workers, waits included), commit (the"
            + " commit points, on the pipeline thread).");
    seconds(sb, "vigil_pipeline_seconds_total{step=\"detect\"}", detectNanos.sum());
    seconds(sb, "vigil_pipeline_seconds_total{step=\"store_add\"}", storeAddNanos.sum());
    seconds(sb, "vigil_pipeline_seconds_total{step=\"commit\"}", commitNanos.sum());
    counter(
        sb, "vigil_pipeline_commits_total", "Commit points of the detection stage.", commits.sum());
    gauge(
        sb,
        "vigil_spool_lag_records",
        "Spool records not yet read by the detection stage.",
        g.lagRecords());
    gauge(
        sb,
        "vigil_spool_lag_bytes",
        "Spool bytes not yet read by the detection stage.",
        g.lagBytes());
    gauge(sb, "vigil_spool_bytes", "Bytes of spool segment files.", g.spoolBytes());
    gauge(sb, "vigil_store_bytes", "Bytes of the event store's indexes.", g.storeBytes());
    gauge(sb, "vigil_store_events", "Events in the event store.", g.storeEvents());
    help(
        sb,
        "process_cpu_seconds_total",
        "counter",
        "CPU time of the server process (all threads).");
    seconds(sb, "process_cpu_seconds_total", processCpuNanos());
    long rss = residentBytes();
    if (rss >= 0) {
      gauge(sb, "process_resident_memory_bytes", "Resident memory of the server process.", rss);
    }
    help(sb, "vigil_http_requests_total", "counter", "HTTP requests answered, per status code.");
    for (Map.Entry<Integer, LongAdder> e : new TreeMap<>(httpRequests).entrySet()) {
      sb.append("vigil_http_requests_total{status=\"")
          .append(e.getKey())
          .append("\"} ")
          .append(e.getValue().sum())
          .append('\n');
    }
    return sb.toString();
  }

  /** CPU time of this process in nanoseconds, or 0 when the platform does not tell. */
  static long processCpuNanos() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }

  /** Resident set size from /proc/self/status (Linux), or -1 elsewhere. */
  static long residentBytes() {
    try {
      for (String line :
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  private static void help(StringBuilder sb, String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void counter(StringBuilder sb, String name, String help, long v) {
    help(sb, name, "counter", help);
    sb.append(name).append(' ').append(v).append('\n');
  }

  private static void seconds(StringBuilder sb, String series, long nanos) {
    sb.append(series).append(' ').append(String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e9));
    sb.append('\n');
  }

  private static void gauge(StringBuilder sb, String name, String help, long v) {
    help(sb, name, "gauge", help);
    sb.append(name).append(' ').append(v).append('\n');
  }
}
