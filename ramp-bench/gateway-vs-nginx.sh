#!/usr/bin/env bash
# Ramp gateway vs nginx as a reverse proxy with a 90/10 split, same backends, same wrk load, same run.
#
#   ramp-bench/gateway-vs-nginx.sh [--no-sticky]          full run: about 5 minutes
#   ROUNDS=1 DURATION=3s ramp-bench/gateway-vs-nginx.sh    quick run
#
# What it does (the setup of the nginx/haproxy proxy baseline measured on this project's machine, for the gateway):
#   * one nginx as two tiny backends (1 worker, a fixed 97-byte 200 body "v1 ok ..." / "v2 ok ...", no access log);
#   * (a) an nginx proxy, 1 worker, keep-alive to the upstreams: weighted round-robin 9:1 on one port, and the sticky
#     90/10 split by X-User-Id (split_clients) on another;
#   * (b) the Ramp gateway (java -jar ramp-cli/target/ramp.jar gateway) with the same splits as two routes: weight 10
#     per request on "/", and weight 10 sticky by the X-User-Id header on "/sticky";
#   * checks each split with 1,000 requests (sticky: 1,000 ids, twice, the same arm per id both times);
#   * warms the JVM up (JVM_WARMUP of wrk at c64 on each gateway route, unrecorded), then ROUNDS rounds of
#     `wrk -t1 -cC -d$DURATION --latency --timeout 5s` for each C in CONNS, every config in turn within a round
#     (interleaved, so drift on the host spreads over all of them), each run after an unrecorded 2 s warm-up;
#   * reads each proxy's CPU time (utime+stime of the process and its children, /proc/PID/stat) around each run;
#   * prints a table (medians over the rounds) and, on its last line, Ramp/nginx at c64: throughput and p99.
# The sticky pair runs by default; --no-sticky leaves it out (half the time).
#
# Environment (defaults in brackets):
#   ROUNDS [3]  DURATION [10s]  CONNS ["64 256"; spaces or commas]  WARMUP [2s]  JVM_WARMUP [10s]
#   RAMP_JAVA_OPTS [none: JVM defaults, G1]  JVM options of the gateway, as for ./ramp (also gets -Xlog:gc to a file)
#   GATEWAY_THREADS [1]  the gateway's --threads (event loops), like nginx's 1 worker; 0 is one per core
#   NGINX_WORKERS [1]    worker_processes of the nginx proxy
# (docs/benchmarks.md, "Gateway vs nginx", has what other JVM options and --threads 2 gave.)
#
# Output: progress and one CSV line per run on stderr; once every process is stopped, the table, the CSV's path and
# the ratio lines on stdout (also in results/report.txt), the ratio at c64 last.
# results/runs.csv columns: config, conns, round, rps, p50_ms, p99_ms, errors (non-2xx/3xx + socket errors),
# requests, proxy_cpu_s, backend_cpu_s, wrk_cpu_s, other_cpu_pct (busy time of the machine not spent by the proxy,
# the backend or wrk, in % of all cores: other work, interrupts, steal), proxy_us_per_req.
#
# Needs: Java 17+ and Maven (to build ramp.jar when it is missing or stale, through ./ramp), curl; nginx and wrk are
# installed with apt-get when missing. Every port is on 127.0.0.1 and picked free at start. Everything is written to
# a fresh `mktemp -d` directory, kept at the end (configs, logs, raw wrk output, runs.csv). Every process this script
# starts is stopped by its PID when it ends, fails or is interrupted, and checked to be gone.
set -euo pipefail
export LC_ALL=C

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNS="${CONNS:-64 256}"
CONNS="${CONNS//,/ }"
WARMUP="${WARMUP:-2s}"
JVM_WARMUP="${JVM_WARMUP:-10s}"
RAMP_JAVA_OPTS="${RAMP_JAVA_OPTS:-}"
GATEWAY_THREADS="${GATEWAY_THREADS:-1}"
NGINX_WORKERS="${NGINX_WORKERS:-1}"
STICKY=1

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
for arg in "$@"; do
  case "$arg" in
    --sticky) STICKY=1 ;;
    --no-sticky) STICKY=0 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive number, got '$ROUNDS'" >&2; exit 2; }
for c in $CONNS; do [[ "$c" =~ ^[1-9][0-9]*$ ]] || { echo "CONNS must be numbers, got '$c'" >&2; exit 2; }; done
for d in "$DURATION" "$WARMUP" "$JVM_WARMUP"; do
  [[ "$d" =~ ^[1-9][0-9]*[sm]?$ ]] || { echo "durations are like 10s or 1m, got '$d'" >&2; exit 2; }
done
seconds() { local d=$1; case "$d" in *m) echo $(( ${d%m} * 60 )) ;; *) echo "${d%s}" ;; esac; }

log() { printf '%s\n' "$*" >&2; }
die() { log "gateway-vs-nginx: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------------------- tools
find_tool() { command -v "$1" 2>/dev/null || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; } || true; }
missing=()
[ -n "$(find_tool nginx)" ] || missing+=(nginx)
[ -n "$(find_tool wrk)" ] || missing+=(wrk)
[ -n "$(find_tool curl)" ] || missing+=(curl)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]} with apt-get ..."
  command -v apt-get >/dev/null || die "${missing[*]} missing and no apt-get to install them; install them and rerun"
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "${missing[*]} missing; installing needs root (or sudo)"
    sudo=(sudo)
  fi
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2; then
    "${sudo[@]}" apt-get update >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2
  fi
fi
NGINX="$(find_tool nginx)"
WRK="$(find_tool wrk)"
CURL="$(find_tool curl)"
[ -n "$NGINX" ] && [ -n "$WRK" ] && [ -n "$CURL" ] || die "nginx, wrk or curl still missing"
command -v java >/dev/null || die "java (17+) is needed"

# Builds ramp-cli/target/ramp.jar when it is missing or older than its sources (the ./ramp script's own check).
jar="$root/ramp-cli/target/ramp.jar"
"$root/ramp" --version >/dev/null || die "could not build $jar"
[ -f "$jar" ] || die "$jar was not built"

# ------------------------------------------------------------------------------------------- work dir and ports
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ramp-gateway-bench.XXXXXX")"
mkdir -p "$WORK/logs" "$WORK/tmp" "$WORK/results"
CSV="$WORK/results/runs.csv"

# Free ports on 127.0.0.1, below the ephemeral range (so no outgoing connection of wrk or a proxy can take one
# between the pick and the bind): a port is free when a connection to it is refused.
low_ephemeral="$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)"
PICKED=" "
free_port() {
  local port tries=0
  while [ $tries -lt 1000 ]; do
    tries=$((tries + 1))
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % (low_ephemeral - 20000) ))
    [[ "$PICKED" == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      PICKED+="$port "
      echo "$port"
      return 0
    fi
  done
  die "no free port found"
}
P_V1=$(free_port); P_V2=$(free_port); P_NGX_W=$(free_port); P_NGX_S=$(free_port); P_RAMP=$(free_port); P_ADMIN=$(free_port)

# ------------------------------------------------------------------------------------ processes and their cleanup
declare -A PID=()
ORDER=()
WRK_PID=""

gone() { # pid: exited (a zombie counts as exited; it is reaped after)
  local state
  [ -r "/proc/$1/stat" ] || return 0
  state="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  state="${state##*) }"
  [ "${state%% *}" = Z ]
}
children() { pgrep -P "$1" 2>/dev/null || true; }

# Stops one process and everything it started, by PID: SIG, then TERM, then KILL, each after a wait; reaps it and
# checks that it and its children are gone.
stop_pid() {
  local name=$1 pid=$2 sig=$3 kids k i s
  gone "$pid" && { wait "$pid" 2>/dev/null || true; return 0; }
  kids="$(children "$pid")"
  for s in "$sig" TERM KILL; do
    kill -s "$s" "$pid" 2>/dev/null || true
    for i in $(seq 50); do gone "$pid" && break; sleep 0.1; done
    gone "$pid" && break
  done
  wait "$pid" 2>/dev/null || true
  for k in $kids; do
    for i in $(seq 30); do gone "$k" && break; sleep 0.1; done
    gone "$k" || { kill -KILL "$k" 2>/dev/null || true; sleep 0.2; }
  done
  local left=""
  for k in "$pid" $kids; do kill -0 "$k" 2>/dev/null && ! gone "$k" && left+=" $k"; done
  if [ -n "$left" ]; then log "  $name: still running:$left"; return 1; fi
  log "  stopped $name (pid $pid${kids:+, children $(echo $kids)})"
}

STOPPED=""
stop_all() { # stops, newest first, everything this run started; returns 1 when something is left
  local i name failed=0
  STOPPED=1
  log ""
  log "stopping what this run started ..."
  if [ -n "$WRK_PID" ]; then stop_pid wrk "$WRK_PID" TERM || failed=1; fi
  for (( i=${#ORDER[@]}-1; i>=0; i-- )); do
    name="${ORDER[$i]}"
    case "$name" in
      nginx-*) stop_pid "$name" "${PID[$name]}" QUIT || failed=1 ;;  # graceful
      *) stop_pid "$name" "${PID[$name]}" TERM || failed=1 ;;        # the gateway's shutdown hook
    esac
  done
  [ $failed = 0 ] || log "some processes did not stop (above)"
  return $failed
}
cleanup() { # on any exit; after a complete run, stop_all has already run
  local rc=$?
  trap - EXIT INT TERM
  if [ -z "$STOPPED" ]; then
    stop_all || true
    log "work dir (configs, logs, raw wrk output): $WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start() { # name, command...: started in the background, output to logs/NAME.out
  local name=$1; shift
  "$@" >"$WORK/logs/$name.out" 2>&1 &
  PID[$name]=$!
  ORDER+=("$name")
}

wait_listening() { # name port: until something accepts on the port, or the process exits
  local name=$1 port=$2 i
  for i in $(seq 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    gone "${PID[$name]}" && { cat "$WORK/logs/$name.out" >&2 || true; die "$name exited at start (log above)"; }
    sleep 0.1
  done
  die "$name does not listen on 127.0.0.1:$port after 30 s (log: $WORK/logs/$name.out)"
}

# ------------------------------------------------------------------------------------------------------- configs
BODY='ok 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqr\n'
cat >"$WORK/backend.conf" <<EOF
# Two tiny backends on loopback; fixed ~100-byte 200 body; access log off.
worker_processes 1;
pid $WORK/backend.pid;
error_log $WORK/logs/backend-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $WORK/tmp/b_body;
    proxy_temp_path $WORK/tmp/b_proxy;
    fastcgi_temp_path $WORK/tmp/b_fcgi;
    uwsgi_temp_path $WORK/tmp/b_uwsgi;
    scgi_temp_path $WORK/tmp/b_scgi;
    default_type text/plain;
    server {
        listen 127.0.0.1:$P_V1 backlog=4096;
        location / { return 200 "v1 $BODY"; }
    }
    server {
        listen 127.0.0.1:$P_V2 backlog=4096;
        location / { return 200 "v2 $BODY"; }
    }
}
EOF

cat >"$WORK/proxy-nginx.conf" <<EOF
# nginx reverse proxy: :$P_NGX_W = 90/10 weighted round-robin; :$P_NGX_S = sticky 90/10 split_clients on X-User-Id hash.
worker_processes $NGINX_WORKERS;
pid $WORK/proxy-nginx.pid;
error_log $WORK/logs/proxy-nginx-error.log warn;
worker_rlimit_nofile 65536;
events { worker_connections 16384; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $WORK/tmp/p_body;
    proxy_temp_path $WORK/tmp/p_proxy;
    fastcgi_temp_path $WORK/tmp/p_fcgi;
    uwsgi_temp_path $WORK/tmp/p_uwsgi;
    scgi_temp_path $WORK/tmp/p_scgi;

    upstream weighted {
        server 127.0.0.1:$P_V1 weight=9;
        server 127.0.0.1:$P_V2 weight=1;
        keepalive 256;
        keepalive_requests 1000000;
    }
    upstream v1 { server 127.0.0.1:$P_V1; keepalive 256; keepalive_requests 1000000; }
    upstream v2 { server 127.0.0.1:$P_V2; keepalive 256; keepalive_requests 1000000; }

    # sticky: same X-User-Id -> same version (MurmurHash2 of the key)
    split_clients "\${http_x_user_id}" \$variant {
        90%  v1;
        *    v2;
    }

    server {
        listen 127.0.0.1:$P_NGX_W backlog=4096;
        location / {
            proxy_pass http://weighted;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
    server {
        listen 127.0.0.1:$P_NGX_S backlog=4096;
        location / {
            proxy_pass http://\$variant;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF

cat >"$WORK/routes.yaml" <<EOF
# The same splits in the Ramp gateway: "/" 10% per request (exactly 10 of every 100), "/sticky" 10% of X-User-Id values.
routes:
  - name: weighted
    arms:
      - name: stable
        upstreams: ["127.0.0.1:$P_V1"]
      - name: canary
        upstreams: ["127.0.0.1:$P_V2"]
    weight: 10
  - name: sticky
    match:
      pathPrefix: /sticky
    arms:
      - name: stable
        upstreams: ["127.0.0.1:$P_V1"]
      - name: canary
        upstreams: ["127.0.0.1:$P_V2"]
    weight: 10
    sticky:
      by: header
      name: X-User-Id
EOF

cat >"$WORK/sticky.lua" <<'EOF'
-- Pre-built pool of 10,000 requests with random X-User-Id values (cheap per request: no formatting in the hot path).
local reqs, n, i = {}, 10000, 0
init = function(args)
  math.randomseed(os.time())
  for k = 1, n do
    wrk.headers["X-User-Id"] = "user-" .. math.random(1, 1000000)
    reqs[k] = wrk.format()
  end
end
request = function()
  i = i % n + 1
  return reqs[i]
end
EOF

# ------------------------------------------------------------------------------------------------------ machine
java_version="$(java -version 2>&1 | head -2 | tail -1)"
log "machine: $(nproc) cores, $(uname -sr), $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null || true)"
log "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
if awk '{exit !($1 > 0.5)}' /proc/loadavg; then
  log "note: the machine is not idle (1-minute load $(cut -d' ' -f1 /proc/loadavg)); the 'other CPU %' column shows how much each run shared it"
fi
log "versions: $("$NGINX" -v 2>&1), $("$WRK" -v 2>&1 | head -1 | cut -d' ' -f1-3), $java_version"
log "gateway: JVM options '${RAMP_JAVA_OPTS}', --threads $GATEWAY_THREADS; nginx proxy: $NGINX_WORKERS worker(s)"
log "runs: ROUNDS=$ROUNDS DURATION=$DURATION CONNS='$CONNS' WARMUP=$WARMUP JVM_WARMUP=$JVM_WARMUP sticky=$STICKY"
log "work dir: $WORK"

# ------------------------------------------------------------------------------------------------------- start
log ""
log "starting backends, nginx proxy and the Ramp gateway ..."
start nginx-backend "$NGINX" -c "$WORK/backend.conf" -p "$WORK/" -g 'daemon off;'
wait_listening nginx-backend "$P_V1"
wait_listening nginx-backend "$P_V2"
start nginx-proxy "$NGINX" -c "$WORK/proxy-nginx.conf" -p "$WORK/" -g 'daemon off;'
wait_listening nginx-proxy "$P_NGX_W"
wait_listening nginx-proxy "$P_NGX_S"
# shellcheck disable=SC2086
start ramp-gateway java $RAMP_JAVA_OPTS -Xlog:gc:file="$WORK/logs/gateway-gc.log" -jar "$jar" gateway \
  --config "$WORK/routes.yaml" --host 127.0.0.1 --port "$P_RAMP" --admin-port "$P_ADMIN" --threads "$GATEWAY_THREADS"
wait_listening ramp-gateway "$P_RAMP"
for i in $(seq 100); do grep -q 'Ramp gateway listening' "$WORK/logs/ramp-gateway.out" && break; sleep 0.1; done
grep -q 'Ramp gateway listening' "$WORK/logs/ramp-gateway.out" || die "the gateway did not say it listens (log: $WORK/logs/ramp-gateway.out)"
log "  $(grep 'Ramp gateway listening' "$WORK/logs/ramp-gateway.out")"
log "  backends :$P_V1 :$P_V2 (pid ${PID[nginx-backend]}), nginx proxy :$P_NGX_W :$P_NGX_S (pid ${PID[nginx-proxy]}), gateway :$P_RAMP admin :$P_ADMIN (pid ${PID[ramp-gateway]})"

NGX_W="http://127.0.0.1:$P_NGX_W/"
NGX_S="http://127.0.0.1:$P_NGX_S/sticky"
RAMP_W="http://127.0.0.1:$P_RAMP/"
RAMP_S="http://127.0.0.1:$P_RAMP/sticky"

# ------------------------------------------------------------------------------------------------- split check
# One curl, keep-alive, 1,000 requests; each body is one line starting with v1 or v2.
count() { awk '{c[substr($0,1,2)]++} END{o=NR-c["v1"]-c["v2"]; printf "%d %d %s\n", c["v1"]+0, c["v2"]+0, (o ? o : "")}'; }
check_weighted() { # name url
  local name=$1 url=$2 v1 v2 other
  for i in $(seq 1000); do echo "url = \"$url\""; done >"$WORK/curl-$name.cfg"
  read -r v1 v2 other < <("$CURL" -s -K "$WORK/curl-$name.cfg" | count)
  log "  $name: $v1 v1 / $v2 v2 of 1000 requests${other:+, $other other}"
  [ "$v1" -eq 900 ] && [ "$v2" -eq 100 ] || die "$name: expected exactly 900 v1 / 100 v2 (a per-request 9:1 split)"
}
check_sticky() { # name url: 1,000 ids, twice; the same version per id both times
  local name=$1 url=$2 v1 v2 other
  for i in $(seq 1000); do
    [ "$i" = 1 ] || echo next
    printf 'url = "%s"\nheader = "X-User-Id: user-%d"\n' "$url" "$i"
  done >"$WORK/curl-$name.cfg"
  "$CURL" -s -K "$WORK/curl-$name.cfg" | cut -c1-2 >"$WORK/results/split-$name-1.txt"
  "$CURL" -s -K "$WORK/curl-$name.cfg" | cut -c1-2 >"$WORK/results/split-$name-2.txt"
  read -r v1 v2 other < <(count <"$WORK/results/split-$name-1.txt")
  local same="identical per id"
  cmp -s "$WORK/results/split-$name-1.txt" "$WORK/results/split-$name-2.txt" || same="DIFFERENT"
  log "  $name: $v1 v1 / $v2 v2 of 1000 ids (user-1..user-1000)${other:+, $other other}; second pass $same"
  [ "$same" = "identical per id" ] || die "$name: the same id went to another version the second time"
  [ $((v1 + v2)) -eq 1000 ] && [ "$v2" -ge 60 ] && [ "$v2" -le 140 ] \
    || die "$name: expected 1000 answers, about 10% v2 (60-140)"
}
log ""
log "split check:"
check_weighted nginx_weighted "$NGX_W"
check_weighted ramp_weighted "$RAMP_W"
if [ "$STICKY" = 1 ]; then
  check_sticky nginx_sticky "$NGX_S"
  check_sticky ramp_sticky "$RAMP_S"
fi

# ----------------------------------------------------------------------------------------------------- measure
CLK_TCK="$(getconf CLK_TCK)"
ticks() { # pid: utime+stime of the process (all its threads) and of its children, in clock ticks
  local tot=0 p s f
  for p in "$1" $(children "$1"); do
    s="$(cat "/proc/$p/stat" 2>/dev/null)" || continue
    read -ra f <<<"${s##*) }"
    tot=$(( tot + f[11] + f[12] ))
  done
  echo "$tot"
}
machine_ticks() { # busy and total clock ticks of all cores since boot (busy: all but idle and iowait; steal counts as busy)
  local _c u n sy i w q sq st _r
  read -r _c u n sy i w q sq st _r </proc/stat
  echo "$(( u + n + sy + q + sq + st )) $(( u + n + sy + i + w + q + sq + st ))"
}
reaped_cpu_ms() { # sets REAPED_MS: user+sys CPU of this shell's waited-for children and their descendants (wrk,
  # through timeout), in ms. Not in a $(...): a subshell has no children of its own.
  times >"$WORK/times"
  REAPED_MS=$(awk 'NR==2 { t=0; for (i=1; i<=2; i++) { v=$i; sub(/s$/,"",v); split(v, a, "m"); t+=a[1]*60000+a[2]*1000 } printf "%d", t }' "$WORK/times")
}
to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v); print v+0}
  else if (v ~ /m$/) {sub(/m/,"",v); print v*60000} else if (v ~ /s$/) {sub(/s/,"",v); print v*1000} else print v }'; }

run_wrk() { # output-file guard-seconds wrk-arguments...: in the background, so that cleanup can stop it
  local out=$1 guard=$2 rc=0; shift 2
  timeout "$guard" "$WRK" "$@" >"$out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || rc=$?
  WRK_PID=""
  [ $rc = 0 ] || { cat "$out" >&2; die "wrk failed ($rc): wrk $*"; }
}

CONFIGS=("nginx_weighted|$NGX_W||nginx-proxy" "ramp_weighted|$RAMP_W||ramp-gateway")
if [ "$STICKY" = 1 ]; then
  CONFIGS+=("nginx_sticky|$NGX_S|$WORK/sticky.lua|nginx-proxy" "ramp_sticky|$RAMP_S|$WORK/sticky.lua|ramp-gateway")
fi

log ""
log "JVM warm-up (unrecorded): wrk -t1 -c64 -d$JVM_WARMUP on each gateway route"
for spec in "${CONFIGS[@]}"; do
  IFS='|' read -r name url lua proc <<<"$spec"
  [ "$proc" = ramp-gateway ] || continue
  run_wrk "$WORK/results/jvm-warmup-$name.txt" $(( $(seconds "$JVM_WARMUP") + 60 )) \
    -t1 -c64 -d"$JVM_WARMUP" --timeout 5s ${lua:+-s "$lua"} "$url"
  log "  $name: $(awk '/^Requests\/sec/{print $2}' "$WORK/results/jvm-warmup-$name.txt") req/s"
done

echo "config,conns,round,rps,p50_ms,p99_ms,errors,requests,proxy_cpu_s,backend_cpu_s,wrk_cpu_s,other_cpu_pct,proxy_us_per_req" >"$CSV"
guard=$(( $(seconds "$DURATION") + 60 ))
log ""
log "measuring: $ROUNDS round(s) x conns {$CONNS} x ${#CONFIGS[@]} configs, wrk -t1 -cC -d$DURATION --latency --timeout 5s"
log "$(head -1 "$CSV")"
for round in $(seq "$ROUNDS"); do
  for C in $CONNS; do
    for spec in "${CONFIGS[@]}"; do
      IFS='|' read -r name url lua proc <<<"$spec"
      lua_args=(); [ -n "$lua" ] && lua_args=(-s "$lua")
      run_wrk /dev/null $(( $(seconds "$WARMUP") + 60 )) -t1 -c"$C" -d"$WARMUP" --timeout 5s "${lua_args[@]}" "$url"
      f="$WORK/results/${name}_c${C}_r${round}.txt"
      reaped_cpu_ms; w0=$REAPED_MS; read -r m0 t0 < <(machine_ticks)
      p0=$(ticks "${PID[$proc]}"); b0=$(ticks "${PID[nginx-backend]}")
      run_wrk "$f.tmp" "$guard" -t1 -c"$C" -d"$DURATION" --latency --timeout 5s "${lua_args[@]}" "$url"
      p1=$(ticks "${PID[$proc]}"); b1=$(ticks "${PID[nginx-backend]}")
      reaped_cpu_ms; w1=$REAPED_MS; read -r m1 t1 < <(machine_ticks)
      { echo "# wrk -t1 -c$C -d$DURATION --latency --timeout 5s ${lua_args[*]} $url"; cat "$f.tmp"; } >"$f"; rm -f "$f.tmp"
      rps=$(awk '/^Requests\/sec/{print $2}' "$f")
      p50=$(to_ms "$(awk '$1=="50%"{print $2}' "$f")")
      p99=$(to_ms "$(awk '$1=="99%"{print $2}' "$f")")
      reqs=$(awk '/requests in/{print $1}' "$f")
      err=$(awk '/Non-2xx/{n+=$NF} /Socket errors/{gsub(/,/,""); n+=$4+$6+$8+$10} END{print n+0}' "$f")
      pc=$(awk -v a="$p0" -v b="$p1" -v t="$CLK_TCK" 'BEGIN{printf "%.2f", (b-a)/t}')
      bc=$(awk -v a="$b0" -v b="$b1" -v t="$CLK_TCK" 'BEGIN{printf "%.2f", (b-a)/t}')
      wc_=$(awk -v a="$w0" -v b="$w1" 'BEGIN{printf "%.2f", (b-a)/1000}')
      # what the rest of the machine used meanwhile, in % of all cores: busy time not spent by proxy, backend or wrk
      other=$(awk -v m="$((m1 - m0))" -v t="$((t1 - t0))" -v k="$CLK_TCK" -v p="$pc" -v b="$bc" -v w="$wc_" \
        'BEGIN{ o = (t > 0) ? (m/k - p - b - w) / (t/k) * 100 : 0; printf "%.0f", (o < 0 ? 0 : o) }')
      upr=$(awk -v c="$pc" -v r="$reqs" 'BEGIN{ if (r > 0) printf "%.1f", c*1e6/r; else print "" }')
      echo "$name,$C,$round,$rps,$p50,$p99,$err,$reqs,$pc,$bc,$wc_,$other,$upr" | tee -a "$CSV" >&2
    done
  done
done

# ------------------------------------------------------------------------------------------------------ report
values() { awk -F, -v c="$1" -v n="$2" -v k="$3" 'NR>1 && $1==c && $2==n && $k!="" {print $k}' "$CSV" | sort -g; }
median() { values "$@" | awk '{v[NR]=$1} END{ if (NR==0) exit; if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2 }'; }
thousands() { awk -v v="$1" 'BEGIN{ s=sprintf("%.0f", v); o=""; while (length(s) > 3) { o="," substr(s, length(s)-2) o; s=substr(s, 1, length(s)-3) } print s o }'; }

# Written to a file first, printed once every process is stopped, so that the ratio line is the run's last line.
{
echo ""
echo "Ramp gateway vs nginx, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores; gateway JVM '${RAMP_JAVA_OPTS}', --threads $GATEWAY_THREADS; nginx $NGINX_WORKERS worker(s)"
echo "medians over $ROUNDS round(s) of wrk -t1 -cC -d$DURATION --latency; CPU = the proxy's utime+stime per request"
echo ""
echo "| config | conns | n | req/s median (min–max) | p50 ms | p99 ms | proxy CPU µs/req | errors | other CPU % |"
echo "|---|---:|---:|---|---:|---:|---:|---:|---:|"
for C in $CONNS; do
  for spec in "${CONFIGS[@]}"; do
    IFS='|' read -r name _ _ _ <<<"$spec"
    n=$(values "$name" "$C" 4 | wc -l)
    rmin=$(values "$name" "$C" 4 | head -1); rmax=$(values "$name" "$C" 4 | tail -1)
    errs=$(values "$name" "$C" 7 | awk '{s+=$1} END{print s+0}')
    printf '| %s | %s | %s | %s (%s–%s) | %.2f | %.2f | %.1f | %s | %.0f |\n' "$name" "$C" "$n" \
      "$(thousands "$(median "$name" "$C" 4)")" "$(thousands "$rmin")" "$(thousands "$rmax")" \
      "$(median "$name" "$C" 5)" "$(median "$name" "$C" 6)" "$(median "$name" "$C" 13)" "$errs" "$(median "$name" "$C" 12)"
  done
done
echo ""
echo "raw per-run CSV: $CSV"
busy_runs=$(awk -F, 'NR>1 && $12 > 10' "$CSV" | wc -l)
[ "$busy_runs" = 0 ] || echo "note: in $busy_runs run(s) other work used over 10% of the machine (other_cpu_pct in the CSV); compare with care"
# The gateway's own count of what it served, per route and arm (all requests since it started, warm-ups included)
if "$CURL" -s "http://127.0.0.1:$P_ADMIN/metrics" >"$WORK/results/gateway-metrics.txt"; then
  echo "gateway /metrics: $(awk '/^ramp_gateway_requests(_total)?\{/ { l=$1; sub(/^[^{]*\{/,"",l); sub(/\}$/,"",l); printf "%s%s=%d", sep, l, $2; sep="; " }' "$WORK/results/gateway-metrics.txt")"
fi

ratio_c=64
[[ " $CONNS " == *" 64 "* ]] || ratio_c="${CONNS%% *}"
ratios() { # kind: "throughput T, p99 Px" and the CPU ratio, Ramp over nginx, at ratio_c
  awk -v rr="$(median "ramp_$1" "$ratio_c" 4)" -v nr="$(median "nginx_$1" "$ratio_c" 4)" \
      -v rp="$(median "ramp_$1" "$ratio_c" 6)" -v np="$(median "nginx_$1" "$ratio_c" 6)" \
      -v rc="$(median "ramp_$1" "$ratio_c" 13)" -v nc="$(median "nginx_$1" "$ratio_c" 13)" \
      'BEGIN{ printf "throughput %.2f, p99 %.2fx|%.2fx", rr/nr, rp/np, (nc > 0 ? rc/nc : 0) }'
}
w="$(ratios weighted)"
if [ "$STICKY" = 1 ]; then
  s="$(ratios sticky)"
  echo "ramp/nginx sticky at c$ratio_c: ${s%|*} (CPU per request ${s#*|})"
fi
echo "ramp/nginx CPU per request at c$ratio_c: ${w#*|}"
echo "ramp/nginx at c$ratio_c: ${w%|*} (goal: >= 0.90, <= 1.5x)"
} >"$WORK/results/report.txt"
stop_all || die "some processes did not stop (above); work dir: $WORK"
cat "$WORK/results/report.txt"
