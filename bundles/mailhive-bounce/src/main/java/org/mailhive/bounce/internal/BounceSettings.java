package org.mailhive.bounce.internal;

import java.util.List;
import java.util.Locale;
import org.mailhive.api.config.Settings;

/** The bounce service's configuration after validation. Recipients may be unqualified ("postmaster"). */
record BounceSettings(String bounceNoticeRecipient, String doubleBounceRecipient, long sizeLimit,
        boolean copyBounces) {

    static final BounceSettings DEFAULTS = new BounceSettings("postmaster", "postmaster", 50_000, false);

    static BounceSettings from(Settings s) {
        String copy = recipient(s, "bounce_notice_recipient");
        String twice = recipient(s, "2bounce_notice_recipient");
        long limit = s.size("bounce_size_limit", DEFAULTS.sizeLimit());
        List<String> classes = s.list("notify_classes", List.of("resource", "software"));
        boolean copyBounces = false;
        for (String c : classes) {
            String k = c.toLowerCase(Locale.ROOT);
            if (!List.of("bounce", "2bounce", "delay", "policy", "protocol", "resource", "software", "data")
                    .contains(k)) {
                s.problem("notify_classes", "unknown class \"" + c + "\"");
            }
            if (k.equals("bounce")) copyBounces = true;
        }
        return new BounceSettings(copy, twice, limit, copyBounces);
    }

    private static String recipient(Settings s, String key) {
        String v = s.string(key, "postmaster");
        if (v.isEmpty() || v.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>' || c == ',')) {
            s.problem(key, "must be one address, got \"" + v + "\"");
            return "postmaster";
        }
        return v;
    }
}
