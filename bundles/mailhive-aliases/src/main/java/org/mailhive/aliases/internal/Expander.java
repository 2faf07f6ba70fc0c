package org.mailhive.aliases.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.mailhive.api.aliases.AliasTarget;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.users.MailUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One expansion of one recipient, in Postfix's order: virtual_alias_maps, then alias_maps (local
 * domains), then the user's .forward, then the mailbox. An address met again on the current path
 * is a loop and is dropped, except a name that refers to itself, which moves on to the next stage
 * ({@code alice: alice} means alice's .forward and mailbox).
 */
final class Expander {

    private static final Logger LOG = LoggerFactory.getLogger(Expander.class);

    /** The stages an address goes through; a self-reference continues at the next one. */
    private enum Stage { VIRTUAL, ALIAS, FORWARD, MAILBOX }

    /** Lookups the expansion needs besides the maps; each may answer "nothing". */
    interface Context {
        boolean isLocalDomain(String domain);

        /** Domain for bare names met outside a local domain (myorigin). */
        String myorigin();

        Optional<MailUser> user(String login);
    }

    private final AliasMaps maps;
    private final ForwardFiles forwards;
    private final ExpansionOptions options;
    private final Context context;

    private final MailAddress recipient;
    private final Set<String> path = new HashSet<>();
    private final Map<String, AliasTarget> out = new LinkedHashMap<>();
    private final List<String> dropped = new ArrayList<>();
    private boolean expanded;

    private Expander(AliasMaps maps, ForwardFiles forwards, ExpansionOptions options, Context context, MailAddress rcpt) {
        this.maps = maps;
        this.forwards = forwards;
        this.options = options;
        this.context = context;
        this.recipient = rcpt;
    }

    /** The expansion and what was dropped from it (the lines also logged), so tests can see why. */
    record Result(Optional<List<AliasTarget>> targets, List<String> dropped) {
    }

    static Result expand(AliasMaps maps, ForwardFiles forwards, ExpansionOptions options, Context context,
            MailAddress rcpt) {
        if (rcpt.isNullSender()) return new Result(Optional.empty(), List.of());
        Expander e = new Expander(maps, forwards, options, context, rcpt);
        String key = e.key(rcpt);
        e.path.add(key);
        e.address(rcpt, key, Stage.VIRTUAL, AliasTarget.ALIAS, key, 0);
        return new Result(e.expanded ? Optional.of(List.copyOf(e.out.values())) : Optional.empty(),
                List.copyOf(e.dropped));
    }

    /** True when the address is an alias name in a local domain or matches a virtual alias map. */
    static boolean isAlias(AliasMaps maps, ExpansionOptions options, Context context, MailAddress rcpt) {
        if (rcpt.isNullSender()) return false;
        String full = rcpt.lookupKey();
        String base = stripDetail(rcpt.localPart().toLowerCase(Locale.ROOT), options.recipientDelimiter());
        if (maps.virtual(full) != null || maps.virtual(base + "@" + rcpt.domain()) != null
                || maps.virtual("@" + rcpt.domain()) != null) {
            return true;
        }
        if (!context.isLocalDomain(rcpt.domain())) return false;
        return maps.alias(rcpt.localPart().toLowerCase(Locale.ROOT)) != null || maps.alias(base) != null;
    }

    private void address(MailAddress addr, String key, Stage from, String source, String owner, int depth) {
        String lower = addr.localPart().toLowerCase(Locale.ROOT);
        String base = stripDetail(lower, options.recipientDelimiter());
        boolean local = context.isLocalDomain(addr.domain());
        if (from.compareTo(Stage.VIRTUAL) <= 0) {
            List<AliasValue> v = maps.virtual(addr.lookupKey());
            if (v == null) v = maps.virtual(base + "@" + addr.domain());
            if (v == null) v = maps.virtual("@" + addr.domain());
            if (v != null) {
                values(v, addr, key, Stage.VIRTUAL, AliasTarget.ALIAS, key, depth);
                return;
            }
        }
        if (local && from.compareTo(Stage.ALIAS) <= 0) {
            List<AliasValue> v = maps.alias(lower);
            if (v == null) v = maps.alias(base);
            if (v != null) {
                values(v, addr, key, Stage.ALIAS, AliasTarget.ALIAS, base, depth);
                return;
            }
        }
        Optional<MailUser> user = local ? findUser(base, addr.domain()) : Optional.empty();
        if (user.isPresent() && from.compareTo(Stage.FORWARD) <= 0) {
            MailUser u = user.get();
            List<AliasValue> v = forwards.read(u.home(), options.forwardPath(), u.name(), u.field("uid", ""));
            if (v != null) {
                values(v, addr, key, Stage.FORWARD, AliasTarget.FORWARD, u.name(), depth);
                return;
            }
        }
        if (local) {
            String login = user.map(MailUser::name).orElse(base + "@" + addr.domain());
            add("user:" + login.toLowerCase(Locale.ROOT), new AliasTarget.LocalUser(login, source, owner));
        } else {
            add("fwd:" + addr.lookupKey(), new AliasTarget.Forward(addr, source, owner));
        }
    }

    /** Expands the values of the entry for {@code key}, found at {@code stage}. */
    private void values(List<AliasValue> values, MailAddress current, String key, Stage stage, String source,
            String owner, int depth) {
        expanded = true;
        if (depth >= options.maxDepth()) {
            error("alias expansion of " + recipient.toPath() + " deeper than alias_max_depth=" + options.maxDepth()
                    + " at " + key + "; the rest is dropped");
            return;
        }
        for (AliasValue v : values) {
            switch (v.kind()) {
                case FILE -> {
                    if (allowed(options.allowFiles(), source, "allow_mail_to_files", v, owner)) {
                        add("file:" + v.text(), new AliasTarget.File(v.text(), source, owner));
                    }
                }
                case COMMAND -> {
                    if (allowed(options.allowCommands(), source, "allow_mail_to_commands", v, owner)) {
                        add("cmd:" + v.text(), new AliasTarget.Command(v.text(), source, owner));
                    }
                }
                case INCLUDE -> include(v, current, key, stage, owner, depth);
                case MAILBOX -> {
                    String domain = localDomainFor(current);
                    String name = v.text().toLowerCase(Locale.ROOT);
                    String login = findUser(name, domain).map(MailUser::name).orElse(name + "@" + domain);
                    add("user:" + login.toLowerCase(Locale.ROOT), new AliasTarget.LocalUser(login, source, owner));
                }
                case NAME, ADDRESS -> {
                    MailAddress next = v.kind() == AliasValue.Kind.NAME
                            ? MailAddress.of(v.text(), localDomainFor(current))
                            : MailAddress.parse(v.text());
                    String nextKey = key(next);
                    if (nextKey.equals(key)) {
                        address(next, key, Stage.values()[stage.ordinal() + 1], source, owner, depth + 1);
                    } else if (path.contains(nextKey)) {
                        warn("alias loop: " + key + " leads back to " + nextKey + " while expanding "
                                + recipient.toPath() + "; dropped");
                    } else {
                        path.add(nextKey);
                        address(next, nextKey, Stage.VIRTUAL, source, owner, depth + 1);
                        path.remove(nextKey);
                    }
                }
                default -> throw new IllegalStateException(v.kind().toString());
            }
        }
    }

    private void include(AliasValue v, MailAddress current, String key, Stage stage, String owner, int depth) {
        String includeKey = "include:" + v.text();
        if (path.contains(includeKey)) {
            warn("alias loop: " + v.text() + " includes itself while expanding " + recipient.toPath() + "; dropped");
            return;
        }
        List<AliasValue> included = maps.include(Path.of(v.text()));
        path.add(includeKey);
        values(included, current, key, stage, AliasTarget.INCLUDE, owner, depth + 1);
        path.remove(includeKey);
    }

    private boolean allowed(Set<String> allowed, String source, String setting, AliasValue v, String owner) {
        if (allowed.contains(source)) return true;
        error((v.kind() == AliasValue.Kind.FILE ? "file " + v.text() : "command \"" + v.text() + "\"")
                + " of " + owner + " (from " + source + ") dropped: " + setting + " does not allow " + source
                + " (recipient " + recipient.toPath() + "); nothing is delivered to it");
        return false;
    }

    private void warn(String message) {
        LOG.warn(message);
        dropped.add(message);
    }

    private void error(String message) {
        LOG.error(message);
        dropped.add(message);
    }

    private void add(String dedupKey, AliasTarget target) {
        out.putIfAbsent(dedupKey, target);
    }

    private String localDomainFor(MailAddress current) {
        return context.isLocalDomain(current.domain()) ? current.domain() : context.myorigin();
    }

    /** Local users: the login as an address first, then as a bare (system) name, as Postfix's local class. */
    private Optional<MailUser> findUser(String base, String domain) {
        Optional<MailUser> u = context.user(base + "@" + domain);
        return u.isPresent() ? u : context.user(base);
    }

    private String key(MailAddress a) {
        return stripDetail(a.localPart().toLowerCase(Locale.ROOT), options.recipientDelimiter()) + "@" + a.domain();
    }

    static String stripDetail(String localPart, String delimiters) {
        if (delimiters == null || delimiters.isEmpty()) return localPart;
        for (int i = 1; i < localPart.length(); i++) {
            if (delimiters.indexOf(localPart.charAt(i)) >= 0) return localPart.substring(0, i);
        }
        return localPart;
    }
}
