#!/usr/bin/env python3
"""The benchmark generator's log mix (bench/gen_bundle.py --match-share, --clock-back, --crlf,
--unique-warnings) still gives logs the default rules read as the generator means them: a small
bundle, then dartdiag's JSON report must hold the verdicts the mix implies (IPv4 Unprotected and
IPv6 unencrypted at the end with --failures late, the SWG failure), a complete coverage with every
line parsed, and `dartdiag explain` must find the same count of rejections for dns-unprotected.
Also checks the bytes: CRLF line ends, timestamps that go back, distinct warnings, the match share.

  tests/check_gen_mix.py build/dartdiag /path/to/repo
"""
import json
import os
import re
import subprocess
import sys
import tempfile


def main():
    dartdiag, root = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "b")
        subprocess.run([sys.executable, os.path.join(root, "bench", "gen_bundle.py"), "--plugin-mb", "0.2",
                        "--match-share", "0.5", "--warning-share", "0.1", "--unique-warnings", "--clock-back",
                        "--crlf", "--failures", "late", "--out", out], check=True)
        with open(os.path.join(out, "Cisco Secure Client", "Umbrella", "csccumbrellaplugin.txt"), "rb") as f:
            data = f.read()
        errors = []
        lines = data.split(b"\r\n")[:-1]
        if data.count(b"\n") != len(lines) or not data.endswith(b"\r\n"):
            errors.append("not every line ends in CRLF")
        stamps = [line[:19] for line in lines]
        backs = sum(1 for a, b in zip(stamps, stamps[1:]) if b < a)
        if backs < 2:
            errors.append(f"timestamps go back {backs} times, expected at least 2 (midnight and jumps)")
        pattern = re.compile(rb"checking reachability of primary OpenDNS resolver candidates|rejected all candidate resolvers for port")
        matched = sum(1 for line in lines if pattern.search(line))
        if not 0.48 <= matched / len(lines) <= 0.52:
            errors.append(f"match share {matched / len(lines):.3f}, expected 0.5")
        warnings = [line[20:].split(b"> ", 1)[1] for line in lines if b"[WARN]" in line or b"[ERROR]" in line]
        if not warnings or len(set(warnings)) != len(warnings):
            errors.append(f"{len(warnings)} warnings, {len(set(warnings))} distinct: expected all distinct")

        run = subprocess.run([dartdiag, "--format", "json", out], capture_output=True, text=True)
        report = json.loads(run.stdout)
        got = {(v["rule"], v["group"], v["active"]) for v in report["verdicts"]}
        for want in [("dns-unprotected", "ipv4", True), ("dns-unencrypted", "ipv6", True),
                     ("web-cloud-unavailable", None, True)]:
            if want not in got:
                errors.append(f"verdict {want} missing: got {sorted(got, key=str)}")
        coverage = report["coverage"]
        if coverage["outcome"] != "complete" or coverage["parsed_share"] != 1:
            errors.append(f"coverage {coverage['outcome']}, parsed share {coverage['parsed_share']}")
        rejected53 = sum(1 for line in lines if b"IPv4 State Machine: rejected all candidate resolvers for port 53" in line)
        count = [v["count"] for v in report["verdicts"] if v["rule"] == "dns-unprotected" and v["group"] == "ipv4"]
        if count != [rejected53]:
            errors.append(f"dns-unprotected/ipv4 count {count}, the log has {rejected53} IPv4 port 53 rejections")
        explain = subprocess.run([dartdiag, "explain", "dns-unprotected", out], capture_output=True, text=True)
        if "group ipv4: fired" not in explain.stdout or f"({rejected53} events)" not in explain.stdout:
            errors.append(f"dartdiag explain dns-unprotected does not say ipv4 fired with its {rejected53} events:\n" + explain.stdout)
        for e in errors:
            print("FAIL:", e)
        if not errors:
            print(f"ok: {len(lines)} lines, {matched} matched, {backs} steps back, {len(warnings)} distinct warnings, "
                  f"verdicts {sorted(got, key=str)}")
        return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
