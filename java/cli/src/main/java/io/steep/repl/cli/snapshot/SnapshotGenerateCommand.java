package io.steep.repl.cli.snapshot;

import io.steep.repl.api.Backend;
import io.steep.repl.cli.ServerCommand;
import io.steep.repl.cli.output.Output;
import io.steep.repl.snapshot.SnapshotOperations;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code steep-repl snapshot generate}: a consistent snapshot of the connected database into a server directory. */
@Command(name = "generate",
        description = {"Generate a consistent snapshot of the connected database into a directory on its server, "
                + "as a background job, and show its progress until it ends.",
                "Exit 0 when complete, 1 when failed, 4 when cancelled. Ctrl-C stops watching, not the job."},
        footerHeading = "%nExamples:%n",
        footer = {"  steep-repl snapshot generate node-a --output /srv/snap/shop -c \"host=db1 dbname=shop\"",
                "  steep-repl snapshot generate node-a --output /srv/snap/shop --compression zstd:3 --parallel 2 --detach",
                "  steep-repl snapshot generate node-a --output /srv/snap/shop --keep-slot --slot-name sub_node_b",
                "  steep-repl snapshot generate node-a --output /srv/snap/shop --checksum sha256",
                "  steep-repl snapshot generate node-a --output /srv/snap/shop --data-format text"})
public final class SnapshotGenerateCommand extends ServerCommand {

    @Mixin
    StartOptions start;

    @Parameters(index = "0", paramLabel = "NODE-ID", description = "The node being copied, recorded in the manifest.")
    String nodeId;

    @Option(names = "--output", paramLabel = "PATH", required = true,
            description = "New or empty directory on the database server (absolute path).")
    String output;

    @Option(names = "--compression", paramLabel = "METHOD[:LEVEL]", defaultValue = "none",
            description = "none, gzip[:1-9], lz4[:1-12] or zstd[:1-22] (default ${DEFAULT-VALUE}).")
    String compression;

    @Option(names = "--keep-slot",
            description = "Create a logical replication slot at the snapshot's point and keep it (needs REPLICATION).")
    boolean keepSlot;

    @Option(names = "--slot-name", paramLabel = "NAME",
            description = "Name of the kept slot (1-63 of a-z, 0-9, _; default steep_<snapshot id>). Needs --keep-slot.")
    String slotName;

    /** Passed through: the extension checks it (22023, a usage error) and applies the default. */
    @Option(names = "--checksum", paramLabel = "ALGORITHM",
            description = "Checksum of every file in the manifest: crc32c (default; catches accidental damage) "
                    + "or sha256 (any change, at more CPU).")
    String checksum;

    /** Passed through, like --checksum. */
    @Option(names = "--data-format", paramLabel = "FORMAT",
            description = "How the data files hold the rows: binary (default without compression; loads about a "
                    + "third faster) or text (default with compression; smaller, and what pg_dump writes). "
                    + "Tables with composite, extension or array-of-user types are always text.")
    String dataFormat;

    @Override
    protected void validate() {
        start.check(this::usage);
    }

    @Override
    protected boolean needsWorker() {
        return true;
    }

    @Override
    protected int run(Backend backend, Output out) throws SQLException {
        return start.run(backend, out, SnapshotOperations.GENERATE, new SnapshotOperations.GenerateRequest(nodeId,
                output, compression, start.parallel, keepSlot, slotName, start.detach, checksum,
                dataFormat));
    }
}
