#!/usr/bin/env python3
"""Labelled samples from Microsoft Presidio's pattern-recognizer tests.

Reads presidio-analyzer/tests/test_*_recognizer.py from a bare clone of
microsoft/presidio with `git show`, parses each file with `ast` (nothing is
imported or run) and takes the pytest parametrize lists whose first column is
the text: a row expecting one or more results is a positive of the test's
entity, a row expecting none a negative. Lists of ('text',) alone count as
negatives when their test asserts `len(results) == 0`.

Only the strings are taken; the kind is Presidio's entity name in lower case
(CREDIT_CARD -> credit_card). Recognizers that need an NLP model or a remote
service, and the date recognizer, are left out (see SKIP).

Usage: presidio_cases.py GIT_DIR   (writes TSV rows: kind, label, source, text)
"""
import ast
import subprocess
import sys

TESTS = "presidio-analyzer/tests/"
# Not predefined pattern recognizers (NER, LLM, remote services), the date
# recognizer (out of scope for issue 13), and framework tests.
SKIP = {
    "ahds", "ahds_recognizer_credential_selection", "azure_ai_language", "azure_openai_langextract",
    "basic_langextract", "date", "entity", "gliner", "huggingface_ner", "lm", "medical_ner", "pattern",
    "recognizer_registry", "recognizer_registry_provider", "recognizer_result", "recognizers_loader_utils",
    "spacy", "stanza", "transformers", "yaml_recognizer_models",
}
TEXT_COLUMNS = ("text", "iban")
# Parameter lists that vary a recognizer setting: the same text then has
# different expected counts, so none of them is a label of the default.
VARYING_COLUMNS = ("leniency", "deny_list", "flag")


def git(git_dir, *args):
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True, capture_output=True,
                          text=True).stdout


def fixture_entities(tree):
    """The list returned by the module's `entities` fixture, if any."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "entities":
            for stmt in ast.walk(node):
                if isinstance(stmt, ast.Return):
                    try:
                        return list(ast.literal_eval(stmt.value))
                    except ValueError:
                        return None
    return None


def rows_of(func, deco, entities):
    columns = [c.strip() for c in ast.literal_eval(deco.args[0]).split(",")]
    if columns[0] not in TEXT_COLUMNS or any(c in VARYING_COLUMNS for c in columns):
        return
    count_col = next((i for i, c in enumerate(columns) if c == "expected_len"), None)
    all_negative = False
    if count_col is None:
        body = ast.unparse(func)
        if len(columns) != 1 or "len(results) == 0" not in body:
            return
        all_negative = True
    entity_col = columns.index("entities") if "entities" in columns else None
    for element in deco.args[1].elts:
        # Only the text, the count and the entities need be literals; the
        # other columns may name constants of the test module.
        cells = element.elts if isinstance(element, (ast.Tuple, ast.List)) else [element]
        try:
            text = ast.literal_eval(cells[0])
            count = 0 if all_negative else ast.literal_eval(cells[count_col])
            kinds = ast.literal_eval(cells[entity_col]) if entity_col is not None else entities
        except ValueError:
            continue  # a text built by code (a checksum computed by the test), not a literal
        if not isinstance(text, str) or not isinstance(count, int):
            continue
        if not kinds:
            continue
        label = "pos" if count >= 1 else "neg"
        yield kinds[0].lower(), label, element.lineno, text


def main():
    git_dir = sys.argv[1]
    commit = git(git_dir, "rev-parse", "HEAD").strip()
    files = git(git_dir, "ls-tree", "--name-only", "HEAD", TESTS).split()
    out = sys.stdout
    for path in files:
        name = path[len(TESTS):]
        if not (name.startswith("test_") and name.endswith("_recognizer.py")):
            continue
        if name[len("test_"):-len("_recognizer.py")] in SKIP:
            continue
        source = git(git_dir, "show", f"{commit}:{path}")
        tree = ast.parse(source)
        entities = fixture_entities(tree)
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef):
                continue
            for deco in func.decorator_list:
                if isinstance(deco, ast.Call) and getattr(deco.func, "attr", "") == "parametrize":
                    for kind, label, line, text in rows_of(func, deco, entities):
                        out.write(f"{kind}\t{label}\tpresidio@{commit[:12]}:{path}:{line}\t"
                                  f"{escape(text)}\n")


def escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


if __name__ == "__main__":
    main()
