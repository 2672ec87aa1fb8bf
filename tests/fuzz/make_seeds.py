#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (testdata/fuzz/<target>/seed-*) from the plain-text
bundles in testdata/bundles and the default rule pack. Regression files (regression-*) are never
touched. The output is deterministic; rerun it after changing a fixture and review the diff.

Usage: python3 tests/fuzz/make_seeds.py [REPO_ROOT]
"""
import io
import json
import os
import struct
import sys
import warnings
import zipfile
import zlib

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
BUNDLES = os.path.join(ROOT, "testdata", "bundles")
OUT = os.path.join(ROOT, "testdata", "fuzz")
MAX_SEED = 4096
DATE = (2024, 8, 27, 3, 7, 40)
PLUGIN = "Cisco Secure Client/Umbrella/csccumbrellaplugin.txt"
EVENTLOG = "Cisco Secure Client/Umbrella/Umbrella.txt"


def read(path):
    with open(path, "rb") as f:
        return f.read()


def bundle_files(name):
    """(relative path, bytes) of every file of one bundle folder, sorted."""
    base = os.path.join(BUNDLES, name)
    out = []
    for folder, _, files in os.walk(base):
        for file in files:
            path = os.path.join(folder, file)
            out.append((os.path.relpath(path, base).replace(os.sep, "/"), read(path)))
    return sorted(out)


def info(name, method=zipfile.ZIP_DEFLATED, mode=None):
    zi = zipfile.ZipInfo(name, DATE)
    zi.compress_type = method
    zi.create_system = 3  # unix, so that external attributes carry a mode
    zi.external_attr = (mode if mode is not None else (0o40755 if name.endswith("/") else 0o100644)) << 16
    return zi


def make_zip(entries, method=zipfile.ZIP_DEFLATED, zip64=False, stream=False):
    """entries: (name, bytes) or (name, bytes, mode). stream=True writes data descriptors."""
    raw = io.BytesIO()

    class NoSeek(io.RawIOBase):  # zipfile writes data descriptors to unseekable files
        def writable(self):
            return True

        def write(self, b):
            return raw.write(b)

    target = NoSeek() if stream else raw
    with zipfile.ZipFile(target, "w", method) as z:
        for entry in entries:
            name, data = entry[0], entry[1]
            mode = entry[2] if len(entry) > 2 else None
            with z.open(info(name, method, mode), "w", force_zip64=zip64) as f:
                f.write(data)
    return raw.getvalue()


def utf16(text, little, bom=True):
    data = text.decode("utf-8").encode("utf-16-le" if little else "utf-16-be")
    return ((b"\xff\xfe" if little else b"\xfe\xff") if bom else b"") + data


def set_encrypted_flag(data):
    """Marks every entry as traditionally encrypted (flag bit 0) in local and central headers."""
    out = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.find(sig)
        while at >= 0:
            out[at + offset] |= 1
            at = out.find(sig, at + 4)
    return bytes(out)


def rename_in_central_directory(data, old, new):
    cd = data.find(b"PK\x01\x02")
    return data[:cd] + data[cd:].replace(old, new, 1)


def multi_disk(data):
    """Claims the central directory lives on disk 1 of 2."""
    eocd = data.rfind(b"PK\x05\x06")
    return data[:eocd + 4] + struct.pack("<HH", 1, 1) + data[eocd + 8:]


def overlapping(name, data, records):
    """One stored local file and `records` central records pointing at it (the better zip bomb)."""
    crc = zlib.crc32(data)
    n = name.encode()
    out = struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 0, 0, 0x21, crc, len(data), len(data), len(n), 0) + n + data
    cd = b""
    for i in range(records):
        ni = n if i == 0 else f"copy{i}/{name}".encode()
        cd += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 0, 0, 0x21, crc, len(data), len(data),
                          len(ni), 0, 0, 0, 0, 0, 0) + ni
    return out + cd + struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, records, records, len(cd), len(out), 0)


def write_corpus(target, seeds):
    folder = os.path.join(OUT, target)
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        if old.startswith("seed-"):
            os.remove(os.path.join(folder, old))
    for name, data in seeds.items():
        if isinstance(data, str):
            data = data.encode("utf-8")
        if len(data) > MAX_SEED:
            raise SystemExit(f"{target}/seed-{name}: {len(data)} bytes, over {MAX_SEED}")
        with open(os.path.join(folder, "seed-" + name), "wb") as f:
            f.write(data)


def zip_seeds():
    plugin = read(os.path.join(BUNDLES, "DARTBundle_0827_0307", PLUGIN))
    eventlog = read(os.path.join(BUNDLES, "DARTBundle_0827_0307", EVENTLOG))
    logs = [(PLUGIN, plugin), (EVENTLOG, eventlog)]
    seeds = {}
    for name in sorted(os.listdir(BUNDLES)):
        seeds[f"bundle-{name}.zip"] = make_zip(bundle_files(name))
    seeds["stored.zip"] = make_zip(logs, zipfile.ZIP_STORED)
    seeds["bzip2.zip"] = make_zip(logs, zipfile.ZIP_BZIP2)
    seeds["lzma.zip"] = make_zip(logs, zipfile.ZIP_LZMA)
    seeds["zip64.zip"] = make_zip(logs, zip64=True)
    seeds["data-descriptor.zip"] = make_zip(logs, stream=True)
    inner = make_zip(logs)
    seeds["nested.zip"] = make_zip([("attachments/inner.zip", inner)], zipfile.ZIP_STORED)
    deep = make_zip([(PLUGIN, plugin[:200])])
    for level in range(4):
        deep = make_zip([(f"level{level}.zip", deep)], zipfile.ZIP_STORED)
    seeds["nested-deep.zip"] = deep
    seeds["utf16.zip"] = make_zip([(PLUGIN, utf16(plugin, True)), (EVENTLOG, utf16(eventlog, False, bom=False))])
    seeds["symlink.zip"] = make_zip([(PLUGIN, b"/etc/passwd", 0o120777), (EVENTLOG, eventlog)])
    seeds["directories.zip"] = make_zip([("Cisco Secure Client/", b""), ("Cisco Secure Client/Umbrella/", b""),
                                         (PLUGIN, plugin)])
    seeds["duplicate-names.zip"] = make_zip([(PLUGIN, plugin[:300]), (PLUGIN, plugin[300:])])
    seeds["unsafe-names.zip"] = make_zip([("../csccumbrellaplugin.txt", plugin[:300]), ("/abs/Umbrella.txt", eventlog),
                                          ("C:\\Temp\\..\\csccumbrellaplugin.txt", plugin[300:600])])
    seeds["decoys.zip"] = make_zip([("__MACOSX/Umbrella/._Umbrella.txt", b"\x00\x05\x16\x07junk"),
                                    ("Umbrella/._csccumbrellaplugin.txt", b"junk"), (PLUGIN, plugin)])
    seeds["empty-entries.zip"] = make_zip([(PLUGIN, b""), (EVENTLOG, b"")])
    seeds["empty-archive.zip"] = make_zip([])
    seeds["encrypted.zip"] = set_encrypted_flag(make_zip(logs))
    good = make_zip(logs)
    seeds["truncated.zip"] = good[:len(good) // 2]
    seeds["no-central-directory.zip"] = good[:good.find(b"PK\x01\x02")]
    bad_crc = bytearray(make_zip(logs, zipfile.ZIP_STORED))
    bad_crc[bad_crc.find(b"Dns Protection")] ^= 0x20
    seeds["bad-crc.zip"] = bytes(bad_crc)
    seeds["central-local-mismatch.zip"] = rename_in_central_directory(good, b"csccumbrellaplugin", b"CSCCUMBRELLAPLUGIN")
    seeds["multi-disk.zip"] = multi_disk(good)
    seeds["loose-log.txt"] = plugin  # not a zip at all
    seeds["overlapping-entries.zip"] = overlapping("csccumbrellaplugin.txt", plugin[:300], 20)
    # Flagged UTF-8 (non-ASCII name) with a backspace: libzip calls the archive inconsistent.
    seeds["odd-utf8-name.zip"] = make_zip([(PLUGIN, plugin[:300]), ("notes/read\u202eme\b.txt", b"unrelated")])
    return seeds


def plugin_seeds():
    seeds = {}
    seen = set()
    for name in sorted(os.listdir(BUNDLES)):
        for path, data in bundle_files(name):
            if path.lower().endswith("csccumbrellaplugin.txt") and data not in seen:
                seen.add(data)
                if len(data) > MAX_SEED:  # a long log: its first lines, whole
                    data = data[:data.rfind(b"\n", 0, MAX_SEED) + 1]
                seeds[f"{name}.txt"] = data
    plugin = read(os.path.join(BUNDLES, "DARTBundle_0827_0307", PLUGIN))
    seeds["crlf.txt"] = plugin.replace(b"\n", b"\r\n")
    seeds["utf16le-bom.txt"] = utf16(plugin[:900], True)
    seeds["utf16be-no-bom.txt"] = utf16(plugin[:900], False, bom=False)
    seeds["nul-run-and-bom.txt"] = (plugin[:200] + b"\x00" * 300 + plugin[200:400] + b"\xef\xbb\xbf" + plugin[400:600] +
                                    b"\x00" * 20)
    seeds["odd-lines.txt"] = (
        "2024-08-27 03:07:40.123 [8880] [INFO] < 1> Umbrella Plugin: fraction with a dot\n"
        "2024-08-27T03:07:40,5 [8880] [WARN] <7> Dns Protection IPv6 State Machine: using port 53\n"
        "2024-02-30 25:61:61 [8880] [INFO] < 1> impossible date\n"
        "2024-08-27 03:07:40 [8880] [INFO] no thread, trailing colon:\n"
        "2024-08-27 03:07:40 [8880 [INFO] < 1> unclosed bracket\n"
        "2024-08-27 03:07:40\n"
        "\tcontinuation line without a header\n"
        "2024-08-27 03:07:41 [1] [DEBUG] <2> C: at addresses 1.1.1.1, 8.8.8.8 (candidates are 9.9.9.9\r"
        "1970-01-01 00:00:00 [0] [] <> :\r\n"
        "9999-12-31 23:59:60 [x] [y] <z> port 99999999999999999999\n")
    return seeds


def eventlog_seeds():
    seeds = {}
    seen = set()
    for name in sorted(os.listdir(BUNDLES)):
        for path, data in bundle_files(name):
            if os.path.basename(path) == "Umbrella.txt" and data not in seen:
                seen.add(data)
                seeds[f"{name}.txt"] = data
    eventlog = read(os.path.join(BUNDLES, "DARTBundle_0827_0307", EVENTLOG))
    seeds["utf16le-bom.txt"] = utf16(eventlog, True)
    seeds["utf16le-no-bom.txt"] = utf16(eventlog, True, bom=False)
    seeds["odd-records.txt"] = (
        "Date : 27/08/2024\nTime : 6:41:22 PM\nEvent Type : Error\nSource : csc_dnsagent\nEvent ID : 7\n"
        "Description : ERROR | Thread 1a | multi-line\n  second line\n\n  third line [FailOpen : 0, CMode : 2 TMode : 1]\n"
        "Date : 2024-08-27T06:41:22Z\nDescription :\n"
        "-----\n"
        "Date : 13/13/2024\nTime : 99:00:00\nDescription : no | level | split\n"
        "====\nDescription : WARN |Thread| empty thread\n"
        "Event[7]:\n  Date: 2024-08-27T06:41:22.5120000+02:00\n  Level: Warning\n  Description:\n"
        "WARN | Thread 27cc | text\n*****\nmore text\n"
        "Event[]:\nEvent[8]:\nEvent[9]: x\nUser Name : N/A\nKeywords : Classic\nrandom junk line\n")
    seeds["endless-description.txt"] = (
        "Date : 08/27/2024\nTime : 06:41:20\nType : Warning\nSource : csc_swgagent\nDescription : WARN | Thread 1 |"
        + " never ends\n\n" * 200 + "\x00" * 64 + "\ufeffDate : 08/27/2024\nDescription : INFO | Thread 2 | next\n")
    return seeds


def rule_pack_seeds():
    pack = json.loads(read(os.path.join(ROOT, "src", "rules", "default_rules.json")))
    seeds = {}

    def dump(doc):
        return json.dumps(doc, separators=(",", ":"))

    for rule in pack["rules"]:
        one = dict(rule)
        one.pop("remediation", None)
        one.pop("links", None)
        one.pop("examples", None)
        if "title" in one and isinstance(one["title"], dict):
            for key in ("title", "summary", "root_cause"):
                one[key] = one[key]["en"] if isinstance(one.get(key), dict) else one.get(key)
        model = [m for m in pack.get("state_models", []) if m["id"] == one.get("state", {}).get("model")]
        for m in model:
            m = m.copy()
            m.pop("description", None)
            m["states"] = [dict(st, label=st["label"]["en"] if isinstance(st["label"], dict) else st["label"]) for st in m["states"]]
            model = [m]
        seeds[f"{rule['id']}.json"] = dump({"format": pack["format"], "state_models": model, "rules": [one]})
    base = {"id": "r", "title": "t", "protection": "dns", "status": "s", "severity": "info",
            "summary": "{family} {port}", "root_cause": "c"}
    plugin_event = {"log": "csccumbrellaplugin", "component": "(?i)ipv(4|6)", "message": "port (53|443)\\b"}
    eventlog_event = {"log": "umbrella-eventlog", "fail_open": "^1$", "level": "(?i)warn"}
    seeds["conditions.json"] = dump({"rules": [
        dict(base, id="seq", group_by="family", when={"sequence": [{"event": plugin_event}, {"event": plugin_event}]},
             cleared_by={"log": "csccumbrellaplugin", "message": "^using"},
             examples={"match": [["2024-08-27 03:07:43 [1] [DEBUG] <1> IPv4: port 53",
                                  "2024-08-27 03:07:44 [1] [DEBUG] <1> IPv4: port 443"]],
                       "no_match": ["x"]}),
        dict(base, id="any", protection="web", when={"any_of": [{"event": eventlog_event},
                                                                {"not": {"event": plugin_event}}]},
             notes=[{"if": eventlog_event, "text": "n"}], links=["https://example.com", {"url": "u"}]),
        dict(base, id="all", severity="error", group_by="port",
             when={"all_of": [{"event": plugin_event}, {"not": {"any_of": [{"event": eventlog_event}]}}]}),
    ]})
    seeds["override.json"] = dump({"format": "dartdiag-rules/1", "description": "d", "rules": [
        dict(base, id="dns-unprotected", when={"event": {"log": "csccumbrellaplugin"}})]})
    seeds["broken-json.json"] = '{"rules": [{"id": "x", "when": {"event": {"log": "csccumbrellaplugin"'
    seeds["broken-schema.json"] = dump({"format": "dartdiag-rules/2", "extra": 1, "rules": [
        dict(base, id="Bad Id", severity="fatal", protection="vpn", group_by="nope", unknown=True,
             when={"sequence": [{"not": {"event": {"log": "nope"}}}]},
             notes=[1, {"if": {"log": "umbrella-eventlog", "nope": "x"}}],
             examples={"match": [1], "other": []}),
        dict(base, id="r2", when={"event": {"log": "csccumbrellaplugin", "message": "(unclosed", "port": 5}}),
        dict(base, id="r2", when={"all_of": []}), 7]})
    seeds["not-an-object.json"] = "[1, 2, 3]"
    seeds["broken-state-model.json"] = dump({"state_models": [
        {"id": "m", "protection": "dns", "group_by": "famliy", "states": [], "cycles": [{"id": "c", "start": 1}],
         "events": [{"id": "e", "match": {"log": "nope"}, "failure": "yes"}],
         "transitions": [{"on": "c:maybe", "from": ["nowhere"], "to": "x"}, 3]},
        {"id": "w", "protection": "web", "states": [{"id": "a", "label": "A", "health": "ok", "transient": True},
                                                    {"id": "a", "label": "B", "health": "sick"}],
         "events": [{"id": "e", "match": {"log": "umbrella-eventlog"}}],
         "transitions": [{"on": "e", "to": "a"}]}],
        "rules": [dict(base, id="s1", state={"model": "m", "is": "gone", "count": ["e", 4]}),
                  dict(base, id="s2", protection="web", group_by="family", state={"model": "w", "is": "a"},
                       when={"event": {"log": "umbrella-eventlog"}}),
                  dict(base, id="s3", state={"model": "none", "is": "a"})]})
    rules_dir = os.path.join(ROOT, "testdata", "rules")  # packs the tests use, when small enough
    for name in sorted(os.listdir(rules_dir)) if os.path.isdir(rules_dir) else []:
        data = read(os.path.join(rules_dir, name))
        if name.endswith(".json") and len(data) <= MAX_SEED:
            seeds["testdata-" + name] = data
    return seeds


def main():
    warnings.filterwarnings("ignore", "Duplicate name")  # duplicate-names.zip is on purpose
    zips = zip_seeds()
    write_corpus("archive", zips)
    write_corpus("pipeline", {k: v for k, v in zips.items() if k.endswith(".zip")})
    write_corpus("plugin_parser", plugin_seeds())
    write_corpus("eventlog_parser", eventlog_seeds())
    write_corpus("rule_pack", rule_pack_seeds())


if __name__ == "__main__":
    main()
