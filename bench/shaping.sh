#!/usr/bin/env bash
# bench/shaping.sh — issue 6's ceiling: the highest rate one shaped destination sustains across
# two delivery processes sharing one Infinispan server, and Hot Rod requests per message, at
# several configured limits (dev.tern.local.launcher.bench.ShapingBenchmark). Each limit gets a
# fresh local cluster whose queue is filled through ingress before the measured delivery starts:
# START=warm (default) has both delivery processes deliver a warm-up batch, then the sink holds
# every MAIL while the backlog is fed, then lets go; START=cold feeds with delivery stopped and
# starts both processes into the backlog. The sink's arrivals are timed over the window in which
# both processes deliver. Loopback only; every process it starts is stopped when it ends.
#
#   bench/shaping.sh
#   LIMITS="1000,unlimited" MESSAGES=30000 CONNECTIONS=10 bench/shaping.sh
#   START=cold REPEATS=2 OUT=/tmp/shaping bench/shaping.sh
#
# Needs ./mvnw -q install -DskipTests first (it compiles the benchmark with the test classes).
# Prints a markdown table and writes it to $OUT/shaping.md; progress goes to $OUT/shaping.log,
# and one CSV per run (every 200 ms: sink count, per-process deliveries, Hot Rod requests,
# connections, leases, fallback, CPU) to $OUT/timelines/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
OUT=${OUT:-/tmp/tern-bench}
target="$repo/local/launcher/target"
if [[ ! -d "$target/test-classes/dev/tern/local/launcher/bench" || ! -f "$target/launcher.classpath" ]]; then
  echo "shaping.sh: not built yet; run ./mvnw -q install -DskipTests first" >&2
  exit 2
fi
mkdir -p "$OUT"
cd "$repo"
{
  echo "Run: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB," \
    "$(uname -r), $(java -version 2>&1 | head -1)"
  echo
  # This checkout's own modules first: launcher.classpath names the jars in ~/.m2, which another
  # checkout's install may have replaced since.
  java -Xmx1g -cp "$target/test-classes:$target/classes:$repo/local/runtime/target/classes:$repo/local/testkit/target/classes:$repo/common/target/classes:$repo/smtp/target/classes:$(cat "$target/launcher.classpath")" \
    -Dtern.bench.start="${START:-warm}" \
    -Dtern.bench.warm-up-messages="${WARM_UP_MESSAGES:-40000}" \
    -Dtern.bench.limits="${LIMITS:-500,1000,2000,unlimited}" \
    -Dtern.bench.messages="${MESSAGES:-20000}" \
    -Dtern.bench.seconds="${SECONDS_AT_LIMIT:-30}" \
    -Dtern.bench.unlimited-messages="${UNLIMITED_MESSAGES:-60000}" \
    -Dtern.bench.connections="${CONNECTIONS:-20}" \
    -Dtern.bench.messages-per-connection="${MESSAGES_PER_CONNECTION:-100}" \
    -Dtern.bench.size="${SIZE:-1024}" \
    -Dtern.bench.sessions="${SESSIONS:-32}" \
    -Dtern.bench.partitions="${PARTITIONS:-4}" \
    -Dtern.bench.settle="${SETTLE:-3s}" \
    -Dtern.bench.repeats="${REPEATS:-1}" \
    -Dtern.bench.timeline-dir="$OUT/timelines" \
    dev.tern.local.launcher.bench.ShapingBenchmark 2> >(tee "$OUT/shaping.log" >&2)
} | tee "$OUT/shaping.md"
