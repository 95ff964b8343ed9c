#!/usr/bin/env bash
# shellcheck disable=SC2034 # variables are also used by the scripts that source this file
# Status of the local Kafka broker (single KRaft node on 127.0.0.1:9092).
#
#   deploy/local/kafka/status.sh [--quiet]
#
# Exit codes: 0 = running and answering the Kafka protocol ("running")
#             1 = not running
#             2 = our broker process exists but does not answer (yet)
#             3 = port 9092 is taken by something that is not our broker
#
# This file is also sourced by fetch.sh, start.sh and stop.sh for the shared paths and helpers
# (sourcing only defines them; the status check itself runs only when executed directly).
set -euo pipefail

# Shared with the scripts that source this file:
KAFKA_SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$KAFKA_SCRIPT_DIR/../../.." && pwd -P)"
LOCAL_DIR="${LGSP_LOCAL_DIR:-$REPO_ROOT/.local}"
if [[ "$LOCAL_DIR" != /* ]]; then
  LOCAL_DIR="$PWD/$LOCAL_DIR"
fi
KAFKA_HOME="$LOCAL_DIR/kafka"
LIBS_DIR="$KAFKA_HOME/libs"
LIBS_MARKER="$LIBS_DIR/.fetch-complete"
DATA_DIR="$KAFKA_HOME/data"
EFFECTIVE_CONFIG="$DATA_DIR/server.properties"
STORAGE_DIR="$DATA_DIR/kraft-logs"
LOG_DIR="$DATA_DIR/logs"
PID_FILE="$DATA_DIR/broker.pid"
# Passwords, one file per principal (<name>.password, mode 600), generated on first use and
# kept when the data dir is wiped: a fresh format adds the same credentials again.
CREDENTIALS_DIR="$KAFKA_HOME/credentials"
# Written when the storage is formatted with the broker's and the administrator's SCRAM
# credentials; a data dir without it was formatted for the open (PLAINTEXT) broker.
CLOSED_MARKER="$DATA_DIR/closed-broker"
# The broker's own principal and the administration principal: the only super users.
BROKER_PRINCIPAL=lgsp_broker
ADMIN_PRINCIPAL=lgsp_admin

KAFKA_HOST=127.0.0.1
# A second broker (its own LGSP_LOCAL_DIR) may run beside the default one on other ports.
KAFKA_PORT="${LGSP_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${LGSP_KAFKA_CONTROLLER_PORT:-9093}"

say() { printf '[kafka] %s\n' "$*"; }
warn() { printf '[kafka] WARNING: %s\n' "$*" >&2; }
die() {
  printf '[kafka] ERROR: %s\n' "$*" >&2
  exit 1
}

# Milliseconds since the epoch (for "took N.N s" messages).
now_ms() { date +%s%3N; }
elapsed() { # elapsed START_MS -> "12.3"
  local ms=$(($(now_ms) - $1))
  printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}

# True if the process is alive (a zombie counts as dead). No forks: also used to scan /proc.
pid_alive() {
  local stat state
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  state="${stat##*) }"
  state="${state%% *}"
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# True if PID is a kafka.Kafka JVM running with *our* effective config (guards against PID reuse
# and never matches a broker started from another clone / LGSP_LOCAL_DIR).
is_our_broker() {
  local pid="$1" arg found_main=0 match=1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  while IFS= read -r -d '' arg; do
    if ((found_main)); then
      [[ "$arg" == "$EFFECTIVE_CONFIG" ]] && match=0
      break
    fi
    [[ "$arg" == kafka.Kafka ]] && found_main=1
  done 2>/dev/null <"/proc/$pid/cmdline" || true
  ((match == 0)) && pid_alive "$pid"
}

# Prints the PIDs of all our broker JVMs (normally zero or one), whether or not a PID file exists.
our_broker_pids() {
  local dir pid
  for dir in /proc/[0-9]*; do
    pid="${dir#/proc/}"
    if is_our_broker "$pid"; then
      printf '%s\n' "$pid"
    fi
  done
}

# PID from the PID file if it is still our broker, else empty.
pid_from_file() {
  local pid
  [[ -f "$PID_FILE" ]] || return 0
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  if [[ -n "$pid" ]] && is_our_broker "$pid"; then
    printf '%s\n' "$pid"
  fi
}

# True if something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$KAFKA_HOST/$1" 2>/dev/null
}

# True if 127.0.0.1:9092 answers the Kafka protocol: sends an ApiVersions v0 request
# (api_key 18, correlation id "LGSP", client id "lgsp-probe") and expects a response with the same
# correlation id and error_code 0. No JVM needed, takes milliseconds.
kafka_answers() {
  local hex
  hex="$(timeout 5 bash -c "
    exec 3<>/dev/tcp/$KAFKA_HOST/$KAFKA_PORT || exit 1
    printf '\x00\x00\x00\x14\x00\x12\x00\x00\x4c\x47\x53\x50\x00\x0algsp-probe' >&3
    head -c 10 <&3 | od -An -tx1
  " 2>/dev/null | tr -d ' \n')" || return 1
  # 4-byte length, then correlation id 4c475350 ("LGSP"), then error_code 0000.
  [[ ${#hex} -eq 20 && "${hex:8:12}" == 4c4753500000 ]]
}

status_main() {
  local quiet=0 pid
  case "${1:-}" in
    -q | --quiet) quiet=1 ;;
    "") ;;
    -h | --help)
      sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      return 0
      ;;
    *) die "unknown option: $1 (usage: status.sh [--quiet])" ;;
  esac
  report() { ((quiet)) || say "$*"; }

  pid="$(pid_from_file)"
  if [[ -z "$pid" ]]; then
    pid="$(our_broker_pids | head -n 1)"
  fi
  if [[ -n "$pid" ]]; then
    if kafka_answers; then
      report "running (pid $pid, $KAFKA_HOST:$KAFKA_PORT, data $DATA_DIR)"
      return 0
    fi
    report "broker process $pid exists but does not answer on $KAFKA_HOST:$KAFKA_PORT (starting, or hung?); logs: $LOG_DIR/server.log"
    return 2
  fi
  if port_open "$KAFKA_PORT"; then
    report "not running, but something else listens on $KAFKA_HOST:$KAFKA_PORT (not the broker of $DATA_DIR)"
    return 3
  fi
  report "not running"
  return 1
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  status_main "$@"
fi
