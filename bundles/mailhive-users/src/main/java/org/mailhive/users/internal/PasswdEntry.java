package org.mailhive.users.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mailhive.api.users.MailUser;

/**
 * One line of a Dovecot passwd-file: {@code user:password:uid:gid:gecos:home:shell:extra_fields}.
 * Extra fields are kept as written so that a rewrite of the file does not reorder them.
 */
public record PasswdEntry(String user, String password, String uid, String gid, String gecos, String home,
        String shell, String extra) {

    /** The line, with empty trailing fields left out as Dovecot allows. */
    public String format() {
        List<String> f = List.of(user, password, uid, gid, gecos, home, shell, extra);
        int last = f.size() - 1;
        while (last > 1 && f.get(last).isEmpty()) last--;
        return String.join(":", f.subList(0, last + 1));
    }

    /** {@code mail=maildir:~/Maildir quota_rule=*:storage=1G}; a bare key maps to "". */
    public Map<String, String> extraFields() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String token : extra.trim().split("\\s+")) {
            if (token.isEmpty()) continue;
            int eq = token.indexOf('=');
            if (eq < 0) {
                m.put(token, "");
            } else {
                m.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return m;
    }

    public PasswdEntry withPassword(String newPassword) {
        return new PasswdEntry(user, newPassword, uid, gid, gecos, home, shell, extra);
    }

    /** The columns uid and gid, when given, become the fields {@code uid} and {@code gid}, as Dovecot's userdb returns them. */
    public MailUser toMailUser() {
        Map<String, String> fields = extraFields();
        if (!uid.isEmpty()) fields.put("uid", uid);
        if (!gid.isEmpty()) fields.put("gid", gid);
        return new MailUser(user, home, fields);
    }
}
