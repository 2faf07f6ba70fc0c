package org.mailhive.aliases.internal;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.users.MailUser;
import org.mailhive.api.users.UserDirectory;

/** Small stand-ins for the services the expander uses. */
final class Fakes {

    private Fakes() {
    }

    static final class Users implements UserDirectory {
        final Map<String, MailUser> byName = new HashMap<>();

        Users add(String login, String home) {
            byName.put(login.toLowerCase(Locale.ROOT), new MailUser(login, home, Map.of()));
            return this;
        }

        @Override
        public Optional<MailUser> lookup(String name) {
            return Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    static final class Identity implements ServerIdentity {
        private final Set<String> local;

        Identity(String... local) {
            this.local = Set.of(local);
        }

        @Override
        public String myhostname() {
            return "mx.example.org";
        }

        @Override
        public String mydomain() {
            return "example.org";
        }

        @Override
        public String myorigin() {
            return "example.org";
        }

        @Override
        public Set<String> mydestination() {
            return local;
        }

        @Override
        public boolean isMyDestination(String domain) {
            return local.contains(domain);
        }

        @Override
        public List<String> mynetworks() {
            return List.of("127.0.0.0/8");
        }

        @Override
        public boolean inMynetworks(InetAddress client) {
            return client.isLoopbackAddress();
        }

        @Override
        public String expand(String value) {
            return value;
        }
    }
}
