package org.mailhive.delivery.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mailhive.api.aliases.AliasTarget;
import org.mailhive.api.delivery.DeliveryRequest;
import org.mailhive.api.delivery.DeliveryStatus;
import org.mailhive.api.delivery.RecipientResult;
import org.mailhive.api.mail.EnhancedStatus;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.queue.MessageSink;
import org.mailhive.api.users.MailUser;
import org.mailhive.api.users.UserDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one local recipient to what its alias or .forward expanded to: local users through
 * the normal mailbox path, forward addresses as one resubmitted copy, files mbox-style, commands
 * through the mailbox_command runner. The recipient has one result for all targets, and it errs
 * on the safe side: any deferred target defers the whole recipient (the retry repeats the targets
 * that did succeed: a duplicate is better than a lost copy), else any bounce bounces it.
 */
final class AliasDelivery {

    private static final Logger LOG = LoggerFactory.getLogger("mail.local");
    static final EnhancedStatus LOOP = EnhancedStatus.of(5, 4, 6);
    private static final EnhancedStatus UNKNOWN_USER = EnhancedStatus.of(5, 1, 1);
    private static final EnhancedStatus BAD_ADDRESS = EnhancedStatus.of(5, 1, 3);
    private static final EnhancedStatus SYSTEM_ERROR = EnhancedStatus.of(4, 3, 0);
    private static final EnhancedStatus FILE_ERROR = EnhancedStatus.of(5, 2, 0);
    private static final EnhancedStatus NOT_PERMITTED = EnhancedStatus.of(5, 7, 1);

    /** What the alias path needs from local delivery, so that a user gets the same copy either way. */
    interface Local {
        Optional<MailUser> findUser(UserDirectory directory, MailAddress address, LocalDelivery.Options o);

        RecipientResult deliverToUser(DeliveryRequest request, MailAddress rcpt, MailUser user,
                LocalDelivery.Options o);

        /**
         * @param administrators true for a command from alias_maps: it runs with the server's own
         *     privileges, since only who runs the server can write that file; commands from a
         *     .forward or an :include: file (users' files) run as default_privs
         */
        RecipientResult runCommand(DeliveryRequest request, MailAddress rcpt, MailUser user, String command,
                boolean administrators, LocalDelivery.Options o);

        /** True when this process writes files as root, where only the administrator's aliases may direct it. */
        boolean writesAsRoot();

        /**
         * How a child process becomes this user, when this root process may switch to it (a user
         * with a uid of its own, not 0); empty when the user has none or the process is not root.
         */
        Optional<CommandPrivileges.Decision> switchTo(MailUser user);
    }

    /** {@code target} names it in the recipient's reason; {@code to} is the final address for the mail log. */
    private record Outcome(String target, String to, RecipientResult result) {
    }

    private final Local local;
    private final Forwarder forwarder;
    private final FileAppender files;
    private final String relay;

    AliasDelivery(Local local, Forwarder forwarder, FileAppender files, String relay) {
        this.local = local;
        this.forwarder = forwarder;
        this.files = files;
        this.relay = relay;
    }

    RecipientResult deliver(DeliveryRequest request, MailAddress rcpt, List<AliasTarget> targets,
            UserDirectory directory, MessageSink sink, LocalDelivery.Options o) {
        String qid = request.queueId().value();
        if (targets.isEmpty()) {
            return RecipientResult.bounced(rcpt, LOOP, relay, "mail forwarding loop for " + rcpt);
        }
        List<MailAddress> forwards = new ArrayList<>();
        for (AliasTarget t : targets) {
            if (t instanceof AliasTarget.Forward f) forwards.add(f.address());
        }
        // known to defer before anything is written: the retry then duplicates nothing
        if (!forwards.isEmpty() && sink == null) {
            return RecipientResult.deferred(rcpt, SYSTEM_ERROR, relay, "cannot forward: message sink not available");
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (AliasTarget t : targets) {
            if (t instanceof AliasTarget.Forward) continue;
            Outcome out = deliverTarget(request, rcpt, t, directory, o);
            log(qid, rcpt, out);
            outcomes.add(out);
        }
        if (!forwards.isEmpty()) {
            RecipientResult r = forwarder.forward(sink, request.envelope(), rcpt, forwards, request.content());
            String to = String.join(",", forwards.stream().map(MailAddress::toPath).toList());
            Outcome out = new Outcome("forward " + forwards, to, r);
            log(qid, rcpt, out);
            outcomes.add(out);
        }
        return combine(rcpt, targets, outcomes);
    }

    private Outcome deliverTarget(DeliveryRequest request, MailAddress rcpt, AliasTarget t, UserDirectory directory,
            LocalDelivery.Options o) {
        try {
            if (t instanceof AliasTarget.LocalUser u) {
                RecipientResult r = toUser(request, rcpt, u, directory, o);
                return new Outcome("user " + u.user(), userPath(u.user(), rcpt), r);
            }
            if (t instanceof AliasTarget.File f) {
                return new Outcome("file " + f.path(), rcpt.toPath(), toFile(request, rcpt, f, directory, o));
            }
            if (t instanceof AliasTarget.Command c) {
                MailUser as = owner(c.owner(), rcpt, directory, o);
                RecipientResult r = local.runCommand(request, rcpt, as, c.command(),
                        AliasTarget.ALIAS.equals(c.source()), o);
                return new Outcome("command " + c.command(), rcpt.toPath(), r);
            }
            return new Outcome(String.valueOf(t), rcpt.toPath(),
                    RecipientResult.deferred(rcpt, SYSTEM_ERROR, relay, "unknown alias target " + t));
        } catch (RuntimeException e) {
            LOG.error("{}: to={}, alias target {} failed: {}", request.queueId().value(), rcpt.toPath(), t,
                    e.toString(), e);
            return new Outcome(String.valueOf(t), rcpt.toPath(),
                    RecipientResult.deferred(rcpt, SYSTEM_ERROR, relay, "internal error: " + e));
        }
    }

    private RecipientResult toUser(DeliveryRequest request, MailAddress rcpt, AliasTarget.LocalUser u,
            UserDirectory directory, LocalDelivery.Options o) {
        if (directory == null) {
            return RecipientResult.deferred(rcpt, SYSTEM_ERROR, relay, "user directory not available");
        }
        MailAddress address;
        try {
            address = inDomainOf(u.user(), rcpt);
        } catch (IllegalArgumentException e) {
            return RecipientResult.bounced(rcpt, BAD_ADDRESS, relay, "bad user name in alias: " + u.user());
        }
        Optional<MailUser> user = local.findUser(directory, address, o);
        // a system-style login without a domain owns its name in every local domain
        if (user.isEmpty() && u.user().indexOf('@') < 0) user = directory.lookup(u.user());
        if (user.isEmpty()) {
            return RecipientResult.bounced(rcpt, UNKNOWN_USER, relay, "unknown user: \"" + u.user() + "\"");
        }
        return local.deliverToUser(request, address, user.get(), o);
    }

    private RecipientResult toFile(DeliveryRequest request, MailAddress rcpt, AliasTarget.File f,
            UserDirectory directory, LocalDelivery.Options o) {
        Path path = Path.of(f.path());
        if (!path.isAbsolute()) {
            return RecipientResult.bounced(rcpt, FILE_ERROR, relay, "file destination is not absolute: " + f.path());
        }
        // a user's .forward or :include: naming /etc/passwd must not have root append to it: the
        // file is written as that user when the user has a uid to switch to, else refused
        Optional<CommandPrivileges.Decision> as = Optional.empty();
        if (!AliasTarget.ALIAS.equals(f.source()) && local.writesAsRoot()) {
            as = local.switchTo(owner(f.owner(), rcpt, directory, o));
            if (as.isEmpty()) {
                return RecipientResult.bounced(rcpt, NOT_PERMITTED, relay, "delivery to file " + f.path() + " from "
                        + f.source() + " of " + f.owner() + " refused: the server runs as root");
            }
            if (as.get().refused()) return RecipientResult.deferred(rcpt, SYSTEM_ERROR, relay, as.get().refusal());
        }
        MailAddress sender = request.envelope().sender();
        try {
            PrefixedContent content = PrefixedContent.withDeliveryHeaders(sender, rcpt, request.content());
            if (as.isPresent()) {
                files.appendAs(as.get().prefix(), path, sender, content, Instant.now());
            } else {
                files.append(path, sender, content, Instant.now());
            }
            return RecipientResult.sent(rcpt, relay, "delivered to file: " + f.path());
        } catch (IOException e) {
            // a lock held too long, a full disk, a missing directory: all may be fixed before the retry
            return RecipientResult.deferred(rcpt, SYSTEM_ERROR, relay, "cannot append to file " + f.path() + ": "
                    + e.getMessage());
        }
    }

    /** The user a command's environment describes: the .forward's owner when known, else the alias itself. */
    private MailUser owner(String owner, MailAddress rcpt, UserDirectory directory, LocalDelivery.Options o) {
        if (directory != null && owner != null && !owner.isEmpty()) {
            try {
                Optional<MailUser> u = local.findUser(directory, inDomainOf(owner, rcpt), o);
                if (u.isPresent()) return u.get();
            } catch (IllegalArgumentException e) {
                // not an address: an alias name, described as itself below
            }
        }
        String name = owner == null || owner.isEmpty() ? rcpt.localPart() : owner;
        return new MailUser(name, "", Map.of());
    }

    private RecipientResult combine(MailAddress rcpt, List<AliasTarget> targets, List<Outcome> outcomes) {
        for (Outcome out : outcomes) {
            if (out.result().status() == DeliveryStatus.DEFERRED) {
                return RecipientResult.deferred(rcpt, out.result().dsn(), relay, out.target() + ": "
                        + out.result().reason());
            }
        }
        for (Outcome out : outcomes) {
            if (out.result().status() == DeliveryStatus.BOUNCED) {
                return RecipientResult.bounced(rcpt, out.result().dsn(), relay, out.target() + ": "
                        + out.result().reason());
            }
        }
        return RecipientResult.sent(rcpt, relay, "delivered to " + targets.size()
                + (targets.size() == 1 ? " target via " : " targets via ") + via(targets.get(0)));
    }

    private static String via(AliasTarget t) {
        return switch (t.source()) {
            case AliasTarget.FORWARD -> ".forward of " + t.owner();
            case AliasTarget.INCLUDE -> ":include: of " + t.owner();
            default -> "alias " + t.owner();
        };
    }

    /** A bare name as an address in the recipient's domain (aliases apply per local domain). */
    private static MailAddress inDomainOf(String name, MailAddress rcpt) {
        return name.indexOf('@') < 0 ? MailAddress.of(name, rcpt.domain()) : MailAddress.parse(name);
    }

    /** {@code <alice@example.org>} for a name in the recipient's domain, the name itself if it is no address. */
    private static String userPath(String user, MailAddress rcpt) {
        return "<" + (user.indexOf('@') < 0 ? user + "@" + rcpt.domain() : user) + ">";
    }

    /** Postfix style: one line per final target, orig_to naming the alias; qmgr logs the recipient's total. */
    private static void log(String qid, MailAddress rcpt, Outcome out) {
        RecipientResult r = out.result();
        LOG.info("{}: to={}, orig_to={}, relay={}, dsn={}, status={} ({})", qid, out.to(), rcpt.toPath(), r.relay(),
                r.dsn(), r.status().name().toLowerCase(Locale.ROOT), r.reason());
    }
}
