#!/usr/bin/env bash
# CrowdSec's replay mode on the same file, offline, for comparison with `npm run replay`.
#
#   bench/crowdsec-replay.sh /tmp/auth.log
#
# Needs Debian's crowdsec package (apt-get install --no-install-recommends crowdsec), which ships
# an offline snapshot of the hub (sshd parsers, ssh-bf / ssh-slow-bf scenarios). Offline, its
# post-install step cannot register with the Central API; writing any line to
# /etc/crowdsec/online_api_credentials.yaml and running `dpkg --configure crowdsec` completes it
# without registering (see /usr/share/doc/crowdsec/README.Debian). In 1.4, replay still needs a
# local API to take the alerts, so this runs one in-process on a scratch config and database in
# a temporary directory (port 18080, no Central API, no metrics), leaving /etc/crowdsec alone.
set -euo pipefail
log=$(readlink -f "${1:?usage: crowdsec-replay.sh <auth.log>}")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed -e 's/daemonize: true/daemonize: false/' -e 's/log_media: file/log_media: stdout/' \
  -e "s#db_path: .*#db_path: $dir/crowdsec.db#" \
  -e "s#credentials_path: /etc/crowdsec/local_api_credentials.yaml#credentials_path: $dir/lapi.yaml#" \
  -e 's/listen_uri: 127.0.0.1:8080/listen_uri: 127.0.0.1:18080/' \
  -e '/online_client:/,+1d' -e '/^prometheus:/,+1s/enabled: true/enabled: false/' \
  /etc/crowdsec/config.yaml > "$dir/config.yaml"
cscli -c "$dir/config.yaml" --error machines add replay --auto -f "$dir/lapi.yaml" --force
start=$(date +%s.%N)
crowdsec -c "$dir/config.yaml" -dsn "file://$log" -type syslog > "$dir/out.log" 2>&1
end=$(date +%s.%N)
echo "crowdsec -dsn file://$log -type syslog: $(echo "$end - $start" | bc) s"
grep -o "Ip [^ ]* performed '[^']*'" "$dir/out.log" | awk '{print $4}' | sort | uniq -c
grep -o "Ip [^ ]* performed" "$dir/out.log" | awk '{print $2}' | sort -u > "${CROWDSEC_IPS:-/dev/null}"
echo "distinct addresses with an ssh alert: $(grep -o "Ip [^ ]* performed" "$dir/out.log" | awk '{print $2}' | sort -u | wc -l)"
