package org.mailhive.policy.internal;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.rewrite.AddressClass;
import org.mailhive.api.rewrite.AddressResolver;
import org.mailhive.api.rewrite.Resolution;
import org.mailhive.api.smtp.SmtpContext;
import org.mailhive.api.users.MailUser;
import org.mailhive.api.users.UserDirectory;

/** Small fakes: only {@code localhost} is local, {@code relay.test} is a relay domain, 127/8 is mynetworks. */
final class Fakes {

    private Fakes() {
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static SmtpContext client(String ip, String authUser) {
        return client(ip, authUser, MailAddress.of("sender", "remote.test"));
    }

    static SmtpContext client(String ip, String authUser, MailAddress sender) {
        return new SmtpContext() {
            @Override public InetAddress clientAddress() { return ip(ip); }
            @Override public String clientName() { return "unknown"; }
            @Override public String helo() { return "client.test"; }
            @Override public String listener() { return "mta"; }
            @Override public boolean tls() { return false; }
            @Override public Optional<String> authenticatedUser() { return Optional.ofNullable(authUser); }
            @Override public MailAddress sender() { return sender; }
            @Override public List<Recipient> recipients() { return List.of(); }
        };
    }

    static final AddressResolver RESOLVER = address -> {
        String d = address.domain();
        if (d.equals("localhost")) return new Resolution(address, AddressClass.LOCAL, "local", "");
        if (d.equals("relay.test")) return new Resolution(address, AddressClass.RELAY, "smtp", d);
        return new Resolution(address, AddressClass.REMOTE, "smtp", d);
    };

    static final UserDirectory USERS = new UserDirectory() {
        @Override
        public Optional<MailUser> lookup(String name) {
            return name.equalsIgnoreCase("alice@localhost")
                    ? Optional.of(new MailUser("alice@localhost", "/home/alice", Map.of()))
                    : Optional.empty();
        }
    };

    static final ServerIdentity IDENTITY = new ServerIdentity() {
        @Override public String myhostname() { return "mx.localhost"; }
        @Override public String mydomain() { return "localhost"; }
        @Override public String myorigin() { return "localhost"; }
        @Override public Set<String> mydestination() { return Set.of("localhost"); }
        @Override public boolean isMyDestination(String domain) { return domain.equals("localhost"); }
        @Override public List<String> mynetworks() { return List.of("127.0.0.0/8"); }
        @Override public boolean inMynetworks(InetAddress client) { return client.getAddress()[0] == 127; }
        @Override public String expand(String value) { return value.replace("$myhostname", myhostname()); }
    };

    static Recipient rcpt(String path) {
        return Recipient.of(MailAddress.parsePath(path, false));
    }
}
