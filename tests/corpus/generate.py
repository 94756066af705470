#!/usr/bin/python3
"""Builds the labelled accuracy corpus (tests/corpus/corpus.jsonl) from the specs in
tests/corpus/specs/*.yaml and from the hard-negative classes below.

Every value is made up here, from a seeded generator: the output is the same on every run, and
no value is a real credential. Run it after changing a spec, then commit corpus.jsonl:

    python3 tests/corpus/generate.py [SPEC_DIR [OUT [PATTERN_DIR]]]   # needs python3-yaml

A spec file is a YAML list, one entry per rule:

  - rule: github-pat                      # the rule that must report the token
    token: '{crc:ghp_}'                   # template of one made-up value
    names: [GITHUB_TOKEN, gh_token]       # key names for the ten file contexts
    near_misses: ['ghp_<your-token>']     # lines no rule may report
    raw: true                             # optional: token is a whole text (PEM block, URL),
                                          # written as-is into five files instead
    files: ['.env', Dockerfile]           # optional: only the contexts of these files (rules
                                          # that read configuration files only)
    paths: [.htpasswd, conf/.htpasswd]    # optional, with raw: the token is the whole file, written
                                          # under each of these paths (rules limited to paths)

Template elements: literal text; {CLASS:N} or {CLASS:N-M} random characters of CLASS (hex, HEX,
digit, upper, lower, alpha, alnum, ualnum, lalnum, b64, b64url, b32, crypt: crypt(3)'s
./0-9A-Za-z); {uuid}; {base64:N} (N random bytes); {pem:N} (N lines of 64 base64 characters);
{crc:PREFIX} (a GitHub/npm token with valid CRC-32 check digits); {jwt} (a JWT with JSON header
and payload); {openssh} (the body of an unencrypted OpenSSH ed25519 key); {text64:N} (base64 of N
random alphanumerics: an encoded password); {userpass64:N} (base64 of "user:password" with an
N-character password, as in Docker's and npm's auth); {lb} and {rb} (literal braces, for text such
as {SHA} that would read as an element).

Each output line is one JSON object:
  id      unique name of the sample
  label   "positive" (holds exactly one planted secret) or "negative" (holds none)
  family  positives: the family of the expected rule (its 2nd tag); negatives: the negative class
  rule    positives: the rule id that must report the planted secret
  path    the file name the text is scanned as (a lockfile class depends on it)
  text    the file content
  line, column, end_line, end_column
          positives: where the planted secret text starts and ends (1-based lines, 1-based
          columns in code points; end inclusive); a finding of `rule` must start inside it
"""
import base64
import json
import os
import random
import re
import string
import sys
import uuid
import zlib

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
rng = random.Random(20261130)

CLASSES = {
    "hex": "0123456789abcdef", "HEX": "0123456789ABCDEF", "digit": string.digits,
    "upper": string.ascii_uppercase, "lower": string.ascii_lowercase, "alpha": string.ascii_letters,
    "alnum": string.ascii_letters + string.digits, "ualnum": string.ascii_uppercase + string.digits,
    "lalnum": string.ascii_lowercase + string.digits, "b64": string.ascii_letters + string.digits + "+/",
    "crypt": "./" + string.digits + string.ascii_uppercase + string.ascii_lowercase,
    "b64url": string.ascii_letters + string.digits + "_-", "b32": string.ascii_uppercase + "234567",
}
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def rand(cls, n):
    return "".join(rng.choice(CLASSES[cls]) for _ in range(n))


def crc_token(prefix):
    """GitHub/npm format: 30 random base62 characters + base62 CRC-32 of them, padded to 6."""
    body = rand("alnum", 30)
    n, check = zlib.crc32(body.encode()), ""
    while n:
        check = BASE62[n % 62] + check
        n //= 62
    return prefix + body + check.rjust(6, "0")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt():
    header = {"alg": rng.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}
    payload = {"sub": str(rng.randrange(10**6, 10**9)), "iat": rng.randrange(1600000000, 1800000000),
               "scope": rng.choice(["read", "admin", "user:write"])}
    sig = bytes(rng.randrange(256) for _ in range(32))
    return ".".join([b64url(json.dumps(header).encode()), b64url(json.dumps(payload).encode()), b64url(sig)])


def pem_lines(n):
    data = bytes(rng.randrange(256) for _ in range(48 * n))
    b = base64.b64encode(data).decode()
    return "\n".join(b[i:i + 64] for i in range(0, len(b), 64))


def openssh_ed25519():
    """The body of an unencrypted OpenSSH ed25519 private key (PROTOCOL.key: openssh-key-v1),
    random key bytes, base64 wrapped at 70 columns as ssh-keygen writes it."""
    import struct
    def string(b):
        return struct.pack(">I", len(b)) + b
    pub = bytes(rng.randrange(256) for _ in range(32))
    seed = bytes(rng.randrange(256) for _ in range(32))
    check = struct.pack(">I", rng.getrandbits(32))
    pubkey = string(b"ssh-ed25519") + string(pub)
    private = check + check + pubkey + string(seed + pub) + string(b"dev@laptop")
    private += bytes(range(1, 1 + (8 - len(private) % 8) % 8))
    blob = b"openssh-key-v1\0" + string(b"none") + string(b"none") + string(b"") + struct.pack(">I", 1) + string(pubkey) + string(private)
    b = base64.b64encode(blob).decode()
    return "\n".join(b[i:i + 70] for i in range(0, len(b), 70))


TOKEN = re.compile(r"\{([a-zA-Z0-9]+)(?::([^}]*))?\}")


def expand(template):
    def one(m):
        kind, arg = m.group(1), m.group(2)
        if kind in CLASSES:
            lo, _, hi = arg.partition("-")
            return rand(kind, rng.randint(int(lo), int(hi or lo)))
        if kind == "uuid":
            return str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if kind == "base64":
            return base64.b64encode(bytes(rng.randrange(256) for _ in range(int(arg)))).decode()
        if kind == "pem":
            return pem_lines(int(arg))
        if kind == "crc":
            return crc_token(arg)
        if kind == "jwt":
            return make_jwt()
        if kind == "openssh":
            return openssh_ed25519()
        if kind == "text64":
            return base64.b64encode(rand("alnum", int(arg)).encode()).decode()
        if kind in ("lb", "rb"):
            return "{" if kind == "lb" else "}"
        if kind == "userpass64":
            return base64.b64encode(f"{rand('lower', 6)}:{rand('alnum', int(arg))}".encode()).decode()
        raise SystemExit(f"unknown template element {m.group(0)!r} in {template!r}")
    return TOKEN.sub(one, template)


def snake(name):
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return s.lower()


def camel(name):
    parts = snake(name).split("_")
    return parts[0] + "".join(p.capitalize() for p in parts[1:])


# File contexts for one key name and value: (path, text before the value, text after it).
def contexts(name):
    up, sn, cm = snake(name).upper(), snake(name), camel(name)
    return [
        (".env", f"# service settings\n{up}=", "\nLOG_LEVEL=info\n"),
        ("config/settings.yaml", f"service:\n  region: eu-west-1\n  {sn}: ", "\n  timeout: 30\n"),
        ("config/app.json", f'{{\n  "name": "billing",\n  "{cm}": "', '",\n  "retries": 3\n}\n'),
        ("app/settings.py", f"import os\n\nDEBUG = False\n{up} = \"", "\"\n"),
        ("src/client.js", f"const endpoint = 'https://api.internal';\nconst {cm} = '", "';\nmodule.exports = {{ endpoint }};\n"),
        ("deploy/run.sh", f"#!/bin/sh\nset -eu\nexport {up}=\"", "\"\nexec ./server\n"),
        ("infra/main.tf", f'resource "null_resource" "svc" {{\n  triggers = {{\n    {sn} = "', '"\n  }\n}\n'),
        ("src/main/resources/application.properties", f"server.port=8080\n{sn.replace('_', '.')}=", "\n"),
        ("Dockerfile", f"FROM debian:12\nENV {up}=", "\nCMD [\"/app\"]\n"),
        ("cmd/server/config.go", f"package main\n\nconst {cm} = \"", "\"\n"),
    ]


def locate(text, start, end):
    """1-based line and code-point column of text[start], and of text[end - 1]."""
    def at(i):
        line = text.count("\n", 0, i) + 1
        col = i - (text.rfind("\n", 0, i) + 1) + 1
        return line, col
    return at(start) + at(end - 1)


def load_rules_families(pattern_dir):
    families = {}
    for fn in sorted(os.listdir(pattern_dir)):
        if not fn.endswith(".yaml"):
            continue
        with open(os.path.join(pattern_dir, fn)) as f:
            for r in (yaml.safe_load(f) or {}).get("rules", []):
                families[r["id"]] = r.get("family", "other")
    return families


def positives(specs, families, out):
    for spec_file, spec in specs:
        # Each rule's values come from a generator seeded by its id: adding or changing one spec
        # never changes another's samples.
        rng.seed(f"20261130:{spec['rule']}")
        rule = spec["rule"]
        if rule not in families:
            raise SystemExit(f"{spec_file}: rule {rule} is not in patterns/")
        fam = families[rule]
        names = spec.get("names") or ["SECRET"]
        if spec.get("raw"):
            shapes = [("notes.txt", "", "\n"), ("config/service.conf", "# connection\n", "\n# end\n"),
                      ("README.md", "Deployment notes:\n\n", "\n\nAsk ops for access.\n"),
                      ("secrets/prod.txt", "", ""), ("scripts/setup.sh", "#!/bin/sh\ncat > /etc/svc.conf <<'EOF'\n", "\nEOF\n")]
            if spec.get("paths"):
                shapes = [(path, "", "\n") for path in spec["paths"]]
        else:  # each of the 10 contexts once (or those whose file `files` lists), the key names taking turns
            shapes = [contexts(names[k % len(names)])[k] for k in range(10)]
            if spec.get("files"):
                shapes = [s for s in shapes if s[0] in spec["files"]]
        for k, (path, before, after) in enumerate(shapes):
            value = expand(spec["token"])
            text = before + value + after
            line, col, end_line, end_col = locate(text, len(before), len(before) + len(value))
            out.append({"id": f"{rule}/{k}", "label": "positive", "family": fam, "rule": rule, "path": path,
                        "text": text, "line": line, "column": col, "end_line": end_line, "end_column": end_col})
        for k, miss in enumerate(spec.get("near_misses") or []):
            out.append({"id": f"{rule}/near-miss/{k}", "label": "negative", "family": "near-miss", "path": "docs/notes.md",
                        "text": miss + "\n"})


def neg(out, family, path, text):
    out.append({"id": f"{family}/{sum(1 for o in out if o['family'] == family)}", "label": "negative", "family": family,
                "path": path, "text": text})


def negatives(out):
    hexd = lambda n: rand("hex", n)
    # Digests and git object ids, under names that are and are not secret-like.
    for i in range(220):
        h = hexd(rng.choice([32, 40, 64, 128]))
        name = rng.choice(["checksum", "sha256", "etag", "commit", "digest", "api_key_hash", "password_sha256",
                           "token_digest", "secret_hash", "md5", "revision", "content_hash"])
        shape = i % 6
        if shape == 0:
            neg(out, "hash", "build/manifest.yaml", f"artifact: app.tar.gz\n{name}: {h}\n")
        elif shape == 1:
            neg(out, "hash", "data/index.json", f'{{"file": "app.js", "{name}": "{h}"}}\n')
        elif shape == 2:
            neg(out, "hash", "SHA256SUMS", f"{h}  release-{i}.tar.gz\n")
        elif shape == 3:
            neg(out, "hash", "CHANGELOG.md", f"- Fix the parser (commit {h[:40]})\n")
        elif shape == 4:
            neg(out, "hash", "settings.py", f'{name.upper()} = "{h}"\n')
        else:
            neg(out, "hash", "deploy/image.env", f"IMAGE=registry.internal/app@sha256:{hexd(64)}\n")
    # UUIDs: ids, including under secret-like names.
    for i in range(130):
        u = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        name = rng.choice(["id", "request_id", "trace_id", "tenant_id", "api_key_id", "token_id", "secret_uuid", "correlation_id"])
        if i % 3 == 0:
            neg(out, "uuid", "fixtures/order.json", f'{{"{name}": "{u}", "status": "paid"}}\n')
        elif i % 3 == 1:
            neg(out, "uuid", "config.yaml", f"{name}: {u}\n")
        else:
            neg(out, "uuid", "app.py", f'{name.upper()} = "{u}"\n')
    # Lockfiles.
    for i in range(160):
        sri = base64.b64encode(bytes(rng.randrange(256) for _ in range(64))).decode()
        pkg = rng.choice(["left-pad", "lodash", "react-dom", "token-utils", "secret-handshake", "api-key-auth", "passport"])
        kind = i % 6
        if kind == 0:
            neg(out, "lockfile", "package-lock.json",
                f'{{\n  "packages": {{\n    "node_modules/{pkg}": {{\n      "version": "1.{i}.0",\n'
                f'      "resolved": "https://registry.npmjs.org/{pkg}/-/{pkg}-1.{i}.0.tgz",\n      "integrity": "sha512-{sri}"\n    }}\n  }}\n}}\n')
        elif kind == 1:
            neg(out, "lockfile", "yarn.lock",
                f'{pkg}@^1.{i}.0:\n  version "1.{i}.0"\n  resolved "https://registry.yarnpkg.com/{pkg}/-/{pkg}-1.{i}.0.tgz#{hexd(40)}"\n  integrity sha512-{sri}\n')
        elif kind == 2:
            h1 = base64.b64encode(bytes(rng.randrange(256) for _ in range(32))).decode()
            neg(out, "lockfile", "go.sum", f"github.com/acme/{pkg} v1.{i}.0 h1:{h1}\ngithub.com/acme/{pkg} v1.{i}.0/go.mod h1:{h1[::-1]}\n")
        elif kind == 3:
            neg(out, "lockfile", "Cargo.lock", f'[[package]]\nname = "{pkg}"\nversion = "0.{i}.1"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "{hexd(64)}"\n')
        elif kind == 4:
            neg(out, "lockfile", "poetry.lock", f'[[package]]\nname = "{pkg}"\nversion = "2.{i}"\nfiles = [\n    {{file = "{pkg}-2.{i}.tar.gz", hash = "sha256:{hexd(64)}"}},\n]\n')
        else:
            neg(out, "lockfile", "composer.lock", f'{{"name": "acme/{pkg}", "dist": {{"reference": "{hexd(40)}", "shasum": "{hexd(40)}"}}}}\n')
    # Inline images and fonts.
    for i in range(110):
        data = base64.b64encode(bytes(rng.randrange(256) for _ in range(rng.randrange(200, 900)))).decode()
        kind = i % 3
        if kind == 0:
            neg(out, "image", "web/style.css", f".logo {{\n  background: url(data:image/png;base64,{data});\n}}\n")
        elif kind == 1:
            neg(out, "image", "web/index.html", f'<img alt="logo" src="data:image/gif;base64,{data}">\n')
        else:
            neg(out, "image", "README.md", f"![badge](data:image/svg+xml;base64,{data})\n")
    # Public keys and certificates.
    for i in range(160):
        kind = i % 5
        body = base64.b64encode(bytes(rng.randrange(256) for _ in range(rng.choice([270, 294, 550])))).decode()
        if kind == 0:
            neg(out, "public-key", ".ssh/authorized_keys", f"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ{body[:340]} deploy@ci\n")
        elif kind == 1:
            neg(out, "public-key", "keys/id_ed25519.pub", f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{rand('b64', 43)} dev@laptop\n")
        elif kind == 2:
            neg(out, "public-key", "certs/server.crt", "-----BEGIN CERTIFICATE-----\n" + pem_lines(rng.randrange(8, 20)) + "\n-----END CERTIFICATE-----\n")
        elif kind == 3:
            neg(out, "public-key", "keys/signing.pub", "-----BEGIN PUBLIC KEY-----\n" + pem_lines(6) + "\n-----END PUBLIC KEY-----\n")
        else:
            neg(out, "public-key", "known_hosts", f"github.example.net,10.0.0.{i % 250} ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB{rand('b64', 88)}\n")
    # Placeholders, templates and references to the environment.
    names = ["api_key", "password", "secret", "token", "AWS_SECRET_ACCESS_KEY", "client_secret", "DB_PASSWORD", "auth_token",
             "GITHUB_TOKEN", "STRIPE_SECRET_KEY", "private_key", "access_token"]
    values = ['"${{{N}}}"', '"{{{{ secrets.{N} }}}}"', "<your-{n}-here>", '"changeme"', '"your_{n}_here"', '"xxxxxxxxxxxxxxxxxxxx"',
              'os.environ["{N}"]', 'process.env.{N}', '"$({n}_cmd)"', '"%({n})s"', '"<{n}>"', '"REDACTED"', '"********"',
              "!vault |", '""', "null", 'getenv("{N}")', '"{{{{ .Values.{n} }}}}"', '"#{{{n}}}"', "ENC[AES256_GCM,data:{b},type:str]",
              '"@{n}@"', '"%{N}%"', '"example-{n}-value"', '"replace_me"', '"dummy-{n}"']
    i = 0
    for n in names:
        for v in values:
            value = v.format(N=n.upper(), n=n.lower(), b=rand("b64", 24))
            shape = i % 4
            if shape == 0:
                neg(out, "placeholder", "config.yaml", f"{n.lower()}: {value}\n")
            elif shape == 1:
                neg(out, "placeholder", "settings.py", f"{n.upper()} = {value}\n")
            elif shape == 2:
                neg(out, "placeholder", ".env.example", f"{n.upper()}={value.strip(chr(34))}\n")
            else:
                neg(out, "placeholder", "src/config.ts", f"export const {camel(n)} = {value};\n")
            i += 1
    # Documentation examples published by providers.
    docs = ["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiYWRtaW4iOnRydWUsImlhdCI6MTUxNjIzOTAyMn0.KMUFsIDTnFmyG3nMiGM6H9FNFUROf3wh7SmqJp-QV30",
            "stripe.api_key = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'", "Stripe.api_key = 'sk_test_BQokikJOvBiI2HlWgH4olfQ2'",
            "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAI44QH8DHBEXAMPLE",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "-u <uri>  Server URI on format redis://user:password@host:port/dbnum",
            "DATABASE_URL=postgresql://user:secret@localhost:5432/mydb",
            "mongodb+srv://<username>:<password>@cluster0.example.mongodb.net/",
            "amqp://guest:guest@localhost:5672/",
            "mysql://root:root@127.0.0.1:3306/test",
            "https://user:pass@example.com/private",
            "git clone https://user:pwd@example.com/ clone",
            "echo \"https://home-user:home-pass@example.com\" >\"$HOME/.git-credentials\"",
            "PIP_INDEX_URL=https://ci:Zq8vN2pLk9Rt4wXs@pypi.corp.example/simple",
            "curl https://deploy:F2vQpU4dbJ1ZIMn4@staging.test/api",
            "DIRNAMEPWD=dir.Odiarnfc && mkdir \"$DIRNAMEPWD\""]
    for i, d in enumerate(docs * 10):
        neg(out, "docs-example", "docs/setup.md", f"Configure the CLI ({i}):\n\n    {d}\n")
    # Code that talks about secrets without holding one.
    code = [
        "def get_api_key_from_environment():\n    return os.environ['API_KEY']\n",
        "password = input('Password: ')\n",
        "if (password.length < 12) { throw new Error('password too short'); }\n",
        "password: str = Field(..., min_length=8)\n",
        "CREATE TABLE users (id SERIAL, password_hash VARCHAR(255) NOT NULL);\n",
        "const TOKEN_HEADER = 'Authorization';\n",
        "label.password = Enter your password\n",
        "resetPasswordTokenExpiresInSeconds = 3600\n",
        "token = jwt.encode(payload, signing_key, algorithm='HS256')\n",
        "secret = vault.read('secret/data/app')['data']['password']\n",
        "api_key = request.headers.get('X-Api-Key')\n",
        "PASSWORD_REGEX = r'^(?=.*[A-Z])(?=.*\\d).{8,}$'\n",
        "client.set_credentials(access_key=creds.access_key, secret_key=creds.secret_key)\n",
        "aws_secret_access_key = credentials.get_frozen_credentials().secret_key\n",
        "String password = System.getenv(\"DB_PASSWORD\");\n",
        "let token = try keychain.get(\"api-token\")\n",
        "password_field = forms.CharField(widget=forms.PasswordInput)\n",
        "export GITHUB_TOKEN=$(gh auth token)\n",
        "auth_token: !Ref AuthTokenParameter\n",
        "SecretString: !Sub '{{resolve:secretsmanager:${SecretArn}}}'\n",
    ]
    for i in range(160):
        snippet = code[i % len(code)]
        words = "".join(rng.choice(["Widget", "Handler", "Token", "Secret", "Password", "Key", "Manager", "Service", "Factory"]) for _ in range(4))
        neg(out, "code", f"src/module_{i}.py", f"# {words}\n{snippet}")
    # Test fixtures with values no one would deploy.
    fixtures = ['password = "password123"', 'self.client.login(username="admin", password="secret")', 'api_key = "test_api_key"',
                'token: "fake-token-for-tests"', 'DB_PASSWORD=mock_password', '"password": "hunter2"', 'secret_key = "testing"',
                'auth_token = "foobar"', 'password: "P4ssword!"', 'client_secret = "sample-client-secret"',
                'password=store-pass', 'printf "password=xdg-pass\\n"', 'keystore_password = "changeit"']
    for i in range(100):
        neg(out, "fixture", f"tests/test_auth_{i}.py", f"# fixture {i}\n{fixtures[i % len(fixtures)]}\n")


def main():
    spec_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "specs")
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "corpus.jsonl")
    specs = []
    for fn in sorted(os.listdir(spec_dir)):
        if fn.endswith(".yaml"):
            with open(os.path.join(spec_dir, fn)) as f:
                specs += [(fn, s) for s in (yaml.safe_load(f) or [])]
    families = load_rules_families(sys.argv[3] if len(sys.argv) > 3 else os.path.join(ROOT, "patterns"))
    out = []
    positives(specs, families, out)
    rng.seed("20261130:negatives")
    negatives(out)
    with open(out_path, "w") as f:
        for o in out:
            f.write(json.dumps(o, ensure_ascii=False, sort_keys=True) + "\n")
    pos = sum(1 for o in out if o["label"] == "positive")
    print(f"{out_path}: {pos} positives, {len(out) - pos} negatives from {len(specs)} specs")


if __name__ == "__main__":
    main()
