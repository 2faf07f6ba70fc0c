#!/usr/bin/env bash
# Benchmark of issue 6: SMTP -> local Maildir with every message fsync'd.
#
# Uses an existing distribution (builds nothing): fresh temp config and data, one user, the server
# started in the background, Postfix's smtp-source sending 1 KiB messages over 20 sessions, then a
# wait until every message is a file in the user's Maildir new/. Prints accepted msg/s (until
# smtp-source has its last 250), delivered msg/s (until the last file is in new/), and, when perf
# can count syscall tracepoints, fsync and rename calls per message.
#
#   bench/maildir_throughput.sh [--dist DIR] [--messages N] [--sessions N] [--size BYTES]
#                               [--port PORT] [--keep] [--set PID:KEY=VALUE]... [--warmup N]
#                               [--runs N] [--pause SECONDS]
#
# --warmup N sends N messages first (same sessions and size) and waits for their delivery, so the
# measured runs see a JIT-compiled server, as a long-running one is (default 15000; C2 is still
# compiling after the first 10,000 or so). --warmup 1 --runs 1 measures a cold JVM instead.
# --runs N measures N times (default 3) on the same server, --pause SECONDS apart and after the
# warm-up (10), and prints the median: one run of 5,000 lasts about 3 s, and single runs on this
# kind of VM vary by 10%.
# --set changes one key of the copied config, e.g. --set org.mailhive.queue:delivery_concurrency=20
# (to try a tuning; the figures of the issue are with the shipped config).
#
# Needs smtp-source (Debian package postfix). Talks to loopback only.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
DIST=${MAILHIVE_DIST:-$HERE/../runtime/target/mailhive}
MESSAGES=5000
SESSIONS=20
SIZE=1024
PORT=2525
KEEP=no
SETS=()
WARMUP=15000
RUNS=3
PAUSE=10
while [ $# -gt 0 ]; do
    case $1 in
        --dist) DIST=$2; shift 2 ;;
        --messages) MESSAGES=$2; shift 2 ;;
        --sessions) SESSIONS=$2; shift 2 ;;
        --size) SIZE=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --keep) KEEP=yes; shift ;;
        --set) SETS+=("$2"); shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --pause) PAUSE=$2; shift 2 ;;
        -h|--help) sed -n 2,23p "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

die() { echo "maildir_throughput: $*" >&2; exit 1; }
SMTP_SOURCE=$(command -v smtp-source || echo /usr/sbin/smtp-source)
[ -x "$SMTP_SOURCE" ] || die "smtp-source not found (apt-get install postfix)"
[ -x "$DIST/bin/mailhive" ] || die "no distribution at $DIST (build it: mvn -B -q install -DskipTests)"
DIST=$(cd "$DIST" && pwd)
MH=$DIST/bin/mailhive

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_open "$PORT" && die "port $PORT already in use on 127.0.0.1 (another server running? use --port)"

RUN=$(mktemp -d "${TMPDIR:-/tmp}/mailhive-bench.XXXXXX")
CONF=$RUN/config
DATA=$RUN/data
SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
    fi
    if [ "$KEEP" = no ]; then rm -rf "$RUN"; else echo "kept: $RUN"; fi
}
trap cleanup EXIT

cp -r "$DIST/config" "$CONF"
mkdir -p "$DATA"
# only the MTA listener: the other listeners' ports may be taken by servers of other runs
rm -f "$CONF"/org.mailhive.smtp.listener-submission.cfg "$CONF"/org.mailhive.smtp.listener-smtps.cfg \
      "$CONF"/org.mailhive.pop3.listener-*.cfg "$CONF"/org.mailhive.imap.listener-*.cfg
sed -i -E "s|^[[:space:]]*port[[:space:]]*=.*|port = $PORT|" "$CONF/org.mailhive.smtp.listener-mta.cfg"
for kv in ${SETS[@]+"${SETS[@]}"}; do
    pid=${kv%%:*}; key=${kv#*:}; key=${key%%=*}; value=${kv#*=}
    f=$CONF/$pid.cfg
    [ -f "$f" ] || die "--set $kv: no $f"
    if grep -qE "^[[:space:]]*$key[[:space:]]*=" "$f"; then
        sed -i -E "s|^[[:space:]]*$key[[:space:]]*=.*|$key = $value|" "$f"
    else
        echo "$key = $value" >>"$f"
    fi
    echo "config: $pid $key = $value"
done
printf 'bench-secret\n' | "$MH" user add alice@localhost --password-stdin --config "$CONF" --data "$DATA" >/dev/null \
    || die "bin/mailhive user add failed"

"$MH" run --config "$CONF" --data "$DATA" >"$RUN/stdout.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 300); do
    port_open "$PORT" && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "server exited at start (see $RUN/stdout.log)"
    sleep 0.1
done
port_open "$PORT" || die "port $PORT not listening 30 s after start"
JVM_PID=$(pgrep -P "$SERVER_PID" java 2>/dev/null | head -n 1 || true)
[ -n "$JVM_PID" ] || JVM_PID=$SERVER_PID

# the first start generates a self-signed TLS key: let that CPU work end before measuring
for _ in $(seq 300); do [ -s "$DATA/tls/server.crt" ] && break; sleep 0.1; done
NEW=$DATA/mail/localhost/alice/Maildir/new
count() { if [ -d "$NEW" ]; then find "$NEW" -maxdepth 1 -type f | wc -l; else echo 0; fi; }
# warm-up: at least one message, which creates the Maildir and loads the classes of every step
[ "$WARMUP" -ge 1 ] || WARMUP=1
ws=$SESSIONS; [ "$WARMUP" -lt "$ws" ] && ws=$WARMUP
"$SMTP_SOURCE" -c -l "$SIZE" -m "$WARMUP" -s "$ws" -f a@localhost -t alice@localhost "127.0.0.1:$PORT" >/dev/null
for _ in $(seq 3000); do [ "$(count)" -ge "$WARMUP" ] && break; sleep 0.1; done
[ "$(count)" -ge "$WARMUP" ] || die "warm-up messages not delivered (see $RUN/stdout.log, $DATA/log/mail.log)"
[ "$WARMUP" -gt 1 ] && sleep "$PAUSE"

PERF_PID=
if command -v perf >/dev/null; then
    events=syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync,syscalls:sys_enter_rename,syscalls:sys_enter_renameat,syscalls:sys_enter_renameat2
    perf stat -x, -e "$events" -p "$JVM_PID" -o "$RUN/perf.csv" >/dev/null 2>&1 &
    PERF_PID=$!
    sleep 0.5
    kill -0 "$PERF_PID" 2>/dev/null || PERF_PID=
fi

cpu() { awk '{ print $14 + $15 }' "/proc/$JVM_PID/stat" 2>/dev/null || echo 0; }
sys_ticks() { awk '{ print $15 }' "/proc/$JVM_PID/stat" 2>/dev/null || echo 0; }
# every thread hand-off is a wake-up; in a VM each costs kernel time, so they are worth counting
switches() { cat /proc/"$JVM_PID"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { s += $2 } END { print s + 0 }'; }
rate() { awk -v n="$MESSAGES" -v ns="$1" 'BEGIN { printf "%.0f", n / (ns / 1e9) }'; }
secs() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e9 }'; }

echo "messages: $MESSAGES x $SIZE bytes over $SESSIONS sessions to 127.0.0.1:$PORT, after $WARMUP warm-up, $RUNS run(s)"
RATES=()
for run in $(seq "$RUNS"); do
    BASE=$(count)
    TARGET=$((BASE + MESSAGES))
    CPU0=$(cpu); SYS0=$(sys_ticks); SW0=$(switches)
    t0=$(date +%s%N)
    "$SMTP_SOURCE" -c -l "$SIZE" -m "$MESSAGES" -s "$SESSIONS" -f a@localhost -t alice@localhost "127.0.0.1:$PORT" \
        >"$RUN/smtp-source.log" 2>&1 || die "smtp-source failed: $(tail -n 3 "$RUN/smtp-source.log")"
    t1=$(date +%s%N)
    deadline=$(( $(date +%s) + 600 ))
    while [ "$(count)" -lt "$TARGET" ]; do
        [ "$(date +%s)" -lt "$deadline" ] || die "only $(( $(count) - BASE )) of $MESSAGES delivered after 10 minutes"
        sleep 0.02
    done
    t2=$(date +%s%N)
    CPU1=$(cpu); SYS1=$(sys_ticks); SW1=$(switches)
    RATES+=("$(rate $((t2 - t0)))")
    [ "$RUNS" -gt 1 ] && echo "run $run:"
    echo "accepted:  $(rate $((t1 - t0))) msg/s ($(secs $((t1 - t0))) s to the last 250)"
    echo "delivered: $(rate $((t2 - t0))) msg/s ($(secs $((t2 - t0))) s to the last file in new/)"
    awk -v c=$((CPU1 - CPU0)) -v hz="$(getconf CLK_TCK)" -v ns=$((t2 - t0)) -v n="$MESSAGES" \
        'BEGIN { printf "server CPU: %.1f s (%.2f of %d cores), %.2f ms per message\n", c / hz, c / hz / (ns / 1e9), '"$(nproc)"', c / hz * 1000 / n }'
    awk -v c=$((CPU1 - CPU0)) -v k=$((SYS1 - SYS0)) -v sw=$((SW1 - SW0)) -v n="$MESSAGES" \
        'BEGIN { printf "server kernel share: %.0f%% of its CPU; context switches: %.1f per message (threads alive at the end)\n", (c > 0 ? 100 * k / c : 0), sw / n }'
    # the next run starts on a quiet machine: the deliveries' writeback and the JIT settle
    [ "$run" -lt "$RUNS" ] && sleep "$PAUSE"
done
if [ -n "$PERF_PID" ]; then
    kill -INT "$PERF_PID" 2>/dev/null || true
    wait "$PERF_PID" 2>/dev/null || true
fi
if [ "$RUNS" -gt 1 ]; then
    printf '%s\n' "${RATES[@]}" | sort -n | awk '{ r[NR] = $1 } END {
        m = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
        printf "delivered msg/s over %d runs: median %.0f, min %d, max %d\n", NR, m, r[1], r[NR] }'
fi
sent=$(grep -c 'status=sent' "$DATA/log/mail.log" 2>/dev/null || echo 0)
echo "mail.log status=sent lines: $sent (including $WARMUP warm-up)"
if [ -s "$RUN/perf.csv" ]; then
    awk -F, -v n="$((MESSAGES * RUNS))" '
        /sys_enter_fsync|sys_enter_fdatasync/ { fs += $1 }
        /sys_enter_rename/ { rn += $1 }
        END { if (fs + rn > 0) printf "per message (server, all runs): %.2f fsync/fdatasync, %.2f rename\n", fs / n, rn / n }' \
        "$RUN/perf.csv"
fi
