package dev.tern.smtp.milter;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * One message as a milter sees it, replayed from the start of its SMTP session.
 *
 * @param clientName     the client's host name, or its address in brackets when it has none
 * @param clientAddress  the client's address, or null when unknown
 * @param clientPort     the client's source port
 * @param helo           the HELO/EHLO name
 * @param sender         the envelope sender in angle brackets ({@code <>} for bounces)
 * @param mailParameters ESMTP parameters of MAIL FROM, e.g. {@code SIZE=123}
 * @param recipients     the accepted recipients, each in angle brackets
 * @param message        the whole message, headers and body, CRLF line ends
 * @param macros         macros per command code ({@link MilterProtocol#CMD_CONNECT} ...), sent before it
 */
public record MilterTransaction(String clientName, InetAddress clientAddress, int clientPort, String helo,
        String sender, List<String> mailParameters, List<String> recipients, byte[] message,
        Map<Character, Map<String, String>> macros) {

    public MilterTransaction {
        mailParameters = List.copyOf(mailParameters);
        recipients = List.copyOf(recipients);
        macros = Map.copyOf(macros);
    }
}
