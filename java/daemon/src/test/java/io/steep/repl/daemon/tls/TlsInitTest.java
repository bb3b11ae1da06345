package io.steep.repl.daemon.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsInitTest {
    @TempDir
    Path dir;

    @Test
    void writesACaAServerAndAClientCertificateWithPrivateKeys() throws Exception {
        TlsInit.Written written = TlsInit.write(dir.resolve("tls"), List.of("db1.example.com", "10.0.0.5"), 30);

        Path tls = dir.resolve("tls");
        assertThat(written.files()).containsExactly(tls.resolve("ca.crt"), tls.resolve("ca.key"), tls.resolve("server.crt"),
                tls.resolve("server.key"), tls.resolve("client.crt"), tls.resolve("client.key"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls))).isEqualTo("rwx------");
        for (Path file : written.files()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                    .isEqualTo(file.toString().endsWith(".key") ? "rw-------" : "rw-r--r--");
        }
        X509Certificate ca = certificate(tls.resolve("ca.crt"));
        X509Certificate server = certificate(tls.resolve("server.crt"));
        X509Certificate client = certificate(tls.resolve("client.crt"));
        ca.verify(ca.getPublicKey());
        server.verify(ca.getPublicKey());
        client.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getSubjectAlternativeNames().stream().map(name -> (Object) name.get(1)).toList())
                .containsExactly("db1.example.com", "10.0.0.5", "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(server.getNotAfter().getTime() - server.getNotBefore().getTime())
                .isEqualTo((30L * 24 + 1) * 3600 * 1000);
        assertThat(Files.readString(tls.resolve("server.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertKeyMatches(tls.resolve("server.key"), server);
        assertKeyMatches(tls.resolve("client.key"), client);
        assertKeyMatches(tls.resolve("ca.key"), ca);
    }

    @Test
    void refusesToOverwriteAndWritesNothingWhenAnyFileExists() throws IOException {
        Files.writeString(dir.resolve("server.key"), "keep me");

        assertThatThrownBy(() -> TlsInit.write(dir, List.of(), 30)).isInstanceOf(SteepReplException.class)
                .hasMessage("refusing to overwrite " + dir.resolve("server.key") + "; nothing was written")
                .extracting(e -> ((SteepReplException) e).code()).isEqualTo(ErrorCode.USAGE);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("server.key"));
        }
        assertThat(Files.readString(dir.resolve("server.key"))).isEqualTo("keep me");
    }

    @Test
    void refusesBadDaysAndHostsBeforeWritingAnything() {
        assertThatThrownBy(() -> TlsInit.write(dir.resolve("a"), List.of(), 0)).hasMessage("--days: must be between 1 and 3650");
        assertThatThrownBy(() -> TlsInit.write(dir.resolve("a"), List.of("bad host"), 30))
                .hasMessageContaining("--host: \"bad host\" is neither a host name nor an IP address");
        assertThat(dir.resolve("a")).doesNotExist();
    }

    private static X509Certificate certificate(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** The key is PKCS#8 PEM and signs what the certificate's public key verifies. */
    private static void assertKeyMatches(Path keyFile, X509Certificate certificate) throws Exception {
        String base64 = Files.readString(keyFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).as(keyFile.toString()).isTrue();
    }
}
