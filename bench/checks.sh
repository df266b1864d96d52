#!/usr/bin/env bash
# bench/checks.sh — what the edge checks cost: ingress accept rate with every check on against
# every check off, same message, same load, DNS cache warm. Loopback only, bounded runs.
#
#   bench/checks.sh                       # ROUNDS=2 of (off, on), COUNT=5000, SESSIONS=20
#   COUNT=10000 SESSIONS=100 ROUNDS=3 bench/checks.sh
#   ALG=ed25519-sha256 bench/checks.sh    # DKIM algorithm of the test message (default rsa-sha256,
#                                         # what nearly all signed mail uses; RSA 2048-bit key)
#   PORT_OFFSET=7000 bench/checks.sh      # tern-local's ports moved (--port-offset), e.g. beside a
#                                         # cluster already on the default ports
#
# Two figures per run: the accept rate of the whole box, and the CPU the ingress process spent
# per accepted message over the measured run (user + system, from /proc). On one shared 2-core
# box the first mixes in Kafka, delivery and the load generator; the second is what the checks
# cost ingress itself, the figure to size ingress pods by.
#
# The DNS is a real knotd on a free loopback port serving genuine.test (SPF, DKIM key, DMARC
# p=reject, Sender ID) and a DNS block list zone. The message is DKIM-signed once by dkimpy and
# sent COUNT times by Postfix's smtp-source (-F), so every copy is fully verified: SPF, DKIM,
# DMARC, Sender ID, the block list, the recipients file and greylisting (its triplet passed once
# before the measured runs; ingress then remembers the pass and reads Infinispan again only when
# the triplet is due for a refresh, as any steady sender's would be). Needs
# ./mvnw -q install -DskipTests first. Writes $OUT/results.md and prints it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
OUT=${OUT:-/tmp/tern-bench-checks}
COUNT=${COUNT:-5000}
SESSIONS=${SESSIONS:-20}
ROUNDS=${ROUNDS:-2}
ALG=${ALG:-rsa-sha256}
PORT_OFFSET=${PORT_OFFSET:-0}
PORT_SINK=$((2626 + PORT_OFFSET))
PORT_SMTP=$((2525 + PORT_OFFSET))
PORT_METRICS=$((8081 + PORT_OFFSET))
bash "$repo/scripts/install-test-tools.sh"
export PATH="$PATH:/usr/sbin"
rm -rf "$OUT" && mkdir -p "$OUT/knot"

dns_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if [ "$ALG" = ed25519-sha256 ]; then
  openssl genpkey -algorithm ed25519 -out "$OUT/dkim.pem" 2>/dev/null
  signing_key=$(openssl pkey -in "$OUT/dkim.pem" -outform DER | tail -c 32 | base64 -w0)   # dkimpy: the seed
  key_record="v=DKIM1; k=ed25519; p=$(openssl pkey -in "$OUT/dkim.pem" -pubout -outform DER | tail -c 32 | base64 -w0)"
else
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$OUT/dkim.pem" 2>/dev/null
  signing_key=$(cat "$OUT/dkim.pem")
  key_record="v=DKIM1; k=rsa; p=$(openssl pkey -in "$OUT/dkim.pem" -pubout -outform DER | base64 -w0)"
fi
# A TXT character-string holds at most 255 bytes: split the record as publishers do.
key_txt=$(printf '%s' "$key_record" | fold -w 250 | sed 's/.*/"&"/' | paste -sd' ')
cat > "$OUT/knot/genuine.test.zone" <<ZONE
\$ORIGIN genuine.test.
\$TTL 3600
@ SOA ns admin 1 3600 600 86400 3600
@ NS ns
ns A 127.0.0.1
@ TXT "v=spf1 ip4:127.0.0.0/8 -all"
@ TXT "spf2.0/pra ip4:127.0.0.0/8 -all"
_dmarc TXT "v=DMARC1; p=reject"
sel._domainkey TXT $key_txt
ZONE
cat > "$OUT/knot/bl.bench.zone" <<ZONE
\$ORIGIN bl.bench.
\$TTL 3600
@ SOA ns admin 1 3600 600 86400 3600
@ NS ns
ns A 127.0.0.1
2.0.0.127 A 127.0.0.2
ZONE
cat > "$OUT/knot/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$dns_port
    rundir: $OUT/knot
database:
    storage: $OUT/knot
template:
  - id: default
    storage: $OUT/knot
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: genuine.test
    file: $OUT/knot/genuine.test.zone
  - domain: bl.bench
    file: $OUT/knot/bl.bench.zone
CONF
knotd -c "$OUT/knot/knot.conf" > "$OUT/knot/knotd.log" 2>&1 &
knot=$!
launcher=
trap 'kill $launcher $knot 2>/dev/null; wait 2>/dev/null' EXIT

/usr/bin/python3 - "$OUT/message.eml" "$signing_key" "$ALG" <<'PY'
import sys, dkim
body = b"".join(b"line %d of a message that is about one kilobyte long, signed once\r\n" % i for i in range(14))
msg = (b"From: CEO <ceo@genuine.test>\r\nTo: bob@example.org\r\nSubject: checks benchmark\r\n"
       b"Message-ID: <bench@genuine.test>\r\n\r\n" + body)
sig = dkim.sign(msg, b"sel", b"genuine.test", sys.argv[2].encode(), signature_algorithm=sys.argv[3].encode(),
                include_headers=[b"from", b"to", b"subject", b"message-id"])
open(sys.argv[1], "wb").write((sig + msg).replace(b"\r\n", b"\n"))
PY
echo "bob@example.org" > "$OUT/recipients.txt"
common="relay:
  local-domains: [example.org]
routes:
  - match: example.org
    via: smtp://127.0.0.1:$PORT_SINK
destinations:
  default: {max-connections: 20, max-messages-per-connection: 1000}
retry: [1m]"
echo "$common" > "$OUT/policy-off.yaml"
cat > "$OUT/policy-on.yaml" <<POLICY
$common
checks:
  authserv-id: mx.bench.test
  spf: {}
  sender-id: {}
  dkim: {}
  dmarc: {}
  dnsbl:
    zones: [{zone: bl.bench}]
  greylisting: {delay: 1s, retry-window: 1h}
POLICY
sed -i "s|^  local-domains: \[example.org\]|  local-domains: [example.org]\n  recipients: $OUT/recipients.txt|" "$OUT/policy-on.yaml"

( exec smtp-sink -u postfix -c "127.0.0.1:$PORT_SINK" 1000 ) > "$OUT/sink.log" 2>&1 &
sink=$!
trap 'kill $launcher $knot $sink 2>/dev/null; wait 2>/dev/null' EXIT

accepted() { curl -s "127.0.0.1:$PORT_METRICS/q/metrics" | awk '$1 ~ /^tern_ingress_messages_accepted_total/ {s+=$2} END{printf "%d", s}'; }
send() { # count sessions → accept msg/s (until smtp-source has its last reply)
  local t0 t1; t0=$(date +%s%3N)
  smtp-source -c -s "$2" -m "$1" -F "$OUT/message.eml" -f ceo@genuine.test -t bob@example.org "127.0.0.1:$PORT_SMTP" \
    > /dev/null 2>&1 || true
  t1=$(date +%s%3N)
  awk -v n="$1" -v ms=$((t1 - t0)) 'BEGIN{printf "%.1f", n/(ms/1000)}'
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system, in clock ticks
jit_ticks() { # the same, of the JIT compiler threads only
  local t sum=0
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm")" in C1\ Compiler*|C2\ Compiler*) sum=$((sum + $(awk '{print $14 + $15}' "$t/stat"))) ;; esac
  done
  echo "$sum"
}
run() { # mode → one line
  local mode=$1
  TERN_DNS_SERVERS=127.0.0.1:$dns_port "$repo/tern-local" --data-dir "$OUT/data-$mode" --wipe \
    --policy "$OUT/policy-$mode.yaml" --port-offset "$PORT_OFFSET" > "$OUT/tern-$mode.log" 2>&1 &
  launcher=$!
  for _ in $(seq 1 240); do grep -q "tern-local: ready" "$OUT/tern-$mode.log" && break; sleep 0.5; done
  grep -q "tern-local: ready" "$OUT/tern-$mode.log" || { cat "$OUT/tern-$mode.log" >&2; exit 1; }
  # Greylisting: the triplet's first attempt is deferred; one retry after the delay passes it.
  send 1 1 > /dev/null; sleep 1.5
  local ingress; ingress=$(pgrep -f "quarkus.http.port=$PORT_METRICS" | head -1)
  # Warm-up (DNS cache, greylist pass, JIT), not recorded: rounds of 3,000 messages until the JIT
  # compilers take under 10% of ingress's CPU, at most 30 rounds. On two busy cores C2 needs some
  # 40,000 messages to settle (the accept rate then doubles), and a measurement before that is
  # mostly compile time.
  local warm=0 cpu0 jit0 cpu1 jit1
  while [ "$warm" -lt 30 ]; do
    cpu0=$(cpu_ticks "$ingress"); jit0=$(jit_ticks "$ingress")
    send 3000 "$SESSIONS" > /dev/null
    cpu1=$(cpu_ticks "$ingress"); jit1=$(jit_ticks "$ingress")
    warm=$((warm + 1))
    [ $(( (jit1 - jit0) * 10 )) -lt $((cpu1 - cpu0)) ] && break
  done
  local before; before=$(accepted)
  cpu0=$(cpu_ticks "$ingress"); jit0=$(jit_ticks "$ingress")
  local rate; rate=$(send "$COUNT" "$SESSIONS")
  cpu1=$(cpu_ticks "$ingress"); jit1=$(jit_ticks "$ingress")
  local got=$(( $(accepted) - before ))
  local per; per=$(awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v n="$got" 'BEGIN{printf "%.2f", t*1000/hz/n}')
  local jit; jit=$(awk -v t=$((jit1 - jit0)) -v hz="$(getconf CLK_TCK)" -v n="$got" 'BEGIN{printf "%.2f", t*1000/hz/n}')
  echo "| $mode | $((warm * 3000)) | $COUNT | $SESSIONS | $rate | $per | $jit | $got/$COUNT |"
  kill $launcher; wait $launcher 2>/dev/null || true
  launcher=
}

results="$OUT/results.md"
{
  echo "Run: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1), code at $(git -C "$repo" rev-parse --short HEAD), DKIM $ALG"
  echo
  echo "| checks | warm-up messages | messages | sessions | accept msg/s | ingress CPU ms/msg | of which JIT | accepted (250) |"
  echo "|---|---|---|---|---|---|---|---|"
} > "$results"
for _ in $(seq 1 "$ROUNDS"); do
  run off | tee -a "$results"
  run on | tee -a "$results"
done
echo >> "$results"
cat "$results"
