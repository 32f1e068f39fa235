"""Seeded generation of strings from a regular expression, and the
translation of gitleaks' Go (RE2) patterns into Python's `re` syntax.

generate(pattern, rng) walks the tree that Python's own regex parser builds
(re._parser, formerly sre_parse) and picks, with `rng` (random.Random), one
string the pattern matches. Repetitions inside a capture group (the secret)
take a uniform count; outside one (keywords and filler around a secret) they
mostly take their minimum, so the text stays readable. Anchors and \\b are
not enforced: callers check the result with re.search and try again.
"""
import re
import string

try:
    from re import _constants as C, _parser as P  # Python 3.11+
except ImportError:  # pragma: no cover
    import sre_constants as C
    import sre_parse as P

PRINTABLE = [c for c in string.ascii_letters + string.digits + string.punctuation + " "]
WORD = string.ascii_letters + string.digits + "_"
CATEGORIES = {
    C.CATEGORY_DIGIT: string.digits,
    C.CATEGORY_NOT_DIGIT: string.ascii_letters,
    C.CATEGORY_SPACE: " ",
    C.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
    C.CATEGORY_WORD: WORD,
    C.CATEGORY_NOT_WORD: " -.",
}
POSIX = {
    "[:alnum:]": "a-zA-Z0-9", "[:alpha:]": "a-zA-Z", "[:digit:]": "0-9", "[:lower:]": "a-z",
    "[:upper:]": "A-Z", "[:xdigit:]": "0-9A-Fa-f", "[:space:]": r"\s", "[:word:]": r"\w",
    "[:punct:]": r"!-/:-@\[-`{-~",
}
UNBOUNDED_EXTRA = 8  # characters added to an open-ended repetition (x+, x*, x{3,})
GROUP_SPAN_CAP = 64  # at most this many over the minimum inside a group


def go_to_python(pattern):
    """Go RE2 syntax to Python `re`, and whether it must be case-insensitive.

    Python refuses a global (?i) after the start, so every (?i) is taken out
    and the whole pattern compiled with re.IGNORECASE: a little looser than
    gitleaks, which is fine for checking that a sample matches.
    """
    for posix, body in POSIX.items():
        pattern = pattern.replace(posix, body)
    pattern = pattern.replace(r"\z", r"\Z")
    ignore_case = "(?i)" in pattern
    pattern = pattern.replace("(?i)", "")
    return pattern, ignore_case


def compile_go(pattern):
    text, ignore_case = go_to_python(pattern)
    return re.compile(text, re.IGNORECASE if ignore_case else 0)


def _class_chars(items):
    chars, negate = set(), False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            chars.add(chr(av))
        elif op is C.RANGE:
            lo, hi = av
            chars.update(chr(c) for c in range(lo, min(hi, 0x7E) + 1))
        elif op is C.CATEGORY:
            chars.update(CATEGORIES.get(av, ""))
    if negate:
        chars = set(PRINTABLE) - chars
    return sorted(chars) or ["x"]


class _Walker:
    def __init__(self, rng):
        self.rng = rng
        self.groups = {}

    def seq(self, items, in_group):
        return "".join(self.node(op, av, in_group) for op, av in items)

    def node(self, op, av, in_group):
        rng = self.rng
        if op is C.LITERAL:
            return chr(av)
        if op is C.NOT_LITERAL:
            return rng.choice([c for c in string.ascii_letters if ord(c) != av])
        if op is C.ANY:
            return rng.choice(string.ascii_letters + string.digits)
        if op is C.IN:
            return rng.choice(_class_chars(av))
        if op is C.CATEGORY:
            return rng.choice(CATEGORIES.get(av, "x"))
        if op is C.BRANCH:
            return self.seq(rng.choice(av[1]), in_group)
        if op is C.SUBPATTERN:
            group, _, _, body = av
            text = self.seq(body, in_group or group is not None)
            if group is not None:
                self.groups[group] = text
            return text
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            lo, hi, body = av
            if hi is C.MAXREPEAT:
                hi = lo + UNBOUNDED_EXTRA
            if in_group:
                n = rng.randint(lo, min(hi, lo + GROUP_SPAN_CAP))
            else:
                n = lo if rng.random() < 0.7 else rng.randint(lo, min(hi, lo + 3))
            return "".join(self.seq(body, in_group) for _ in range(n))
        if op is C.GROUPREF:
            return self.groups.get(av, "")
        if op is getattr(C, "ATOMIC_GROUP", None):
            return self.seq(av, in_group)
        return ""  # AT (anchors, \b), ASSERT, ASSERT_NOT: not generated


def generate(pattern, rng):
    """One string for a Python-syntax pattern (see go_to_python)."""
    return _Walker(rng).seq(P.parse(pattern), False)


def generate_go(pattern, rng, tries=40):
    """A string the Go pattern matches (checked with re.search), or None."""
    text, ignore_case = go_to_python(pattern)
    compiled = re.compile(text, re.IGNORECASE if ignore_case else 0)
    for _ in range(tries):
        sample = generate(text, rng)
        if compiled.search(sample):
            return sample
    return None
