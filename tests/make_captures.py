#!/usr/bin/env python3
"""Writes the packet captures kept in testdata: testdata/captures/DARTBundle_0827_0307.pcapng (the
capture that goes with the example bundle, shown in README.md and validated against the schema by
tests/validate_schema.py) and the capture fuzz target's seed corpus testdata/fuzz/capture/seed-*.
Byte for byte independent of the C++ test builder (tests/capture_builder.cc), and deterministic:
rerun it after a change and review the diff.

Usage: python3 tests/make_captures.py [REPO_ROOT]
"""
import calendar
import os
import struct
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
CLIENT, CLIENT_MAC, GATEWAY = "192.168.1.20", b"\x3c\x52\x82\x11\x22\x33", "192.168.1.1"
GATEWAY_MAC = b"\x00\x1b\x17\x00\x01\x02"
R1, R2, SWG = "208.67.222.222", "208.67.220.220", "18.135.112.200"
SWG_NAME = "swg-url-proxy-https-sse.sigproxy.qq.opendns.com"
SWG_CHAIN = [SWG_NAME, "swg-proxy_eu-west-2_1_1n.sigproxy.aws.umbrella.com", "swg-nlb-eu-west-2.elb.amazonaws.com"]
MAX_SEED = 4096


def at(text):
    """Seconds since the epoch for 'YYYY-MM-DD hh:mm:ss.ffffff' read as UTC."""
    date, clock = text.split(" ")
    whole, _, fraction = clock.partition(".")
    y, mo, d = map(int, date.split("-"))
    h, mi, s = map(int, whole.split(":"))
    return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) + float("0." + (fraction or "0"))


def addr(text):
    if ":" in text:
        import ipaddress
        return ipaddress.IPv6Address(text).packed
    return bytes(int(p) for p in text.split("."))


def ip(src, dst, proto, body):
    if ":" in src:
        return struct.pack("!IHBB", 0x60000000, len(body), proto, 64) + addr(src) + addr(dst) + body
    return struct.pack("!BBHHHBBH", 0x45, 0, 20 + len(body), 0, 0x4000, 64, proto, 0) + addr(src) + addr(dst) + body


def udp(src, dst, sport, dport, payload):
    return ip(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload)


def tcp(src, dst, sport, dport, flags, seq, ack=0):
    return ip(src, dst, 6, struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 0x50, flags, 64240, 0, 0))


def name(dotted):
    return b"".join(bytes([len(label)]) + label.encode() for label in dotted.split(".")) + b"\0"


def dns(ident, qname, qtype, answers=None):
    """A query, or a response when `answers` is a list of (owner, 'A'|'CNAME', value)."""
    response = answers is not None
    out = struct.pack("!HHHHHH", ident, 0x8180 if response else 0x0100, 1, len(answers or []), 0, 0)
    out += name(qname) + struct.pack("!HH", qtype, 1)
    for owner, kind, value in answers or []:
        data = name(value) if kind == "CNAME" else addr(value)
        out += name(owner) + struct.pack("!HHIH", 5 if kind == "CNAME" else 1, 1, 300, len(data)) + data
    return out


def ether(packet, outgoing=True, vlan=None):
    macs = GATEWAY_MAC + CLIENT_MAC if outgoing else CLIENT_MAC + GATEWAY_MAC
    tag = struct.pack("!HH", 0x8100, vlan) if vlan else b""
    return macs + tag + struct.pack("!H", 0x86DD if packet[0] >> 4 == 6 else 0x0800) + packet


def pcapng(interfaces, frames):
    """interfaces: [(linktype, snaplen)]; frames: [(seconds, bytes, interface)]. Microseconds."""
    def block(kind, body):
        body += b"\0" * (-len(body) % 4)
        return struct.pack("<II", kind, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    for link, snap in interfaces:
        out += block(1, struct.pack("<HHI", link, 0, snap))
    for seconds, data, interface in frames:
        micros = round(seconds * 1e6)
        out += block(6, struct.pack("<IIIII", interface, micros >> 32, micros & 0xFFFFFFFF, len(data), len(data)) + data)
    return out


def pcap(link, frames, nanos=False, big_endian=False):
    order = ">" if big_endian else "<"
    out = struct.pack(order + "IHHiIII", 0xA1B23C4D if nanos else 0xA1B2C3D4, 2, 4, 0, 0, 262144, link)
    for seconds, data in frames:
        ticks = round(seconds * (1e9 if nanos else 1e6))
        unit = 10**9 if nanos else 10**6
        out += struct.pack(order + "IIII", ticks // unit, ticks % unit, len(data), len(data)) + data
    return out


def reference_frames():
    """The example bundle's story on the wire: DNS probes to both IPv4 resolvers on UDP 443, then
    53, retransmitted without answer; later the SWG proxy name resolves through a CNAME chain and
    the SYNs to its address are retransmitted without answer. Some ordinary traffic around it."""
    frames = []
    arp = GATEWAY_MAC + CLIENT_MAC + struct.pack("!H", 0x0806) + bytes(28)
    frames.append((at("2024-08-27 03:07:42.900000"), arp))
    ident = 0x5a10
    for port, start in ((443, "2024-08-27 03:07:43.010000"), (53, "2024-08-27 03:07:48.010000")):
        for n, resolver in enumerate((R1, R2)):
            query = dns(ident, "debug.opendns.com", 16)
            for attempt, delay in enumerate((0.0, 1.0, 3.0)):
                frames.append((at(start) + n * 0.002 + delay, ether(udp(CLIENT, resolver, 61000 + ident % 100, port, query))))
            ident += 1
    # Ordinary browsing through the local DNS server: resolved and connected.
    t = at("2024-08-27 03:08:10.000000")
    frames.append((t, ether(udp(CLIENT, GATEWAY, 53001, 53, dns(0x0101, "www.example.com", 1)))))
    frames.append((t + 0.012, ether(udp(GATEWAY, CLIENT, 53, 53001, dns(0x0101, "www.example.com", 1, [("www.example.com", "A", "93.184.215.14")])), False)))
    frames.append((t + 0.020, ether(tcp(CLIENT, "93.184.215.14", 52000, 443, 0x02, 1000))))
    frames.append((t + 0.110, ether(tcp("93.184.215.14", CLIENT, 443, 52000, 0x12, 5000, 1001), False)))
    frames.append((t + 0.111, ether(tcp(CLIENT, "93.184.215.14", 52000, 443, 0x10, 1001, 5001))))
    # The SWG agent resolves the proxy name and tries to connect.
    t = at("2024-08-27 06:41:19.480000")
    answers = [(SWG_CHAIN[0], "CNAME", SWG_CHAIN[1]), (SWG_CHAIN[1], "CNAME", SWG_CHAIN[2]), (SWG_CHAIN[2], "A", SWG)]
    frames.append((t, ether(udp(CLIENT, GATEWAY, 53002, 53, dns(0x0202, SWG_NAME, 1)))))
    frames.append((t + 0.018, ether(udp(GATEWAY, CLIENT, 53, 53002, dns(0x0202, SWG_NAME, 1, answers)), False)))
    for delay in (0.0, 1.0, 2.0):
        frames.append((t + 0.020 + delay, ether(tcp(CLIENT, SWG, 52100, 443, 0x02, 424242))))
    return sorted(frames, key=lambda f: f[0])


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def main():
    frames = reference_frames()
    reference = pcapng([(1, 262144)], [(t, d, 0) for t, d in frames])
    write(os.path.join(ROOT, "testdata", "captures", "DARTBundle_0827_0307.pcapng"), reference)

    small = frames[:8] + frames[-5:]
    seeds = {
        "reference.pcapng": pcapng([(1, 262144)], [(t, d, 0) for t, d in small]),
        "usec-le.pcap": pcap(1, small),
        "nsec-be.pcap": pcap(1, small, nanos=True, big_endian=True),
        "vlan.pcap": pcap(1, [(t, d[:12] + struct.pack("!HH", 0x8100, 7) + d[12:]) for t, d in small]),
        "sll.pcap": pcap(113, [(t, struct.pack("!HHH8sH", 4, 1, 6, CLIENT_MAC, struct.unpack("!H", d[12:14])[0]) + d[14:])
                               for t, d in small]),
        "sll2.pcap": pcap(276, [(t, struct.pack("!HHIHBB8s", struct.unpack("!H", d[12:14])[0], 0, 2, 1, 4, 6, CLIENT_MAC) + d[14:])
                                for t, d in small]),
        "raw.pcap": pcap(101, [(t, d[14:]) for t, d in small if d[12:14] != b"\x08\x06"]),
        "null.pcap": pcap(0, [(t, struct.pack("<I", 2) + d[14:]) for t, d in small if d[12:14] != b"\x08\x06"]),
        "mixed-interfaces.pcapng": pcapng([(1, 262144), (0, 65535)],
                                          [(t, d, 0) for t, d in small[:4]] +
                                          [(small[4][0], struct.pack("<I", 2) + udp("127.0.0.1", "127.0.0.1", 1, 53, dns(1, "a.b", 1)), 1)]),
        "ipv6.pcap": pcap(1, [(at("2024-08-27 03:07:43"), ether(udp("2001:db8::20", "2620:119:35::35", 61000, 443, dns(7, "debug.opendns.com", 16))))]),
        "truncated.pcap": pcap(1, small)[:-17],
        "garbage.pcap": pcap(1, [(0, b"\x01\x02"), (1, ether(b"\x45\x00\x00\x10")), (2, ether(b"\x60" + bytes(10))),
                                 (3, ether(udp(CLIENT, R1, 5, 53, b"\x00\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c\x00\x10\x00\x01")))]),
    }
    folder = os.path.join(ROOT, "testdata", "fuzz", "capture")
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        if old.startswith("seed-"):
            os.remove(os.path.join(folder, old))
    for seed, data in sorted(seeds.items()):
        if len(data) > MAX_SEED:
            raise SystemExit(f"seed-{seed}: {len(data)} bytes, over {MAX_SEED}")
        write(os.path.join(folder, "seed-" + seed), data)


if __name__ == "__main__":
    main()
