package io.vigil.scan.analysis;

import static io.vigil.scan.analysis.Capability.DECODE;
import static io.vigil.scan.analysis.Capability.DECODED_EXEC;
import static io.vigil.scan.analysis.Capability.DESTRUCTIVE;
import static io.vigil.scan.analysis.Capability.DNS;
import static io.vigil.scan.analysis.Capability.DYNAMIC_CODE;
import static io.vigil.scan.analysis.Capability.ENV_HARVEST;
import static io.vigil.scan.analysis.Capability.EXEC_WRITE;
import static io.vigil.scan.analysis.Capability.EXFIL_ENDPOINT;
import static io.vigil.scan.analysis.Capability.GEO_TARGET;
import static io.vigil.scan.analysis.Capability.HIDDEN_CODE;
import static io.vigil.scan.analysis.Capability.HIDDEN_PROCESS;
import static io.vigil.scan.analysis.Capability.NETWORK;
import static io.vigil.scan.analysis.Capability.PERSISTENCE;
import static io.vigil.scan.analysis.Capability.PROCESS;
import static io.vigil.scan.analysis.Capability.RAW_IP;
import static io.vigil.scan.analysis.Capability.REVERSE_SHELL;
import static io.vigil.scan.analysis.Capability.SECRET_READ;
import static io.vigil.scan.analysis.Capability.SHELL_PIPE;
import static io.vigil.scan.analysis.Capability.SPY;
import static io.vigil.scan.analysis.Capability.STEALER_TARGET;
import static io.vigil.scan.analysis.Capability.STRONG_OBFUSCATION;
import static io.vigil.scan.analysis.Capability.SYSTEM_INFO;

import io.vigil.scan.Finding;
import io.vigil.scan.ScoreCategory;
import io.vigil.scan.Severity;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one mechanism that turns capabilities into a malware verdict. Each rule is a conjunction of
 * capability groups ("one of these, and one of those") evaluated over a scope: one file, the code
 * that runs at install, or the whole package. A capability alone never makes a package malicious; a
 * rule that holds does, and its finding names the signals that made it hold.
 */
final class ThreatRules {
  private ThreatRules() {}

  /** Where a rule's capabilities must come together. */
  enum Scope {
    /** All groups in the same file. */
    FILE,
    /** All groups in code that runs at install (lifecycle scripts, setup.py and what they load). */
    INSTALL,
    /** All groups anywhere in the package. */
    PACKAGE,
    /**
     * All groups in the install script itself ({@code setup.py}, {@code .pth}), without the package
     * modules it imports: a Python install script has no business downloading anything.
     */
    SETUP_SCRIPT
  }

  /** A threat: every group in {@code allOf} must be met by at least one capability in scope. */
  record Rule(String id, Scope scope, List<Set<Capability>> allOf, String why) {}

  static final List<Rule> RULES =
      List.of(
          rule(
              "decoded-payload-execution",
              Scope.FILE,
              "Executes code it has just decoded or decrypted; legitimate code has no reason to hide what it runs.",
              EnumSet.of(DECODED_EXEC)),
          rule(
              "reverse-shell",
              Scope.FILE,
              "Hands a shell to a remote host over a socket.",
              EnumSet.of(REVERSE_SHELL)),
          rule(
              "credential-exfiltration",
              Scope.FILE,
              "Reads browser password or cookie stores, chat tokens or wallets and talks to the network in the same file.",
              EnumSet.of(STEALER_TARGET),
              EnumSet.of(NETWORK, EXFIL_ENDPOINT, DNS)),
          rule(
              "secret-exfiltration",
              Scope.FILE,
              "Reads SSH keys, cloud credentials or system secrets and talks to a raw IP or drop-box endpoint in the same file.",
              EnumSet.of(SECRET_READ),
              EnumSet.of(EXFIL_ENDPOINT, RAW_IP)),
          rule(
              "credential-theft-with-drop-box",
              Scope.PACKAGE,
              "Reads credentials or secret stores and carries a hard-coded webhook, paste or tunnel endpoint.",
              EnumSet.of(SECRET_READ, STEALER_TARGET),
              EnumSet.of(EXFIL_ENDPOINT)),
          rule(
              "environment-exfiltration",
              Scope.FILE,
              "Serializes the whole environment (tokens, keys) and sends it over the network.",
              EnumSet.of(ENV_HARVEST),
              EnumSet.of(NETWORK, EXFIL_ENDPOINT, DNS)),
          rule(
              "host-data-to-drop-box",
              Scope.PACKAGE,
              "Collects host identity or environment and carries a webhook, paste, out-of-band or tunnel endpoint to send it to.",
              EnumSet.of(SYSTEM_INFO, ENV_HARVEST, SPY),
              EnumSet.of(EXFIL_ENDPOINT)),
          rule(
              "download-and-execute",
              Scope.FILE,
              "Downloads a file, makes it executable or saves it as a program, and runs it.",
              EnumSet.of(NETWORK),
              EnumSet.of(EXEC_WRITE),
              EnumSet.of(PROCESS, HIDDEN_PROCESS)),
          rule(
              "obfuscated-payload",
              Scope.FILE,
              "Deliberately obfuscated or hidden code that executes, spawns processes or uses the network.",
              EnumSet.of(STRONG_OBFUSCATION, HIDDEN_CODE),
              EnumSet.of(DYNAMIC_CODE, PROCESS, NETWORK, DECODE, HIDDEN_PROCESS)),
          rule(
              "hidden-process-with-payload",
              Scope.FILE,
              "Starts a hidden process (hidden PowerShell window, encoded command) together with downloading or decoding.",
              EnumSet.of(HIDDEN_PROCESS),
              EnumSet.of(NETWORK, DECODE, SHELL_PIPE, EXEC_WRITE)),
          rule(
              "pipe-to-shell-execution",
              Scope.FILE,
              "Runs a shell line that downloads a script and pipes it into an interpreter.",
              EnumSet.of(SHELL_PIPE),
              EnumSet.of(PROCESS, HIDDEN_PROCESS)),
          rule(
              "spyware",
              Scope.FILE,
              "Captures the clipboard, screen or keystrokes and has a way to send them out.",
              EnumSet.of(SPY),
              EnumSet.of(NETWORK, EXFIL_ENDPOINT)),
          rule(
              "persistence-with-payload",
              Scope.FILE,
              "Installs itself to run at logon or boot and downloads, drops or hides programs.",
              EnumSet.of(PERSISTENCE),
              EnumSet.of(NETWORK, EXEC_WRITE, HIDDEN_PROCESS)),
          rule(
              "targeted-sabotage",
              Scope.PACKAGE,
              "Destroys files depending on the victim's country, time zone or locale (protestware).",
              EnumSet.of(DESTRUCTIVE),
              EnumSet.of(GEO_TARGET)),
          rule(
              "setup-script-fetch-and-run",
              Scope.SETUP_SCRIPT,
              "The Python install script itself downloads something and runs code or processes.",
              EnumSet.of(NETWORK),
              EnumSet.of(PROCESS, DYNAMIC_CODE, HIDDEN_PROCESS, EXEC_WRITE)),
          rule(
              "install-time-download-and-run",
              Scope.INSTALL,
              "Code that runs at install pipes a download into an interpreter.",
              EnumSet.of(SHELL_PIPE)),
          rule(
              "install-time-exfiltration",
              Scope.INSTALL,
              "Code that runs at install collects host identity, environment or secrets and contacts the network.",
              EnumSet.of(SYSTEM_INFO, ENV_HARVEST, SECRET_READ, STEALER_TARGET),
              EnumSet.of(NETWORK, DNS, EXFIL_ENDPOINT, RAW_IP)),
          rule(
              "install-time-remote-code",
              Scope.INSTALL,
              "Code that runs at install contacts a raw IP, drop box or tunnel, or downloads and executes.",
              EnumSet.of(RAW_IP, EXFIL_ENDPOINT, HIDDEN_PROCESS),
              EnumSet.of(NETWORK, DNS, PROCESS, DYNAMIC_CODE)));

  @SafeVarargs
  private static Rule rule(String id, Scope scope, String why, Set<Capability>... groups) {
    return new Rule(id, scope, List.of(groups), why);
  }

  /**
   * Evaluates every rule.
   *
   * @param byFile signals per file
   * @param installFiles the files whose code runs at install (including the manifest holding the
   *     lifecycle scripts)
   */
  static List<Finding> evaluate(Map<String, List<Signal>> byFile, Set<String> installFiles) {
    List<Finding> threats = new ArrayList<>();
    Map<Capability, List<Signal>> all = new EnumMap<>(Capability.class);
    Map<Capability, List<Signal>> install = new EnumMap<>(Capability.class);
    Map<String, Map<Capability, List<Signal>>> perFile = new LinkedHashMap<>();
    for (var e : byFile.entrySet()) {
      Map<Capability, List<Signal>> caps = new EnumMap<>(Capability.class);
      for (Signal s : e.getValue()) {
        caps.computeIfAbsent(s.capability(), k -> new ArrayList<>()).add(s);
        all.computeIfAbsent(s.capability(), k -> new ArrayList<>()).add(s);
        if (installFiles.contains(e.getKey())) {
          install.computeIfAbsent(s.capability(), k -> new ArrayList<>()).add(s);
        }
      }
      perFile.put(e.getKey(), caps);
    }
    for (Rule rule : RULES) {
      switch (rule.scope()) {
        case FILE -> {
          Finding first = null;
          int files = 0;
          for (var e : perFile.entrySet()) {
            Finding f = match(rule, e.getValue());
            if (f != null) {
              files++;
              if (first == null) {
                first = f;
              }
            }
          }
          if (first != null) {
            threats.add(
                files == 1
                    ? first
                    : new Finding(
                        first.type(),
                        first.category(),
                        first.severity(),
                        first.file(),
                        first.line(),
                        TextScanner.clip(
                            first.evidence() + " (and " + (files - 1) + " more files)"),
                        first.why()));
          }
        }
        case SETUP_SCRIPT -> {
          Finding first = null;
          for (var e : perFile.entrySet()) {
            if (isSetupScript(e.getKey()) && first == null) {
              first = match(rule, e.getValue());
            }
          }
          if (first != null) {
            threats.add(first);
          }
        }
        case INSTALL -> {
          Finding f = match(rule, install);
          if (f != null) {
            threats.add(f);
          }
        }
        case PACKAGE -> {
          Finding f = match(rule, all);
          if (f != null) {
            threats.add(f);
          }
        }
      }
    }
    return threats;
  }

  private static Finding match(Rule rule, Map<Capability, List<Signal>> caps) {
    List<Signal> drivers = new ArrayList<>();
    for (Set<Capability> group : rule.allOf()) {
      Signal best = null;
      for (Capability c : group) {
        List<Signal> s = caps.get(c);
        if (s != null && !s.isEmpty()) {
          Signal candidate = strongest(s);
          if (best == null
              || candidate.finding().severity().compareTo(best.finding().severity()) > 0) {
            best = candidate;
          }
        }
      }
      if (best == null) {
        return null;
      }
      drivers.add(best);
    }
    if ((rule.scope() == Scope.FILE || rule.scope() == Scope.SETUP_SCRIPT)
        && rule.allOf().size() > 1
        && !near(rule, caps)) {
      return null;
    }
    StringBuilder ev = new StringBuilder();
    for (Signal s : drivers) {
      if (ev.length() > 0) {
        ev.append(" + ");
      }
      Finding f = s.finding();
      ev.append(f.type()).append(" (").append(f.file());
      if (f.line() > 0) {
        ev.append(':').append(f.line());
      }
      ev.append(": ").append(shorten(f.evidence(), 90)).append(')');
    }
    Finding anchor = drivers.get(0).finding();
    return new Finding(
        rule.id(),
        ScoreCategory.SUPPLY_CHAIN,
        Severity.CRITICAL,
        anchor.file(),
        anchor.line(),
        TextScanner.clip(ev.toString()),
        rule.why());
  }

  static boolean isSetupScript(String path) {
    return path.equals("setup.py") || path.endsWith(".pth");
  }

  /** Characters within which the signals of a rule must lie in a bundled file. */
  static final int PROXIMITY = 4_000;

  /**
   * In a bundle (signals with offsets) the groups of a rule must be met within {@link #PROXIMITY}
   * characters of one another: one file of many merged modules is not one program.
   */
  private static boolean near(Rule rule, Map<Capability, List<Signal>> caps) {
    List<int[]> groups = new ArrayList<>();
    for (Set<Capability> group : rule.allOf()) {
      List<Integer> offs = new ArrayList<>();
      boolean anywhere = false;
      for (Capability c : group) {
        for (Signal s : caps.getOrDefault(c, List.of())) {
          if (s.offsets().length == 0) {
            anywhere = true;
          }
          for (int o : s.offsets()) {
            offs.add(o);
          }
        }
      }
      if (!anywhere) {
        groups.add(offs.stream().mapToInt(Integer::intValue).toArray());
      }
    }
    if (groups.size() < 2) {
      return true;
    }
    for (int o : groups.get(0)) {
      boolean all = true;
      for (int g = 1; g < groups.size() && all; g++) {
        boolean found = false;
        for (int p : groups.get(g)) {
          if (Math.abs(p - o) <= PROXIMITY) {
            found = true;
            break;
          }
        }
        all = found;
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  private static Signal strongest(List<Signal> signals) {
    Signal best = signals.get(0);
    for (Signal s : signals) {
      if (s.finding().severity().compareTo(best.finding().severity()) > 0) {
        best = s;
      }
    }
    return best;
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
