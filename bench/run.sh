#!/usr/bin/env bash
# bench/run.sh — Tern next to Postfix on this machine, in the same run, with Postfix's own load
# tools (smtp-source as client, smtp-sink as the remote server). Loopback only, bounded runs.
#
#   bench/run.sh                      # everything: Postfix reference, then Tern
#   SKIP_POSTFIX=1 bench/run.sh       # Tern only
#   SIZES="1024" SESSIONS_LIST="20" COUNT_1024=5000 bench/run.sh
#   REPEATS=3 bench/run.sh            # each row three times (Postfix and Tern), for min/median/max
#   WARMUP=0 bench/run.sh             # skip Tern's unmeasured warm-up pass (JIT) before the first row
#
# Needs: ./mvnw -q install -DskipTests first; the Postfix tools (scripts/install-test-tools.sh);
# ../shared/bench (the project's reference scripts). Writes $OUT/results.md and prints it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
shared=${SHARED_BENCH:-$repo/../shared/bench}
OUT=${OUT:-/tmp/tern-bench}
SIZES=${SIZES:-"1024 102400"}
SESSIONS_LIST=${SESSIONS_LIST:-"20 100"}
PORT_SINK=2626
mkdir -p "$OUT"
bash "$repo/scripts/install-test-tools.sh"
export PATH="$PATH:/usr/sbin"

count_for() { local v="COUNT_$1"; echo "${!v:-$([ "$1" -le 2048 ] && echo 10000 || echo 3000)}"; }

results="$OUT/results.md"
{
  echo "Run: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r), $(java -version 2>&1 | head -1)"
  echo
} > "$results"

if [ -z "${SKIP_POSTFIX:-}" ]; then
  echo "== Postfix reference (postfix-baseline.sh)" >&2
  BASE="$OUT/postfix" REPEATS=${REPEATS:-1} SIZES="$SIZES" SESSIONS_LIST="$SESSIONS_LIST" \
    COUNT_POSTFIX_1024=$(count_for 1024) COUNT_POSTFIX_102400=$(count_for 102400) \
    COUNT_SINK_1024=50000 COUNT_SINK_102400=20000 PORT_IN=2625 PORT_SINK=$PORT_SINK \
    bash "$shared/postfix-baseline.sh" > "$OUT/postfix.log" 2>&1 || true
  { echo "### Postfix 3.7 (reference, same run)"; echo; bash "$shared/summarize.sh" "$OUT/postfix/results.tsv"; echo; } >> "$results"
fi

echo "== Tern (tern-local)" >&2
"$repo/tern-local" --data-dir "$OUT/tern-data" --wipe --policy "$here/policy.yaml" > "$OUT/tern-local.log" 2>&1 &
launcher=$!
trap 'rc=$?; kill $launcher 2>/dev/null; wait $launcher 2>/dev/null; exit $rc' EXIT
for _ in $(seq 1 240); do grep -q "tern-local: ready" "$OUT/tern-local.log" && break; sleep 0.5; done
grep -q "tern-local: ready" "$OUT/tern-local.log" || { cat "$OUT/tern-local.log" >&2; exit 1; }

metric() { # port name-regex → sum of matching sample values
  curl -s "127.0.0.1:$1/q/metrics" | awk -v re="$2" '$1 ~ re {s+=$2} END{printf "%.6f", s}'
}
quantile() { # port histogram q before-file → quantile (s) of the bucket deltas since before-file
  curl -s "127.0.0.1:$1/q/metrics" | grep "^$2_bucket" > "$OUT/after.prom" || true
  python3 - "$4" "$OUT/after.prom" "$3" <<'PY'
import re,sys
def load(f):
    d={}
    for line in open(f):
        m=re.search(r'le="([^"]+)"\} ([0-9.eE+]+)',line)
        if m: d[float('inf') if m.group(1)=='+Inf' else float(m.group(1))]=d.get(float('inf') if m.group(1)=='+Inf' else float(m.group(1)),0)+float(m.group(2))
    return d
b,a=load(sys.argv[1]),load(sys.argv[2]); q=float(sys.argv[3])
les=sorted(a); tot=a[les[-1]]-b.get(les[-1],0)
if tot<=0: print("NA"); sys.exit()
for le in les:
    if a[le]-b.get(le,0) >= q*tot: print("%.1f ms"%(le*1000) if le!=float('inf') else ">max"); break
PY
}
cpu() { # pattern → CPU seconds (user+system) used so far by the matching processes
  local tck; tck=$(getconf CLK_TCK)
  ps -eo pid,args | awk -v p="$1" 'index($0,p) && !/awk/ {print $1}' | while read -r pid; do
    awk '{print $14+$15}' "/proc/$pid/stat" 2>/dev/null
  done | awk -v t="$tck" '{s+=$1} END{printf "%.1f", s/t}'
}
cpus() { echo "$(cpu quarkus.http.port=8081) $(cpu quarkus.http.port=8082) $(cpu quarkus.http.port=8083) $(cpu kafka.Kafka) $(cpu org.infinispan.server.Bootstrap)"; }
rss() { # pattern → MB
  ps -eo rss,args | awk -v p="$1" 'index($0,p) && !/awk/ {s+=$1} END{printf "%.0f", s/1024}'
}

if [ "${WARMUP:-1}" != 0 ]; then
  # The JVMs compile their hot paths during the first few thousand messages; Postfix has no such
  # phase, so an unwarmed first row measures the JIT, not the MTA. Not recorded.
  echo "== Tern warm-up (3000 x 1 KB, 20 sessions, not recorded)" >&2
  RUN_TIMEOUT=${RUN_TIMEOUT:-300} bash "$shared/mta-e2e.sh" 2525 $PORT_SINK 1024 20 3000 "bench@sink.test" > "$OUT/warmup.log" 2>&1 || true
  sleep 3
fi

{
  echo "### Tern (ingress + delivery + bounce, Kafka and Infinispan as child processes, same machine)"
  echo
  echo "| size B | sessions | count | accept msg/s | e2e msg/s | delivered | Kafka publish p99 | delivery attempt p50 / p99 | RSS MB ingress / delivery / bounce / Kafka / Infinispan | CPU ms/msg ingress / delivery / bounce / Kafka / Infinispan |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
} >> "$results"
for size in $SIZES; do
  for ses in $SESSIONS_LIST; do
   for _rep in $(seq 1 "${REPEATS:-1}"); do
    n=$(count_for "$size")
    curl -s 127.0.0.1:8081/q/metrics | grep "^tern_ingress_kafka_publish_seconds_bucket" > "$OUT/pub.before" || true
    curl -s 127.0.0.1:8082/q/metrics | grep "^tern_delivery_attempt_seconds_bucket" > "$OUT/att.before" || true
    read -r -a cpu0 <<<"$(cpus)"
    line=$(RUN_TIMEOUT=${RUN_TIMEOUT:-300} bash "$shared/mta-e2e.sh" 2525 $PORT_SINK "$size" "$ses" "$n" "bench@sink.test" | grep RESULT) || true
    acc=$(sed -n 's/.*accept_msgs_s=\([0-9.]*\).*/\1/p' <<<"$line"); e2e=$(sed -n 's/.*e2e_msgs_s=\([0-9.]*\).*/\1/p' <<<"$line")
    del=$(sed -n 's/.*delivered=\([0-9/]*\).*/\1/p' <<<"$line")
    p99=$(quantile 8081 tern_ingress_kafka_publish_seconds 0.99 "$OUT/pub.before")
    d50=$(quantile 8082 tern_delivery_attempt_seconds 0.50 "$OUT/att.before")
    d99=$(quantile 8082 tern_delivery_attempt_seconds 0.99 "$OUT/att.before")
    mem="$(rss quarkus.http.port=8081) / $(rss quarkus.http.port=8082) / $(rss quarkus.http.port=8083) / $(rss kafka.Kafka) / $(rss org.infinispan.server.Bootstrap)"
    read -r -a cpu1 <<<"$(cpus)"
    cpums=$(for i in 0 1 2 3 4; do awk -v a="${cpu0[$i]}" -v b="${cpu1[$i]}" -v n="$n" 'BEGIN{printf "%.2f\n", (b-a)*1000/n}'; done | paste -sd/ | sed 's|/| / |g')
    echo "| $size | $ses | $n | ${acc:-NA} | ${e2e:-NA} | ${del:-NA} | $p99 | $d50 / $d99 | $mem | $cpums |" | tee -a "$results" >&2
    sleep 3
   done
  done
done
echo >> "$results"
cat "$results"
