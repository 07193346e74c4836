package io.vigil.scan.analysis;

import static io.vigil.scan.Severity.HIGH;
import static io.vigil.scan.Severity.INFO;
import static io.vigil.scan.Severity.LOW;
import static io.vigil.scan.Severity.MEDIUM;
import static io.vigil.scan.analysis.Capability.DECODE;
import static io.vigil.scan.analysis.Capability.DECODED_EXEC;
import static io.vigil.scan.analysis.Capability.DESTRUCTIVE;
import static io.vigil.scan.analysis.Capability.DNS;
import static io.vigil.scan.analysis.Capability.DYNAMIC_CODE;
import static io.vigil.scan.analysis.Capability.ENV_HARVEST;
import static io.vigil.scan.analysis.Capability.EXEC_WRITE;
import static io.vigil.scan.analysis.Capability.EXFIL_ENDPOINT;
import static io.vigil.scan.analysis.Capability.GEO_TARGET;
import static io.vigil.scan.analysis.Capability.HIDDEN_PROCESS;
import static io.vigil.scan.analysis.Capability.NETWORK;
import static io.vigil.scan.analysis.Capability.PERSISTENCE;
import static io.vigil.scan.analysis.Capability.PROCESS;
import static io.vigil.scan.analysis.Capability.RAW_IP;
import static io.vigil.scan.analysis.Capability.REVERSE_SHELL;
import static io.vigil.scan.analysis.Capability.SECRET_READ;
import static io.vigil.scan.analysis.Capability.SHELL_PIPE;
import static io.vigil.scan.analysis.Capability.SPY;
import static io.vigil.scan.analysis.Capability.STRONG_OBFUSCATION;
import static io.vigil.scan.analysis.Capability.SYSTEM_INFO;

import com.google.re2j.Pattern;
import io.vigil.scan.Severity;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The catalog of line-level signals: each rule names a finding type, the capability it shows, the
 * languages it applies to, literal anchors (found in one pass, case-insensitive) and a linear-time
 * RE2 pattern checked in a window around each anchor. Rules describe behaviour (what code does),
 * never a particular package.
 */
final class TextRules {
  private TextRules() {}

  /** One rule; {@code pattern} null means the anchor alone is the signal. */
  record Rule(
      String type,
      Capability capability,
      Severity severity,
      Set<Lang> langs,
      List<String> anchors,
      Pattern pattern,
      String why) {}

  private static final Set<Lang> JS = EnumSet.of(Lang.JS);
  private static final Set<Lang> PY = EnumSet.of(Lang.PY);
  private static final Set<Lang> CODE = EnumSet.of(Lang.JS, Lang.PY, Lang.SHELL);
  private static final Set<Lang> SH = EnumSet.of(Lang.SHELL, Lang.JS, Lang.PY);
  private static final Set<Lang> ALL =
      EnumSet.of(Lang.JS, Lang.PY, Lang.SHELL, Lang.JAVA, Lang.TEXT);
  private static final Set<Lang> STRINGS = EnumSet.of(Lang.JS, Lang.PY, Lang.SHELL, Lang.JAVA);

  static final List<Rule> RULES = build();

  private static List<Rule> build() {
    List<Rule> r = new ArrayList<>();
    // ---- network ----
    add(
        r,
        "network-access",
        NETWORK,
        INFO,
        JS,
        "Opens network connections; normal for clients, the basis of exfiltration in malware.",
        "(?:require\\s*\\(\\s*|from\\s+|import\\s*\\(\\s*)['\"](?:node:)?(?:https?|http2|net|tls|dgram|axios|node-fetch|got|request|superagent|ws|undici)['\"]",
        "require",
        "from",
        "import(");
    add(
        r,
        "network-access",
        NETWORK,
        INFO,
        JS,
        "Opens network connections; normal for clients, the basis of exfiltration in malware.",
        "\\bfetch\\s*\\(\\s*['\"`]https?:|new\\s+WebSocket\\s*\\(|XMLHttpRequest|\\.request\\s*\\(\\s*\\{|https?\\.(?:get|request)\\s*\\(",
        "fetch",
        "websocket",
        "xmlhttprequest",
        ".request(",
        ".get(");
    add(
        r,
        "network-access",
        NETWORK,
        INFO,
        PY,
        "Opens network connections; normal for clients, the basis of exfiltration in malware.",
        "(?:^|\\n|;|\\s)(?:import|from)\\s+(?:requests|urllib|urllib2|urllib3|http\\.client|httplib|httpx|aiohttp|socket|smtplib|ftplib|websocket|websockets|pycurl|dhooks|discord_webhook|telebot|telegram)\\b|\\b(?:requests|httpx)\\.(?:get|post|put|request|Session)\\s*\\(|urlopen\\s*\\(|urlretrieve\\s*\\(|socket\\.socket\\s*\\(",
        "import",
        "from",
        "requests.",
        "httpx.",
        "urlopen",
        "urlretrieve",
        "socket.socket");
    add(
        r,
        "dns-lookup",
        DNS,
        LOW,
        JS,
        "Resolves host names it builds itself; DNS queries can carry stolen data out.",
        "\\bdns\\.(?:lookup|resolve\\w*)\\s*\\(|require\\s*\\(\\s*['\"](?:node:)?dns['\"]",
        "dns.",
        "dns'",
        "dns\"");
    add(
        r,
        "dns-lookup",
        DNS,
        LOW,
        PY,
        "Resolves host names it builds itself; DNS queries can carry stolen data out.",
        "gethostbyname\\s*\\(|dns\\.resolver|getaddrinfo\\s*\\(",
        "gethostbyname",
        "dns.resolver",
        "getaddrinfo");
    // ---- processes ----
    add(
        r,
        "process-spawn",
        PROCESS,
        LOW,
        JS,
        "Spawns processes; a CLI may, a library rarely needs to.",
        "['\"](?:node:)?child_process['\"]|\\bexecSync\\s*\\(|\\bspawnSync\\s*\\(",
        "child_process",
        "execsync",
        "spawnsync");
    add(
        r,
        "process-spawn",
        PROCESS,
        LOW,
        PY,
        "Spawns processes; a CLI may, a library rarely needs to.",
        "\\bsubprocess\\.(?:Popen|call|run|check_output|check_call|getoutput)\\b|\\bos\\.(?:system|popen|spawn\\w*|exec[lv]p?e?)\\s*\\(|\\bpty\\.spawn|\\bos\\.startfile\\s*\\(|from\\s+subprocess\\s+import|\\bcommands\\.getoutput",
        "subprocess",
        "os.system",
        "os.popen",
        "os.spawn",
        "os.exec",
        "pty.spawn",
        "startfile",
        "commands.getoutput");
    add(
        r,
        "hidden-process",
        HIDDEN_PROCESS,
        MEDIUM,
        STRINGS,
        "Starts PowerShell or a process hidden from the user, a dropper's habit.",
        "(?i)powershell[^\\n]{0,120}(?:-w(?:indowstyle)?\\s+h(?:idden)?\\b|-e(?:nc(?:odedcommand)?)?\\s+[A-Za-z0-9+/=]{16}|-ep\\s+bypass|-executionpolicy\\s+bypass|-noni?\\b)|CREATE_NO_WINDOW|0x08000000|STARTF_USESHOWWINDOW|windowsHide\\s*:\\s*true[^\\n]{0,80}detached|detached\\s*:\\s*true[^\\n]{0,120}stdio\\s*:\\s*['\"]ignore",
        "powershell",
        "create_no_window",
        "0x08000000",
        "startf_useshowwindow",
        "windowshide",
        "detached");
    add(
        r,
        "download-and-pipe-to-shell",
        SHELL_PIPE,
        HIGH,
        SH,
        "Downloads a script and runs it in one line: whatever the server sends is executed.",
        "(?i)\\b(?:curl|wget)\\b[^\\n|;]{0,200}\\|\\s*(?:sudo\\s+)?(?:sh|bash|zsh|python[23]?|node|perl|ruby)\\b|(?:iwr|irm|invoke-webrequest|invoke-restmethod|downloadstring)[^\\n]{0,200}(?:\\|\\s*iex|invoke-expression)|\\biex\\s*\\(\\s*(?:new-object|\\(new-object)[^\\n]{0,80}downloadstring|certutil(?:\\.exe)?\\s+-urlcache|bitsadmin(?:\\.exe)?\\s+/transfer|mshta(?:\\.exe)?\\s+https?:",
        "curl",
        "wget",
        "iwr",
        "irm",
        "invoke-webrequest",
        "invoke-restmethod",
        "downloadstring",
        "certutil",
        "bitsadmin",
        "mshta");
    // ---- dynamic code ----
    add(
        r,
        "dynamic-code",
        DYNAMIC_CODE,
        LOW,
        JS,
        "Runs code built at run time (eval, Function, vm, module compile).",
        "(?:^|[^.\\w$])eval\\s*\\(|\\bnew\\s+Function\\s*\\(|\\bvm\\.run\\w*\\s*\\(|runInThisContext|runInNewContext|\\._compile\\s*\\(",
        "eval",
        "function",
        "vm.run",
        "runinthiscontext",
        "runinnewcontext",
        "_compile");
    add(
        r,
        "dynamic-code",
        DYNAMIC_CODE,
        LOW,
        PY,
        "Runs code built at run time (exec, eval, compile, __import__).",
        "(?:^|[^.\\w])(?:exec|eval)\\s*\\(\\s*[^)'\"\\s]|\\bcompile\\s*\\([^)]{0,80}['\"]exec['\"]|__import__\\s*\\(\\s*[^'\"\\s)]|\\bexec\\s*\\(\\s*(?:b|r|u)?['\"]{3}",
        "exec",
        "eval",
        "compile",
        "__import__");
    add(
        r,
        "decoded-code-execution",
        DECODED_EXEC,
        HIGH,
        PY,
        "Executes data it just decoded or decrypted: the classic way to hide a payload.",
        "(?:^|[^.\\w])(?:exec|eval)\\s*\\([^\\n]{0,240}?(?:b64decode|b32decode|b16decode|b85decode|a85decode|decompress|unhexlify|fromhex|decrypt|marshal\\.loads|codecs\\.decode|rot13|\\[::-1\\])|(?:^|[^.\\w])(?:exec|eval)\\s*\\(\\s*(?:marshal|zlib|lzma|bz2|base64|codecs|pickle)\\.|(?:^|[^.\\w])exec\\s*\\(\\s*compile\\s*\\(\\s*(?:base64|zlib|marshal|codecs)",
        "exec",
        "eval");
    add(
        r,
        "decoded-code-execution",
        DECODED_EXEC,
        HIGH,
        JS,
        "Executes data it just decoded or decrypted: the classic way to hide a payload.",
        "(?:(?:^|[^.\\w$])eval|\\bFunction|runInThisContext|runInNewContext|_compile)\\s*\\([^\\n]{0,200}?(?:atob\\s*\\(|Buffer\\.from\\s*\\([^\\n]{0,200}['\"](?:base64|hex)['\"]|fromCharCode|unescape\\s*\\(|createDecipher)",
        "eval",
        "function",
        "runinthiscontext",
        "runinnewcontext",
        "_compile");
    add(
        r,
        "decode",
        DECODE,
        INFO,
        PY,
        "Decodes encoded data.",
        "b64decode|b32decode|b85decode|zlib\\.decompress|marshal\\.loads|bytes\\.fromhex|unhexlify|Fernet\\s*\\(|codecs\\.decode",
        "b64decode",
        "b32decode",
        "b85decode",
        "decompress",
        "marshal.loads",
        "fromhex",
        "unhexlify",
        "fernet",
        "codecs.decode");
    add(
        r,
        "decode",
        DECODE,
        INFO,
        JS,
        "Decodes encoded data.",
        "\\batob\\s*\\(|Buffer\\.from\\s*\\([^\\n)]{0,200}['\"](?:base64|hex)['\"]|createDecipher",
        "atob",
        "buffer.from",
        "createdecipher");
    add(
        r,
        "marshal-code",
        STRONG_OBFUSCATION,
        HIGH,
        PY,
        "Loads compiled bytecode from data, which hides the source from review.",
        "marshal\\.loads\\s*\\(|types\\.CodeType\\s*\\(",
        "marshal.loads",
        "types.codetype");
    add(
        r,
        "pyarmor",
        STRONG_OBFUSCATION,
        HIGH,
        PY,
        "PyArmor-protected code: the source is encrypted and cannot be reviewed.",
        "__pyarmor__|pyarmor_runtime|from\\s+pytransform\\s+import",
        "__pyarmor__",
        "pyarmor_runtime",
        "pytransform");
    // ---- secrets and sensitive files ----
    add(
        r,
        "reads-ssh-keys",
        SECRET_READ,
        HIGH,
        STRINGS,
        "Reads SSH private keys or SSH configuration, which grant access to other machines.",
        "\\.ssh[/\\\\]+(?:id_|authorized_keys|known_hosts|config)|\\bid_(?:rsa|dsa|ecdsa|ed25519)\\b|['\"/\\\\]\\.ssh['\"]",
        ".ssh",
        "id_rsa",
        "id_dsa",
        "id_ecdsa",
        "id_ed25519");
    add(
        r,
        "reads-cloud-credentials",
        SECRET_READ,
        HIGH,
        STRINGS,
        "Reads cloud or registry credentials (AWS, GCP, Azure, Docker, Kubernetes, npm, PyPI, git).",
        "\\.aws[/\\\\]+credentials|\\.azure[/\\\\]|gcloud[/\\\\]+(?:credentials|application_default)|\\.docker[/\\\\]+config\\.json|\\.kube[/\\\\]+config|\\.git-credentials|\\.pypirc|\\.netrc\\b|[/\\\\]\\.npmrc|['\"]\\.npmrc['\"]",
        ".aws",
        ".azure",
        "gcloud",
        ".docker",
        ".kube",
        ".git-credentials",
        ".pypirc",
        ".netrc",
        ".npmrc");
    add(
        r,
        "reads-browser-data",
        SECRET_READ,
        HIGH,
        STRINGS,
        "Reads browser profiles (saved passwords, cookies, local storage): credential theft.",
        "(?i)login data|cookies\\.sqlite|logins\\.json|key4\\.db|(?:google|chrome|chromium|brave\\w*|edge|opera[\\w ]*|yandex\\w*|vivaldi)[/\\\\ ]+(?:user data|stable|browser)|local storage[/\\\\]+leveldb|local state['\"]|browser_cookie3|win32crypt|cryptunprotectdata|mozilla[/\\\\]+firefox[/\\\\]+profiles",
        "login data",
        "cookies.sqlite",
        "logins.json",
        "key4.db",
        "user data",
        "stable",
        "leveldb",
        "local state",
        "browser_cookie3",
        "win32crypt",
        "cryptunprotectdata",
        "firefox");
    add(
        r,
        "reads-app-tokens",
        SECRET_READ,
        HIGH,
        STRINGS,
        "Reads chat or game client token stores (Discord, Telegram, Steam, Minecraft): account theft.",
        "(?i)(?:discord(?:canary|ptb)?|lightcord)['\"]?\\s*[,+/\\\\]\\s*['\"]?[^\\n]{0,60}local storage|[/\\\\]discord[/\\\\]|roaming[/\\\\]+discord|\\btdata\\b|loginusers\\.vdf|\\bssfn|\\.minecraft[/\\\\]|launcher_accounts|\\[\\\\w-\\]\\{24\\}|mfa\\\\\\.\\[|dQw4w9WgXcQ",
        "discord",
        "lightcord",
        "tdata",
        "loginusers.vdf",
        "ssfn",
        ".minecraft",
        "launcher_accounts",
        "[\\w-]{24}",
        "mfa\\.",
        "dqw4w9wgxcq");
    add(
        r,
        "reads-crypto-wallets",
        SECRET_READ,
        HIGH,
        STRINGS,
        "Reads cryptocurrency wallets or wallet browser extensions.",
        "(?i)wallet\\.dat|exodus[/\\\\]+exodus\\.wallet|electrum[/\\\\]+wallets|atomic[/\\\\]+local storage|ethereum[/\\\\]+keystore|\\.bitcoin[/\\\\]|nkbihfbeogaeaoehlefnkodbefgpgknn|bfnaelmomeimhlpmgjnjophhpkkoljpa|fhbohimaelbohpjbbldcngcnapndodjp|solana[/\\\\]+id\\.json|metamask|coinomi|guarda[/\\\\]|jaxx",
        "wallet.dat",
        "exodus",
        "electrum",
        "atomic",
        "ethereum",
        ".bitcoin",
        "nkbihfbeogaeaoehlefnkodbefgpgknn",
        "bfnaelmomeimhlpmgjnjophhpkkoljpa",
        "fhbohimaelbohpjbbldcngcnapndodjp",
        "solana",
        "metamask",
        "coinomi",
        "guarda",
        "jaxx");
    add(
        r,
        "reads-system-secrets",
        SECRET_READ,
        MEDIUM,
        STRINGS,
        "Reads system password or history files.",
        "/etc/shadow|/etc/passwd|\\.bash_history|\\.zsh_history|Keychains/login\\.keychain",
        "/etc/shadow",
        "/etc/passwd",
        ".bash_history",
        ".zsh_history",
        "keychains");
    // ---- environment and host identity ----
    add(
        r,
        "serializes-environment",
        ENV_HARVEST,
        HIGH,
        JS,
        "Serializes or enumerates the whole environment, which holds tokens and passwords.",
        "(?:JSON\\.stringify|Object\\.(?:entries|keys|values|assign)|querystring\\.stringify|new\\s+URLSearchParams|btoa)\\s*\\(\\s*(?:\\{\\s*\\.\\.\\.)?process\\.env\\s*[),}]",
        "process.env");
    add(
        r,
        "serializes-environment",
        ENV_HARVEST,
        HIGH,
        PY,
        "Serializes or enumerates the whole environment, which holds tokens and passwords.",
        "(?:dict|str|json\\.dumps|urlencode|repr)\\s*\\(\\s*os\\.environ\\s*\\)|os\\.environ\\.(?:items|copy)\\s*\\(\\s*\\)[^\\n]{0,40}(?:dumps|post|send|urlencode)|(?:data|json|params)\\s*=\\s*(?:dict\\s*\\()?os\\.environ\\b",
        "os.environ");
    add(
        r,
        "collects-host-identity",
        SYSTEM_INFO,
        LOW,
        JS,
        "Collects host or user identity (host name, user name, interfaces).",
        "\\bos\\.(?:hostname|userInfo|networkInterfaces|homedir)\\s*\\(|machineIdSync|node-machine-id|process\\.env\\.(?:USER|USERNAME|COMPUTERNAME|HOSTNAME)\\b",
        "os.",
        "machineidsync",
        "node-machine-id",
        "process.env.");
    add(
        r,
        "collects-host-identity",
        SYSTEM_INFO,
        LOW,
        PY,
        "Collects host or user identity (host name, user name, interfaces).",
        "\\bplatform\\.(?:node|uname)\\s*\\(|socket\\.gethostname\\s*\\(|getpass\\.getuser\\s*\\(|os\\.getlogin\\s*\\(|os\\.uname\\s*\\(|uuid\\.getnode|getenv\\s*\\(\\s*['\"](?:USERNAME|USER|COMPUTERNAME|HOSTNAME)['\"]|environ(?:\\.get\\s*\\(|\\[)\\s*['\"](?:USERNAME|USER|COMPUTERNAME|HOSTNAME)['\"]|\\bwhoami\\b",
        "platform.",
        "gethostname",
        "getuser",
        "getlogin",
        "uname",
        "getnode",
        "username",
        "user",
        "computername",
        "hostname",
        "whoami");
    add(
        r,
        "public-ip-lookup",
        SYSTEM_INFO,
        MEDIUM,
        STRINGS,
        "Looks up the machine's public IP or location, a reconnaissance step.",
        "(?i)api\\.ipify\\.org|ipinfo\\.io|ip-api\\.com|ifconfig\\.me|icanhazip\\.com|checkip\\.amazonaws|ipgeolocation|geolocation-db|myexternalip|wtfismyip",
        "ipify",
        "ipinfo.io",
        "ip-api.com",
        "ifconfig.me",
        "icanhazip",
        "checkip",
        "ipgeolocation",
        "geolocation-db",
        "myexternalip",
        "wtfismyip");
    // ---- endpoints ----
    add(
        r,
        "webhook-endpoint",
        EXFIL_ENDPOINT,
        HIGH,
        STRINGS,
        "A hard-coded chat webhook or bot endpoint: a common drop box for stolen data.",
        "(?i)(?:discord(?:app)?\\.com|discord\\.gg)/api/(?:v\\d+/)?webhooks/\\d{6,}|hooks\\.slack\\.com/services/[A-Z0-9]|api\\.telegram\\.org/bot\\d{6,}|webhook\\.office\\.com/webhookb2/[0-9a-f]|new\\s+WebhookClient\\s*\\(\\s*['\"]\\d{6,}|Webhook\\s*\\(\\s*(?:url\\s*=\\s*)?['\"]https://discord",
        "/webhooks/",
        "hooks.slack.com",
        "api.telegram.org",
        "webhook.office.com",
        "webhookclient",
        "webhook(");
    add(
        r,
        "exfiltration-service",
        EXFIL_ENDPOINT,
        HIGH,
        STRINGS,
        "An out-of-band testing, request-capture, paste or file-drop service: used to receive stolen data.",
        "(?i)(?:[a-z0-9-]+\\.)+(?:burpcollaborator\\.net|oastify\\.com|oast\\.(?:fun|pro|live|site|me|online)|interact\\.sh|interactsh\\.com|dnslog\\.cn|ceye\\.io|requestbin\\.(?:net|com)|pipedream\\.net|m\\.pipedream\\.net|canarytokens\\.com)|(?:webhook\\.site|requestcatcher\\.com|beeceptor\\.com|hookbin\\.com|ptsv2\\.com|transfer\\.sh|pastebin\\.com/raw|paste\\.ee/r|hastebin\\.com/raw|ghostbin|rentry\\.co|anonfiles\\.com|gofile\\.io|file\\.io|0x0\\.st|temp\\.sh|bashupload\\.com|filebin\\.net)",
        "burpcollaborator",
        "oastify",
        "oast.",
        "interact.sh",
        "interactsh",
        "dnslog.cn",
        "ceye.io",
        "requestbin",
        "pipedream.net",
        "canarytokens",
        "webhook.site",
        "requestcatcher",
        "beeceptor",
        "hookbin",
        "ptsv2",
        "transfer.sh",
        "pastebin.com",
        "paste.ee",
        "hastebin",
        "ghostbin",
        "rentry.co",
        "anonfiles",
        "gofile.io",
        "file.io",
        "0x0.st",
        "temp.sh",
        "bashupload",
        "filebin");
    add(
        r,
        "tunnel-endpoint",
        EXFIL_ENDPOINT,
        HIGH,
        STRINGS,
        "A tunnelling service address (ngrok, localtunnel, serveo, trycloudflare): a throwaway C2.",
        "(?i)[a-z0-9-]+\\.(?:ngrok\\.io|ngrok-free\\.app|ngrok\\.app|ngrok-free\\.dev|loca\\.lt|serveo\\.net|trycloudflare\\.com|localhost\\.run|pagekite\\.me|portmap\\.io|bore\\.pub)|\\d+\\.tcp\\.(?:eu\\.|ap\\.|us\\.)?ngrok\\.io",
        "ngrok",
        "loca.lt",
        "serveo.net",
        "trycloudflare",
        "localhost.run",
        "pagekite",
        "portmap.io",
        "bore.pub");
    add(
        r,
        "payload-host",
        NETWORK,
        MEDIUM,
        STRINGS,
        "Downloads from a file-sharing or chat attachment host often used to stage payloads.",
        "(?i)cdn\\.discordapp\\.com/attachments|media\\.discordapp\\.net/attachments|raw\\.githubusercontent\\.com/[^\\s'\"]{1,120}\\.(?:exe|py|ps1|bat|sh|vbs|dll)\\b|dropbox\\.com/s/[^\\s'\"]{1,120}\\?dl=1|drive\\.google\\.com/uc\\?",
        "discordapp",
        "raw.githubusercontent.com",
        "dropbox.com",
        "drive.google.com");
    add(
        r,
        "raw-ip-address",
        RAW_IP,
        MEDIUM,
        STRINGS,
        "Talks to a raw public IP address instead of a host name, typical of command-and-control.",
        "(?:https?|tcp|udp|wss?|ftp)://(?:\\d{1,3}\\.){3}\\d{1,3}(?:[:/]|['\"]|$)|connect\\s*\\(\\s*\\(?\\s*['\"](?:\\d{1,3}\\.){3}\\d{1,3}['\"]\\s*,\\s*\\d+|/dev/tcp/(?:\\d{1,3}\\.){3}\\d{1,3}",
        "://",
        "connect",
        "/dev/tcp/");
    // ---- hostile actions ----
    add(
        r,
        "reverse-shell",
        REVERSE_SHELL,
        HIGH,
        SH,
        "Connects a shell to a network socket: remote control of the machine.",
        "os\\.dup2\\s*\\([^\\n]{0,60}fileno|/dev/tcp/[^\\s'\"]{1,80}|\\bnc(?:at)?\\s+(?:-[a-z]*e\\s|[^\\n]{0,60}-e\\s+/bin/(?:ba)?sh)|bash\\s+-i\\s+>&|['\"]/bin/(?:ba)?sh['\"]\\s*,\\s*['\"]-i['\"]|pty\\.spawn\\s*\\(\\s*['\"]/bin/(?:ba)?sh|\\.pipe\\s*\\(\\s*\\w+\\.stdin\\s*\\)[^\\n]{0,80}spawn\\s*\\(\\s*['\"](?:/bin/)?(?:ba)?sh|spawn\\s*\\(\\s*['\"](?:/bin/)?(?:ba)?sh['\"][^\\n]{0,200}\\.connect\\s*\\(",
        "os.dup2",
        "/dev/tcp/",
        "nc ",
        "ncat",
        "bash -i",
        "/bin/sh",
        "/bin/bash",
        "pty.spawn",
        ".pipe(",
        "spawn(");
    add(
        r,
        "persistence",
        PERSISTENCE,
        HIGH,
        STRINGS,
        "Installs itself to run at logon or boot (startup folder, Run key, cron, shell profile, launch agent).",
        "(?i)start menu[/\\\\]+programs[/\\\\]+startup|currentversion[/\\\\]+run\\b|\\bschtasks(?:\\.exe)?\\s+/create|crontab\\s+-|/etc/cron|library/launchagents|/etc/systemd/system/[\\w.-]+\\.service|systemctl\\s+enable|(?:>>|append|open\\s*\\()[^\\n]{0,80}\\.(?:bashrc|zshrc|bash_profile|profile)\\b|reg(?:\\.exe)?\\s+add\\s+[^\\n]{0,80}\\\\run\\b",
        "start menu",
        "currentversion",
        "schtasks",
        "crontab",
        "/etc/cron",
        "launchagents",
        "/etc/systemd",
        "systemctl",
        ".bashrc",
        ".zshrc",
        ".bash_profile",
        ".profile",
        "reg add",
        "reg.exe");
    add(
        r,
        "writes-executable",
        EXEC_WRITE,
        LOW,
        CODE,
        "Writes an executable file or marks a file executable.",
        "(?i)open\\s*\\([^\\n)]{0,160}\\.(?:exe|scr|bat|cmd|vbs|ps1|dll|msi|lnk)['\"][^\\n)]{0,40}['\"]w|\\.(?:exe|scr|vbs)['\"]|os\\.chmod\\s*\\([^\\n)]{0,120}(?:0o?7[0-7]{2}|S_IEXEC|S_IXUSR|0o?555)|chmodSync\\s*\\([^\\n)]{0,120}(?:0o?7[0-7]{2}|['\"]7[0-7]{2}['\"])|chmod\\s+(?:\\+x|[0-7]?7[0-7]{2})\\s|os\\.startfile\\s*\\(",
        "open",
        ".exe",
        ".scr",
        ".vbs",
        "chmod",
        "startfile");
    add(
        r,
        "spyware-capability",
        SPY,
        MEDIUM,
        CODE,
        "Reads the clipboard, takes screenshots, logs keys or opens the webcam.",
        "(?i)ImageGrab\\.grab|pyautogui\\.screenshot|mss\\s*\\(\\s*\\)\\.shot|pynput\\.keyboard|keyboard\\.on_press|GetAsyncKeyState|SetWindowsHookEx|win32clipboard|pyperclip\\.(?:paste|copy)|clipboardy|cv2\\.VideoCapture\\s*\\(\\s*0|screenshot-desktop",
        "imagegrab",
        "pyautogui",
        ".shot",
        "pynput",
        "keyboard.on_press",
        "getasynckeystate",
        "setwindowshookex",
        "win32clipboard",
        "pyperclip",
        "clipboardy",
        "videocapture",
        "screenshot-desktop");
    add(
        r,
        "destructive-operation",
        DESTRUCTIVE,
        MEDIUM,
        SH,
        "Deletes or overwrites files broadly (home directory, root, every file it finds).",
        "\\brm\\s+-[rf]{2}\\s+(?:/|~|\\$HOME|/\\*)(?:\\s|$|['\"])|shutil\\.rmtree\\s*\\(\\s*(?:os\\.path\\.expanduser\\s*\\(\\s*['\"]~|['\"](?:/|C:\\\\\\\\)['\"])|rmSync\\s*\\(\\s*(?:os\\.homedir\\s*\\(\\)|['\"]/['\"])|rimraf(?:\\.sync)?\\s*\\(\\s*(?:os\\.homedir|['\"]/['\"])|format\\s+c:|del\\s+/[fsq]\\s+/[fsq][^\\n]{0,40}(?:\\\\\\*|C:\\\\)",
        "rm -",
        "rmtree",
        "rmsync",
        "rimraf",
        "format c",
        "del /");
    add(
        r,
        "geo-targeting",
        GEO_TARGET,
        LOW,
        CODE,
        "Checks the country, time zone or locale, the trigger of targeted sabotage.",
        "(?i)resolvedOptions\\s*\\(\\s*\\)\\s*\\.timeZone|country_?code|countryCode|['\"](?:RU|BY|UA|IR|CN)['\"]\\s*\\)|===?\\s*['\"](?:ru|by|ru-ru|russia|belarus)['\"]|europe/(?:moscow|minsk)|locale\\.getdefaultlocale",
        "resolvedoptions",
        "country",
        "'ru",
        "\"ru",
        "'by",
        "\"by",
        "europe/",
        "getdefaultlocale",
        "'ua",
        "\"ua",
        "'ir",
        "\"ir",
        "'cn",
        "\"cn",
        "russia",
        "belarus");
    return List.copyOf(r);
  }

  private static void add(
      List<Rule> rules,
      String type,
      Capability cap,
      Severity sev,
      Set<Lang> langs,
      String why,
      String regex,
      String... anchors) {
    rules.add(
        new Rule(
            type,
            cap,
            sev,
            langs,
            List.of(anchors),
            regex == null ? null : Pattern.compile(regex),
            why));
  }
}
