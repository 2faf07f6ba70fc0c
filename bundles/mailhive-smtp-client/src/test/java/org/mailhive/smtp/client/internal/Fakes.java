package org.mailhive.smtp.client.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.delivery.DeliveryRequest;
import org.mailhive.api.dns.DnsException;
import org.mailhive.api.dns.DnsResolver;
import org.mailhive.api.dns.MxRecord;
import org.mailhive.api.mail.Envelope;
import org.mailhive.api.mail.MailAddress;
import org.mailhive.api.mail.MessageContent;
import org.mailhive.api.mail.Recipient;
import org.mailhive.api.queue.QueueId;
import org.mailhive.api.rewrite.AddressClass;
import org.mailhive.api.rewrite.Resolution;

/** Test doubles: DNS from maps, a fixed identity, requests over bytes, a self-signed server certificate. */
final class Fakes {

    private Fakes() {
    }

    static final class Dns implements DnsResolver {
        final Map<String, List<MxRecord>> mx = new HashMap<>();
        final Map<String, List<InetAddress>> hosts = new HashMap<>();
        final Map<String, DnsException> failures = new HashMap<>();
        final List<String> queries = new CopyOnWriteArrayList<>();

        Dns mx(String domain, int preference, String host) {
            mx.computeIfAbsent(domain, d -> new ArrayList<>()).add(new MxRecord(preference, host));
            return this;
        }

        Dns host(String name, String... addresses) {
            List<InetAddress> list = new ArrayList<>();
            for (String a : addresses) list.add(ip(a));
            hosts.put(name, list);
            return this;
        }

        Dns fail(String type, String name, boolean temporary) {
            failures.put(type + " " + name, new DnsException("lookup failed", temporary));
            return this;
        }

        @Override
        public CompletionStage<List<MxRecord>> mx(String domain) {
            queries.add("MX " + domain);
            DnsException f = failures.get("MX " + domain);
            if (f != null) return CompletableFuture.failedFuture(f);
            if (!mx.containsKey(domain) && !hosts.containsKey(domain)) {
                return CompletableFuture.failedFuture(new DnsException("NXDOMAIN", false));
            }
            return CompletableFuture.completedFuture(List.copyOf(mx.getOrDefault(domain, List.of())));
        }

        @Override
        public CompletionStage<List<InetAddress>> addresses(String host) {
            queries.add("A " + host);
            DnsException f = failures.get("A " + host);
            if (f != null) return CompletableFuture.failedFuture(f);
            if (!hosts.containsKey(host) && !mx.containsKey(host)) {
                return CompletableFuture.failedFuture(new DnsException("NXDOMAIN", false));
            }
            // supplyAsync: the answer comes from another thread, as the real resolver's does
            return CompletableFuture.supplyAsync(() -> List.copyOf(hosts.getOrDefault(host, List.of())));
        }

        @Override
        public CompletionStage<List<InetAddress>> ipv4(String name) {
            return addresses(name);
        }

        @Override
        public CompletionStage<List<String>> txt(String name) {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletionStage<List<String>> ptr(InetAddress address) {
            return CompletableFuture.completedFuture(List.of());
        }
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static final class Identity implements ServerIdentity {
        @Override
        public String myhostname() {
            return "mail.local.test";
        }

        @Override
        public String mydomain() {
            return "local.test";
        }

        @Override
        public String myorigin() {
            return "local.test";
        }

        @Override
        public Set<String> mydestination() {
            return Set.of("local.test");
        }

        @Override
        public boolean isMyDestination(String domain) {
            return mydestination().contains(domain);
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
            return value.replace("$myhostname", myhostname()).replace("${myhostname}", myhostname());
        }
    }

    /** Settings for tests: short timeouts, the sink's port for every host. */
    static ClientSettings settings(int port) {
        ClientSettings d = ClientSettings.DEFAULTS;
        Duration t = Duration.ofSeconds(5);
        return new ClientSettings(port, null, ClientSettings.TlsLevel.MAY, false, "", "", d.heloName(),
                Duration.ofSeconds(2), t, t, t, t, t, t, t, t, Duration.ofSeconds(30));
    }

    static DeliveryRequest request(byte[] content, Map<String, String> attributes, String... recipients) {
        List<Recipient> rcpts = new ArrayList<>();
        List<Resolution> resolved = new ArrayList<>();
        for (String r : recipients) {
            MailAddress a = MailAddress.parse(r);
            rcpts.add(Recipient.of(a));
            resolved.add(new Resolution(a, AddressClass.REMOTE, "smtp", a.domain()));
        }
        Envelope env = new Envelope(MailAddress.parse("alice@local.test"), rcpts, attributes);
        return new DeliveryRequest(new QueueId("3F2A9C1B07"), env, resolved, bytes(content));
    }

    static DeliveryRequest request(String... recipients) {
        return request(message("hello"), Map.of(), recipients);
    }

    static byte[] message(String body) {
        return ("From: alice@local.test\r\nTo: bob@remote.test\r\nSubject: test\r\n\r\n" + body + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static MessageContent bytes(byte[] content) {
        return new MessageContent() {
            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(content);
            }

            @Override
            public long size() {
                return content.length;
            }
        };
    }

    /** A server context over a self-signed certificate made once per run. */
    static final SSLContext SERVER_TLS = serverTls();

    private static SSLContext serverTls() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(256);
            KeyPair keys = gen.generateKeyPair();
            X500Name name = new X500Name("CN=sink.test");
            long now = System.currentTimeMillis();
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                    name, BigInteger.valueOf(now), new Date(now - 3_600_000L), new Date(now + 3_600_000L), name,
                    keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            char[] pw = "sink".toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("sink", keys.getPrivate(), pw, new X509Certificate[] {cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the test certificate", e);
        }
    }
}
