#!/usr/bin/env python3
"""Labelled samples from gitleaks' default rules.

For every rule of cmd/generate/config/rules/*.go (read from a bare clone of
gitleaks/gitleaks with `git show`, never built or run), the `tps` and `fps`
lists are read with a small Go expression reader that understands only
string literals, `+`, []string{...}, append(...), local string variables
and gitleaks' sample helpers:

  utils.GenerateSampleSecret(id, s)   -> `{id}_api_token = "{s}"`, as gitleaks does
  utils.GenerateSampleSecrets(id, s)  -> two of gitleaks' 26 formats, chosen by the seed
  secrets.NewSecret(regex)            -> a string generated from that regex (regex_sample.py)
  utils.AlphaNumeric("20") and kin    -> the regex gitleaks' helper returns

Anything else (fmt.Sprintf, loops, other functions) is skipped. Each
sample is then checked against the rule as config/gitleaks.toml defines it
(regex, keywords, entropy of the secret, the rule's and the global
allowlists): a tp that gitleaks would not report, or an fp that it would,
is dropped and counted on standard error. A rule left with no tp gets
samples generated from its own regex.

Usage: gitleaks_cases.py GIT_DIR [SEED]   (writes TSV rows: kind, label, source, text)
"""
import math
import random
import re
import subprocess
import sys
import tomllib

from regex_sample import compile_go, generate, generate_go

RULES_DIR = "cmd/generate/config/rules/"
TOML = "config/gitleaks.toml"
MAX_TPS_PER_RULE = 10   # keeps the corpus a few thousand lines
FORMATS_PER_CALL = 2    # of GenerateSampleSecrets' 26
FALLBACK_TPS = 4
# gitleaks' GenerateSampleSecrets formats ({i} identifier, {I} upper, {s} secret).
SAMPLE_FORMATS = [
    '{i}Token="{s}"', '{i}Token = "{s}"', '{i}Token={s}', '{i}Token = {s}',
    '{\n    "{i}_token": "{s}"\n}', '{"config.ini": "{I}_TOKEN={s}\\nBACKUP_ENABLED=true"}',
    '<{i}Token>\n    {s}\n</{i}Token>', '{i}_token: {s}', "{i}_token: '{s}'", '{i}_token: "{s}"',
    'string {i}Token = "{s}";', 'var {i}Token string = "{s}"', '{i}Token := "{s}"', '{i}Token := `{s}`',
    'String {i}Token = "{s}";', 'var {i}Token = "{s}"', '${i}Token .= "{s}"', "{i}Token = '{s}'",
    '{i}Token = "{s}"', 'System.setProperty("{I}_TOKEN", "{s}")', '  "{i}Token" => "{s}"',
    '{i}_TOKEN = "{s}"', '{i}_TOKEN := "{s}"', '{i}_TOKEN ::= "{s}"', '{i}_TOKEN :::= "{s}"',
    '{i}_TOKEN ?= "{s}"',
]
HELPERS = {
    "Numeric": "[0-9]{%s}", "Hex": "[a-f0-9]{%s}", "AlphaNumeric": "[a-z0-9]{%s}",
    "AlphaNumericExtendedShort": "[a-z0-9_-]{%s}", "AlphaNumericExtended": r"[a-z0-9=_\-]{%s}",
    "AlphaNumericExtendedLong": r"[a-z0-9\/=_\+\-]{%s}",
}
TOKEN = re.compile(r'''\s+|//[^\n]*|/\*.*?\*/|`[^`]*`|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|'''
                   r'''\.\.\.|:=|[A-Za-z_][A-Za-z0-9_]*|[0-9.]+|.''', re.S)


class Unsupported(Exception):
    pass


def tokenize(src):
    return [t for t in TOKEN.findall(src) if not t.isspace() and not t.startswith(("//", "/*"))]


def go_string(tok):
    if tok.startswith("`"):
        return tok[1:-1]
    return bytes(tok[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


class Reader:
    """Evaluates the Go expressions of one rule function."""

    def __init__(self, toks, rng):
        self.toks, self.i, self.rng, self.vars = toks, 0, rng, {}

    def peek(self, k=0):
        return self.toks[self.i + k] if self.i + k < len(self.toks) else ""

    def take(self, want=None):
        tok = self.peek()
        if want is not None and tok != want:
            raise Unsupported(f"expected {want}, got {tok}")
        self.i += 1
        return tok

    def skip_balanced(self):
        """Skips one expression, up to the next top-level ',' ')' '}' or statement end."""
        depth = 0
        while self.i < len(self.toks):
            tok = self.peek()
            if tok in "([{":
                depth += 1
            elif tok in ")]}":
                if depth == 0:
                    return
                depth -= 1
            elif tok == "," and depth == 0:
                return
            self.i += 1

    def elements(self, close):
        """A comma list up to `close`; an element that cannot be read is skipped."""
        out = []
        while self.peek() != close:
            start = self.i
            try:
                value = self.expr()
                if self.peek() == "...":
                    self.take()
                out.extend(value if isinstance(value, list) else [value])
            except Unsupported:
                self.i = start
                self.skip_balanced()
            if self.peek() == ",":
                self.take()
            elif self.peek() != close:
                self.skip_balanced()
        self.take(close)
        return out

    def expr(self):
        value = self.primary()
        while self.peek() == "+":
            self.take()
            right = self.primary()
            if isinstance(value, list) or isinstance(right, list):
                raise Unsupported("+ of a list")
            value += right
        return value

    def primary(self):
        tok = self.peek()
        if tok.startswith(("`", '"')):
            self.take()
            return go_string(tok)
        if tok == "[" and self.peek(1) == "]":
            self.i += 3  # [ ] string
            self.take("{")
            return self.elements("}")
        if not re.match(r"[A-Za-z_]", tok):
            raise Unsupported(tok)
        name = self.take()
        while self.peek() == ".":
            self.take()
            name += "." + self.take()
        if self.peek() != "(":
            if name in self.vars:
                return self.vars[name]
            raise Unsupported(name)
        self.take("(")
        args = self.elements(")")
        return self.call(name, args)

    def call(self, name, args):
        if name == "append":
            return list(args)
        if name == "secrets.NewSecret" and len(args) == 1:
            return generate(compile_go(args[0]).pattern, self.rng) if isinstance(args[0], str) else _bad(name)
        if name.startswith("utils.") and name[6:] in HELPERS and len(args) == 1:
            return HELPERS[name[6:]] % args[0]
        if name == "utils.Hex8_4_4_4_12":
            return "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        if name == "utils.GenerateSampleSecret" and len(args) == 2:
            return [f'{args[0]}_api_token = "{args[1]}"']
        if name == "utils.GenerateSampleSecrets" and len(args) == 2:
            formats = self.rng.sample(SAMPLE_FORMATS, FORMATS_PER_CALL)
            return [f.replace("{i}", args[0]).replace("{I}", args[0].upper()).replace("{s}", args[1])
                    for f in formats]
        raise Unsupported(name)

    def run(self):
        """Reads every `NAME := EXPR` / `NAME = EXPR`; returns tps, fps."""
        while self.i < len(self.toks):
            if re.match(r"[A-Za-z_]\w*$", self.peek()) and self.peek(1) in (":=", "="):
                name = self.take()
                self.take()
                start = self.i
                try:
                    self.vars[name] = self.expr()
                except Unsupported:
                    self.i = start + 1
                    continue
            else:
                self.i += 1
        return self.vars.get("tps", []), self.vars.get("fps", [])


def _bad(name):
    raise Unsupported(name)


def entropy(s):
    if not s:
        return 0.0
    counts = {c: s.count(c) for c in set(s)}
    return -sum(n / len(s) * math.log2(n / len(s)) for n in counts.values())


class Rule:
    """A rule of gitleaks.toml, and whether gitleaks would report a text."""

    def __init__(self, spec, global_allow):
        self.id = spec["id"]
        self.pattern = spec.get("regex")
        self.regex = compile_go(self.pattern) if self.pattern else None
        self.entropy = spec.get("entropy", 0.0)
        self.secret_group = spec.get("secretGroup", 0)
        self.keywords = [k.lower() for k in spec.get("keywords", [])]
        self.allowlists = [a for a in spec.get("allowlists", []) if "paths" not in a or "regexes" in a
                           or "stopwords" in a] + [global_allow]

    def secret_of(self, m):
        if self.secret_group:
            return m.group(self.secret_group) or ""
        for g in range(1, (m.re.groups or 0) + 1):
            if m.group(g):
                return m.group(g)
        return m.group(0)

    def allowed(self, secret, match, line):
        for a in self.allowlists:
            target = {"match": match, "line": line}.get(a.get("regexTarget"), secret)
            if any(compile_go(r).search(target) for r in a.get("regexes", [])):
                return True
            if any(w.lower() in secret.lower() for w in a.get("stopwords", [])):
                return True
        return False

    def reports(self, text):
        if self.regex is None:
            return False
        if self.keywords and not any(k in text.lower() for k in self.keywords):
            return False
        for m in self.regex.finditer(text):
            secret = self.secret_of(m)
            if self.entropy and entropy(secret) <= self.entropy:
                continue
            line = text[text.rfind("\n", 0, m.start()) + 1:].split("\n", 1)[0]
            if not self.allowed(secret, m.group(0), line):
                return True
        return False


def git(git_dir, *args):
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True, capture_output=True,
                          text=True).stdout


def functions(src):
    """(name, body) of each top-level func in a Go file."""
    starts = [m.start() for m in re.finditer(r"^func ", src, re.M)] + [len(src)]
    return [src[a:b] for a, b in zip(starts, starts[1:])]


def escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def main():
    git_dir = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 13
    commit = git(git_dir, "rev-parse", "HEAD").strip()
    config = tomllib.loads(git(git_dir, "show", f"{commit}:{TOML}"))
    global_allow = {k: v for k, v in config["allowlist"].items() if k in ("regexes", "stopwords")}
    rules = {r["id"]: Rule(r, global_allow) for r in config["rules"]}
    dropped, seen = {"tp": 0, "fp": 0}, set()
    out = sys.stdout
    for path in git(git_dir, "ls-tree", "--name-only", "HEAD", RULES_DIR).split():
        if not path.endswith(".go") or path.endswith("_test.go"):
            continue
        src = git(git_dir, "show", f"{commit}:{path}")
        for body in functions(src):
            ids = re.findall(r'RuleID:\s*"([^"]+)"', body)
            if len(ids) != 1 or ids[0] not in rules:
                continue
            rule = rules[ids[0]]
            rng = random.Random(f"{seed}:{rule.id}")
            tps, fps = Reader(tokenize(body), rng).run()
            origin = f"gitleaks@{commit[:12]}:{path}"
            good_tps = [t for t in tps if isinstance(t, str) and rule.reports(t)]
            good_fps = [t for t in fps if isinstance(t, str) and not rule.reports(t)]
            dropped["tp"] += len(tps) - len(good_tps)
            dropped["fp"] += len(fps) - len(good_fps)
            if len(good_tps) > MAX_TPS_PER_RULE:
                good_tps = rng.sample(good_tps, MAX_TPS_PER_RULE)
            tp_origin = origin + " (tps)"
            if not good_tps and rule.pattern:
                for _ in range(FALLBACK_TPS):
                    sample = generate_go(rule.pattern, rng)
                    if sample is not None and rule.reports(sample):
                        good_tps.append(sample)
                tp_origin = f"gitleaks@{commit[:12]}:{TOML} (generated from the rule's regex)"
            seen.add(rule.id)
            for label, texts, where in (("pos", good_tps, tp_origin), ("neg", good_fps, origin + " (fps)")):
                for t in texts:
                    out.write(f"{rule.id}\t{label}\t{where}\t{escape(t)}\n")
    missing = sorted(r for r in rules if r not in seen and rules[r].pattern)
    for rid in missing:  # rules defined outside a one-rule function: samples from the regex
        rule, rng = rules[rid], random.Random(f"{seed}:{rid}")
        for _ in range(FALLBACK_TPS):
            sample = generate_go(rule.pattern, rng)
            if sample is not None and rule.reports(sample):
                out.write(f"{rid}\tpos\tgitleaks@{commit[:12]}:{TOML} (generated from the rule's regex)\t"
                          f"{escape(sample)}\n")
    print(f"gitleaks_cases: dropped {dropped['tp']} tps gitleaks would not report and {dropped['fp']} fps "
          f"it would; {len(missing)} rules from the regex only: {' '.join(missing)}", file=sys.stderr)


if __name__ == "__main__":
    main()
