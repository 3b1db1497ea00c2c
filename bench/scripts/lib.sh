#!/usr/bin/env bash
# Shell helpers shared by peers.sh and query-bench.sh (sourced, not run). They expect a log function.

pkg_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo unknown; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_free_ports() {
  local port
  for port in "$@"; do
    port_free "$port" || { log "port $port on 127.0.0.1 is already in use; set another with the *_PORT variables"; exit 1; }
  done
}

# wait_port PORT SECONDS PID: until something accepts on 127.0.0.1:PORT, failing if PID dies first.
wait_port() {
  local port=$1 limit=$2 pid=$3 waited=0
  until ! port_free "$port"; do
    kill -0 "$pid" 2>/dev/null || { log "process $pid exited before opening port $port"; return 1; }
    ((waited++ < limit * 10)) || { log "port $port not open after $limit s"; return 1; }
    sleep 0.1
  done
}

# stop_pid PID SECONDS: TERM, wait, then KILL; forgets the pid so the exit trap leaves it alone.
stop_pid() {
  local pid=$1 limit=$2 kept=() p
  for p in "${started_pids[@]}"; do [[ "$p" == "$pid" ]] || kept+=("$p"); done
  started_pids=("${kept[@]}")
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 $((limit * 10))); do kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }; sleep 0.1; done
  log "pid $pid still running after $limit s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# busy_ticks: CPU ticks the whole machine spent busy so far (user nice system irq softirq steal).
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }

ticks_to_s() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'; }

# write_carbon_conf DIR: carbon-cache's carbon.conf for a benchmark run: everything under DIR, listeners on
# 127.0.0.1 at CARBON_LINE_PORT / CARBON_PICKLE_PORT / CARBON_QUERY_PORT, no cache or create limits.
write_carbon_conf() {
  local dir=$1
  cat >"$dir/conf/carbon.conf" <<EOF
[cache]
STORAGE_DIR = $dir/
LOCAL_DATA_DIR = $dir/whisper/
CONF_DIR = $dir/conf/
LOG_DIR = $dir/log/
PID_DIR = $dir/
USER =
DATABASE = whisper
MAX_CACHE_SIZE = inf
MAX_UPDATES_PER_SECOND = 1000000
MAX_CREATES_PER_MINUTE = inf
LINE_RECEIVER_INTERFACE = 127.0.0.1
LINE_RECEIVER_PORT = $CARBON_LINE_PORT
ENABLE_UDP_LISTENER = False
PICKLE_RECEIVER_INTERFACE = 127.0.0.1
PICKLE_RECEIVER_PORT = $CARBON_PICKLE_PORT
CACHE_QUERY_INTERFACE = 127.0.0.1
CACHE_QUERY_PORT = $CARBON_QUERY_PORT
USE_FLOW_CONTROL = True
CACHE_WRITE_STRATEGY = sorted
WHISPER_AUTOFLUSH = False
WHISPER_FALLOCATE_CREATE = True
LOG_UPDATES = False
LOG_CREATES = False
LOG_CACHE_HITS = False
LOG_LISTENER_CONN_SUCCESS = False
EOF
}

# set_autogroup_nice: with NICE set (and writable), gives this session's scheduler autogroup that niceness and
# remembers the old value in autogroup_nice_before (the caller's cleanup restores it).
set_autogroup_nice() {
  if [[ "$NICE" != 0 && -w /proc/self/autogroup ]]; then
    autogroup_nice_before=$(awk '{print $3}' /proc/self/autogroup)
    echo "$NICE" >/proc/self/autogroup
  fi
}

# ensure_packages PKG...: installs the missing Debian packages (one apt-get update per script run, apt_updated).
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing ${missing[*]}"
    if [[ $apt_updated == 0 ]]; then
      apt-get update -q >/dev/null
      apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
  fi
}
