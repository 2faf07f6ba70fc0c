#!/usr/bin/env bash
# POP3 RETR benchmark: one poplib session retrieving every message of a 5,000-message Maildir
# (about 46 MB, 9.2 KB each) from Mailhive, then the identical Maildir from Dovecot 2.3, RUNS times.
#
#   bench/pop3_retr.sh [DISTRIBUTION]     (default: runtime/target/mailhive beside this script)
#
# Environment: RUNS (3), MESSAGES (5000), SIZE (9200 bytes per message), JAVA_OPTS (-Xmx512m),
# KEEP=1 keeps the work directory. Needs python3 and Debian's dovecot-pop3d. Loopback only;
# runs as root (Dovecot then serves the mailbox as nobody) or as a normal user.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dist=$(cd "${1:-$here/../runtime/target/mailhive}" && pwd)
runs=${RUNS:-3}
messages=${MESSAGES:-5000}
size=${SIZE:-9200}
[ -x "$dist/bin/mailhive" ] || { echo "no Mailhive distribution at $dist" >&2; exit 2; }
command -v dovecot >/dev/null || { echo "dovecot not found: install Debian's dovecot-pop3d" >&2; exit 2; }
[ -x /usr/lib/dovecot/pop3 ] || { echo "Dovecot's pop3 service is missing: install dovecot-pop3d" >&2; exit 2; }

work=$(mktemp -d /tmp/pop3-bench.XXXXXX)
mailhive_pid=
dovecot_pid=
cleanup() {
    set +e
    [ -n "$mailhive_pid" ] && kill "$mailhive_pid" 2>/dev/null && wait "$mailhive_pid" 2>/dev/null
    [ -n "$dovecot_pid" ] && kill "$dovecot_pid" 2>/dev/null && wait "$dovecot_pid" 2>/dev/null
    if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# waits until the user can log in over POP3 (the listener may greet before users are loaded),
# or the server process is gone. That first login also builds each server's UID index of the
# 5,000 files (Mailhive's and Dovecot's dovecot-uidlist), so the timed runs measure RETR only.
await_login() {
    local port=$1 pid=$2 log=$3
    for _ in $(seq 1 600); do
        if ! kill -0 "$pid" 2>/dev/null; then echo "server exited; its log:" >&2; tail -20 "$log" >&2; exit 1; fi
        if python3 -c "
import poplib
p = poplib.POP3('127.0.0.1', $port, timeout=5)
p.user('alice@localhost'); p.pass_('secret'); p.quit()" 2>/dev/null; then return; fi
        sleep 0.1
    done
    echo "no POP3 login on port $port within 60 s" >&2; tail -20 "$log" >&2; exit 1
}

echo "generating $messages messages of about $size bytes..."
python3 "$here/pop3_gen_maildir.py" "$work/template/Maildir" "$messages" "$size"
bytes=$(cat "$work"/template/Maildir/new/* | wc -c)
echo "maildir: $messages files, $bytes bytes on disk (LF line ends)"

# --- Mailhive: the shipped configuration with every listener moved to a free loopback port
mh_config=$work/mailhive/config
mh_data=$work/mailhive/data
mkdir -p "$mh_config" "$mh_data/mail/localhost/alice"
cp "$dist"/config/* "$mh_config"/
for cfg in "$mh_config"/org.mailhive.*.listener[-~]*.cfg; do
    sed -i -e "s/^port *=.*/port = $(free_port)/" -e 's/^bind *=.*/bind = 127.0.0.1/' "$cfg"
done
mh_port=$(sed -n 's/^port *= *//p' "$mh_config"/org.mailhive.pop3.listener[-~]pop3.cfg)
printf 'alice@localhost:{PLAIN}secret\n' > "$mh_config/users"
cp -a "$work/template/Maildir" "$mh_data/mail/localhost/alice/Maildir"
JAVA_OPTS=${JAVA_OPTS:--Xmx512m} "$dist/bin/mailhive" --config "$mh_config" --data "$mh_data" run \
    > "$work/mailhive.console" 2>&1 &
mailhive_pid=$!

# --- Dovecot 2.3 with a throwaway configuration: pop3 only, passwd-file, the same Maildir copied
dv=$work/dovecot
mkdir -p "$dv/run" "$dv/state" "$dv/home/alice"
cp -a "$work/template/Maildir" "$dv/home/alice/Maildir"
dv_port=$(free_port)
if [ "$(id -u)" = 0 ]; then
    mail_user=nobody
    mail_group=$(id -gn nobody)
    chown -R "$mail_user:$mail_group" "$dv/home"
    chmod 755 "$work" "$dv"
    users=""
else
    mail_user=$(id -un)
    mail_group=$(id -gn)
    # Dovecot unprivileged: every service and socket belongs to the invoking user, no chroot
    users="default_internal_user = $mail_user
default_internal_group = $mail_group
default_login_user = $mail_user
service anvil {
  chroot =
}
service pop3-login {
  chroot =
}"
fi
printf 'alice@localhost:{PLAIN}secret\n' > "$dv/passwd"
cat > "$dv/dovecot.conf" <<CONF
protocols = pop3
listen = 127.0.0.1
base_dir = $dv/run
state_dir = $dv/state
log_path = $dv/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
$users
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN $dv/passwd
}
userdb {
  driver = static
  args = uid=$mail_user gid=$mail_group home=$dv/home/%n
}
mail_location = maildir:~/Maildir
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $dv_port
  }
  inet_listener pop3s {
    port = 0
  }
}
CONF
dovecot -F -c "$dv/dovecot.conf" > "$dv/dovecot.console" 2>&1 &
dovecot_pid=$!

await_login "$mh_port" "$mailhive_pid" "$work/mailhive.console"
await_login "$dv_port" "$dovecot_pid" "$dv/dovecot.log"
echo "Mailhive POP3 on 127.0.0.1:$mh_port, Dovecot $(dovecot --version | cut -d' ' -f1) POP3 on 127.0.0.1:$dv_port"

# The servers alternate, so background load on the machine hits both alike. poplib parses every
# line in Python: its own CPU is part of each figure, the same for both servers. The round trip
# lines after the runs show what a server adds per command; a client that waits for each RETR
# (poplib, fetchmail, getmail) pays it 5,000 times.
results=$work/results
for run in $(seq 1 "$runs"); do
    python3 "$here/pop3_retr_client.py" "run $run mailhive" 127.0.0.1 "$mh_port" alice@localhost secret "$messages" \
        | tee -a "$results"
    python3 "$here/pop3_retr_client.py" "run $run dovecot" 127.0.0.1 "$dv_port" alice@localhost secret "$messages" \
        | tee -a "$results"
done
for server in mailhive dovecot; do
    grep " $server:" "$results" | awk '{print $9}' | sort -n | awk -v s="$server" '{t[NR] = $1} END {
        printf "%-8s best %.2f s, median %.2f s over %d runs\n", s, t[1], t[int((NR + 1) / 2)], NR }'
done
python3 "$here/pop3_roundtrip.py" mailhive "$mh_port" alice@localhost secret 2000
python3 "$here/pop3_roundtrip.py" dovecot "$dv_port" alice@localhost secret 2000
