#!/usr/bin/env python3
"""Writes samples.jsonl: the labelled personal data and credentials the
data-minimization tests plant everywhere, and near-misses that must survive.

Every value is made here: synthetic people, numbers from documented test
ranges (555-01xx, example.com, 2001:db8::/32, the card networks' test
numbers and fresh Luhn-valid ones), IBANs with computed check digits.
Deterministic (seeded): running it again writes the same file, which the
test suite checks.

Each line: {"id", "text", "tokens": [{"kind", "value"}], "near_miss"?}.
A near-miss has no tokens; `near_miss` names the kind it imitates.
"""

import base64
import json
import random
import string
import sys
from pathlib import Path

rng = random.Random(20261204)

FIRST = ["jane", "omar", "li", "maría", "kwame", "anna", "dmitri", "priya", "chen", "sofia", "lukas", "aiko"]
LAST = ["doe", "haddad", "wei", "garcía", "mensah", "kowalska", "ivanov", "sharma", "zhang", "rossi", "müller", "tanaka"]
DOMAINS = ["example.com", "example.org", "mail.example.net", "corp.example.co.uk", "example.de", "eu.example.io"]


def email():
    first, last = rng.choice(FIRST), rng.choice(LAST)
    local = rng.choice([f"{first}.{last}", f"{first}{rng.randint(1, 99)}", f"{first[0]}{last}", f"{first}+{rng.choice(['ci', 'billing', 'test'])}", f"{first}_{last}"])
    if rng.random() < 0.2:
        local = local.upper()
    return f"{local}@{rng.choice(DOMAINS)}"


def luhn_complete(prefix, length):
    digits = [int(c) for c in prefix]
    while len(digits) < length - 1:
        digits.append(rng.randint(0, 9))
    for check in range(10):
        candidate = digits + [check]
        total = 0
        for i, d in enumerate(reversed(candidate)):
            if i % 2 == 1:
                d *= 2
                d = d - 9 if d > 9 else d
            total += d
        if total % 10 == 0:
            return "".join(map(str, candidate))
    raise AssertionError


def luhn_broken(number):
    last = int(number[-1])
    return number[:-1] + str((last + rng.randint(1, 9)) % 10)


def card():
    prefix, length, grouping = rng.choice([
        ("4", 16, [4, 4, 4, 4]), ("51", 16, [4, 4, 4, 4]), ("55", 16, [4, 4, 4, 4]), ("2221", 16, [4, 4, 4, 4]),
        ("34", 15, [4, 6, 5]), ("37", 15, [4, 6, 5]), ("6011", 16, [4, 4, 4, 4]), ("65", 16, [4, 4, 4, 4]),
        ("3528", 16, [4, 4, 4, 4]), ("36", 14, [4, 6, 4]), ("4", 13, [13]), ("4", 19, [4, 4, 4, 4, 3]),
    ])
    number = luhn_complete(prefix, length)
    return group(number, grouping, rng.choice([" ", "-", ""]))


def group(number, grouping, sep):
    parts, at = [], 0
    for size in grouping:
        parts.append(number[at:at + size])
        at += size
    return sep.join(parts)


def iban_check(country, bban):
    rearranged = bban + country + "00"
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    return f"{98 - int(numeric) % 97:02d}"


IBAN_FORMATS = {"DE": 18, "FR": 23, "GB": 18, "NL": 14, "ES": 20, "IT": 23, "BE": 12, "CH": 17, "AT": 16, "PL": 24}


def bban(country):
    length = IBAN_FORMATS[country]
    if country == "GB":
        return "NWBK" + "".join(rng.choice(string.digits) for _ in range(14))
    if country == "NL":
        return "ABNA" + "".join(rng.choice(string.digits) for _ in range(10))
    if country == "IT":
        return "X" + "".join(rng.choice(string.digits) for _ in range(10)) + "".join(rng.choice(string.digits) for _ in range(12))
    return "".join(rng.choice(string.digits) for _ in range(length))


def iban(spaced=None):
    country = rng.choice(list(IBAN_FORMATS))
    body = bban(country)
    value = country + iban_check(country, body) + body
    if spaced if spaced is not None else rng.random() < 0.5:
        value = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
    return value


def ssn():
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            break
    sep = rng.choice(["-", "-", " "])
    return f"{area:03d}{sep}{rng.randint(1, 99):02d}{sep}{rng.randint(1, 9999):04d}"


def phone():
    n = lambda k: "".join(rng.choice(string.digits) for _ in range(k))
    area = f"{rng.randint(2, 9)}{n(2)}"
    line = f"01{n(2)}"
    return rng.choice([
        f"+1 {area} 555 {line}", f"+1{area}555{line}", f"({area}) 555-{line}", f"{area}-555-{line}", f"{area}.555.{line}",
        f"1-800-555-{line}", f"+44 20 7946 {n(4)}", f"+442079460{n(3)}", f"020 7946 {n(4)}", f"07700 900{n(3)}",
        f"+49 30 {n(8)}", f"+33 1 {n(2)} {n(2)} {n(2)} {n(2)}", f"01 {n(2)} {n(2)} {n(2)} {n(2)}", f"+91 98{n(3)} {n(5)}",
        f"+81-3-{n(4)}-{n(4)}", f"030/{n(7)}", f"+61 2 {n(4)} {n(4)}",
    ])


def ipv4():
    return rng.choice([
        f"203.0.113.{rng.randint(1, 254)}", f"198.51.100.{rng.randint(1, 254)}", f"192.0.2.{rng.randint(1, 254)}",
        f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}", f"172.16.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
    ])


def ipv6():
    h = lambda: f"{rng.randint(0, 0xffff):x}"
    return rng.choice([
        f"2001:db8::{h()}", f"2001:db8:{h()}:{h()}::{h()}", f"2001:0db8:{h()}:{h()}:{h()}:{h()}:{h()}:{h()}",
        f"fe80::{h()}:{h()}", f"::ffff:192.0.2.{rng.randint(1, 254)}", "::1",
    ])


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt():
    header = b64url(json.dumps({"alg": rng.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}).encode())
    payload = b64url(json.dumps({"sub": f"usr_{rng.randint(10**9, 10**10)}", "iat": 1733300000 + rng.randint(0, 10**6)}).encode())
    signature = b64url(rng.randbytes(32))
    return f"{header}.{payload}.{signature}"


def token(alphabet, k):
    return "".join(rng.choice(alphabet) for _ in range(k))


ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "-_"


def api_key():
    return rng.choice([
        lambda: rng.choice(["sk_live_", "pk_live_", "sr_live_", "mcp_live_"]) + b64url(rng.randbytes(32)),
        lambda: "whsec_" + base64.b64encode(rng.randbytes(32)).decode(),
        lambda: rng.choice(["ghp_", "gho_", "ghs_"]) + token(ALNUM, 36),
        lambda: "github_pat_" + token(ALNUM + "_", 82),
        lambda: "glpat-" + token(URLSAFE, 20),
        lambda: "xoxb-" + f"{rng.randint(10**10, 10**11)}-{rng.randint(10**10, 10**11)}-" + token(ALNUM, 24),
        lambda: "sk_test_" + token(ALNUM, 24),
        lambda: "sk-proj-" + token(URLSAFE, 48),
        lambda: "sk-ant-api03-" + token(URLSAFE, 40),
        lambda: "AIza" + token(URLSAFE, 35),
        lambda: "SG." + token(URLSAFE, 22) + "." + token(URLSAFE, 43),
        lambda: "npm_" + token(ALNUM, 36),
        lambda: "hf_" + token(ALNUM, 34),
    ])()


def aws_key():
    return rng.choice(["AKIA", "ASIA"]) + token(string.ascii_uppercase + "234567", 16)


CONTEXTS = [
    "{v}",
    "contact: {v}",
    "Please reach out to {v} before Friday.",
    "{{\"value\": \"{v}\"}}",
    "customer={v}; plan=pro",
    "updated billing details ({v}) for the account",
    "ERROR lookup failed for '{v}': not found",
    "note: {v}, then retry",
    "<td>{v}</td>",
    "from={v}&to=ops",
    "- {v}\n- next line",
    "\"{v}\"",
]

KINDS = {
    "email": email,
    "phone": phone,
    "ssn": ssn,
    "credit_card": card,
    "ip_address": lambda: ipv4() if rng.random() < 0.55 else ipv6(),
    "iban": iban,
    "jwt": jwt,
    "api_key": api_key,
    "aws_access_key": aws_key,
}

# Shapes that look like a kind but are not one: each must pass untouched.
NEAR_MISSES = {
    "email": [
        "logo@2x.png", "icon@3x.webp", "user@localhost", "admin@intranet", "@scope/pkg@1.2.3", "a@b.c",
        "twitter handle @jane_doe", "git tag v1.0@HEAD", "email at example dot com", "name@", "@example.com",
    ],
    "phone": [
        "2024-12-04", "01-02-2024", "on 01/02/2024 at 10:30", "v1.2.3", "build 20241204", "+123", "+12 34",
        "ticket 4155", "ISO 8601: 2026-12-04T19:23:00Z", "port 5432", "timeout 30000 ms", "size 1,048,576 bytes",
        "version 10.15.7", "12.5 kg", "the year 1999", "room 1204-B",
    ],
    "ssn": [
        "000-12-3456", "666-45-6789", "912-34-5678", "123-00-4567", "123-45-0000", "123-45 6789", "2024-12-0004",
        "ref 12-345-6789", "model 123-456-7890-1",
    ],
    "credit_card": [],
    "ip_address": [
        "std::io::Read", "use crate::base::ids;", "12:30:45", "00:1a:2b:3c:4d:5e", "1.2.3.4.5", "10.0.0.256",
        "version 1.2.3", "OID 1.3.6.1.4.1.311", "ratio 16:9", "Foo::bar::baz()", "999.1.1.1", "a:b:c",
        "timestamp 2026-12-04 19:23:45", "sha 0123:4567", "C:\\Windows\\System32",
    ],
    "iban": [],
    "jwt": [
        "eyJhbGciOiJIUzI1NiJ9", "header.payload.signature", "eyJ.eyJ.sig", "ey.Jh.bG",
        "base64 eyJvayI6dHJ1ZX0= decoded",
    ],
    "api_key": [
        "prefix sk_live_ and last4 Ab3d", "sk_live_short", "ghp_short", "task-runner-config", "pk_name", "sk-short",
        "xoxb-", "mcp_live_", "whsec_", "AIza", "npm_install", "hf_hub_download", "risk_level_high",
    ],
    "aws_access_key": [
        "AKIA", "AKIASHORT", "akiaiosfodnn7example", "AKIAIOSFODNN7EXAMPL", "ARN arn:aws:iam::123456789012:role/x",
        "ASIA-PACIFIC region",
    ],
}

# Ids and values the product itself writes into metadata: never findings.
PRODUCT_VALUES = [
    "org_01JD9ZK3QW8X7V6T5S4R3Q2P1N", "prj_01JEA1B2C3D4E5F6G7H8J9K0MN", "key_01JEA1B2C3D4E5F6G7H8J9K0MN",
    "evt_01JEA1B2C3D4E5F6G7H8J9K0MN", "req_4f6c2b1a9e8d7c6b", "whk_01JEA1B2C3D4E5F6G7H8J9K0MN",
    "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "550e8400-e29b-41d4-a716-446655440000", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "2026-12-04T19:23:45.123456Z", "1733300000", "https://hooks.example.com/webhooks/acme", "sk_live_", "last4=9x2Q",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cred_01JE-AbCdEf", "duration_ms=1234567",
    "ULID 01JEA1B2C3D4E5F6G7H8J9K0MN", "git 4b825dc642cb6eb9a060e54bf8d69288fbee4904", "$1,234,567.89",
    "ISBN 978-3-16-148410-0", "semver 12.3.4567",
]


# Written by hand: the forms real text takes around a value.
HANDWRITTEN = [
    ("mailto:jane.doe@example.com?subject=hi", [("email", "jane.doe@example.com")]),
    ("tel:+14155550123", [("phone", "+14155550123")]),
    ("listening on [2001:db8::1]:443", [("ip_address", "2001:db8::1")]),
    ("upstream 203.0.113.5:8080 refused", [("ip_address", "203.0.113.5")]),
    ("X-Forwarded-For: 198.51.100.7, 10.0.0.1", [("ip_address", "198.51.100.7"), ("ip_address", "10.0.0.1")]),
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJlLXZhbHVl", [("jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJlLXZhbHVl")]),
    ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", [("aws_access_key", "AKIAIOSFODNN7EXAMPLE")]),
    ("card=4111-1111-1111-1111&exp=12/29", [("credit_card", "4111-1111-1111-1111")]),
    ("SSN: 078-05-1120", [("ssn", "078-05-1120")]),
    ("IBAN: GB29 NWBK 6016 1331 9268 19", [("iban", "GB29 NWBK 6016 1331 9268 19")]),
    ("{\"phone\":\"+4915112345678\"}", [("phone", "+4915112345678")]),
    ("Call me at (212) 555-0147 or 212.555.0148", [("phone", "(212) 555-0147"), ("phone", "212.555.0148")]),
    ("export GITHUB_TOKEN=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", [("api_key", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789")]),
    ("Amex 3714 496353 98431 on file", [("credit_card", "3714 496353 98431")]),
]

HANDWRITTEN_NEAR_MISSES = [
    ("credit_card", "price: 4111.11 USD"),
    ("credit_card", "USPS 9400 1000 0000 0000 0000 00"),
    ("ip_address", "uuid 123e4567-e89b-12d3-a456-426614174000"),
    ("phone", "coordinates 40.7128, -74.0060"),
    ("ip_address", "HTTP/1.1 200 OK"),
    ("phone", "invoice INV-2026-000123"),
    ("email", "see https://example.com/@jane/posts"),
]


def card_near_misses():
    out = []
    for _ in range(12):
        number = luhn_complete(rng.choice(["4", "51", "37", "6011"]), rng.choice([16, 16, 15]))
        out.append(group(luhn_broken(number), [4, 4, 4, 4] if len(number) == 16 else [4, 6, 5], rng.choice([" ", "-", ""])))
    for _ in range(6):
        out.append(luhn_complete(rng.choice(["9", "1", "0"]), 16))  # Luhn-valid, no network's prefix
    out += ["order 2024120419234512", "tracking 1Z999AA10123456784"]
    return out


def iban_near_misses():
    out = []
    for _ in range(10):
        value = iban(spaced=False)
        check = int(value[2:4])
        out.append(value[:2] + f"{(check + rng.randint(1, 50)) % 97 + 2:02d}"[-2:] + value[4:])
    out += ["XX12 3456 7890 1234 5678", "DE89 3704 0044 0532 0130", "ISO 13616"]
    return out


def main():
    samples = []
    for kind, make in KINDS.items():
        for i in range(26):
            value = make()
            text = CONTEXTS[i % len(CONTEXTS)].format(v=value)
            samples.append({"id": f"{kind}-{i + 1:03d}", "text": text, "tokens": [{"kind": kind, "value": value}]})
    for i in range(30):
        kinds = rng.sample(list(KINDS), 3)
        values = [(k, KINDS[k]()) for k in kinds]
        text = f"ticket #{1000 + i}: {values[0][1]} asked us to move {values[1][1]} (see {values[2][1]})"
        samples.append({"id": f"mixed-{i + 1:03d}", "text": text, "tokens": [{"kind": k, "value": v} for k, v in values]})
    for i, (text, tokens) in enumerate(HANDWRITTEN):
        samples.append({"id": f"hand-{i + 1:03d}", "text": text, "tokens": [{"kind": k, "value": v} for k, v in tokens]})
    for i, (kind, text) in enumerate(HANDWRITTEN_NEAR_MISSES):
        samples.append({"id": f"hand-near-{i + 1:03d}", "text": text, "tokens": [], "near_miss": kind})
    NEAR_MISSES["credit_card"] = card_near_misses()
    NEAR_MISSES["iban"] = iban_near_misses()
    for kind, texts in NEAR_MISSES.items():
        for i, text in enumerate(texts):
            samples.append({"id": f"near-{kind}-{i + 1:03d}", "text": text, "tokens": [], "near_miss": kind})
    for i, text in enumerate(PRODUCT_VALUES):
        samples.append({"id": f"product-{i + 1:03d}", "text": text, "tokens": []})
    out = Path(__file__).with_name("samples.jsonl")
    body = "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in samples)
    if sys.argv[1:] == ["--check"]:
        if out.read_text(encoding="utf-8") != body:
            sys.exit(f"{out} is not what {Path(__file__).name} writes; run it")
        return
    out.write_text(body, encoding="utf-8")
    print(f"{len(samples)} samples")


if __name__ == "__main__":
    main()
