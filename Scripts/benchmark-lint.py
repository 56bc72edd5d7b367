#!/usr/bin/env python3
"""Whole-lint benchmarks for Scripts/benchmark.sh (issue 15). Informational: figures for this
machine, never assertions; exit 0 unless the tools themselves are missing or fail.

  benchmark-lint.py lint-vs-rspamd SENDLINT CORPUS [RUNS]   sendlint lint vs `rspamadm mime urls`
  benchmark-lint.py callgrind SENDLINT CORPUS [EVERY]       instructions per input byte by stage
  benchmark-lint.py templates SENDLINT                      1, 100, 1,000, 10,000 small templates
  benchmark-lint.py linearity SENDLINT                      1, 10, 50 MB of newsletter HTML

Every lint runs with `--format json --output /dev/null` under the brand-less recommended policy.
Wall time and CPU time (user + system, every thread) come from wait4, so "cores used" is CPU time
over wall time. The corpora hold live malicious mail: only sendlint and rspamd read it (as bytes,
offline; rspamd with a configuration of no modules and no maps); nothing here opens a URL.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

POLICY = "version: 1\nextends: [sendlint:recommended]\n"


def timed(command, cwd=None):
    """(wall seconds, CPU seconds, exit status) of one run, output discarded."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def lint_command(sendlint, policy, paths, jobs=None):
    command = [sendlint, "lint", "--format", "json", "--output", "/dev/null", "--policy", policy]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    return command + paths


def messages(corpus):
    """The corpus's non-empty message files (rspamd refuses an empty one), sorted."""
    found = []
    for root, _, names in os.walk(corpus):
        for name in names:
            path = os.path.join(root, name)
            if name.endswith(".eml") and os.path.getsize(path) > 0:
                found.append(path)
    return sorted(found)


def summary(label, runs, size):
    walls = [wall for wall, _, _ in runs]
    cpus = [cpu for _, cpu, _ in runs]
    wall = statistics.median(walls)
    cpu = statistics.median(cpus)
    print(f"{label:34s} median {wall:7.3f} s wall (range {min(walls):.3f}–{max(walls):.3f}), {cpu:7.3f} s CPU, "
          f"{size / 1048576 / wall:6.1f} MB/s, {cpu / wall:4.2f} cores used")
    return wall


def lint_vs_rspamd(sendlint, corpus, runs):
    rspamadm = shutil.which("rspamadm")
    if not rspamadm:
        print("skipped: rspamadm is not installed (Debian package rspamd)")
        return
    files = messages(corpus)
    size = sum(os.path.getsize(path) for path in files)
    scratch = tempfile.mkdtemp()
    try:
        policy = os.path.join(scratch, "policy.yaml")
        with open(policy, "w") as handle:
            handle.write(POLICY)
        config = os.path.join(scratch, "rspamd.conf")
        with open(config, "w") as handle:
            handle.write("# no modules, no maps: rspamd only parses the messages\noptions { }\n")
        commands = {
            "sendlint lint --jobs 1": lint_command(sendlint, policy, files, jobs=1),
            f"sendlint lint (default: {os.cpu_count()} jobs)": lint_command(sendlint, policy, files),
            "rspamadm mime urls": [rspamadm, "mime", "-c", config, "urls", *files],
        }
        results = {label: [] for label in commands}
        print(f"{len(files)} messages, {size / 1048576:.1f} MB; {runs} alternating runs of each")
        for _ in range(runs):
            for label, command in commands.items():
                wall, cpu, status = timed(command)
                if label.startswith("rspamadm") and status != 0 or not label.startswith("rspamadm") and status not in (0, 1):
                    print(f"FAILED: {label} exited {status}")
                    return
                results[label].append((wall, cpu, status))
        medians = {label: summary(label, results[label], size) for label in commands}
        cpus = {label: statistics.median(cpu for _, cpu, _ in results[label]) for label in commands}
        rspamd = "rspamadm mime urls"
        # Wall time is what the ratio is about; on a shared machine it mostly measures the
        # other tenants, so the CPU-time ratio (work done, whatever the scheduling) is printed too.
        for label in list(commands)[:2]:
            print(f"ratio {label} / rspamd URL extraction: {medians[label] / medians[rspamd]:.2f} wall, "
                  f"{cpus[label] / cpus[rspamd]:.2f} CPU time")
    finally:
        shutil.rmtree(scratch)


# Stages for `callgrind`: the inclusive cost of the outermost function of each, matched on the
# names `swift demangle --simplified` prints (`specialized ` may precede them). Nested stages
# (HTML inside the draft read) are included in their parent's figure.
STAGES = [
    # Built on the first host lookup since the start-up work (docs/decisions.md).
    ("Public Suffix List index", r"PublicSuffixRuleTable\.init\(bytes:\)"),
    ("header fields (RFC 2047, Received, DKIM, A-R)", r"static EncodedWords\.decode\(bytes:\) + static ReceivedHop\.parse\(_:\) + "
     r"static AuthenticationResults\.parse\(_:\) + static DKIMSignature\.parse\(_:\) + static MailDate\.parseReceived\(_:\)"),
    ("start-up: policy", r"static PolicyLoader\.(load|builtinDefault)\("),
    ("draft read (MIME + HTML + text)", r"^DraftLoader\.load\(_:\)"),
    ("  MIME parse", r"static MIMEMessage\.parse\(_:\)"),
    ("  HTML tokenize + inventory", r"static HTMLInventory\.read\(_:base:\)"),
    ("URL parse (every caller)", r"static URLRecord\.parse\(_:base:\)"),
    # checkedByRule may be inlined into Engine.read; then the public check() wrapper is absent too
    # and the stage reads 0 (the total is unaffected).
    ("rules", r"static Engine\.(checkedByRule|check)\(_:policy:category:path:cancellation:(rules:)?\)"),
    ("suppressions", r"SuppressionTracker\.apply\("),
    ("sort + aggregate", r"static Engine\.aggregate\(_:\)"),
    ("output (JSON report)", r"^JSONReport\.encoded\(\)"),
]


def callgrind(sendlint, corpus, every):
    valgrind = shutil.which("valgrind")
    annotate = shutil.which("callgrind_annotate")
    if not valgrind or not annotate:
        print("skipped: valgrind (callgrind_annotate) is not installed")
        return
    files = messages(corpus)[::every]
    size = sum(os.path.getsize(path) for path in files)
    scratch = tempfile.mkdtemp()
    try:
        # valgrind cannot read Swift 6.3's DWARF: strip it, keep the symbols.
        binary = os.path.join(scratch, "sendlint")
        subprocess.run(["objcopy", "--strip-debug", sendlint, binary], check=True)
        policy = os.path.join(scratch, "policy.yaml")
        with open(policy, "w") as handle:
            handle.write(POLICY)
        # CALLGRIND_OUT=FILE keeps the profile (callgrind_annotate FILE | swift demangle).
        out = os.environ.get("CALLGRIND_OUT") or os.path.join(scratch, "callgrind.out")
        command = [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", *lint_command(binary, policy, files, jobs=1)]
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        text = subprocess.run([annotate, "--inclusive=yes", "--threshold=100", out], capture_output=True, text=True).stdout
        swift = shutil.which("swift")
        if swift:
            text = subprocess.run([swift, "demangle", "--simplified"], input=text, capture_output=True, text=True).stdout
        total = None
        rows = []
        for line in text.splitlines():
            match = re.match(r"\s*([0-9,]+)\s+(?:\([ 0-9.%]+\)\s+)?(.*)", line)
            if not match:
                continue
            count = int(match.group(1).replace(",", ""))
            if "PROGRAM TOTALS" in match.group(2):
                total = count
            else:
                rows.append((count, match.group(2)))
        if total is None:
            print("callgrind produced no totals")
            return
        print(f"{len(files)} messages (every {every}th of {corpus}), {size / 1048576:.2f} MB; "
              f"{total:,} instructions = {total / size:.0f} per input byte")
        for stage, pattern in STAGES:
            # A stage of several independent functions (header fields) is the sum of each one's
            # outermost figure; a function and its specialisation are one.
            cost = 0
            for part in pattern.split(" + "):
                matched = [count for count, name in rows if re.search(part, re.sub(r"^(\?\?\?:)?(specialized )?", "", name))]
                cost += max(matched) if matched else 0
            print(f"  {stage:46s} {cost / size:8.0f} instructions/byte ({100 * cost / total:4.1f} %)")
    finally:
        shutil.rmtree(scratch)


def template(index):
    return (f"<html><body><h1>Issue {index}</h1><p>Hello {{{{first_name}}}}, read "
            f"<a href=\"https://example.com/articles/{index}?utm_source=news\">our article</a> or "
            f"<a href=\"https://example.com/unsubscribe\">unsubscribe</a>.</p>"
            f"<img src=\"https://example.com/logo.png\" alt=\"Example\" width=\"120\"></body></html>\n")


def templates(sendlint):
    scratch = tempfile.mkdtemp()
    try:
        policy = os.path.join(scratch, "policy.yaml")
        with open(policy, "w") as handle:
            handle.write(POLICY)
        empty = os.path.join(scratch, "empty", "empty.txt")
        os.makedirs(os.path.dirname(empty))
        open(empty, "w").close()
        runs = [timed(lint_command(sendlint, policy, [empty], jobs=1)) for _ in range(7)]
        walls = sorted(wall for wall, _, _ in runs)
        print(f"empty lint (one empty template): median {statistics.median(walls) * 1000:.0f} ms (range {walls[0] * 1000:.0f}–{walls[-1] * 1000:.0f})")
        for count in (1, 100, 1000, 10000):
            folder = os.path.join(scratch, f"t{count}")
            for index in range(count):
                sub = os.path.join(folder, f"d{index // 500}")
                os.makedirs(sub, exist_ok=True)
                with open(os.path.join(sub, f"t{index}.html"), "w") as handle:
                    handle.write(template(index))
            for jobs in (1, None):
                runs = [timed(lint_command(sendlint, policy, [folder], jobs=jobs)) for _ in range(3 if count < 10000 else 1)]
                wall = statistics.median(run[0] for run in runs)
                cpu = statistics.median(run[1] for run in runs)
                label = "--jobs 1" if jobs else f"{os.cpu_count()} jobs"
                print(f"{count:6d} templates, {label:8s}: {wall:7.3f} s wall, {wall / count * 1000:7.2f} ms per draft, "
                      f"{cpu / wall:4.2f} cores used")
            shutil.rmtree(folder)
    finally:
        shutil.rmtree(scratch)


def newsletter_block(index):
    """About 2 KB of what a bulk-mail newsletter is made of: nested tables, inline styles, links."""
    return (f"<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse;mso-table-lspace:0pt\">"
            f"<tr><td class=\"col pad\" style=\"padding:12px 24px;font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:22px;color:#333333\">"
            f"<h2 style=\"margin:0 0 8px;font-size:20px;color:#111111\">Story {index}: what changed this week</h2>"
            f"<p style=\"margin:0 0 12px\">Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore "
            f"et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris.</p>"
            f"<a href=\"https://news.example.com/story/{index}?utm_source=newsletter&amp;utm_medium=email\" style=\"color:#0066cc;text-decoration:underline\">Read story {index}</a>"
            f" &middot; <a href=\"https://example.com/share?id={index}\" style=\"color:#0066cc\">Share</a>"
            f"<img src=\"https://cdn.example.com/img/{index}.jpg\" width=\"560\" height=\"200\" alt=\"Story {index}\" style=\"display:block;border:0\">"
            f"</td></tr></table>\n")


def linearity(sendlint):
    scratch = tempfile.mkdtemp()
    try:
        policy = os.path.join(scratch, "policy.yaml")
        with open(policy, "w") as handle:
            handle.write(POLICY)
        head = ("<!DOCTYPE html><html><head><style>body{margin:0}.col{width:100%}.pad{padding:0 12px}"
                "@media (max-width:600px){.col{display:block!important}}</style></head><body>\n")
        for megabytes in (1, 10, 50):
            path = os.path.join(scratch, f"newsletter-{megabytes}mb.html")
            with open(path, "w") as handle:
                handle.write(head)
                written, index = len(head), 0
                while written < megabytes * 1048576:
                    block = newsletter_block(index)
                    handle.write(block)
                    written += len(block)
                    index += 1
                handle.write("</body></html>\n")
            report = os.path.join(scratch, "report.json")
            command = lint_command(sendlint, policy, [path], jobs=1)
            command[command.index("/dev/null")] = report
            wall, cpu, status = timed(command)
            size = os.path.getsize(path)
            with open(report) as handle:
                rules = sorted({finding["rule"] for finding in json.load(handle)["findings"]})
            # A cap reached (input/limit-exceeded) means the rest was not read: not linear, bounded.
            print(f"{megabytes:3d} MB newsletter HTML: {wall:7.2f} s wall, {cpu:7.2f} s CPU = {cpu / (size / 1048576):5.3f} CPU s/MB, "
                  f"{size / 1048576 / cpu:5.1f} MB/s per core (exit {status}; findings: {', '.join(rules) or 'none'})")
            os.remove(path)
    finally:
        shutil.rmtree(scratch)


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    mode, sendlint = argv[1], os.path.abspath(argv[2])
    if mode == "lint-vs-rspamd":
        lint_vs_rspamd(sendlint, argv[3], max(5, int(argv[4]) if len(argv) > 4 else 5))
    elif mode == "callgrind":
        callgrind(sendlint, argv[3], int(argv[4]) if len(argv) > 4 else 8)
    elif mode == "templates":
        templates(sendlint)
    elif mode == "linearity":
        linearity(sendlint)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
