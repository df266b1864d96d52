package dev.tern.ingress.dkim;

import static dev.tern.ingress.dkim.DkimTestSigning.bytes;
import static dev.tern.ingress.dkim.DkimTestSigning.found;
import static dev.tern.ingress.dkim.DkimTestSigning.prepend;
import static dev.tern.ingress.dkim.DkimTestSigning.record;
import static dev.tern.ingress.dkim.DkimTestSigning.sign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.common.dkim.DkimKey;
import dev.tern.ingress.dkim.DkimKeyRecords.KeyLookup;
import dev.tern.ingress.dkim.DkimResult.Result;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DkimVerifierTest {

    static final Instant NOW = Instant.parse("2026-11-23T20:00:00Z");
    static final String NAME = "sel._domainkey.example.org";
    static KeyPair rsa;
    static KeyPair ed25519;

    static final String MESSAGE = "Received: from client.example ([192.0.2.1])\r\n"
            + "\tby mx.example.org with ESMTPS id 1; Mon, 23 Nov 2026 20:00:00 +0000\r\n"
            + "From: Alice <alice@example.org>\r\n"
            + "To:   bob@example.net,\r\n    carol@example.net  \r\n"
            + "Subject: greetings   with   spaces \r\n"
            + "Date: Mon, 23 Nov 2026 20:00:00 +0000\r\n"
            + "Message-ID: <1@example.org>\r\n"
            + "\r\n"
            + "H\u00e9llo  Bob,\t \r\n"
            + "\r\n"
            + " trailing white space and empty lines at the end   \r\n"
            + "\r\n\r\n";

    final Map<String, KeyLookup> dns = new HashMap<>();

    @BeforeAll
    static void keys() throws Exception {
        var g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rsa = g.generateKeyPair();
        ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    List<DkimResult> verify(byte[] message) {
        var verifier = new DkimVerifier(DkimTestSigning.keys(dns), Clock.fixed(NOW, ZoneOffset.UTC),
                DkimVerifier.DEFAULT_CLOCK_SKEW);
        return verifier.verify(message).toCompletableFuture().join();
    }

    DkimResult only(byte[] message) {
        List<DkimResult> results = verify(message);
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    static String tags(String algorithm, String c, String extra) {
        return "v=1; a=" + algorithm + "; c=" + c + "; d=example.org; s=sel; t=" + NOW.getEpochSecond()
                + "; h=from:to:subject:date:message-id" + extra;
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ed25519"})
    void whatDkimSignerSignsPasses(String algorithm) {
        KeyPair pair = algorithm.equals("rsa") ? rsa : ed25519;
        dns.put(NAME, found(record(pair, "")));
        var key = new DkimKey("example.org", "sel", pair.getPrivate(),
                algorithm.equals("rsa") ? DkimKey.Algorithm.RSA : DkimKey.Algorithm.ED25519);
        byte[] message = bytes(MESSAGE);
        DkimResult result = only(prepend(DkimSigner.sign(message, key, NOW), message));

        assertThat(result.result()).isEqualTo(Result.PASS);
        assertThat(result.reason()).isNull();
        assertThat(result.domain()).isEqualTo("example.org");
        assertThat(result.selector()).isEqualTo("sel");
        assertThat(result.identity()).isEqualTo("@example.org");
        assertThat(result.algorithm()).isEqualTo(algorithm + "-sha256");
        assertThat(result.shortB()).hasSize(8);
    }

    @ParameterizedTest
    @CsvSource({"rsa-sha256,simple/simple", "rsa-sha256,simple/relaxed", "rsa-sha256,relaxed/simple",
        "rsa-sha256,relaxed/relaxed", "ed25519-sha256,simple/simple", "ed25519-sha256,relaxed/relaxed",
        "rsa-sha256,relaxed"})
    void everyCanonicalizationPassesAndOnlyRelaxedForgivesRefolding(String algorithm, String c) throws Exception {
        KeyPair pair = algorithm.startsWith("rsa") ? rsa : ed25519;
        dns.put(NAME, found(record(pair, "")));
        byte[] message = bytes(MESSAGE);
        String signed = new String(prepend(sign(message, pair, tags(algorithm, c, "")), message),
                StandardCharsets.UTF_8);
        assertThat(only(bytes(signed)).result()).isEqualTo(Result.PASS);

        String refolded = signed.replace("Subject: greetings   with", "Subject:  greetings\r\n with");
        assertThat(only(bytes(refolded)).result())
                .isEqualTo(c.startsWith("relaxed") ? Result.PASS : Result.FAIL);
        String rewrapped = signed.replace("H\u00e9llo  Bob,\t \r\n", "H\u00e9llo Bob,\r\n");
        assertThat(only(bytes(rewrapped)).result())
                .isEqualTo(c.endsWith("/relaxed") ? Result.PASS : Result.FAIL);
    }

    @Test
    void bodyLengthCoversOnlyItsPrefix() throws Exception {
        dns.put(NAME, found(record(rsa, "")));
        byte[] message = bytes(MESSAGE);
        String signed = new String(prepend(sign(message, rsa, tags("rsa-sha256", "relaxed/simple", "; l=10")),
                message), StandardCharsets.UTF_8);
        assertThat(only(bytes(signed)).result()).isEqualTo(Result.PASS);
        assertThat(only(bytes(signed + "appended by a mailing list\r\n")).result()).isEqualTo(Result.PASS);
        // "Héllo  Bo" is the first 10 bytes (é is two in UTF-8): what follows is not covered.
        assertThat(only(bytes(signed.replace("Bob,", "Bob!"))).result()).isEqualTo(Result.PASS);
        assertThat(only(bytes(signed.replace("H\u00e9llo", "Hallo"))).reason()).isEqualTo("body hash mismatch");

        String tooLong = new String(prepend(sign(message, rsa, tags("rsa-sha256", "relaxed/simple", "; l=10")),
                message), StandardCharsets.UTF_8).replace("\r\n\r\nH\u00e9llo  Bob,\t \r\n\r\n trailing white space"
                        + " and empty lines at the end   \r\n\r\n\r\n", "\r\n\r\nH\u00e9\r\n");
        DkimResult cut = only(bytes(tooLong));
        assertThat(cut.result()).isEqualTo(Result.PERMERROR);
        assertThat(cut.reason()).contains("l=");
    }

    @Test
    void anExpiredSignatureFails() throws Exception {
        dns.put(NAME, found(record(rsa, "")));
        byte[] message = bytes(MESSAGE);
        String header = sign(message, rsa, "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=sel; t="
                + (NOW.getEpochSecond() - 7200) + "; x=" + (NOW.getEpochSecond() - 60) + "; h=from");
        DkimResult result = only(prepend(header, message));
        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.reason()).isEqualTo("signature expired");

        String valid = sign(message, rsa, "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=sel; t="
                + (NOW.getEpochSecond() - 7200) + "; x=" + (NOW.getEpochSecond() + 60) + "; h=from");
        assertThat(only(prepend(valid, message)).result()).isEqualTo(Result.PASS);
    }

    @Test
    void aTimestampInTheFutureFailsBeyondTheSkew() throws Exception {
        dns.put(NAME, found(record(rsa, "")));
        byte[] message = bytes(MESSAGE);
        String later = sign(message, rsa, "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; t="
                + (NOW.getEpochSecond() + 3600));
        DkimResult result = only(prepend(later, message));
        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.reason()).contains("future");

        String slightlyAhead = sign(message, rsa, "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; t="
                + (NOW.getEpochSecond() + 60));
        assertThat(only(prepend(slightlyAhead, message)).result()).isEqualTo(Result.PASS);
    }

    @Test
    void tamperingFailsButAnAddedUnsignedHeaderDoesNot() throws Exception {
        dns.put(NAME, found(record(ed25519, "")));
        byte[] message = bytes(MESSAGE);
        String signed = new String(prepend(sign(message, ed25519, tags("ed25519-sha256", "relaxed/relaxed", "")),
                message), StandardCharsets.UTF_8);

        DkimResult body = only(bytes(signed.replace("Bob,", "Bob!")));
        assertThat(body.result()).isEqualTo(Result.FAIL);
        assertThat(body.reason()).isEqualTo("body hash mismatch");
        DkimResult header = only(bytes(signed.replace("To:   bob", "To: mallory@example.com, bob")));
        assertThat(header.result()).isEqualTo(Result.FAIL);
        assertThat(header.reason()).isEqualTo("signature mismatch");
        assertThat(only(bytes(signed.replace("Message-ID:", "X-Spam-Score: 0\r\nMessage-ID:"))).result())
                .isEqualTo(Result.PASS);
        assertThat(only(bytes("Received: by relay.example\r\n" + signed)).result()).isEqualTo(Result.PASS);
    }

    @Test
    void overSignedHeadersStopAddedCopies() throws Exception {
        dns.put(NAME, found(record(rsa, "")));
        byte[] message = bytes(MESSAGE);
        // Subject twice and Reply-To once in h=, though the message has one Subject and no Reply-To.
        String signed = new String(prepend(sign(message, rsa, tags("rsa-sha256", "relaxed/relaxed",
                ":subject:reply-to")), message), StandardCharsets.UTF_8);
        assertThat(only(bytes(signed)).result()).isEqualTo(Result.PASS);
        assertThat(only(bytes(signed.replace("Date:", "Subject: URGENT\r\nDate:"))).result()).isEqualTo(Result.FAIL);
        assertThat(only(bytes(signed.replace("Date:", "Reply-To: <eve@example.com>\r\nDate:"))).result())
                .isEqualTo(Result.FAIL);
    }

    @Test
    void aRevokedKeyIsAPermanentError() throws Exception {
        dns.put(NAME, found("v=DKIM1; k=rsa; p="));
        byte[] message = bytes(MESSAGE);
        DkimResult result = only(prepend(sign(message, rsa, tags("rsa-sha256", "relaxed/relaxed", "")), message));
        assertThat(result.result()).isEqualTo(Result.PERMERROR);
        assertThat(result.reason()).isEqualTo("key revoked");
    }

    @Test
    void keyRecordRulesAreEnforced() throws Exception {
        byte[] message = bytes(MESSAGE);
        byte[] signed = prepend(sign(message, rsa, tags("rsa-sha256", "relaxed/relaxed", "")), message);
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(record(ed25519, ""), "does not match");
        cases.put(record(rsa, "h=sha1"), "does not allow sha256");
        cases.put(record(rsa, "s=other"), "not for email");
        cases.put("v=DKIM2; k=rsa; p=" + record(rsa, "").split("p=")[1], "v=");
        cases.put("k=rsa; p=%%%not-base64", "base64");
        cases.put("k=rsa; p=AAAA", "key syntax error");
        cases.put("k=rsa", "no p=");
        for (var c : cases.entrySet()) {
            dns.put(NAME, found(c.getKey()));
            DkimResult result = only(signed);
            assertThat(result.result()).as(c.getKey()).isEqualTo(Result.PERMERROR);
            assertThat(result.reason()).as(c.getKey()).contains(c.getValue());
        }
    }

    @Test
    void strictAndTestingKeyFlags() throws Exception {
        byte[] message = bytes(MESSAGE);
        byte[] subdomain = prepend(sign(message, rsa, tags("rsa-sha256", "relaxed/relaxed",
                "; i=alice@mail.example.org")), message);
        dns.put(NAME, found(record(rsa, "")));
        assertThat(only(subdomain).result()).isEqualTo(Result.PASS);
        assertThat(only(subdomain).identity()).isEqualTo("alice@mail.example.org");
        dns.put(NAME, found(record(rsa, "t=s")));
        assertThat(only(subdomain).reason()).contains("t=s");

        dns.put(NAME, found(record(rsa, "t=y")));
        byte[] tampered = new String(subdomain, StandardCharsets.UTF_8).replace("Alice <", "Eve <")
                .getBytes(StandardCharsets.UTF_8);
        DkimResult testing = only(tampered);
        assertThat(testing.result()).isEqualTo(Result.NEUTRAL);
        assertThat(testing.testing()).isTrue();
        assertThat(only(subdomain).result()).isEqualTo(Result.PASS);
    }

    @Test
    void malformedSignaturesArePermanentErrors() {
        dns.put(NAME, found(record(rsa, "")));
        String body = "From: a@example.org\r\n\r\nx\r\n";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("v=1; a=rsa-sha256; d=example.org; s=sel; h=from; b=AAAA", "bh=");
        cases.put("v=1; a=rsa-sha256; d=example.org; d=example.org; s=sel; h=from; bh=AAAA; b=AAAA", "duplicate");
        cases.put("v=2; a=rsa-sha256; d=example.org; s=sel; h=from; bh=AAAA; b=AAAA", "v=2");
        cases.put("v=1; a=rsa-sha256; d=example.org; s=sel; h=to; bh=AAAA; b=AAAA", "From");
        cases.put("v=1; a=rsa-sha256; d=example.org; i=@example.com; s=sel; h=from; bh=AAAA; b=AAAA", "i=");
        cases.put("v=1; a=rsa-md5; d=example.org; s=sel; h=from; bh=AAAA; b=AAAA", "unsupported algorithm");
        cases.put("v=1; a=rsa-sha256; c=fancy; d=example.org; s=sel; h=from; bh=AAAA; b=AAAA", "canonicalization");
        cases.put("v=1; a=rsa-sha256; d=example.org; s=sel; h=from; l=-5; bh=AAAA; b=AAAA", "l=");
        cases.put("v=1; a=rsa-sha256; d=example.org; s=sel; h=from; t=20; x=10; bh=AAAA; b=AAAA", "x=");
        cases.put("v=1; a=rsa-sha256; d=example.org; s=sel; h=from; bh=AAAA; b=A!A", "base64");
        cases.put("v=1; garbage; d=example.org", "'='");
        for (var c : cases.entrySet()) {
            DkimResult result = only(bytes("DKIM-Signature: " + c.getKey() + "\r\n" + body));
            assertThat(result.result()).as(c.getKey()).isEqualTo(Result.PERMERROR);
            assertThat(result.reason()).as(c.getKey()).contains(c.getValue());
        }
        DkimResult partial = only(bytes("DKIM-Signature: v=1; d=example.org; s=sel\r\n" + body));
        assertThat(partial.domain()).isEqualTo("example.org");
        assertThat(partial.selector()).isEqualTo("sel");
    }

    @Test
    void lookupFailuresAreTemporaryAndAMissingKeyPermanent() throws Exception {
        byte[] message = bytes(MESSAGE);
        byte[] signed = prepend(sign(message, rsa, tags("rsa-sha256", "relaxed/relaxed", "")), message);
        dns.put(NAME, new DkimKeyRecords.TemporaryFailure("SERVFAIL"));
        assertThat(only(signed)).extracting(DkimResult::result, DkimResult::reason)
                .containsExactly(Result.TEMPERROR, "SERVFAIL");

        var timingOut = new DkimVerifier(name -> CompletableFuture.failedFuture(
                new java.util.concurrent.TimeoutException("no answer in 5 s")), Clock.fixed(NOW, ZoneOffset.UTC),
                DkimVerifier.DEFAULT_CLOCK_SKEW);
        DkimResult timeout = timingOut.verify(signed).toCompletableFuture().join().get(0);
        assertThat(timeout.result()).isEqualTo(Result.TEMPERROR);
        assertThat(timeout.reason()).contains("no answer in 5 s");

        dns.clear();
        assertThat(only(signed)).extracting(DkimResult::result, DkimResult::reason)
                .containsExactly(Result.PERMERROR, "no key for signature");
    }

    @Test
    void everySignatureGetsItsOwnResultInHeaderOrder() throws Exception {
        byte[] message = bytes(MESSAGE);
        dns.put(NAME, found(record(ed25519, "")));
        dns.put("ed._domainkey.example.org", found(record(ed25519, "")));
        dns.put("old._domainkey.example.org", found(record(rsa, "")));
        String good = sign(message, ed25519, "v=1; a=ed25519-sha256; d=example.org; s=ed; h=from:subject");
        String wrongKey = sign(message, rsa, "v=1; a=rsa-sha256; d=example.org; s=sel; h=from");
        String sha1 = sign(message, rsa, "v=1; a=rsa-sha1; d=example.org; s=old; h=from");
        String unknownKey = sign(message, rsa, "v=1; a=rsa-sha256; d=example.com; s=gone; h=from");
        List<DkimResult> results = verify(prepend(good + wrongKey + sha1 + unknownKey, message));
        assertThat(results).extracting(DkimResult::result)
                .containsExactly(Result.PASS, Result.PERMERROR, Result.POLICY, Result.PERMERROR);
        assertThat(results.get(2).reason()).contains("rsa-sha1");
        assertThat(results.get(3).domain()).isEqualTo("example.com");
        assertThat(verify(message)).isEmpty();
    }

    @Test
    void aTenMegabyteMessageVerifies() throws Exception {
        dns.put(NAME, found(record(rsa, "")));
        var body = new StringBuilder(11 << 20);
        String line = "0123456789 abcdefghijklmnopqrstuvwxyz \t ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789\r\n";
        while (body.length() < 10 << 20) {
            body.append(line);
        }
        byte[] message = bytes("From: a@example.org\r\nSubject: big\r\n\r\n" + body);
        for (String c : List.of("simple/simple", "relaxed/relaxed")) {
            String header = sign(message, rsa, "v=1; a=rsa-sha256; c=" + c + "; d=example.org; s=sel; h=from:subject");
            assertThat(only(prepend(header, message)).result()).as(c).isEqualTo(Result.PASS);
        }
    }
}
