#!/usr/bin/env bash
# Installs the Debian test peers the tests and benchmarks use (idempotent; needs root):
#   swaks            - sends test mail over STARTTLS + AUTH in tests
#   postfix          - smtp-source / smtp-sink for benchmarks and load in end-to-end tests
#                      (preseeded "No configuration": the main Postfix instance is never started);
#                      PostfixRelay runs a private instance as an authenticating smarthost
#   sasl2-bin        - Cyrus SASL's saslpasswd2, which writes that relay's user database
#   libsasl2-modules - Cyrus SASL's PLAIN and LOGIN mechanisms for that relay
#   python3-dkim     - dkimpy, the independent verifier of Tern's DKIM signatures in tests, and a
#                      signer whose signatures Tern's DKIM verifier must accept
#   opendkim         - OpenDKIM, a second independent signer, run offline in test mode (opendkim -t)
#   opendkim-tools   - OpenDKIM's key and test utilities (opendkim-genkey, opendkim-testmsg)
#   knot             - Knot DNS, the authoritative DNS server on loopback that DNS tests query (KnotDns)
#   python3-spf      - pyspf (with dnspython), the reference SPF implementation Tern's SPF is checked against
#   rspamd           - the spam scanner whose milter (proxy worker, milter = yes) the milter client is tested against
#   clamav-daemon    - clamd, the virus scanner behind clamav-milter (tests write their own signature database)
#   clamav-milter    - ClamAV's milter, the second real milter of the tests
#   prometheus       - promtool, which checks and unit-tests the alert rules (deploy's PromtoolTest), and the
#                      Prometheus server `tern-local --observe` runs and DashboardQueriesIT queries
# The Java tests install the same packages themselves when missing (DebianTools), so
# `./mvnw verify` also works on a fresh machine; this script just does it up front.
set -euo pipefail
need=()
{ command -v swaks && perl -MIO::Socket::SSL -e1; } >/dev/null 2>&1 || need+=(swaks libnet-ssleay-perl libio-socket-ssl-perl)
[ -x /usr/sbin/smtp-source ] || need+=(postfix)
[ -x /usr/sbin/saslpasswd2 ] || need+=(sasl2-bin)
dpkg -s libsasl2-modules >/dev/null 2>&1 || need+=(libsasl2-modules)
[ -x /usr/bin/dkimverify ] || need+=(python3-dkim)
[ -x /usr/sbin/knotd ] || need+=(knot)
/usr/bin/python3 -c 'import spf, dns.resolver' >/dev/null 2>&1 || need+=(python3-spf python3-dnspython)
[ -x /usr/sbin/opendkim ] || need+=(opendkim)
[ -x /usr/sbin/opendkim-testmsg ] || need+=(opendkim-tools)
[ -x /usr/bin/rspamd ] || need+=(rspamd)
[ -x /usr/sbin/clamd ] || need+=(clamav-daemon)
[ -x /usr/sbin/clamav-milter ] || need+=(clamav-milter)
{ [ -x /usr/bin/promtool ] && [ -x /usr/bin/prometheus ]; } || need+=(prometheus)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-tools: need root to apt-get install ${need[*]}" >&2
  exit 1
fi
echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${need[@]}"
