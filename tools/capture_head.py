#!/usr/bin/python3
"""capture_head.py N IN OUT: the first N packets of a pcap or pcapng file, in
its own format and byte order, with every block before them (pcapng section
and interface blocks). Unlike editcap it keeps pcap as pcap and never
rewrites a record, so a fuzz seed is the real file's bytes."""
import struct
import sys

PCAP_MAGICS = (0xA1B2C3D4, 0xA1B23C4D)
PCAPNG_SHB = 0x0A0D0D0A
PCAPNG_PACKET_BLOCKS = (2, 3, 6)  # packet, simple packet, enhanced packet


def pcap_head(data, n, order):
    out, off = bytearray(data[:24]), 24
    for _ in range(n):
        if off + 16 > len(data):
            break
        incl = struct.unpack_from(order + "I", data, off + 8)[0]
        out += data[off:off + 16 + incl]
        off += 16 + incl
    return bytes(out)


def pcapng_head(data, n):
    out, off, packets, order = bytearray(), 0, 0, "<"
    while off + 12 <= len(data) and packets < n:
        btype = struct.unpack_from(order + "I", data, off)[0]
        if btype == PCAPNG_SHB:
            order = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        blen = struct.unpack_from(order + "I", data, off + 4)[0]
        if blen < 12:
            break
        out += data[off:off + blen]
        off += blen
        packets += btype in PCAPNG_PACKET_BLOCKS
    return bytes(out)


def main():
    n, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    data = open(src, "rb").read()
    if len(data) < 24:
        sys.exit(f"capture_head.py: {src}: too short for a capture")
    for order in "<>":
        if struct.unpack_from(order + "I", data)[0] in PCAP_MAGICS:
            head = pcap_head(data, n, order)
            break
    else:
        if struct.unpack_from("<I", data)[0] != PCAPNG_SHB:
            sys.exit(f"capture_head.py: {src}: not a pcap or pcapng capture")
        head = pcapng_head(data, n)
    open(dst, "wb").write(head)


if __name__ == "__main__":
    main()
