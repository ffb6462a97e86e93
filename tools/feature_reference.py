#!/usr/bin/python3
"""Independent reference for flowscope's CICFlowMeter features.

Reads a capture with tshark (not flowscope's parser), splits it into flows by
the rules of docs/FLOWS.md and computes the 76 CICFlowMeter features as
docs/FEATURES.md defines them, in exact integer arithmetic. Prints CSV:
the flow's identity, then the features under flowscope's column names. Given
flowscope's CSV of the same capture, it compares instead: every TCP and UDP
flow must be in both, integers equal, reals within 1e-6 relative.

    tools/feature_reference.py CAPTURE > ref.csv
    tools/feature_reference.py CAPTURE flowscope.csv

Only TCP and UDP flows are written: the features are about them, and other
protocols' L4 headers are beyond what this reference decodes.
"""
import csv
import datetime
import ipaddress
import math
import subprocess
import sys

IDLE_NS = 60 * 10**9
ACTIVE_NS = 120 * 10**9
LINGER_NS = 10**9
ACTIVITY_GAP_US = 5 * 10**6
SUBFLOW_GAP_US = 10**6
BULK_GAP_US = 10**6
BULK_MIN = 4
FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = (1 << i for i in range(8))

FIELDS = ["frame.time_epoch", "frame.len", "frame.protocols", "vlan.id", "ip.src", "ip.dst",
          "ip.len", "ip.hdr_len", "ip.proto", "ip.frag_offset", "ipv6.src", "ipv6.dst",
          "ipv6.plen", "tcp.srcport", "tcp.dstport", "tcp.hdr_len", "tcp.len", "tcp.flags",
          "tcp.window_size_value", "udp.srcport", "udp.dstport", "udp.length"]


def first(value):
    return value.split(",")[0] if value else ""


def epoch_ns(text):
    secs, _, frac = text.partition(".")
    return int(secs) * 10**9 + int((frac + "000000000")[:9])


def packets(path):
    """(time ns, key, src endpoint, ip proto, payload, header, flags, window) per TCP/UDP packet."""
    cmd = ["tshark", "-n", "-r", path, "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
           "-o", "tcp.desegment_tcp_streams:FALSE", "-Y", "ip or ipv6", "-T", "fields",
           "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        v = dict(zip(FIELDS, line.split("|")))
        layers = v["frame.protocols"].split(":")
        ip_at = min(layers.index(n) if n in layers else len(layers) for n in ("ip", "ipv6"))
        if ip_at == len(layers):
            continue
        # The outermost IP header and what follows it, skipping IPv6 extension headers.
        after = [n for n in layers[ip_at + 1:] if not n.startswith("ipv6.")]
        l4 = after[0] if after else ""
        if layers[ip_at] == "ip":
            src, dst = first(v["ip.src"]), first(v["ip.dst"])
            ip_len, ip_hdr = int(first(v["ip.len"])), int(first(v["ip.hdr_len"]))
            proto = int(first(v["ip.proto"]))
            fragment = int(first(v["ip.frag_offset"]) or 0) > 0
        else:
            src, dst = first(v["ipv6.src"]), first(v["ipv6.dst"])
            ip_len, ip_hdr = int(first(v["ipv6.plen"])) + 40, None
            proto = {"tcp": 6, "udp": 17}.get(l4, -1)
            fragment = "ipv6.fraghdr" in layers and l4 not in ("tcp", "udp")
        if proto not in (6, 17):
            continue
        sport = dport = 0
        header, flags, window = (20 if proto == 6 else 8), 0, None
        if not fragment and l4 == "tcp":
            sport, dport = int(first(v["tcp.srcport"])), int(first(v["tcp.dstport"]))
            header = int(first(v["tcp.hdr_len"]))
            payload = int(first(v["tcp.len"]))
            flags = int(first(v["tcp.flags"]), 16) & 0xff
            window = int(first(v["tcp.window_size_value"]))
        elif not fragment and l4 == "udp":
            sport, dport = int(first(v["udp.srcport"])), int(first(v["udp.dstport"]))
            payload = (ip_len - ip_hdr - 8) if ip_hdr is not None else int(first(v["udp.length"])) - 8
        else:
            continue  # fragments: no L4 header to check against
        a = (ipaddress.ip_address(src).packed.rjust(16, b"\0"), sport)
        b = (ipaddress.ip_address(dst).packed.rjust(16, b"\0"), dport)
        vlan = int(first(v["vlan.id"]) or 0)
        key = (min(a, b), max(a, b), proto, vlan)
        yield (epoch_ns(v["frame.time_epoch"]), key, a, (src, sport, dst, dport, proto, vlan),
               max(payload, 0), header, flags, window)


class Dir:
    def __init__(self):
        self.times = []      # us since the flow's start, as stamped
        self.gaps = []
        self.last = None     # running maximum of times
        self.payloads = []
        self.headers = []
        self.flags = [0] * 8
        self.windows = []
        # the bulk detector
        self.bulk_last = 0
        self.cand_start = self.cand_pkts = self.cand_bytes = 0
        self.bulks = self.bulk_pkts = self.bulk_bytes = self.bulk_dur = 0


class Flow:
    def __init__(self, t_ns, ident, src):
        self.first_ns = self.last_ns = t_ns
        self.ident = ident
        self.src = src
        self.d = [Dir(), Dir()]
        self.gaps = []
        self.last_us = 0
        self.closed = False
        self.fin_dirs = 0
        self.active_start = 0
        self.active, self.idle = [], []
        self.subflow_gaps = 0
        self.n = 0

    def stale(self, t_ns, flags):
        idle = max(0, t_ns - self.last_ns)
        if self.closed and idle >= LINGER_NS:
            return True
        if idle > IDLE_NS or max(0, t_ns - self.first_ns) > ACTIVE_NS:
            return True
        return self.closed and flags & (SYN | ACK) == SYN

    def add(self, t_ns, src, proto, payload, header, flags, window):
        t = max(0, t_ns - self.first_ns) // 1000
        if self.n:
            gap = max(0, t - self.last_us)
            self.gaps.append(gap)
            if gap > SUBFLOW_GAP_US:
                self.subflow_gaps += 1
            if gap > ACTIVITY_GAP_US:
                if self.last_us > self.active_start:
                    self.active.append(self.last_us - self.active_start)
                self.idle.append(gap)
                self.active_start = t
            self.last_us = max(self.last_us, t)
        self.n += 1
        di = 0 if src == self.src else 1
        d = self.d[di]
        if d.last is not None:
            d.gaps.append(max(0, t - d.last))
            d.last = max(d.last, t)
        else:
            d.last = t
        d.times.append(t)
        d.payloads.append(payload)
        d.headers.append(header)
        for i in range(8):
            if flags & (1 << i):
                d.flags[i] += 1
        if window is not None:
            d.windows.append(window)
        self.bulk(d, self.d[1 - di], payload, t)
        self.last_ns = max(self.last_ns, t_ns)
        if proto == 6 and not self.closed:
            if flags & RST:
                self.closed = True
            else:
                if flags & FIN:
                    self.fin_dirs |= 1 << di
                self.closed = self.fin_dirs == 3

    @staticmethod
    def bulk(m, other, payload, t):
        if m.cand_pkts and other.bulk_last > m.cand_start:
            m.cand_pkts = 0
        if payload == 0:
            return
        if m.cand_pkts == 0 or max(0, t - m.bulk_last) > BULK_GAP_US:
            m.cand_start, m.cand_pkts, m.cand_bytes = t, 1, payload
        else:
            m.cand_pkts += 1
            if m.cand_pkts < BULK_MIN:
                m.cand_bytes += payload
            elif m.cand_pkts == BULK_MIN:
                m.bulks += 1
                m.bulk_pkts += BULK_MIN
                m.bulk_bytes += m.cand_bytes + payload
                m.bulk_dur += max(0, t - m.cand_start)
            else:
                m.bulk_pkts += 1
                m.bulk_bytes += payload
                m.bulk_dur += max(0, t - m.bulk_last)
        m.bulk_last = t


def mean(xs):
    return sum(xs) / len(xs) if xs else 0.0


def var(xs):
    n = len(xs)
    if n < 2:
        return 0.0
    return (n * sum(x * x for x in xs) - sum(xs) ** 2) / (n * (n - 1))


def stats(xs):
    """mean, std, max, min; all 0 for no values."""
    if not xs:
        return [0, 0, 0, 0]
    return [mean(xs), math.sqrt(var(xs)), max(xs), min(xs)]


def per_s(x, dur_us):
    return x / (dur_us / 1e6) if dur_us else 0.0


def div(a, b):
    return a / b if b else 0.0


def features(f):
    fw, bw = f.d
    dur = f.last_us
    allp = fw.payloads + bw.payloads
    active = f.active + ([f.last_us - f.active_start] if f.last_us > f.active_start else [])
    sub = f.subflow_gaps + 1
    r = {"flow_duration": dur, "fwd_packets": len(fw.payloads), "bwd_packets": len(bw.payloads),
         "fwd_payload_bytes": sum(fw.payloads), "bwd_payload_bytes": sum(bw.payloads)}
    for name, d in (("fwd", fw), ("bwd", bw)):
        m = stats(d.payloads)
        r.update({name + "_payload_max": m[2], name + "_payload_min": m[3],
                  name + "_payload_mean": m[0], name + "_payload_std": m[1]})
    r["flow_bytes_per_s"] = per_s(sum(allp), dur)
    r["flow_packets_per_s"] = per_s(len(allp), dur)
    for name, vals in zip(("mean", "std", "max", "min"), stats(f.gaps)):
        r["flow_iat_" + name] = vals
    for name, d in (("fwd", fw), ("bwd", bw)):
        r[name + "_iat_total"] = sum(d.gaps)
        for s, vals in zip(("mean", "std", "max", "min"), stats(d.gaps)):
            r[name + "_iat_" + s] = vals
    r.update({"fwd_psh": fw.flags[3], "bwd_psh": bw.flags[3], "fwd_urg": fw.flags[5],
              "bwd_urg": bw.flags[5], "fwd_header_bytes": sum(fw.headers),
              "bwd_header_bytes": sum(bw.headers),
              "fwd_packets_per_s": per_s(len(fw.payloads), dur),
              "bwd_packets_per_s": per_s(len(bw.payloads), dur),
              "payload_min": min(allp), "payload_max": max(allp), "payload_mean": mean(allp),
              "payload_std": math.sqrt(var(allp)), "payload_var": var(allp)})
    for i, name in enumerate(("fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr")):
        r[name] = fw.flags[i] + bw.flags[i]
    r["down_up_ratio"] = div(len(bw.payloads), len(fw.payloads))
    r["packet_size_avg"] = mean(allp)
    r["fwd_segment_avg"] = mean(fw.payloads)
    r["bwd_segment_avg"] = mean(bw.payloads)
    for name, d in (("fwd", fw), ("bwd", bw)):
        r[name + "_bulk_bytes_avg"] = div(d.bulk_bytes, d.bulks)
        r[name + "_bulk_packets_avg"] = div(d.bulk_pkts, d.bulks)
        r[name + "_bulk_rate"] = div(d.bulk_bytes, d.bulk_dur / 1e6)
    r.update({"subflow_fwd_packets": len(fw.payloads) / sub,
              "subflow_fwd_bytes": sum(fw.payloads) / sub,
              "subflow_bwd_packets": len(bw.payloads) / sub,
              "subflow_bwd_bytes": sum(bw.payloads) / sub,
              "fwd_init_win": fw.windows[0] if fw.windows else 0,
              "bwd_init_win": bw.windows[0] if bw.windows else 0,
              "fwd_data_packets": sum(1 for p in fw.payloads if p > 0),
              "fwd_header_min": min(fw.headers)})
    for name, vals in zip(("mean", "std", "max", "min"), stats(active)):
        r["active_" + name] = vals
    for name, vals in zip(("mean", "std", "max", "min"), stats(f.idle)):
        r["idle_" + name] = vals
    return r


def split_flows(path):
    flows, done = {}, []
    for t_ns, key, src, ident, payload, header, flags, window in packets(path):
        f = flows.get(key)
        if f is not None and f.stale(t_ns, flags):
            done.append(f)
            f = None
        if f is None:
            f = flows[key] = Flow(t_ns, ident, src)
        f.add(t_ns, src, key[2], payload, header, flags, window)
    done += flows.values()
    return sorted(done, key=lambda f: (f.first_ns, f.ident))


def identity(f):
    src, sport, dst, dport, proto, vlan = f.ident
    secs, ns = divmod(f.first_ns, 10**9)
    when = datetime.datetime.fromtimestamp(secs, datetime.timezone.utc)
    return (str(ipaddress.ip_address(src)), str(sport), str(ipaddress.ip_address(dst)),
            str(dport), str(proto), str(vlan),
            when.strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % (ns // 1000))


def agrees(ours, ref):
    if isinstance(ref, int):
        return float(ours) == ref
    return math.isclose(float(ours), ref, rel_tol=1e-6, abs_tol=1e-9)


def compare(path, ours_csv):
    """Prints each disagreement; returns how many flows disagree."""
    ref = {identity(f): features(f) for f in split_flows(path)}
    bad = seen = 0
    with open(ours_csv) as fh:
        for row in csv.DictReader(fh):
            if row["proto"] not in ("6", "17") or row["src_port"] == row["dst_port"] == "0":
                continue
            key = (row["src_ip"], row["src_port"], row["dst_ip"], row["dst_port"], row["proto"],
                   row["vlan_id"], row["first_seen"])
            r = ref.pop(key, None)
            seen += 1
            if r is None:
                print("%s: flow %s not in the reference" % (path, key))
                bad += 1
                continue
            wrong = [(k, row[k], v) for k, v in r.items() if not agrees(row[k], v)]
            if wrong:
                print("%s: flow %s: %s" % (path, key, wrong[:6]))
                bad += 1
    for key in ref:
        print("%s: reference flow %s not in flowscope's records" % (path, key))
        bad += 1
    print("%d flows compared, %d disagree" % (seen, bad))
    return bad


def main(path):
    out = csv.writer(sys.stdout, lineterminator="\n")
    header = None
    for f in split_flows(path):
        r = features(f)
        if header is None:
            header = list(r)
            out.writerow(["src_ip", "src_port", "dst_ip", "dst_port", "proto", "vlan_id",
                          "first_seen"] + header)
        out.writerow(list(identity(f)) + [r[h] for h in header])


if __name__ == "__main__":
    if len(sys.argv) == 3:
        sys.exit(1 if compare(sys.argv[1], sys.argv[2]) else 0)
    main(sys.argv[1])
