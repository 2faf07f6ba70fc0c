#!/usr/bin/env python3
"""Per-command round trip of a POP3 server: N times NOOP, then N times LIST 1, one at a time.

A client like poplib, fetchmail or getmail sends RETR n only after RETR n-1 is complete, so the
time a server needs to turn a command around is paid once per message: this prints it.
"""
import socket, sys, time

label, port, user, password, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
s = socket.create_connection(('127.0.0.1', port), timeout=60)
f = s.makefile('rb')
f.readline()
for cmd in (b'USER ' + user.encode(), b'PASS ' + password.encode()):
    s.sendall(cmd + b'\r\n')
    if not f.readline().startswith(b'+OK'):
        sys.exit(f'{label}: login failed')
out = []
for cmd in (b'NOOP\r\n', b'LIST 1\r\n'):
    t = time.perf_counter()
    for _ in range(n):
        s.sendall(cmd)
        f.readline()
    out.append(f'{cmd.split()[0].decode()} {(time.perf_counter() - t) / n * 1e6:.0f} us')
s.sendall(b'QUIT\r\n')
f.readline()
print(f'{label}: round trip per command: ' + ', '.join(out))
