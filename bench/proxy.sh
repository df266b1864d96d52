#!/usr/bin/env bash
# bench/proxy.sh — what the SMTP proxy mode costs: accept rate of one private Postfix (the
# upstream, relaying to smtp-sink) when smtp-source talks to it directly, against the same load
# through Tern's proxy listener, in the same run. Loopback only, bounded runs.
#
#   bench/proxy.sh                          # ROUNDS=2 of (direct, proxy), COUNT=5000, SESSIONS=20
#   COUNT=10000 SESSIONS=50 ROUNDS=3 bench/proxy.sh
#   PORT_OFFSET=7000 bench/proxy.sh         # tern-local's ports moved (--port-offset)
#
# "accept msg/s" is smtp-source's whole run divided into COUNT: every message answered 250 by
# Postfix (through the proxy: Postfix's 250, passed back). The proxy adds Tern's own protocol
# handling, one more TCP hop and the message held in memory before it goes upstream; no milter
# runs (tern.ingress.proxy.milters empty). Tern's Kafka, delivery and bounce run beside it, idle.
# Needs ./mvnw -q install -DskipTests first and root (Postfix's queue belongs to postfix). Writes
# $OUT/results.md and prints it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
OUT=${OUT:-/tmp/tern-bench-proxy}
COUNT=${COUNT:-5000}
SESSIONS=${SESSIONS:-20}
ROUNDS=${ROUNDS:-2}
PORT_OFFSET=${PORT_OFFSET:-0}
PORT_SINK=$((2626 + PORT_OFFSET))
PORT_POSTFIX=$((2628 + PORT_OFFSET))
PORT_PROXY=$((2527 + PORT_OFFSET))
bash "$repo/scripts/install-test-tools.sh"
export PATH="$PATH:/usr/sbin"
rm -rf "$OUT" && mkdir -p "$OUT/postfix/conf"
chmod 755 "$OUT" "$OUT/postfix"

# The upstream: a private Postfix, the gateway of example.org knowing bob, relaying to smtp-sink
# (the same set-up as the tests' PostfixRelay.destination).
pf=$OUT/postfix
cat > "$pf/conf/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
maillog_file = $pf/maillog
maillog_file_prefixes = $pf
mail_owner = postfix
setgid_group = postdrop
myhostname = upstream.bench.test
mydestination =
mynetworks =
alias_maps =
alias_database =
local_recipient_maps =
notify_classes =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
relayhost = [127.0.0.1]:$PORT_SINK
relay_domains = example.org
relay_recipient_maps = inline:{ bob@example.org=ok }
smtpd_relay_restrictions = reject_unauth_destination
smtpd_authorized_xforward_hosts = 127.0.0.0/8
default_process_limit = 200
CF
cat > "$pf/conf/master.cf" <<CF
127.0.0.1:$PORT_POSTFIX inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CF
for d in active bounce corrupt defer deferred flush hold incoming maildrop private public saved trace; do
  mkdir -p "$pf/queue/$d" && chown postfix "$pf/queue/$d"
done
chgrp postdrop "$pf/queue/maildrop" "$pf/queue/public"
mkdir -p "$pf/queue/pid" "$pf/data" && chown postfix "$pf/data"

( exec smtp-sink -u postfix -c "127.0.0.1:$PORT_SINK" 1000 ) > "$OUT/sink.log" 2>&1 &
sink=$!
setsid /usr/lib/postfix/sbin/master -c "$pf/conf" -d > "$pf/master.out" 2>&1 &
master=$!
launcher=
trap 'kill $launcher $sink 2>/dev/null; kill -TERM -- -$master 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 1 120); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT_POSTFIX") 2>/dev/null && break; sleep 0.5; done

TERN_INGRESS_PROXY_LISTEN=$PORT_PROXY TERN_INGRESS_PROXY_UPSTREAM=smtp://127.0.0.1:$PORT_POSTFIX \
  "$repo/tern-local" --data-dir "$OUT/tern-data" --wipe --policy "$here/policy.yaml" --port-offset "$PORT_OFFSET" \
  > "$OUT/tern-local.log" 2>&1 &
launcher=$!
for _ in $(seq 1 240); do grep -q "tern-local: ready" "$OUT/tern-local.log" && break; sleep 0.5; done
grep -q "tern-local: ready" "$OUT/tern-local.log" || { cat "$OUT/tern-local.log" >&2; exit 1; }

send() { # port count sessions → "msg/s refused"
  local t0 t1 log="$OUT/source-$1.log"; t0=$(date +%s%3N)
  smtp-source -c -s "$3" -m "$2" -l 1024 -f alice@client.test -t bob@example.org "127.0.0.1:$1" > "$log" 2>&1 || true
  t1=$(date +%s%3N)
  awk -v n="$2" -v ms=$((t1 - t0)) 'BEGIN{printf "%.1f", n/(ms/1000)}'
}
# Warm-up, not recorded: the JIT of Tern's ingress, Postfix's process pool.
send "$PORT_PROXY" 3000 "$SESSIONS" > /dev/null
send "$PORT_POSTFIX" 1000 "$SESSIONS" > /dev/null

results="$OUT/results.md"
{
  echo "Run: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1), code at $(git -C "$repo" rev-parse --short HEAD)"
  echo
  echo "| path | messages | sessions | size B | accept msg/s | proxy / direct |"
  echo "|---|---|---|---|---|---|"
} > "$results"
for _ in $(seq 1 "$ROUNDS"); do
  direct=$(send "$PORT_POSTFIX" "$COUNT" "$SESSIONS")
  proxied=$(send "$PORT_PROXY" "$COUNT" "$SESSIONS")
  echo "| direct to Postfix | $COUNT | $SESSIONS | 1024 | $direct | |" | tee -a "$results"
  echo "| through Tern's proxy | $COUNT | $SESSIONS | 1024 | $proxied | $(awk -v a="$proxied" -v b="$direct" 'BEGIN{printf "%.2f", a/b}') |" \
    | tee -a "$results"
done
relayed=$(curl -s "127.0.0.1:$((8081 + PORT_OFFSET))/q/metrics" \
  | awk '$1 ~ /^tern_ingress_proxy_messages_total\{outcome="relayed"/ {s+=$2} END{printf "%d", s}')
{ echo; echo "Relayed through the proxy (tern_ingress_proxy_messages_total{outcome=\"relayed\"}): $relayed"; } >> "$results"
cat "$results"
