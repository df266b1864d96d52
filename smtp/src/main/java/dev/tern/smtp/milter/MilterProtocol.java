package dev.tern.smtp.milter;

/**
 * Constants of the Sendmail milter protocol, version 6 (libmilter's {@code mfdef.h}): command
 * codes the MTA sends ({@code SMFIC_*}), reply codes the milter sends ({@code SMFIR_*}), the
 * action bits a milter may ask for ({@code SMFIF_*}) and the protocol bits that switch steps off
 * or make them reply-less ({@code SMFIP_*}).
 *
 * <p>Every packet is a 4-byte big-endian length (counting the code byte and the data), a one-byte
 * code, and the data; strings inside are NUL-terminated.
 */
public final class MilterProtocol {

    public static final int VERSION = 6;

    public static final char CMD_ABORT = 'A';
    public static final char CMD_BODY = 'B';
    public static final char CMD_CONNECT = 'C';
    public static final char CMD_MACRO = 'D';
    public static final char CMD_BODYEOB = 'E';
    public static final char CMD_HELO = 'H';
    public static final char CMD_QUIT_NC = 'K';
    public static final char CMD_HEADER = 'L';
    public static final char CMD_MAIL = 'M';
    public static final char CMD_EOH = 'N';
    public static final char CMD_OPTNEG = 'O';
    public static final char CMD_QUIT = 'Q';
    public static final char CMD_RCPT = 'R';
    public static final char CMD_DATA = 'T';

    public static final char R_ADDRCPT = '+';
    public static final char R_DELRCPT = '-';
    public static final char R_ADDRCPT_PAR = '2';
    public static final char R_SHUTDOWN = '4';
    public static final char R_ACCEPT = 'a';
    public static final char R_REPLBODY = 'b';
    public static final char R_CONTINUE = 'c';
    public static final char R_DISCARD = 'd';
    public static final char R_CHGFROM = 'e';
    public static final char R_CONN_FAIL = 'f';
    public static final char R_ADDHEADER = 'h';
    public static final char R_INSHEADER = 'i';
    public static final char R_SETSYMLIST = 'l';
    public static final char R_CHGHEADER = 'm';
    public static final char R_PROGRESS = 'p';
    public static final char R_QUARANTINE = 'q';
    public static final char R_REJECT = 'r';
    public static final char R_SKIP = 's';
    public static final char R_TEMPFAIL = 't';
    public static final char R_REPLYCODE = 'y';

    public static final int ACT_ADDHDRS = 0x01;
    public static final int ACT_CHGBODY = 0x02;
    public static final int ACT_ADDRCPT = 0x04;
    public static final int ACT_DELRCPT = 0x08;
    public static final int ACT_CHGHDRS = 0x10;
    public static final int ACT_QUARANTINE = 0x20;
    public static final int ACT_CHGFROM = 0x40;
    public static final int ACT_ADDRCPT_PAR = 0x80;
    public static final int ACT_SETSYMLIST = 0x100;
    /** What we can carry out; changing the envelope sender is not among it. */
    public static final int ACTIONS_OFFERED = ACT_ADDHDRS | ACT_CHGBODY | ACT_ADDRCPT | ACT_DELRCPT | ACT_CHGHDRS
            | ACT_QUARANTINE | ACT_ADDRCPT_PAR | ACT_SETSYMLIST;

    public static final int P_NOCONNECT = 0x1;
    public static final int P_NOHELO = 0x2;
    public static final int P_NOMAIL = 0x4;
    public static final int P_NORCPT = 0x8;
    public static final int P_NOBODY = 0x10;
    public static final int P_NOHDRS = 0x20;
    public static final int P_NOEOH = 0x40;
    public static final int P_NR_HDR = 0x80;
    public static final int P_NOUNKNOWN = 0x100;
    public static final int P_NODATA = 0x200;
    public static final int P_SKIP = 0x400;
    public static final int P_RCPT_REJ = 0x800;
    public static final int P_NR_CONN = 0x1000;
    public static final int P_NR_HELO = 0x2000;
    public static final int P_NR_MAIL = 0x4000;
    public static final int P_NR_RCPT = 0x8000;
    public static final int P_NR_DATA = 0x10000;
    public static final int P_NR_UNKN = 0x20000;
    public static final int P_NR_EOH = 0x40000;
    public static final int P_NR_BODY = 0x80000;
    public static final int P_HDR_LEADSPC = 0x100000;
    /**
     * The steps a milter may switch off or make reply-less, plus SKIP and leading-space headers.
     * Not offered: rejected recipients (we send only accepted ones) and larger body chunks.
     */
    public static final int PROTOCOL_OFFERED = P_NOCONNECT | P_NOHELO | P_NOMAIL | P_NORCPT | P_NOBODY | P_NOHDRS
            | P_NOEOH | P_NR_HDR | P_NOUNKNOWN | P_NODATA | P_SKIP | P_NR_CONN | P_NR_HELO | P_NR_MAIL | P_NR_RCPT
            | P_NR_DATA | P_NR_UNKN | P_NR_EOH | P_NR_BODY | P_HDR_LEADSPC;

    /** Largest body chunk in one BODY packet without the MDS extensions. */
    public static final int MAX_BODY_CHUNK = 65535;

    private MilterProtocol() {
    }
}
