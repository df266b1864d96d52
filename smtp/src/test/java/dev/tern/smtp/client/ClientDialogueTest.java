package dev.tern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Golden dialogues: {@code client/<case>.in} scripts the server and the messages, {@code <case>.ref}
 * holds the exact bytes the client wrote, interleaved with the server lines, and the outcomes.
 */
class ClientDialogueTest {

    private static final List<String> CASES = List.of(
            "pipelined-delivery",
            "one-command-at-a-time",
            "mail-rejected",
            "mail-rejected-pipelined",
            "partial-rcpt-rejection-pipelined",
            "partial-rcpt-rejection-lockstep",
            "all-rcpts-rejected",
            "all-rcpts-rejected-pipelined",
            "data-accepted-without-recipients",
            "data-rejected",
            "rejected-after-end-of-data",
            "size-exceeded",
            "eight-bit-without-8bitmime",
            "eight-bit-with-8bitmime",
            "smtputf8-not-offered",
            "smtputf8-offered",
            "dsn-parameters",
            "dsn-not-offered",
            "service-closing-during-rcpt",
            "service-closing-after-data",
            "connection-lost-after-body",
            "timeout-waiting-for-rcpt",
            "reuse-after-failed-transaction",
            "reuse-after-delivery",
            "lmtp-per-recipient",
            "lmtp-no-helo-fallback",
            "helo-fallback",
            "starttls-opportunistic",
            "starttls-refused-opportunistic",
            "starttls-not-offered-required",
            "starttls-refused-required",
            "starttls-handshake-fails",
            "starttls-injection",
            "auth-plain-after-tls",
            "auth-rejected",
            "auth-starttls-not-offered",
            "auth-starttls-refused",
            "auth-login-after-tls",
            "auth-login-rejected",
            "auth-no-usable-mechanism",
            "auth-temporary-failure",
            "auth-plain-unexpected-challenge",
            "auth-once-per-connection",
            "greeting-refused",
            "malformed-reply",
            "idle-421");

    @Test
    void deliversPipelinedBatchToAllRecipients() {
        golden("pipelined-delivery");
    }

    @Test
    void sendsOneCommandAtATimeWithoutPipelining() {
        golden("one-command-at-a-time");
    }

    @Test
    void givesEveryRecipientTheMailRejection() {
        golden("mail-rejected");
    }

    @Test
    void consumesPipelinedRepliesAfterMailRejection() {
        golden("mail-rejected-pipelined");
    }

    @Test
    void keepsRcptRejectionWhenOthersAreDeliveredPipelined() {
        golden("partial-rcpt-rejection-pipelined");
    }

    @Test
    void continuesAfterRejectedRcptWithoutPipelining() {
        golden("partial-rcpt-rejection-lockstep");
    }

    @Test
    void sendsRsetWhenAllRecipientsRejected() {
        golden("all-rcpts-rejected");
    }

    @Test
    void consumesDataRejectionWhenAllPipelinedRecipientsRejected() {
        golden("all-rcpts-rejected-pipelined");
    }

    @Test
    void sendsLoneDotWhenDataAcceptedWithoutRecipients() {
        golden("data-accepted-without-recipients");
    }

    @Test
    void givesAcceptedRecipientsTheDataRejection() {
        golden("data-rejected");
    }

    @Test
    void givesAcceptedRecipientsTheRejectionAfterEndOfData() {
        golden("rejected-after-end-of-data");
    }

    @Test
    void refusesLocallyWhenMessageExceedsPeerSize() {
        golden("size-exceeded");
    }

    @Test
    void refusesEightBitBodyWhenPeerLacks8BitMime() {
        golden("eight-bit-without-8bitmime");
    }

    @Test
    void declaresBody8BitMimeWhenAdvertised() {
        golden("eight-bit-with-8bitmime");
    }

    @Test
    void refusesSmtpUtf8MessageWhenPeerLacksSmtpUtf8() {
        golden("smtputf8-not-offered");
    }

    @Test
    void sendsSmtpUtf8ParameterWhenAdvertised() {
        golden("smtputf8-offered");
    }

    @Test
    void passesXtextEncodedDsnParametersWhenAdvertised() {
        golden("dsn-parameters");
    }

    @Test
    void dropsDsnParametersWhenPeerLacksDsn() {
        golden("dsn-not-offered");
    }

    @Test
    void gives421ToUndecidedRecipientsMidBatch() {
        golden("service-closing-during-rcpt");
    }

    @Test
    void gives421ToAcceptedRecipientsAfterBody() {
        golden("service-closing-after-data");
    }

    @Test
    void treatsConnectionLossAfterBodyAsTransient() {
        golden("connection-lost-after-body");
    }

    @Test
    void treatsTimeoutAsTransient() {
        golden("timeout-waiting-for-rcpt");
    }

    @Test
    void reusesConnectionAfterRsetFollowingFailedTransaction() {
        golden("reuse-after-failed-transaction");
    }

    @Test
    void reusesConnectionDirectlyAfterDelivery() {
        golden("reuse-after-delivery");
    }

    @Test
    void lmtpGivesOneReplyPerRecipient() {
        golden("lmtp-per-recipient");
    }

    @Test
    void lmtpNeverFallsBackToHelo() {
        golden("lmtp-no-helo-fallback");
    }

    @Test
    void fallsBackToHeloWhenEhloRejected() {
        golden("helo-fallback");
    }

    @Test
    void upgradesToTlsAndSaysEhloAgain() {
        golden("starttls-opportunistic");
    }

    @Test
    void continuesInPlaintextWhenOpportunisticStartTlsRefused() {
        golden("starttls-refused-opportunistic");
    }

    @Test
    void defersWhenTlsRequiredButNotOffered() {
        golden("starttls-not-offered-required");
    }

    @Test
    void defersWhenTlsRequiredButRefused() {
        golden("starttls-refused-required");
    }

    @Test
    void defersWhenTlsHandshakeFails() {
        golden("starttls-handshake-fails");
    }

    @Test
    void rejectsRepliesInjectedBehindStartTlsReady() {
        golden("starttls-injection");
    }

    @Test
    void authenticatesWithPlainAfterTls() {
        golden("auth-plain-after-tls");
    }

    @Test
    void defersWhenCredentialsRejected() {
        golden("auth-rejected");
    }

    @Test
    void neverSendsCredentialsWhenStartTlsIsNotOffered() {
        golden("auth-starttls-not-offered");
    }

    @Test
    void neverFallsBackToPlainTextAuthWhenStartTlsIsRefused() {
        golden("auth-starttls-refused");
    }

    @Test
    void answersLoginPromptsWhenPlainIsNotOffered() {
        golden("auth-login-after-tls");
    }

    @Test
    void defersWhenLoginCredentialsRejected() {
        golden("auth-login-rejected");
    }

    @Test
    void defersWhenNoMechanismIsShared() {
        golden("auth-no-usable-mechanism");
    }

    @Test
    void keepsTheRelaysTemporaryAuthFailure() {
        golden("auth-temporary-failure");
    }

    @Test
    void treatsAChallengeAfterPlainInitialResponseAsProtocolError() {
        golden("auth-plain-unexpected-challenge");
    }

    @Test
    void authenticatesOncePerConnection() {
        golden("auth-once-per-connection");
    }

    @Test
    void closesWhenGreetingIsNot220() {
        golden("greeting-refused");
    }

    @Test
    void turnsMalformedReplyIntoTransientOutcome() {
        golden("malformed-reply");
    }

    @Test
    void closesOn421WhileIdle() {
        golden("idle-421");
    }

    @Test
    void everyGoldenDialogueHasATest() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/client"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".in"))
                    .map(n -> n.substring(0, n.length() - 3)))
                    .containsExactlyInAnyOrderElementsOf(CASES);
        }
    }

    private static void golden(String name) {
        GoldenFiles.assertMatches("client/" + name + ".ref", DialogueRunner.transcript("client/" + name + ".in"));
    }
}
