#!/usr/bin/env python3
"""Adversarial benchmark (Scripts/benchmark.sh adversarial): each unbounded input of issue 11,
generated at size N and 2N into a temp folder and linted by the sendlint binary under `timeout`.
Prints time and peak RSS at both sizes and their ratio (about 2 means linear). Informational: it
never fails, and a case that runs past the per-case limit prints "timeout".

usage: adversarial.py SENDLINT [SECONDS-PER-CASE]
"""
import io, os, signal, subprocess, sys, tempfile, time, zipfile

sendlint = os.path.abspath(sys.argv[1])
limit = float(sys.argv[2]) if len(sys.argv) > 2 else 20
LINK = '<a href="https://www.example.com/a">www.example.com</a>'
POLICY = "version: 1\n"


def w(path, data, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode + ("b" if isinstance(data, bytes) else "")) as f:
        f.write(data)


def html(d, body):
    w(f"{d}/.sendlint.yaml", POLICY)
    w(f"{d}/t.html", body)
    return ["lint", "t.html"]


def eml(d, body, content_type="text/plain", headers=""):
    w(f"{d}/.sendlint.yaml", POLICY)
    w(f"{d}/m.eml", f"From: a@example.com\r\nTo: b@example.com\r\nSubject: s\r\n{headers}"
      f"MIME-Version: 1.0\r\nContent-Type: {content_type}\r\n\r\n{body}")
    return ["lint", "m.eml"]


def manifest(d, extra, template):
    w(f"{d}/.sendlint.yaml", POLICY)
    w(f"{d}/body.html", template)
    w(f"{d}/campaign.yaml", "campaign: c\nfrom: a@example.com\nsubject: s\nhtml: body.html\n" + extra)
    return ["lint", "campaign.yaml"]


def policy(d, text, draft=LINK):
    w(f"{d}/.sendlint.yaml", text)
    w(f"{d}/t.html", draft)
    return ["lint", "t.html"]


def fifo(d, n):
    w(f"{d}/.sendlint.yaml", POLICY)
    for i in range(n):
        os.mkfifo(f"{d}/f{i}.eml")
    return ["lint", "."]


def symlinks(d, n):
    w(f"{d}/.sendlint.yaml", POLICY)
    for i in range(n):
        os.makedirs(f"{d}/s{i}")
        os.symlink(".", f"{d}/s{i}/a")
        os.symlink(".", f"{d}/s{i}/b")
        w(f"{d}/s{i}/t.html", LINK)
    return ["lint", "."]


def multiparts(d, n):
    parts = "".join(f'--o\r\nContent-Type: multipart/mixed; boundary="never{i}"\r\n\r\n--x{i}\r\nbody\r\n'
                    for i in range(n))
    return eml(d, parts + "--o--\r\n", 'multipart/mixed; boundary="o"')


def zips(d, n):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for i in range(2000):
            z.writestr(f"f{i}.txt", b"")
    import base64
    data = base64.encodebytes(buffer.getvalue()).decode()
    parts = "".join(f'--o\r\nContent-Type: application/zip; name="a{i}.zip"\r\nContent-Transfer-Encoding: base64\r\n'
                    f'Content-Disposition: attachment; filename="a{i}.zip"\r\n\r\n{data}\r\n' for i in range(n))
    return eml(d, "--o\r\nContent-Type: text/plain\r\n\r\nhi\r\n" + parts + "--o--\r\n", 'multipart/mixed; boundary="o"')


def diamond(d, n):
    w(f"{d}/.sendlint.yaml", "version: 1\nextends: [l0a.yaml, l0b.yaml]\n")
    for i in range(n):
        for side in "ab":
            nxt = f"extends: [l{i + 1}a.yaml, l{i + 1}b.yaml]\n" if i + 1 < n else ""
            w(f"{d}/l{i}{side}.yaml", "version: 1\n" + nxt)
    w(f"{d}/t.html", LINK)
    return ["lint", "t.html"]


def custom(pattern, subject):
    def gen(d, n):
        w(f"{d}/.sendlint.yaml", "version: 1\ncustom_rules:\n  x/r: { kind: pattern, in: [subject, text], pattern: \""
          + pattern + "\" }\n")
        w(f"{d}/m.eml", f"From: a@example.com\r\nTo: b@example.com\r\nSubject: {subject(n)}\r\n\r\n{subject(n)}\r\n")
        return ["lint", "m.eml"]
    return gen


K = 1024
CASES = [
    ("FIFO named *.eml (must not hang)", 1, fifo),
    ("folders with two '-> .' symlinks", 1, symlinks),
    ("sub-multiparts whose boundary never occurs", 1000, multiparts),
    ("HTML DOCTYPE (400 KB)", 400 * K, lambda d, n: html(d, "<!DOCTYPE " + "a" * n + ">" + LINK)),
    ("duplicate attributes (40k)", 40_000, lambda d, n: html(d, '<a href="https://x.example/"' + " a=1" * n + ">x</a>")),
    ("C0 prefix (300 KB)", 300 * K, lambda d, n: html(d, "\x01" * n + LINK)),
    ("comma selectors x elements (N=2k)", 2000, lambda d, n: html(
        d, "<style>" + ",".join(f".c{i} b" for i in range(n)) + "{color:red}</style>" + '<b class="c">x</b>' * n)),
    ("20k-class compounds (10k)", 10_000, lambda d, n: html(
        d, "<style>" + "".join(f".c{i}" for i in range(n)) + "{display:none}</style>"
        + '<b class="' + " ".join(f"c{i}" for i in range(n)) + '">' + LINK + "</b>")),
    ("descendant chains (depth 2k)", 2000, lambda d, n: html(
        d, "<style>" + "div " * n + "a{display:none}</style>" + "<div>" * n + LINK)),
    ("<style> (3 MB)", 3 * K * K, lambda d, n: html(d, "<style>" + "p.x{color:red}" * (n // 14) + "</style>" + LINK)),
    ("findings on one long line (2k links)", 2000, lambda d, n: html(
        d, "".join(f'<a href="http://evil{i}.example/">https://bank.example/</a>' for i in range(n)))),
    ("text-body URLs (5 MB)", 5 * K * K, lambda d, n: eml(d, "https://e.example/p " * (n // 20))),
    ("ZIP 2k entries x attachments (50)", 50, zips),
    ("1 MB manifest variable x links (1k)", 1000, lambda d, n: manifest(
        d, "variables: { big: " + "x" * (K * K) + " }\n", '<a href="https://e.example/{{big}}">e</a>' * n)),
    ("click url with {{url}} (25k)", 25_000, lambda d, n: manifest(
        d, 'tracking:\n  clicks: { enabled: true, domain: t.example, url: "https://t.example/?' + "{{url}}" * n + '" }\n',
        LINK * 10)),
    ("policy size (14 MB)", 14 * K * K, lambda d, n: policy(
        d, "version: 1\nbrand:\n  domains: [" + ", ".join(f"d{i}.example" for i in range(n // 13)) + "]\n")),
    ("extends diamond (depth 10)", 10, diamond),
    ("message: templates (110 KB policy)", 1000, lambda d, n: policy(
        d, "version: 1\nrules:\n  link/insecure: { message: \"" + "{{url}}{{rule}}{{message}}" * (n * 4) + "\" }\n",
        '<a href="http://e.example/">e</a>' * 100)),
    ("policy errors (100k)", 100_000, lambda d, n: policy(
        d, "version: 1\nrules:\n" + "".join(f"  x/unknown{i}: error\n" for i in range(n)))),
    ("regex (a+)+$ on subject (9 chars)", 9, custom("(a+)+$", lambda n: "a" * n + "!")),
    ("regex a*b on text (8k chars)", 8 * K, custom("a*b", lambda n: "a" * n)),
]


def run(make, n):
    d = tempfile.mkdtemp(prefix="sendlint-adv-")
    try:
        args = make(d, n)
        start = time.perf_counter()
        # GNU time reports the linter's own peak RSS (a child forked straight from this script would
        # inherit the script's high-water mark); its own session lets the limit kill both.
        child = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", f"{d}/.rss", sendlint, *args, "--format", "json",
                                  "--output", os.devnull], cwd=d, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            code = child.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            return None, None, "timeout"
        seconds = time.perf_counter() - start
        rss = open(f"{d}/.rss").read().split()[-1]
        return seconds, int(rss) if rss.isdigit() else 0, f"exit {code}"
    finally:
        subprocess.run(["rm", "-rf", d])


print(f"== adversarial: each case at N and 2N, {limit:.0f} s limit per run (time s, peak RSS MB)")
for name, n, make in CASES:
    a, rss_a, status_a = run(make, n)
    # 2N cannot be faster than a timed-out N; skipping it keeps the whole run bounded.
    b, rss_b, status_b = run(make, 2 * n) if status_a != "timeout" else (None, None, "timeout")
    fmt = lambda t, r, s: "timeout" if s == "timeout" else (f"{t:.2f}s/{r / 1024:.0f}MB" if r else f"{t:.2f}s/-") + (
        "" if s.startswith("exit") else f" ({s})")
    ratio = f"{b / a:.1f}" if a and b else "-"
    print(f"{name:44} N: {fmt(a, rss_a, status_a):18} 2N: {fmt(b, rss_b, status_b):18} ratio {ratio}")
