#!/usr/bin/env bash
# End-to-end ingest benchmark: runs io.tally.bench.load.LoadGenerator against each target in turn, on loopback,
# each with a fresh temporary data directory, and prints one SUMMARY line per target.
#
#   bench/scripts/peers.sh [vm] [carbon] [tally]     (default: vm carbon, plus tally when TALLY_START is set)
#
# Targets
#   vm      VictoriaMetrics (Debian package victoria-metrics), Graphite plaintext via -graphiteListenAddr;
#           queryable = sum(count_over_time(...)) over /api/v1/query equals the points sent.
#   carbon  carbon-cache (Debian package graphite-carbon) writing whisper files, schema 10s:1d,1m:30d,1h:2y;
#           queryable = every point present in the whisper files (read directly). Uses a smaller workload
#           (CARBON_SERIES x CARBON_POINTS) so the run stays within a few minutes.
#   tally   Tally, started by the command in TALLY_START (run with bash -c after exec; it must run in the
#           foreground and should use the exported TALLY_PLAINTEXT_PORT, TALLY_HTTP_PORT and TALLY_DATA_DIR);
#           queryable = the Graphite render API at http://127.0.0.1:$TALLY_HTTP_PORT answers with every point.
#           Also reports heap per active series (jstat, after a full GC, before and after ingest).
#
# Environment (defaults in brackets)
#   SERIES [100000] POINTS [100] CONNECTIONS [2] SEED [42] SHAPE [realistic]   workload of vm and tally
#   CARBON_SERIES [10000] CARBON_POINTS [100]                                   workload of carbon
#   VERIFY_TIMEOUT [240]   seconds the generator polls for queryability after sending
#   REPEAT [1]             runs per target (each with a fresh server and data directory)
#   QUIET_BUSY [0.3] QUIET_WAIT [120]   before each run wait up to QUIET_WAIT s until other processes keep fewer
#                          than QUIET_BUSY cores busy; every SUMMARY reports the CPU seconds of the peer, of the
#                          generator and of everything else on the machine during the run (other_cpu_s)
#   NICE [0]               niceness of the peer and the generator, also set on this session's scheduler autogroup
#                          (Linux with autogroups gives each session a fair share whatever its processes' nice
#                          values); e.g. -10 as root gives the measured processes most of the CPU while other work
#                          runs, which slows that work meanwhile. Restored on exit.
#   SETTLE_MAX [60]        seconds to wait for the data directory size to settle after the flush
#   BENCH_TMP [/tmp]       where temporary data directories go (removed on exit unless KEEP_DATA=1)
#   GEN_JAVA_OPTS [-Xmx1g -XX:MaxDirectMemorySize=3g]   JVM options of the generator
#   GEN_ARGS []            extra LoadGenerator options, e.g. "--rate-limit 10000" with POINTS=36 for six minutes of
#                          100k series at their real 10 s pace (the steady state; raise VERIFY_TIMEOUT above the
#                          sending time)
#   WARMUP_SERIES [0] WARMUP_POINTS [100]   before each measured run, send the peer this many other series (named
#                          warmup.app...; the verification does not count them) and wait WARMUP_SETTLE [15] s: the
#                          measured run then meets a process whose code is already compiled (the JVM's JIT) and
#                          caches warm, as a long-running server is. 0: none, a cold start is measured. Bytes on
#                          disk and RSS then include the warm-up series: compare them from runs without warm-up.
#   JAVA_HOME [/usr/lib/jvm/temurin-25-jdk-amd64 when present]
#   ports: VM_GRAPHITE_PORT [22003] VM_HTTP_PORT [28428] CARBON_LINE_PORT [22103] CARBON_PICKLE_PORT [22104]
#          CARBON_QUERY_PORT [27102] TALLY_PLAINTEXT_PORT [22203] TALLY_HTTP_PORT [28080]
#   tally: TALLY_START (required for tally), TALLY_VERIFY_API [graphite], TALLY_FLUSH_URL (optional; POSTed
#          after verification so the data directory holds everything), TALLY_STOP_TIMEOUT [30]
#
# Everything listens on 127.0.0.1 only. Every process this script starts is stopped on exit (trap), by its pid.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)

SERIES=${SERIES:-100000}
POINTS=${POINTS:-100}
CONNECTIONS=${CONNECTIONS:-2}
SEED=${SEED:-42}
SHAPE=${SHAPE:-realistic}
CARBON_SERIES=${CARBON_SERIES:-10000}
CARBON_POINTS=${CARBON_POINTS:-100}
VERIFY_TIMEOUT=${VERIFY_TIMEOUT:-240}
REPEAT=${REPEAT:-1}
QUIET_BUSY=${QUIET_BUSY:-0.3}
QUIET_WAIT=${QUIET_WAIT:-120}
NICE=${NICE:-0}
SETTLE_MAX=${SETTLE_MAX:-60}
BENCH_TMP=${BENCH_TMP:-/tmp}
GEN_JAVA_OPTS=${GEN_JAVA_OPTS:--Xmx1g -XX:MaxDirectMemorySize=3g}
GEN_ARGS=${GEN_ARGS:-}
WARMUP_SERIES=${WARMUP_SERIES:-0}
WARMUP_POINTS=${WARMUP_POINTS:-100}
WARMUP_SETTLE=${WARMUP_SETTLE:-15}
VM_GRAPHITE_PORT=${VM_GRAPHITE_PORT:-22003}
VM_HTTP_PORT=${VM_HTTP_PORT:-28428}
CARBON_LINE_PORT=${CARBON_LINE_PORT:-22103}
CARBON_PICKLE_PORT=${CARBON_PICKLE_PORT:-22104}
CARBON_QUERY_PORT=${CARBON_QUERY_PORT:-27102}
export TALLY_PLAINTEXT_PORT=${TALLY_PLAINTEXT_PORT:-22203}
export TALLY_HTTP_PORT=${TALLY_HTTP_PORT:-28080}
TALLY_VERIFY_API=${TALLY_VERIFY_API:-graphite}
TALLY_STOP_TIMEOUT=${TALLY_STOP_TIMEOUT:-30}
if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAVAC=${JAVA_HOME:+$JAVA_HOME/bin/}javac

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(vm carbon)
  [[ -n "${TALLY_START:-}" ]] && targets+=(tally)
fi

WORK=$(mktemp -d "$BENCH_TMP/tally-bench.XXXXXX")
started_pids=()
summaries=()

log() { printf '[peers %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# shellcheck source=bench/scripts/lib.sh
source "$SCRIPT_DIR/lib.sh"

autogroup_nice_before=
apt_updated=0

cleanup() {
  local pid
  [[ -z "$autogroup_nice_before" ]] || echo "$autogroup_nice_before" >/proc/self/autogroup || true
  for pid in "${started_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  if [[ "${KEEP_DATA:-0}" == 1 ]]; then
    log "kept data under $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

set_autogroup_nice

# --- helpers -------------------------------------------------------------------------------------------------


# proc_ticks PID: CPU ticks PID has used so far (utime + stime).
proc_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# wait_quiet: before a measurement, wait (up to QUIET_WAIT s) until other processes use less than QUIET_BUSY
# cores over 3 s, so that other work on this shared machine disturbs the run as little as possible.
wait_quiet() {
  local waited=0 b0 b1 busy hz
  hz=$(getconf CLK_TCK)
  while :; do
    b0=$(busy_ticks); sleep 3; b1=$(busy_ticks)
    busy=$(awk -v d=$((b1 - b0)) -v hz="$hz" 'BEGIN { printf "%.2f", d / hz / 3 }')
    if awk -v b="$busy" -v q="$QUIET_BUSY" 'BEGIN { exit !(b < q) }'; then
      log "machine quiet enough: $busy cores busy"
      return 0
    fi
    if ((waited >= QUIET_WAIT)); then
      log "warning: $busy cores still busy with other work after waiting $QUIET_WAIT s; measuring anyway"
      return 0
    fi
    ((waited += 3))
  done
}

rss_kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# settle_du DIR: prints the size of DIR once it stopped changing for 10 s (or after SETTLE_MAX s).
settle_du() {
  local dir=$1 last=-1 size stable=0 waited=0
  while :; do
    size=$(du -sb "$dir" | cut -f1)
    if [[ "$size" == "$last" ]]; then ((stable += 5)); else stable=0; fi
    last=$size
    if ((stable >= 10 || waited >= SETTLE_MAX)); then break; fi
    sleep 5
    ((waited += 5))
  done
  echo "$size"
}

build_generator() {
  log "compiling the load generator with $JAVAC"
  mkdir -p "$WORK/classes"
  "$JAVAC" --release 21 -d "$WORK/classes" "$REPO_DIR"/bench/src/main/java/io/tally/bench/load/*.java
}

# run_generator OUTFILE PEER_PID ARGS...: runs the generator, tees its report, appends the CPU accounting of the
# run (peer, generator, everything else) to OUTFILE as a CPU line, returns the generator's status.
run_generator() {
  local out=$1 peer=$2
  shift 2
  wait_quiet
  local busy0 peer0 status
  busy0=$(busy_ticks)
  peer0=$(proc_ticks "$peer")
  # shellcheck disable=SC2086
  nice -n "$NICE" timeout $((VERIFY_TIMEOUT + 120)) "$JAVA" $GEN_JAVA_OPTS -cp "$WORK/classes" io.tally.bench.load.LoadGenerator \
    --seed "$SEED" --shape "$SHAPE" --verify-timeout "$VERIFY_TIMEOUT" "$@" $GEN_ARGS | tee "$out" >&2
  status=${PIPESTATUS[0]}
  local busy peer_cpu gen_cpu
  busy=$(ticks_to_s $(($(busy_ticks) - busy0)))
  peer_cpu=$(ticks_to_s $(($(proc_ticks "$peer") - peer0)))
  gen_cpu=$(result_field "$out" generator_total_cpu_s)
  local total
  total=$(result_field "$out" total_points)
  echo "CPU peer_cpu_s=$peer_cpu points_per_peer_cpu_s=$(awk -v n="$total" -v c="$peer_cpu" 'BEGIN { printf "%.0f", (c > 0 ? n / c : 0) }') generator_cpu_s=${gen_cpu:-0} other_cpu_s=$(awk -v b="$busy" -v p="$peer_cpu" -v g="${gen_cpu:-0}" 'BEGIN { o = b - p - g; printf "%.2f", (o < 0 ? 0 : o) }')" >>"$out"
  return "$status"
}

# warm_up PORT: the warm-up workload (see WARMUP_SERIES), not measured, then a pause for the peer to absorb it.
warm_up() {
  ((WARMUP_SERIES > 0)) || return 0
  log "warm-up: $WARMUP_SERIES series x $WARMUP_POINTS points named warmup.*, then ${WARMUP_SETTLE}s"
  # shellcheck disable=SC2086
  nice -n "$NICE" "$JAVA" $GEN_JAVA_OPTS -cp "$WORK/classes" io.tally.bench.load.LoadGenerator --port "$1" \
    --series "$WARMUP_SERIES" --points-per-series "$WARMUP_POINTS" --connections "$CONNECTIONS" --seed "$SEED" \
    --shape "$SHAPE" --name-prefix warmup >"$WORK/warmup.log" 2>&1 || log "warm-up: generator failed (see $WORK/warmup.log)"
  sleep "$WARMUP_SETTLE"
}

result_field() { grep '^RESULT ' "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }

# summary NAME VERSION RESULTFILE BYTES EXTRA...
summary() {
  local name=$1 version=$2 res=$3 bytes=$4
  shift 4
  local total
  total=$(result_field "$res" total_points)
  local line
  line=$(printf 'SUMMARY peer=%s version=%s series=%s points_per_series=%s connections=%s total_points=%s sent_pps=%s queryable_pps=%s queryable_s=%s bytes_on_disk=%s bytes_per_point=%s %s' \
    "$name" "$version" "$(result_field "$res" series)" "$(result_field "$res" points_per_series)" \
    "$(result_field "$res" connections)" "$total" "$(result_field "$res" sent_pps)" \
    "$(result_field "$res" queryable_pps)" "$(result_field "$res" queryable_s)" "$bytes" \
    "$(awk -v b="$bytes" -v n="$total" 'BEGIN { printf "%.2f", b / n }')" "$* $(grep '^CPU ' "$res" | cut -d' ' -f2-)")
  summaries+=("$line")
  echo "$line"
}

# --- VictoriaMetrics -----------------------------------------------------------------------------------------

run_vm() {
  ensure_packages victoria-metrics
  require_free_ports "$VM_GRAPHITE_PORT" "$VM_HTTP_PORT"
  local dir="$WORK/vm.$1" version
  version=$(pkg_version victoria-metrics)
  mkdir -p "$dir"
  log "VictoriaMetrics $version: graphite 127.0.0.1:$VM_GRAPHITE_PORT, http 127.0.0.1:$VM_HTTP_PORT, data $dir/data"
  nice -n "$NICE" victoria-metrics -graphiteListenAddr="127.0.0.1:$VM_GRAPHITE_PORT" -httpListenAddr="127.0.0.1:$VM_HTTP_PORT" \
    -storageDataPath="$dir/data" -search.latencyOffset=0s -search.disableCache -loggerLevel=WARN \
    >"$dir/vm.log" 2>&1 &
  local pid=$!
  started_pids+=("$pid")
  wait_port "$VM_HTTP_PORT" 30 "$pid"
  wait_port "$VM_GRAPHITE_PORT" 30 "$pid"
  local status=0
  warm_up "$VM_GRAPHITE_PORT"
  run_generator "$dir/result.txt" "$pid" --port "$VM_GRAPHITE_PORT" --series "$SERIES" --points-per-series "$POINTS" \
    --connections "$CONNECTIONS" --verify-url "http://127.0.0.1:$VM_HTTP_PORT" --verify-api prometheus \
    --label victoria-metrics || status=$?
  curl -fsS "http://127.0.0.1:$VM_HTTP_PORT/internal/force_flush" >/dev/null
  local bytes rss hwm
  bytes=$(settle_du "$dir/data")
  rss=$(rss_kib "$pid" VmRSS)
  hwm=$(rss_kib "$pid" VmHWM)
  local series_count
  series_count=$(curl -fsS "http://127.0.0.1:$VM_HTTP_PORT/api/v1/series/count" | tr -dc '0-9')
  stop_pid "$pid" 30
  local bytes_after_stop
  # After a stop VictoriaMetrics also saves its in-memory caches under cache/; count only data/ and indexdb/.
  bytes_after_stop=$(du -scb "$dir/data/data" "$dir/data/indexdb" | tail -n1 | cut -f1)
  log "VictoriaMetrics data dir after stop: $(du -sb "$dir"/data/* | tr '\n\t' '; ')"
  summary victoria-metrics "$version" "$dir/result.txt" "$bytes" \
    "rss_mib=$((rss / 1024)) peak_rss_mib=$((hwm / 1024)) rss_bytes_per_series=$((rss * 1024 / SERIES)) series_count=$series_count bytes_on_disk_after_stop=$bytes_after_stop generator_status=$status"
}

# --- carbon-cache + whisper ----------------------------------------------------------------------------------

run_carbon() {
  ensure_packages graphite-carbon
  require_free_ports "$CARBON_LINE_PORT" "$CARBON_PICKLE_PORT" "$CARBON_QUERY_PORT"
  local dir="$WORK/carbon.$1" version
  version=$(pkg_version graphite-carbon)
  mkdir -p "$dir/conf" "$dir/whisper" "$dir/log"
  write_carbon_conf "$dir"
  cat >"$dir/conf/storage-schemas.conf" <<EOF
[default]
pattern = .*
retentions = 10s:1d,1m:30d,1h:2y
EOF
  cat >"$dir/conf/storage-aggregation.conf" <<EOF
[default]
pattern = .*
xFilesFactor = 0.5
aggregationMethod = average
EOF
  log "carbon-cache $version: line 127.0.0.1:$CARBON_LINE_PORT, whisper $dir/whisper; workload $CARBON_SERIES x $CARBON_POINTS (reduced)"
  nice -n "$NICE" carbon-cache --config="$dir/conf/carbon.conf" --nodaemon --logdir="$dir/log" --pidfile="$dir/carbon.pid" start \
    >"$dir/carbon.out" 2>&1 &
  local pid=$!
  started_pids+=("$pid")
  wait_port "$CARBON_LINE_PORT" 60 "$pid"
  local status=0
  run_generator "$dir/result.txt" "$pid" --port "$CARBON_LINE_PORT" --series "$CARBON_SERIES" \
    --points-per-series "$CARBON_POINTS" --connections "$CONNECTIONS" --verify-whisper "$dir/whisper" \
    --label carbon-cache || status=$?
  local bytes allocated rss hwm files
  # Count only the workload's files (app*/), not carbon's own carbon.agents.* metrics.
  settle_du "$dir/whisper" >/dev/null
  bytes=$(du -scb "$dir"/whisper/app* | tail -n1 | cut -f1)
  allocated=$(($(du -sck "$dir"/whisper/app* | tail -n1 | cut -f1) * 1024))
  files=$(find "$dir"/whisper/app* -name '*.wsp' | wc -l)
  rss=$(rss_kib "$pid" VmRSS)
  hwm=$(rss_kib "$pid" VmHWM)
  stop_pid "$pid" 60
  summary carbon-cache "$version" "$dir/result.txt" "$bytes" \
    "rss_mib=$((rss / 1024)) peak_rss_mib=$((hwm / 1024)) rss_bytes_per_series=$((rss * 1024 / CARBON_SERIES)) whisper_files=$files bytes_allocated=$allocated generator_status=$status note=reduced_workload_queryable_means_in_whisper_files"
}

# --- Tally ---------------------------------------------------------------------------------------------------

# heap_used_kib PID: full GC, then used heap (survivors + eden + old) from jstat, in KiB.
heap_used_kib() {
  local pid=$1
  "${JAVA_HOME:+$JAVA_HOME/bin/}jcmd" "$pid" GC.run >/dev/null
  sleep 1
  "${JAVA_HOME:+$JAVA_HOME/bin/}jstat" -gc "$pid" | awk '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { printf "%d\n", $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"] }'
}

run_tally() {
  [[ -n "${TALLY_START:-}" ]] || { log "tally: set TALLY_START to the command that starts Tally in the foreground"; return 1; }
  require_free_ports "$TALLY_PLAINTEXT_PORT" "$TALLY_HTTP_PORT"
  local dir="$WORK/tally.$1"
  mkdir -p "$dir/data"
  export TALLY_DATA_DIR="$dir/data"
  log "tally: $TALLY_START (plaintext 127.0.0.1:$TALLY_PLAINTEXT_PORT, http 127.0.0.1:$TALLY_HTTP_PORT, data $TALLY_DATA_DIR)"
  nice -n "$NICE" bash -c "exec $TALLY_START" >"$dir/tally.log" 2>&1 &
  local pid=$!
  started_pids+=("$pid")
  wait_port "$TALLY_PLAINTEXT_PORT" 60 "$pid"
  wait_port "$TALLY_HTTP_PORT" 60 "$pid"
  local jvm=$pid
  if [[ "$(cat "/proc/$pid/comm")" != java ]]; then
    jvm=$(pgrep -P "$pid" java | head -n1 || true)
    [[ -n "$jvm" ]] || { log "tally: no java process under pid $pid; start it with exec"; return 1; }
  fi
  warm_up "$TALLY_PLAINTEXT_PORT"
  local heap_before
  heap_before=$(heap_used_kib "$jvm")
  local status=0
  run_generator "$dir/result.txt" "$jvm" --port "$TALLY_PLAINTEXT_PORT" --series "$SERIES" --points-per-series "$POINTS" \
    --connections "$CONNECTIONS" --verify-url "http://127.0.0.1:$TALLY_HTTP_PORT" --verify-api "$TALLY_VERIFY_API" \
    --label tally || status=$?
  if [[ -n "${TALLY_FLUSH_URL:-}" ]]; then
    curl -fsS -X POST "$TALLY_FLUSH_URL" >/dev/null
  fi
  local bytes rss hwm heap_after
  bytes=$(settle_du "$dir/data")
  heap_after=$(heap_used_kib "$jvm")
  rss=$(rss_kib "$jvm" VmRSS)
  hwm=$(rss_kib "$jvm" VmHWM)
  stop_pid "$pid" "$TALLY_STOP_TIMEOUT"
  summary tally "$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)" "$dir/result.txt" "$bytes" \
    "rss_mib=$((rss / 1024)) peak_rss_mib=$((hwm / 1024)) heap_before_kib=$heap_before heap_after_kib=$heap_after heap_bytes_per_series=$(((heap_after - heap_before) * 1024 / SERIES)) bytes_on_disk_after_stop=$(du -sb "$dir/data" | cut -f1) generator_status=$status"
}

# --- main ----------------------------------------------------------------------------------------------------

for target in "${targets[@]}"; do
  case $target in
    vm | carbon | tally) ;;
    *) log "unknown target '$target' (vm, carbon, tally)"; exit 1 ;;
  esac
done
build_generator
log "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; java: $("$JAVA" -version 2>&1 | head -n1)"
for target in "${targets[@]}"; do
  for run in $(seq 1 "$REPEAT"); do
    "run_$target" "$run"
    # Whisper files of a finished run can take gigabytes: drop them before the next run.
    [[ "${KEEP_DATA:-0}" == 1 ]] || rm -rf "$WORK/$target.$run"
  done
done
printf '%s\n' "${summaries[@]}"
