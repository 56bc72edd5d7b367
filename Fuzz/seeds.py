#!/usr/bin/env python3
"""Writes the fuzz seed corpora into OUTDIR/<harness>/, read at run time from ../shared and the
repository, or generated here (ZIP). Never copied into the repository: OUTDIR is a temp folder.

usage: seeds.py OUTDIR SHARED
"""
import email, email.policy, glob, hashlib, io, json, os, sys, zipfile

out, shared = sys.argv[1], sys.argv[2]
MAX_SEED = 64 * 1024  # larger seeds slow every mutation; libFuzzer's -max_len matches
MAX_SEEDS = 600       # the initial corpus pass must leave most of the budget to fuzzing


def write(harness, data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if not data or len(data) > MAX_SEED:
        return
    folder = os.path.join(out, harness)
    os.makedirs(folder, exist_ok=True)
    if len(os.listdir(folder)) >= MAX_SEEDS:
        return
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def files(folder):
    for root, _, names in sorted(os.walk(folder)):
        for name in sorted(names):
            path = os.path.join(root, name)
            if os.path.isfile(path) and os.path.getsize(path) <= MAX_SEED:
                yield path


# MIME: the mail-parser suites and real newsletters, as bytes (some are live malicious mail: they
# are only ever parsed). Every other file keeps the count under MAX_SEEDS across eleven suites.
for i, path in enumerate(files(os.path.join(shared, "corpora/mime"))):
    if i % 3 == 0:
        write("mime", open(path, "rb").read())
legit = list(files(os.path.join(shared, "corpora/legit")))
for path in legit:
    write("mime", open(path, "rb").read())
# HTML: html5lib tokenizer inputs, and the HTML parts of the newsletters.
for path in sorted(glob.glob(os.path.join(shared, "conformance/html5lib-tokenizer/*.test"))):
    for test in json.load(open(path, encoding="utf-8")).get("tests", []):
        text = test.get("input", "")
        if test.get("doubleEscaped"):
            text = text.encode("utf-8", "surrogatepass").decode("unicode_escape", "replace")
        write("html", text)
for path in legit:
    message = email.message_from_bytes(open(path, "rb").read(), policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            write("html", part.get_payload(decode=True) or b"")
# URL: WHATWG inputs, with the base on the second line.
for path in glob.glob(os.path.join(shared, "conformance/whatwg-url/**/urltestdata.json"), recursive=True):
    for test in json.load(open(path, encoding="utf-8")):
        if isinstance(test, dict) and "input" in test:
            write("url", test["input"] + ("\n" + test["base"] if test.get("base") else ""))
# Policies and manifests of the repository.
for path in glob.glob("Policies/*.yaml") + glob.glob("Examples/**/.sendlint.yaml", recursive=True) \
        + glob.glob("Tests/**/.sendlint.yaml", recursive=True):
    write("policy", open(path, "rb").read())
for path in glob.glob("Examples/**/*campaign.yaml", recursive=True):
    write("manifest", open(path, "rb").read())


# ZIP: small archives of the shapes attachments take.
def archive(entries, comment=b"", compression=zipfile.ZIP_STORED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, data in entries:
            z.writestr(name, data)
        z.comment = comment
    return buffer.getvalue()


write("zip", archive([]))
write("zip", archive([("invoice.pdf.exe", b"MZ")]))
write("zip", archive([("a/b/c.txt", b"x" * 100), ("d.js", b"alert(1)")], compression=zipfile.ZIP_DEFLATED))
write("zip", archive([("r\u00e9sum\u00e9.doc", b"x"), ("\u202etxt.exe", b"x")], comment=b"comment"))
write("zip", archive([(f"f{i}.txt", b"") for i in range(50)]))
write("zip", archive([("inner.zip", archive([("deep.scr", b"x")]))]))
write("zip", archive([("x.txt", b"x")])[:-10])  # truncated end record

# PDF attachments' links: plain objects, escapes, hex strings, a Flate object stream, a bomb.
import zlib


def pdf(objects):
    out = b"%PDF-1.7\n"
    for number, body in objects:
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    return out + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def flate(dictionary, data):
    packed = zlib.compress(data)
    return b"<< " + dictionary + b" /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"


write("pdf", pdf([(4, b"<< /S /URI /URI (http://a.example/x\\)y\\101) >>"), (5, b"<< /U#52I <687474703A2F2F622E6578616D706C65> >>")]))
write("pdf", pdf([(20, flate(b"/Type /ObjStm /N 1 /First 5", b"11 0 << /S /URI /URI (http://c.example/) >>"))]))
write("pdf", pdf([(1, flate(b"", b" " * (1 << 20))), (2, b"<< /URI 9 0 R >>"), (9, b"(http://d.example/)")]))

# DNS: a TXT answer with a compression pointer, NXDOMAIN with an SOA, a pointer loop, huge counts.
question = b"\x04fuzz\x07example\x00\x00\x10\x00\x01"
write("dns", b"\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00" + question + b"\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x3c\x00\x09\x08v=spf1 a")
write("dns", b"\x12\x34\x81\x83\x00\x01\x00\x00\x00\x01\x00\x00" + question + b"\xc0\x11\x00\x06\x00\x01\x00\x00\x00\x3c\x00\x1a\x02ns\xc0\x11\x0ahostmaster\xc0\x11" + b"\x00" * 20)
write("dns", b"\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00" + question + b"\xc0\x21\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x01\x02\x03\x04")
write("dns", b"\x12\x34\x81\x80\x00\x01\xff\xff\xff\xff\x00\x00" + question)
