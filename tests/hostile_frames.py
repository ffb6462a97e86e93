#!/usr/bin/python3
"""Hostile frames for the flow engines, and what each one must count as.

  hostile_frames.py make OUTDIR [SEED]   OUTDIR/hostile.pcap, OUTDIR/expected.txt
  hostile_frames.py check EXPECTED CSV    compare flowscope's records with it

The frames are Ethernet with header bytes an attacker picks: VLAN stacks of
0-3 tags, IPv4 version, IHL, total length and fragment fields, IPv6 payload
lengths and chains of extension headers of any length, TCP data offsets and
flags, and frames cut anywhere, cut by a snap length, or up to 64 kB long.
Addresses and ports come from small pools, so many frames share a flow.

What each frame counts as comes from the rules in docs/FLOWS.md ("What is
counted"), written again here from the document and not from the C parser:
not IP, a bad IP header, or one packet of a flow whose key and IP length are
worked out here. `check` then wants, per flow key, exactly the packets and
IP bytes expected: a frame counted twice, or in another frame's flow, shows.
"""
import ipaddress
import random
import struct
import sys
from collections import defaultdict

FRAME_AT_HAND = 512  # flowscope reads the first 512 bytes of a frame (FS_FRAME_MAX)
T0 = 1700000000
V4 = [bytes([10, 9, 0, i]) for i in (1, 2, 3)]
V6 = [ipaddress.IPv6Address(f"2001:db8::{i}").packed for i in (1, 2)]
PORTS = [1, 2, 53, 80, 443]
EXT_HEADERS = [0, 43, 60, 135, 51, 44]  # hop-by-hop, routing, dst opts, mobility, AH, fragment
TCP, UDP, ICMP, ICMP6 = 6, 17, 1, 58


def be16(b, off):
    return (b[off] << 8) | b[off + 1]


# --- the rules, from docs/FLOWS.md -------------------------------------------

def classify(frame, wire_len):
    """'non_ip', 'bad_ip', or (key, ip_len) for one frame."""
    b = frame[:FRAME_AT_HAND]
    if len(b) < 14:
        return "non_ip"
    etype, off, vlan = be16(b, 12), 14, 0
    for i in range(2):  # at most two VLAN tags are looked through
        if etype not in (0x8100, 0x88A8):
            break
        if off + 4 > len(b):
            return "non_ip"
        if i == 0:
            vlan = be16(b, off) & 0xFFF
        etype = be16(b, off + 2)
        off += 4
    l3_wire = max(wire_len - off, 0)
    if etype == 0x0800:
        l3 = ipv4(b, off, l3_wire)
    elif etype == 0x86DD:
        l3 = ipv6(b, off, l3_wire)
    else:
        return "non_ip"
    if l3 == "bad_ip":
        return l3
    src, dst, proto, ip_len, l4 = l3
    sport = dport = 0
    if l4 is not None and proto in (TCP, UDP) and l4 + 4 <= len(b):
        sport, dport = be16(b, l4), be16(b, l4 + 2)
    return flow_key(vlan, proto, (src, sport), (dst, dport)), ip_len


def ipv4(b, off, l3_wire):
    if off + 20 > len(b) or b[off] >> 4 != 4 or (b[off] & 15) * 4 < 20:
        return "bad_ip"
    ihl = (b[off] & 15) * 4
    ip_len = be16(b, off + 2) or l3_wire  # 0: a TSO frame, its length on the wire
    if ip_len < ihl:
        return "bad_ip"
    first_fragment = be16(b, off + 6) & 0x1FFF == 0
    src = ipaddress.IPv4Address(b[off + 12:off + 16])
    dst = ipaddress.IPv4Address(b[off + 16:off + 20])
    return src, dst, b[off + 9], ip_len, off + ihl if first_fragment else None


def ipv6(b, off, l3_wire):
    if off + 40 > len(b) or b[off] >> 4 != 6:
        return "bad_ip"
    ip_len = be16(b, off + 4) + 40
    if ip_len == 40 and l3_wire > 40:
        ip_len = l3_wire
    src = ipaddress.IPv6Address(b[off + 8:off + 24])
    dst = ipaddress.IPv6Address(b[off + 24:off + 40])
    nh, p, l4 = b[off + 6], off + 40, True
    for _ in range(8):  # up to 8 extension headers are walked
        if nh not in EXT_HEADERS:
            break
        if p + 8 > len(b):
            l4 = False
            break
        if nh == 44:
            size = 8
            if be16(b, p + 2) & 0xFFF8:
                l4 = False
        elif nh == 51:
            size = (b[p + 1] + 2) * 4
        else:
            size = (b[p + 1] + 1) * 8
        nh = b[p]
        p += size
        if not l4:
            break
    return src, dst, nh, ip_len, p if l4 else None


def show(addr):
    """An address as flowscope's records write it (IPv4 for a mapped one)."""
    a = ipaddress.ip_address(addr)
    if a.version == 6 and a.ipv4_mapped:
        a = a.ipv4_mapped
    return str(a)


def flow_key(vlan, proto, a, b):
    ends = sorted([(show(a[0]), int(a[1])), (show(b[0]), int(b[1]))])
    return f"{vlan} {proto} {ends[0][0]} {ends[0][1]} {ends[1][0]} {ends[1][1]}"


# --- the frames ------------------------------------------------------------

def vlan_tags(rnd):
    tags = b""
    for _ in range(rnd.choice([0, 0, 0, 0, 1, 2, 3])):
        tpid = rnd.choice([0x8100, 0x8100, 0x88A8, rnd.randrange(65536)])
        tags += struct.pack("!HH", tpid, rnd.randrange(65536))
    return tags


def l4_header(rnd, proto, payload):
    sport, dport = rnd.choice(PORTS), rnd.choice(PORTS)
    if proto == TCP:
        offset = 5 if rnd.random() < 0.6 else rnd.randrange(16)
        return struct.pack("!HHIIBBHHH", sport, dport, rnd.getrandbits(32), 0, offset << 4,
                           rnd.randrange(256), rnd.randrange(65536), 0, 0) + payload
    if proto == UDP:
        return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    return bytes(rnd.randrange(256) for _ in range(8)) + payload


def some_length(rnd, right):
    return rnd.choice([right, right, right, 0, rnd.randrange(65536)])


def ipv4_packet(rnd, proto, l4):
    ihl = 5 if rnd.random() < 0.6 else rnd.randrange(16)
    options = bytes(rnd.randrange(256) for _ in range(max(ihl - 5, 0) * 4))
    version = 4 if rnd.random() < 0.9 else rnd.randrange(16)
    frag = 0 if rnd.random() < 0.7 else rnd.randrange(65536)
    total = some_length(rnd, 20 + len(options) + len(l4))
    hdr = struct.pack("!BBHHHBBH4s4s", version << 4 | ihl, 0, total, 0, frag, 64, proto, 0,
                      rnd.choice(V4), rnd.choice(V4))
    return hdr + options + l4


def ipv6_packet(rnd, proto, l4):
    chain, nhs = b"", [rnd.choice(EXT_HEADERS) for _ in range(rnd.choice([0, 0, 1, 2, 5, 9]))]
    for i, nh in enumerate(nhs):
        after = nhs[i + 1] if i + 1 < len(nhs) else proto
        if nh == 44:
            frag = 0 if rnd.random() < 0.5 else rnd.randrange(65536)
            chain += struct.pack("!BBHI", after, 0, frag, 1)
        else:
            size = rnd.choice([0, 0, 1, rnd.randrange(256)])
            total = (size + 2) * 4 if nh == 51 else (size + 1) * 8
            chain += bytes([after, size]) + bytes(total - 2)
    first = nhs[0] if nhs else proto
    version = 6 if rnd.random() < 0.9 else rnd.randrange(16)
    plen = some_length(rnd, len(chain) + len(l4))
    hdr = struct.pack("!IHBB16s16s", version << 28, plen & 0xFFFF, first, 64, rnd.choice(V6),
                      rnd.choice(V6))
    return hdr + chain + l4


def frame(rnd):
    """One frame and its length on the wire."""
    proto = rnd.choice([TCP, TCP, UDP, UDP, ICMP, ICMP6, 47, rnd.randrange(256)])
    size = rnd.choice([0, 10, 100, 400]) if rnd.random() < 0.97 else rnd.randrange(1400, 65000)
    l4 = l4_header(rnd, proto, bytes(size))
    etype = rnd.choice([0x0800, 0x86DD] * 9 + [0x0806, rnd.randrange(65536)])
    l3 = ipv4_packet(rnd, proto, l4) if etype == 0x0800 else ipv6_packet(rnd, proto, l4)
    whole = (b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01" + vlan_tags(rnd)
             + struct.pack("!H", etype) + l3)
    if rnd.random() < 0.7:
        return whole, len(whole)
    cut = rnd.randrange(len(whole) + 1)
    # A snap length keeps the wire length; a frame cut short in transit does not.
    return whole[:cut], rnd.choice([cut, len(whole)])


def make(outdir, seed):
    rnd = random.Random(seed)
    counts, flows = defaultdict(int), defaultdict(lambda: [0, 0])
    with open(f"{outdir}/hostile.pcap", "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for i in range(4000):
            data, wire = frame(rnd)
            f.write(struct.pack("<IIII", T0 + i // 1000, i % 1000 * 1000, len(data), wire))
            f.write(data)
            what = classify(data, wire)
            counts["frames"] += 1
            if isinstance(what, str):
                counts[what] += 1
            else:
                flows[what[0]][0] += 1
                flows[what[0]][1] += what[1]
    with open(f"{outdir}/expected.txt", "w") as f:
        for k in ("frames", "non_ip", "bad_ip"):
            f.write(f"{k} {counts[k]}\n")
        for key in sorted(flows):
            f.write(f"flow {key} {flows[key][0]} {flows[key][1]}\n")


def check(expected_path, csv_path):
    """Prints each flow whose packets or bytes differ; exits 1 if any."""
    want = {}
    for line in open(expected_path):
        if line.startswith("flow "):
            *key, packets, nbytes = line.split()[1:]
            want[" ".join(key)] = (int(packets), int(nbytes))
    got = defaultdict(lambda: [0, 0])
    rows = open(csv_path).read().splitlines()
    col = {name: i for i, name in enumerate(rows[0].split(","))}
    for row in rows[1:]:
        v = row.split(",")
        key = flow_key(v[col["vlan_id"]], v[col["proto"]], (v[col["src_ip"]], v[col["src_port"]]),
                       (v[col["dst_ip"]], v[col["dst_port"]]))
        got[key][0] += int(v[col["fwd_packets"]]) + int(v[col["bwd_packets"]])
        got[key][1] += int(v[col["fwd_bytes"]]) + int(v[col["bwd_bytes"]])
    bad = 0
    for key in sorted(set(want) | set(got)):
        if tuple(got.get(key, (0, 0))) != want.get(key, (0, 0)):
            print(f"flow {key}: packets, bytes {tuple(got.get(key, (0, 0)))}, "
                  f"expected {want.get(key, (0, 0))}")
            bad += 1
    print(f"{len(want)} flows expected, {len(got)} found, {bad} differ")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    else:
        check(sys.argv[2], sys.argv[3])
