package dev.tern.local.testkit.smtp;

import dev.tern.local.runtime.process.FreePorts;
import dev.tern.local.testkit.tls.TestPki;
import dev.tern.local.testkit.tools.DebianTools;
import dev.tern.local.testkit.tools.StdinTiedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Debian Postfix, either set up as an authenticating submission relay ({@link #start}) or as
 * a domain's mail gateway that knows its users ({@link #destination}).
 *
 * <p>The relay is set up the way an ISP smarthost runs: STARTTLS with a {@link TestPki} certificate, AUTH (PLAIN and LOGIN) only after TLS
 * ({@code smtpd_tls_auth_only}), checked by Cyrus SASL against a sasldb holding one user, relaying
 * only for authenticated clients, to one next hop ({@code relayhost}, e.g. an {@link SmtpSink}).
 *
 * <p>It is a private instance: its own configuration, queue and log in a temporary directory, its
 * {@code master} run in the foreground and tied to this JVM ({@link StdinTiedProcess}), listening
 * on a free loopback port. Postfix's main instance is never touched. Needs root (the queue is owned
 * by the {@code postfix} user) and the {@code postfix}, {@code sasl2-bin} and {@code libsasl2-modules}
 * packages, which
 * {@link DebianTools} installs when missing.
 */
public final class PostfixRelay implements AutoCloseable {

    private static final String MASTER_SERVICES = """
            pickup    unix  n       -       n       60      1       pickup
            cleanup   unix  n       -       n       -       0       cleanup
            qmgr      unix  n       -       n       300     1       qmgr
            tlsmgr    unix  -       -       n       1000?   1       tlsmgr
            rewrite   unix  -       -       n       -       -       trivial-rewrite
            bounce    unix  -       -       n       -       0       bounce
            defer     unix  -       -       n       -       0       bounce
            trace     unix  -       -       n       -       0       bounce
            verify    unix  -       -       n       -       1       verify
            flush     unix  n       -       n       1000?   0       flush
            proxymap  unix  -       -       n       -       -       proxymap
            smtp      unix  -       -       n       -       -       smtp
            relay     unix  -       -       n       -       -       smtp
            error     unix  -       -       n       -       -       error
            retry     unix  -       -       n       -       -       error
            discard   unix  -       -       n       -       -       discard
            anvil     unix  -       -       n       -       1       anvil
            scache    unix  -       -       n       -       1       scache
            postlog   unix-dgram n  -       n       -       1       postlogd
            """;
    private static final List<String> QUEUE_DIRS = List.of("active", "bounce", "corrupt", "defer", "deferred",
            "flush", "hold", "incoming", "maildrop", "private", "public", "saved", "trace");

    private final Process process;
    private final Path dir;
    private final int port;

    private PostfixRelay(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts a relay on {@code 127.0.0.1:port} that accepts {@code user@realm} (or {@code user}
     * alone: the realm is its local domain) with {@code password} and passes mail on to
     * {@code 127.0.0.1:nextHopPort}.
     */
    public static PostfixRelay start(int port, String user, String realm, String password, int nextHopPort) {
        Path saslpasswd = DebianTools.saslpasswd2();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tern-postfix-relay-");
            Path conf = Files.createDirectories(dir.resolve("conf"));
            Path[] tls = certificate(dir);
            Path sasldb = dir.resolve("sasldb2");
            run(List.of(saslpasswd.toString(), "-p", "-c", "-f", sasldb.toString(), "-u", realm, user), password);
            Files.writeString(conf.resolve("main.cf"), mainCf(dir, realm, tls[0], tls[1], nextHopPort));
            // Debian's Postfix reads Cyrus SASL's smtpd.conf from <config_directory>/sasl.
            Files.writeString(Files.createDirectories(conf.resolve("sasl")).resolve("smtpd.conf"), """
                    pwcheck_method: auxprop
                    auxprop_plugin: sasldb
                    mech_list: PLAIN LOGIN
                    sasldb_path: %s
                    """.formatted(sasldb));
            return launch(dir, port, sasldb);
        } catch (IOException e) {
            deleteTree(dir);
            throw new UncheckedIOException("cannot set up the Postfix relay", e);
        }
    }

    /**
     * Starts Postfix on {@code 127.0.0.1:port} as the MX of {@code domain}, the way a mail gateway
     * runs: it knows its users ({@code relay_recipient_maps}) and refuses anyone else at RCPT with
     * {@code 550 5.1.1 ... User unknown in relay recipient table}, offers STARTTLS with a
     * {@link TestPki} certificate, trusts loopback's XFORWARD, and passes accepted mail on to
     * {@code 127.0.0.1:nextHopPort} (e.g. an {@link SmtpSink}). {@code chunking} false hides
     * CHUNKING from its EHLO reply ({@code smtpd_discard_ehlo_keywords}).
     */
    public static PostfixRelay destination(int port, String domain, List<String> users, int nextHopPort,
            boolean chunking) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tern-postfix-mx-");
            Path conf = Files.createDirectories(dir.resolve("conf"));
            Path[] tls = certificate(dir);
            String recipients = String.join(", ", users.stream().map(u -> u + "@" + domain + "=ok").toList());
            Files.writeString(conf.resolve("main.cf"), commonCf(dir, domain, tls[0], tls[1], nextHopPort) + """
                    relay_domains = %s
                    relay_recipient_maps = inline:{ %s }
                    smtpd_relay_restrictions = reject_unauth_destination
                    smtpd_authorized_xforward_hosts = 127.0.0.0/8
                    smtpd_discard_ehlo_keywords = %s
                    smtpd_tls_received_header = yes
                    """.formatted(domain, recipients, chunking ? "" : "chunking"));
            return launch(dir, port, null);
        } catch (IOException e) {
            deleteTree(dir);
            throw new UncheckedIOException("cannot set up the Postfix destination", e);
        }
    }

    /** A server certificate for Postfix: {key, chain}. */
    private static Path[] certificate(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        var pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        pki.server("relay");
        Path key = pki.pem("relay");
        return new Path[] {key, key.resolveSibling("relay-chain.pem")};
    }

    private static PostfixRelay launch(Path dir, int port, Path sasldb) throws IOException {
        Path master = DebianTools.postfixTool("master");
        Path conf = dir.resolve("conf");
        Files.writeString(conf.resolve("master.cf"), FreePorts.LOOPBACK + ":" + port
                + " inet n - n - - smtpd\n" + MASTER_SERVICES);
        ownQueue(dir, sasldb);
        // setsid: master -d stays in the foreground, and as its own process group leader it
        // takes its children down with it when stopped (it signals its group on SIGTERM).
        Process process = new ProcessBuilder(StdinTiedProcess.command("setsid",
                List.of(master.toString(), "-c", conf.toString(), "-d"))).redirectErrorStream(true)
                .redirectOutput(dir.resolve("master.out").toFile()).start();
        var relay = new PostfixRelay(process, dir, port);
        relay.awaitListening();
        return relay;
    }

    private static String mainCf(Path dir, String realm, Path key, Path chain, int nextHopPort) {
        return commonCf(dir, realm, key, chain, nextHopPort) + """
                smtpd_tls_auth_only = yes
                smtpd_sasl_auth_enable = yes
                smtpd_sasl_type = cyrus
                smtpd_sasl_path = smtpd
                smtpd_sasl_local_domain = %s
                smtpd_relay_restrictions = permit_sasl_authenticated, reject
                """.formatted(realm);
    }

    private static String commonCf(Path dir, String hostname, Path key, Path chain, int nextHopPort) {
        return """
                compatibility_level = 3.6
                queue_directory = %1$s/queue
                data_directory = %1$s/data
                maillog_file = %1$s/maillog
                maillog_file_prefixes = %1$s
                mail_owner = postfix
                setgid_group = postdrop
                myhostname = %2$s
                mydestination =
                mynetworks =
                alias_maps =
                alias_database =
                local_recipient_maps =
                notify_classes =
                inet_interfaces = 127.0.0.1
                inet_protocols = ipv4
                relayhost = [127.0.0.1]:%3$d
                smtp_tls_security_level = none
                smtpd_tls_cert_file = %4$s
                smtpd_tls_key_file = %5$s
                smtpd_tls_security_level = may
                """.formatted(dir, hostname, nextHopPort, chain, key);
    }

    /** Postfix checks ownership: the queue belongs to {@code postfix}, {@code maildrop}/{@code public} to {@code postdrop}. */
    private static void ownQueue(Path dir, Path sasldb) throws IOException {
        UserPrincipalLookupService names = dir.getFileSystem().getUserPrincipalLookupService();
        var postfix = names.lookupPrincipalByName("postfix");
        GroupPrincipal postdrop = names.lookupPrincipalByGroupName("postdrop");
        Path queue = Files.createDirectories(dir.resolve("queue"));
        Files.createDirectories(queue.resolve("pid"));
        for (String name : QUEUE_DIRS) {
            Path d = Files.createDirectories(queue.resolve(name));
            Files.setOwner(d, postfix);
            if (name.equals("maildrop") || name.equals("public")) {
                Files.getFileAttributeView(d, PosixFileAttributeView.class).setGroup(postdrop);
            }
        }
        Files.setOwner(Files.createDirectories(dir.resolve("data")), postfix);
        if (sasldb != null) {
            Files.setOwner(sasldb, postfix);
        }
    }

    private static void run(List<String> command, String stdin) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (!FreePorts.isListening(port)) {
                if (process.waitFor(100, TimeUnit.MILLISECONDS) || System.nanoTime() > deadline) {
                    String log = log();
                    close();
                    throw new IllegalStateException("Postfix did not start on port " + port + ": " + log);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting Postfix", e);
        }
    }

    public int port() {
        return port;
    }

    /** Postfix's log so far (its {@code maillog_file}), then master's own output: for assertions and failures. */
    public String log() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("maillog", "master.out")) {
            try {
                out.append(Files.readString(dir.resolve(name), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("(no ").append(name).append(")\n");
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        StdinTiedProcess.stop(process);
        deleteTree(dir);
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is untidy, not wrong.
        }
    }
}
