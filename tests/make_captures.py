#!/usr/bin/python3
"""Crafted captures for flowscope's integration tests, written with scapy.

Every capture has known timestamps and sizes, so the tests can state the
expected flow values by hand. Usage: tests/make_captures.py OUTDIR
"""
import logging
import os
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.all import (ARP, GRE, ICMP, IP, TCP, UDP, Dot11, Dot1AD, Dot1Q, Ether,
                       ICMPv6EchoReply, ICMPv6EchoRequest, IPv6, IPv6ExtHdrDestOpt,
                       IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, LLC, SNAP, Loopback,
                       CookedLinux, CookedLinuxV2, RadioTap, Raw, fragment, fragment6,
                       PcapWriter)
from scapy.data import DLT_EN10MB, DLT_LINUX_SLL, DLT_NULL, DLT_RAW
from scapy.layers.ppi import PPI, PPI_Hdr

DLT_LINUX_SLL2 = 276
DLT_IEEE802_11_RADIO = 127
LINKTYPE_RAW = 101
DLT_IEEE802_11 = 105
DLT_PPI = 192
T0 = 1700000000.0  # 2023-11-14T22:13:20Z


def write(path, packets, linktype=DLT_EN10MB, snaplen=65535):
    w = PcapWriter(path, linktype=linktype, snaplen=snaplen, sync=True)
    for p in packets:
        w.write(p)
    w.close()


def at(pkt, t):
    pkt.time = T0 + t
    return pkt


def eth():
    return Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")


def tcp_session():
    """A full TCP connection, a reopen of its tuple, and a reset one."""
    c, s = "10.1.0.1", "10.1.0.2"

    def cs(flags, t, n=0, win=64240):
        return at(eth() / IP(src=c, dst=s) / TCP(sport=40000, dport=80, flags=flags, window=win)
                  / Raw(b"c" * n), t)

    def sc(flags, t, n=0, win=65160):
        return at(eth() / IP(src=s, dst=c) / TCP(sport=80, dport=40000, flags=flags, window=win)
                  / Raw(b"s" * n), t)

    pkts = [cs("S", 0.000), sc("SA", 0.010), cs("A", 0.011), cs("PA", 0.020, 100),
            sc("A", 0.050, 1000), sc("PA", 0.051, 500), cs("FA", 0.060), sc("FA", 0.070),
            cs("A", 0.071),
            # The same tuple again 0.5 s later: a new connection, a new flow.
            cs("S", 0.571, 0, 1000), sc("SA", 0.572, 0, 2000), cs("A", 0.573)]
    # A connection the server refuses.
    pkts += [at(eth() / IP(src=c, dst=s) / TCP(sport=40001, dport=81, flags="S"), 1.0),
             at(eth() / IP(src=s, dst=c) / TCP(sport=81, dport=40001, flags="RA"), 1.001)]
    return pkts


def cic_quirks():
    """Flows where CICFlowMeter's quirks show (docs/FEATURES.md, --cic-compat).

    TCP 10.9.0.1:41000 -> 10.9.0.2:443, caught mid-stream (the first packet
    carries data), with a backward then a forward bulk, a gap over 1 s, then
    FIN, FIN, ACK. UDP 10.9.0.3:5004 -> 10.9.0.4:5006: voice-like packets, a
    6 s silence, two near-MTU packets.
    """
    c, s = "10.9.0.1", "10.9.0.2"

    def cs(flags, ms, n=0, win=1000):
        return at(eth() / IP(src=c, dst=s) / TCP(sport=41000, dport=443, flags=flags, window=win)
                  / Raw(b"c" * n), ms / 1000)

    def sc(flags, ms, n=0, win=2000):
        return at(eth() / IP(src=s, dst=c) / TCP(sport=443, dport=41000, flags=flags, window=win)
                  / Raw(b"s" * n), ms / 1000)

    pkts = [cs("PA", 0, 101), sc("A", 10)]
    pkts += [sc("PA", ms, 1000, win) for ms, win in ((20, 3000), (30, 4000), (40, 5000),
                                                      (50, 6000))]
    pkts += [cs("A", 60)] + [cs("PA", ms, 200) for ms in (70, 80, 90, 100)]
    pkts += [cs("FA", 1110), sc("FA", 1120), cs("A", 1130)]

    a, b = "10.9.0.3", "10.9.0.4"

    def fwd(ms, n):
        return at(eth() / IP(src=a, dst=b) / UDP(sport=5004, dport=5006) / Raw(b"v" * n),
                  10 + ms / 1000)

    def bwd(ms, n):
        return at(eth() / IP(src=b, dst=a) / UDP(sport=5006, dport=5004) / Raw(b"w" * n),
                  10 + ms / 1000)

    pkts += [fwd(0, 160), bwd(10, 60), fwd(20, 160), bwd(30, 60), fwd(40, 160), fwd(60, 160),
             fwd(80, 160), fwd(6080, 1300), fwd(6100, 1300)]
    return pkts


def pairs():
    """Host pairs: three flows between C and S (one begun by S), one C to D."""
    c, s, d = "10.7.0.1", "10.7.0.2", "10.7.0.3"

    def ip(src, dst, t):
        return lambda l4: at(eth() / IP(src=src, dst=dst) / l4, t)

    return [ip(c, s, 0.000)(UDP(sport=1000, dport=53) / Raw(b"q" * 30)),      # frame 72
            ip(s, c, 0.010)(UDP(sport=53, dport=1000) / Raw(b"r" * 90)),      # 132
            ip(c, s, 0.100)(TCP(sport=2000, dport=80, flags="S")),            # 54
            ip(s, c, 0.110)(TCP(sport=80, dport=2000, flags="SA")),           # 54
            ip(c, s, 0.120)(TCP(sport=2000, dport=80, flags="A") / Raw(b"g" * 100)),  # 154
            ip(s, c, 0.200)(UDP(sport=5000, dport=6000) / Raw(b"m" * 200)),   # 242
            ip(c, d, 0.300)(UDP(sport=1000, dport=53) / Raw(b"q" * 30)),      # 72
            ip(s, c, 1.000)(TCP(sport=80, dport=2000, flags="A") / Raw(b"d" * 1000))]  # 1054


def timeouts():
    """U1: a 61 s silence (idle). U2: a packet every 10 s for 150 s (active)."""
    pkts = []
    u1 = lambda t: at(eth() / IP(src="10.2.0.1", dst="10.2.0.2") / UDP(sport=5000, dport=6000)
                      / Raw(b"x" * 72), t)
    pkts += [u1(0), u1(1), u1(62)]
    for i in range(16):
        pkts.append(at(eth() / IP(src="10.2.0.3", dst="10.2.0.4") / UDP(sport=7000, dport=8000)
                       / Raw(b"y" * 12), 0.5 + 10 * i))
    return sorted(pkts, key=lambda p: p.time)


def overload():
    """For a 4-flow table: flows A-D (ports 5001-5004) fill it, E-H (5005-5008)
    are refused, 3 packets each at 0, 1 and 2 s; I-L (6001-6004) come at 30, 31
    and 32 s, after A-D have gone idle, and are recorded."""
    pkts = []
    for k in range(3):
        for i, port in enumerate(range(5001, 5009)):
            pkts.append(at(eth() / IP(src="10.5.0.1", dst="10.5.0.2") / UDP(sport=port, dport=53)
                           / Raw(b"o" * 50), k + 0.01 * i))
        for i, port in enumerate(range(6001, 6005)):
            pkts.append(at(eth() / IP(src="10.5.0.1", dst="10.5.0.2") / UDP(sport=port, dport=53)
                           / Raw(b"o" * 50), 30 + k + 0.01 * i))
    return sorted(pkts, key=lambda p: p.time)


def vlans():
    """802.1Q and QinQ (802.1ad outer) tagged UDP: the flow keeps the outer VID."""
    inner = IP(src="10.4.0.1", dst="10.4.0.2") / UDP(sport=1000, dport=2000) / Raw(b"v" * 20)
    return [at(eth() / Dot1Q(vlan=10) / inner, 0),
            at(eth() / Dot1AD(vlan=300) / Dot1Q(vlan=20) / inner, 1)]


def ipv6():
    """Extension headers before TCP, and a UDP datagram in IPv6 fragments."""
    a, b = "2001:db8::1", "2001:db8::2"
    tcp6 = (eth() / IPv6(src=a, dst=b) / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt()
            / TCP(sport=3333, dport=443, flags="S") / Raw(b"z" * 10))
    big = IPv6(src=a, dst=b) / IPv6ExtHdrFragment(id=7) / UDP(sport=4444, dport=5555) \
        / Raw(b"f" * 3000)
    frags = [eth() / f for f in fragment6(big, 1280)]
    return [at(tcp6, 0)] + [at(f, 0.1 + 0.001 * i) for i, f in enumerate(frags)]


def ipv4_options_fragments():
    """IPv4 with options, and a UDP datagram in three IPv4 fragments."""
    opt = eth() / IP(src="10.5.0.1", dst="10.5.0.2", options=b"\x01\x01\x01\x00") \
        / UDP(sport=1111, dport=2222) / Raw(b"o" * 30)
    big = IP(src="10.5.0.3", dst="10.5.0.4", id=99) / UDP(sport=3333, dport=4444) \
        / Raw(b"g" * 3000)
    frags = [eth() / f for f in fragment(big, fragsize=1480)]
    return [at(opt, 0)] + [at(f, 0.2 + 0.001 * i) for i, f in enumerate(frags)]


def icmp_and_other():
    return [at(eth() / IP(src="10.6.0.1", dst="10.6.0.2") / ICMP(type=8) / Raw(b"p" * 56), 0),
            at(eth() / IP(src="10.6.0.2", dst="10.6.0.1") / ICMP(type=0) / Raw(b"p" * 56), 0.001),
            at(eth() / IPv6(src="2001:db8::a", dst="2001:db8::b") / ICMPv6EchoRequest(), 0.002),
            at(eth() / IPv6(src="2001:db8::b", dst="2001:db8::a") / ICMPv6EchoReply(), 0.003),
            at(eth() / IP(src="10.6.0.5", dst="10.6.0.6") / GRE() / Raw(b"q" * 16), 0.004),
            at(eth() / ARP(pdst="10.6.0.1"), 0.005),
            at(eth() / ARP(op=2, psrc="10.6.0.1"), 0.006)]


def udp_pair():
    """The same two packets, for every link type."""
    return [IP(src="10.3.0.1", dst="10.3.0.2") / UDP(sport=1111, dport=2222) / Raw(b"a" * 10),
            IP(src="10.3.0.2", dst="10.3.0.1") / UDP(sport=2222, dport=1111) / Raw(b"b" * 20)]


def rtp(seq, pt=0, n=160):
    """An RTP v2 header (no CSRC, no extension) and n bytes of media."""
    return Raw(bytes([0x80, pt, seq >> 8, seq & 0xff]) + b"\x00\x00\x10\x00" + b"\x5e\xed\x00\x01"
               + b"m" * n)


def stun(length, n):
    """A STUN header saying `length` message bytes, and n bytes after it."""
    return Raw(b"\x00\x01" + length.to_bytes(2, "big") + b"\x21\x12\xa4\x42" + b"t" * (12 + n))


def payload_shapes():
    """One flow per kind of payload evidence (docs/FEATURES.md, "Payload shapes"),
    with packets that look alike but must not count. Times are 20 ms apart."""
    a, b = "10.7.0.1", "10.7.0.2"

    def udp(fwd, sport, dport, payload):
        src, dst = (a, b) if fwd else (b, a)
        sp, dp = (sport, dport) if fwd else (dport, sport)
        return eth() / IP(src=src, dst=dst) / UDP(sport=sp, dport=dp) / payload

    def tcp(fwd, flags, payload=b""):
        src, dst = (a, b) if fwd else (b, a)
        sp, dp = (41000, 443) if fwd else (443, 41000)
        return eth() / IP(src=src, dst=dst) / TCP(sport=sp, dport=dp, flags=flags) / Raw(payload)

    # RTP 5004 -> 5006: forward seq 100-109, an RTCP sender report, a second
    # stream (500), the first again (110), the second (501); backward wraps.
    fwd = [rtp(100 + i) for i in range(10)]
    fwd += [Raw(b"\x80\xc8\x00\x06" + b"r" * 24), rtp(500), rtp(110), rtp(501)]
    bwd = [rtp(s) for s in (65534, 65535, 0, 1)]
    flow = [udp(True, 5004, 5006, p) for p in fwd] + [udp(False, 5004, 5006, p) for p in bwd]
    # RTP-looking first bytes with sequence numbers that jump: no RTP.
    flow += [udp(True, 5008, 5010, rtp(s)) for s in (1000, 30000, 5000, 60000)]
    # STUN and DTLS 40000 -> 3478; a cookie with a length that does not fit,
    # and a payload too short to have a shape.
    flow += [udp(True, 40000, 3478, stun(8, 8)), udp(False, 40000, 3478, stun(12, 12)),
             udp(True, 40000, 3478, stun(100, 8)),
             udp(True, 40000, 3478, Raw(b"\x16\xfe\xfd" + b"d" * 97)),
             udp(False, 40000, 3478, Raw(b"\x16\xfe\xff" + b"d" * 87)),
             udp(True, 40000, 3478, Raw(b"\x17\xfe\xfd" + b"d" * 60)),
             udp(True, 40000, 3478, Raw(b"\x00\x01\x00\x00\x21\x12\xa4"))]
    # QUIC 50000 -> 443: a short header before any long one does not count,
    # nor does a long header of an unknown version.
    quic = [(True, b"\x43"), (True, b"\xc3\x00\x00\x00\x01"), (True, b"\xc3\x12\x34\x56\x78"),
            (True, b"\x41"), (True, b"\x5f"), (False, b"\xc0\xff\x00\x00\x1d"), (False, b"\x40")]
    flow += [udp(f, 50000, 443, Raw(h + b"q" * 40)) for f, h in quic]
    # TLS 41000 -> 443: records at the start of 3 of 8 segments.
    flow += [tcp(True, "S"), tcp(False, "SA"), tcp(True, "A"),
             tcp(True, "PA", b"\x16\x03\x01" + b"h" * 197), tcp(False, "A", b"\x16\x03\x03" + b"s" * 997),
             tcp(False, "PA", b"\x55" * 1000), tcp(True, "A"), tcp(True, "PA", b"\x17\x03\x03" + b"x" * 97)]
    return [at(p, 0.02 * i) for i, p in enumerate(flow)]


def pace_and_chunks():
    """P (7000 -> 7002): forward gaps of which 5 of 10 are within 2 ms of a
    multiple of 20 ms. C (8000 -> 443): a request, then 60 x 1400-byte
    packets 1 ms apart, at 0, 2 and 7 s (chunks), and 10 of them at 5 s (not)."""
    def udp(src, dst, sport, dport, ip_len):
        return eth() / IP(src=src, dst=dst) / UDP(sport=sport, dport=dport) / Raw(b"p" * (ip_len - 28))

    t, pkts = 0.0, []
    for gap in (0, 20000, 21500, 22500, 38500, 60000, 10000, 30000, 200000, 202500, 17900):
        t += gap / 1e6
        pkts.append(at(udp("10.8.0.1", "10.8.0.2", 7000, 7002, 128), t))
    for start, n in ((0, 60), (2, 60), (5, 10), (7, 60)):
        pkts.append(at(udp("10.8.0.3", "10.8.0.4", 8000, 443, 128), start))
        pkts += [at(udp("10.8.0.4", "10.8.0.3", 443, 8000, 1400), start + 0.001 * (i + 1))
                 for i in range(n)]
    return sorted(pkts, key=lambda p: p.time)


def ppi(dlt):
    """A PPI header with one field, wrapping a frame of link type dlt."""
    return PPI(dlt=dlt, headers=[PPI_Hdr(pfh_type=2) / Raw(b"\x00" * 20)])


def linktypes(outdir):
    pair = udp_pair()
    framings = {
        "link_ethernet": (DLT_EN10MB, lambda p: eth() / p),
        "link_raw": (DLT_RAW, lambda p: p),
        "link_raw101": (LINKTYPE_RAW, lambda p: p),
        "link_sll": (DLT_LINUX_SLL, lambda p: CookedLinux(proto=0x0800) / p),
        "link_sll2": (DLT_LINUX_SLL2, lambda p: CookedLinuxV2(proto=0x0800) / p),
        "link_null": (DLT_NULL, lambda p: Loopback(type=2) / p),
        "link_80211": (DLT_IEEE802_11_RADIO,
                       lambda p: RadioTap() / Dot11(type=2, subtype=0, FCfield="to-DS")
                       / LLC() / SNAP(code=0x0800) / p),
        # PPI with one 20-byte field (802.11-common): its length says where 802.11 starts.
        "link_ppi": (DLT_PPI,
                     lambda p: ppi(DLT_IEEE802_11) / Dot11(type=2, subtype=0, FCfield="to-DS")
                     / LLC() / SNAP(code=0x0800) / p),
        "link_ppi_ethernet": (DLT_PPI, lambda p: ppi(DLT_EN10MB) / eth() / p),
    }
    for name, (dlt, frame) in framings.items():
        write(os.path.join(outdir, name + ".pcap"),
              [at(frame(p.copy()), 0.5 * i) for i, p in enumerate(pair)], linktype=dlt)
    # 802.11 management (a beacon) carries no IP: counted as non-IP.
    write(os.path.join(outdir, "link_80211_beacon.pcap"),
          [at(RadioTap() / Dot11(type=0, subtype=8) / Raw(b"\x00" * 12), 0)],
          linktype=DLT_IEEE802_11_RADIO)
    # A link type flowscope does not read (USB).
    write(os.path.join(outdir, "link_usb.pcap"), [at(Raw(b"\x00" * 64), 0)], linktype=189)


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    write(os.path.join(outdir, "tcp_session.pcap"), tcp_session())
    write(os.path.join(outdir, "timeouts.pcap"), timeouts())
    write(os.path.join(outdir, "cic_quirks.pcap"), cic_quirks())
    write(os.path.join(outdir, "pairs.pcap"), pairs())
    write(os.path.join(outdir, "vlans.pcap"), vlans())
    write(os.path.join(outdir, "overload.pcap"), overload())
    write(os.path.join(outdir, "ipv6.pcap"), ipv6())
    write(os.path.join(outdir, "ipv4_frags.pcap"), ipv4_options_fragments())
    write(os.path.join(outdir, "icmp_other.pcap"), icmp_and_other())
    write(os.path.join(outdir, "payload_shapes.pcap"), payload_shapes())
    write(os.path.join(outdir, "pace_chunks.pcap"), pace_and_chunks())
    linktypes(outdir)


if __name__ == "__main__":
    main(sys.argv[1])
