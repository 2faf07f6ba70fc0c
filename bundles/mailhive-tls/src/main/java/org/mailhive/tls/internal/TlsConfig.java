package org.mailhive.tls.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Keys of {@code org.mailhive.tls}, named as in Dovecot (ssl_cert, ssl_key, ssl_min_protocol,
 * ssl_cipher_list). Relative paths are resolved against the data directory; a leading {@code <}
 * (Dovecot's "read from file" marker) is accepted and ignored.
 */
@ObjectClassDefinition(name = "Mailhive TLS", description = "Server certificate, key and protocol settings")
@interface TlsConfig {

    @AttributeDefinition(name = "ssl_cert",
            description = "PEM certificate chain (server certificate first); empty: ${mailhive.data}/tls/server.crt")
    String ssl__cert() default "";

    @AttributeDefinition(name = "ssl_key",
            description = "PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC, optionally encrypted); empty: ${mailhive.data}/tls/server.key")
    String ssl__key() default "";

    @AttributeDefinition(name = "ssl_key_password", type = AttributeType.PASSWORD,
            description = "Password of an encrypted ssl_key, or of the key entry in ssl_keystore (default: the keystore password)")
    String ssl__key__password() default "";

    @AttributeDefinition(name = "ssl_keystore",
            description = "Keystore file used instead of ssl_cert/ssl_key when set; its first private key entry is served")
    String ssl__keystore() default "";

    @AttributeDefinition(name = "ssl_keystore_password", type = AttributeType.PASSWORD,
            description = "Password of ssl_keystore")
    String ssl__keystore__password() default "";

    @AttributeDefinition(name = "ssl_keystore_type", description = "PKCS12 or JKS")
    String ssl__keystore__type() default "PKCS12";

    @AttributeDefinition(name = "ssl_min_protocol", description = "Oldest protocol offered: TLSv1.2 or TLSv1.3")
    String ssl__min__protocol() default "TLSv1.2";

    @AttributeDefinition(name = "ssl_cipher_list",
            description = "Cipher suites (IANA/JDK names, separated by commas, colons or spaces), strongest first; "
                    + "empty: TLS 1.3 suites, then ECDHE with AES-GCM or ChaCha20-Poly1305")
    String ssl__cipher__list() default "";

    @AttributeDefinition(name = "ssl_generate_self_signed",
            description = "yes: when neither ssl_cert nor ssl_key exists, create a self-signed certificate for myhostname")
    String ssl__generate__self__signed() default "yes";
}
