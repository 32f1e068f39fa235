#!/usr/bin/env python3
"""Word recall of dlpd's e-mail reader against Python's email package.

    email_recall.py EML_DIR DLPD_TEXT_DIR [--min-mean R]

For each EML_DIR/NAME.eml, the reference words are what Python's email
package reads: the Subject, From, To and Cc headers (decoded) of the message
and of every attached message, and every text/plain and text/html part
(transfer encoding and charset decoded; HTML tags stripped). DLPD_TEXT_DIR/
NAME.eml.txt holds the text dlpd produced for the file, nested blobs
included (written by the "[email][realworld]" test). Recall is the share of
reference words (with repeats) that dlpd's text has too. Prints one line per
file and the mean; exits 1 when the mean is below --min-mean (default 0.97).
Attachments that are not text (PDF, images) have no reference here and are
not counted.
"""

import collections
import email
import email.policy
import html.parser
import pathlib
import re
import sys

WORD = re.compile(r"\w+", re.UNICODE)


class _HtmlText(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.out.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        self.out.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.out.append(data)


def _part_text(part):
    # A body whose bytes are valid UTF-8 but that declares another multi-byte
    # charset is mislabelled UTF-8 (mail_test_12 declares GB2312): Python's
    # codec turns it into mojibake, so the reference reads it as UTF-8.
    raw = part.get_payload(decode=True) or b""
    charset = (part.get_content_charset() or "").lower()
    try:
        as_utf8 = raw.decode("utf-8") if charset in ("gb2312", "gbk", "gb18030", "big5") and not raw.isascii() else None
    except UnicodeDecodeError:
        as_utf8 = None
    try:
        text = as_utf8 if as_utf8 is not None else part.get_content()
    except (LookupError, UnicodeError, AssertionError, KeyError):
        payload = part.get_payload(decode=True) or b""
        text = payload.decode("utf-8", "replace")
    if not isinstance(text, str):
        return ""
    if part.get_content_type() == "text/html":
        p = _HtmlText()
        p.feed(text)
        p.close()
        text = "".join(p.out)
    return text


def reference_text(data):
    msg = email.message_from_bytes(data, policy=email.policy.default)
    texts = []

    def headers(m):
        for name in ("subject", "from", "to", "cc"):
            try:
                value = m.get(name)
            except Exception:  # a header the policy cannot parse: its raw value
                value = None
            if value:
                texts.append(str(value))

    headers(msg)
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            for inner in part.get_payload() or []:
                headers(inner)
        elif ctype in ("text/plain", "text/html"):
            texts.append(_part_text(part))
    return "\n".join(texts)


def words(text):
    return collections.Counter(w.lower() for w in WORD.findall(text))


def main(argv):
    min_mean = 0.97
    args = list(argv[1:])
    if "--min-mean" in args:
        i = args.index("--min-mean")
        min_mean = float(args[i + 1])
        del args[i : i + 2]
    eml_dir, got_dir = pathlib.Path(args[0]), pathlib.Path(args[1])
    recalls = []
    for path in sorted(eml_dir.glob("*.eml")):
        ref = words(reference_text(path.read_bytes()))
        got_path = got_dir / (path.name + ".txt")
        got = words(got_path.read_text("utf-8", "replace")) if got_path.exists() else collections.Counter()
        total = sum(ref.values())
        found = sum(min(n, got[w]) for w, n in ref.items())
        recall = found / total if total else 1.0
        recalls.append(recall)
        missing = sorted((w for w in ref if got[w] < ref[w]), key=lambda w: -ref[w])[:8]
        print(f"{recall:6.3f}  {found:5d}/{total:<5d}  {path.name}" + (f"  missing: {' '.join(missing)}" if missing else ""))
    mean = sum(recalls) / len(recalls) if recalls else 0.0
    print(f"mean recall {mean:.3f} over {len(recalls)} files (minimum {min_mean})")
    return 0 if recalls and mean >= min_mean else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
