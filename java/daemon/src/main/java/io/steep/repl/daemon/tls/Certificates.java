package io.steep.repl.daemon.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * A CA and the certificates it signs, with BouncyCastle's builders over the JDK's own
 * providers (no BouncyCastle provider is registered): SHA256withECDSA, random 128-bit serials,
 * valid from an hour ago (clock skew) for the given number of days.
 */
final class Certificates {
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final Date notBefore;
    private final Date notAfter;
    private final JcaX509ExtensionUtils extensions;

    Certificates(KeyPair caKeys, int days) throws GeneralSecurityException, CertIOException, OperatorCreationException {
        Instant now = Instant.now();
        this.caKeys = caKeys;
        this.notBefore = Date.from(now.minus(Duration.ofHours(1)));
        this.notAfter = Date.from(now.plus(Duration.ofDays(days)));
        this.extensions = new JcaX509ExtensionUtils();
        X500Name name = new X500Name("CN=steep-repl daemon CA");
        X509v3CertificateBuilder builder = builder(name, name, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        this.ca = sign(builder);
    }

    X509Certificate ca() {
        return ca;
    }

    /** The daemon's certificate, valid for every name and address given. */
    X509Certificate server(PublicKey key, List<String> names)
            throws GeneralSecurityException, CertIOException, OperatorCreationException {
        GeneralName[] alternatives = names.stream()
                .map(n -> new GeneralName(IPAddress.isValid(n) ? GeneralName.iPAddress : GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        return sign(leaf(new X500Name("CN=" + names.get(0)), key, KeyPurposeId.id_kp_serverAuth)
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives)));
    }

    /** A client's certificate for mTLS. */
    X509Certificate client(PublicKey key) throws GeneralSecurityException, CertIOException, OperatorCreationException {
        return sign(leaf(new X500Name("CN=steep-repl client"), key, KeyPurposeId.id_kp_clientAuth));
    }

    private X509v3CertificateBuilder leaf(X500Name subject, PublicKey key, KeyPurposeId purpose)
            throws GeneralSecurityException, CertIOException {
        return builder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), subject, key)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca));
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key) throws CertIOException {
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(128, RANDOM), notBefore, notAfter, subject, key)
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(key));
    }

    private X509Certificate sign(X509v3CertificateBuilder builder) throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(SIGNATURE).build(caKeys.getPrivate())));
    }
}
