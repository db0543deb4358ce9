#!/usr/bin/env bash
# Makes test/corpus/sshd/openssh-*-loopback-attacks.log: a real sshd (Debian's openssh-server)
# on a loopback port with its own config, host key and AuthorizedKeysFile, attacked by hydra,
# nmap's ssh scripts and sshpass, with legitimate logins beside them. sshd logs through syslog
# (with pids, and pam_unix's lines), so it runs in a private mount namespace whose /dev/log is
# a syslog-ng of its own writing to a file: nothing system-wide is started or changed, except
# a test user (created here, deleted at the end). Root, loopback only, about a minute.
# usage: sudo bash scripts/capture-sshd-corpus.sh <out.log> [port]
# QUICK=1: fewer user names and passwords and a shorter nmap time limit (the e2e test).
set -euo pipefail
out=$(realpath "${1:?usage: capture-sshd-corpus.sh <out.log> [port]}")
port=${2:-44022}
user=soccorpus$$
work=$(mktemp -d)
cleanup() {
  [ -f "$work/sshd.pid" ] && kill "$(cat "$work/sshd.pid")" 2>/dev/null || true
  [ -f "$work/sng.pid" ] && kill "$(cat "$work/sng.pid")" 2>/dev/null || true
  userdel "$user" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
ssh-keygen -q -t ed25519 -N '' -f hostkey
ssh-keygen -q -t ed25519 -N '' -f clientkey
cp clientkey.pub authorized_keys
for i in 1 2 3 4 5 6 7; do ssh-keygen -q -t ed25519 -N '' -f "k$i"; done
if [ "${QUICK:-0}" = 1 ]; then
  printf 'root\nadmin\n' > users
  printf '123456\npassword\nqwerty\n' > pass
  limit=20s
else
  printf 'root\nadmin\noracle\ntest\nubuntu\n' > users
  printf '123456\npassword\nadmin\nroot\nqwerty\nletmein\ntoor\nchangeme\n' > pass
  limit=60s
fi
password="Corr3ct-Horse-$$"
useradd -M -s /bin/sh "$user"
echo "$user:$password" | chpasswd
mkdir -p /run/sshd dev
cat > sshd_config <<CFG
ListenAddress 127.0.0.1
ListenAddress ::1
HostKey $work/hostkey
PidFile none
UsePAM yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AuthorizedKeysFile $work/authorized_keys
StrictModes no
MaxStartups 100:30:200
CFG
cat > syslog-ng.conf <<CFG
@version: 3.38
options { keep-hostname(no); use-dns(no); chain-hostnames(no); };
source s { unix-dgram("$work/dev/log"); };
destination d { file("$out"); };
log { source(s); destination(d); };
CFG
syslog-ng -F -f syslog-ng.conf --persist-file="$work/sng.persist" --pidfile="$work/sng.pid" --control="$work/sng.ctl" &
sleep 1
# sshd in a mount namespace of its own, /dev replaced by a copy whose log is syslog-ng's socket.
unshare -m --propagation private bash -c "
  for n in null zero urandom random tty ptmx full; do touch dev/\$n; mount --bind /dev/\$n dev/\$n; done
  mkdir -p dev/pts dev/shm; mount --bind /dev/pts dev/pts; mount --bind /dev/shm dev/shm
  mount --rbind $work/dev /dev
  exec /usr/sbin/sshd -D -f $work/sshd_config -p $port" &
echo $! > sshd.pid
sleep 1
O="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p $port"
for i in 1 2 3; do sshpass -p "$password" ssh -b 127.0.0.9 $O -o PreferredAuthentications=password "$user@127.0.0.1" true; done
ssh -b 127.0.0.11 -i clientkey $O root@127.0.0.1 true
sshpass -p "${password}x" ssh -b 127.0.0.10 $O -o PreferredAuthentications=password "$user@127.0.0.1" true || true
sshpass -p "$password" ssh -b 127.0.0.10 $O -o PreferredAuthentications=password "$user@127.0.0.1" true
for p in a b c d e f; do sshpass -p "wrong$p" ssh -b 127.0.0.2 $O -o PreferredAuthentications=password "$user@127.0.0.1" true || true; done
for u in root admin oracle; do sshpass -p x ssh -b 127.0.0.2 $O -o PreferredAuthentications=password "$u@127.0.0.1" true || true; done
timeout 120 hydra -L users -P pass -t 4 -s "$port" -I "ssh://127.0.0.1" >/dev/null 2>&1 || true
timeout 200 nmap -6 -sV -Pn -p "$port" --script ssh-brute,ssh-auth-methods,ssh2-enum-algos \
  --script-args "userdb=$work/users,passdb=$work/pass,unpwdb.timelimit=$limit,ssh-auth-methods.username=root" ::1 >/dev/null || true
timeout 3 socat -u /dev/null "TCP:127.0.0.1:$port,bind=127.0.0.4" || true
printf 'GET / HTTP/1.0\r\n\r\n' | timeout 3 socat - "TCP:127.0.0.1:$port,bind=127.0.0.4" >/dev/null || true
printf 'SSH-1.5-OldClient\r\n' | timeout 3 socat - "TCP:127.0.0.1:$port,bind=127.0.0.4" >/dev/null || true
ssh -b 127.0.0.5 $O -o KexAlgorithms=diffie-hellman-group1-sha1 x@127.0.0.1 true || true
ssh -b 127.0.0.5 $O -o HostKeyAlgorithms=ssh-dss x@127.0.0.1 true || true
ssh -b 127.0.0.5 $O -o Ciphers=3des-cbc x@127.0.0.1 true || true
ssh -b 127.0.0.6 $O -o IdentitiesOnly=yes -o PreferredAuthentications=publickey \
  -i k1 -i k2 -i k3 -i k4 -i k5 -i k6 -i k7 root@127.0.0.1 true || true
sshpass -p toor ssh -b 127.0.0.8 $O -o PreferredAuthentications=password root@127.0.0.1 true || true
sleep 3
