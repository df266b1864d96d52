#!/usr/bin/env bash
# bench/backlog.sh — a backlog queued while the destination is down, then released: how fast and
# how steadily delivery drains it, and whether any process's memory grows. Loopback only, bounded.
#
#   bench/backlog.sh                          # COUNT=1000000 1 KB messages, per-minute drain rate
#   COUNT=50000 INTERVAL=10 bench/backlog.sh  # a short run: rate per 10 s instead of per minute
#   SESSIONS=50 SIZE=1024 MAX_DRAIN=7200 bench/backlog.sh
#
# 1. tern-local with bench/policy.yaml, whose *.test route points at 127.0.0.1:2626, where nothing
#    listens yet: every delivery attempt is refused and the messages wait in Kafka (main queue and
#    retry tiers), as they would behind a destination that is down.
# 2. COUNT messages of SIZE bytes from smtp-source (SESSIONS sessions, connections reused), every
#    one answered 250 (counted from the ingress metric, not trusted from smtp-source).
# 3. RSS of every process ("start"), then smtp-sink starts on the destination port and the sink's
#    count is sampled every INTERVAL seconds until it has COUNT messages (or MAX_DRAIN seconds).
# Prints the drain time, the rate per interval, its median, the lowest full interval against 80%
# of the median, and RSS of every process at start and end (and its growth). Writes $OUT/backlog.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
OUT=${OUT:-/tmp/tern-backlog}
COUNT=${COUNT:-1000000}
SIZE=${SIZE:-1024}
SESSIONS=${SESSIONS:-20}
INTERVAL=${INTERVAL:-60}
MAX_DRAIN=${MAX_DRAIN:-7200}
MAX_QUEUE=${MAX_QUEUE:-7200}
rm -rf "$OUT"; mkdir -p "$OUT"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
trap 'rc=$?; sink_stop; tern_stop; exit $rc' EXIT
tern_start

accepted() { curl -s "127.0.0.1:$PORT_INGRESS_HTTP/q/metrics" | awk '/^tern_ingress_messages_accepted_total/ {s+=$2} END{printf "%d", s}'; }
rss_all() { local nm; for nm in $PROCS; do printf '%s=%s ' "$nm" "$(rss_mb "${PID[$nm]}")"; done; }

echo "== queueing $COUNT x $SIZE B with the destination down" >&2
a0=$(accepted); q0=$(date +%s)
timeout "$MAX_QUEUE" smtp-source -c -d -s "$SESSIONS" -m "$COUNT" -l "$SIZE" -f sender@bench.test \
  -t bench@sink.test "127.0.0.1:$PORT_SMTP" > /dev/null 2>&1 || true
q1=$(date +%s); got=$(( $(accepted) - a0 ))
echo "queued: $got answered 250 of $COUNT in $((q1 - q0)) s" >&2
sleep 5
rss_start=$(rss_all)
echo "RSS at release: $rss_start" >&2

echo "== releasing: smtp-sink on $PORT_SINK" >&2
sink_start
t0=$(date +%s%3N); : > "$OUT/drain.tsv"
while :; do # one sample a second: elapsed ms, sink count
  sleep 1
  now=$(date +%s%3N); c=$(sink_count)
  printf '%d\t%d\n' $((now - t0)) "$c" >> "$OUT/drain.tsv"
  [ $(((now - t0) / 1000 % INTERVAL)) = 0 ] && echo "drain: $(((now - t0) / 1000)) s, $c delivered" >&2
  [ "$c" -ge "$got" ] && break
  [ $((now - t0)) -gt $((MAX_DRAIN * 1000)) ] && { echo "drain timeout" >&2; break; }
done
rss_end=$(rss_all)

python3 - "$OUT/drain.tsv" "$COUNT" "$got" "$((q1 - q0))" "$INTERVAL" "$rss_start" "$rss_end" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY' | tee "$OUT/backlog.md"
import statistics as st, sys
path, count, got, qs, iv = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rs = dict(x.split('=') for x in sys.argv[6].split()); re_ = dict(x.split('=') for x in sys.argv[7].split())
rows = [tuple(int(x) for x in l.split()) for l in open(path) if l.strip()]
total = rows[-1][1] if rows else 0
done = next((ms for ms, c in rows if c >= got), None)
# Count at each INTERVAL boundary (the last sample at or before it); full intervals only, the last
# one ends when the backlog runs out.
full, prev, edge = [], 0, iv * 1000
while rows and edge <= rows[-1][0] and (done is None or edge <= done):
    c = max((c for ms, c in rows if ms <= edge), default=0)
    full.append((c - prev) / iv); prev, edge = c, edge + iv * 1000
med = st.median(full) if full else 0
low = min(full) if full else 0
print("Backlog: %d messages asked, %d answered 250, queued in %d s; delivered %d" % (count, got, qs, total))
print("Drain time: %s" % ("%.1f s" % (done / 1000) if done is not None else "not finished"))
print("Rate per %d s interval (msg/s): %s" % (iv, ", ".join("%.0f" % x for x in full)))
print("Median %.0f msg/s; lowest full interval %.0f msg/s = %.0f%% of the median (target: none below 80%%)"
      % (med, low, 100 * low / med if med else 0))
print()
print("| process | RSS MB at release | RSS MB at end | growth |")
print("|---|---|---|---|")
for k in rs:
    a, b = int(rs[k]), int(re_.get(k, 0))
    print("| %s | %d | %d | %+.0f%% |" % (k, a, b, 100.0 * (b - a) / a if a else 0))
print()
print("Load average at the end: %s" % sys.argv[8])
PY
