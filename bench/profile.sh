#!/usr/bin/env bash
# bench/profile.sh — where the CPU goes: JFR (the JDK's flight recorder, profile settings) on every
# Tern process (ingress, delivery, bounce, Kafka, Infinispan) during one bench row, then the top
# frames of each. Loopback only, bounded runs.
#
#   bench/profile.sh                          # 1 KB, 20 sessions, 10000 messages after a 3000 warm-up
#   SIZE=102400 SESSIONS=100 COUNT=3000 bench/profile.sh
#   TOP=25 bench/profile.sh                   # more frames per table
#   bench/profile.sh --summarize DIR          # only the tables, from the recordings in DIR
#
# Recordings are started with jcmd on the running JVMs after the warm-up, so the JIT's own warm-up
# is not in them. Per process it prints: samples, CPU ms per message over the row, the top
# self frames (the method on top of the stack), the top Tern frames (the first dev.tern frame from
# the top: which Tern code the time is spent under) and the busiest threads. Writes $OUT/*.jfr and
# $OUT/profile.md. Needs ./mvnw -q install -DskipTests first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
OUT=${OUT:-/tmp/tern-profile}
SIZE=${SIZE:-1024}
SESSIONS=${SESSIONS:-20}
COUNT=${COUNT:-10000}
WARMUP_COUNT=${WARMUP_COUNT:-3000}
TOP=${TOP:-15}

summarize() { # dir → markdown tables of every <name>.jfr in dir
  local dir=$1 f
  for f in "$dir"/*.jfr; do
    jfr print --events jdk.ExecutionSample --stack-depth 64 "$f" > "${f%.jfr}.samples.txt"
    python3 - "${f%.jfr}.samples.txt" "$(basename "${f%.jfr}")" "$TOP" <<'PY'
import collections, re, sys
path, name, top = sys.argv[1], sys.argv[2], int(sys.argv[3])
self_, tern, threads = collections.Counter(), collections.Counter(), collections.Counter()
n = 0; stack = None; thread = '?'
for line in open(path):
    s = line.strip()
    if s.startswith('sampledThread'):
        thread = re.sub(r'\d+', 'N', s.split('"')[1]) if '"' in s else s
    elif s.startswith('stackTrace = ['):
        stack = []
    elif stack is not None and s == ']':
        if stack:
            n += 1; threads[thread] += 1; self_[stack[0]] += 1
            t = next((f for f in stack if f.startswith('dev.tern.')), None)
            tern[t or '(no Tern frame)'] += 1
        stack = None
    elif stack is not None and s and s != '...':
        stack.append(re.sub(r'\s+line:.*$', '', s))
def table(title, c):
    print("| %s | samples | share |" % title); print("|---|---|---|")
    for k, v in c.most_common(top): print("| `%s` | %d | %.1f%% |" % (k.replace('|', '\\|'), v, 100.0 * v / max(n, 1)))
    print()
print("### %s (%d samples)\n" % (name, n))
table("self frame", self_); table("first Tern frame", tern); table("thread", threads)
PY
  done
}

if [ "${1:-}" = --summarize ]; then summarize "$2"; exit 0; fi

rm -rf "$OUT"; mkdir -p "$OUT"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
trap 'rc=$?; sink_stop; tern_stop; exit $rc' EXIT
tern_start
echo "== warm-up: $WARMUP_COUNT x 1 KB, 20 sessions (not recorded)" >&2
tern_e2e 1024 20 "$WARMUP_COUNT" > "$OUT/warmup.log" || true
for nm in $PROCS; do
  jcmd "${PID[$nm]}" JFR.start name=bench settings=profile > /dev/null
done
echo "== recorded row: $SIZE B, $SESSIONS sessions, $COUNT messages" >&2
line=$(tern_e2e "$SIZE" "$SESSIONS" "$COUNT")
for nm in $PROCS; do
  jcmd "${PID[$nm]}" JFR.stop name=bench filename="$OUT/$nm.jfr" > /dev/null
done
{
  echo "Profile: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$repo" rev-parse --short HEAD), $SIZE B, $SESSIONS sessions, $COUNT messages, load avg $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "Row: $line"
  echo
  summarize "$OUT"
} > "$OUT/profile.md"
cat "$OUT/profile.md"
