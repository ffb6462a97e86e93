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
    tools/feature_reference.py --pairs CAPTURE flowscope-unit-pair.csv

With --pairs it checks the first seed's 21 host-pair features instead,
grouping tshark's IP packets by address pair directly (no flows involved).

Only TCP and UDP flows are written: the features are about them, and other
protocols' L4 headers are beyond what this reference decodes.
"""
import csv
import datetime
import hashlib
import ipaddress
import math
import os
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


def run_cached(cmd, path):
    """tshark's output; kept in $FS_TSHARK_CACHE (if set), by the capture's and the
    command's sha256, since the tests decode each capture several times."""
    cache = os.environ.get("FS_TSHARK_CACHE")
    if not cache:
        return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    h = hashlib.sha256("\0".join(cmd[:3] + cmd[4:]).encode())
    with open(path, "rb") as fh:
        h.update(hashlib.sha256(fh.read()).digest())
    kept = os.path.join(cache, h.hexdigest())
    if os.path.exists(kept):
        with open(kept) as fh:
            return fh.read()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    os.makedirs(cache, exist_ok=True)
    with open(kept + ".tmp", "w") as fh:
        fh.write(out)
    os.replace(kept + ".tmp", kept)
    return out


def ip_packets(path):
    """Every IP frame, decoded by tshark: a dict per packet."""
    cmd = ["tshark", "-n", "-r", path, "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
           "-o", "tcp.desegment_tcp_streams:FALSE", "-Y", "ip or ipv6", "-T", "fields",
           "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = run_cached(cmd, path)
    for line in out.splitlines():
        v = dict(zip(FIELDS, line.split("|")))
        layers = v["frame.protocols"].split(":")
        ip_at = min(layers.index(n) if n in layers else len(layers) for n in ("ip", "ipv6"))
        if ip_at == len(layers):
            continue
        # The outermost IP header and what follows it, skipping IPv6 extension headers.
        after = [n for n in layers[ip_at + 1:] if not n.startswith("ipv6.")]
        p = {"v": v, "l4": after[0] if after else "", "ethernet": layers[0] == "eth",
             "t": epoch_ns(v["frame.time_epoch"]), "frame_len": int(v["frame.len"]),
             "vlan": int(first(v["vlan.id"]) or 0)}
        if layers[ip_at] == "ip":
            p.update(src=first(v["ip.src"]), dst=first(v["ip.dst"]),
                     ip_len=int(first(v["ip.len"])), ip_hdr=int(first(v["ip.hdr_len"])),
                     proto=int(first(v["ip.proto"])),
                     fragment=int(first(v["ip.frag_offset"]) or 0) > 0)
        else:
            p.update(src=first(v["ipv6.src"]), dst=first(v["ipv6.dst"]),
                     ip_len=int(first(v["ipv6.plen"])) + 40, ip_hdr=None,
                     proto={"tcp": 6, "udp": 17}.get(p["l4"], -1),
                     fragment="ipv6.fraghdr" in layers and p["l4"] not in ("tcp", "udp"))
        yield p


def packets(path):
    """(time ns, key, src endpoint, identity, payload, header, flags, window) per TCP/UDP packet."""
    for p in ip_packets(path):
        v, proto, l4 = p["v"], p["proto"], p["l4"]
        if proto not in (6, 17) or p["fragment"] or l4 not in ("tcp", "udp"):
            continue  # fragments: no L4 header to check against
        flags, window = 0, None
        if l4 == "tcp":
            sport, dport = int(first(v["tcp.srcport"])), int(first(v["tcp.dstport"]))
            header = int(first(v["tcp.hdr_len"]))
            payload = int(first(v["tcp.len"]))
            flags = int(first(v["tcp.flags"]), 16) & 0xff
            window = int(first(v["tcp.window_size_value"]))
        else:
            sport, dport = int(first(v["udp.srcport"])), int(first(v["udp.dstport"]))
            header = 8
            if p["ip_hdr"] is not None:
                payload = p["ip_len"] - p["ip_hdr"] - 8
            else:
                payload = int(first(v["udp.length"])) - 8
        a = (ipaddress.ip_address(p["src"]).packed.rjust(16, b"\0"), sport)
        b = (ipaddress.ip_address(p["dst"]).packed.rjust(16, b"\0"), dport)
        key = (min(a, b), max(a, b), proto, p["vlan"])
        yield (p["t"], key, a, (p["src"], sport, p["dst"], dport, proto, p["vlan"]),
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


def compare_rows(path, ours_csv, ref, key_of, what):
    """Each flowscope row against ref (key -> features); prints each disagreement."""
    bad = seen = 0
    with open(ours_csv) as fh:
        for row in csv.DictReader(fh):
            key = key_of(row)
            if key is None:
                continue
            r = ref.pop(key, None)
            seen += 1
            if r is None:
                print("%s: %s %s not in the reference" % (path, what, key))
                bad += 1
                continue
            wrong = [(k, row[k], v) for k, v in r.items() if not agrees(row[k], v)]
            if wrong:
                print("%s: %s %s: %s" % (path, what, key, wrong[:6]))
                bad += 1
    for key in ref:
        print("%s: reference %s %s not in flowscope's records" % (path, what, key))
        bad += 1
    print("%d %ss compared, %d disagree" % (seen, what, bad))
    return bad


def flow_key(row):
    """TCP and UDP flows with ports: the ones the reference decodes."""
    if row["proto"] not in ("6", "17") or row["src_port"] == row["dst_port"] == "0":
        return None
    return (row["src_ip"], row["src_port"], row["dst_ip"], row["dst_port"], row["proto"],
            row["vlan_id"], row["first_seen"])


def compare(path, ours_csv):
    """Returns how many flows disagree."""
    ref = {identity(f): features(f) for f in split_flows(path)}
    return compare_rows(path, ours_csv, ref, flow_key, "flow")


def split_pairs(path):
    """IP packets grouped by their two addresses and VLAN; None if not Ethernet."""
    pairs = {}
    for p in ip_packets(path):
        if not p["ethernet"]:
            return None  # frame lengths of other link types are not comparable
        a = ipaddress.ip_address(p["src"]).packed.rjust(16, b"\0")
        b = ipaddress.ip_address(p["dst"]).packed.rjust(16, b"\0")
        pairs.setdefault((min(a, b), max(a, b), p["vlan"]), []).append(p)
    return pairs


def pair_features(pkts):
    """The first seed's 21 features; the client sent the pair's first packet."""
    first_pkt = min(pkts, key=lambda p: p["t"])
    client = first_pkt["src"]
    up = [p["frame_len"] for p in pkts if p["src"] == client]
    down = [p["frame_len"] for p in pkts if p["src"] != client]
    secs = (max(p["t"] for p in pkts) - first_pkt["t"]) // 1000 / 1e6
    n, volume = len(pkts), sum(up) + sum(down)
    r = {"session_time": secs,
         "%tcp_protocol": 100 * sum(1 for p in pkts if p["proto"] == 6) / n,
         "%udp_protocol": 100 * sum(1 for p in pkts if p["proto"] == 17) / n}
    for name, vols in (("ul", up), ("dl", down)):
        m = stats(vols)
        r.update({name + "_data_volume": sum(vols), "max_%s_volume" % name: m[2],
                  "min_%s_volume" % name: m[3], "avg_%s_volume" % name: m[0],
                  "std_%s_volume" % name: m[1], "%%%s_volume" % name: 100 * sum(vols) / volume})
    r.update({"nb_uplink_packet": len(up), "nb_downlink_packet": len(down),
              "%ul_packet": 100 * len(up) / n, "%dl_packet": 100 * len(down) / n,
              "kB/s": div(volume / 1000, secs), "nb_packet/s": div(n, secs)})
    secs_, ns = divmod(first_pkt["t"], 10**9)
    when = datetime.datetime.fromtimestamp(secs_, datetime.timezone.utc)
    key = (str(ipaddress.ip_address(client)), str(ipaddress.ip_address(first_pkt["dst"])),
           str(first_pkt["vlan"]),
           when.strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % (ns // 1000))
    return key, r


def compare_pairs(path, ours_csv):
    """As compare(), for flowscope's --unit pair records; -1 if not comparable."""
    pairs = split_pairs(path)
    if pairs is None:
        print("%s: not Ethernet: frame lengths not compared" % path)
        return -1
    ref = dict(pair_features(pkts) for pkts in pairs.values())
    return compare_rows(path, ours_csv, ref, pair_key, "pair")


def pair_key(row):
    return (str(ipaddress.ip_address(row["src_ip"])), str(ipaddress.ip_address(row["dst_ip"])),
            row["vlan_id"], row["first_seen"])


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
    if len(sys.argv) == 4 and sys.argv[1] == "--pairs":
        sys.exit(1 if compare_pairs(sys.argv[2], sys.argv[3]) > 0 else 0)
    if len(sys.argv) == 3:
        sys.exit(1 if compare(sys.argv[1], sys.argv[2]) else 0)
    main(sys.argv[1])
