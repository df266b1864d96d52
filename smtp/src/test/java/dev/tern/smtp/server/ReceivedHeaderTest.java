package dev.tern.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.smtp.address.ForwardPath;
import dev.tern.smtp.address.Mailbox;
import dev.tern.smtp.address.ReversePath;
import dev.tern.smtp.parse.MailParameters;
import dev.tern.smtp.parse.RcptParameters;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReceivedHeaderTest {

    private static final ZonedDateTime DATE = ZonedDateTime.of(2024, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final AcceptedRecipient USER = new AcceptedRecipient(ForwardPath.of(Mailbox.of("user@example.org")), RcptParameters.NONE);

    @ParameterizedTest
    @CsvSource({"false,false,false,false,SMTP", "true,false,false,false,ESMTP", "true,true,false,false,ESMTPS",
        "true,false,true,false,ESMTPA", "true,true,true,false,ESMTPSA", "true,false,false,true,UTF8SMTP",
        "true,true,true,true,UTF8SMTPSA"})
    void choosesTheRfc3848ProtocolKeyword(boolean esmtp, boolean tls, boolean auth, boolean utf8, String keyword) {
        assertThat(ReceivedHeader.protocol(esmtp, tls, auth, utf8)).isEqualTo(keyword);
    }

    @Test
    void formatsTlsAuthenticatedSingleRecipientMessage() {
        var envelope = new Envelope("client.example", true, ReversePath.of(Mailbox.of("a@client.example")),
                MailParameters.NONE, List.of(USER), "alice", new TlsInfo("TLSv1.3", "TLS_AES_256_GCM_SHA384"),
                BodyTransfer.DATA);
        String header = ReceivedHeader.of(envelope, "mail.client.example", "192.0.2.1", "mx.example.org", "4F3A2B", DATE)
                .format();
        assertThat(header).isEqualTo("Received: from client.example (mail.client.example [192.0.2.1])\r\n"
                + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r\n"
                + "\tby mx.example.org (Tern) with ESMTPSA id 4F3A2B\r\n"
                + "\tfor <user@example.org>; Mon, 1 Jan 2024 12:00:00 +0000\r\n");
    }

    @Test
    void omitsForWithSeveralRecipientsAndTagsIpv6() {
        var other = new AcceptedRecipient(ForwardPath.of(Mailbox.of("other@example.org")), RcptParameters.NONE);
        var envelope = new Envelope("[IPv6:2001:db8::1]", false, ReversePath.NULL, MailParameters.NONE,
                List.of(USER, other), null, null, BodyTransfer.DATA);
        String header = ReceivedHeader.of(envelope, null, "2001:db8::1", "mx.example.org", "Q1", DATE).format();
        assertThat(header).isEqualTo("Received: from [IPv6:2001:db8::1] (unknown [IPv6:2001:db8::1])\r\n"
                + "\tby mx.example.org (Tern) with SMTP id Q1;\r\n"
                + "\tMon, 1 Jan 2024 12:00:00 +0000\r\n");
    }
}
