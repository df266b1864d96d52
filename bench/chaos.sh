#!/usr/bin/env bash
# bench/chaos.sh — issue 14's chaos table: starts the --ha cluster (three Kafka nodes, two
# Infinispan servers, two of each service; the same LocalCluster code as ./tern-local --ha), then
# runs each fault case under steady load — a Java SMTP client recording every 250 by unique
# Message-ID, and Postfix's smtp-source beside it — restarts what the case killed, and counts at a
# real SMTP sink what was delivered, duplicated and lost (dev.tern.local.launcher.chaos.ChaosRunner).
# A case passes only with 0 lost and duplicates within the SMTP transactions in flight at the fault.
# Loopback only; every process it starts is stopped when it ends; every wait is bounded.
#
#   bench/chaos.sh
#   CASES=delivery-kill,remote-421 MESSAGES=200 OUT=/tmp/chaos bench/chaos.sh
#
# Needs ./mvnw -q install -DskipTests first (it runs the runner from the test classes).
# Prints the markdown table and writes it to $OUT/chaos.md; progress goes to $OUT/chaos.log.
# Exit status 1 if any case failed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
OUT=${OUT:-/tmp/tern-chaos}
target="$repo/local/launcher/target"
if [[ ! -d "$target/test-classes/dev/tern/local/launcher/chaos" || ! -f "$target/launcher.classpath" ]]; then
  echo "chaos.sh: not built yet; run ./mvnw -q install -DskipTests first" >&2
  exit 2
fi
mkdir -p "$OUT"
cd "$repo"
header="Run: $(date -u +%Y-%m-%dT%H:%MZ) at $(git rev-parse --short HEAD) on $(nproc) cores, \
$(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r), $(java -version 2>&1 | head -1)"
status=0
# This checkout's own modules first: launcher.classpath names the jars in ~/.m2, which another
# checkout's install may have replaced since.
java -Xmx1g -cp "$target/test-classes:$target/classes:$repo/local/runtime/target/classes:$repo/local/testkit/target/classes:$repo/common/target/classes:$repo/smtp/target/classes:$(cat "$target/launcher.classpath")" \
  -Dtern.chaos.cases="${CASES:-}" \
  -Dtern.chaos.messages="${MESSAGES:-400}" \
  -Dtern.chaos.sessions="${SESSIONS:-8}" \
  -Dtern.chaos.background="${BACKGROUND:-100}" \
  -Dtern.chaos.out="$OUT/chaos.table" \
  dev.tern.local.launcher.chaos.ChaosRunner > /dev/null 2> >(tee "$OUT/chaos.log" >&2) || status=$?
{ echo "$header"; echo; cat "$OUT/chaos.table" 2>/dev/null || echo "(no table: the runner failed, see $OUT/chaos.log)"; } \
  | tee "$OUT/chaos.md"
exit $status
