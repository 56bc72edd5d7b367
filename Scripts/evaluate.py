#!/usr/bin/env python3
"""The real-mail scorecard (issue 12): recall on phishing, false alarms on legitimate mail.

Runs `sendlint lint --format json` over each corpus folder with a brand-less policy, and each
brand case of the detection labels with a policy naming that brand, then prints per corpus the
messages, those with a link-deception finding, the rate, and per-rule counts. It reads only
sendlint's JSON and JUnit reports: never the mail, and never a URL in it (sendlint is offline).

Usage: evaluate.py SENDLINT CORPORA [--json FILE] [--compare OLD.json] [--timeout SECONDS]
Exit 0; 1 when --compare finds a deception rule whose false-alarm count on legitimate mail rose;
2 when a run failed or timed out (its figures are then incomplete, never silently passed).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict

# Findings that say "this link deceives the reader about where it goes": they count for recall on
# phishing and as false alarms on legitimate mail. The same set as DetectionExpectationTests.
DECEPTION = ["link/lookalike-domain", "link/obfuscated", "link/same-target", "link/text-host-mismatch"]
# Hygiene, not deception (reported per rule, never counted as recall or false alarm):
# link/split-url is a broken link (an authoring error, MS03-026's "article link"); link/redirector
# is a third-party redirect, which every ESP's click tracking is; link/off-brand-host needs brand
# facts, so it only means something in the brand cases.

# (corpus name, folder under CORPORA, default label for files the label file does not list)
CORPORA = [
    ("detection/phishing-pot", "detection/phishing-pot", "phishing"),
    ("detection/rspamd", "detection/rspamd", "unlabelled"),
    ("detection/spamassassin-tdata", "detection/spamassassin-tdata", "unlabelled"),
    ("legit", "legit", "legit"),
]
LABELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "SendlintEngineTests", "Fixtures",
                      "labels", "detection.tsv")
# Provenance notes beside the mail: plain text that discovery would lint as a template, not mail.
NOT_MAIL = {"SOURCE.txt"}
# Rules that need brand facts: checked in the brand cases, not under the brand-less policy.
NEEDS_BRAND = {"link/off-brand-host"}
BRANDLESS = "version: 1\nextends: [sendlint:recommended]\n"
# The pre-send checklist's rules (issue 16), read from its pack: each is printed for every corpus,
# with 0 when it found nothing, so its count on legitimate mail is always on the scorecard.
CHECKLIST_PACK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Policies", "checklist.yaml")


def checklist_rules():
    try:
        with open(CHECKLIST_PACK, encoding="utf-8") as pack:
            return [line.split(":")[0].strip() for line in pack
                    if line.startswith("  ") and not line.lstrip().startswith("#") and "/" in line.split(":")[0]]
    except OSError:
        return []


def read_labels(path):
    """detection.tsv: path (relative to corpora/detection), label, brand, expected rules, note."""
    labels = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 5 or fields[1] not in ("phishing", "legit", "spam"):
                sys.exit(f"{path}:{number}: expected 5 tab-separated fields with label phishing|legit|spam")
            rel, label, brand, expected, note = fields
            labels["detection/" + rel] = {
                "label": label,
                "brand": [] if brand == "-" else brand.split(","),
                "expect": [] if expected == "-" else expected.split(","),
                "note": note,
            }
    return labels


def run_lint(sendlint, corpora, targets, policy_text, timeout, tmp):
    """Lints targets (paths relative to CORPORA) from CORPORA; returns drafts, findings, problems,
    and leaves the files discovery skipped in `run_lint.skipped`."""
    run_lint.skipped = []
    policy = os.path.join(tmp, f"policy-{abs(hash((tuple(targets), policy_text)))}.yaml")
    with open(policy, "w", encoding="utf-8") as handle:
        handle.write(policy_text)
    junit = policy + ".junit.xml"
    command = [sendlint, "lint", "--format", "json", "--verbose", "--policy", policy, "--junit-output", junit, *targets]
    problems = []
    try:
        done = subprocess.run(command, cwd=corpora, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return [], [], [f"timed out after {timeout} s: {' '.join(targets[:3])}"]
    if done.returncode not in (0, 1):
        problems.append(f"sendlint exited {done.returncode} on {' '.join(targets[:3])}: {done.stderr.decode(errors='replace')[:300]}")
    try:
        report = json.loads(done.stdout)
    except ValueError:
        return [], [], problems + [f"no JSON report for {' '.join(targets[:3])}"]
    for diagnostic in report.get("diagnostics", []):
        problems.append(f"{diagnostic['path']}: {diagnostic['code']}: {diagnostic['message'][:200]}")
    drafts = []
    if os.path.exists(junit):
        drafts = [suite.get("name") for suite in ET.parse(junit).getroot().iter("testsuite")
                  if suite.get("name") != "sendlint configuration"]
    # `--verbose` lists on standard error each file discovery did not lint, and why.
    skipped = [line[len("skipped "):] for line in done.stderr.decode(errors="replace").splitlines()
               if line.startswith("skipped ")]
    run_lint.skipped = skipped
    return drafts, report.get("findings", []), problems


def lint_as_message(sendlint, corpora, path, policy_text, timeout, tmp):
    """A labelled message whose name ends in .txt: folder discovery and an explicit path both read
    it as a text template, so its bytes are copied to a temporary `.eml` (outside the repository,
    never opened otherwise) and that is linted; findings are mapped back to the corpus path."""
    folder = tempfile.mkdtemp(dir=tmp)
    with open(os.path.join(corpora, path), "rb") as source, open(os.path.join(folder, "m.eml"), "wb") as copy:
        copy.write(source.read())
    drafts, findings, problems = run_lint(sendlint, folder, ["m.eml"], policy_text, timeout, tmp)
    for finding in findings:
        finding["draft"] = finding["path"] = path
    return [path] if drafts else [], findings, problems


def tally(drafts, findings, label_of):
    """Per-corpus figures: messages per label, messages with deception, per-rule hits."""
    by_draft = defaultdict(list)
    for finding in findings:
        by_draft[finding["draft"]].append(finding["rule"])
    rules = defaultdict(lambda: {"messages": 0, "findings": 0, "legit_messages": 0})
    labels = defaultdict(lambda: {"messages": 0, "deception": 0})
    offending = []
    for draft in drafts:
        label = label_of(draft)
        hit = sorted(set(by_draft.get(draft, [])))
        deceptive = [rule for rule in hit if rule in DECEPTION]
        labels[label]["messages"] += 1
        labels[label]["deception"] += bool(deceptive)
        for rule in hit:
            rules[rule]["messages"] += 1
            rules[rule]["legit_messages"] += label == "legit"
        if label == "legit" and deceptive:
            offending.append([draft, ",".join(deceptive)])
    for draft in drafts:
        for rule in by_draft.get(draft, []):
            rules[rule]["findings"] += 1
    for rule in checklist_rules():
        rules[rule]  # a zero row when the rule found nothing
    messages = len(drafts)
    deception = sum(value["deception"] for value in labels.values())
    return {
        "messages": messages, "deception_messages": deception,
        "rate": round(deception / messages, 4) if messages else 0.0,
        "labels": dict(sorted(labels.items())), "rules": dict(sorted(rules.items())),
        "false_alarms": offending,
    }


def check_case(expect, hit):
    """The expected rules of a label line that the findings did not honour."""
    missed = []
    for rule in expect:
        if rule.startswith("!"):
            if rule[1:] in hit:
                missed.append(rule)
        elif rule not in hit:
            missed.append(rule)
    return missed


def print_corpus(name, figures):
    print(f"\n== {name}: {figures['messages']} messages, {figures['deception_messages']} with a deception finding "
          f"({100 * figures['rate']:.1f}%)")
    for label, value in figures["labels"].items():
        what = {"phishing": "recall", "legit": "false alarms"}.get(label, "deception")
        rate = 100 * value["deception"] / value["messages"] if value["messages"] else 0
        print(f"   {label:<11} {value['messages']:>4} messages, {what}: {value['deception']} ({rate:.1f}%)")
    print(f"   {'rule':<34} {'messages':>8} {'findings':>8} {'on legit':>8}")
    for rule, value in figures["rules"].items():
        mark = " *" if rule in DECEPTION else ""
        print(f"   {rule + mark:<34} {value['messages']:>8} {value['findings']:>8} {value['legit_messages']:>8}")
    for draft, rules in figures["false_alarms"]:
        print(f"   false alarm: {draft}: {rules}")


def summary(result):
    """Recall and false alarms over all corpora, and each deception rule's false alarms on legit."""
    phishing = sum(c["labels"].get("phishing", {}).get("messages", 0) for c in result["corpora"].values())
    caught = sum(c["labels"].get("phishing", {}).get("deception", 0) for c in result["corpora"].values())
    legit = sum(c["labels"].get("legit", {}).get("messages", 0) for c in result["corpora"].values())
    alarms = sum(c["labels"].get("legit", {}).get("deception", 0) for c in result["corpora"].values())
    per_rule = {rule: sum(c["rules"].get(rule, {}).get("legit_messages", 0) for c in result["corpora"].values())
                for rule in DECEPTION}
    return {"phishing": phishing, "recall": caught, "legit": legit, "false_alarms": alarms,
            "false_alarms_per_rule": per_rule}


def compare(old, new):
    """Before → after per corpus and per rule; the deception rules whose false alarms rose."""
    print("\n== compared with the previous figures (before → after)")
    for name, figures in new["corpora"].items():
        before = old.get("corpora", {}).get(name, {})
        print(f"   {name}: deception {before.get('deception_messages', '-')} → {figures['deception_messages']}"
              f" of {before.get('messages', '-')} → {figures['messages']} messages")
        rules = sorted(set(figures["rules"]) | set(before.get("rules", {})))
        for rule in rules:
            a = before.get("rules", {}).get(rule, {}).get("messages", 0)
            b = figures["rules"].get(rule, {}).get("messages", 0)
            if a != b:
                print(f"      {rule}: {a} → {b} messages")
    s_old, s_new = old.get("summary", {}), new["summary"]
    print(f"   recall: {s_old.get('recall', '-')} → {s_new['recall']} of {s_new['phishing']} phishing; "
          f"false alarms: {s_old.get('false_alarms', '-')} → {s_new['false_alarms']} of {s_new['legit']} legitimate")
    rose = []
    for rule, count in s_new["false_alarms_per_rule"].items():
        was = s_old.get("false_alarms_per_rule", {}).get(rule, 0)
        if count > was:
            rose.append(f"{rule}: {was} → {count}")
    for line in rose:
        print(f"   FALSE ALARMS ROSE: {line}")
    return rose


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sendlint")
    parser.add_argument("corpora")
    parser.add_argument("--json", dest="json_out")
    parser.add_argument("--compare")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per sendlint run (one corpus)")
    args = parser.parse_args()
    corpora = os.path.abspath(args.corpora)
    sendlint = os.path.abspath(args.sendlint)
    labels = read_labels(LABELS)
    result = {"version": 1, "deception_rules": DECEPTION, "corpora": {}, "brand_cases": [], "labelled": [],
              "problems": []}
    findings_of = {}
    with tempfile.TemporaryDirectory(prefix="sendlint-evaluate-") as tmp:
        for name, folder, default in CORPORA:
            if not os.path.isdir(os.path.join(corpora, folder)):
                result["problems"].append(f"missing corpus {folder}")
                continue
            # Labelled files are also named explicitly: folder discovery skips messages that begin
            # with an mbox "From " line, and a labelled message must never drop out unseen.
            mine = sorted(p for p in labels if p.startswith(folder + "/"))
            as_txt = [p for p in mine if p.endswith(".txt")]
            explicit = [p for p in mine if not p.endswith(".txt")]
            drafts, findings, problems = run_lint(sendlint, corpora, [folder, *explicit], BRANDLESS, args.timeout, tmp)
            skipped = [entry for entry in run_lint.skipped if entry.split(": ")[0].rstrip("/") not in mine]
            drafts = [d for d in dict.fromkeys(drafts) if d not in as_txt and os.path.basename(d) not in NOT_MAIL]
            findings = [f for f in findings if f["draft"] not in as_txt]
            result["problems"] += problems
            for path in as_txt:
                more_drafts, more_findings, problems = lint_as_message(sendlint, corpora, path, BRANDLESS, args.timeout, tmp)
                drafts += more_drafts
                findings += more_findings
                result["problems"] += problems
            result["corpora"][name] = tally(drafts, findings, lambda d, default=default: labels.get(d, {}).get("label", default))
            for finding in findings:
                findings_of.setdefault(finding["draft"], set()).add(finding["rule"])
            result["corpora"][name]["skipped"] = len(skipped)
            print_corpus(name, result["corpora"][name])
            print(f"   {len(skipped)} files not linted (not drafts to sendlint's discovery; --verbose lists why)")
        # Each labelled file against its expectations, under the brand-less policy.
        print("\n== labelled detection cases (brand-less policy)")
        for path, label in sorted(labels.items()):
            if not label["expect"]:
                continue
            missed = check_case([r for r in label["expect"] if r not in NEEDS_BRAND], findings_of.get(path, set()))
            result["labelled"].append({"path": path, "label": label["label"], "missed": missed})
            if missed:
                print(f"   MISSED {path}: {','.join(missed)} ({label['note']})")
        ok = sum(not case["missed"] for case in result["labelled"])
        print(f"   {ok} of {len(result['labelled'])} labelled cases as expected")
        # Brand cases: the message linted with a policy naming the brand it pretends to be.
        print("\n== brand cases (a policy per case naming the brand the message pretends to be)")
        for path, label in sorted(labels.items()):
            if not label["brand"]:
                continue
            policy = BRANDLESS + "brand:\n  domains: [" + ", ".join(label["brand"]) + "]\n"
            lint = lint_as_message if path.endswith(".txt") else run_lint
            drafts, findings, problems = lint(sendlint, corpora, [path] if lint is run_lint else path, policy,
                                              args.timeout, tmp)
            result["problems"] += problems
            hit = sorted({finding["rule"] for finding in findings})
            deceptive = [rule for rule in hit if rule in DECEPTION]
            missed = check_case(label["expect"], set(hit))
            result["brand_cases"].append({"path": path, "label": label["label"], "brand": label["brand"], "rules": hit,
                                          "deception": bool(deceptive), "missed": missed})
            print(f"   {label['label']:<8} {path} [{','.join(label['brand'])}]: {','.join(hit) or 'no findings'}"
                  + (f"  MISSED {','.join(missed)}" if missed else ""))
    result["summary"] = summary(result)
    s = result["summary"]
    print(f"\n== overall: recall {s['recall']} of {s['phishing']} phishing messages; "
          f"false alarms {s['false_alarms']} of {s['legit']} legitimate messages")
    for problem in result["problems"]:
        print(f"PROBLEM: {problem}")
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2, sort_keys=True)
            handle.write("\n")
    status = 2 if result["problems"] else 0
    if args.compare:
        with open(args.compare, encoding="utf-8") as handle:
            if compare(json.load(handle), result):
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
