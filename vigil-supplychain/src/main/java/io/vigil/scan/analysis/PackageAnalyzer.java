package io.vigil.scan.analysis;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.vigil.scan.Ecosystem;
import io.vigil.scan.Finding;
import io.vigil.scan.ScoreCategory;
import io.vigil.scan.Severity;
import io.vigil.scan.archive.PackageContents;
import io.vigil.scan.archive.PackageFile;
import io.vigil.scan.archive.RefusedEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Static analysis of one package held in memory: reads its manifest (package.json, setup.py,
 * pyproject.toml, PKG-INFO, jar manifest), finds the code that runs at install, scans every code
 * file, class file and binary, and lets {@link ThreatRules} combine the signals. Thread-safe; no
 * package code is ever run.
 */
public final class PackageAnalyzer {
  private static final ObjectMapper JSON =
      JsonMapper.builder(
              com.fasterxml.jackson.core.JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(64)
                          .maxStringLength(1 << 20)
                          .build())
                  .build())
          .build();

  /** npm lifecycle scripts that run when the package is installed from a registry. */
  private static final List<String> INSTALL_SCRIPTS =
      List.of("preinstall", "install", "postinstall", "preuninstall", "uninstall", "postuninstall");

  private static final Pattern RELATIVE_IMPORT =
      Pattern.compile(
          "(?:require\\s*\\(\\s*|import\\s*\\(\\s*|from\\s+|import\\s+)['\"](\\.{1,2}/[^'\"\\s]{1,200})['\"]");
  private static final Pattern PY_IMPORT =
      Pattern.compile("(?m)^\\s*(?:from\\s+([\\w.]+)\\s+import|import\\s+([\\w.]+))");
  private static final Pattern CMDCLASS_HOOK =
      Pattern.compile(
          "class\\s+\\w+\\s*\\(\\s*(?:[\\w.]*\\.)?(install|develop|egg_info|build_py|build_ext|sdist|bdist_egg|bdist_wheel|build)\\s*\\)");
  private static final int MAX_PER_TYPE = 5;

  /** Analyses a package. */
  public PackageAnalysis analyze(PackageContents pkg) {
    Map<String, PackageFile> files = pkg.byPath();
    Map<String, List<Signal>> byFile = new LinkedHashMap<>();
    Set<String> installFiles = new LinkedHashSet<>();
    List<Signal> meta = new ArrayList<>();

    Identity id = identify(pkg, files);
    for (RefusedEntry r : pkg.refused()) {
      meta.add(
          new Signal(
              new Finding(
                  "archive-" + r.reason(),
                  ScoreCategory.SUPPLY_CHAIN,
                  r.reason().equals("link") || r.reason().equals("unreadable")
                      ? Severity.MEDIUM
                      : Severity.HIGH,
                  r.name(),
                  0,
                  r.name() + ": " + r.detail(),
                  "An archive entry that points or writes outside the package is refused; packages built by"
                      + " normal tools never contain one."),
              Capability.ARCHIVE_ESCAPE));
    }

    for (PackageFile f : pkg.files()) {
      String path = f.path();
      if (path.endsWith(".class") || ClassFileScanner.isClassFile(f.bytes())) {
        add(byFile, path, ClassFileScanner.scan(path, f.bytes()));
        continue;
      }
      if (Nested.isDisguisedArchive(f)) {
        add(byFile, path, Nested.scan(f));
        continue;
      }
      Binary bin = Binary.of(f);
      if (bin != null) {
        add(byFile, path, List.of(binarySignal(id, f, bin)));
        continue;
      }
      Lang lang = Lang.of(path);
      if (path.endsWith(".pth")) {
        lang = Lang.PY;
      }
      if (lang == Lang.NONE || lang == Lang.TEXT && f.bytes().length > (1 << 20)) {
        continue;
      }
      add(byFile, path, TextScanner.scan(path, f.text(), lang));
    }

    switch (id.ecosystem) {
      case NPM -> npm(id, files, byFile, installFiles, meta);
      case PYPI -> python(files, byFile, installFiles, meta);
      case MAVEN -> jar(files, byFile, installFiles, meta);
    }
    metadata(id, pkg, files, meta);
    if (!meta.isEmpty()) {
      add(byFile, "(metadata)", meta);
    }
    List<Finding> threats = ThreatRules.evaluate(byFile, installFiles);
    List<Finding> findings = new ArrayList<>(threats);
    findings.addAll(aggregate(byFile));
    return new PackageAnalysis(id.ecosystem, id.name, id.version, findings);
  }

  private static void add(Map<String, List<Signal>> byFile, String key, List<Signal> signals) {
    if (!signals.isEmpty()) {
      byFile.computeIfAbsent(key, k -> new ArrayList<>()).addAll(signals);
    }
  }

  /**
   * All signals as findings, strongest first, at most a few per type (the last counts the rest).
   */
  private static List<Finding> aggregate(Map<String, List<Signal>> byFile) {
    List<Finding> all = new ArrayList<>();
    for (List<Signal> l : byFile.values()) {
      for (Signal s : l) {
        all.add(s.finding());
      }
    }
    all.sort(
        Comparator.comparing(Finding::severity)
            .reversed()
            .thenComparing(Finding::type)
            .thenComparing(Finding::file)
            .thenComparingInt(Finding::line));
    Map<String, Integer> perType = new HashMap<>();
    Map<String, Integer> totals = new HashMap<>();
    for (Finding f : all) {
      totals.merge(f.type(), 1, Integer::sum);
    }
    List<Finding> out = new ArrayList<>();
    Set<String> dedupe = new java.util.HashSet<>();
    for (Finding f : all) {
      if (!dedupe.add(f.type() + '\0' + f.file() + '\0' + f.line() + '\0' + f.evidence())) {
        continue;
      }
      int n = perType.merge(f.type(), 1, Integer::sum);
      if (n < MAX_PER_TYPE) {
        out.add(f);
      } else if (n == MAX_PER_TYPE) {
        int rest = totals.get(f.type()) - MAX_PER_TYPE + 1;
        out.add(
            rest <= 1
                ? f
                : new Finding(
                    f.type(),
                    f.category(),
                    f.severity(),
                    f.file(),
                    f.line(),
                    TextScanner.clip(f.evidence() + " (and " + (rest - 1) + " more places)"),
                    f.why()));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- identity

  private static final class Identity {
    Ecosystem ecosystem = Ecosystem.NPM;
    String name = "";
    String version = "";
    JsonNode packageJson;
    Map<String, String> pkgInfo = Map.of();
  }

  private static Identity identify(PackageContents pkg, Map<String, PackageFile> files) {
    Identity id = new Identity();
    PackageFile pj = files.get("package.json");
    if (pj != null) {
      id.ecosystem = Ecosystem.NPM;
      try {
        id.packageJson = JSON.readTree(pj.bytes());
        id.name = id.packageJson.path("name").asText("");
        id.version = id.packageJson.path("version").asText("");
      } catch (java.io.IOException e) {
        id.packageJson = null;
      }
    } else if (files.containsKey("setup.py")
        || files.containsKey("PKG-INFO")
        || files.containsKey("pyproject.toml")
        || files.keySet().stream().anyMatch(p -> p.contains(".dist-info/") || p.endsWith(".py"))) {
      id.ecosystem = Ecosystem.PYPI;
      PackageFile info = files.get("PKG-INFO");
      if (info == null) {
        info =
            files.values().stream()
                .filter(f -> f.path().endsWith(".dist-info/METADATA"))
                .findFirst()
                .orElse(null);
      }
      if (info != null) {
        id.pkgInfo = rfc822(info.text());
        id.name = id.pkgInfo.getOrDefault("name", "");
        id.version = id.pkgInfo.getOrDefault("version", "");
      }
    } else if (files.containsKey("META-INF/MANIFEST.MF")
        || files.keySet().stream().anyMatch(p -> p.endsWith(".class") || p.endsWith("pom.xml"))) {
      id.ecosystem = Ecosystem.MAVEN;
      for (PackageFile f : files.values()) {
        if (f.path().startsWith("META-INF/maven/") && f.path().endsWith("/pom.properties")) {
          Map<String, String> p = properties(f.text());
          id.name = p.getOrDefault("groupId", "") + ":" + p.getOrDefault("artifactId", "");
          id.version = p.getOrDefault("version", "");
          break;
        }
      }
      if (id.name.isEmpty()) {
        PackageFile mf = files.get("META-INF/MANIFEST.MF");
        if (mf != null) {
          Map<String, String> m = rfc822(mf.text());
          id.name =
              m.getOrDefault("bundle-symbolicname", m.getOrDefault("implementation-title", ""));
          id.version =
              m.getOrDefault("bundle-version", m.getOrDefault("implementation-version", ""));
        }
      }
    }
    if (id.name.isBlank()) {
      String s = pkg.source().replace('\\', '/');
      id.name = s.substring(s.lastIndexOf('/') + 1);
    }
    return id;
  }

  static Map<String, String> rfc822(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : text.split("\r?\n")) {
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
        m.putIfAbsent(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    return m;
  }

  private static Map<String, String> properties(String text) {
    Map<String, String> m = new HashMap<>();
    for (String line : text.split("\r?\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("#")) {
        m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    return m;
  }

  // ---------------------------------------------------------------- npm

  private void npm(
      Identity id,
      Map<String, PackageFile> files,
      Map<String, List<Signal>> byFile,
      Set<String> installFiles,
      List<Signal> meta) {
    JsonNode pj = id.packageJson;
    if (pj == null) {
      if (files.containsKey("package.json")) {
        meta.add(
            metaSignal(
                "invalid-package-json",
                Severity.MEDIUM,
                "package.json",
                0,
                "package.json is not valid JSON",
                "npm cannot read this manifest; the package is broken or crafted.",
                Capability.METADATA));
      }
      return;
    }
    String pjText = files.get("package.json").text();
    JsonNode scripts = pj.path("scripts");
    List<String> starts = new ArrayList<>();
    for (String name : INSTALL_SCRIPTS) {
      JsonNode s = scripts.get(name);
      if (s == null || !s.isTextual() || s.asText().isBlank()) {
        continue;
      }
      String cmd = s.asText();
      int line = lineOf(pjText, "\"" + name + "\"");
      meta.add(
          new Signal(
              new Finding(
                  "install-script",
                  ScoreCategory.SUPPLY_CHAIN,
                  Severity.MEDIUM,
                  "package.json",
                  line,
                  name + ": " + cmd,
                  "npm runs this command on every install, with the user's rights, before anyone uses the package."),
              Capability.INSTALL_HOOK));
      installFiles.add("package.json#scripts");
      for (Signal sig : TextScanner.scan("package.json", cmd, Lang.SHELL)) {
        Finding f = sig.finding();
        add(
            byFile,
            "package.json#scripts",
            List.of(
                new Signal(
                    new Finding(
                        f.type(),
                        f.category(),
                        f.severity(),
                        "package.json",
                        line,
                        name + ": " + f.evidence(),
                        f.why()),
                    sig.capability())));
      }
      starts.addAll(referencedFiles(cmd, "", files));
    }
    installFiles.addAll(follow(starts, files));
    // bin entries and main are not install-time; nothing more to do here
  }

  /** Package files a shell command line names, e.g. {@code node ./build/postinstall.js}. */
  private static List<String> referencedFiles(
      String cmd, String dir, Map<String, PackageFile> files) {
    List<String> out = new ArrayList<>();
    Matcher m = RELATIVE_IMPORT.matcher(cmd);
    while (m.find()) {
      String r = resolve(dir, m.group(1), files);
      if (r != null) {
        out.add(r);
      }
    }
    for (String token : cmd.split("[\\s;&|()'\"`=]+")) {
      if (token.isEmpty() || token.startsWith("-")) {
        continue;
      }
      String t = token.startsWith("./") ? token.substring(2) : token;
      String r = resolve(dir, t, files);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  private static String resolve(String dir, String rel, Map<String, PackageFile> files) {
    String joined = normalize(dir.isEmpty() ? rel : dir + "/" + rel);
    if (joined == null) {
      return null;
    }
    for (String cand :
        List.of(
            joined,
            joined + ".js",
            joined + ".cjs",
            joined + ".mjs",
            joined + "/index.js",
            joined + ".py",
            joined + "/__init__.py")) {
      if (files.containsKey(cand)) {
        return cand;
      }
    }
    return null;
  }

  private static String normalize(String path) {
    ArrayDeque<String> parts = new ArrayDeque<>();
    for (String seg : path.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.removeLast();
      } else {
        parts.addLast(seg);
      }
    }
    return String.join("/", parts);
  }

  /** The files reachable from the start files through relative requires and imports. */
  private static Set<String> follow(List<String> start, Map<String, PackageFile> files) {
    Set<String> seen = new LinkedHashSet<>();
    ArrayDeque<String> queue = new ArrayDeque<>(start);
    while (!queue.isEmpty() && seen.size() < 200) {
      String p = queue.poll();
      if (!seen.add(p)) {
        continue;
      }
      PackageFile f = files.get(p);
      if (f == null || Lang.of(p) != Lang.JS && Lang.of(p) != Lang.SHELL) {
        continue;
      }
      String dir = p.contains("/") ? p.substring(0, p.lastIndexOf('/')) : "";
      Matcher m = RELATIVE_IMPORT.matcher(f.text());
      while (m.find()) {
        String r = resolve(dir, m.group(1), files);
        if (r != null && !seen.contains(r)) {
          queue.add(r);
        }
      }
      if (Lang.of(p) == Lang.SHELL) {
        queue.addAll(referencedFiles(f.text(), dir, files));
      }
    }
    return seen;
  }

  // ---------------------------------------------------------------- PyPI

  private void python(
      Map<String, PackageFile> files,
      Map<String, List<Signal>> byFile,
      Set<String> installFiles,
      List<Signal> meta) {
    PackageFile setup = files.get("setup.py");
    if (setup != null) {
      installFiles.add("setup.py");
      String text = setup.text();
      Matcher m = CMDCLASS_HOOK.matcher(text);
      if (m.find() || text.contains("cmdclass")) {
        int line = m.find(0) ? lineOfOffset(text, m.start()) : lineOf(text, "cmdclass");
        meta.add(
            new Signal(
                new Finding(
                    "setup-install-hook",
                    ScoreCategory.SUPPLY_CHAIN,
                    Severity.MEDIUM,
                    "setup.py",
                    line,
                    TextScanner.clip(line > 0 ? text.split("\n", -1)[line - 1] : "cmdclass"),
                    "setup.py replaces a setuptools command (cmdclass); its code runs when pip installs the sdist."),
                Capability.INSTALL_HOOK));
      }
      // modules of this package that setup.py imports run at install too
      Matcher im = PY_IMPORT.matcher(text);
      while (im.find()) {
        String mod = im.group(1) != null ? im.group(1) : im.group(2);
        String base = mod.replace('.', '/');
        for (String cand : List.of(base + ".py", base + "/__init__.py")) {
          if (files.containsKey(cand)) {
            installFiles.add(cand);
          }
        }
      }
    }
    for (PackageFile f : files.values()) {
      if (f.path().endsWith(".pth")) {
        String t = f.text();
        for (String line : t.split("\n")) {
          if (line.startsWith("import ") || line.startsWith("import\t")) {
            installFiles.add(f.path());
            meta.add(
                new Signal(
                    new Finding(
                        "pth-autorun",
                        ScoreCategory.SUPPLY_CHAIN,
                        Severity.HIGH,
                        f.path(),
                        lineOf(t, line),
                        TextScanner.clip(line),
                        "A .pth file line starting with 'import' runs at every Python start-up once installed."),
                    Capability.INSTALL_HOOK));
            break;
          }
        }
      }
    }
    PackageFile pyproject = files.get("pyproject.toml");
    if (pyproject != null) {
      String t = pyproject.text();
      int at = t.indexOf("backend-path");
      if (at >= 0) {
        int line = lineOfOffset(t, at);
        String l = t.split("\n", -1)[line - 1];
        meta.add(
            new Signal(
                new Finding(
                    "in-tree-build-backend",
                    ScoreCategory.SUPPLY_CHAIN,
                    Severity.MEDIUM,
                    "pyproject.toml",
                    line,
                    TextScanner.clip(l),
                    "The build backend is code shipped in the package itself; it runs when pip builds it."),
                Capability.INSTALL_HOOK));
        Matcher q = Pattern.compile("['\"]([^'\"]+)['\"]").matcher(l);
        while (q.find()) {
          String dir = normalize(q.group(1));
          if (dir != null) {
            for (String p : files.keySet()) {
              if (p.endsWith(".py")
                  && (dir.isEmpty() ? !p.contains("/") : p.startsWith(dir + "/"))) {
                installFiles.add(p);
              }
            }
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- Maven

  private void jar(
      Map<String, PackageFile> files,
      Map<String, List<Signal>> byFile,
      Set<String> installFiles,
      List<Signal> meta) {
    PackageFile mf = files.get("META-INF/MANIFEST.MF");
    if (mf != null) {
      Map<String, String> m = rfc822(mf.text().replace("\r\n ", "").replace("\n ", ""));
      for (String key : List.of("premain-class", "agent-class", "launcher-agent-class")) {
        String cls = m.get(key);
        if (cls != null) {
          String path = cls.replace('.', '/') + ".class";
          installFiles.add(path);
          meta.add(
              new Signal(
                  new Finding(
                      "java-agent",
                      ScoreCategory.SUPPLY_CHAIN,
                      key.equals("launcher-agent-class") ? Severity.MEDIUM : Severity.LOW,
                      "META-INF/MANIFEST.MF",
                      lineOf(mf.text(), key.substring(0, 1).toUpperCase(Locale.ROOT)),
                      key + ": " + cls,
                      "A Java agent can rewrite every class the JVM loads; Launcher-Agent-Class runs automatically with java -jar."),
                  Capability.INSTALL_HOOK));
        }
      }
    }
    int services = 0;
    String firstService = null;
    for (PackageFile f : files.values()) {
      if (f.path().startsWith("META-INF/services/") && !f.path().endsWith("/")) {
        services++;
        if (firstService == null) {
          firstService = f.path();
        }
        for (String line : f.text().split("\n")) {
          String cls = line.replaceAll("#.*", "").trim();
          if (!cls.isEmpty()) {
            installFiles.add(cls.replace('.', '/') + ".class");
          }
        }
      }
    }
    if (services > 0) {
      meta.add(
          metaSignal(
              "service-loader",
              Severity.INFO,
              firstService,
              0,
              services + " ServiceLoader registrations (first: " + firstService + ")",
              "Classes registered under META-INF/services are instantiated automatically by whoever looks the service up.",
              Capability.INSTALL_HOOK));
    }
    if (files.containsKey("META-INF/maven/plugin.xml")) {
      meta.add(
          metaSignal(
              "maven-plugin",
              Severity.LOW,
              "META-INF/maven/plugin.xml",
              0,
              "a Maven plugin descriptor",
              "A Maven plugin runs inside the build with the developer's rights.",
              Capability.INSTALL_HOOK));
    }
  }

  // ---------------------------------------------------------------- binaries

  private record Binary(String format) {
    static Binary of(PackageFile f) {
      byte[] b = f.bytes();
      if (b.length < 4) {
        return null;
      }
      int b0 = b[0] & 0xff;
      int b1 = b[1] & 0xff;
      int b2 = b[2] & 0xff;
      int b3 = b[3] & 0xff;
      if (b0 == 0x7f && b1 == 'E' && b2 == 'L' && b3 == 'F') {
        return new Binary("ELF");
      }
      if (b0 == 'M' && b1 == 'Z') {
        return new Binary("PE");
      }
      if ((b0 == 0xcf || b0 == 0xce) && b1 == 0xfa && b2 == 0xed && b3 == 0xfe) {
        return new Binary("Mach-O");
      }
      if (b0 == 0xca && b1 == 0xfe && b2 == 0xba && b3 == 0xbe && !f.path().endsWith(".class")) {
        // a fat Mach-O header counts architectures (a few); a class file has its version here
        int archs =
            ((b[4] & 0xff) << 24) | ((b[5] & 0xff) << 16) | ((b[6] & 0xff) << 8) | (b[7] & 0xff);
        return b.length >= 8 && archs > 0 && archs < 32 ? new Binary("Mach-O universal") : null;
      }
      if (b0 == 0 && b1 == 'a' && b2 == 's' && b3 == 'm') {
        return new Binary("WebAssembly");
      }
      return null;
    }
  }

  private static Signal binarySignal(Identity id, PackageFile f, Binary bin) {
    String p = f.path().toLowerCase(Locale.ROOT);
    boolean nativeName =
        p.endsWith(".node")
            || p.endsWith(".so")
            || p.contains(".so.")
            || p.endsWith(".dll")
            || p.endsWith(".dylib")
            || p.endsWith(".jnilib")
            || p.endsWith(".pyd")
            || p.endsWith(".wasm")
            || p.endsWith(".exe");
    Severity sev;
    String type;
    String why;
    if (!nativeName
        && !bin.format().equals("WebAssembly")
        && !p.endsWith(".a")
        && !p.endsWith(".o")) {
      String name = p.substring(p.lastIndexOf('/') + 1);
      boolean plainExecutable = !name.contains(".") || p.contains("/bin/");
      sev = plainExecutable ? Severity.MEDIUM : Severity.HIGH;
      type = plainExecutable ? "executable-binary" : "disguised-binary";
      why =
          plainExecutable
              ? "A native executable ships in the package; its behaviour cannot be reviewed from source."
              : "A native binary hides behind a file name that does not say so.";
    } else if (p.endsWith(".exe") && id.ecosystem != Ecosystem.MAVEN) {
      sev = Severity.MEDIUM;
      type = "executable-binary";
      why =
          "A Windows executable ships in the package; its behaviour cannot be reviewed from source.";
    } else {
      sev =
          id.ecosystem == Ecosystem.PYPI && !p.contains(".dist-info") && isSdistLike(id)
              ? Severity.MEDIUM
              : Severity.LOW;
      type = bin.format().equals("WebAssembly") ? "webassembly" : "native-library";
      why = "Native code runs with full rights and cannot be reviewed like source.";
    }
    return new Signal(
        TextScanner.finding(
            type, sev, f.path(), 0, bin.format() + " binary, " + f.bytes().length + " bytes", why),
        Capability.NATIVE_CODE);
  }

  private static boolean isSdistLike(Identity id) {
    return !id.pkgInfo.isEmpty();
  }

  // ---------------------------------------------------------------- metadata

  private static final Pattern REPO =
      Pattern.compile(
          "(?i)(?:github\\.com|gitlab\\.com|bitbucket\\.org)[/:]([\\w.-]+)/([\\w.-]+?)(?:\\.git)?(?:[/#?]|$)");

  private void metadata(
      Identity id, PackageContents pkg, Map<String, PackageFile> files, List<Signal> meta) {
    String version = id.version;
    String repo = "";
    String homepage = "";
    String description = "";
    String license = "";
    String file = "";
    if (id.ecosystem == Ecosystem.NPM && id.packageJson != null) {
      JsonNode pj = id.packageJson;
      file = "package.json";
      JsonNode r = pj.path("repository");
      repo = r.isTextual() ? r.asText() : r.path("url").asText("");
      homepage = pj.path("homepage").asText("");
      description = pj.path("description").asText("");
      license =
          pj.path("license").isTextual()
              ? pj.path("license").asText()
              : pj.path("license").path("type").asText("");
      if (description.toLowerCase(Locale.ROOT).contains("security holding package")) {
        meta.add(
            metaSignal(
                "registry-placeholder",
                Severity.INFO,
                file,
                0,
                description,
                "The registry replaced a removed (usually malicious) package with this placeholder; it contains no code.",
                Capability.METADATA));
        return;
      }
      gutted(id, files, meta);
    } else if (id.ecosystem == Ecosystem.PYPI) {
      file = files.containsKey("PKG-INFO") ? "PKG-INFO" : "setup.py";
      homepage = id.pkgInfo.getOrDefault("home-page", "");
      String urls = id.pkgInfo.getOrDefault("project-url", "");
      repo = urls;
      description = id.pkgInfo.getOrDefault("summary", "");
      license =
          id.pkgInfo.getOrDefault("license", id.pkgInfo.getOrDefault("license-expression", ""));
    } else {
      return;
    }
    String shortName =
        id.name.contains("/") ? id.name.substring(id.name.indexOf('/') + 1) : id.name;
    Matcher rm = REPO.matcher(repo);
    Matcher hm = REPO.matcher(homepage);
    if (rm.find() && hm.find()) {
      if (!rm.group(1).equalsIgnoreCase(hm.group(1))
          || !rm.group(2).equalsIgnoreCase(hm.group(2))) {
        meta.add(
            metaSignal(
                "repository-homepage-mismatch",
                Severity.LOW,
                file,
                0,
                "repository "
                    + rm.group(1)
                    + "/"
                    + rm.group(2)
                    + " but homepage "
                    + hm.group(1)
                    + "/"
                    + hm.group(2),
                "The homepage and the repository name different projects; a copied manifest can borrow a famous project's links.",
                Capability.METADATA));
      }
    }
    if (rm.find(0)
        && id.ecosystem == Ecosystem.NPM
        && id.packageJson.path("repository").path("directory").isMissingNode()) {
      String repoName = simplify(rm.group(2));
      String pkgName = simplify(shortName);
      if (!repoName.isEmpty()
          && !pkgName.isEmpty()
          && !repoName.contains(pkgName)
          && !pkgName.contains(repoName)) {
        meta.add(
            metaSignal(
                "repository-name-mismatch",
                Severity.LOW,
                file,
                0,
                "package " + id.name + " points to repository " + rm.group(1) + "/" + rm.group(2),
                "The repository does not carry the package's name; check that the source really belongs to it.",
                Capability.METADATA));
      }
    }
    if (repo.isBlank() && homepage.isBlank()) {
      meta.add(
          new Signal(
              new Finding(
                  "no-source-repository",
                  ScoreCategory.MAINTENANCE,
                  Severity.LOW,
                  file,
                  0,
                  "no repository or homepage in the metadata",
                  "Without a source link the published code cannot be compared with its source."),
              Capability.METADATA));
    }
    if (license.isBlank()) {
      meta.add(
          new Signal(
              new Finding(
                  "no-license",
                  ScoreCategory.LICENSE,
                  Severity.LOW,
                  file,
                  0,
                  "no license in the metadata",
                  "Unlicensed code cannot legally be reused."),
              Capability.METADATA));
    }
    if (description.isBlank()) {
      meta.add(
          new Signal(
              new Finding(
                  "no-description",
                  ScoreCategory.QUALITY,
                  Severity.INFO,
                  file,
                  0,
                  "no description in the metadata",
                  "Throw-away and malicious packages often lack a description."),
              Capability.METADATA));
    }
    int major = major(version);
    long code =
        files.keySet().stream().filter(p -> Lang.of(p) == Lang.JS || Lang.of(p) == Lang.PY).count();
    if (major >= 99 || (major >= 10 && code <= 3 && repo.isBlank())) {
      meta.add(
          metaSignal(
              "unusual-version",
              Severity.MEDIUM,
              file,
              0,
              "version "
                  + version
                  + " with "
                  + code
                  + " code files"
                  + (repo.isBlank() ? " and no repository" : ""),
              "A very high version on a small package is how dependency-confusion and hijack releases win version resolution.",
              Capability.METADATA));
    }
  }

  private static void gutted(Identity id, Map<String, PackageFile> files, List<Signal> meta) {
    long code =
        files.keySet().stream()
            .filter(p -> Lang.of(p) == Lang.JS || p.endsWith(".node") || p.endsWith(".wasm"))
            .count();
    String main = id.packageJson.path("main").asText("");
    boolean hasTypesOnly = files.keySet().stream().anyMatch(p -> p.endsWith(".d.ts"));
    if (code == 0
        && !hasTypesOnly
        && !id.packageJson.has("bin")
        && !id.packageJson.has("exports")
        && (!main.isEmpty() || id.packageJson.has("repository"))) {
      meta.add(
          metaSignal(
              "no-code-release",
              Severity.HIGH,
              "package.json",
              0,
              "no code files; main points to "
                  + (main.isEmpty() ? "index.js" : main)
                  + ", which is absent",
              "A release of a library that contains no code breaks every user: a sabotaged or hijacked release (protestware) or a placeholder.",
              Capability.METADATA));
    }
  }

  private static String simplify(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("^node-|\\.js$|js$|^js-|[^a-z0-9]", "");
  }

  private static int major(String version) {
    int i = 0;
    while (i < version.length() && Character.isDigit(version.charAt(i))) {
      i++;
    }
    if (i == 0 || i > 9) {
      return i > 9 ? Integer.MAX_VALUE : -1;
    }
    return Integer.parseInt(version.substring(0, i));
  }

  private static Signal metaSignal(
      String type,
      Severity sev,
      String file,
      int line,
      String evidence,
      String why,
      Capability cap) {
    return new Signal(
        new Finding(
            type, ScoreCategory.SUPPLY_CHAIN, sev, file, line, TextScanner.clip(evidence), why),
        cap);
  }

  private static int lineOf(String text, String needle) {
    int at = text.indexOf(needle);
    return at < 0 ? 0 : lineOfOffset(text, at);
  }

  private static int lineOfOffset(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
