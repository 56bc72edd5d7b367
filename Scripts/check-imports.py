#!/usr/bin/env python3
"""Every module a target imports is one it declares in Package.swift, directly.

SwiftPM's own `--explicit-target-dependency-import-check error` (run by .ci/run's build) only
rejects an import of a target outside the importer's *transitive* dependencies, so SendlintEngine
importing SendlintHTML through SendlintInventory passes it. This script holds the stricter house
rule: a target imports only its declared dependencies (targets by name, products by their module)
and the toolchain's own modules. Reads `swift package dump-package`; exits 1 naming each import
to declare or remove.

Usage: Scripts/check-imports.py [PACKAGE-DIR]
"""
import json
import os
import re
import subprocess
import sys

# Modules the toolchain provides; never declared in Package.swift.
SYSTEM = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "FoundationXML", "Dispatch",
    "Glibc", "Musl", "Darwin", "WinSDK", "Testing", "XCTest", "PackagePlugin", "Synchronization",
    "_Concurrency", "Swift", "os", "RegexBuilder",
}

# Imports that cannot be declared, each with why. A dependency package's non-product target
# cannot appear in `dependencies:`; an entry here is a conscious exception, not a default.
UNDECLARABLE = {
    ("SendlintYAML", "CYaml"): "Yams' libyaml target (not a product): the bounds scan reads libyaml's "
    "events, which Yams does not expose; it comes with the declared Yams product",
}

IMPORT = re.compile(
    r"^\s*(?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?([A-Za-z_][A-Za-z0-9_]*)",
    re.M)


def header(text: str) -> str:
    """The file up to its first declaration: imports live there, and a Swift string further down
    may hold another language's `import` (a Python script run by a test)."""
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and not stripped.startswith(("//", "/*", "*", "#if", "#else", "#elseif", "#endif", "@")) and not IMPORT.match(line):
            break
        lines.append(line)
    return "\n".join(lines)


def main() -> int:
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    package = json.loads(subprocess.run(
        ["swift", "package", "--package-path", root, "dump-package"], check=True, capture_output=True, text=True).stdout)
    local = {target["name"] for target in package["targets"]}
    problems = []
    for target in package["targets"]:
        name = target["name"]
        declared = set()
        for dependency in target["dependencies"]:
            kind, values = next(iter(dependency.items()))
            declared.add(values[0])
        default_root = {"test": "Tests", "plugin": "Plugins"}.get(target["type"], "Sources")
        directory = os.path.join(root, target.get("path") or os.path.join(default_root, name))
        for folder, _, files in os.walk(directory):
            for file in sorted(files):
                if not file.endswith(".swift"):
                    continue
                path = os.path.join(folder, file)
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
                for match in IMPORT.finditer(header(text)):
                    module = match.group(1)
                    if module in declared or module in SYSTEM or module == name or (name, module) in UNDECLARABLE:
                        continue
                    where = "a target of this package" if module in local else "not a declared product"
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(f"{os.path.relpath(path, root)}:{line}: target {name} imports {module} ({where}) "
                                    f"without declaring it; add \"{module}\" to {name}'s dependencies in Package.swift "
                                    "or remove the import")
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"ok: every import of {len(package['targets'])} targets is declared "
          f"({len(UNDECLARABLE)} documented exception{'s' if len(UNDECLARABLE) != 1 else ''})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
