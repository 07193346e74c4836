package io.vigil.scan.analysis;

/**
 * What a piece of package code can do or shows, as seen by one signal. Capabilities alone are not
 * malware (an HTTP client has {@link #NETWORK}); {@link ThreatRules} name the combinations that
 * are.
 */
enum Capability {
  /** HTTP, sockets, WebSockets, mail. */
  NETWORK,
  /** DNS lookups (a channel for exfiltration through crafted host names). */
  DNS,
  /** Spawns processes or shells. */
  PROCESS,
  /** Starts a process hidden from the user (PowerShell hidden/encoded, no window). */
  HIDDEN_PROCESS,
  /** A shell line that downloads and runs in one go: {@code curl … | sh}. */
  SHELL_PIPE,
  /** eval, exec, Function, dynamic require, class loading from bytes. */
  DYNAMIC_CODE,
  /** Decodes base64, hex, zlib, marshal, Fernet. */
  DECODE,
  /** Runs what it just decoded: {@code exec(b64decode(…))}. */
  DECODED_EXEC,
  /** Reads credentials or secrets: SSH keys, cloud and registry credentials, system secrets. */
  SECRET_READ,
  /** Reads what info-stealers take: browser password/cookie stores, chat tokens, wallets. */
  STEALER_TARGET,
  /** Serializes or enumerates the whole environment. */
  ENV_HARVEST,
  /** Collects host identity: host name, user name, network interfaces, public IP. */
  SYSTEM_INFO,
  /** A hard-coded webhook, paste, out-of-band-testing or tunnelling endpoint. */
  EXFIL_ENDPOINT,
  /** A URL or socket address with a raw public IP. */
  RAW_IP,
  /** Obfuscation a tool made on purpose: obfuscator names, PyArmor, encoded code. */
  STRONG_OBFUSCATION,
  /** Code pushed off screen by whitespace. */
  HIDDEN_CODE,
  /** Long encoded blobs, minified code where source is expected. */
  WEAK_OBFUSCATION,
  /** Writes executables or makes files executable. */
  EXEC_WRITE,
  /** Survives reboot: startup folders, Run keys, cron, shell rc files. */
  PERSISTENCE,
  /** Connects a shell to a socket. */
  REVERSE_SHELL,
  /** Clipboard, screenshots, keystrokes, webcam. */
  SPY,
  /** Deletes or overwrites user files broadly. */
  DESTRUCTIVE,
  /** Acts on country, time zone or locale. */
  GEO_TARGET,
  /** Runs at install: lifecycle scripts, setup.py hooks, .pth files, build backends. */
  INSTALL_HOOK,
  /** Native binaries or libraries. */
  NATIVE_CODE,
  /** Archive entries that leave the package. */
  ARCHIVE_ESCAPE,
  /** Package metadata anomalies. */
  METADATA,
  /** Plain informational capabilities with no threat role. */
  OTHER
}
