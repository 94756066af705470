#!/usr/bin/python3
"""Builds the leaks corpus (tests/corpus/leaks.jsonl, issue 11) from the specs in
tests/corpus/leaks/*.yaml. Format of the output: docs in shared notes "leaks-corpus-format.md";
one JSON object per line with id, label, category, path, text and (positives) secrets.

Every value is made up here, from one seeded generator: the output is the same on every run and
no value is a real credential. Run it after changing a spec, then commit leaks.jsonl:

    python3 tests/corpus/leaks.py [SPEC_DIR [OUT]]        # needs python3-yaml

It prints a summary and checks itself: each planted value is read back from the rendered text
at its span; positives hold no reserved documentation hosts (example.com, *.test, ...) and no
allow markers; no marker is left and no generator element stands outside a marker (text outside
markers is copied as is); the rendered JSON/YAML/XML/TOML files parse (unless `syntax: none`).

Spec files
----------
A spec file is a YAML mapping:

  category: git-tools              # default category of its templates
  templates:
    - id: npmrc/scoped-auth-token  # unique; samples are ID/0, ID/1, ID/2
      path: .npmrc                 # may hold {{value:...}} / {{$var}} markers
      category: git-tools          # optional; a negative class makes the sample a negative
      vars:                        # optional, evaluated in order, fresh for every variant
        user: '{user}'
        pw: '{password:human}'
      crlf: true                   # optional: lines end in CR LF (Windows-written files)
      syntax: none                 # optional: do not parse-check (json|yaml|xml|toml|none)
      raw_braces: true             # optional: the text may hold '{org}'-like braces outside markers
      text: |
        @acme:registry=https://npm.{{value:{org}}}.internal/
        //npm.acme.internal/:_authToken={{secret:{crc:npm_}}}

Each template is rendered into 3 variants with fresh values. Categories: git-tools, frameworks,
desktop-tools, hashes, generic, encoded, urls (positives); placeholder, reference, identifier,
prose, code, data (negatives). A positive must plant at least one secret, a negative none.

Markers in text (and path)
--------------------------
  {{secret:EXPR}}            a planted secret: written as-is and listed with its span. Its
                             `what` is guessed from EXPR (key > hash > password > token)
  {{secret.WHAT:EXPR}}       the same with an explicit `what` (password, token, key, hash, ...)
  {{secret=VAR:EXPR}}        (or {{secret.WHAT=VAR:EXPR}}) also remembers the value as $VAR
  {{value:EXPR}}             a made-up value that is not a secret (no span)
  {{value=VAR:EXPR}}         the same, remembered as $VAR
  {{$VAR}}                   a remembered value or a `vars:` entry, as plain text

EXPR is a template: literal text, generator elements in braces, $VAR references and function
calls. `\\` escapes the next character (write \\{ \\} \\( \\) \\, \\$ \\| for literal ones);
\\n and \\t are a newline and a tab.

Generator elements, besides those of generate.py (reused through generate.expand: {hex:N},
{HEX:N}, {digit:N}, {upper:N}, {lower:N}, {alpha:N}, {alnum:N}, {ualnum:N}, {lalnum:N},
{b64:N}, {b64url:N}, {b32:N} (N or N-M characters), {uuid}, {base64:N} (N random bytes),
{pem:N}, {crc:PREFIX}, {jwt}, {openssh}):

  {password}                 a password a person uses: human-chosen (70%) or random (30%)
  {password:human}           word-based with digits and symbols, leet substitutions, names:
                             Summer2024!x, S3cr3tPassw0rd, bria@pass135!, BlueHorse42#
  {password:random}          12-24 random characters with symbols ({password:random:16-20})
  {password:STYLE:SYMBOLS}   only these symbols (e.g. {password:human:!.-_}), or a named set:
                             none, safe (!#%&*+-=?@^_.: no quotes, $, backslash, ;, spaces),
                             url (-._~), word (-_.)
  {django:N} {wpsalt}        Django SECRET_KEY alphabet; a WordPress key/salt (64 characters)
  {pybytes:N}                the inside of a Python bytes literal of N random bytes (\\x8f...)
  {crypt:1|5|6|y}            crypt-shaped hashes ($1$ salt 8/hash 22; $5$ and $6$ salt 16 with
                             hash 43/86, sometimes rounds=; $y$j9T$ salt 22/hash 43)
  {apr1} {bcrypt} {bcrypt:2a|2b|2y[:COST]} {descrypt} {argon2} {pbkdf2django} {scram}
  {phpass} {grubpbkdf2} {mosquitto}  phpass ($P$B...), GRUB's PBKDF2, mosquitto_passwd's $7$
  {jenkins} {jenkins:N}      a Jenkins secret ({AQAAABAAAAA...=}, braces included; N bytes)
  {mvnenc}                   a Maven encrypted password ({...=}, braces included)
  {dpapi} {dpapihex}         a DPAPI blob in base64 (NuGet's Password) or hex (.rdp password 51)
  {rsapem} {ecpem} {pkcs8pem} a whole PEM private key (DER-shaped body, 64-column lines)
  {sshpub:ed25519|rsa} {sshpriv:ed25519|rsa}  base64 of an SSH public blob / PuTTY private blob
  {regbin:N}                 N random bytes as a .reg file writes hex: values (e1,4f,...)
  {user} {name} {word} {org} {host} {host:PREFIX} {ip} {port} {db} {email} {year} {int:A-B}
  {pick:A|B|C}               one of the options (each option is itself an EXPR)

Functions (arguments are EXPRs separated by commas):
  base64(X) b64url(X) (URL-safe, no padding) hex(X) HEX(X) pct(X) (percent-encoding, RFC 3986
  unreserved kept) json(X) (escaped for a JSON string) xml(X) (escaped for XML text/attributes)
  wrap(X,N) (lines of N characters) indent(X,N) (lines after the first indented by N spaces)
  jbxor(X) (JetBrains' old XOR password encoding)
  winscp(USER,HOST,PW) (WinSCP's obfuscated Password= value) mysql41(X) pgmd5(PW,USER)
  htsha(X) ({SHA} of htpasswd) sha256(X) md5(X) upper(X) lower(X) dollars(X) ($ doubled, Compose)
"""
import base64
import collections
import hashlib
import json
import os
import random
import re
import string
import sys
import tomllib
import urllib.parse
import xml.dom.minidom

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate  # noqa: E402  (the token-template language of the main corpus)

SEED = 20261211
rng = generate.rng = random.Random(SEED)
VARIANTS = 3
POSITIVE = ["git-tools", "frameworks", "desktop-tools", "hashes", "generic", "encoded", "urls"]
NEGATIVE = ["placeholder", "reference", "identifier", "prose", "code", "data"]

# ---------------------------------------------------------------- value generators

WORDS = """summer winter spring autumn sunshine dragon monkey shadow master welcome football
baseball soccer hockey tiger falcon eagle rocket coffee cookie banana orange purple yellow silver
golden diamond thunder lightning freedom liberty princess charlie jordan hunter ranger pepper
ginger butter cheese pizza guitar piano music dance flower garden forest river ocean island
mountain valley castle knight wizard phoenix matrix planet galaxy cosmos horizon sunset
midnight morning kitten puppy doggie bunny turtle penguin dolphin panther jaguar mustang
ferrari porsche corvette harley yankees lakers chelsea arsenal liverpool barcelona london berlin
paris madrid vienna tokyo boston denver dallas chicago password secret admin letmein access
trustno login passw0rd qwerty office server database backup deploy release staging network
company project spartan viking pirate ninja samurai cowboy angel devil heaven winter bluebird
redwood maple willow cedar harbor anchor compass lantern marble copper cobalt""".split()
NAMES = """bria tom anna mike lisa john sarah david emma chris laura peter julia mark nina paul
olga ivan sven lena omar priya raj chen wei yuki kenji maria jose lucas sofia noah mia leon
elias hannah jonas clara felix marta tobias""".split()
SURNAMES = "smith mueller garcia kowalski novak rossi jensen tanaka kim singh berg olsen petrov".split()
ORGS = """acme globex initech umbrella hooli vandelay soylent wonka stark wayne tyrell cyberdyne
oscorp nakatomi massive dunder pied bluth prestige kruger northwind contoso fabrikam tailspin
lumon veridian zenith orbital helios""".split()
TLDS = ["internal", "corp", "lan"]
HOST_PREFIXES = """db db01 db02 pg-main mysql-prod mariadb git gitlab nexus artifactory registry
ci build jenkins mail smtp imap ftp files sftp vault ldap redis mq rabbit kafka mongo es-01
staging prod-app api intranet wiki backup nas storage""".split()
DBS = "app appdb billing inventory orders crm wordpress shop analytics users payments reporting".split()
LEET = {"a": "@", "e": "3", "i": "1", "o": "0", "s": "$", "t": "7", "l": "1"}
HUMAN_SYMBOLS = "!@#$%&*?.-_+"
RANDOM_SYMBOLS = "!@#$%^&*()-_=+[]{}<>?.,~:;/|"


SYMBOL_SETS = {"none": "", "safe": "!#%&*+-=?@^_.", "url": "-._~", "word": "-_."}


def _sym(allowed, default):
    if allowed is None:
        return default
    return SYMBOL_SETS.get(allowed, allowed)


def leet(word, p=0.7):
    return "".join(LEET[c] if c in LEET and rng.random() < p else c for c in word)


def human_password(symbols=None):
    syms = _sym(symbols, HUMAN_SYMBOLS)
    s = lambda: rng.choice(syms) if syms else ""
    w = lambda: rng.choice(WORDS)
    year = lambda: str(rng.randrange(1975, 2027))
    digits = lambda: str(rng.randrange(1, 10 ** rng.randrange(1, 5)))
    style = rng.randrange(10)
    if style == 0:  # Summer2024!x
        pw = w().capitalize() + year() + s() + rng.choice(["", rng.choice(string.ascii_lowercase)])
    elif style == 1:  # S3cr3tPassw0rd
        pw = leet(w().capitalize(), 0.8) + leet(w().capitalize(), 0.8)
        pw = pw if any(c.isdigit() for c in pw) else pw + digits()
    elif style == 2:  # bria@pass135!
        sep = "@" if "@" in syms or not syms else s()
        pw = rng.choice(NAMES) + sep + rng.choice(["pass", "pwd", "key", w()[:5]]) + digits() + s()
    elif style == 3:  # BlueHorse42#
        pw = w().capitalize() + w().capitalize() + digits() + s()
    elif style == 4:  # river-stone-lamp-7
        sep = rng.choice([c for c in "-._" if c in syms] or [""])
        pw = sep.join(w() for _ in range(rng.randrange(3, 5))) + sep + digits()
    elif style == 5:  # P@ssw0rd2023!
        pw = leet(rng.choice(["Password", "Welcome", "Admin", "Letmein", "Master", "Secret"]), 0.9) + year() + s()
    elif style == 6:  # Qwerty!2345
        pw = rng.choice(["Qwerty", "Asdfgh", "Zxcvbn", "Qazwsx", "1q2w3e4r", "Abc"]) + s() + digits() + digits()
    elif style == 7:  # Acme#2023
        pw = rng.choice(ORGS).capitalize() + s() + year()
    elif style == 8:  # Monkey!77dog
        pw = w() + s() + digits() + w()[:3]
    else:  # Tr0ub4dor&3
        pw = leet(w().capitalize(), 0.5) + s() + digits()
    return pw


def random_password(symbols=None, length="12-24"):
    syms = _sym(symbols, RANDOM_SYMBOLS)
    lo, _, hi = length.partition("-")
    n = rng.randint(int(lo), int(hi or lo))
    pools = [string.ascii_lowercase, string.ascii_uppercase, string.digits] + ([syms] if syms else [])
    first = rng.choice(string.ascii_letters + string.digits)
    rest = [rng.choice(p) for p in pools[:n - 1]]
    rest += [rng.choice("".join(pools)) for _ in range(n - 1 - len(rest))]
    rng.shuffle(rest)
    return first + "".join(rest)


def g_password(arg):
    parts = (arg or "any").split(":")
    style = parts[0] or "any"
    syms = parts[1] if len(parts) > 1 and parts[1] else None
    if style == "any":
        style = "human" if rng.random() < 0.7 else "random"
    if style == "human":
        return human_password(syms)
    if style == "random":
        return random_password(syms, parts[2] if len(parts) > 2 else "12-24")
    raise SystemExit(f"unknown password style {arg!r}")


CRYPT64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
BCRYPT64 = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def c64(n, alphabet=CRYPT64, last_bits=6):
    """n characters of a crypt-style base64 whose last character carries only last_bits bits."""
    body = "".join(rng.choice(alphabet) for _ in range(n - 1))
    if last_bits == 6:
        return body + rng.choice(alphabet)
    if alphabet is BCRYPT64:  # bcrypt is big-endian: the low bits of the last character are zero
        return body + alphabet[rng.randrange(2 ** last_bits) << (6 - last_bits)]
    return body + alphabet[rng.randrange(2 ** last_bits)]  # crypt: the high bits are zero


def g_crypt(arg):
    if arg == "1":
        return f"$1${c64(rng.randrange(4, 9))}${c64(22, last_bits=2)}"
    if arg in ("5", "6"):
        rounds = f"rounds={rng.choice([5000, 10000, 50000, 100000, 656000])}$" if rng.random() < 0.2 else ""
        n = 43 if arg == "5" else 86
        return f"${arg}${rounds}{c64(rng.choice([8, 16, 16, 16]))}${c64(n, last_bits=4 if arg == '5' else 2)}"
    if arg == "y":
        return f"$y${rng.choice(['j9T', 'j9T', 'j9T', 'jCT', 'jDT', 'jBT'])}${c64(22, last_bits=4 if rng.random() < 0.5 else 6)}${c64(43, last_bits=4)}"
    raise SystemExit(f"unknown crypt scheme {arg!r}")


def g_bcrypt(arg):
    parts = (arg or "").split(":")
    variant = parts[0] or rng.choice(["2a", "2b", "2y"])
    cost = int(parts[1]) if len(parts) > 1 else rng.choice([10, 10, 10, 11, 12, 12, 13, 14])
    return f"${variant}${cost:02d}${c64(22, BCRYPT64, 2)}{c64(31, BCRYPT64, 4)}"


def g_argon2(_):
    return (f"$argon2id$v=19$m={rng.choice([65536, 19456, 47104, 12288])},t={rng.choice([2, 3, 4])},p={rng.choice([1, 4])}$"
            f"{base64.b64encode(rbytes(16)).decode().rstrip('=')}${base64.b64encode(rbytes(32)).decode().rstrip('=')}")


def rbytes(n):
    return bytes(rng.randrange(256) for _ in range(n))


def g_pbkdf2django(_):
    salt = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(22))
    return f"pbkdf2_sha256${rng.choice([260000, 390000, 600000, 720000])}${salt}${base64.b64encode(rbytes(32)).decode()}"


def g_scram(_):
    return (f"SCRAM-SHA-256$4096:{base64.b64encode(rbytes(16)).decode()}$"
            f"{base64.b64encode(rbytes(32)).decode()}:{base64.b64encode(rbytes(32)).decode()}")


def g_jenkins(arg):
    n = int(arg) if arg else rng.choice([16, 32, 32, 48, 64])
    blob = b"\x01" + (16).to_bytes(4, "big") + n.to_bytes(4, "big") + rbytes(16) + rbytes(n)
    return "{" + base64.b64encode(blob).decode() + "}"


def g_mvnenc(_):
    return "{" + base64.b64encode(rbytes(rng.choice([16, 24, 32]))).decode() + "}"


DPAPI_HEAD = bytes.fromhex("01000000d08c9ddf0115d1118c7a00c04fc297eb01000000")


def g_dpapi(_):
    return base64.b64encode(DPAPI_HEAD + rbytes(rng.choice([206, 222, 238, 254]))).decode()


def der_pem(label, head, total):
    body = base64.b64encode(head + rbytes(total - len(head))).decode()
    lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
    return f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----"


def g_rsapem(_):
    return der_pem("RSA PRIVATE KEY", bytes.fromhex("308204a40201000282010100"), 0x4a4 + 4)


def g_ecpem(_):
    head = bytes.fromhex("3077020101" + "0420")
    key = head + rbytes(32) + bytes.fromhex("a00a06082a8648ce3d030107a144034200") + b"\x04" + rbytes(64)
    body = base64.b64encode(key).decode()
    return "-----BEGIN EC PRIVATE KEY-----\n" + "\n".join(body[i:i + 64] for i in range(0, len(body), 64)) + "\n-----END EC PRIVATE KEY-----"


def g_pkcs8pem(_):
    head = bytes.fromhex("308204bd020100300d06092a864886f70d0101010500048204a7308204a30201000282010100")
    return der_pem("PRIVATE KEY", head, 0x4bd + 4)


def sshstr(b):
    return len(b).to_bytes(4, "big") + b


def g_sshpub(arg):
    if arg == "rsa":
        blob = sshstr(b"ssh-rsa") + sshstr(b"\x01\x00\x01") + sshstr(b"\x00" + bytes([0x80 | rng.randrange(128)]) + rbytes(255))
    else:
        blob = sshstr(b"ssh-ed25519") + sshstr(rbytes(32))
    return base64.b64encode(blob).decode()


def g_sshpriv(arg):
    if arg == "rsa":
        blob = sshstr(rbytes(256)) + sshstr(b"\x00" + rbytes(128)) + sshstr(b"\x00" + rbytes(128)) + sshstr(rbytes(128))
    else:
        blob = sshstr(rbytes(32))
    return base64.b64encode(blob).decode()


DJANGO = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"
WPSALT = string.ascii_letters + string.digits + "!@#$%^&*()-_ []{}<>~`+=,.;:/?|"


def g_pybytes(arg):
    out = []
    for b in rbytes(int(arg or 16)):
        c = chr(b)
        out.append(c if 0x20 <= b < 0x7f and c not in "\\'" else f"\\x{b:02x}")
    return "".join(out)


def g_host(arg):
    prefix = arg or rng.choice(HOST_PREFIXES)
    mid = rng.choice(["", "", rng.choice(["prod", "stg", "dev", "eu", "us-east", "dc1", "ops"]) + "."])
    return f"{prefix}.{mid}{rng.choice(ORGS)}.{rng.choice(TLDS)}"


def g_user(_):
    n = rng.choice(NAMES)
    return rng.choice([n, n + "." + rng.choice(SURNAMES), n[0] + rng.choice(SURNAMES), "deploy", "ci-bot", "svc_" + rng.choice(DBS),
                       "jenkins", "build", "admin", n + str(rng.randrange(1, 99)), "app_" + rng.choice(DBS), "release-bot"])


def g_int(arg):
    lo, _, hi = arg.partition("-")
    return str(rng.randint(int(lo), int(hi)))


GENS = {
    "password": g_password,
    "django": lambda a: "".join(rng.choice(DJANGO) for _ in range(int(a or 50))),
    "wpsalt": lambda a: "".join(rng.choice(WPSALT) for _ in range(64)),
    "pybytes": g_pybytes,
    "crypt": g_crypt,
    "apr1": lambda a: f"$apr1${c64(8)}${c64(22, last_bits=2)}",
    "bcrypt": g_bcrypt,
    "descrypt": lambda a: c64(2) + c64(11, last_bits=4),
    "argon2": g_argon2,
    "pbkdf2django": g_pbkdf2django,
    "scram": g_scram,
    "phpass": lambda a: f"$P${rng.choice('BBBBD')}{c64(8)}{c64(22, last_bits=2)}",
    "grubpbkdf2": lambda a: f"grub.pbkdf2.sha512.10000.{rbytes(64).hex().upper()}.{rbytes(64).hex().upper()}",
    "mosquitto": lambda a: f"$7$101${base64.b64encode(rbytes(12)).decode()}${base64.b64encode(rbytes(64)).decode()}",
    "jenkins": g_jenkins,
    "mvnenc": g_mvnenc,
    "dpapi": g_dpapi,
    "dpapihex": lambda a: (DPAPI_HEAD + rbytes(rng.choice([206, 222, 238, 254]))).hex().upper(),
    "rsapem": g_rsapem,
    "ecpem": g_ecpem,
    "pkcs8pem": g_pkcs8pem,
    "sshpub": g_sshpub,
    "sshpriv": g_sshpriv,
    "regbin": lambda a: ",".join(f"{b:02x}" for b in rbytes(int(a or 8))),
    "user": g_user,
    "name": lambda a: rng.choice(NAMES).capitalize() + " " + rng.choice(SURNAMES).capitalize(),
    "word": lambda a: rng.choice(WORDS),
    "org": lambda a: rng.choice(ORGS),
    "host": g_host,
    "ip": lambda a: rng.choice([f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                                f"192.168.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                                f"172.{rng.randrange(16, 32)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"]),
    "port": lambda a: str(rng.choice([2222, 8080, 8443, 9000, 5000, 5433, 3307, 6380, 2022, 10022])),
    "db": lambda a: rng.choice(DBS),
    "email": lambda a: f"{rng.choice(NAMES)}.{rng.choice(SURNAMES)}@{rng.choice(ORGS)}.{rng.choice(TLDS)}",
    "year": lambda a: str(rng.randrange(2015, 2027)),
    "int": g_int,
}
KEY_GENS = {"rsapem", "ecpem", "pkcs8pem", "sshpriv", "pem", "openssh"}
HASH_GENS = {"crypt", "apr1", "bcrypt", "descrypt", "argon2", "pbkdf2django", "scram", "mysql41", "pgmd5", "htsha", "phpass",
             "grubpbkdf2", "mosquitto"}


def winscp(user, host, pw):
    """WinSCP's Password= value: each byte ~(b ^ 0xA3) as two hex digits: flag, 0, length,
    shift, `shift` random bytes, user+host+password, random bytes up to 100 hex digits."""
    enc = lambda b: f"{(~(b ^ 0xA3)) & 0xFF:02X}"
    data = (user + host + pw).encode()
    shift = rng.randrange(50 - len(data)) if len(data) < 50 else 0
    out = enc(0xFF) + enc(0) + enc(len(data)) + enc(shift) + "".join(enc(rng.randrange(256)) for _ in range(shift))
    out += "".join(enc(b) for b in data)
    while len(out) < 100:
        out += enc(rng.randrange(256))
    return out


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def wrap(s, n):
    n = int(n)
    return "\n".join(s[i:i + n] for i in range(0, len(s), n))


FUNCS = {
    "base64": lambda x: base64.b64encode(x.encode()).decode(),
    "b64url": lambda x: base64.urlsafe_b64encode(x.encode()).decode().rstrip("="),
    "hex": lambda x: x.encode().hex(),
    "HEX": lambda x: x.encode().hex().upper(),
    "pct": lambda x: urllib.parse.quote(x, safe=""),
    "json": lambda x: json.dumps(x, ensure_ascii=False)[1:-1],
    "xml": xml_escape,
    "wrap": wrap,
    "jbxor": lambda x: "".join(f"{ord(c) ^ 0xDFAA:04x}" for c in x),
    "winscp": winscp,
    "mysql41": lambda x: "*" + hashlib.sha1(hashlib.sha1(x.encode()).digest()).hexdigest().upper(),
    "pgmd5": lambda pw, user: "md5" + hashlib.md5((pw + user).encode()).hexdigest(),
    "htsha": lambda x: "{SHA}" + base64.b64encode(hashlib.sha1(x.encode()).digest()).decode(),
    "sha256": lambda x: hashlib.sha256(x.encode()).hexdigest(),
    "md5": lambda x: hashlib.md5(x.encode()).hexdigest(),
    "dollars": lambda x: x.replace("$", "$$"),
    "indent": lambda x, n: x.replace("\n", "\n" + " " * int(n)),
    "upper": str.upper,
    "lower": str.lower,
}
FUNC_RE = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(sorted(FUNCS, key=len, reverse=True)) + r")\(")
VAR_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")

# ---------------------------------------------------------------- the expression language


class Expr:
    """Evaluates one EXPR; `kinds` collects the generator and function names used (for `what`)."""

    def __init__(self, env):
        self.env, self.kinds = env, set()

    def closing(self, s, i, open_c, close_c):
        """Index of the close_c matching the open_c just before s[i]."""
        depth = 1
        while i < len(s):
            c = s[i]
            if c == "\\":
                i += 2
                continue
            if c == open_c:
                depth += 1
            elif c == close_c:
                depth -= 1
                if depth == 0:
                    return i
            i += 1
        raise SystemExit(f"unbalanced {open_c!r} in {s!r}")

    def split_top(self, s, sep):
        parts, depth, start, i = [], 0, 0, 0
        while i < len(s):
            c = s[i]
            if c == "\\":
                i += 2
                continue
            if c in "({":
                depth += 1
            elif c in ")}":
                depth -= 1
            elif c == sep and depth == 0:
                parts.append(s[start:i])
                start = i + 1
            i += 1
        return parts + [s[start:]]

    def eval(self, s):
        out, i = [], 0
        while i < len(s):
            c = s[i]
            if c == "\\":
                out.append({"n": "\n", "t": "\t"}.get(s[i + 1], s[i + 1]))
                i += 2
            elif c == "{":
                j = self.closing(s, i + 1, "{", "}")
                out.append(self.element(s[i + 1:j]))
                i = j + 1
            elif c == "$" and VAR_RE.match(s, i):
                m = VAR_RE.match(s, i)
                if m.group(1) not in self.env:
                    raise SystemExit(f"unknown variable ${m.group(1)} in {s!r}")
                out.append(self.env[m.group(1)])
                i = m.end()
            elif FUNC_RE.match(s, i):
                m = FUNC_RE.match(s, i)
                j = self.closing(s, m.end(), "(", ")")
                args = [self.eval(a) for a in self.split_top(s[m.end():j], ",")]
                self.kinds.add(m.group(1))
                out.append(FUNCS[m.group(1)](*args))
                i = j + 1
            else:
                out.append(c)
                i += 1
        return "".join(out)

    def element(self, body):
        kind, _, arg = body.partition(":")
        self.kinds.add(kind)
        if kind == "pick":
            return self.eval(rng.choice(self.split_top(arg, "|")))
        if kind in GENS:
            return GENS[kind](arg)
        if kind in generate.CLASSES or kind in ("uuid", "base64", "pem", "crc", "jwt", "openssh"):
            return generate.expand("{" + body + "}")
        raise SystemExit(f"unknown generator {{{body}}}")


MARKER = re.compile(r"\{\{(?:secret[.=:]|value[=:]|\$[A-Za-z_])")
HEAD = re.compile(r"(secret|value)(?:\.([a-z-]+))?(?:=([A-Za-z_][A-Za-z0-9_]*))?:")


def guess_what(kinds):
    if kinds & KEY_GENS:
        return "key"
    if kinds & HASH_GENS:
        return "hash"
    if kinds & {"password", "jenkins", "mvnenc", "dpapi", "dpapihex", "winscp", "jbxor"}:
        return "password"
    return "token"


def render(template, env):
    """Returns (text, [(start, end, value, what)]) with markers replaced."""
    out, spans, i = [], [], 0
    pos = 0  # length of the output so far
    while True:
        m = MARKER.search(template, i)
        if not m:
            out.append(template[i:])
            break
        out.append(template[i:m.start()])
        pos += m.start() - i
        j = m.start() + 2
        depth = 0
        while True:  # the first '}}' outside braces ends the marker
            if j >= len(template):
                raise SystemExit(f"unterminated marker at {template[m.start():m.start() + 60]!r}")
            c = template[j]
            if c == "\\":
                j += 2
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                if depth == 0 and template.startswith("}}", j):
                    break
                depth -= 1
            j += 1
        body = template[m.start() + 2:j]
        i = j + 2
        if body.startswith("$"):
            name = body[1:]
            if name not in env:
                raise SystemExit(f"unknown variable {body} in marker")
            value, is_secret, what = env[name], False, None
        else:
            h = HEAD.match(body)
            if not h:
                raise SystemExit(f"bad marker head {{{{{body}}}}}")
            ex = Expr(env)
            value = ex.eval(body[h.end():])
            if h.group(3):
                env[h.group(3)] = value
            is_secret = h.group(1) == "secret"
            what = h.group(2) or guess_what(ex.kinds)
        if is_secret:
            if not value:
                raise SystemExit(f"empty secret from {{{{{body}}}}}")
            spans.append((pos, pos + len(value), value, what))
        out.append(value)
        pos += len(value)
    return "".join(out), spans


# ---------------------------------------------------------------- checks


def read_span(text, line, col, end_line, end_col):
    lines = text.split("\n")
    if line == end_line:
        return lines[line - 1][col - 1:end_col]
    parts = [lines[line - 1][col - 1:]] + lines[line:end_line - 1] + [lines[end_line - 1][:end_col]]
    return "\n".join(parts)


STRAY = re.compile(r"\{(?:" + "|".join(sorted(set(GENS) | set(generate.CLASSES) | {"uuid", "pick", "jwt", "crc", "pem"},
                                                key=len, reverse=True)) + r")(?::[^{}\s][^{}]*)?\}")
RESERVED = re.compile(r"\bexample\.(?:com|net|org)\b|[a-z0-9-]\.(?:test|invalid|example)(?=[:/\"'\s,;>\])}]|$)", re.I | re.M)
ALLOW = re.compile(r"secretscan:allow|gitleaks:allow|pragma: allowlist secret", re.I)


def check_syntax(tid, path, text, syntax):
    kind = syntax
    if kind is None:
        base = path.lower()
        if base.endswith((".json", ".dockercfg")) or base.endswith("/.dockercfg") or base == ".dockercfg":
            kind = "json"
        elif base.endswith((".yaml", ".yml")):
            kind = "yaml"
        elif base.endswith((".xml", ".config", ".csproj")):
            kind = "xml"
        elif base.endswith(".toml"):
            kind = "toml"
        else:
            return
    try:
        if kind == "json":
            json.loads(text)
        elif kind == "yaml":
            list(yaml.safe_load_all(text))
        elif kind == "xml":
            xml.dom.minidom.parseString(text.encode())
        elif kind == "toml":
            tomllib.loads(text)
        elif kind != "none":
            raise SystemExit(f"{tid}: unknown syntax {kind!r}")
    except SystemExit:
        raise
    except Exception as e:  # noqa: BLE001
        raise SystemExit(f"{tid} ({path}): does not parse as {kind}: {e}\n{text}")


def check_sample(o, spans_values):
    tid = o["id"]
    text = o["text"]
    for s, value in zip(o.get("secrets", []), spans_values):
        got = read_span(text, s["line"], s["column"], s["end_line"], s["end_column"])
        assert got == value, f"{tid}: span {s} reads {got!r}, planted {value!r}"
    assert not MARKER.search(text) and not MARKER.search(o["path"]), f"{tid}: an unrendered marker"
    stray = STRAY.search(text) or STRAY.search(o["path"])
    assert o.get("_raw_braces") or not stray, f"{tid}: generator {stray.group(0)} outside a marker"
    if o["label"] == "positive":
        assert o["secrets"], f"{tid}: a positive without a planted secret"
        assert not RESERVED.search(text), f"{tid}: reserved host {RESERVED.search(text).group(0)!r} in a positive"
        assert not ALLOW.search(text), f"{tid}: an allow marker in a positive"
    else:
        assert "secrets" not in o, f"{tid}: a negative with secrets"


# ---------------------------------------------------------------- main


def load_specs(spec_dir):
    templates = []
    for fn in sorted(os.listdir(spec_dir)):
        if not fn.endswith(".yaml"):
            continue
        with open(os.path.join(spec_dir, fn), encoding="utf-8") as f:
            spec = yaml.safe_load(f) or {}
        default = spec.get("category")
        for t in spec.get("templates") or []:
            t = dict(t)
            t.setdefault("category", default)
            t["_file"] = fn
            templates.append(t)
    return templates


def build(templates):
    out, seen = [], set()
    for t in templates:
        tid, cat = t.get("id"), t.get("category")
        where = f"{t.get('_file')}: {tid}"
        if not tid or tid in seen:
            raise SystemExit(f"{where}: missing or duplicate id")
        seen.add(tid)
        if cat not in POSITIVE + NEGATIVE:
            raise SystemExit(f"{where}: unknown category {cat!r}")
        label = "negative" if cat in NEGATIVE else "positive"
        for k in range(VARIANTS):
            env = {}
            for name, expr in (t.get("vars") or {}).items():
                env[name] = Expr(env).eval(str(expr))
            text, spans = render(t["text"], env)
            path, pspans = render(t["path"], env)
            if pspans:
                raise SystemExit(f"{where}: a secret in the path")
            if label == "negative" and spans:
                raise SystemExit(f"{where}: a negative plants a secret")
            check_syntax(f"{tid}/{k}", path, text, t.get("syntax"))
            secrets = []
            for start, end, value, what in spans:
                line, col, end_line, end_col = generate.locate(text, start, end)
                secrets.append({"line": line, "column": col, "end_line": end_line, "end_column": end_col, "what": what})
            values = [v for _, _, v, _ in spans]
            if t.get("crlf"):  # a file written on Windows: lines end in CR LF, columns do not move
                text = text.replace("\n", "\r\n")
                values = [v.replace("\n", "\r\n") for v in values]
            o = {"id": f"{tid}/{k}", "label": label, "category": cat, "path": path, "text": text}
            if label == "positive":
                o["secrets"] = secrets
            check_sample(dict(o, _raw_braces=t.get("raw_braces")), values)
            out.append(o)
    return out


def summary(out):
    pos = collections.Counter()
    sec = collections.Counter()
    neg = collections.Counter()
    whats = collections.Counter()
    for o in out:
        if o["label"] == "positive":
            pos[o["category"]] += 1
            sec[o["category"]] += len(o["secrets"])
            whats.update(s["what"] for s in o["secrets"])
        else:
            neg[o["category"]] += 1
    lines = [f"{'category':<16}{'samples':>8}{'secrets':>9}"]
    lines += [f"{c:<16}{pos[c]:>8}{sec[c]:>9}" for c in POSITIVE]
    lines.append(f"{'positives':<16}{sum(pos.values()):>8}{sum(sec.values()):>9}")
    lines.append("")
    lines.append(f"{'negative class':<16}{'samples':>8}")
    lines += [f"{c:<16}{neg[c]:>8}" for c in NEGATIVE]
    lines.append(f"{'negatives':<16}{sum(neg.values()):>8}")
    lines.append("")
    lines.append("planted secrets by what: " + ", ".join(f"{w} {n}" for w, n in whats.most_common()))
    return "\n".join(lines)


def main():
    spec_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "leaks")
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "leaks.jsonl")
    templates = load_specs(spec_dir)
    out = build(templates)
    with open(out_path, "w", encoding="utf-8") as f:
        for o in out:
            f.write(json.dumps(o, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{os.path.relpath(out_path)}: {len(out)} samples from {len(templates)} templates")
    print(summary(out))


if __name__ == "__main__":
    main()
