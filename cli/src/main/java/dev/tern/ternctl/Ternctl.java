package dev.tern.ternctl;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code ternctl}: the operator's command line over the admin API of the delivery and bounce
 * services (docs/ARCHITECTURE.md, "Message trace and ternctl"; README, "Operating Tern"). Plain
 * Java, one HTTP request or two per command; tables for people, {@code --json} for scripts, and
 * the exit codes of {@link ExitCodes}.
 *
 * <p>Where the services are and which token to send: {@code --delivery}, {@code --bounce},
 * {@code --token-file}, else {@code TERN_DELIVERY_URL}, {@code TERN_BOUNCE_URL},
 * {@code TERN_ADMIN_TOKEN_FILE}, else tern-local's defaults (127.0.0.1:8082 and :8083,
 * {@code .tern-local/admin/operator-token}).
 */
@Command(name = "ternctl", mixinStandardHelpOptions = true, version = "ternctl 0.1.0",
        description = "Operate a Tern cluster through its admin API.",
        footer = {"", "Exit codes: 0 ok, 1 server refused the request or bad usage, 2 not found,",
                "3 service unreachable or token missing/refused."},
        subcommands = {Commands.Queues.class, Commands.Trace.class, Commands.Suspend.class, Commands.Resume.class,
                Commands.Purge.class, Commands.RetryNow.class, Commands.Reroute.class, Commands.Hold.class,
                Commands.Release.class, SuppressionCommand.class, QuarantineCommand.class})
public final class Ternctl {

    @Option(names = "--delivery", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:TERN_DELIVERY_URL:-http://127.0.0.1:8082}",
            description = "Delivery service base URL (env TERN_DELIVERY_URL; default ${DEFAULT-VALUE}).")
    URI delivery;

    @Option(names = "--bounce", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:TERN_BOUNCE_URL:-http://127.0.0.1:8083}",
            description = "Bounce service base URL (env TERN_BOUNCE_URL; default ${DEFAULT-VALUE}).")
    URI bounce;

    @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            defaultValue = "${env:TERN_ADMIN_TOKEN_FILE:-.tern-local/admin/operator-token}",
            description = "File holding the admin bearer token (env TERN_ADMIN_TOKEN_FILE; default ${DEFAULT-VALUE}).")
    Path tokenFile;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the server's JSON answer.")
    boolean json;

    PrintWriter stdout;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /** Runs one command line; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        var root = new Ternctl();
        root.stdout = out;
        var cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, given) -> {
            err.println("ternctl: " + e.getMessage());
            e.getCommandLine().usage(err);
            err.flush();
            return ExitCodes.ERROR;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof CliFailure f) {
                err.println("ternctl: " + f.getMessage());
                err.flush();
                return f.exitCode();
            }
            err.println("ternctl: " + e);
            err.flush();
            return ExitCodes.ERROR;
        });
        return cli.execute(args);
    }

    AdminClient delivery() {
        return new AdminClient("delivery", delivery, token());
    }

    AdminClient bounce() {
        return new AdminClient("bounce", bounce, token());
    }

    Out out() {
        return new Out(stdout, json);
    }

    private String token() {
        try {
            String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            int newline = token.indexOf('\n');
            token = newline < 0 ? token : token.substring(0, newline).strip();
            if (token.isEmpty()) {
                throw new CliFailure(ExitCodes.UNREACHABLE, "token file " + tokenFile + " is empty");
            }
            return token;
        } catch (NoSuchFileException e) {
            throw new CliFailure(ExitCodes.UNREACHABLE, "no token file " + tokenFile
                    + " (--token-file or TERN_ADMIN_TOKEN_FILE; tern-local writes .tern-local/admin/operator-token)");
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.UNREACHABLE, "cannot read token file " + tokenFile + ": " + e.getMessage());
        }
    }
}
