package dev.tern.local.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** How the test peers (dkimpy, OpenDKIM) are run: over files in a throwaway directory, with a time limit. */
final class ScratchDir {

    /** What is done in the directory. */
    interface Work<T> {
        T in(Path dir) throws IOException, InterruptedException;
    }

    private ScratchDir() {
    }

    /** Runs {@code work} in a new temporary directory, removed (with its files) afterwards. */
    static <T> T use(String prefix, Work<T> work) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            try {
                return work.in(dir);
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code command} and returns its standard output once it has exited, within 30 s. */
    static Finished run(String name, ProcessBuilder command) throws IOException, InterruptedException {
        Process p = command.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within 30 s");
        }
        return new Finished(p.exitValue(), out);
    }

    record Finished(int exitValue, byte[] output) {
    }
}
