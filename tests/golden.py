#!/usr/bin/env python3
"""Golden reports: every bundle case in testdata/bundles, analysed as a folder, must give exactly
the text and JSON reports kept in testdata/golden/<case>.txt and <case>.json (and its exit code,
the first line of <case>.code). The goldens live outside the bundle folders, which would otherwise
list them as entries of the bundle.

    python3 tests/golden.py build/dartdiag            # compare (the ctest test golden_reports)
    python3 tests/golden.py build/dartdiag --update   # rewrite the goldens; review the diff

Standard library only.
"""
import difflib
import os
import subprocess
import sys


def run(binary, bundles, case, extra):
    # Relative input names, so the reports hold no machine-specific path; no colour, English.
    env = dict(os.environ, NO_COLOR="1", LC_ALL="C", LANG="C")
    env.pop("LC_MESSAGES", None)
    result = subprocess.run([binary, *extra, case], cwd=bundles, env=env, capture_output=True, timeout=120)
    return result.returncode, result.stdout.decode("utf-8", "replace")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.abspath(argv[1])
    update = "--update" in argv[2:]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    bundles = os.path.join(root, "testdata", "bundles")
    golden = os.path.join(root, "testdata", "golden")
    os.makedirs(golden, exist_ok=True)
    failures = 0
    cases = sorted(d for d in os.listdir(bundles) if os.path.isdir(os.path.join(bundles, d)))
    for case in cases:
        code, text = run(binary, bundles, case, ["--color", "never"])
        json_code, json_text = run(binary, bundles, case, ["--format", "json"])
        outputs = {f"{case}.txt": text, f"{case}.json": json_text, f"{case}.code": f"{code}\n"}
        if json_code != code:
            print(f"FAIL {case}: exit code {code} for text, {json_code} for JSON")
            failures += 1
        for name, actual in outputs.items():
            path = os.path.join(golden, name)
            if update:
                with open(path, "w", encoding="utf-8", newline="\n") as f:
                    f.write(actual)
                continue
            expected = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
            if actual != expected:
                failures += 1
                print(f"FAIL {name} differs from testdata/golden/{name} (refresh: python3 tests/golden.py "
                      f"build/dartdiag --update, then review the diff)")
                for line in list(difflib.unified_diff(expected.splitlines(), actual.splitlines(), "golden", "now",
                                                      lineterm=""))[:40]:
                    print("    " + line)
    print(f"{'updated' if update else 'checked'} {len(cases)} cases, {failures} differences")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
