#!/usr/bin/env python3
"""The reference text of a document, for bench/extraction_recall.

    reference_words.py FILE [--format FORMAT] [--metadata]
    reference_words.py --batch LIST OUTDIR

Prints to stdout, as UTF-8, the text that well-known extractors from Debian
read in FILE; extraction_recall tokenises it and dlpd's text the same way.
It is a reference, not a second dlpd: each format is read with the tool a
person would reach for.

  pdf      pdftotext -enc UTF-8 (poppler-utils); an encrypted PDF with a user
           password gives nothing (pdftotext refuses it too).
  docx/xlsx/pptx  zipfile + xml.etree: the text nodes of the parts a person
           sees (body, headers, footers, foot/endnotes, comments, text boxes,
           notes, charts, diagrams, shared strings, cell values, sheet
           headers/footers); core and custom properties apart. Not slide masters
           and layouts (their placeholder prompts are never shown), not
           mc:Fallback (a second copy of a text box), not w:delText.
  odt/ods/odp     zipfile + xml.etree: every text node under office:body of
           content.xml (and of embedded objects' content.xml), the master
           pages' headers and footers in styles.xml, and meta.xml's title,
           subject, description, keywords and user-defined fields apart.
  rtf      unrtf --html, read by the HTML reader below (its text output
           garbles code pages other than Latin-1); the \\info title apart.
  eml      the email package (policy.default): Subject, every text/* part
           decoded with its charset (HTML through the HTML reader below),
           attachments read by type as nested documents.
  html     html.parser: the text outside script, style and template, and the
           title; the charset from a BOM, then <meta>, then UTF-8, then
           windows-1252.
  zip/tar  zipfile / tarfile: each member read by its own type (by name,
           then by content); an encrypted member gives nothing.

Plain-text members (txt, csv, xml, ...) are decoded as UTF-8 (BOM-aware),
else windows-1252. Exit status 0 whenever the file was looked at; the text
may be empty. --batch reads lines "FORMAT<TAB>FILE" from LIST and writes the
text of line N (from 0) to OUTDIR/N.txt and its document properties to
OUTDIR/N.meta.txt: one interpreter for the whole corpus. --metadata prints
the properties instead of the content.
"""

import email
import email.policy
import html.parser
import io
import re
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
import zipfile

MAX_DEPTH = 8

# Document properties (title, subject, author, keywords, ...) of the file
# and its members, kept apart from the content so that both figures can be
# given: dlpd reads the content first, properties are a later step.
METADATA = []

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
S_STRICT = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"
W_STRICT = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
A_STRICT = "{http://purl.oclc.org/ooxml/drawingml/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def decode_text(data):
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                     (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def parse_xml(data):
    try:
        return ET.fromstring(data)
    except ET.ParseError:
        return None


# Codes of SpreadsheetML header and footer strings: &L &C &R &P &N &D &T &A
# &F &Z &G &B &I &U &E &S &X &Y, &"font,style", &12 (size), && (an ampersand).
HEADER_CODE = re.compile(r'&"[^"]*"|&\d+|&[A-Za-z]|&&')


def ooxml_text(z, names):
    out = []
    ct = z.read("[Content_Types].xml").decode("utf-8", "replace") if "[Content_Types].xml" in names else ""
    is_xlsx = "spreadsheetml" in ct or any(n.startswith("xl/") for n in names)
    for name in names:
        if not name.endswith(".xml") or name.endswith(".rels"):
            continue
        low = name.lower()
        if low.startswith("docprops/"):
            root = parse_xml(z.read(name))
            if root is None:
                continue
            if low == "docprops/core.xml":
                for e in root:
                    tag = e.tag.split("}")[-1]
                    if tag in ("title", "subject", "creator", "keywords", "description", "category"):
                        METADATA.append("".join(e.itertext()))
            elif low == "docprops/custom.xml":
                for e in root.iter():
                    if e.text and len(e) == 0 and e.tag.split("}")[-1] not in ("property",):
                        METADATA.append(e.text)
            continue
        if any(part in low for part in ("slidemasters/", "slidelayouts/", "notesmasters/", "handoutmasters/",
                                        "theme/", "styles.xml", "settings.xml", "fonttable.xml", "websettings.xml",
                                        "numbering.xml", "stylesWithEffects.xml".lower(), "calcchain.xml",
                                        "presprops.xml", "viewprops.xml", "tablestyles.xml", "commentauthors.xml",
                                        "customxml/", "people.xml", "glossary/")):
            continue
        root = parse_xml(z.read(name))
        if root is None:
            continue
        skip = lambda e: e.tag == MC_FALLBACK
        if is_xlsx and low.startswith("xl/worksheets/"):
            for c in root.iter():
                tag = c.tag.split("}")[-1]
                if tag == "c" and c.get("t") not in ("s", "inlineStr"):
                    for v in c:
                        if v.tag.split("}")[-1] == "v" and v.text:
                            out.append(v.text)
                elif tag == "is":
                    out.append("".join(x.text or "" for x in c.iter() if x.tag.split("}")[-1] == "t"))
                elif tag in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
                    out.append(HEADER_CODE.sub(" ", c.text or ""))
            continue
        if is_xlsx and (low.startswith("xl/sharedstrings") or low.startswith("xl/comments")):
            # A string item (si) or a comment's text: its t elements, phonetic
            # guides (rPh) left out as Excel shows them only on request.
            for e in root.iter():
                if e.tag.split("}")[-1] in ("si", "text"):
                    out.append("".join(t.text or "" for t in e.iter()
                                       if t.tag.split("}")[-1] == "t" and not is_phonetic(e, t)))
            continue
        if "/charts/" in low:
            # Titles (a:t) and the cached category and series names (c:v in c:strCache).
            for e in root.iter():
                if e.tag in (A + "t", A_STRICT + "t") and e.text:
                    out.append(e.text)
                elif e.tag == C + "strCache":
                    out.extend(v.text for v in e.iter(C + "v") if v.text)
            continue
        # Paragraph by paragraph, so that runs join and paragraphs do not.
        def keep(e):
            return e.tag in (W + "p", W_STRICT + "p", A + "p", A_STRICT + "p", P + "text")
        out.extend(iter_leaf_paragraphs(root, keep, skip))
    return "\n".join(out)


def is_phonetic(si, t):
    for rph in si.iter():
        if rph.tag.split("}")[-1] == "rPh":
            for x in rph.iter():
                if x is t:
                    return True
    return False


def iter_leaf_paragraphs(root, keep, skip):
    """The text of each paragraph: its w:t / a:t (p:text: its own text), with
    nested paragraphs (a text box inside a paragraph) given lines of their own."""
    result = []

    def text_of(p):
        own = []
        nested = []

        def go(e):
            if skip(e):
                return
            if e is not p and keep(e):
                nested.append(e)
                return
            tag = e.tag
            if tag in (W + "t", W_STRICT + "t", A + "t", A_STRICT + "t") and e.text:
                own.append(e.text)
            elif tag in (W + "tab", W + "br", W + "cr", A + "br"):
                own.append(" ")
            elif tag == P + "text" and e.text:
                own.append(e.text)
            for c in e:
                go(c)

        go(p)
        result.append("".join(own))
        for n in nested:
            text_of(n)

    def find(e):
        if skip(e):
            return
        if keep(e):
            text_of(e)
            return
        for c in e:
            find(c)

    find(root)
    return result


def odf_text(z, names):
    out = []
    for name in names:
        if not (name == "content.xml" or name.endswith("/content.xml") or name == "styles.xml" or name == "meta.xml"):
            continue
        root = parse_xml(z.read(name))
        if root is None:
            continue
        if name == "meta.xml":
            for e in root.iter():
                tag = e.tag.split("}")[-1]
                if tag in ("title", "subject", "description", "keyword", "user-defined") and e.text:
                    METADATA.append(e.text)
            continue
        if name == "styles.xml":
            bodies = list(root.iter(STYLE + "master-page"))
        else:
            bodies = list(root.iter(OFFICE + "body"))
        for body in bodies:
            odf_paragraphs(body, out)
    return "\n".join(out)


def odf_paragraphs(elem, out):
    """One line per text:p / text:h; text:s, text:tab and text:line-break as spaces."""
    tag = elem.tag
    if tag in (TEXT + "p", TEXT + "h"):
        buf = []

        def go(e, top):
            if not top and e.tag in (TEXT + "p", TEXT + "h"):
                odf_paragraphs(e, out)  # a paragraph in a frame inside this paragraph
                if e.tail:
                    buf.append(e.tail)
                return
            if e.tag in (TEXT + "s", TEXT + "tab", TEXT + "line-break"):
                buf.append(" ")
            elif e.text:
                buf.append(e.text)
            for c in e:
                go(c, False)
            if not top and e.tail:
                buf.append(e.tail)

        go(elem, True)
        out.append("".join(buf))
        return
    for c in elem:
        odf_paragraphs(c, out)


def zip_text(data, depth):
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        names = z.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return ""
    try:
        if "[Content_Types].xml" in names:
            return ooxml_text(z, names)
        if "mimetype" in names or "META-INF/manifest.xml" in names:
            return odf_text(z, names)
        out = []
        for info in z.infolist():
            if info.is_dir():
                continue
            try:
                member = z.read(info)
            except (RuntimeError, NotImplementedError, zipfile.BadZipFile, OSError, EOFError, ValueError):
                continue  # encrypted, an unknown method or a broken member
            out.append(document_text(member, info.filename, depth + 1))
        return "\n".join(out)
    except (KeyError, RuntimeError, NotImplementedError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        return ""


def tar_text(data, depth):
    out = []
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as t:
            for m in t:
                if not m.isfile():
                    continue
                f = t.extractfile(m)
                if f is not None:
                    out.append(document_text(f.read(), m.name, depth + 1))
    except (tarfile.TarError, OSError, EOFError):
        pass
    return "\n".join(out)


def pdf_text(data):
    try:
        r = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                           timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return r.stdout.decode("utf-8", "replace")


def rtf_text(data):
    # --html, not --text: unrtf's text output maps code pages through a
    # Latin-1 table (cp1250 comes out garbled), its HTML output has character
    # references for every code page it knows.
    # In a folder of its own: unrtf writes the pictures it finds (pict001.wmf)
    # to its working folder.
    try:
        with tempfile.TemporaryDirectory(prefix="reference-words-") as scratch:
            r = subprocess.run(["unrtf", "--html", "--quiet"], input=data, capture_output=True, timeout=60,
                               cwd=scratch)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    page = r.stdout.decode("utf-8", "replace")
    head, sep, body = page.partition("</head>")
    if not sep:
        return html_text_of_str(page)
    METADATA.append(html_text_of_str(head))  # the \info title
    return html_text_of_str(body)


class HtmlText(html.parser.HTMLParser):
    SKIP = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        self.parts.append(" ")  # a tag separates words (<td>a</td><td>b</td>)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


META_CHARSET = re.compile(rb'<meta[^>]+charset\s*=\s*["\']?\s*([A-Za-z0-9_\-:.]+)', re.I)


def html_text_of_str(s):
    p = HtmlText()
    try:
        p.feed(s)
        p.close()
    except Exception:  # html.parser is lenient; a reference must not die on a broken file
        pass
    return "".join(p.parts)


def html_text(data):
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return html_text_of_str(decode_text(data))
    m = META_CHARSET.search(data[:4096])
    if m:
        try:
            return html_text_of_str(data.decode(m.group(1).decode("ascii"), "replace"))
        except LookupError:
            pass
    return html_text_of_str(decode_text(data))


def email_text(data, depth):
    msg = email.message_from_bytes(data, policy=email.policy.default)
    out = []
    try:
        out.append(str(msg.get("subject", "") or ""))
    except Exception:
        pass
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        try:
            payload = part.get_payload(decode=True)
        except Exception:
            payload = None
        if payload is None:
            continue
        filename = part.get_filename() or ""
        if ctype.startswith("text/") and not filename:
            charset = part.get_content_charset() or "utf-8"
            try:
                s = payload.decode(charset, "replace")
            except LookupError:
                s = decode_text(payload)
            out.append(html_text_of_str(s) if ctype == "text/html" else s)
        else:
            out.append(document_text(payload, filename or ctype.replace("/", "."), depth + 1))
    return "\n".join(out)


def looks_like_email(data):
    head = data[:2048]
    return re.match(rb"(?:[\x21-\x39\x3b-\x7e]+:[^\n]*\r?\n(?:[ \t][^\n]*\r?\n)*)+", head) is not None and \
        re.search(rb"^(from|to|subject|date|received|message-id|mime-version|return-path):", head, re.I | re.M)


def document_text(data, name, depth=0, fmt=None):
    if depth > MAX_DEPTH:
        return ""
    low = name.lower()
    ext = low.rsplit(".", 1)[-1] if "." in low.rsplit("/", 1)[-1] else ""
    if data.startswith(b"%PDF") or (fmt == "pdf" and b"%PDF" in data[:1024]):
        return pdf_text(data)
    if data.startswith(b"PK"):
        return zip_text(data, depth)
    if data.startswith(b"\x1f\x8b") or ext in ("tar", "tgz"):
        return tar_text(data, depth)
    if data.lstrip().startswith(b"{\\rtf"):
        return rtf_text(data)
    if fmt == "eml" or ext in ("eml", "mht", "mhtml") or (ext in ("", "msg", "txt") and looks_like_email(data)):
        return email_text(data, depth)
    if fmt == "html" or ext in ("html", "htm", "xhtml") or data[:512].lower().lstrip().startswith((b"<!doctype html", b"<html")):
        return html_text(data)
    if ext in ("xml", "svg"):
        root = parse_xml(data)
        return "\n".join(root.itertext()) if root is not None else ""
    if b"\0" in data[:8192]:
        # UTF-16 text with a BOM is text; other binary (an image) has none.
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return decode_text(data)
        return ""
    return decode_text(data)


def batch(listing, outdir):
    with open(listing, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    for n, line in enumerate(lines):
        fmt, path = line.split("\t", 1)
        with open(path, "rb") as f:
            data = f.read()
        METADATA.clear()
        try:
            text = document_text(data, path, 0, fmt)
        except Exception as e:  # say so, and go on with the next file
            sys.stderr.write(f"reference_words: {path}: {type(e).__name__}: {e}\n")
            text = ""
        with open(f"{outdir}/{n}.txt", "wb") as out:
            out.write(text.encode("utf-8", "replace"))
        with open(f"{outdir}/{n}.meta.txt", "wb") as out:
            out.write("\n".join(METADATA).encode("utf-8", "replace"))
    return 0


def main(argv):
    args = [a for a in argv[1:] if a != "--metadata"]
    if len(args) == 3 and args[0] == "--batch":
        return batch(args[1], args[2])
    fmt = None
    if "--format" in args:
        i = args.index("--format")
        fmt = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1:
        sys.stderr.write("usage: reference_words.py FILE [--format FORMAT]\n")
        return 2
    with open(args[0], "rb") as f:
        data = f.read()
    text = document_text(data, args[0], 0, fmt)
    if "--metadata" in argv:
        text = "\n".join(METADATA)
    sys.stdout.buffer.write(text.encode("utf-8", "replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
