#!/usr/bin/python3
"""Payload shapes per flow and direction: flowscope's records against tshark's
dissectors on the same capture. Usage: shape_counts.py CAPTURE RECORDS.csv SHAPE...

For each UDP flow and direction, the packets flowscope counted (its share
times the direction's packets) must equal the frames tshark dissects as:
  stun        STUN with the RFC 5389 magic cookie (not inside an ICMP error)
  dtls        DTLS
  quic_long   QUIC with a long header first (quic.header_form 1)
  quic_short  QUIC with a short header first, once the flow has had a long one
Prints each disagreement and the totals; exits 1 if any.
"""
import csv
import subprocess
import sys

FIELDS = ["ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "udp.srcport", "udp.dstport",
          "stun.cookie", "dtls.record.content_type", "quic.header_form", "icmp.type",
          "icmpv6.type"]


def tshark_rows(capture):
    out = subprocess.run(["tshark", "-n", "-r", capture, "-Y", "udp", "-T", "fields",
                          "-E", "occurrence=f"] + sum((["-e", f] for f in FIELDS), []),
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        yield dict(zip(FIELDS, line.split("\t")))


def shapes_of(row, long_seen):
    """The shapes tshark sees in this frame's first message."""
    if row["icmp.type"] or row["icmpv6.type"]:
        return set()
    found = set()
    if row["stun.cookie"].replace(":", "") == "2112a442":
        found.add("stun")
    if row["dtls.record.content_type"]:
        found.add("dtls")
    if row["quic.header_form"] == "1":
        found.add("quic_long")
    elif row["quic.header_form"] == "0" and long_seen:
        found.add("quic_short")
    return found


def tshark_counts(capture):
    counts, long_seen = {}, set()
    for row in tshark_rows(capture):
        src = row["ip.src"] or row["ipv6.src"]
        dst = row["ip.dst"] or row["ipv6.dst"]
        key = (src, row["udp.srcport"], dst, row["udp.dstport"])
        flow = frozenset([key[:2], key[2:]])
        found = shapes_of(row, flow in long_seen)
        if "quic_long" in found:
            long_seen.add(flow)
        for shape in found:
            counts[key + (shape,)] = counts.get(key + (shape,), 0) + 1
    return counts


def flowscope_counts(records):
    counts = {}
    for r in csv.DictReader(open(records)):
        if r["proto"] != "17":
            continue
        ends = {"fwd": (r["src_ip"], r["src_port"], r["dst_ip"], r["dst_port"]),
                "bwd": (r["dst_ip"], r["dst_port"], r["src_ip"], r["src_port"])}
        for d, key in ends.items():
            for shape in SHAPES:
                n = round(float(r[f"{d}_{shape}_share"]) * int(r[f"{d}_packets"]))
                if n:
                    counts[key + (shape,)] = counts.get(key + (shape,), 0) + n
    return counts


capture, records, *SHAPES = sys.argv[1:]
theirs = {k: v for k, v in tshark_counts(capture).items() if k[4] in SHAPES}
ours = flowscope_counts(records)
bad = 0
for key in sorted(set(theirs) | set(ours)):
    if theirs.get(key, 0) != ours.get(key, 0):
        print(f"    {' '.join(key)}: flowscope {ours.get(key, 0)}, tshark {theirs.get(key, 0)}")
        bad += 1
for shape in SHAPES:
    print(f"    {shape}: flowscope {sum(v for k, v in ours.items() if k[4] == shape)},"
          f" tshark {sum(v for k, v in theirs.items() if k[4] == shape)}")
sys.exit(1 if bad else 0)
