#!/usr/bin/python3
"""Independent reference for replay totals: IP frames and IP bytes per capture,
as tshark decodes them. Prints "FRAMES BYTES". The bytes of a frame are the
outermost IP header's length field (IPv4 total length, IPv6 payload + 40).

Usage: tools/tshark_ip_totals.py CAPTURE
"""
import subprocess
import sys


def main(path):
    out = subprocess.run(
        ["tshark", "-n", "-r", path, "-o", "ip.defragment:FALSE",
         "-o", "ipv6.defragment:FALSE", "-Y", "ip or ipv6", "-T", "fields",
         "-E", "separator=|", "-e", "frame.protocols", "-e", "ip.len",
         "-e", "ipv6.plen"],
        check=True, capture_output=True, text=True).stdout
    frames = total = 0
    for line in out.splitlines():
        protos, ip_len, ip6_plen = line.split("|")
        layers = protos.split(":")
        first_v4 = layers.index("ip") if "ip" in layers else len(layers)
        first_v6 = layers.index("ipv6") if "ipv6" in layers else len(layers)
        frames += 1
        if first_v4 < first_v6:
            total += int(ip_len.split(",")[0])
        else:
            total += int(ip6_plen.split(",")[0]) + 40
    print(frames, total)


if __name__ == "__main__":
    main(sys.argv[1])
