package io.vigil.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import io.vigil.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Throughput of the text and JSON-family log readers through {@link LogReader} (format detection,
 * line reading, normalization to ECS JSON) and then through {@link JsonEventParser} as hunt parses
 * records. Each input is held in memory (about 4 MB) and read again and again; rates are given per
 * wall-clock second and per CPU-second of the reading thread (the fair number on a shared machine).
 * Not part of the normal test run (its name does not end in Test); run it with:
 *
 * <pre>
 * ./mvnw -q -pl vigil-ingest test -Dtest=TextReadersBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * cat vigil-ingest/target/text-readers-benchmark.txt
 * </pre>
 */
class TextReadersBenchmark {
  private static final int WARMUP_SECONDS = 3;
  private static final int MEASURE_SECONDS = 6;
  private static final int TARGET_BYTES = 4 << 20;

  private static final FieldSchema SCHEMA =
      FieldSchema.of(
          List.of(
              "@timestamp",
              "host.name",
              "message",
              "process.name",
              "process.command_line",
              "source.ip",
              "destination.port",
              "cs-method",
              "cs-uri-query",
              "c-useragent",
              "sc-status",
              "type",
              "exe",
              "a0",
              "a1",
              "id.resp_p",
              "eventName",
              "eventSource",
              "alert.signature",
              "query"));

  @Test
  void throughput() throws IOException {
    Map<String, byte[]> inputs = new LinkedHashMap<>();
    inputs.put(
        "syslog (OpenSSH_2k.log)",
        repeat(Files.readString(SharedData.require("datasets/linux/loghub/OpenSSH_2k.log"))));
    inputs.put("syslog RFC 5424 (generated)", repeat(rfc5424()));
    inputs.put("auditd (sh_arp_cache, serials renumbered)", auditd());
    inputs.put("CEF (generated)", repeat(cef()));
    inputs.put(
        "access-log (netsparker.txt)",
        repeat(
            new String(
                Files.readAllBytes(
                    SharedData.require("datasets/web/ocatak-scanners/netsparker.txt")),
                StandardCharsets.ISO_8859_1)));
    inputs.put("w3c (generated IIS)", repeat(w3c()));
    inputs.put("zeek-tsv (generated conn)", repeat(zeek()));
    inputs.put(
        "zeek-json (combined_zeek.log)",
        repeat(
            Files.readString(
                SharedData.require("datasets/network/otrf-apt29-zeek/combined_zeek.log"))));
    inputs.put(
        "suricata (first-org alerts, as JSON lines)",
        repeat(
            jsonLines(
                SharedData.require(
                    "datasets/network/suricata-eve-alerts/first-org-conf-2015_alerts-only.json"))));
    inputs.put("cloudtrail (stratus, {\"Records\":[...]} files)", cloudTrail());

    JsonEventParser parser = new JsonEventParser(SCHEMA);
    LogReader reader = new LogReader(parser);
    StringBuilder report = new StringBuilder();
    for (Map.Entry<String, byte[]> input : inputs.entrySet()) {
      pass(reader, input.getValue(), false, WARMUP_SECONDS);
      report.append(
          line(
              input.getKey(),
              "read",
              input.getValue().length,
              pass(reader, input.getValue(), false, MEASURE_SECONDS)));
      report.append(
          line(
              input.getKey(),
              "read+parse",
              input.getValue().length,
              pass(reader, input.getValue(), true, MEASURE_SECONDS)));
    }
    System.out.print(report);
    Files.writeString(
        Path.of("target", "text-readers-benchmark.txt"), report, StandardCharsets.UTF_8);
  }

  private static String line(String what, String mode, long bytes, long[] r) {
    double seconds = r[2] / 1e9;
    double cpu = r[3] / 1e9;
    return String.format(
        Locale.ROOT,
        "%-42s %-10s %.1f MB x %d passes: wall %.1f MB/s %.0f events/s; per CPU-second %.1f MB,"
            + " %.0f events (%d events per pass, %d problems); load average %.1f%n",
        what,
        mode,
        bytes / 1e6,
        r[0],
        r[0] * bytes / 1e6 / seconds,
        r[1] / seconds,
        r[0] * bytes / 1e6 / cpu,
        r[1] / cpu,
        r[1] / r[0],
        r[4],
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static long[] pass(LogReader reader, byte[] data, boolean parse, int seconds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long deadline = start + seconds * 1_000_000_000L;
    long[] counts = new long[3];
    long passes = 0;
    while (System.nanoTime() < deadline) {
      InputStream in = new ByteArrayInputStream(data);
      reader.read(
          in,
          "bench",
          new LogSink() {
            @Override
            public void record(LogRecord record) {
              counts[0]++;
              counts[1] += parse ? record.parse().index() : record.text().length();
            }

            @Override
            public void problem(ReadProblem problem) {
              counts[2]++;
            }
          });
      passes++;
    }
    if (counts[0] == 0) {
      throw new AssertionError("no events");
    }
    return new long[] {
      passes,
      counts[0],
      System.nanoTime() - start,
      threads.getCurrentThreadCpuTime() - cpuStart,
      counts[2] / passes
    };
  }

  /** The text repeated to about 4 MB; leading {@code #} header lines (W3C, Zeek) once. */
  private static byte[] repeat(String text) {
    String body = text.endsWith("\n") ? text : text + "\n";
    int cut = 0;
    while (cut < body.length() && body.charAt(cut) == '#') {
      cut = body.indexOf('\n', cut) + 1;
    }
    StringBuilder out = new StringBuilder(TARGET_BYTES + body.length());
    out.append(body, 0, cut);
    while (out.length() < TARGET_BYTES) {
      out.append(body, cut, body.length());
    }
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A JSON array rewritten as one compact JSON object per line. */
  private static String jsonLines(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    StringBuilder out = new StringBuilder();
    for (JsonNode node : json.readTree(file.toFile())) {
      out.append(json.writeValueAsString(node)).append('\n');
    }
    return out.toString();
  }

  /** CloudTrail delivery files ({"Records":[...]}) of the stratus zip, one after another. */
  private static byte[] cloudTrail() throws IOException {
    StringBuilder text = new StringBuilder();
    try (ZipFile z =
        new ZipFile(
            SharedData.require(
                    "datasets/cloud/invictus-aws-stratus/invictus_cloudtrail_stratus_2023-07-10.zip")
                .toFile())) {
      for (var entries = z.entries(); entries.hasMoreElements(); ) {
        var entry = entries.nextElement();
        if (!entry.isDirectory() && entry.getName().endsWith(".json")) {
          try (InputStream in = z.getInputStream(entry)) {
            text.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
          }
        }
      }
    }
    return repeat(text.toString());
  }

  private static byte[] auditd() throws IOException {
    String text;
    try (ZipFile z =
            new ZipFile(SharedData.require("datasets/linux/otrf/sh_arp_cache.zip").toFile());
        InputStream in = z.getInputStream(z.entries().nextElement())) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder out = new StringBuilder(TARGET_BYTES + text.length());
    long serial = 1;
    while (out.length() < TARGET_BYTES) {
      out.append(
          text.replace(":92733)", ":" + serial + ")").replace(":92734)", ":" + (serial + 1) + ")"));
      serial += 2;
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String rfc5424() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      s.append("<165>1 2026-01-0")
          .append(1 + i % 9)
          .append("T22:14:15.003Z host")
          .append(i % 17)
          .append(".example.com sshd ")
          .append(1000 + i)
          .append(" ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"")
          .append(i)
          .append("\"] Failed password for invalid user admin from 203.0.113.")
          .append(i % 250)
          .append(" port ")
          .append(40000 + i)
          .append(" ssh2\n");
    }
    return s.toString();
  }

  private static String cef() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      s.append("<134>Feb 10 12:00:")
          .append(10 + i % 50)
          .append(" fw01 CEF:0|Security|threatmanager|1.0|")
          .append(100 + i % 7)
          .append("|worm successfully stopped|10|src=10.0.0.")
          .append(i % 250)
          .append(" dst=2.1.2.2 spt=")
          .append(1024 + i)
          .append(
              " dpt=443 proto=TCP act=blocked suser=alice smith msg=Connection to"
                  + " http://x.example/a?b\\=c was blocked rt=1700000000000\n");
    }
    return s.toString();
  }

  private static String w3c() {
    StringBuilder s =
        new StringBuilder(
            "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"
                + "#Date: 2026-03-01 00:00:00\n#Fields: date time s-ip cs-method cs-uri-stem"
                + " cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status"
                + " sc-substatus sc-win32-status time-taken\n");
    for (int i = 0; i < 500; i++) {
      s.append("2026-03-01 10:11:")
          .append(10 + i % 50)
          .append(
              " 10.0.0.1 GET /owa/auth/logon.aspx replaceCurrent=1&url=https%3a%2f%2fmail 443 - 203.0.113.")
          .append(i % 250)
          .append(" Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) - ")
          .append(i % 5 == 0 ? 404 : 200)
          .append(" 0 0 ")
          .append(i % 100)
          .append('\n');
    }
    return s.toString();
  }

  private static String zeek() {
    StringBuilder s =
        new StringBuilder(
            "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n"
                + "#path\tconn\n#open\t2026-01-01-00-00-00\n"
                + "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice"
                + "\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp"
                + "\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes"
                + "\ttunnel_parents\n"
                + "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount"
                + "\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount"
                + "\tset[string]\n");
    for (int i = 0; i < 500; i++) {
      s.append("17040672")
          .append(10 + i % 90)
          .append(".123456\tCx")
          .append(i)
          .append("\t10.0.0.")
          .append(i % 250)
          .append('\t')
          .append(40000 + i)
          .append(
              "\t8.8.8.8\t53\tudp\tdns\t0.012\t40\t120\tSF\tT\tF\t0\tDd\t1\t68\t1\t148\t(empty)\n");
    }
    return s.toString();
  }
}
