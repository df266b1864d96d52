package dev.tern.local.testkit;

import dev.tern.local.testkit.tools.DebianTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenDKIM ({@code opendkim}, Debian package of the same name, installed when missing) as an
 * independent DKIM signer for tests. It runs offline in the milter's test mode ({@code opendkim
 * -t file -vv}): no MTA, no socket, no DNS; the signature comes out as the header the milter would
 * insert. {@code opendkim-testmsg} of {@code opendkim-tools} signs offline too, but only with
 * {@code rsa-sha1} and {@code relaxed/simple} ({@link #signRsaSha1}).
 */
public final class OpenDkim {

    private static final Pattern INSERTED = Pattern.compile(
            "### INSHEADER: idx=\\d+ hname='DKIM-Signature' hvalue='(.*?)'\\n", Pattern.DOTALL);

    private OpenDkim() {
    }

    /**
     * The {@code DKIM-Signature} field (CRLF line ends) OpenDKIM makes for {@code message}.
     *
     * @param privateKeyPem    a PKCS#8 PEM RSA or Ed25519 private key
     * @param algorithm        {@code rsa-sha256} or {@code ed25519-sha256}
     * @param canonicalization e.g. {@code relaxed/simple}
     */
    public static String sign(byte[] message, String domain, String selector, String privateKeyPem, String algorithm,
            String canonicalization) {
        Path opendkim = DebianTools.ensure("opendkim", "opendkim");
        return ScratchDir.use("tern-opendkim-", dir -> {
            Path key = Files.writeString(dir.resolve("key.pem"), privateKeyPem);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Path conf = Files.writeString(dir.resolve("opendkim.conf"), String.join("\n",
                    "Mode s", "Domain " + domain, "Selector " + selector, "KeyFile " + key,
                    "SignatureAlgorithm " + algorithm, "Canonicalization " + canonicalization,
                    "RequireSafeKeys false", "Syslog no", ""));
            Path eml = Files.write(dir.resolve("message.eml"), message);
            var done = ScratchDir.run("opendkim", new ProcessBuilder(List.of(opendkim.toString(), "-x",
                    conf.toString(), "-t", eml.toString(), "-vv")).redirectError(ProcessBuilder.Redirect.DISCARD));
            String out = new String(done.output(), StandardCharsets.ISO_8859_1);
            Matcher m = INSERTED.matcher(out);
            if (done.exitValue() != 0 || !m.find()) {
                throw new IllegalStateException("opendkim did not sign (exit " + done.exitValue() + "): " + out);
            }
            // The milter folds with bare LF; on the wire the field has CRLF.
            return "DKIM-Signature: " + m.group(1).replace("\n", "\r\n") + "\r\n";
        });
    }

    /**
     * The {@code DKIM-Signature} field {@code opendkim-testmsg} makes: always {@code rsa-sha1},
     * {@code c=relaxed/simple}, a signature RFC 8301 says receivers must not accept.
     */
    public static String signRsaSha1(byte[] message, String domain, String selector, String privateKeyPem) {
        Path testmsg = DebianTools.ensure("opendkim-testmsg", "opendkim-tools");
        return ScratchDir.use("tern-opendkim-", dir -> {
            Path key = Files.writeString(dir.resolve("key.pem"), privateKeyPem);
            Path eml = Files.write(dir.resolve("message.eml"), message);
            var done = ScratchDir.run("opendkim-testmsg", new ProcessBuilder(List.of(testmsg.toString(), "-C", "-d",
                    domain, "-s", selector, "-k", key.toString())).redirectInput(eml.toFile()).redirectErrorStream(true));
            String out = new String(done.output(), StandardCharsets.ISO_8859_1);
            String original = new String(message, StandardCharsets.ISO_8859_1);
            if (done.exitValue() != 0 || !out.startsWith("DKIM-Signature:") || !out.endsWith(original)) {
                throw new IllegalStateException("opendkim-testmsg did not sign (exit " + done.exitValue() + "): "
                        + out);
            }
            // With -C the field has CRLF line ends; the message follows it unchanged.
            return out.substring(0, out.length() - original.length());
        });
    }
}
