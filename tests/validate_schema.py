#!/usr/bin/env python3
"""Validates `dartdiag --format json` against docs/report.schema.json on every testdata case.

Usage: validate_schema.py <path-to-dartdiag> <repo-root>   (registered in CTest by
tests/CMakeLists.txt as json_report_matches_schema).

Cases, one output line each:
  - every folder under testdata/bundles/ (one plain-text bundle case each), as a folder;
  - the same folder zipped here in a temporary directory, as a zip;
  - every loose Umbrella log file inside those folders (macOS decoys skipped), as a file;
  - all loose logs of one folder given together, as several inputs;
  - every packet capture under testdata/captures/ and testdata/fuzz/capture/, alone, and each one
    under testdata/captures/ next to the example bundle folder.
Each must exit 0, 1 or 4 (never 2 unreadable or 3 usage), print JSON that validates against the
schema, and print the same bytes when run a second time. Standard library plus jsonschema only.
"""

import json
import os
import subprocess
import sys
import tempfile
import zipfile

import jsonschema

ALLOWED_EXIT_CODES = {0, 1, 4}
EXAMPLE_BUNDLE = "DARTBundle_0827_0307"  # the bundle the capture in testdata/captures goes with
LOG_FILE_NAMES = {"csccumbrellaplugin.txt", "umbrella.txt"}  # matched case-insensitively


def is_decoy(relative_path):
    parts = relative_path.replace("\\", "/").split("/")
    return "__MACOSX" in parts or parts[-1].startswith("._")


def loose_logs(folder):
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            if name.lower() in LOG_FILE_NAMES and not is_decoy(os.path.relpath(path, folder)):
                found.append(path)
    return found


def zip_folder(folder, out_path):
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                archive.write(path, os.path.relpath(path, folder).replace(os.sep, "/"))


def captures(root):
    """Every capture file kept in testdata (the README's and the fuzz seeds), sorted."""
    found = []
    for folder in (os.path.join(root, "testdata", "captures"), os.path.join(root, "testdata", "fuzz", "capture")):
        if os.path.isdir(folder):
            found += sorted(os.path.join(folder, name) for name in os.listdir(folder)
                            if name.endswith((".pcap", ".pcapng")))
    return found


def run(binary, inputs):
    return subprocess.run([binary, "--format", "json", *inputs], capture_output=True, timeout=120)


def check_invariants(report):
    """Relations the schema describes but cannot express."""
    problems = []
    for i, verdict in enumerate(report["verdicts"]):
        shown, total = len(verdict["evidence"]), verdict["evidence_total"]
        if shown != min(total, 10):
            problems.append(f"/verdicts/{i}: {shown} evidence lines for evidence_total {total} (expected {min(total, 10)})")
        if verdict["evidence_truncated"] != (total > shown):
            problems.append(f"/verdicts/{i}/evidence_truncated: does not match evidence_total {total} and {shown} lines")
        at_end, timeline = verdict["at_end"], verdict["timeline"]
        if verdict["active"] != (at_end["state"] != "cleared"):
            problems.append(f"/verdicts/{i}/active: disagrees with at_end.state {at_end['state']}")
        if timeline is not None and timeline["failing_at_end"] != (at_end["state"] == "failing"):
            problems.append(f"/verdicts/{i}/timeline/failing_at_end: disagrees with at_end.state {at_end['state']}")
        if verdict["family"] is not None and verdict["family"] != verdict["group"]:
            problems.append(f"/verdicts/{i}/family: differs from group")
    return problems


def check_case(binary, validator, label, inputs):
    """Returns a list of problems (empty when the case passes) and the exit code."""
    first = run(binary, inputs)
    code = first.returncode
    if code not in ALLOWED_EXIT_CODES:
        stderr = first.stderr.decode("utf-8", "replace").strip()
        return [f"exit code {code} (expected one of {sorted(ALLOWED_EXIT_CODES)}): {stderr}"], code
    try:
        report = json.loads(first.stdout)
    except ValueError as e:
        return [f"stdout is not JSON ({e})"], code
    problems = []
    for error in sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path)):
        pointer = "/" + "/".join(str(p) for p in error.absolute_path)
        problems.append(f"{pointer}: {error.message}")
    problems += check_invariants(report)
    second = run(binary, inputs)
    if second.stdout != first.stdout or second.returncode != code:
        problems.append("a second run gave different output or exit code")
    return problems, code


def main(argv):
    if len(argv) != 3:
        print("usage: validate_schema.py <path-to-dartdiag> <repo-root>", file=sys.stderr)
        return 2
    binary, root = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    with open(os.path.join(root, "docs", "report.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    bundles = os.path.join(root, "testdata", "bundles")
    folders = sorted(d for d in os.listdir(bundles) if os.path.isdir(os.path.join(bundles, d)))
    if not folders:
        print(f"FAIL no bundle cases under {bundles}")
        return 1

    cases = []  # (label, inputs)
    with tempfile.TemporaryDirectory(prefix="dartdiag-schema-") as tmp:
        for name in folders:
            folder = os.path.join(bundles, name)
            cases.append((f"folder {name}", [folder]))
            zipped = os.path.join(tmp, name + ".zip")
            zip_folder(folder, zipped)
            cases.append((f"zip    {name}", [zipped]))
            logs = loose_logs(folder)
            for log in logs:
                cases.append((f"file   {name}/{os.path.relpath(log, folder)}", [log]))
            if len(logs) > 1:
                cases.append((f"files  {name} ({len(logs)} logs)", logs))

        for capture in captures(root):
            label = os.path.relpath(capture, root)
            cases.append((f"capture {label}", [capture]))
            if os.path.dirname(capture).endswith(os.path.join("testdata", "captures")):
                cases.append((f"bundle+capture {label}", [os.path.join(bundles, EXAMPLE_BUNDLE), capture]))

        failures = 0
        for label, inputs in cases:
            problems, code = check_case(binary, validator, label, inputs)
            if problems:
                failures += 1
                print(f"FAIL {label} (exit {code})")
                for problem in problems:
                    print(f"     {problem}")
            else:
                print(f"ok   {label} (exit {code})")

    print(f"{len(cases) - failures} of {len(cases)} cases match docs/report.schema.json")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
