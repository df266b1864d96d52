# bench/lib.sh — shared by bench/run.sh, bench/profile.sh and bench/backlog.sh (source it).
# Starts a tern-local with bench/policy.yaml and measures its five processes from /proc: CPU
# (user + system), RSS, and the ingress end-of-DATA→250 histogram. Loopback only; every wait is
# bounded. Needs: here, repo, OUT set by the caller; PORT_OFFSET optional (tern-local's
# --port-offset, e.g. beside another cluster on the default ports).
PORT_OFFSET=${PORT_OFFSET:-0}
PORT_SMTP=$((2525 + PORT_OFFSET))
PORT_SINK=$((2626 + PORT_OFFSET))
PORT_INGRESS_HTTP=$((8081 + PORT_OFFSET))
PORT_DELIVERY_HTTP=$((8082 + PORT_OFFSET))
PORT_BOUNCE_HTTP=$((8083 + PORT_OFFSET))
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
PROCS="ingress delivery bounce kafka infinispan"
export PATH="$PATH:/usr/sbin"

# The bench policy routes *.test to 127.0.0.1:2626; moved with the ports.
bench_policy() {
  sed "s/127.0.0.1:2626/127.0.0.1:$PORT_SINK/" "$here/policy.yaml" > "$OUT/policy.yaml"
  echo "$OUT/policy.yaml"
}

TERN_LAUNCHER=
tern_start() { # → starts tern-local in the background, waits for "ready", finds the five pids
  local policy; policy=$(bench_policy)
  "$repo/tern-local" --data-dir "$OUT/tern-data" --wipe --policy "$policy" --port-offset "$PORT_OFFSET" \
    > "$OUT/tern-local.log" 2>&1 &
  TERN_LAUNCHER=$!
  for _ in $(seq 1 480); do grep -q "tern-local: ready" "$OUT/tern-local.log" && break
    kill -0 "$TERN_LAUNCHER" 2>/dev/null || break; sleep 0.5; done
  grep -q "tern-local: ready" "$OUT/tern-local.log" || { tail -50 "$OUT/tern-local.log" >&2; return 1; }
  tern_pids
}
tern_stop() {
  [ -n "$TERN_LAUNCHER" ] || return 0
  kill "$TERN_LAUNCHER" 2>/dev/null; wait "$TERN_LAUNCHER" 2>/dev/null || true; TERN_LAUNCHER=
}

# Children of this launcher only (another cluster on the machine has the same command lines).
declare -A PID
tern_pids() {
  local kids; kids=$(pgrep -P "$TERN_LAUNCHER" | tr '\n' ' ')
  local p args
  for p in $kids $(for k in $kids; do pgrep -P "$k"; done); do
    args=$(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null) || continue
    case "$args" in
      *quarkus.http.port=$PORT_INGRESS_HTTP*) PID[ingress]=$p ;;
      *quarkus.http.port=$PORT_DELIVERY_HTTP*) PID[delivery]=$p ;;
      *quarkus.http.port=$PORT_BOUNCE_HTTP*) PID[bounce]=$p ;;
      *kafka.Kafka*) PID[kafka]=$p ;;
      *org.infinispan.server.Bootstrap*) PID[infinispan]=$p ;;
    esac
  done
  for n in $PROCS; do [ -n "${PID[$n]:-}" ] || { echo "bench: no $n process under launcher $TERN_LAUNCHER" >&2; return 1; }; done
}

CLK_TCK=$(getconf CLK_TCK)
cpu_ms() { awk -v t="$CLK_TCK" '{printf "%d", ($14+$15)*1000/t}' "/proc/$1/stat" 2>/dev/null || echo 0; }
cpu_snapshot() { local n; for n in $PROCS; do printf '%s ' "$(cpu_ms "${PID[$n]}")"; done; }
rss_mb() { awk '/^VmRSS:/{printf "%d", $2/1024}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_mb() { awk '/^VmHWM:/{printf "%d", $2/1024}' "/proc/$1/status" 2>/dev/null || echo 0; }
machine_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }

data_reply_buckets() { # → le count lines of the 2xx end-of-DATA→reply histogram
  curl -s "127.0.0.1:$PORT_INGRESS_HTTP/q/metrics" \
    | sed -n 's/^tern_ingress_data_reply_seconds_bucket{.*code_class="2xx".*le="\([^"]*\)".*} \([0-9.eE+]*\)$/\1 \2/p'
}
quantile_ms() { # q before-file after-file → the bucket bound (ms) holding quantile q of the deltas
  python3 - "$@" <<'PY'
import sys
def load(f):
    d = {}
    for line in open(f):
        le, v = line.split()
        d[float('inf') if le == '+Inf' else float(le)] = float(v)
    return d
q, b, a = float(sys.argv[1]), load(sys.argv[2]), load(sys.argv[3])
les = sorted(a)
tot = a[les[-1]] - b.get(les[-1], 0) if les else 0
if tot <= 0: print("NA"); sys.exit()
for le in les:
    if a[le] - b.get(le, 0) >= q * tot:
        print(">%g" % (les[-2] * 1000) if le == float('inf') else "%g" % (le * 1000)); break
PY
}

SINK_PID=
sink_start() { # smtp-sink on PORT_SINK counting messages into $OUT/sink.out
  : > "$OUT/sink.out"
  ( exec smtp-sink -c -u postfix "127.0.0.1:$PORT_SINK" 1000 ) > "$OUT/sink.out" 2>&1 &
  SINK_PID=$!
  for _ in $(seq 1 50); do ss -ltnH "sport = :$PORT_SINK" | grep -q . && return 0; sleep 0.1; done
  echo "bench: smtp-sink did not listen on $PORT_SINK" >&2; return 1
}
sink_stop() { [ -n "$SINK_PID" ] && { kill "$SINK_PID" 2>/dev/null; wait "$SINK_PID" 2>/dev/null || true; }; SINK_PID=; }
sink_count() { tail -c 200 "$OUT/sink.out" | tr '\r' '\n' | grep -o 'mesg=[0-9]*' | tail -1 | cut -d= -f2 | grep . || echo 0; }

# tern_e2e SIZE SESSIONS COUNT [smtp-source options] → one line of key=value: accept and e2e rates,
# delivered, CPU ms per message per process, RSS per process, p50/p99 of end-of-DATA→250, machine
# busy share and load average. Starts and stops its own smtp-sink.
tern_e2e() {
  local size=$1 ses=$2 n=$3; shift 3
  sink_start || return 1
  data_reply_buckets > "$OUT/reply.before"
  local c0 c1 b0 t0 b1 tt1 ta= te= now
  read -r -a c0 <<<"$(cpu_snapshot)"; read -r b0 t0c < <(machine_busy)
  local t0; t0=$(date +%s%3N)
  timeout "$RUN_TIMEOUT" smtp-source -c -s "$ses" -m "$n" -l "$size" -f sender@bench.test -t bench@sink.test \
    "$@" "127.0.0.1:$PORT_SMTP" > /dev/null 2>&1 &
  local src=$!
  while :; do
    now=$(date +%s%3N)
    [ -z "$ta" ] && ! kill -0 "$src" 2>/dev/null && ta=$now
    [ "$(sink_count)" -ge "$n" ] && { te=$now; break; }
    [ $((now - t0)) -gt $((RUN_TIMEOUT * 1000)) ] && break
    sleep 0.1
  done
  now=$(date +%s%3N); wait "$src" 2>/dev/null || true
  read -r -a c1 <<<"$(cpu_snapshot)"; read -r b1 t1c < <(machine_busy)
  local got; got=$(sink_count)
  sink_stop
  data_reply_buckets > "$OUT/reply.after"
  local i=0 nm cpu="" rss=""
  for nm in $PROCS; do
    cpu+="cpu_$nm=$(awk -v a="${c0[$i]}" -v b="${c1[$i]}" -v n="$n" 'BEGIN{printf "%.3f", (b-a)/n}') "
    rss+="rss_$nm=$(rss_mb "${PID[$nm]}") hwm_$nm=$(hwm_mb "${PID[$nm]}") "
    i=$((i + 1))
  done
  awk -v t0="$t0" -v ta="${ta:-$now}" -v te="${te:-}" -v now="$now" -v n="$n" -v got="$got" \
      -v b="$((b1 - b0))" -v t="$((t1c - t0c))" 'BEGIN{
    printf "accept=%.1f e2e=%s delivered=%d/%d busy_pct=%.0f ", n/((ta-t0)/1000),
      (te=="" ? "NA" : sprintf("%.1f", n/((te-t0)/1000))), got, n, 100*b/(t+1e-9) }'
  echo "${cpu}${rss}p50_ms=$(quantile_ms 0.50 "$OUT/reply.before" "$OUT/reply.after") p99_ms=$(quantile_ms 0.99 "$OUT/reply.before" "$OUT/reply.after") load1=$(cut -d' ' -f1 /proc/loadavg)"
}
