package io.steep.repl.daemon.tls;

import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.IPAddress;

/**
 * {@code steep-repl daemon tls init}: a CA, a server certificate for the daemon and a client
 * certificate for mTLS, for a first setup. EC P-256 keys from the JDK, certificates built by
 * BouncyCastle ({@link Certificates}), PEM; private keys in PKCS#8, mode 0600. Nothing is
 * overwritten: when any of the six files exists, nothing is written.
 */
public final class TlsInit {
    public static final int DEFAULT_DAYS = 825;
    public static final int MAX_DAYS = 3650;
    /** Always in the server certificate, so local clients verify it without naming a host. */
    static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1", "::1");
    private static final Pattern HOST_NAME = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?");

    /** The files it writes, in order. */
    public enum File {
        CA_CERT("ca.crt"), CA_KEY("ca.key"), SERVER_CERT("server.crt"), SERVER_KEY("server.key"),
        CLIENT_CERT("client.crt"), CLIENT_KEY("client.key");

        private final String fileName;

        File(String fileName) {
            this.fileName = fileName;
        }

        public String fileName() {
            return fileName;
        }

        boolean isKey() {
            return fileName.endsWith(".key");
        }
    }

    /** What was written: the files and the names the server certificate is valid for. */
    public record Written(Path dir, List<Path> files, List<String> serverNames, int days) {
        public Path path(File file) {
            return dir.resolve(file.fileName());
        }
    }

    private TlsInit() {
    }

    public static Written write(Path dir, List<String> hosts, int days) {
        if (days < 1 || days > MAX_DAYS) {
            throw new SteepReplException(ErrorCode.USAGE, "--days: must be between 1 and " + MAX_DAYS,
                    "Certificates for a first setup; renew them before they expire (default " + DEFAULT_DAYS + " days).");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String host : hosts) {
            String name = host.strip();
            if (!IPAddress.isValid(name) && !HOST_NAME.matcher(name).matches()) {
                throw new SteepReplException(ErrorCode.USAGE, "--host: \"" + host + "\" is neither a host name nor an IP address",
                        "Give the names clients use to reach the daemon, e.g. --host db1.example.com --host 10.0.0.5.");
            }
            names.add(name);
        }
        names.addAll(LOCAL_NAMES);
        Path target = dir.toAbsolutePath().normalize();
        List<Path> existing = new ArrayList<>();
        for (File file : File.values()) {
            if (Files.exists(target.resolve(file.fileName()), LinkOption.NOFOLLOW_LINKS)) {
                existing.add(target.resolve(file.fileName()));
            }
        }
        if (!existing.isEmpty()) {
            throw new SteepReplException(ErrorCode.USAGE, "refusing to overwrite " + existing.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", ")) + "; nothing was written",
                    "Give another --dir, or move those files away first (a running daemon may be using them).");
        }
        return writeAll(target, List.copyOf(names), days);
    }

    private static Written writeAll(Path dir, List<String> names, int days) {
        List<Path> written = new ArrayList<>();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            KeyPair caKeys = newKeyPair();
            KeyPair serverKeys = newKeyPair();
            KeyPair clientKeys = newKeyPair();
            Certificates certificates = new Certificates(caKeys, days);
            write(dir, File.CA_CERT, pem(certificates.ca()), written);
            write(dir, File.CA_KEY, pem(new JcaPKCS8Generator(caKeys.getPrivate(), null)), written);
            write(dir, File.SERVER_CERT, pem(certificates.server(serverKeys.getPublic(), names)), written);
            write(dir, File.SERVER_KEY, pem(new JcaPKCS8Generator(serverKeys.getPrivate(), null)), written);
            write(dir, File.CLIENT_CERT, pem(certificates.client(clientKeys.getPublic())), written);
            write(dir, File.CLIENT_KEY, pem(new JcaPKCS8Generator(clientKeys.getPrivate(), null)), written);
            return new Written(dir, List.copyOf(written), names, days);
        } catch (FileAlreadyExistsException e) {
            removeQuietly(written);
            throw new SteepReplException(ErrorCode.USAGE, "refusing to overwrite " + e.getFile() + " (it appeared while "
                    + "writing); nothing was written", "Give another --dir.");
        } catch (IOException | GeneralSecurityException | OperatorCreationException | RuntimeException e) {
            removeQuietly(written);
            throw new SteepReplException(ErrorCode.ERROR, "cannot write certificates to " + dir + ": " + e.getMessage(),
                    "Check that the directory is writable; nothing was left behind.", null, e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (object instanceof JcaPKCS8Generator key) {
                writer.writeObject(key);
            } else {
                writer.writeObject(object);
            }
        }
        return text.toString();
    }

    /** Creates the file (never replaces one), private keys with mode 0600 from the start. */
    private static void write(Path dir, File file, String content, List<Path> written) throws IOException {
        Path path = dir.resolve(file.fileName());
        Files.createFile(path, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString(file.isKey() ? "rw-------" : "rw-r--r--")));
        written.add(path);
        Files.writeString(path, content, StandardCharsets.US_ASCII);
    }

    private static void removeQuietly(List<Path> written) {
        for (Path path : written) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + path + " after a failed tls init", e);
            }
        }
    }
}
