#!/usr/bin/env bash
# bench/milter.sh — what content filtering costs: ingress accept rate with rspamd as a milter
# against no milter, same cluster, same message, same load, in one run. Loopback only, bounded.
#
#   bench/milter.sh                         # ROUNDS=2 of (off, on), COUNT=3000, SESSIONS=20
#   COUNT=5000 SESSIONS=50 ROUNDS=3 bench/milter.sh
#   PORT_OFFSET=7000 bench/milter.sh        # tern-local's ports moved (--port-offset)
#
# One tern-local; the rounds switch rspamd on and off by rewriting its policy file, which the
# services reload live (the `milters:` list, docs/ARCHITECTURE.md "Content filtering (milters)").
# rspamd is Debian's package with its stock rules, a private instance on loopback ports: proxy
# worker with `milter = yes`, two scanner workers (one per core), no redis, DNS to a dead
# loopback port (every DNS rule fails at once rather than leaving the machine). The message is
# smtp-source's 1 KiB one. "accept msg/s" is COUNT over smtp-source's whole run; "accepted" is
# the rise of tern_ingress_messages_accepted_total (rspamd may refuse some). On this 2-core box
# rspamd's scanning shares the cores with Tern, Kafka and the load generator, so the "on" figure
# is the box's rate with a scanner, not Tern's overhead alone. Needs ./mvnw -q install
# -DskipTests first. Writes $OUT/results.md and prints it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
OUT=${OUT:-/tmp/tern-bench-milter}
COUNT=${COUNT:-3000}
SESSIONS=${SESSIONS:-20}
ROUNDS=${ROUNDS:-2}
PORT_OFFSET=${PORT_OFFSET:-0}
PORT_SINK=$((2626 + PORT_OFFSET))
PORT_SMTP=$((2525 + PORT_OFFSET))
PORT_METRICS=$((8081 + PORT_OFFSET))
PORT_MILTER=$((11332 + PORT_OFFSET))
PORT_NORMAL=$((11333 + PORT_OFFSET))
PORT_CONTROLLER=$((11334 + PORT_OFFSET))
bash "$repo/scripts/install-test-tools.sh"
command -v rspamd > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rspamd; }
export PATH="$PATH:/usr/sbin"
rm -rf "$OUT" && mkdir -p "$OUT/rspamd/local/local.d" "$OUT/rspamd/local/override.d" \
  "$OUT/rspamd/run" "$OUT/rspamd/db" "$OUT/rspamd/log"

rs=$OUT/rspamd
cat > "$rs/local/override.d/worker-normal.inc" <<CF
bind_socket = "127.0.0.1:$PORT_NORMAL";
count = 2;
task_timeout = 60s;
CF
cat > "$rs/local/override.d/worker-controller.inc" <<CF
bind_socket = "127.0.0.1:$PORT_CONTROLLER";
count = 1;
CF
cat > "$rs/local/override.d/worker-proxy.inc" <<CF
bind_socket = "127.0.0.1:$PORT_MILTER";
milter = yes;
timeout = 120s;
count = 1;
upstream "local" { default = yes; self_scan = no; hosts = "127.0.0.1:$PORT_NORMAL"; }
CF
echo 'dns { nameserver = ["127.0.0.1:1"]; timeout = 1s; retransmits = 1; }' > "$rs/local/local.d/options.inc"
printf 'type = "file";\nfilename = "%s/rspamd.log";\nlevel = "notice";\n' "$rs" > "$rs/local/override.d/logging.inc"
echo 'enabled = false;' > "$rs/local/local.d/fuzzy_check.conf"
printf 'extended_spam_headers = true;\nskip_local = false;\nskip_authenticated = false;\n' \
  > "$rs/local/local.d/milter_headers.conf"
echo 'greylist = null;' > "$rs/local/local.d/actions.conf"

( exec smtp-sink -u nobody -c "127.0.0.1:$PORT_SINK" 1000 ) > "$OUT/sink.log" 2>&1 &
sink=$!
rspamd -f -i -u root -g root -c /etc/rspamd/rspamd.conf --var "LOCAL_CONFDIR=$rs/local" \
  --var "RUNDIR=$rs/run" --var "DBDIR=$rs/db" --var "LOGDIR=$rs/log" > "$rs/stdout.log" 2>&1 &
scanner=$!
launcher=
trap 'kill $launcher $sink 2>/dev/null; kill $scanner 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 1 240); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT_MILTER") 2>/dev/null && break; sleep 0.5; done

policy() { # on|off
  {
    echo "relay: {local-domains: [], trusted-networks: [127.0.0.0/8]}"
    echo "routes: [{match: \"*.test\", via: \"smtp://127.0.0.1:$PORT_SINK\"}]"
    echo "destinations: {default: {max-connections: 100, max-messages-per-connection: 1000}}"
    echo "retry: [10s, 1m]"
    echo "max-queue-lifetime: 1h"
    if [ "$1" = on ]; then
      echo "milters: [{name: rspamd, address: \"inet:127.0.0.1:$PORT_MILTER\", on-error: tempfail, timeout: 60s, skip-trusted: false}]"
    fi
  } > "$OUT/policy.yaml.new"
  mv "$OUT/policy.yaml.new" "$OUT/policy.yaml"
}
reloads() { grep -c "policy reloaded" "$OUT/tern-data/ingress/ingress.log" 2>/dev/null || true; }
switch() { # on|off: rewrite the policy and wait until ingress has taken it
  local before; before=$(reloads); policy "$1"
  for _ in $(seq 1 60); do [ "$(reloads)" -gt "$before" ] && return 0; sleep 0.5; done
  echo "ingress did not reload the policy" >&2; exit 1
}
policy off
"$repo/tern-local" --data-dir "$OUT/tern-data" --wipe --policy "$OUT/policy.yaml" --port-offset "$PORT_OFFSET" \
  > "$OUT/tern-local.log" 2>&1 &
launcher=$!
for _ in $(seq 1 240); do grep -q "tern-local: ready" "$OUT/tern-local.log" && break; sleep 0.5; done
grep -q "tern-local: ready" "$OUT/tern-local.log" || { cat "$OUT/tern-local.log" >&2; exit 1; }

accepted() { curl -s "127.0.0.1:$PORT_METRICS/q/metrics" | awk '$1 ~ /^tern_ingress_messages_accepted_total/ {s+=$2} END{printf "%d", s}'; }
send() { # count sessions → "msg/s accepted"
  local t0 t1 a0 a1; a0=$(accepted); t0=$(date +%s%3N)
  smtp-source -c -s "$2" -m "$1" -l 1024 -f alice@client.test -t bob@dest.test "127.0.0.1:$PORT_SMTP" \
    > "$OUT/source.log" 2>&1 || true
  t1=$(date +%s%3N); a1=$(accepted)
  awk -v n="$1" -v ms=$((t1 - t0)) -v a=$((a1 - a0)) 'BEGIN{printf "%.1f %d\n", n/(ms/1000), a}'
}
# Warm-up, not recorded: the JIT of ingress on both paths, rspamd's workers.
send 3000 "$SESSIONS" > /dev/null
switch on
send 1000 "$SESSIONS" > /dev/null

results="$OUT/results.md"
{
  echo "Run: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1), $(rspamd --version | head -1), code at $(git -C "$repo" rev-parse --short HEAD)"
  echo
  echo "| rspamd milter | messages | sessions | size B | accept msg/s | accepted | on / off |"
  echo "|---|---|---|---|---|---|---|"
} > "$results"
for _ in $(seq 1 "$ROUNDS"); do
  switch off
  read -r off off_n < <(send "$COUNT" "$SESSIONS")
  switch on
  read -r on on_n < <(send "$COUNT" "$SESSIONS")
  echo "| off | $COUNT | $SESSIONS | 1024 | $off | $off_n | |" | tee -a "$results"
  echo "| on | $COUNT | $SESSIONS | 1024 | $on | $on_n | $(awk -v a="$on" -v b="$off" 'BEGIN{printf "%.2f", a/b}') |" \
    | tee -a "$results"
done
actions=$(curl -s "127.0.0.1:$PORT_METRICS/q/metrics" | grep '^tern_ingress_milter_actions_total' || true)
{ echo; echo "Milter actions at the end:"; echo '```'; echo "$actions"; echo '```'; } >> "$results"
cat "$results"
