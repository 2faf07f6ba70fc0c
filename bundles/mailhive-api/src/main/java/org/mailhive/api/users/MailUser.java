package org.mailhive.api.users;

import java.util.Map;

/**
 * A mail account. {@code name} is the login and the canonical address ({@code alice@example.org});
 * {@code home} may be empty for virtual users; {@code fields} are the passwd-file extra fields
 * ({@code mail=maildir:~/Maildir}, {@code quota_rule=*:storage=1G} …).
 */
public record MailUser(String name, String home, Map<String, String> fields) {

    public MailUser {
        fields = Map.copyOf(fields);
    }

    public String localPart() {
        int at = name.lastIndexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    /** The domain of the login, or "" when the login has none. */
    public String domain() {
        int at = name.lastIndexOf('@');
        return at < 0 ? "" : name.substring(at + 1);
    }

    public String field(String key, String fallback) {
        return fields.getOrDefault(key, fallback);
    }
}
