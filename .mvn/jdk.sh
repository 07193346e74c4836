# Finds a JDK >= 21 for Vigil's scripts and exports JAVA_HOME; sourced by ./vigil and ./run-tests.
# Looks at $JAVA_HOME, the java on PATH, then the usual install folders (newest first).

vigil_java_major() {
  # Prints the major version of the java binary given as $1, or nothing.
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

vigil_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    c="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    candidates+=("$c")
  fi
  for c in $(ls -d /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
      "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home 2>/dev/null | sort -rV); do
    candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    if [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ]; then
      major="$(vigil_java_major "$c/bin/java")"
      if [ -n "$major" ] && [ "$major" -ge 21 ]; then
        export JAVA_HOME="$c"
        VIGIL_JAVA_MAJOR="$major"
        return 0
      fi
    fi
  done
  echo "vigil: no JDK 21 or newer found (looked at \$JAVA_HOME, the java on PATH and /usr/lib/jvm)." >&2
  echo "Install one (for example Temurin 25 from adoptium.net, or 'apt-get install openjdk-21-jdk')" >&2
  echo "and set JAVA_HOME to it, then run this command again." >&2
  return 1
}
