#!/usr/bin/env bash
# Stops the local Kafka broker started by start.sh: SIGTERM (controlled shutdown), up to 30 s to
# exit, then SIGKILL. Harmless when nothing runs. Also catches a broker of this data dir whose PID
# file was lost.
#
#   deploy/local/kafka/stop.sh [--clean]
#
#   --clean   also delete the data dir (topics, offsets, KRaft metadata, logs); the jar cache stays.
set -euo pipefail
# shellcheck source=status.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/status.sh"

STOP_TIMEOUT=30

# Waits up to $2 seconds for all PIDs in $1 (space separated) to exit. True if they all did.
wait_gone() {
  local pids="$1" deadline pid alive
  deadline=$(($(date +%s) + $2))
  while :; do
    alive=0
    for pid in $pids; do
      pid_alive "$pid" && alive=1
    done
    ((alive)) || return 0
    (($(date +%s) < deadline)) || return 1
    sleep 0.3
  done
}

stop_main() {
  local clean=0 t0 pids pid
  case "${1:-}" in
    --clean) clean=1 ;;
    "") ;;
    -h | --help)
      sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      return 0
      ;;
    *) die "unknown option: $1 (usage: stop.sh [--clean])" ;;
  esac
  t0="$(now_ms)"

  # (start.sh sets _KAFKA_RUN_LOCK_HELD when it calls us while holding the lock itself.)
  if [[ -d "$KAFKA_HOME" && -z "${_KAFKA_RUN_LOCK_HELD:-}" ]]; then
    exec 9>"$KAFKA_HOME/.run.lock"
    flock -w 120 9 || die "another start.sh/stop.sh is running (lock $KAFKA_HOME/.run.lock)"
  fi

  pids="$( (pid_from_file; our_broker_pids) | sort -un | tr '\n' ' ')"
  pids="${pids% }"
  if [[ -z "$pids" ]]; then
    say "not running."
  else
    say "stopping broker (pid $pids) ..."
    for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
    if wait_gone "$pids" "$STOP_TIMEOUT"; then
      say "stopped in $(elapsed "$t0") s."
    else
      warn "broker did not exit within ${STOP_TIMEOUT}s after SIGTERM; sending SIGKILL."
      for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
      wait_gone "$pids" 10 || die "broker process(es) $pids survived SIGKILL?!"
      say "killed after $(elapsed "$t0") s."
    fi
  fi
  rm -f "$PID_FILE"

  if ((clean)); then
    # Paranoia before rm -rf: must be .../kafka/data below the configured local dir.
    [[ "$DATA_DIR" == "$LOCAL_DIR/kafka/data" && "$DATA_DIR" == /*/kafka/data ]] ||
      die "refusing to delete unexpected data dir '$DATA_DIR'"
    if [[ -e "$DATA_DIR" ]]; then
      rm -rf -- "$DATA_DIR"
      say "deleted data dir $DATA_DIR (jar cache $LIBS_DIR kept)."
    else
      say "no data dir to delete."
    fi
  fi
}

stop_main "$@"
