#!/usr/bin/env bash
# bench/run.sh — Tern next to Postfix on this machine, in the same run, with Postfix's own load
# tools (smtp-source as client, smtp-sink as the remote server). Loopback only, bounded runs.
#
# One run: a warm-up pass for both MTAs (not recorded); the loopback limit (smtp-source straight
# into smtp-sink); then, per row, Postfix and Tern alternate REPEATS times. Printed per row: min /
# median / max end-to-end msg/s for both and the ratio of the medians; for Tern (medians over the
# repeats) the CPU ms per message of each process and their sum (ingress, delivery, bounce, Kafka,
# Infinispan), RSS of each process (at the end of the row, and the peak so far), p50 / p99 of
# end-of-DATA→250 (tern_ingress_data_reply_seconds, 2xx); and how noisy the run was: the spread of
# the repeats ((max-min)/median), the machine's busy share and the 1-minute load average.
#
#   bench/run.sh                                  # every row, REPEATS=3
#   REPEATS=1 ROWS="1024:20" COUNT_1024=3000 bench/run.sh   # a short run: one row, fewer messages
#   SKIP_POSTFIX=1 bench/run.sh                   # Tern only (no ratio)
#   WARMUP=0 bench/run.sh                         # no warm-up pass
#   PORT_OFFSET=7000 bench/run.sh                 # Tern's ports moved (beside another cluster)
#
# ROWS: size:sessions[:reuse] (reuse = smtp-source -d, the connection kept for the next message);
# default: 1 KB and 100 KB at 20 and 100 sessions, one connection per message, plus 1 KB at 20
# sessions with connection reuse. COUNT_<size> messages per run (default 10000 at 1 KB, 3000 at
# 100 KB), WARMUP_COUNT (3000), LOOPBACK_COUNT_<size> (30000 / 10000).
#
# The Postfix reference is the throwaway Postfix relay of postfix-baseline.sh from $SHARED_BENCH
# (default: ../shared/bench beside the repository). Without it the run is Tern only and says so.
# Needs ./mvnw -q install -DskipTests first and the Postfix tools (scripts/install-test-tools.sh).
# Writes $OUT/tern.tsv, $OUT/postfix.tsv, $OUT/loopback.tsv and $OUT/results.md, and prints the last.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
OUT=${OUT:-/tmp/tern-bench}
REPEATS=${REPEATS:-3}
ROWS=${ROWS:-"1024:20 1024:100 102400:20 102400:100 1024:20:reuse"}
shared=${SHARED_BENCH:-$repo/../shared/bench}
rm -rf "$OUT"; mkdir -p "$OUT"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
bash "$repo/scripts/install-test-tools.sh"

postfix=1
if [ -n "${SKIP_POSTFIX:-}" ]; then postfix=
elif [ ! -f "$shared/postfix-baseline.sh" ]; then
  echo "bench: no Postfix reference at $shared (set SHARED_BENCH); running Tern only" >&2; postfix=
fi
count_for() { local v="COUNT_$1"; echo "${!v:-$([ "$1" -le 2048 ] && echo 10000 || echo 3000)}"; }
loop_count() { local v="LOOPBACK_COUNT_$1"; echo "${!v:-$([ "$1" -le 2048 ] && echo 30000 || echo 10000)}"; }
sizes=$(for r in $ROWS; do echo "${r%%:*}"; done | sort -nu | tr '\n' ' ')

# pf MODE SIZE SESSIONS COUNT LABEL REP [smtp-source options] → one postfix-baseline.sh run,
# its result line appended to $OUT/<tsv> with the row label and repeat number.
pf() {
  local mode=$1 size=$2 ses=$3 n=$4 label=$5 rep=$6 tsv=$7; shift 7
  local up=${mode^^}
  env BASE="$OUT/postfix" RESULTS="$OUT/pf-one.tsv" REPEATS=1 MODES="$mode" SIZES="$size" \
    SESSIONS_LIST="$ses" "COUNT_${up}_$size=$n" PORT_IN=$((2625 + PORT_OFFSET)) PORT_SINK="$PORT_SINK" \
    EXTRA_SRC_OPTS="$*" RUN_TIMEOUT="$RUN_TIMEOUT" bash "$shared/postfix-baseline.sh" >> "$OUT/postfix.log" 2>&1 || true
  [ -s "$OUT/pf-one.tsv" ] || return 0
  [ -f "$OUT/$tsv" ] || { printf 'label\t'; head -1 "$OUT/pf-one.tsv"; } > "$OUT/$tsv"
  tail -n +2 "$OUT/pf-one.tsv" | awk -v l="$label" -v r="$rep" 'BEGIN{OFS="\t"} {$5=r; print l, $0}' >> "$OUT/$tsv"
  rm -f "$OUT/pf-one.tsv"
}

echo "== Tern: starting tern-local" >&2
trap 'rc=$?; sink_stop; tern_stop; exit $rc' EXIT
tern_start

if [ "${WARMUP:-1}" != 0 ]; then
  # The JVMs compile their hot paths during the first thousands of messages and Postfix fills its
  # page cache and process pool on its first; an unwarmed first row measures that. Not recorded.
  w=${WARMUP_COUNT:-3000}
  echo "== warm-up: $w x 1 KB, 20 sessions, both MTAs (not recorded)" >&2
  tern_e2e 1024 20 "$w" > "$OUT/warmup.log" || true
  [ -n "$postfix" ] && pf postfix 1024 20 "$w" warmup 0 warmup.tsv
fi

if [ -n "$postfix" ]; then
  for size in $sizes; do
    echo "== loopback limit: smtp-source → smtp-sink, $size B, 20 sessions" >&2
    pf sink "$size" 20 "$(loop_count "$size")" "$size:20" 1 loopback.tsv
  done
fi

for row in $ROWS; do
  IFS=: read -r size ses reuse <<<"$row"
  n=$(count_for "$size"); opts=(); [ -n "$reuse" ] && opts=(-d)
  for rep in $(seq 1 "$REPEATS"); do
    if [ -n "$postfix" ]; then
      echo "== $row repeat $rep: Postfix" >&2
      pf postfix "$size" "$ses" "$n" "$row" "$rep" postfix.tsv "${opts[@]}"
    fi
    echo "== $row repeat $rep: Tern" >&2
    line=$(tern_e2e "$size" "$ses" "$n" "${opts[@]}") || line="accept=NA e2e=NA"
    echo "row=$row rep=$rep count=$n $line" | tee -a "$OUT/tern.kv" >&2
    sleep 2
  done
done

python3 - "$OUT" "$ROWS" > "$OUT/results.md" <<'PY'
import csv, os, statistics as st, sys
out, rows = sys.argv[1], sys.argv[2].split()
def num(x):
    try: return float(x)
    except (TypeError, ValueError): return None
def tsv(name):
    p = os.path.join(out, name)
    return list(csv.DictReader(open(p), delimiter='\t')) if os.path.exists(p) else []
tern = {}
for line in open(os.path.join(out, 'tern.kv')):
    kv = dict(f.split('=', 1) for f in line.split() if '=' in f)
    tern.setdefault(kv['row'], []).append(kv)
pf = {}
for r in tsv('postfix.tsv'): pf.setdefault(r['label'], []).append(r)
def mmm(v):
    v = [x for x in v if x is not None]
    return (min(v), st.median(v), max(v)) if v else None
def fmt(m): return "NA" if m is None else "%.0f / %.0f / %.0f" % m
def spread(m): return "NA" if not m or not m[1] else "%.0f%%" % (100 * (m[2] - m[0]) / m[1])
def med(g, k):
    v = [num(r.get(k)) for r in g]; v = [x for x in v if x is not None]
    return st.median(v) if v else None
procs = ['ingress', 'delivery', 'bounce', 'kafka', 'infinispan']
print("Run: %s on %d cores, %s" % (os.popen('date -u +%Y-%m-%dT%H:%MZ').read().strip(), os.cpu_count(),
      os.popen('java -version 2>&1 | head -1').read().strip()))
print()
loop = tsv('loopback.tsv')
if loop:
    print("Loopback limit (smtp-source → smtp-sink, 20 sessions, same run): " + ", ".join(
        "%s B %.0f msg/s" % (r['size'], float(r['accept_msgs_s'])) for r in loop))
    print()
print("| row | count | Tern e2e msg/s min / med / max | Postfix e2e msg/s min / med / max | ratio of medians | Tern accept msg/s (med) | spread Tern / Postfix |")
print("|---|---|---|---|---|---|---|")
for row in rows:
    g = tern.get(row, []); p = pf.get(row, [])
    t = mmm(num(r.get('e2e')) for r in g); q = mmm(num(r.get('e2e_msgs_s')) for r in p)
    ratio = "%.2f" % (t[1] / q[1]) if t and q and q[1] else "NA"
    acc = med(g, 'accept')
    print("| %s | %s | %s | %s | %s | %s | %s / %s |" % (row, g[0]['count'] if g else '-', fmt(t), fmt(q), ratio,
          "NA" if acc is None else "%.0f" % acc, spread(t), spread(q)))
print()
print("Tern resources (medians over the repeats; RSS at the row's end, peak so far in brackets):")
print()
print("| row | CPU ms/msg ingress / delivery / bounce / Kafka / Infinispan | sum | Postfix CPU ms/msg | end-of-DATA→250 p50 / p99 ms | RSS MB ingress / delivery / bounce / Kafka / Infinispan | machine busy % | load avg (1 min) |")
print("|---|---|---|---|---|---|---|---|")
for row in rows:
    g = tern.get(row, [])
    if not g: continue
    c = [med(g, 'cpu_' + n) for n in procs]
    s = sum(x for x in c if x is not None)
    rss = " / ".join("%d (%d)" % (med(g, 'rss_' + n) or 0, max(num(r.get('hwm_' + n)) or 0 for r in g)) for n in procs)
    pcpu = med(pf.get(row, []), 'pf_cpu_ms_per_msg')
    p50 = "/".join(sorted({r.get('p50_ms', 'NA') for r in g})); p99 = "/".join(r.get('p99_ms', 'NA') for r in g)
    loads = [num(r.get('load1')) for r in g]
    print("| %s | %s | %.2f | %s | %s / %s | %s | %s | %s |" % (row, " / ".join("NA" if x is None else "%.2f" % x for x in c), s,
          "NA" if pcpu is None else "%.2f" % pcpu, p50, p99, rss, "%.0f" % (med(g, 'busy_pct') or 0),
          "%.1f–%.1f" % (min(loads), max(loads))))
print()
print("p99 per repeat, in order; a bucket bound of the 1/2/5/10/20/50/100 ms histogram. Spread: (max − min) / median of the repeats.")
PY
cat "$OUT/results.md"
