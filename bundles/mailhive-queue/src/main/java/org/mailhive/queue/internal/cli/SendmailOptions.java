package org.mailhive.queue.internal.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The sendmail(1) command line as Postfix's sendmail reads it: getopt-style letters, some with an
 * argument glued on or in the next word ({@code -fme@host}, {@code -f me@host}), {@code -o}
 * options and {@code -b} modes as words. Options no program here acts on are accepted and
 * ignored, because scripts and MUAs pass them out of habit ({@code -oi -oem -odb -v}).
 */
record SendmailOptions(Mode mode, boolean extractRecipients, boolean ignoreDots, String sender, String fullName,
        String dsnNotify, String ret, String envid, String bodyType, List<String> recipients) {

    enum Mode {
        /** -bm (default): read a message and submit it. */
        DELIVER,
        /** -bs: SMTP on standard input and output. */
        SMTP,
        /** -bp: list the queue (mailq). */
        LIST_QUEUE,
        /** -q: flush the queue. */
        FLUSH,
        /** -bi: rebuild aliases (newaliases). */
        REBUILD_ALIASES
    }

    /** A command line that cannot be used; the message is for stderr, the exit code is EX_USAGE. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** Letters that take an argument (glued or in the next word). */
    private static final String WITH_ARGUMENT = "fFrNRVBCLhOXp";
    /** Letters accepted and ignored. */
    private static final String IGNORED_FLAGS = "nvUGAm";

    static SendmailOptions parse(List<String> args) throws UsageException {
        Mode mode = Mode.DELIVER;
        boolean t = false;
        boolean i = false;
        String sender = null;
        String fullName = null;
        String notify = null;
        String ret = null;
        String envid = null;
        String body = null;
        List<String> rcpts = new ArrayList<>();
        int k = 0;
        for (; k < args.size(); k++) {
            String a = args.get(k);
            if (a.equals("--")) {
                k++;
                break;
            }
            if (!a.startsWith("-") || a.length() < 2) break;
            if (a.startsWith("-o")) {
                // -oi / -oem / -oep / -odb …: only -oi changes anything here
                if (a.equals("-oi") || a.equals("-oitrue")) i = true;
                continue;
            }
            if (a.startsWith("-b")) {
                mode = switch (a) {
                    case "-bm" -> Mode.DELIVER;
                    case "-bs" -> Mode.SMTP;
                    case "-bp" -> Mode.LIST_QUEUE;
                    case "-bi" -> Mode.REBUILD_ALIASES;
                    case "-bd" -> throw new UsageException("-bd: the server runs as 'mailhive start', not as sendmail");
                    default -> throw new UsageException("unsupported mode " + a);
                };
                continue;
            }
            if (a.startsWith("-q")) {
                // -q flushes; -q1h (a daemon's interval) means nothing without a sendmail daemon
                if (a.equals("-q")) mode = Mode.FLUSH;
                continue;
            }
            for (int c = 1; c < a.length(); c++) {
                char letter = a.charAt(c);
                if (WITH_ARGUMENT.indexOf(letter) >= 0) {
                    String value;
                    if (c + 1 < a.length()) {
                        value = a.substring(c + 1);
                    } else if (k + 1 < args.size()) {
                        value = args.get(++k);
                    } else {
                        throw new UsageException("option -" + letter + " requires an argument");
                    }
                    switch (letter) {
                        case 'f', 'r' -> sender = value;
                        case 'F' -> fullName = value;
                        case 'N' -> notify = value;
                        case 'R' -> ret = value;
                        case 'V' -> envid = value;
                        case 'B' -> body = value;
                        default -> {
                            // -C config, -L label, -h hops, -O option, -X log, -p protocol: no meaning here
                        }
                    }
                    break;
                }
                switch (letter) {
                    case 't' -> t = true;
                    case 'i' -> i = true;
                    default -> {
                        if (IGNORED_FLAGS.indexOf(letter) < 0) throw new UsageException("illegal option -- " + letter);
                    }
                }
            }
        }
        for (; k < args.size(); k++) rcpts.add(args.get(k));
        if (ret != null && !ret.equalsIgnoreCase("FULL") && !ret.equalsIgnoreCase("HDRS")) {
            throw new UsageException("-R takes FULL or HDRS, not " + ret);
        }
        if (body != null && !body.equalsIgnoreCase("7BIT") && !body.equalsIgnoreCase("8BITMIME")) {
            throw new UsageException("-B takes 7BIT or 8BITMIME, not " + body);
        }
        if (notify != null && !notify.matches("(?i)never|(success|delay|failure)(,(success|delay|failure))*")) {
            throw new UsageException("-N takes never or a list of success, delay, failure, not " + notify);
        }
        return new SendmailOptions(mode, t, i, sender, fullName, notify, ret, envid, body, List.copyOf(rcpts));
    }
}
