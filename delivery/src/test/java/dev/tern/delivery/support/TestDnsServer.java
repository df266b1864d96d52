package dev.tern.delivery.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * A tiny authoritative DNS server on a loopback UDP port, built from dnsjava's message classes, so
 * MX routing is tested over the wire without dnsmasq. Names it does not know are NXDOMAIN; names it
 * knows without records of the asked type get NOERROR with an empty answer and an SOA. Names marked
 * {@link #servfail} answer SERVFAIL. Records are added while it runs. One daemon thread.
 */
public final class TestDnsServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<Name, List<Record>> zone = new ConcurrentHashMap<>();
    private final Map<Name, Boolean> failing = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    public TestDnsServer(int port) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        thread = new Thread(this::serve, "test-dns-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public TestDnsServer mx(String domain, int preference, String host) {
        add(new MXRecord(name(domain), DClass.IN, 60, preference, name(host)));
        return this;
    }

    public TestDnsServer nullMx(String domain) {
        return mx(domain, 0, ".");
    }

    public TestDnsServer a(String host, String ip) {
        try {
            add(new ARecord(name(host), DClass.IN, 60, InetAddress.getByName(ip)));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    public TestDnsServer servfail(String domain) {
        failing.put(name(domain), true);
        return this;
    }

    private void add(Record r) {
        zone.computeIfAbsent(r.getName(), n -> new ArrayList<>()).add(r);
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!closed) {
            try {
                var packet = new DatagramPacket(buf, buf.length);
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                byte[] out = answer(query).toWire();
                socket.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private Message answer(Message query) {
        Record question = query.getQuestion();
        var response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.getHeader().setFlag(Flags.RA);
        response.addRecord(question, Section.QUESTION);
        Name name = question.getName();
        if (failing.containsKey(name)) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response;
        }
        List<Record> records = zone.get(name);
        if (records == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            response.addRecord(soa(name), Section.AUTHORITY);
            return response;
        }
        boolean any = false;
        for (Record r : records) {
            if (r.getType() == question.getType()) {
                response.addRecord(r, Section.ANSWER);
                any = true;
            }
        }
        if (!any) {
            response.addRecord(soa(name), Section.AUTHORITY);
        }
        return response;
    }

    private static SOARecord soa(Name name) {
        try {
            return new SOARecord(name, DClass.IN, 60, Name.fromString("ns.test."), Name.fromString("admin.test."),
                    1, 60, 60, 60, 5);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Name name(String n) {
        try {
            return Name.fromString(n.endsWith(".") ? n : n + ".");
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
    }
}
