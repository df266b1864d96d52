package dev.tern.local.testkit.tools;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure a test peer from Debian's packages ({@code swaks}, Postfix's {@code smtp-sink} and
 * {@code smtp-source}, Knot DNS, pyspf) is installed, installing it with {@code apt-get} when it is not, so the
 * project's own test run brings what it needs to a fresh machine (no hand-installed state).
 *
 * <p>Needs root, which build machines here have. Postfix is preseeded with "No configuration" so
 * its main instance is never set up or started. One install at a time per JVM.
 */
public final class DebianTools {

    private static final Object LOCK = new Object();
    private static boolean updated;

    private DebianTools() {
    }

    /** Path of {@code command}, installing {@code debianPackage} first when it is missing. */
    public static Path ensure(String command, String debianPackage) {
        synchronized (LOCK) {
            Path found = which(command);
            if (found != null) {
                return found;
            }
            if (debianPackage.equals("postfix")) {
                run(List.of("sh", "-c", "echo 'postfix postfix/main_mailer_type select No configuration'"
                        + " | debconf-set-selections"));
            }
            if (!updated) {
                run(List.of("apt-get", "update", "-q"));
                updated = true;
            }
            run(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", debianPackage));
            found = which(command);
            if (found == null) {
                throw new IllegalStateException(debianPackage + " installed but " + command + " is not on the PATH");
            }
            return found;
        }
    }

    /** swaks with the Perl TLS modules it needs for STARTTLS and implicit TLS. */
    public static Path swaks() {
        synchronized (LOCK) {
            Path swaks = ensure("swaks", "swaks");
            if (!perlHas("Net::SSLeay") || !perlHas("IO::Socket::SSL")) {
                run(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "libnet-ssleay-perl",
                        "libio-socket-ssl-perl"));
            }
            return swaks;
        }
    }

    /**
     * Debian's {@code /usr/bin/python3} with {@code module} importable, installing
     * {@code debianPackage} (e.g. {@code python3-spf}) when it is not.
     */
    public static Path python3Module(String module, String debianPackage) {
        synchronized (LOCK) {
            Path python = ensure("python3", "python3");
            Path debian = Files.isExecutable(Path.of("/usr/bin/python3")) ? Path.of("/usr/bin/python3") : python;
            if (!succeeds(List.of(debian.toString(), "-c", "import " + module))) {
                if (!updated) {
                    run(List.of("apt-get", "update", "-q"));
                    updated = true;
                }
                run(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", debianPackage));
            }
            return debian;
        }
    }

    /**
     * {@code saslpasswd2} of Cyrus SASL, with the PLAIN/LOGIN and sasldb plugins an authenticating
     * Postfix needs ({@code libsasl2-modules} is only recommended, and installs here skip those).
     */
    public static Path saslpasswd2() {
        synchronized (LOCK) {
            Path tool = ensure("saslpasswd2", "sasl2-bin");
            if (!succeeds(List.of("dpkg", "-s", "libsasl2-modules"))) {
                run(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "libsasl2-modules"));
            }
            return tool;
        }
    }

    private static boolean succeeds(List<String> command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean perlHas(String module) {
        try {
            return new ProcessBuilder("perl", "-M" + module, "-e", "1").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Postfix's load tools live outside the PATH on Debian. */
    public static Path postfixTool(String name) {
        ensure("postconf", "postfix");
        for (String dir : List.of("/usr/sbin", "/usr/lib/postfix/sbin", "/usr/libexec/postfix", "/usr/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("postfix is installed but " + name + " was not found");
    }

    private static Path which(String command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static void run(List<String> command) {
        try {
            var pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }
}
