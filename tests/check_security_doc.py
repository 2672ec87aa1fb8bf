#!/usr/bin/env python3
"""docs/security.md: every row of the hostile-input table names at least one test, and every
named test exists (a GoogleTest name, a `Suite.*` pattern, or a file under the repository).

usage: check_security_doc.py TESTS_BINARY REPO_ROOT
"""
import pathlib
import re
import subprocess
import sys


def gtest_names(binary):
    listing = subprocess.run([binary, "--gtest_list_tests"], check=True, capture_output=True, text=True).stdout
    names, suite = set(), ""
    for line in listing.splitlines():
        if not line.startswith(" "):
            suite = line.split("#")[0].strip()
        else:
            names.add(suite + line.split("#")[0].strip())
    return names


def main():
    binary, root = sys.argv[1], pathlib.Path(sys.argv[2])
    names = gtest_names(binary)
    suites = {name.split(".")[0] for name in names}
    text = (root / "docs" / "security.md").read_text()
    table = text.split("## Every hostile input class", 1)[1].split("\n## ", 1)[0]
    problems, rows = [], 0
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 4 or cells[0] in ("input", "") or set(cells[0]) <= {"-"}:
            continue
        rows += 1
        refs = re.findall(r"`([^`]+)`", cells[-1])
        if not refs:
            problems.append(f"row '{cells[0]}' names no test")
        for ref in refs:
            if ref.endswith(".*"):
                ok = ref[:-2] in suites
            elif re.fullmatch(r"[A-Za-z0-9_/]+\.[A-Za-z0-9_/]+", ref):
                ok = ref in names
            elif ref.startswith("fuzz_"):
                ok = (root / "tests" / "fuzz" / (ref + ".cc")).exists()
            else:
                ok = (root / ref).exists()
            if not ok:
                problems.append(f"row '{cells[0]}': no such test '{ref}'")
    if rows == 0:
        problems.append("no rows found in the hostile-input table")
    for problem in problems:
        print(f"docs/security.md: {problem}")
    print(f"docs/security.md: {rows} rows checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
