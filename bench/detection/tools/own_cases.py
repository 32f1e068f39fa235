#!/usr/bin/env python3
"""dlpd's own cases: chat-like messages, written for this corpus.

Positives are secrets and identifiers embedded in sentences, with valid
check digits computed here (Luhn, ISO 7064 mod 97, NHS mod 11, the Spanish
NIF letter). Negatives look like them and are not: placeholders, numbers
that fail their checksum, and everyday chat (order numbers, versions, UUIDs,
git SHAs, times). Kind `chat` is for negatives of no particular kind: only
the "any rule fired" false-positive figure counts them.

Usage: own_cases.py [SEED]   (writes TSV rows: kind, label, source, text)
"""
import random
import string
import sys

SOURCE = "own:bench/detection/tools/own_cases.py"


def luhn_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def card(rng, prefix, length):
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    return body + luhn_digit(body)


def group4(number):
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))


def iban(rng, country, bban_len, valid=True):
    bban = "".join(rng.choice(string.digits) for _ in range(bban_len))
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(digits) % 97
    if not valid:
        check = check % 97 + 1 if check < 97 else 2
    return f"{country}{check:02d}{bban}"


def nhs(rng):
    while True:
        body = "".join(rng.choice(string.digits) for _ in range(9))
        check = 11 - sum(int(d) * (10 - i) for i, d in enumerate(body)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return f"{body[:3]} {body[3:6]} {body[6:]}{check}"


def es_nif(rng):
    n = rng.randint(10000000, 99999999)
    return f"{n}{'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}"


def token(rng, alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


ALNUM = string.ascii_letters + string.digits
LEAD = ["hey, ", "fyi ", "quick one: ", "", "@channel ", "ok so ", "per the ticket, ", "pinging again - "]


def positives(rng):
    say = lambda: rng.choice(LEAD)  # noqa: E731
    for _ in range(6):
        c = card(rng, "4", 16)
        yield "credit_card", f"{say()}can you charge my card {group4(c)} for the renewal?"
        c = card(rng, rng.choice(["51", "53", "55", "2221"]), 16)
        yield "credit_card", f"{say()}the corporate mastercard is {c}, exp 09/28"
        c = card(rng, rng.choice(["34", "37"]), 15)
        yield "credit_card", f"amex {c[:4]} {c[4:10]} {c[10:]} is the one on file"
    for _ in range(5):
        area = rng.choice([rng.randint(1, 665), rng.randint(667, 899)])
        ssn = f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
        yield "us_ssn", f"{say()}her SSN is {ssn}, please update the HR record"
    for country, n in (("DE", 18), ("GB", 18), ("FR", 23), ("ES", 20), ("NL", 14), ("IT", 23)):
        yield "iban_code", f"{say()}wire it to {iban(rng, country, n)} by friday"
    for _ in range(3):
        yield "uk_nhs", f"patient NHS number {nhs(rng)} - booked for tuesday"
        yield "es_nif", f"mi NIF es {es_nif(rng)}, gracias"
        yield "email_address", f"send the invoice to {token(rng, string.ascii_lowercase, 7)}@example-corp.com"
    for _ in range(4):
        yield "aws-access-token", f"{say()}aws key AKIA{token(rng, string.ascii_uppercase + '234567', 16)} " \
                                  "from the old jenkins box"
        yield "github-pat", f"use my token ghp_{token(rng, ALNUM, 36)} until the app is approved"
        yield "slack-bot-token", f"bot token: xoxb-{rng.randint(10**11, 10**12)}-{rng.randint(10**12, 10**13)}-" \
                                 f"{token(rng, ALNUM, 24)}"
        yield "stripe-access-token", f"stripe live key sk_live_{token(rng, ALNUM, 24)} (rotate after!)"
        yield "gitlab-pat", f"{say()}glpat-{token(rng, ALNUM + '_-', 20)} is the CI token"
        yield "openai-api-key", f"try sk-proj-{token(rng, ALNUM, 58)}T3BlbkFJ{token(rng, ALNUM, 58)} for the demo"
    yield "private-key", ("here's the deploy key\n-----BEGIN OPENSSH PRIVATE KEY-----\n"
                          f"b3BlbnNzaC1rZXktdjEAAAAA{token(rng, ALNUM, 40)}\n-----END OPENSSH PRIVATE KEY-----")
    yield "private-key", ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA"
                          f"{token(rng, ALNUM, 48)}\n-----END RSA PRIVATE KEY-----")


NEGATIVES = [
    ("chat", "order #4111-2233-9087 shipped this morning"),
    ("chat", "we're on v2.14.3, upgrade to 2.15.0-rc1 next sprint"),
    ("chat", "request id 3f2b8c1e-9a4d-4e7f-b6a2-0c5d9e8f1a23 failed with 502"),
    ("chat", "fixed in 9fceb02d0ae598e95dc970b74767f19372d61af8, cherry-pick it"),
    ("chat", "see commit a1b2c3d and PR #4821"),
    ("chat", "call me at ext 4471 after 3pm"),
    ("chat", "the build took 1234567890 ms?? something is off"),
    ("chat", "ticket OPS-20931 is blocked on JIRA-1182"),
    ("chat", "meeting moved to 2024-03-15 14:30 UTC"),
    ("chat", "lat/long 51.5074, -0.1278 for the venue"),
    ("chat", "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 of the empty file"),
    ("chat", "docker image sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1"),
    ("chat", "the password field must be at least 12 characters"),
    ("chat", "set API_KEY in your .env, don't paste it here"),
    ("chat", "token expired again, I'll regenerate it in the console"),
    ("chat", "tracking number 1Z999AA10123456784"),
    ("chat", "invoice INV-2023-000417 total 1,234.56 EUR"),
    ("chat", "port 8080 and 443 are open on 10.0.0.0/8? no, only internal"),
    ("chat", "serial number SN-48213-7781-0092 on the back of the laptop"),
    ("chat", "my employee id is 004417, badge 88213"),
    ("chat", "phone-like but not: 123-456-7890 is the default in the form"),
    ("chat", "ISBN 978-3-16-148410-0 is the book I mentioned"),
    ("chat", "use the example key from the docs, it's all x's"),
    ("chat", "build 20240315.4 passed, 4821 tests, 0 failures"),
    ("chat", "base64 of hello is aGVsbG8=, not a secret"),
    ("credit_card", "test card 4111 1111 1111 1112 should be declined (bad checksum)"),
    ("credit_card", "card ending 1111, the full number is in the vault"),
    ("credit_card", "order 5500 0000 0000 0005 failed? no, that number fails luhn"),
    ("credit_card", "ref 4242-4242-4242-4241 from the screenshot"),
    ("credit_card", "1234 5678 9012 3456 is a placeholder"),
    ("credit_card", "**** **** **** 4242 was charged"),
    ("iban_code", "example IBAN DE00 1234 5678 9012 3456 78 (invalid check digits)"),
    ("iban_code", "GB00WEST12345698765432 is not a real account"),
    ("iban_code", "the field says IBAN: XX00 0000 0000 0000"),
    ("us_ssn", "SSN format is XXX-XX-XXXX"),
    ("us_ssn", "000-12-3456 is never issued"),
    ("us_ssn", "666-45-6789 and 900-12-3456 are invalid ranges"),
    ("us_ssn", "the ticket is 123-45-678 (too short)"),
    ("aws-access-token", "the docs use AKIAIOSFODNN7EXAMPLE as the key id"),
    ("aws-access-token", "aws_access_key_id = AKIAXXXXXXXXXXXXXXXX"),
    ("aws-access-token", "prefix AKIA means a long-term key, ASIA a temporary one"),
    ("github-pat", "paste your ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx here"),
    ("github-pat", "tokens start with ghp_ or github_pat_"),
    ("slack-bot-token", "bot tokens look like xoxb-XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX"),
    ("slack-user-token", "xoxe.xoxp-1-RANDOMSTRINGHERE is what the tutorial shows"),
    ("slack-user-token", "user tokens (xoxp-...) need the users:read scope"),
    ("slack-webhook-url", "webhooks are https://hooks.slack.com/services/T000/B000/XXXX in the docs"),
    ("stripe-access-token", "use sk_test_... for local dev, never sk_live_"),
    ("stripe-access-token", "pk_live_ keys are publishable, that's fine to share"),
    ("private-key", "the file starts with -----BEGIN PUBLIC KEY----- so it's the public half"),
    ("private-key", "grep for 'BEGIN PRIVATE KEY' in the repo please"),
    ("jwt", "JWTs start with eyJ, that's base64 for {\""),
    ("gitlab-pat", "gitlab PATs have the glpat- prefix"),
    ("openai-api-key", "OpenAI keys start with sk- and you should keep them out of slack"),
    ("email_address", "email me at firstname dot lastname at company"),
    ("uk_nhs", "NHS number 401 023 2138 fails the check digit"),
    ("es_nif", "DNI 12345678A has the wrong letter"),
]


def main():
    rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 13)
    rows = [(k, "pos", t) for k, t in positives(rng)] + [(k, "neg", t) for k, t in NEGATIVES]
    for kind, label, text in rows:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        sys.stdout.write(f"{kind}\t{label}\t{SOURCE}\t{text}\n")


if __name__ == "__main__":
    main()
