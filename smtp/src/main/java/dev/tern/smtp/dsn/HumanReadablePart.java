package dev.tern.smtp.dsn;

/**
 * The first, human-readable part of a DSN (RFC 3464 §1.3 / RFC 6522 §3): what happened, in plain
 * words, one paragraph per recipient with the remote server's reply. Lines are wrapped at 76
 * characters; text from remote servers is cleaned as in {@link DeliveryStatusFields}. Stateless.
 */
final class HumanReadablePart {

    private static final int WIDTH = 76;
    private static final int MAX_WORD = 200;

    private HumanReadablePart() {
    }

    static String render(DeliveryStatusNotification dsn, boolean attached, boolean full, boolean utf8) {
        boolean failed = dsn.recipients.stream().anyMatch(r -> r.action() == DsnAction.FAILED);
        boolean delayed = dsn.recipients.stream().anyMatch(r -> r.action() == DsnAction.DELAYED);
        var out = new StringBuilder(1024);
        out.append("This is the mail system at host ").append(dsn.reportingMta).append(".\r\n\r\n");
        if (failed) {
            paragraph(out, "Your message could not be delivered to one or more recipients. "
                    + (attached ? (full ? "It is attached below." : "Its headers are attached below.") : ""));
        }
        if (delayed) {
            paragraph(out, "Delivery to one or more recipients is delayed. The mail system will keep trying;"
                    + " you do not need to send the message again.");
        }
        if (!failed && !delayed) {
            paragraph(out, "Your message was delivered to the recipients listed below, as you asked.");
        }
        for (RecipientReport r : dsn.recipients) {
            wrap(out, "<" + DeliveryStatusFields.clean(r.finalRecipient(), utf8) + ">: " + outcome(r, dsn), "", "    ");
            if (r.diagnostic() != null) {
                String who = r.remoteMta() != null ? "The server " + DeliveryStatusFields.clean(r.remoteMta(), false) + " said: "
                        : "Reason: ";
                wrap(out, who + DeliveryStatusFields.clean(DeliveryStatusFields.diagnostic(r.diagnostic()), utf8), "    ", "    ");
            }
            if (r.category() != null) {
                wrap(out, "Category: " + r.category(), "    ", "    ");
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    private static String outcome(RecipientReport r, DeliveryStatusNotification dsn) {
        switch (r.action()) {
            case FAILED:
                return "delivery failed (" + r.status() + ")";
            case DELAYED:
                return r.willRetryUntil() == null ? "delivery delayed (" + r.status() + ")"
                        : "delivery delayed (" + r.status() + "); will retry until " + MailDates.format(r.willRetryUntil(), dsn.zone);
            case DELIVERED:
                return "delivered";
            case RELAYED:
                return "relayed to a server that does not send delivery notifications";
            case EXPANDED:
                return "delivered and expanded to further recipients";
            default:
                throw new AssertionError(r.action());
        }
    }

    private static void paragraph(StringBuilder out, String text) {
        wrap(out, text.trim(), "", "");
        out.append("\r\n");
    }

    // Greedy wrap at spaces. Words longer than MAX_WORD are cut, so that even 4-octet UTF-8
    // characters keep every line under the 998-octet limit of RFC 5322 §2.1.1.
    private static void wrap(StringBuilder out, String text, String firstIndent, String nextIndent) {
        var line = new StringBuilder(firstIndent);
        int indent = firstIndent.length();
        for (String word : text.split(" ")) {
            String rest = word;
            while (!rest.isEmpty() || line.length() == indent) {
                String piece = rest.length() > MAX_WORD ? rest.substring(0, MAX_WORD) : rest;
                boolean first = line.length() == indent;
                if (!first && line.length() + 1 + piece.length() > WIDTH) {
                    out.append(line).append("\r\n");
                    line.setLength(0);
                    line.append(nextIndent);
                    indent = nextIndent.length();
                    continue;
                }
                line.append(first ? "" : " ").append(piece);
                rest = rest.substring(piece.length());
                if (rest.isEmpty()) {
                    break;
                }
            }
        }
        out.append(line).append("\r\n");
    }
}
