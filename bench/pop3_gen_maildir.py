#!/usr/bin/env python3
"""Writes N messages of about SIZE bytes (LF line ends, the Maildir convention) into MAILDIR/new.

Deterministic (seeded): the same bytes each time, so two servers are fed identical mailboxes.
File names carry ,S= (size on disk) and ,W= (size with CRLF), as Dovecot and Mailhive write them
on delivery, so neither server has to count lines to answer STAT/LIST.
"""
import os, random, sys

maildir, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(6)
words = ('mail server maildir pop3 retrieve message delivery queue mailbox folder header body '
         'line octet stream session client dovecot postfix mailhive benchmark bytes').split()
for sub in ('new', 'cur', 'tmp'):
    os.makedirs(os.path.join(maildir, sub), exist_ok=True)
base = 1795500000
for i in range(count):
    head = (f'Return-Path: <bench@localhost>\nDelivered-To: alice@localhost\n'
            f'From: Bench <bench@localhost>\nTo: <alice@localhost>\nSubject: pop3 retr bench {i + 1}\n'
            f'Message-ID: <bench.{i + 1}@localhost>\nDate: Tue, 24 Nov 2026 08:00:00 +0000\n'
            f'MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n')
    lines = [head]
    n = len(head)
    while n < size:
        line = ' '.join(rng.choice(words) for _ in range(10))[:76]
        if rng.random() < 0.01:
            line = '.' + line  # a few lines the server must dot-stuff
        line += '\n'
        lines.append(line)
        n += len(line)
    data = ''.join(lines).encode('ascii')
    crlf = len(data) + data.count(b'\n')
    name = f'{base + i}.M{i:06d}P1Q{i + 1}.bench,S={len(data)},W={crlf}'
    with open(os.path.join(maildir, 'new', name), 'wb') as f:
        f.write(data)
