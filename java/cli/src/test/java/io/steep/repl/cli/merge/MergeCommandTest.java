package io.steep.repl.cli.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.cli.SteepRepl;
import io.steep.repl.jdbc.Environment;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** How the merge command line becomes start_merge's arguments, without a server. */
class MergeCommandTest {
    @TempDir
    Path home;

    private ParseResult parse(String... args) {
        return SteepRepl.commandLine(new Environment(Map.of(), home, "u", null, home)).parseArgs(args);
    }

    private MergeCommand merge(String... args) {
        return parse(args).subcommand().commandSpec().commandLine().getCommand();
    }

    @Test
    void everyTableOptionGoesIntoTheOptionsObjectAsGiven() {
        MergeCommand merge = merge("merge", "node-a", "node-b", "--tables", "public.users,public.orders",
                "--tables", "app.events", "--strategy", "last-modified", "--strategy-for", "public.orders=manual",
                "--last-modified-column", "public.users=updated_at", "--last-modified-column", "app.events = at",
                "--key-columns", "app.events=id, at", "--lock-timeout", "5s", "--dry-run");

        assertThat(merge.pair.nodeA()).isEqualTo("node-a");
        assertThat(merge.pair.nodeB()).isEqualTo("node-b");
        assertThat(merge.pair.tables()).containsExactly("public.users", "public.orders", "app.events");
        assertThat(merge.strategy).isEqualTo("last-modified");
        assertThat(merge.dryRun).isTrue();
        assertThat(merge.noWait).isFalse();
        assertThat(merge.options().json()).isEqualTo("{\"strategies\":{\"public.orders\":\"manual\"},"
                + "\"last_modified_column\":{\"app.events\":\"at\",\"public.users\":\"updated_at\"},"
                + "\"key_columns\":{\"app.events\":[\"id\",\"at\"]},\"lock_timeout\":\"5s\"}");
    }

    @Test
    void withoutTableOptionsTheOptionsObjectIsEmpty() {
        MergeCommand merge = merge("merge", "a", "b", "--tables", "t", "--strategy", "prefer-remote", "--no-wait");

        assertThat(merge.options().json()).isEqualTo("{}");
        assertThat(merge.noWait).isTrue();
        assertThat(merge.dryRun).isFalse();
    }

    @Test
    void statusConflictsAndCancelAreSubcommandsNotNodes() {
        ParseResult status = parse("merge", "status", "merge_20261206_031100_ab12cd34").subcommand().subcommand();
        assertThat(status.commandSpec().userObject()).isInstanceOf(MergeStatusCommand.class);
        assertThat(((MergeStatusCommand) status.commandSpec().userObject()).mergeId)
                .isEqualTo("merge_20261206_031100_ab12cd34");

        ParseResult all = parse("merge", "status").subcommand().subcommand();
        assertThat(((MergeStatusCommand) all.commandSpec().userObject()).mergeId).isNull();

        ParseResult conflicts = parse("merge", "conflicts", "m1", "--limit", "7").subcommand().subcommand();
        assertThat(((MergeConflictsCommand) conflicts.commandSpec().userObject()).limit).isEqualTo(7);
        assertThat(((MergeConflictsCommand) parse("merge", "conflicts", "m1").subcommand().subcommand()
                .commandSpec().userObject()).limit).isEqualTo(100);

        ParseResult cancel = parse("merge", "cancel", "m1").subcommand().subcommand();
        assertThat(cancel.commandSpec().userObject()).isInstanceOf(MergeCancelCommand.class);
    }

    @Test
    void helpListsTheSubcommandsAndTheStrategies() {
        CommandLine merge = SteepRepl.commandLine(new Environment(Map.of(), home, "u", null, home))
                .getSubcommands().get("merge");

        assertThat(merge.getSubcommands()).containsOnlyKeys("status", "conflicts", "cancel");
        assertThat(merge.getUsageMessage()).contains("prefer-local", "prefer-remote", "last-modified", "manual",
                "--dry-run", "--no-wait", "never with a password");
    }
}
