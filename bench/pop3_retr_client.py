#!/usr/bin/env python3
"""One POP3 session with Python's poplib: USER/PASS, RETR 1..N, QUIT. Prints one result line.

Times the whole session (connect to the QUIT reply); octets are what RETR delivered on the wire
(CRLF line ends, dot-stuffing removed), the content itself is discarded.
"""
import poplib, sys, time

label, host, port, user, password, expect = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6])
if not (host.startswith('127.') or host in ('localhost', '::1')):
    sys.exit('benchmarks talk to loopback only')
t0 = time.perf_counter()
p = poplib.POP3(host, port, timeout=120)
p.user(user)
p.pass_(password)
count, _ = p.stat()
if count != expect:
    sys.exit(f'{label}: STAT says {count} messages, expected {expect}')
octets = 0
for i in range(1, count + 1):
    _, _, n = p.retr(i)
    octets += n
p.quit()
dt = time.perf_counter() - t0
print(f'{label}: {count} messages, {octets / 1e6:.1f} MB in {dt:.2f} s = {octets / 1e6 / dt:.1f} MB/s, '
      f'{count / dt:.0f} msg/s')
