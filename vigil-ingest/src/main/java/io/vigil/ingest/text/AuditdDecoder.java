package io.vigil.ingest.text;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Linux audit daemon logs ({@code audit.log}): {@code [node=N ]type=T msg=audit(SECONDS:SERIAL):
 * key=value ...}. Each record line is one event, but the records of one audit event (one serial:
 * SYSCALL, EXECVE, CWD, PATH, PROCTITLE …) are grouped so that every record's event also carries
 * the group's context.
 *
 * <p>An event keeps its record's own fields at the top level under their audit names ({@code type},
 * {@code syscall}, {@code exe}, {@code comm}, {@code a0}, {@code key}, {@code cwd}, {@code name},
 * {@code nametype} …), as SigmaHQ's linux auditd rules match them; hex-encoded values (an unquoted
 * {@code proctitle}, {@code exe}, {@code comm}, {@code name}, {@code cwd}, {@code cmd}, {@code
 * EXECVE} arguments …) are decoded, NUL separators becoming spaces, and split arguments ({@code
 * a1[0]}, {@code a1[1]}) are joined. Fields inside a user-space {@code msg='…'} are lifted to the
 * top level too. The group adds {@code auditd.serial}, {@code auditd.sequence} (the record's place
 * in its group, from 1), {@code @timestamp}, {@code host.name} (from {@code node=}), {@code
 * process.executable}/{@code name}/{@code pid}/{@code parent.pid}/{@code working_directory}/{@code
 * command_line}/{@code args} (the EXECVE arguments, or else the PROCTITLE), {@code user.id}, {@code
 * event.outcome}.
 *
 * <p>Groups usually arrive line after line; interleaved ones are handled by keeping at most {@value
 * #MAX_OPEN} groups open. A group is given out at its {@code EOE} record, when it has had no record
 * for {@value #IDLE_LINES} lines, when it reaches {@value #MAX_RECORDS} records, when the open
 * groups hold more than {@value #MAX_HELD_CHARS} characters of lines (all are given out), when more
 * than {@value #MAX_OPEN} are open (the oldest first), and at the end of the input.
 */
public final class AuditdDecoder implements TextDecoder {
  static final int MAX_OPEN = 16;
  static final int IDLE_LINES = 16;
  static final int MAX_RECORDS = 1024;
  static final long MAX_HELD_CHARS = 32L << 20;

  /** Fields that auditd writes hex-encoded (unquoted) when they hold unsafe characters. */
  private static final Set<String> ENCODED =
      Set.of(
          "proctitle",
          "exe",
          "comm",
          "name",
          "cwd",
          "cmd",
          "path",
          "acct",
          "key",
          "data",
          "ocomm",
          "watch",
          "dir",
          "file",
          "root_dir",
          "sw",
          "grp",
          "vm",
          "new_group",
          "new_user",
          "old-disk",
          "new-disk",
          "old-fs",
          "new-fs",
          "old-rng",
          "new-rng",
          "device");

  private final Map<String, Group> open = new LinkedHashMap<>();
  private long lastLine;
  // characters of the lines held in open groups, and the most held before all are given out
  private long held;
  private final long maxHeld;

  /** A decoder for one input. */
  public AuditdDecoder() {
    this(MAX_HELD_CHARS);
  }

  AuditdDecoder(long maxHeld) {
    this.maxHeld = maxHeld;
  }

  /** One record: its line, its fields, where it belongs. */
  private record Entry(long line, String raw, Map<String, String> fields, List<String> args) {}

  private static final class Group {
    final String serial;
    final Instant time;
    final String node;
    final List<Entry> entries = new ArrayList<>();
    long lastLine;

    Group(String serial, Instant time, String node) {
      this.serial = serial;
      this.time = time;
      this.node = node;
    }
  }

  @Override
  public void line(String line, long number, Output out) throws BadLineException {
    lastLine = number;
    if (line.startsWith("----") || line.startsWith("time->")) {
      return; // ausearch separators, not records
    }
    Map<String, String> fields = new LinkedHashMap<>();
    int p = 0;
    String node = null;
    if (line.startsWith("node=")) {
      int sp = line.indexOf(' ');
      if (sp < 0) {
        throw bad("expected 'type=' after node=", line);
      }
      node = line.substring(5, sp);
      fields.put("node", node);
      p = sp + 1;
    }
    if (!line.startsWith("type=", p)) {
      throw bad("expected 'type=TYPE msg=audit(TIME:SERIAL):'", line);
    }
    int sp = line.indexOf(' ', p);
    if (sp < 0) {
      throw bad("expected 'msg=audit(TIME:SERIAL):' after the type", line);
    }
    String type = line.substring(p + 5, sp);
    fields.put("type", type);
    p = sp + 1;
    if (!line.startsWith("msg=audit(", p)) {
      throw bad("expected 'msg=audit(TIME:SERIAL):' after the type", line);
    }
    int close = line.indexOf("):", p);
    int colon = close < 0 ? -1 : line.lastIndexOf(':', close);
    if (close < 0 || colon < p + 10) {
      throw bad("msg=audit(TIME:SERIAL): is not closed", line);
    }
    Instant time = epoch(line.substring(p + 10, colon));
    String serial = line.substring(colon + 1, close);
    if (time == null || Text.digits(serial) < 0) {
      throw bad(
          "msg=audit(...) holds seconds.millis:serial, such as audit(1604994496.155:92733)", line);
    }
    List<String> args = new ArrayList<>();
    fields(line, close + 2, line.length(), fields, type.equals("EXECVE"), args);

    String key = node == null ? serial : node + ":" + serial;
    Group group = open.get(key);
    if (group == null) {
      flushIdle(number, out);
      group = new Group(serial, time, node);
      open.put(key, group);
      if (open.size() > MAX_OPEN) {
        Iterator<Map.Entry<String, Group>> it = open.entrySet().iterator();
        Group eldest = it.next().getValue();
        it.remove();
        emit(eldest, out);
      }
    }
    group.entries.add(new Entry(number, line, fields, args));
    group.lastLine = number;
    held += line.length();
    if (type.equals("EOE") || group.entries.size() >= MAX_RECORDS) {
      open.remove(key);
      emit(group, out);
    } else if (held > maxHeld) {
      end(out);
    }
  }

  @Override
  public void end(Output out) {
    for (Group g : open.values()) {
      emit(g, out);
    }
    open.clear();
  }

  private void flushIdle(long number, Output out) {
    Iterator<Group> it = open.values().iterator();
    while (it.hasNext()) {
      Group g = it.next();
      if (number - g.lastLine > IDLE_LINES) {
        it.remove();
        emit(g, out);
      }
    }
  }

  /** Reads {@code key=value} pairs: quoted, single-quoted (nested pairs) or bare. */
  private static void fields(
      String s, int from, int to, Map<String, String> fields, boolean execve, List<String> args) {
    int i = from;
    Map<String, StringBuilder> pieces = null;
    while (i < to) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\u001d') {
        i++;
        continue;
      }
      int eq = i;
      while (eq < to && s.charAt(eq) != '=' && s.charAt(eq) != ' ') {
        eq++;
      }
      if (eq >= to || s.charAt(eq) != '=') {
        i = eq; // a word without '=': not a field
        continue;
      }
      String name = s.substring(i, eq);
      int v = eq + 1;
      String value;
      boolean quoted = false;
      if (v < to && s.charAt(v) == '"') {
        int end = s.indexOf('"', v + 1);
        if (end < 0 || end > to) {
          end = to;
        }
        value = s.substring(v + 1, end);
        quoted = true;
        i = Math.min(to, end + 1);
      } else if (v < to && s.charAt(v) == '\'') {
        int end = s.indexOf('\'', v + 1);
        if (end < 0 || end > to) {
          end = to;
        }
        fields(s, v + 1, end, fields, false, args);
        i = Math.min(to, end + 1);
        continue;
      } else {
        int end = v;
        while (end < to && s.charAt(end) != ' ' && s.charAt(end) != '\u001d') {
          end++;
        }
        value = s.substring(v, end);
        i = end;
      }
      int open = name.indexOf('[');
      boolean arg = execve && isArg(open > 1 ? name.substring(0, open) : name);
      if (!quoted && (arg || ENCODED.contains(name)) && Text.isHex(value)) {
        value = Text.unhex(value, name.equals("proctitle") ? " " : arg ? "" : " ");
      }
      int bracket = name.indexOf('[');
      if (execve && bracket > 1 && name.endsWith("]") && isArg(name.substring(0, bracket))) {
        if (pieces == null) {
          pieces = new LinkedHashMap<>();
        }
        pieces.computeIfAbsent(name.substring(0, bracket), k -> new StringBuilder()).append(value);
        continue;
      }
      fields.putIfAbsent(name, value);
    }
    if (pieces != null) {
      for (Map.Entry<String, StringBuilder> e : pieces.entrySet()) {
        fields.putIfAbsent(e.getKey(), e.getValue().toString());
      }
    }
    if (execve) {
      long argc = Text.digits(fields.getOrDefault("argc", ""));
      for (int k = 0; k < 4096 && (argc < 0 || k < argc); k++) {
        String a = fields.get("a" + k);
        if (a == null) {
          break;
        }
        args.add(a);
      }
    }
  }

  private static boolean isArg(String name) {
    return name.length() > 1 && name.charAt(0) == 'a' && Text.digits(name, 1, name.length()) >= 0;
  }

  private void emit(Group g, Output out) {
    for (Entry e : g.entries) {
      held -= e.raw.length();
    }
    Map<String, String> syscall = null;
    List<String> args = null;
    String proctitle = null;
    String cwd = null;
    for (Entry e : g.entries) {
      String type = e.fields.get("type");
      if (syscall == null && "SYSCALL".equals(type)) {
        syscall = e.fields;
      }
      if (args == null && "EXECVE".equals(type) && !e.args.isEmpty()) {
        args = e.args;
      }
      if (proctitle == null) {
        proctitle = e.fields.get("proctitle");
      }
      if (cwd == null && "CWD".equals(type)) {
        cwd = e.fields.get("cwd");
      }
    }
    int sequence = 0;
    for (Entry e : g.entries) {
      sequence++;
      EcsJson json = new EcsJson();
      for (Map.Entry<String, String> f : e.fields.entrySet()) {
        json.field(f.getKey(), f.getValue());
      }
      json.set("@timestamp", EcsJson.timestamp(g.time));
      json.set("auditd.serial", Long.parseLong(g.serial));
      json.set("auditd.sequence", sequence);
      json.set("host.name", g.node);
      Map<String, String> process = syscall != null ? syscall : e.fields;
      json.set("process.executable", process.get("exe"));
      json.set("process.name", process.get("comm"));
      json.set("process.pid", Text.integer(process.get("pid")));
      json.set("process.parent.pid", Text.integer(process.get("ppid")));
      json.set("process.working_directory", cwd);
      if (args != null) {
        json.set("process.args", args);
        json.set("process.command_line", String.join(" ", args));
      } else if (proctitle != null) {
        json.set("process.command_line", proctitle);
        json.set("process.title", proctitle);
      }
      json.set("user.id", process.get("uid"));
      json.set("user.audit.id", process.get("auid"));
      String success = process.get("success");
      if (success == null) {
        success = process.get("res");
      }
      if (success != null) {
        String s = success.toLowerCase(Locale.ROOT);
        json.set(
            "event.outcome",
            s.equals("yes") || s.equals("success")
                ? "success"
                : s.equals("no") || s.equals("failed") ? "failure" : null);
      }
      json.set("event.kind", "event");
      json.set("event.module", "auditd");
      json.set("event.dataset", "auditd.log");
      json.set("event.original", e.raw);
      out.event(json.toJson(), e.line);
    }
  }

  /** {@code 1604994496.155} as an instant, or null. */
  private static Instant epoch(String t) {
    int dot = t.indexOf('.');
    long secs = Text.digits(t, 0, dot < 0 ? t.length() : dot);
    long millis = 0;
    if (dot >= 0) {
      String frac = t.substring(dot + 1);
      long f = Text.digits(frac);
      if (f < 0 || frac.length() > 9) {
        return null;
      }
      millis = f * (long) Math.pow(10, 9 - frac.length());
    }
    if (secs < 0 || secs > 32503680000L) {
      return null;
    }
    return Instant.ofEpochSecond(secs, millis);
  }

  private static BadLineException bad(String what, String line) {
    return new BadLineException(
        "not an auditd record (" + what + "): \"" + Text.clip(line, 60) + "\"");
  }

  /** Whether a line starts like an auditd record (for format detection). */
  static boolean looksLike(String line) {
    int p = line.startsWith("node=") ? line.indexOf(' ') + 1 : 0;
    if (p < 0 || !line.startsWith("type=", p)) {
      return false;
    }
    int sp = line.indexOf(' ', p);
    return sp > 0 && line.startsWith("msg=audit(", sp + 1);
  }
}
