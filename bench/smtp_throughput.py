#!/usr/bin/env python3
"""Mailhive benchmark: SMTP submission rate and end-to-end delivery time into a Maildir.

Sends N messages over C parallel SMTP connections (Python's smtplib, loopback only), then waits
until every message is in the recipient's Maildir new/ and prints the figures. Run it against a
server started with `bin/mailhive run` and a user created with `bin/mailhive user add`:

    bench/smtp_throughput.py --maildir runtime/target/mailhive/data/mail/localhost/alice/Maildir
"""
import argparse, os, smtplib, sys, threading, time, uuid

ap = argparse.ArgumentParser()
ap.add_argument('--server', default='127.0.0.1:2525')
ap.add_argument('--to', default='alice@localhost')
ap.add_argument('--messages', type=int, default=1000)
ap.add_argument('--connections', type=int, default=4)
ap.add_argument('--size', type=int, default=4096, help='body size in bytes')
ap.add_argument('--maildir', required=True, help="the recipient's Maildir, to count deliveries")
ap.add_argument('--timeout', type=float, default=300)
a = ap.parse_args()
host, port = a.server.rsplit(':', 1)
if not (host.startswith('127.') or host in ('localhost', '::1')):
    sys.exit('benchmarks talk to loopback only')
run = uuid.uuid4().hex[:12]
line = ('x' * 76 + '\r\n')
body = (line * (a.size // len(line) + 1))[:a.size]
new_dir = os.path.join(a.maildir, 'new')

def count():
    try:
        return sum(1 for n in os.listdir(new_dir) if os.path.getsize(os.path.join(new_dir, n)) > 0 and run in open(os.path.join(new_dir, n), errors='replace').read(4096))
    except FileNotFoundError:
        return 0

before = 0
latencies = []
lock = threading.Lock()
def worker(n):
    s = smtplib.SMTP(host, int(port), timeout=60)
    s.ehlo('bench.localhost')
    for i in range(n):
        msg = f'From: bench@localhost\r\nTo: {a.to}\r\nSubject: bench {run} {i}\r\nX-Bench-Run: {run}\r\n\r\n{body}'
        t = time.perf_counter()
        s.sendmail('bench@localhost', [a.to], msg)
        with lock:
            latencies.append(time.perf_counter() - t)
    s.quit()

per = [a.messages // a.connections + (1 if i < a.messages % a.connections else 0) for i in range(a.connections)]
t0 = time.perf_counter()
threads = [threading.Thread(target=worker, args=(n,)) for n in per]
for t in threads: t.start()
for t in threads: t.join()
t_sent = time.perf_counter() - t0
while count() < a.messages and time.perf_counter() - t0 < a.timeout:
    time.sleep(0.2)
t_done = time.perf_counter() - t0
delivered = count()
latencies.sort()
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
print(f'messages: {a.messages} x {a.size} B body over {a.connections} connections')
print(f'accepted (250 after DATA): {t_sent:.2f} s  = {a.messages / t_sent:.0f} msg/s')
print(f'per-message SMTP latency: p50 {p(0.5):.1f} ms  p99 {p(0.99):.1f} ms')
print(f'delivered to Maildir: {delivered}/{a.messages} after {t_done:.2f} s = {delivered / t_done:.0f} msg/s end to end')
sys.exit(0 if delivered == a.messages else 1)
