#!/usr/bin/env python3
"""Deterministic generator of realistic DART bundles for benchmarks.

A bundle holds a csccumbrellaplugin.txt of the requested size (a mix of DNS state machine cycles
for IPv4 and IPv6 and other components at DEBUG/INFO/WARN levels), an Umbrella.txt event-log
export, and a few hundred unrelated entries. Failures (port 53 rejections, SWG handshake
failures) are placed early, late, scattered, or nowhere. The same arguments always give the same
bytes.

  bench/gen_bundle.py --plugin-mb 200 --failures late --out /tmp/b200.zip
  bench/gen_bundle.py --plugin-mb 1024 --failures scattered --out /tmp/b1g  # a folder
  bench/gen_bundle.py --plugin-mb 0.05 --copies 200 --out /tmp/queue      # 200 small zips
  bench/gen_bundle.py --plugin-mb 20 --warning-share 0.2 --out /tmp/w20   # a fifth: unexplained warnings

The log mix (bench/sweep.sh). Without --match-share the plugin log is the mix above (a probe block
every 40 lines, CRLF line ends); its bytes never change, docs quote figures from it. With
--match-share F the plugin log is built line by line instead, LF line ends unless --crlf:
  - a share F of its lines (exactly, to within one probe block) are lines a rule of the default
    pack uses: "checking reachability ... using port 443/53" and "rejected all candidate resolvers
    for port 443/53" of the IPv4 and IPv6 state machines, in probe blocks of one family each
    (alternating), all lines of a block in the same second: 443 succeeded (1 line), 443 rejected
    then 53 succeeded (3 lines), or both rejected (4 lines). IPv4 blocks fail on both ports and
    IPv6 blocks on 443 only where --failures says (the last 2% of the log for "late", the first
    2% for "early", every 13th block of the family for "scattered"), and succeed on 443 elsewhere:
    IPv4 ends Unprotected and IPv6 unencrypted for "late";
  - a share --warning-share of its lines are the twelve WARN/ERROR shapes no rule uses;
  - the rest are DEBUG/INFO lines of components no rule looks at.
  Every line advances the clock by one second.
--unique-warnings (either mix): each WARN/ERROR message no rule uses ends with its own sequence
number and GUID, so no two are the same text (the template miner's worst case).
--clock-back (either mix): the clock starts at 23:58:00 and is not monotonic: each time it passes
midnight the date does not move on (the time of day wraps to 00:00:00 on the same date, 24 hours back), and at 1/7, 3/7
and 5/7 of the log it jumps back 1 to 9 minutes.
--clock-jitter S (either mix): each line (each probe block) is stamped up to S seconds before the
clock, drawn at random, as when threads write one log and their stamps interleave: about half the
lines step back from the one before. The worst case for keeping events in time order.
--crlf / --lf: line ends of the plugin log (default CRLF without --match-share, LF with it).

  bench/gen_bundle.py --plugin-mb 50 --match-share 0.5 --clock-back --crlf --out /tmp/m50.zip
"""
import argparse
import datetime
import os
import random
import zipfile

OTHER = [
    ("INFO", "Umbrella Plugin", "heartbeat ok, uptime {n} s"),
    ("DEBUG", "Interface Monitor", "interface {{{guid}}} state unchanged, metric {n}"),
    ("DEBUG", "Sync Manager", "sync.hydra.opendns.com: next check in {n} s"),
    ("INFO", "OrgInfo", "organisation profile loaded, fingerprint {hex}"),
    ("DEBUG", "Dns Protection IPv4 State Machine", "state PROTECTED, {n} queries forwarded"),
    ("DEBUG", "Dns Protection IPv6 State Machine", "state PROTECTED, {n} queries forwarded"),
    ("WARN", "Proxy Manager", "PAC file fetch took {n} ms"),
    ("DEBUG", "Trusted Network Detection", "trusted domain lookup returned public address 52.{a}.{b}.{c}"),
]


def _user(rng):
    return rng.choice(["anna", "bert", "chen", "dana", "emil", "hana"]) + "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(1, 6)))


def _domain(rng):
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(3, 9))) + rng.choice(
        [".com", ".net", ".local", ".io"])


def _alnum(rng, n, alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"):
    return "".join(rng.choice(alphabet) for _ in range(n))


# Twelve WARN/ERROR shapes no rule uses, with the parameters real Windows client logs carry
# (--warning-share): the template miner's load.
WARNINGS = [
    ("Proxy Manager", lambda r: f"PAC fetch for '{r.choice(['chrome.exe', 'msedge.exe', 'Microsoft Teams.exe', 'outlook.exe'])}' returned HRESULT 0x8007{r.randrange(65536):04X}"),
    ("Session Broker", lambda r: f"session token {_alnum(r, 24, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}== rejected for user {_user(r)}"),
    ("OrgInfo", lambda r: f"cannot read C:\\Users\\{_user(r)}\\AppData\\Local\\Cisco\\orginfo.json: access denied"),
    ("Cloud Connector", lambda r: f"request to https://{_domain(r)}/api/v{r.randrange(3)}/policy/{_alnum(r, 6).lower()} failed after {r.randrange(5000)} ms"),
    ("Trusted Network Detection", lambda r: f"host DESKTOP-{_alnum(r, 7)} not in trusted domain {_domain(r)}"),
    ("Update Service", lambda r: f"installer exited with code {-r.randrange(1, 2**31) if r.random() < 0.5 else r.randrange(300)}"),
    ("Policy Engine", lambda r: f"mailbox {_user(r)}@{_domain(r)} has no policy assigned"),
    ("Sync Manager", lambda r: f"sync of bundle {''.join(r.choice('abcdef') for _ in range(12))} skipped: stale manifest"),
    ("Sync Manager", lambda r: f"sync of bundle {''.join(r.choice('abcdef') for _ in range(12))} skipped: missing manifest"),
    ("Interface Monitor", lambda r: f"adapter {{{r.getrandbits(32):08X}-{r.getrandbits(16):04X}-{r.getrandbits(16):04X}-{r.getrandbits(16):04X}-{r.getrandbits(48):012X}}} lost address 10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}"),
    ("Registration", lambda r: f"device registration for {_user(r)} on DESKTOP-{_alnum(r, 7)} returned {r.randrange(400, 600)}"),
    ("Resolver", lambda r: f"lookup of {_domain(r)} via {r.randrange(1, 224)}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)} timed out after {r.randrange(1, 10)} tries"),
]


def cycle(ts, family, tid, port, reject):
    cand = "208.67.222.222, 208.67.220.220" if family == "IPv4" else "2620:119:35::35, 2620:119:53::53"
    comp = f"Dns Protection {family} State Machine"
    lines = [
        f"{ts} [8880] [DEBUG] <{tid:>3}> {comp}: checking reachability of primary OpenDNS resolver candidates using port {port} (candidates are {cand}) ",
        f"{ts} [8880] [DEBUG] <{tid:>3}> {comp}: probing for OpenDNS resolvers at addresses {cand}, port {port} ",
    ]
    if reject:
        lines.append(f"{ts} [8880] [DEBUG] <{tid:>3}> {comp}: rejected all candidate resolvers for port {port} ")
    return lines


def failing_at(i, total, failures):
    if failures == "none":
        return False
    if failures == "early":
        return i < total * 0.02
    if failures == "late":
        return i > total * 0.98
    return i % 997 == 0  # scattered


def plugin_lines(target_bytes, failures, rng, warning_share=0.0, warning_level="WARN", unique=False,
                 clock_back=False, eol="\r\n", jitter=0):
    clock = Clock(clock_back, random.Random(7), target_bytes, jitter)  # its own generator: rng's draws stay as they were
    written = 0
    warned = 0
    i = 0
    # Roughly 150 bytes a line; estimate the count to place failures.
    total = max(target_bytes // 150, 1)
    while written < target_bytes:
        ts = clock.stamp()
        if i % 40 == 0:
            reject = failing_at(i, total, failures)
            block = cycle(ts, "IPv4", 12, 443, reject) + cycle(ts, "IPv4", 12, 53, reject) + cycle(ts, "IPv6", 13, 443, False)
        elif warning_share > 0 and rng.random() < warning_share * 40 / 31:  # 31 of 40 lines are not cycles
            comp, make = WARNINGS[rng.randrange(len(WARNINGS))]
            level = rng.choice(["WARN", "ERROR"])  # drawn either way: both bundles get the same lines
            level = level if warning_level == "WARN" else warning_level
            tid = rng.randrange(1, 40)  # drawn before the message, as always
            msg = make(rng)
            if unique:
                msg += " (event %d, correlation id {%08X-%04X-%04X-%04X-%012X})" % (
                    warned, warned & 0xFFFFFFFF, rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16),
                    rng.getrandbits(48))
                warned += 1
            block = [f"{ts} [8880] [{level}] <{tid:>3}> {comp}: {msg} "]
        else:
            level, comp, msg = OTHER[rng.randrange(len(OTHER))]
            if warning_share > 0 and level == "WARN":  # the unexplained warnings are exactly the share
                level = "INFO"
            msg = msg.format(n=rng.randrange(100000), guid="%08X-%04X" % (rng.getrandbits(32), rng.getrandbits(16)),
                             hex="%016x" % rng.getrandbits(64), a=rng.randrange(256), b=rng.randrange(256), c=rng.randrange(256))
            block = [f"{ts} [8880] [{level}] <{rng.randrange(1, 40):>3}> {comp}: {msg} "]
        for line in block:
            data = (line + eol).encode()
            written += len(data)
            yield data
        i += len(block)
        clock.tick(written)


# DEBUG/INFO lines of components no rule of the default pack looks at (--match-share).
QUIET = [entry for entry in OTHER if entry[0] != "WARN" and not entry[1].startswith("Dns Protection")]


def _other_line(rng, ts, level, comp, msg):
    msg = msg.format(n=rng.randrange(100000), guid="%08X-%04X" % (rng.getrandbits(32), rng.getrandbits(16)),
                     hex="%016x" % rng.getrandbits(64), a=rng.randrange(256), b=rng.randrange(256), c=rng.randrange(256))
    return f"{ts} [8880] [{level}] <{rng.randrange(1, 40):>3}> {comp}: {msg} "


def _warning_line(rng, ts, unique, seq):
    comp, make = WARNINGS[rng.randrange(len(WARNINGS))]
    level = rng.choice(["WARN", "ERROR"])
    tid = rng.randrange(1, 40)
    msg = make(rng)
    if unique:
        msg += " (event %d, correlation id {%08X-%04X-%04X-%04X-%012X})" % (
            seq, seq & 0xFFFFFFFF, rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(48))
    return f"{ts} [8880] [{level}] <{tid:>3}> {comp}: {msg} "


class Clock:
    """One second a step from 2024-08-27 00:00:00; with back=True, from 23:58:00 and not monotonic."""

    def __init__(self, back, rng, target_bytes, jitter=0):
        # --clock-back starts at 23:58 so that even a small log wraps past midnight.
        self.t = datetime.datetime(2024, 8, 27, 23, 58, 0) if back else datetime.datetime(2024, 8, 27, 0, 0, 0)
        self.day_shift = datetime.timedelta(0)
        self.last_date = self.t.date()
        self.back = back
        self.jumps = [target_bytes * k // 7 for k in (1, 3, 5)] if back else []
        self.rng = rng if back else None
        self.jitter = jitter
        self.jitter_rng = random.Random(11)  # its own generator: without jitter no draw changes

    def stamp(self):
        t = self.t - self.day_shift
        if self.jitter:
            t -= datetime.timedelta(seconds=self.jitter_rng.randrange(self.jitter + 1))
        return t.strftime("%Y-%m-%d %H:%M:%S")

    def tick(self, written):
        self.t += datetime.timedelta(seconds=1)
        if self.back:
            if self.t.date() > self.last_date:  # a new midnight: the time wraps, the date stays
                self.last_date = self.t.date()
                self.day_shift += datetime.timedelta(days=1)
            if self.jumps and written >= self.jumps[0]:
                self.jumps.pop(0)
                self.t -= datetime.timedelta(minutes=self.rng.randrange(1, 10))


def probe_block(ts, family, fail, cycle_no):
    """One probe cycle of one family as the default rules read it (no "probing" line: no rule uses it)."""
    cand = "208.67.222.222, 208.67.220.220" if family == "IPv4" else "2620:119:35::35, 2620:119:53::53"
    tid = 12 if family == "IPv4" else 13
    head = f"{ts} [8880] [DEBUG] <{tid:>3}> Dns Protection {family} State Machine: "
    check = head + "checking reachability of primary OpenDNS resolver candidates using port {} (candidates are " + cand + ") "
    lines = [check.format(443)]
    if fail:
        lines += [head + "rejected all candidate resolvers for port 443 ", check.format(53)]
        if family == "IPv4":
            lines.append(head + "rejected all candidate resolvers for port 53 ")
    return lines


def mix_lines(target_bytes, failures, rng, match_share, warning_share, unique, clock_back, eol, jitter=0):
    clock = Clock(clock_back, rng, target_bytes, jitter)
    written = lines = matched = warned = 0
    blocks = {"IPv4": 0, "IPv6": 0}
    family = "IPv4"
    while written < target_bytes:
        ts = clock.stamp()
        if matched < match_share * (lines + 1):
            n = blocks[family]
            where = written / target_bytes
            fail = {"none": False, "early": where < 0.02, "late": where > 0.98,
                    "scattered": n % 13 == 0}[failures]
            block = probe_block(ts, family, fail, n)
            blocks[family] += 1
            family = "IPv6" if family == "IPv4" else "IPv4"
            matched += len(block)
        elif warned < warning_share * (lines + 1):
            block = [_warning_line(rng, ts, unique, warned)]
            warned += 1
        else:
            block = [_other_line(rng, ts, *QUIET[rng.randrange(len(QUIET))])]
        for line in block:
            data = (line + eol).encode()
            written += len(data)
            yield data
        lines += len(block)
        clock.tick(written)


def eventlog(records, failures):
    out = []
    t = datetime.datetime(2024, 8, 27, 6, 0, 0)
    for i in range(records):
        fail = failures != "none" and failing_at(i, records, failures)
        desc = ("WARN | Thread 27cc | TCP handshake to SWG Proxy URL was not successful. Since fail open policy set, "
                "try connection in bypass mode [FailOpen : 1, CMode : 1 TMode : 0]. ") if fail else \
            "INFO | Thread 27cc | SWG agent heartbeat. "
        out.append(f"Date : {t:%m/%d/%Y} \r\nTime : {t:%H:%M:%S} \r\nType : {'Warning' if fail else 'Information'} \r\n"
                   f"Source : csc_swgagent \r\n \r\nDescription : {desc}\r\n \r\n")
        t += datetime.timedelta(seconds=30)
    return "".join(out).encode("utf-16")  # UTF-16 with BOM, as Windows exports it


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plugin-mb", type=float, required=True)
    ap.add_argument("--failures", choices=["early", "late", "scattered", "none"], default="late")
    ap.add_argument("--eventlog-records", type=int, default=2000)
    ap.add_argument("--other-entries", type=int, default=300)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--warning-share", type=float, default=0.0,
                    help="share of plugin lines that are WARN/ERROR lines of twelve shapes no rule uses")
    ap.add_argument("--warning-level", default="WARN",
                    help="their level: WARN (WARN or ERROR, mined) or INFO (the same lines, not mined)")
    ap.add_argument("--match-share", type=float, default=None,
                    help="build the plugin log line by line: this share of its lines are probe lines a default rule uses")
    ap.add_argument("--unique-warnings", action="store_true",
                    help="every WARN/ERROR line of --warning-share carries its own sequence number and GUID")
    ap.add_argument("--clock-back", action="store_true",
                    help="timestamps not monotonic: the date stays at midnight, three jumps back of minutes")
    ap.add_argument("--clock-jitter", type=int, default=0, metavar="S",
                    help="stamp each line up to S seconds before the clock, at random (about half step back)")
    eol = ap.add_mutually_exclusive_group()
    eol.add_argument("--crlf", dest="eol", action="store_const", const="\r\n", help="CRLF line ends")
    eol.add_argument("--lf", dest="eol", action="store_const", const="\n", help="LF line ends")
    ap.add_argument("--out", required=True, help="a .zip path, or a folder for an unzipped bundle")
    ap.add_argument("--copies", type=int, default=0,
                    help="write this many bundles (seeds seed, seed+1, ...) as OUT/bundle-NNNN.zip")
    args = ap.parse_args()
    if args.match_share is not None and not (0 <= args.match_share <= 1 and args.match_share + args.warning_share <= 1):
        ap.error("--match-share and --warning-share must be shares that add up to at most 1")
    if args.copies > 0:
        os.makedirs(args.out, exist_ok=True)
        folder, seed = args.out, args.seed
        for i in range(args.copies):
            args.seed, args.out = seed + i, os.path.join(folder, "bundle-%04d.zip" % i)
            write(args)
        return
    write(args)


def plugin_chunks(args, rng, target):
    if args.match_share is None:
        return plugin_lines(target, args.failures, rng, args.warning_share, args.warning_level, args.unique_warnings,
                            args.clock_back, args.eol or "\r\n", args.clock_jitter)
    if args.warning_level != "WARN":
        raise SystemExit("--warning-level is not supported with --match-share")
    return mix_lines(target, args.failures, rng, args.match_share, args.warning_share, args.unique_warnings,
                     args.clock_back, args.eol or "\n", args.clock_jitter)


def write(args):
    rng = random.Random(args.seed)
    base = "Cisco Secure Client/Umbrella/"
    target = int(args.plugin_mb * 1024 * 1024)
    others = [(f"Cisco Secure Client/Logs/module{i % 7}/file{i}.txt", ("x" * (100 + rng.randrange(2000))).encode())
              for i in range(args.other_entries)]
    ev = eventlog(args.eventlog_records, args.failures)
    if args.out.endswith(".zip"):
        def entry(name):  # a fixed time stamp: the same arguments give the same bytes
            info = zipfile.ZipInfo(name, date_time=(2024, 8, 27, 3, 7, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            return info
        with zipfile.ZipFile(args.out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            with z.open(entry(base + "csccumbrellaplugin.txt"), "w", force_zip64=True) as f:
                for chunk in plugin_chunks(args, rng, target):
                    f.write(chunk)
            z.writestr(entry(base + "Umbrella.txt"), ev)
            for name, data in others:
                z.writestr(entry(name), data)
    else:
        os.makedirs(args.out + "/" + base, exist_ok=True)
        with open(args.out + "/" + base + "csccumbrellaplugin.txt", "wb") as f:
            buf = []
            for chunk in plugin_chunks(args, rng, target):
                buf.append(chunk)
                if len(buf) > 4096:
                    f.write(b"".join(buf))
                    buf = []
            f.write(b"".join(buf))
        with open(args.out + "/" + base + "Umbrella.txt", "wb") as f:
            f.write(ev)
        for name, data in others:
            os.makedirs(os.path.dirname(args.out + "/" + name), exist_ok=True)
            with open(args.out + "/" + name, "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
