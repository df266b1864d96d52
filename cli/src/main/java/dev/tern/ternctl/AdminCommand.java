package dev.tern.ternctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The shape every ternctl subcommand shares: one admin request, then the server's JSON as it is
 * ({@code --json}) or the command's text for people, then the exit code. Subclasses state only the
 * request, the text and, where it is not {@link ExitCodes#OK}, the exit code; failed requests end
 * the command through {@link AdminClient}'s {@link CliFailure}s.
 */
abstract class AdminCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The {@code ternctl} command line this subcommand runs under, however deeply nested. */
    final Ternctl root() {
        return (Ternctl) spec.root().userObject();
    }

    /** Checks the command line and makes the request; its answer is what {@code --json} prints. */
    abstract JsonNode request();

    /** The answer as text for people. */
    abstract void printText(Out out, JsonNode answer);

    /** What scripts see for a successful request; a command that found nothing to act on may say so. */
    int exitCode(JsonNode answer) {
        return ExitCodes.OK;
    }

    @Override
    public final Integer call() {
        JsonNode answer = request();
        Out out = root().out();
        if (out.json()) {
            out.printJson(answer);
        } else {
            printText(out, answer);
        }
        return exitCode(answer);
    }
}
