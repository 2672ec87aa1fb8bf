#!/usr/bin/env python3
"""The module layering of src/ (docs/architecture.md, "Modules"), checked on every #include.

A module is a folder of src/ (the engine is src/ itself, the public report model include/dartdiag).
Each module may include only its own headers and those of the modules below it:

    cli -> batch -> report -> analysis -> capture -> engine -> public

Also: no header include cycle anywhere, and the public headers include public headers only, and of
the system headers only the standard library's (and nlohmann's forward declarations): the machinery
(RE2, libzip, libpcap, fmt) stays behind the public surface.
Exit status 1 with one line per violation; 0 when the layering holds.
"""
import pathlib
import re
import sys

ORDER = ["public", "engine", "capture", "analysis", "report", "batch", "cli"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
SYSTEM_INCLUDE = re.compile(r'^\s*#\s*include\s+<([^>]+)>', re.M)
PUBLIC_SYSTEM_ALLOWED = {"nlohmann/json_fwd.hpp"}


def module_of(root: pathlib.Path, path: pathlib.Path) -> str:
    rel = path.relative_to(root)
    if rel.parts[0] == "include":
        return "public"
    if len(rel.parts) == 2:  # src/<file>
        return "engine"
    if rel.parts[1] not in ORDER:
        raise SystemExit(f"{rel}: folder {rel.parts[1]} is not a module in tests/check_layering.py")
    return rel.parts[1]


def resolve(root: pathlib.Path, includer: pathlib.Path, name: str):
    """Where the compiler finds a quoted include: beside the includer, then src/, then include/."""
    for base in (includer.parent, root / "src", root / "include"):
        candidate = (base / name).resolve()
        if candidate.is_file():
            return candidate
    return None


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    files = sorted(p for d in ("src", "include") for p in (root / d).rglob("*") if p.suffix in (".h", ".cc"))
    problems, graph = [], {}
    for path in files:
        here = module_of(root, path)
        edges = []
        text = path.read_text(encoding="utf-8")
        if here == "public":
            for name in SYSTEM_INCLUDE.findall(text):
                if ("/" in name or "." in name) and name not in PUBLIC_SYSTEM_ALLOWED:
                    problems.append(f"{path.relative_to(root)} (public) includes <{name}>: "
                                    f"a library's header behind the public surface")
        for name in INCLUDE.findall(text):
            target = resolve(root, path, name)
            if target is None:
                if not name.startswith("default_rules"):  # generated into the build tree
                    problems.append(f"{path.relative_to(root)}: #include \"{name}\" not found in src/ or include/")
                continue
            there = module_of(root, target)
            if ORDER.index(there) > ORDER.index(here):
                problems.append(f"{path.relative_to(root)} ({here}) includes {target.relative_to(root)} ({there}): "
                                f"a lower module may not depend on a higher one")
            if target.suffix == ".h":
                edges.append(target)
        if path.suffix == ".h":
            graph[path] = edges

    # Header cycles: depth-first search with colours.
    colour, stack = {}, []

    def visit(node):
        colour[node] = "grey"
        stack.append(node)
        for nxt in graph.get(node, []):
            if colour.get(nxt) == "grey":
                cycle = stack[stack.index(nxt):] + [nxt]
                problems.append("include cycle: " + " -> ".join(str(p.relative_to(root)) for p in cycle))
            elif nxt not in colour:
                visit(nxt)
        stack.pop()
        colour[node] = "black"

    for node in graph:
        if node not in colour:
            visit(node)

    for line in problems:
        print(line)
    print(f"module layering: {len(files)} files, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
