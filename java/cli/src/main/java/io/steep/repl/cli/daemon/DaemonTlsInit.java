package io.steep.repl.cli.daemon;

import io.steep.repl.cli.output.Output;
import io.steep.repl.daemon.tls.TlsInit;
import io.steep.repl.daemon.tls.TlsInit.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes the certificates and says how to use them; apart from the command so that --help loads no BouncyCastle. */
final class DaemonTlsInit {
    private DaemonTlsInit() {
    }

    static void write(Output output, Path dir, List<String> hosts, int days) {
        TlsInit.Written written = TlsInit.write(dir, hosts, days);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dir", written.dir().toString());
        json.put("files", written.files().stream().map(Path::toString).toList());
        json.put("server_names", written.serverNames());
        json.put("days", written.days());
        output.show("tls", json, () -> {
            List<String> lines = new ArrayList<>();
            written.files().forEach(f -> lines.add("wrote " + f));
            lines.add("server certificate valid for " + String.join(", ", written.serverNames()) + ", " + days + " days");
            lines.add("");
            lines.add("In the daemon's config (drop client_ca to accept clients without certificates):");
            lines.add("  tls:");
            lines.add("    cert: " + written.path(File.SERVER_CERT));
            lines.add("    key: " + written.path(File.SERVER_KEY));
            lines.add("    client_ca: " + written.path(File.CA_CERT));
            lines.add("");
            lines.add("For clients: the CA " + written.path(File.CA_CERT) + ", and for mTLS the certificate "
                    + written.path(File.CLIENT_CERT) + " with its key " + written.path(File.CLIENT_KEY) + ".");
            return lines;
        });
    }
}
