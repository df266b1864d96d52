package dev.tern.local.runtime.process;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every child JVM that {@link ChildProcess} starts: ties the child's life to its
 * parent, then runs the real main class.
 *
 * <p>Contract: {@code args[0]} is the real main class, the remaining arguments are passed to it
 * unchanged. A daemon thread reads standard input, which the parent holds open as a pipe and
 * never writes to. End of file (or a read error) means the parent is gone — including after
 * {@code kill -9}, when the kernel closes the parent's end of the pipe — so the child calls
 * {@link System#exit} to let the server's shutdown hooks flush its state, and halts outright if
 * that has not finished within {@link #GRACE_MILLIS}. Without this, a killed test JVM or
 * launcher would leave brokers holding ports and data directories.
 *
 * <p>If the real main throws, the child exits with status 1 (see {@link #failed}).
 *
 * <p>This class runs on the child's classpath next to the server's jars, so it may use only the
 * JDK.
 */
public final class ParentWatchdog {

    /** Time the server's own shutdown hooks get before the JVM is halted. */
    static final long GRACE_MILLIS = 5_000;

    private ParentWatchdog() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ParentWatchdog <main class> [args...]");
        }
        Thread watchdog = new Thread(ParentWatchdog::watchStdin, "tern-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        try {
            Method main = Class.forName(args[0]).getMethod("main", String[].class);
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            failed(e.getCause());
        } catch (ReflectiveOperationException | RuntimeException | Error e) {
            failed(e);
        }
    }

    /**
     * A main that throws must end the child: server threads it already started would otherwise
     * keep a half-initialised JVM alive, and the parent would wait for readiness in vain.
     */
    private static void failed(Throwable failure) {
        failure.printStackTrace();
        System.exit(1);
    }

    private static void watchStdin() {
        InputStream in = System.in;
        byte[] sink = new byte[256];
        try {
            while (in.read(sink) >= 0) {
                // The parent never writes; anything read is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the same as EOF: the parent is gone.
        }
        Thread halter = new Thread(() -> {
            sleepQuietly(GRACE_MILLIS);
            Runtime.getRuntime().halt(143);
        }, "tern-parent-watchdog-halt");
        halter.setDaemon(true);
        halter.start();
        System.err.println("tern: parent process gone (stdin closed), exiting");
        System.exit(143);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
