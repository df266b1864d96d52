package dev.tern.local.runtime.process;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A JVM child process (a Kafka broker, an Infinispan server, a storage formatter) that dies with
 * the JVM that started it, or a native {@linkplain #program program} (Prometheus) tied the same way.
 *
 * <p>Owns the {@link Process}, the write end of the child's stdin pipe and the child's log file.
 * The child runs {@link ParentWatchdog}, which exits when that pipe reaches end of file, so the
 * child goes away even when this JVM is killed with {@code kill -9}. For that to work the pipe
 * must stay open exactly as long as the child should live: every running child is held in a
 * static registry (an unreachable {@link Process} would have its stdin closed by the cleaner),
 * and a JVM shutdown hook stops whatever is still registered.
 *
 * <p>The child's stdout and stderr go to its log file, never to this JVM's console. The
 * classpath is handed over in the {@code CLASSPATH} environment variable so that {@code ps}
 * shows the main class and arguments rather than 200 jar paths.
 *
 * <p>A native program cannot run the watchdog, so {@link #program} starts it under {@code sh},
 * which waits on the same stdin pipe and kills the program when the pipe closes (this JVM is gone,
 * or {@link #stop()} closed it).
 *
 * <p>Thread-safe; {@link #stop()} may be called from any thread, any number of times.
 */
public final class ChildProcess implements AutoCloseable {

    /** How long a child gets to shut down cleanly after SIGTERM before it is killed. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final Set<ChildProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::stopAll, "tern-child-processes-stop"));
    }

    private final String name;
    private final Process process;
    private final OutputStream lifeline;
    private final Path logFile;
    private final long logStart;
    private final boolean shellTied;

    private ChildProcess(String name, Process process, Path logFile, long logStart, boolean shellTied) {
        this.name = name;
        this.process = process;
        this.lifeline = process.getOutputStream();
        this.logFile = logFile;
        this.logStart = logStart;
        this.shellTied = shellTied;
    }

    /** What {@code sh} runs for a {@linkplain #program program}: it, then kill it when stdin reaches end of file. */
    static final String TIE_TO_STDIN = "\"$0\" \"$@\" & k=$!; cat >/dev/null; kill $k; wait $k";

    /** Starts describing a child JVM that will run {@code mainClass} under the watchdog. */
    public static Builder java(String name, String mainClass) {
        return new Builder(name, mainClass, null);
    }

    /**
     * Starts describing a native program (e.g. {@code /usr/bin/prometheus}) with {@link Builder#args};
     * JVM arguments and classpath do not apply. It gets SIGTERM from {@link #stop()} and when this JVM dies.
     */
    public static Builder program(String name, Path executable) {
        return new Builder(name, null, executable);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** File that receives the child's stdout and stderr. */
    public Path logFile() {
        return logFile;
    }

    /**
     * Waits for the child to exit on its own (for one-shot tools such as the storage formatter).
     *
     * @return the exit code
     * @throws IllegalStateException if the child is still running after {@code timeout}; it is
     *     stopped first
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop();
                throw new IllegalStateException(name + " did not finish within " + timeout + "; log: " + logFile);
            }
            RUNNING.remove(this);
            closeLifeline();
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /**
     * Stops the child: SIGTERM so the server runs its own shutdown (Kafka flushes and writes a
     * clean-shutdown marker), then SIGKILL after {@link #STOP_TIMEOUT}. Returns once it is gone.
     */
    public synchronized void stop() {
        if (shellTied) {
            stopTiedProgram();
            return;
        }
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            closeLifeline();
            RUNNING.remove(this);
        }
    }

    /** Closing the pipe makes the shell SIGTERM the program and wait for it; SIGKILL whatever is left late. */
    private void stopTiedProgram() {
        try {
            closeLifeline();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        } finally {
            RUNNING.remove(this);
        }
    }

    /**
     * SIGKILL, as a crashing pod dies: nothing flushed, no clean-shutdown marker (fault-injection
     * tests). Returns once the child has exited.
     */
    public void kill() {
        handle().destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /**
     * {@link #stop()}s every one of {@code children}, each on its own thread because each may take
     * up to {@link #STOP_TIMEOUT}, and returns once all are gone (or this thread is interrupted).
     */
    public static void stopInParallel(Collection<ChildProcess> children) {
        List<Thread> stoppers = new ArrayList<>();
        for (ChildProcess child : children) {
            Thread stopper = new Thread(child::stop, "tern-stop-" + child.name);
            stopper.start();
            stoppers.add(stopper);
        }
        for (Thread stopper : stoppers) {
            try {
                stopper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * True once this child has written {@code marker} (e.g. a server's "started" message id) to
     * its log. Only this run's output counts: the log is appended to across restarts.
     */
    public boolean logContains(String marker) {
        try (SeekableByteChannel channel = Files.newByteChannel(logFile)) {
            channel.position(logStart);
            return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.ISO_8859_1).contains(marker);
        } catch (IOException e) {
            return false;
        }
    }

    /** Last lines of the log, for error messages when a server fails to start. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log " + logFile + " unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + "]";
    }

    private void closeLifeline() {
        try {
            lifeline.close();
        } catch (IOException e) {
            // The child is gone or going; a failed close of its pipe changes nothing.
        }
    }

    private static void stopAll() {
        stopInParallel(RUNNING);
    }

    /** Describes a child JVM; {@link #start()} launches it. */
    public static final class Builder {
        private final String name;
        private final String mainClass;
        private final Path executable;
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private List<Path> classpath = List.of();
        private Path workDir = Path.of(".");
        private Path logFile;

        private Builder(String name, String mainClass, Path executable) {
            this.name = name;
            this.mainClass = mainClass;
            this.executable = executable;
        }

        /** Classpath of the child; must contain {@link ParentWatchdog} (see {@link ServerClasspath}). */
        public Builder classpath(List<Path> entries) {
            this.classpath = List.copyOf(entries);
            return this;
        }

        public Builder jvmArgs(String... values) {
            jvmArgs.addAll(List.of(values));
            return this;
        }

        public Builder systemProperty(String key, Object value) {
            jvmArgs.add("-D" + key + "=" + value);
            return this;
        }

        public Builder args(String... values) {
            args.addAll(List.of(values));
            return this;
        }

        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** Appends the child's stdout and stderr to this file; default {@code <workDir>/<name>.log}. */
        public Builder logFile(Path file) {
            this.logFile = file;
            return this;
        }

        public ChildProcess start() {
            Path log = logFile != null ? logFile : workDir.resolve(name + ".log");
            List<String> command = new ArrayList<>();
            if (executable != null) {
                command.addAll(List.of("sh", "-c", TIE_TO_STDIN, executable.toString()));
            } else {
                command.add(javaExecutable());
                command.addAll(jvmArgs);
                command.add(ParentWatchdog.class.getName());
                command.add(mainClass);
            }
            command.addAll(args);
            try {
                Files.createDirectories(workDir);
                Files.createDirectories(log.toAbsolutePath().getParent());
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.PIPE);
                Map<String, String> env = builder.environment();
                if (executable == null) {
                    env.put("CLASSPATH", ServerClasspath.join(classpath));
                }
                // Options meant for the parent (e.g. a debugger agent) must not leak into servers.
                env.remove("JAVA_TOOL_OPTIONS");
                env.remove("JDK_JAVA_OPTIONS");
                long logStart = Files.exists(log) ? Files.size(log) : 0;
                ChildProcess child = new ChildProcess(name, builder.start(), log, logStart, executable != null);
                RUNNING.add(child);
                return child;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name + ": " + command, e);
            }
        }

        private static String javaExecutable() {
            Path fromHome = Path.of(System.getProperty("java.home"), "bin", "java");
            if (Files.isExecutable(fromHome)) {
                return fromHome.toString();
            }
            return ProcessHandle.current().info().command()
                    .orElseThrow(() -> new IllegalStateException("cannot find the java executable"));
        }
    }
}
