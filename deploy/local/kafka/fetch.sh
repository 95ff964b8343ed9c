#!/usr/bin/env bash
# Downloads the Kafka broker jars (see pom.xml) once into <repo>/.local/kafka/libs
# (or $LGSP_LOCAL_DIR/kafka/libs). A marker file, written only after a complete copy, records the
# pom.xml checksum and the jar list; when it matches, nothing is downloaded. Changing pom.xml
# triggers a fresh download.
#
#   deploy/local/kafka/fetch.sh [--force]
set -euo pipefail
# shellcheck source=status.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/status.sh"

POM="$KAFKA_SCRIPT_DIR/pom.xml"

check_tools() {
  command -v java >/dev/null 2>&1 ||
    die "'java' not found on PATH. Kafka 4.4 needs Java 17+ (e.g. apt-get install openjdk-17-jdk-headless)."
  local major
  major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
  major="${major#1.}"
  [[ "$major" =~ ^[0-9]+$ ]] || die "could not determine the Java version of '$(command -v java)'."
  ((major >= 17)) || die "Java $major found at '$(command -v java)'; Kafka 4.4 needs Java 17 or newer."
  command -v mvn >/dev/null 2>&1 ||
    die "'mvn' not found on PATH; it is needed once to download the Kafka jars (e.g. apt-get install maven)."
}

pom_sum() { sha256sum "$POM" | cut -d' ' -f1; }

# True if the marker exists, was written for the current pom.xml and every jar it lists is present.
libs_complete() {
  local line sum jar
  [[ -f "$LIBS_MARKER" ]] || return 1
  sum="$(pom_sum)"
  {
    IFS= read -r line || return 1
    [[ "$line" == "pom-sha256 $sum" ]] || return 1
    while IFS= read -r jar; do
      [[ -s "$LIBS_DIR/$jar" ]] || return 1
    done
  } <"$LIBS_MARKER"
}

fetch_main() {
  local force=0
  case "${1:-}" in
    --force) force=1 ;;
    "") ;;
    *) die "unknown option: $1 (usage: fetch.sh [--force])" ;;
  esac

  if ((!force)) && libs_complete; then
    return 0 # already fetched; stay silent so start.sh output remains short
  fi
  check_tools
  mkdir -p "$KAFKA_HOME"

  # Serialise concurrent fetches (e.g. two start.sh at once).
  exec 8>"$KAFKA_HOME/.fetch.lock"
  flock -w 600 8 || die "timed out waiting for another fetch.sh to finish"
  if ((!force)) && libs_complete; then
    return 0
  fi

  local t0 tmp count
  t0="$(now_ms)"
  say "downloading Kafka jars with Maven into $LIBS_DIR (one-time) ..."
  tmp="$(mktemp -d "$KAFKA_HOME/libs.tmp.XXXXXX")"
  # shellcheck disable=SC2064 # expand $tmp now
  trap "rm -rf '$tmp'" EXIT
  if ! mvn -q -B -f "$POM" dependency:copy-dependencies -DoutputDirectory="$tmp" >"$tmp.mvn.log" 2>&1; then
    cat "$tmp.mvn.log" >&2
    rm -f "$tmp.mvn.log"
    die "Maven could not download the Kafka jars (see output above; needs access to Maven Central)."
  fi
  rm -f "$tmp.mvn.log"
  count="$(find "$tmp" -maxdepth 1 -name '*.jar' | wc -l)"
  if ! compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || ((count < 10)); then
    die "Maven finished but the expected jars are missing from $tmp"
  fi

  # Marker last: first line pom checksum, then one jar per line.
  {
    printf 'pom-sha256 %s\n' "$(pom_sum)"
    (cd "$tmp" && find . -maxdepth 1 -name '*.jar' -printf '%f\n' | LC_ALL=C sort)
  } >"$tmp/.fetch-complete.tmp"
  mv "$tmp/.fetch-complete.tmp" "$tmp/.fetch-complete"

  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  trap - EXIT
  say "fetched $count jars into $LIBS_DIR in $(elapsed "$t0") s"
}

fetch_main "$@"
