#!/usr/bin/env bash
# Query latency benchmark: a Grafana-like dashboard load (io.tally.bench.query.DashboardLoad) against Tally,
# graphite-web (over carbon-cache's whisper files) and VictoriaMetrics, on loopback, with the same data in all three.
#
#   bench/scripts/query-bench.sh [tally] [graphite-web] [vm]      (default: all three)
#
# Steps
#   1. installs what is missing (one apt-get update): graphite-web graphite-carbon python3-gunicorn victoria-metrics;
#      compiles the load generator and the dashboard client with javac; needs server/target/tally.jar
#      (mvn -B -o -q -pl server -am package -DskipTests).
#   2. loads SERIES series x HOURS hours at a 10 s step (same --seed and --start for every target) with
#      io.tally.bench.load.LoadGenerator and waits until every point is queryable:
#        tally         plaintext, checked through its render API;
#        graphite-web  carbon-cache (schema 10s:1d,1m:30d,1h:2y, average, xff 0.5) writing whisper, checked in the
#                      whisper files; then graphite-web (gunicorn, GW_WORKERS sync workers under the Debian
#                      /usr/bin/python3, Django's dummy cache, carbonlink to the idle carbon-cache) serves them;
#        vm            VictoriaMetrics -graphiteListenAddr, checked through its Prometheus API.
#   3. runs the dashboard load against each target in turn, the others idle: a warm-up round (not recorded), then
#      ROUNDS rounds (at most MAX_SECONDS s) of 20 render panels (POST /render, format=json, maxDataPoints=1000,
#      -6h and -7d) and 8 /metrics/find requests, CONCURRENCY requests in flight. VictoriaMetrics 1.79.5 has no
#      /render, so it gets the find requests only.
#   Prints PANEL lines (series per answer, to compare the servers' answers), RESULT lines (median/p90/p99/max ms,
#   requests/s) and one CPU line per target (server CPU s and everything else's CPU s during the measured rounds).
#
# Environment (defaults in brackets)
#   SERIES [10000] HOURS [6] SEED [42] CONNECTIONS [2]     data set (10,000 series = 200 hosts x 50 metrics);
#                          whisper preallocates ~833 KB per series with this schema: 10,000 series = 8.3 GB
#   CONCURRENCY [4] ROUNDS [10] MAX_SECONDS [300]           dashboard load per target
#   FIND_ROUNDS [50]       rounds of the 8 finds (cheap; enough requests for a meaningful p99)
#   FIND_WRK_SECONDS [10]  then the 8 finds in turn from wrk for that long (after as long a warm-up), if wrk is
#                          installed; 0 skips it
#   WARMUP_ROUNDS [20]     unrecorded rounds first (a JVM server compiles its hot paths in the first thousands of
#                          requests; a long-running server has done so), same for every target
#   GW_WORKERS [4]         gunicorn sync workers of graphite-web
#   VERIFY_TIMEOUT [900]   seconds the generator waits for the data to become queryable
#   NICE [0]               niceness of servers and clients, also this session's autogroup (see peers.sh)
#   QUIET_BUSY [0.3] QUIET_WAIT [60]   before each measurement wait until other work keeps < QUIET_BUSY cores busy
#   BENCH_TMP [/tmp] KEEP_DATA [0]     temporary data (removed on exit unless KEEP_DATA=1)
#   TALLY_JAR [server/target/tally.jar] TALLY_JAVA_OPTS [-Xmx2g]
#   TALLY_ARGS [--set query.max-points=100000000]  extra server arguments; the loader's completeness check sums
#                          every point (21.6 M by default), above Tally's default limit of 20 M points per query
#   ports: TALLY_HTTP_PORT [28180] TALLY_PLAINTEXT_PORT [22303] CARBON_LINE_PORT [22403] CARBON_PICKLE_PORT [22404]
#          CARBON_QUERY_PORT [27402] GW_PORT [28280] VM_GRAPHITE_PORT [22503] VM_HTTP_PORT [28528]
#
# Everything listens on 127.0.0.1 only. Every process this script starts is stopped on exit (trap), by its pid.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)

SERIES=${SERIES:-10000}
HOURS=${HOURS:-6}
STEP=10
POINTS=$((HOURS * 3600 / STEP))
SEED=${SEED:-42}
CONNECTIONS=${CONNECTIONS:-2}
CONCURRENCY=${CONCURRENCY:-4}
ROUNDS=${ROUNDS:-10}
FIND_ROUNDS=${FIND_ROUNDS:-50}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-20}
FIND_WRK_SECONDS=${FIND_WRK_SECONDS:-10}
MAX_SECONDS=${MAX_SECONDS:-300}
GW_WORKERS=${GW_WORKERS:-4}
VERIFY_TIMEOUT=${VERIFY_TIMEOUT:-900}
NICE=${NICE:-0}
QUIET_BUSY=${QUIET_BUSY:-0.3}
QUIET_WAIT=${QUIET_WAIT:-60}
BENCH_TMP=${BENCH_TMP:-/tmp}
TALLY_JAR=${TALLY_JAR:-$REPO_DIR/server/target/tally.jar}
TALLY_JAVA_OPTS=${TALLY_JAVA_OPTS:--Xmx2g}
TALLY_ARGS=${TALLY_ARGS:---set query.max-points=100000000}
TALLY_HTTP_PORT=${TALLY_HTTP_PORT:-28180}
TALLY_PLAINTEXT_PORT=${TALLY_PLAINTEXT_PORT:-22303}
CARBON_LINE_PORT=${CARBON_LINE_PORT:-22403}
CARBON_PICKLE_PORT=${CARBON_PICKLE_PORT:-22404}
CARBON_QUERY_PORT=${CARBON_QUERY_PORT:-27402}
GW_PORT=${GW_PORT:-28280}
VM_GRAPHITE_PORT=${VM_GRAPHITE_PORT:-22503}
VM_HTTP_PORT=${VM_HTTP_PORT:-28528}
if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAVAC=${JAVA_HOME:+$JAVA_HOME/bin/}javac
HDR_JAR=${HDR_JAR:-$(find "$HOME/.m2/repository/org/hdrhistogram/HdrHistogram" -name 'HdrHistogram-*.jar' 2>/dev/null | sort | tail -n1)}

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(tally graphite-web vm)
for t in "${targets[@]}"; do
  case $t in tally | graphite-web | vm) ;; *) echo "unknown target '$t' (tally, graphite-web, vm)" >&2; exit 1 ;; esac
done

WORK=$(mktemp -d "$BENCH_TMP/tally-qbench.XXXXXX")
started_pids=()
results=()
autogroup_nice_before=
apt_updated=0

log() { printf '[qbench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# shellcheck source=bench/scripts/lib.sh
source "$SCRIPT_DIR/lib.sh"

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
  if [[ "${KEEP_DATA:-0}" == 1 ]]; then log "kept data under $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

set_autogroup_nice

# --- helpers (same conventions as peers.sh) ------------------------------------------------------------------


# tree_ticks PID...: CPU ticks of the PIDs and their direct children (gunicorn's workers), utime + stime.
tree_ticks() {
  local total=0 p
  for p in "$@" $(for q in "$@"; do pgrep -P "$q" || true; done); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

wait_quiet() {
  local waited=0 b0 b1 busy hz
  hz=$(getconf CLK_TCK)
  while :; do
    b0=$(busy_ticks); sleep 3; b1=$(busy_ticks)
    busy=$(awk -v d=$((b1 - b0)) -v hz="$hz" 'BEGIN { printf "%.2f", d / hz / 3 }')
    if awk -v b="$busy" -v q="$QUIET_BUSY" 'BEGIN { exit !(b < q) }'; then log "machine quiet enough: $busy cores busy"; return 0; fi
    if ((waited >= QUIET_WAIT)); then log "warning: $busy cores still busy after waiting $QUIET_WAIT s; measuring anyway"; return 0; fi
    ((waited += 3))
  done
}

# load_data LABEL PORT VERIFY_ARGS...: sends the data set, waits until queryable.
load_data() {
  local label=$1 port=$2
  shift 2
  log "$label: loading $SERIES series x $POINTS points (start $START)"
  # shellcheck disable=SC2086
  nice -n "$NICE" timeout $((VERIFY_TIMEOUT + 300)) "$JAVA" -Xmx1g -XX:MaxDirectMemorySize=3g -cp "$WORK/classes" \
    io.tally.bench.load.LoadGenerator --port "$port" --series "$SERIES" --points-per-series "$POINTS" \
    --connections "$CONNECTIONS" --seed "$SEED" --start "$START" --step "$STEP" --verify-timeout "$VERIFY_TIMEOUT" \
    --label "$label" "$@" >"$WORK/load-$label.txt" 2>&1 || { tail -n 20 "$WORK/load-$label.txt" >&2; return 1; }
  grep '^RESULT' "$WORK/load-$label.txt" >&2
}

# measure LABEL "PIDS" KINDS URL: runs the dashboard load, records its RESULT lines and a CPU line.
measure() {
  local label=$1 pid=$2 kinds=$3 url=$4
  wait_quiet
  local busy0 srv0 status=0
  busy0=$(busy_ticks)
  srv0=$(tree_ticks $pid)
  nice -n "$NICE" timeout $((MAX_SECONDS * 3 + 300)) "$JAVA" -Xmx512m -cp "$WORK/classes:$HDR_JAR" io.tally.bench.query.DashboardLoad \
    --url "$url" --label "$label" --kinds "$kinds" --concurrency "$CONCURRENCY" --rounds "$ROUNDS" \
    --find-rounds "$FIND_ROUNDS" --warmup-rounds "$WARMUP_ROUNDS" \
    --max-seconds "$MAX_SECONDS" | tee "$WORK/query-$label.txt" >&2 || status=$?
  local busy srv
  busy=$(ticks_to_s $(($(busy_ticks) - busy0)))
  srv=$(ticks_to_s $(($(tree_ticks $pid) - srv0)))
  while read -r line; do results+=("$line"); done < <(grep -E '^(RESULT|PANEL)' "$WORK/query-$label.txt")
  results+=("CPU target=$label server_cpu_s=$srv client_and_other_cpu_s=$(awk -v b="$busy" -v s="$srv" 'BEGIN { o = b - s; printf "%.2f", (o < 0 ? 0 : o) }') status=$status")
  if [[ "$kinds" == *find* && "$FIND_WRK_SECONDS" -gt 0 ]]; then
    measure_find_wrk "$label" "$url"
  fi
}

# measure_find_wrk LABEL URL: the same 8 finds in turn from wrk (C, keep-alive, CONCURRENCY connections on 2
# threads) for FIND_WRK_SECONDS after as long a warm-up; wrk's own latency percentiles. The Java client's
# per-request overhead (HttpClient threads on the same 2 cores) is of the order of the finds themselves, so this
# shows the servers' difference more clearly.
measure_find_wrk() {
  local label=$1 url=$2 lua="$WORK/finds.lua"
  command -v wrk >/dev/null || { log "wrk not installed: no find-wrk figures"; return 0; }
  {
    echo 'local paths = {'
    "$JAVA" -cp "$WORK/classes:$HDR_JAR" io.tally.bench.query.DashboardLoad --list find | sed 's/.*/  "&",/'
    echo '}'
    echo 'local i = 0'
    echo 'request = function() i = i % #paths + 1; return wrk.format("GET", paths[i]) end'
  } >"$lua"
  wait_quiet
  nice -n "$NICE" wrk -t2 -c"$CONCURRENCY" -d"${FIND_WRK_SECONDS}s" -s "$lua" "$url" >/dev/null
  nice -n "$NICE" wrk -t2 -c"$CONCURRENCY" -d"${FIND_WRK_SECONDS}s" --latency -s "$lua" "$url" >"$WORK/wrk-$label.txt"
  results+=("$(awk -v t="$label" -v c="$CONCURRENCY" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +90%/ { p90 = ms($2) } /^ +99%/ { p99 = ms($2) }
    /requests in/ { n = $1 } /Requests\/sec/ { rps = $2 } /Non-2xx/ { bad = $NF }
    END { printf "RESULT target=%s kind=find-wrk concurrency=%d requests=%d non2xx=%d median_ms=%.3f p90_ms=%.3f p99_ms=%.3f req_per_s=%s", t, c, n, bad, p50, p90, p99, rps }' "$WORK/wrk-$label.txt")")
}

# --- setup ---------------------------------------------------------------------------------------------------

packages=()
for t in "${targets[@]}"; do
  case $t in
    graphite-web) packages+=(graphite-web graphite-carbon python3-gunicorn) ;;
    vm) packages+=(victoria-metrics) ;;
  esac
done
[[ ${#packages[@]} -eq 0 ]] || ensure_packages "${packages[@]}"
[[ -n "$HDR_JAR" && -f "$HDR_JAR" ]] || { log "HdrHistogram jar not found under ~/.m2; set HDR_JAR"; exit 1; }
log "compiling the load generator and the dashboard client with $JAVAC"
mkdir -p "$WORK/classes"
# Only the standalone clients (FederationRun in the same package needs Tally's own classes and runs from the
# benchmarks jar instead).
"$JAVAC" --release 21 -cp "$HDR_JAR" -d "$WORK/classes" "$REPO_DIR"/bench/src/main/java/io/tally/bench/load/*.java \
  "$REPO_DIR"/bench/src/main/java/io/tally/bench/query/Dashboard*.java
# Same data everywhere: one start timestamp, aligned to the step, ending now.
START=$(($(date +%s) / STEP * STEP - POINTS * STEP))
log "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; java: $("$JAVA" -version 2>&1 | head -n1)"
log "data: $SERIES series x $POINTS points (${HOURS} h at ${STEP} s) = $((SERIES * POINTS)) points, seed $SEED"

cat >"$WORK/storage-schemas.conf" <<EOF
[default]
pattern = .*
retentions = 10s:1d,1m:30d,1h:2y
EOF
cat >"$WORK/storage-aggregation.conf" <<EOF
[default]
pattern = .*
xFilesFactor = 0.5
aggregationMethod = average
EOF

# --- Tally ---------------------------------------------------------------------------------------------------

start_tally() {
  [[ -f "$TALLY_JAR" ]] || { log "no $TALLY_JAR; build it: mvn -B -o -q -pl server -am package -DskipTests"; exit 1; }
  require_free_ports "$TALLY_HTTP_PORT" "$TALLY_PLAINTEXT_PORT"
  mkdir -p "$WORK/tally/data"
  # shellcheck disable=SC2086
  nice -n "$NICE" "$JAVA" $TALLY_JAVA_OPTS -jar "$TALLY_JAR" server --data-dir "$WORK/tally/data" \
    --http-port "$TALLY_HTTP_PORT" --carbon-port "$TALLY_PLAINTEXT_PORT" --pickle-port -1 \
    --storage-schemas "$WORK/storage-schemas.conf" --set http.host=127.0.0.1 --set carbon.host=127.0.0.1 $TALLY_ARGS \
    >"$WORK/tally/tally.log" 2>&1 &
  TALLY_PID=$!
  started_pids+=("$TALLY_PID")
  wait_port "$TALLY_HTTP_PORT" 60 "$TALLY_PID"
  wait_port "$TALLY_PLAINTEXT_PORT" 60 "$TALLY_PID"
  log "tally $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown): pid $TALLY_PID, http 127.0.0.1:$TALLY_HTTP_PORT"
  load_data tally "$TALLY_PLAINTEXT_PORT" --verify-url "http://127.0.0.1:$TALLY_HTTP_PORT" --verify-api graphite
}

# --- carbon-cache + graphite-web -----------------------------------------------------------------------------

start_graphite_web() {
  require_free_ports "$CARBON_LINE_PORT" "$CARBON_PICKLE_PORT" "$CARBON_QUERY_PORT" "$GW_PORT"
  local dir="$WORK/graphite"
  mkdir -p "$dir/conf" "$dir/whisper" "$dir/log" "$dir/webapp/log" "$dir/py"
  cp "$WORK/storage-schemas.conf" "$WORK/storage-aggregation.conf" "$dir/conf/"
  write_carbon_conf "$dir"
  log "carbon-cache $(pkg_version graphite-carbon): line 127.0.0.1:$CARBON_LINE_PORT, whisper $dir/whisper"
  nice -n "$NICE" carbon-cache --config="$dir/conf/carbon.conf" --nodaemon --logdir="$dir/log" \
    --pidfile="$dir/carbon.pid" start >"$dir/carbon.out" 2>&1 &
  local carbon=$!
  started_pids+=("$carbon")
  wait_port "$CARBON_LINE_PORT" 60 "$carbon"
  load_data graphite-web "$CARBON_LINE_PORT" --verify-whisper "$dir/whisper"
  CARBON_PID=$carbon
  log "whisper: $(find "$dir/whisper" -name '*.wsp' | wc -l) files, $(du -sh "$dir/whisper" | cut -f1)"

  # graphite-web reads its settings module from GRAPHITE_SETTINGS_MODULE (graphite/settings.py); ours points
  # every directory into $dir; carbonlink asks the (now idle) carbon-cache for unwritten points, as deployed;
  # fetch and find time-outs are raised from 6 s so that slow panels are measured rather than failed.
  cat >"$dir/py/qbench_graphite_settings.py" <<EOF
SECRET_KEY = 'tally-query-bench-only'
TIME_ZONE = 'UTC'
ALLOWED_HOSTS = ['127.0.0.1', 'localhost']
GRAPHITE_ROOT = '/usr/share/graphite-web'
STATIC_ROOT = '/usr/share/graphite-web/static'
CONF_DIR = '$dir/conf'
STORAGE_DIR = '$dir'
WHISPER_DIR = '$dir/whisper'
STANDARD_DIRS = ['$dir/whisper']
LOG_DIR = '$dir/webapp/log'
INDEX_FILE = '$dir/webapp/index'
CARBONLINK_HOSTS = ['127.0.0.1:$CARBON_QUERY_PORT']
FETCH_TIMEOUT = 300
FIND_TIMEOUT = 300
LOG_RENDERING_PERFORMANCE = False
LOG_CACHE_PERFORMANCE = False
DATABASES = {'default': {'NAME': '$dir/webapp/graphite.db', 'ENGINE': 'django.db.backends.sqlite3',
                         'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': ''}}
EOF
  export PYTHONPATH="$dir/py:/usr/share/graphite-web" GRAPHITE_SETTINGS_MODULE=qbench_graphite_settings \
    DJANGO_SETTINGS_MODULE=graphite.settings
  /usr/bin/python3 -m django migrate --settings=graphite.settings --run-syncdb >"$dir/webapp/migrate.log" 2>&1 \
    || { tail -n 20 "$dir/webapp/migrate.log" >&2; return 1; }
  nice -n "$NICE" /usr/bin/python3 -m gunicorn --bind "127.0.0.1:$GW_PORT" --workers "$GW_WORKERS" --timeout 300 \
    --log-level warning graphite.wsgi:application >"$dir/webapp/gunicorn.log" 2>&1 &
  GW_PID=$!
  started_pids+=("$GW_PID")
  wait_port "$GW_PORT" 60 "$GW_PID"
  curl -fsS -m 60 "http://127.0.0.1:$GW_PORT/metrics/find?query=app1.*" >/dev/null \
    || { tail -n 30 "$dir/webapp/gunicorn.log" >&2; return 1; }
  log "graphite-web $(pkg_version graphite-web) under gunicorn ($GW_WORKERS workers): pid $GW_PID, http 127.0.0.1:$GW_PORT"
}

# --- VictoriaMetrics -----------------------------------------------------------------------------------------

start_vm() {
  require_free_ports "$VM_GRAPHITE_PORT" "$VM_HTTP_PORT"
  mkdir -p "$WORK/vm"
  nice -n "$NICE" victoria-metrics -graphiteListenAddr="127.0.0.1:$VM_GRAPHITE_PORT" \
    -httpListenAddr="127.0.0.1:$VM_HTTP_PORT" -storageDataPath="$WORK/vm/data" -search.latencyOffset=0s \
    -search.disableCache -loggerLevel=WARN >"$WORK/vm/vm.log" 2>&1 &
  VM_PID=$!
  started_pids+=("$VM_PID")
  wait_port "$VM_HTTP_PORT" 30 "$VM_PID"
  wait_port "$VM_GRAPHITE_PORT" 30 "$VM_PID"
  log "VictoriaMetrics $(pkg_version victoria-metrics): pid $VM_PID, http 127.0.0.1:$VM_HTTP_PORT"
  load_data vm "$VM_GRAPHITE_PORT" --verify-url "http://127.0.0.1:$VM_HTTP_PORT" --verify-api prometheus
  curl -fsS "http://127.0.0.1:$VM_HTTP_PORT/internal/force_flush" >/dev/null
  if curl -fsS -o /dev/null -m 10 "http://127.0.0.1:$VM_HTTP_PORT/render?target=app1.*.*.os.cpus&format=json" 2>/dev/null; then
    VM_KINDS=render,find
  else
    log "VictoriaMetrics does not serve /render: find requests only"
    VM_KINDS=find
  fi
}

# --- main ----------------------------------------------------------------------------------------------------

for t in "${targets[@]}"; do
  case $t in
    tally) start_tally ;;
    graphite-web) start_graphite_web ;;
    vm) start_vm ;;
  esac
done
for t in "${targets[@]}"; do
  case $t in
    tally) measure tally "$TALLY_PID" render,find "http://127.0.0.1:$TALLY_HTTP_PORT" ;;
    graphite-web) measure graphite-web "$GW_PID $CARBON_PID" render,find "http://127.0.0.1:$GW_PORT" ;;
    vm) measure victoria-metrics "$VM_PID" "$VM_KINDS" "http://127.0.0.1:$VM_HTTP_PORT" ;;
  esac
done
printf '%s\n' "${results[@]}"
