package org.mailhive.delivery.internal;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mailhive.api.store.Mailbox;
import org.mailhive.api.store.MailboxLocation;
import org.mailhive.api.store.MailboxStore;
import org.mailhive.api.users.MailUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quota as local delivery applies it: the configured quota_rule, or the user's own
 * {@code quota_rule=} field, against {@link Mailbox#usage()}. Public (still in .internal, never
 * exported) so that an RCPT-time check in this bundle can answer 452 4.2.2 before the message is
 * even queued, with the same rule delivery uses.
 */
public final class QuotaCheck {

    private static final Logger LOG = LoggerFactory.getLogger(QuotaCheck.class);
    static final String USER_FIELD = "quota_rule";

    private final Function<MailUser, Optional<MailboxLocation>> locator;
    private final Function<String, Optional<MailboxStore>> stores;
    private final Supplier<QuotaRule> defaults;

    QuotaCheck(Function<MailUser, Optional<MailboxLocation>> locator, Function<String, Optional<MailboxStore>> stores,
            Supplier<QuotaRule> defaults) {
        this.locator = locator;
        this.stores = stores;
        this.defaults = defaults;
    }

    /**
     * Bytes this user can still receive, 0 when full; empty when there is no limit, or when it
     * cannot be told now (no store for the format, unreadable mailbox) — delivery checks again.
     */
    public OptionalLong remainingQuota(MailUser user) {
        QuotaRule rule = ruleFor(user, defaults.get());
        if (rule.unlimited()) return OptionalLong.empty();
        Optional<MailboxLocation> location = locator.apply(user);
        if (location.isEmpty()) return OptionalLong.empty();
        Optional<MailboxStore> store = stores.apply(location.get().format());
        if (store.isEmpty()) return OptionalLong.empty();
        try {
            return OptionalLong.of(Math.max(0, rule.storageBytes() - usage(store.get(), location.get())));
        } catch (IOException | RuntimeException e) {
            LOG.warn("quota usage of {}: {}", user.name(), e.toString());
            return OptionalLong.empty();
        }
    }

    /**
     * The user's own rule when it has one, else the configured one. A broken user field falls back
     * to the configured rule with a warning: mail keeps flowing while the entry gets fixed.
     */
    static QuotaRule ruleFor(MailUser user, QuotaRule configured) {
        String own = user.field(USER_FIELD, "");
        if (own.isBlank()) return configured;
        try {
            return QuotaRule.parse(own);
        } catch (IllegalArgumentException e) {
            LOG.warn("user {}: quota_rule field ignored: {}", user.name(), e.getMessage());
            return configured;
        }
    }

    static long usage(MailboxStore store, MailboxLocation location) throws IOException {
        try (Mailbox mailbox = store.open(location)) {
            return mailbox.usage();
        }
    }
}
