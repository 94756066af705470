#!/usr/bin/env python3
"""Runs every command that README.md and docs/*.md show, so the documentation cannot drift.

Usage: doc_commands.py SECRETSCAN_BINARY SOURCE_DIR [--list | --verbose]

Commands are taken from ```sh blocks (every line), from the `run:` and script lines of CI YAML
blocks, and from inline code spans that start a secretscan, git-secrets or pre-commit command
line. Each runs with bash in a fresh copy of a small git repository (a few commits, a made-up
AWS key committed and another staged), under a temporary HOME. A YAML block that is a
configuration (a .secretscan.yaml, a .pre-commit-config.yaml) is committed into the repository
the same document's commands run in, so a command is checked against the configuration the
document shows next to it.

A command passes with exit 0 or 1 (1: findings). Exit 2 or 3 (usage, configuration or read
error), git-secrets' 129 (usage), a signal, a timeout or an error line (ERROR_LINES) fails the
test, naming the document, line, command and its output. Placeholders (FILE, RANGE, <tag or
commit>...) are replaced from PLACEHOLDERS; commands that cannot run here are in SKIPS with the
reason, and an entry of SKIPS (or YAML_BLOCKS) that matches nothing fails the test too.
--list prints what would run, after substitution, and runs nothing; --verbose prints each command
run, its exit code and the start of its output.
"""
import base64
import dataclasses
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

# The first words of a command line in prose (an inline code span): secretscan's own commands,
# the git-secrets drop-in, the pre-commit framework that runs the hooks, and the other tools the
# docs tell a user to run (most of those are in SKIPS). A span without arguments merely names a
# command (`secretscan`, `bench/detection.sh`) and is not one. Plain git commands (`git commit
# --no-verify`) are git's own, quoted to say when a hook runs, and are not taken.
COMMAND_PREFIXES = ("secretscan ", "git secretscan ", "git secrets ", "git-secrets ", "pre-commit ",
                    "source <(secretscan ", "./build/", "bash ", "bench/", "tests/tools/", "apt-get ", "cmake ",
                    "docker ", "man ", "update-alternatives ", "pip ", "pipx ")
# In CI YAML only `run:` and script lines starting with these are commands; the rest describes
# a hosted CI service and cannot run here.
YAML_COMMAND_PREFIXES = ("secretscan ", "/usr/share/secretscan/scan-range.sh ")

# (document, "exact" or "prefix", command text, why it is not run). An entry that matches no
# command fails the test, so this table cannot go stale.
SKIPS = [
    ("README.md", "prefix", "apt-get update && apt-get install -y cmake ninja-build g++",
     "installs packages and builds; .ci/run runs the README's two top commands as written"),
    ("docs/ci.md", "exact", "secretscan history: N findings; ...",
     "not a command: the summary line a scan prints"),
    ("README.md", "exact", "apt-get install -y dpkg-dev file && cmake --build build && (cd build && cpack -G DEB)",
     "installs packages and builds the Debian package; ctest deb-package-install does (SECRETSCAN_PACKAGE_TEST=1)"),
    ("README.md", "exact", "apt-get install ./build/secretscan_0.1.0_amd64.deb",
     "installs the package on this machine; ctest deb-package-install does (SECRETSCAN_PACKAGE_TEST=1)"),
    ("README.md", "exact", "update-alternatives --auto git-secrets",
     "changes the machine's alternatives; ctest deb-package-install checks the one the package registers"),
    ("README.md", "exact", "cmake --build build && cmake --install build",
     "builds and installs into /usr/local; ctest ci-integrations installs into a temporary prefix"),
    ("README.md", "exact", "cmake --install build", "installs into /usr/local (as above)"),
    ("docs/git-secrets-compat.md", "exact", "cmake --install build", "installs into /usr/local (as above)"),
    ("docs/ci.md", "exact", "cmake --install", "installs into /usr/local (as above)"),
    ("README.md", "prefix", "docker ", "no container engine here; ctest dockerfile-static-checks checks the Dockerfile"),
    ("docs/hooks.md", "prefix", "pip", "installs pre-commit from PyPI; the tests use build/pre-commit-venv"),
    ("README.md", "exact", "bash bench/detection.sh tests/corpus/leaks.jsonl build/secretscan",
     "ctest leaks-corpus runs this script on this corpus"),
    ("README.md", "exact", "./build/secretscan-accuracy tests/corpus/corpus.jsonl",
     "ctest accuracy-corpus runs it"),
    ("README.md", "exact", "./build/secretscan-value-bench tests/corpus/leaks.jsonl",
     "ctest value-test-beats-entropy runs it"),
    ("README.md", "exact", "bash bench/ab_history.sh REPO A B",
     "a benchmark: two builds timed on a large history"),
    ("README.md", "exact", "bash bench/history_peers.sh REPO [REPO...]",
     "a benchmark: full-history scans of large repositories beside four peers, minutes each"),
    ("docs/rules.md", "exact", "bench/format_recall.py build/secretscan 1000",
     "a benchmark: 1,000 fresh values of every rule's format"),
    ("docs/ci.md", "exact", "tests/tools/validate_sarif.py --github",
     "names the checker tests/e2e/test_reports.cpp runs, with a schema and a report"),
    ("docs/security.md", "exact", "apt-get install clang libclang-rt-14-dev",
     "installs packages (as root); .ci/run does it before fuzzing"),
    ("docs/security.md", "prefix", "CXX=clang++ cmake -S . -B build-fuzz",
     "a separate build with clang and libFuzzer; .ci/run makes it"),
    ("docs/security.md", "exact", "cmake --build build-fuzz --target secretscan_fuzz",
     "a separate build with clang and libFuzzer; .ci/run makes it"),
    ("docs/security.md", "exact", "tests/fuzz/run.sh build-fuzz 60",
     "needs the fuzz build above and a minute per target; .ci/run fuzzes every target"),
    ("docs/scale.md", "exact", "secretscan report merge --output history.sarif --exit-zero shard-*.sarif",
     "needs the shard jobs' artifacts; the sh block of the same document merges shards it makes, and ctest runs "
     "report merge on shards (tests/e2e/test_shards.cpp)"),
]

# Every YAML block, by (document, its first line): what it is. "pre-commit-config" and
# "secretscan-config" blocks become files in the repository that the document's commands run in;
# "ci" blocks are workflows for a hosted service, of which only the secretscan command lines run.
YAML_BLOCKS = {
    ("docs/hooks.md", "repos:"): "pre-commit-config",
    ("docs/config.md", "rules: [tools/extra-rules.yaml]     # extra rule packs (docs/rules.md)"): "secretscan-config",
    ("docs/ci.md", "name: secrets"): "ci",
    ("docs/ci.md", "      - uses: actions/cache@v4"): "ci",
    ("docs/ci.md", "  history:"): "ci",
    ("docs/ci.md", "include:"): "ci",
    ("docs/ci.md", "secretscan:"): "ci",
    ("docs/scale.md", "name: secrets-history"): "ci",
    # Kubernetes manifests: what their containers run needs a cluster (clones, volumes, the
    # Job's index); the sh block of docs/scale.md runs the same shard and merge commands here.
    ("docs/scale.md", "apiVersion: batch/v1"): "manifest",
}
CONFIG_FILE_NAMES = {"pre-commit-config": ".pre-commit-config.yaml", "secretscan-config": ".secretscan.yaml"}

# Placeholder words (capitals, "..." after one is dropped) and their values, by (the word before
# it, the placeholder) or (None, the placeholder). {files} is a folder of prepared files beside
# the repository, {source} the source folder. An entry that is never used fails the test.
PLACEHOLDERS = {
    ("message", "FILE"): ".git/COMMIT_EDITMSG",              # what git gives the commit-msg hook
    ("create", "FILE"): "{files}/new-baseline.jsonl",        # baseline create writes it
    ("--aws-provider", "FILE"): "{files}/aws-credentials",   # an AWS CLI credentials file
    (None, "PATH"): ".",
    (None, "RANGE"): "HEAD~2..HEAD",
    (None, "ID"): "aws-access-key-id",
    (None, "PACK"): "{files}/pack.yaml",
    (None, "GITLEAKS_TOML"): "{files}/gitleaks.toml",        # a gitleaks configuration
    (None, "LIST"): "pre-commit,commit-msg",
    (None, "DIR"): "{files}/demo",                           # a folder that does not exist yet
    (None, "OPTIONS"): "--format sarif --output report.sarif",
    (None, "PATTERN"): "'internal-token-[0-9]{6}'",
    (None, "NAME"): "pre-commit",                            # `secretscan hook NAME SCOPE ...`
    (None, "SCOPE"): "repo",
    (None, "..."): "scan",                                   # `git secretscan ...`: any command
}
# Text replaced wherever it stands: a hook script's arguments, installed paths and the
# pre-commit configuration's hosting. {hooks_repo} is a local repository holding this source's
# .pre-commit-hooks.yaml, {hooks_rev} its commit. An entry that is never used fails the test.
LITERALS = [
    ("<mode>", "pre_commit"),
    ('"$0"', ".git/hooks/pre-commit"),
    ('"$1"', ".git/COMMIT_EDITMSG"),
    ('"$@"', ""),  # a pre-commit hook gets no arguments
    ("/usr/share/secretscan/scan-range.sh", "{source}/ci/scan-range.sh"),
    ("https://example.invalid/secretscan.git", "{hooks_repo}"),
    ("<tag or commit>", "{hooks_rev}"),
    ("${{ matrix.shard }}", "1"),  # a GitHub Actions matrix value (docs/scale.md)
]

# Made-up AWS key ids (AKIA + 16 base32 characters), split so that a scan of this file finds
# nothing, as the C++ tests build theirs.
COMMITTED_KEY = "AKIA" + "R4TZWN7KXQ2PLMV3"
STAGED_KEY = "AKIA" + "H6QXJ3MZ2TPWKN5B"

# A rule pack for --rules PACK, `rules check PACK` and the pack the configuration example names:
# one rule, with the example and negative example `rules check` requires.
PACK = """rules:
  - id: doc-internal-token
    name: Internal token (documentation test)
    regex: 'internal-token-[0-9]{6}'
    keywords: [internal-token-]
    examples: ['token = internal-token-804216']
    negative_examples: ['token = internal-token-xyz']
"""
GITLEAKS_TOML = """[[rules]]
id = "doc-internal-token"
description = "Internal token (documentation test)"
regex = '''internal-token-[0-9]{6}'''
keywords = ["internal-token-"]
"""
# The files the configuration example of docs/config.md names, which a user of it has written.
CONFIG_SUPPORT_FILES = {"tools/extra-rules.yaml": PACK}
TIMEOUT = 30  # seconds for one command; each takes well under one
# Output lines that say a command did not work whatever its exit code: git-secrets, like
# upstream, exits 1 for a refused action as for findings, and 0 for an unknown mode.
ERROR_LINES = (r"^secretscan[^\n:]*: error:", r"^error: ", r"^Unknown option: --")
VERBOSE = False  # --verbose: print each command, its exit code and the start of its output


@dataclasses.dataclass
class Command:
    doc: str    # path relative to the source folder
    line: int
    text: str   # as printed, without a trailing shell comment
    origin: str  # "sh block", "inline", "CI YAML"


@dataclasses.dataclass
class YamlBlock:
    doc: str
    line: int
    text: str


def doc_files(source):
    docs = sorted(f for f in os.listdir(os.path.join(source, "docs")) if f.endswith(".md"))
    return ["README.md"] + ["docs/" + f for f in docs]


def is_fence(line):
    return line.lstrip().startswith("```")  # also a block indented under a list item


def fenced_blocks(lines):
    """(language, first line number of the body, body lines) of each fenced block."""
    blocks, current = [], None
    for number, line in enumerate(lines, 1):
        if is_fence(line):
            if current is None:
                current = (line.strip()[3:].strip(), number + 1, [])
            else:
                blocks.append(current)
                current = None
        elif current is not None:
            current[2].append(line)
    return blocks


def strip_comment(line):
    """The line without a trailing shell comment (a # at a word's start, outside quotes)."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def sh_commands(doc, first, body):
    """One command per line of a sh block; a line ending in a backslash continues."""
    commands, pending, start = [], "", first
    for number, line in enumerate(body, first):
        if not pending:
            start = number
        text = strip_comment(line)
        if text.endswith("\\"):
            pending += text[:-1] + " "
            continue
        text = (pending + text).strip()
        pending = ""
        if text:
            commands.append(Command(doc, start, text, "sh block"))
    return commands


def yaml_commands(doc, first, body):
    """The `run:` and script-list lines of a CI YAML block that are secretscan command lines."""
    commands = []
    for number, line in enumerate(body, first):
        m = re.match(r"\s*(?:-\s+)?(?:run:\s+)?(.*)$", line)
        text = strip_comment(m.group(1))
        if text.startswith(YAML_COMMAND_PREFIXES):
            commands.append(Command(doc, number, text, "CI YAML"))
    return commands


def inline_commands(doc, lines):
    """Inline code spans of the prose (fenced blocks blanked) that are command lines. A span may
    continue on the next line of its paragraph."""
    prose, inside = [], False
    for line in lines:
        fence = is_fence(line)
        prose.append("" if inside or fence else line)
        inside = inside != fence
    text = "\n".join(prose)
    commands = []
    for m in re.finditer(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", text, re.DOTALL):
        span = " ".join(m.group(2).split())
        if "\n\n" not in m.group(2) and span.startswith(COMMAND_PREFIXES) and " " in span:
            commands.append(Command(doc, text.count("\n", 0, m.start()) + 1, span, "inline"))
    return commands


def extract(source, doc):
    """(commands, YAML blocks) of one document."""
    with open(os.path.join(source, doc), encoding="utf-8") as f:
        lines = f.read().split("\n")
    commands, yamls = inline_commands(doc, lines), []
    for lang, first, body in fenced_blocks(lines):
        if lang == "sh":
            commands += sh_commands(doc, first, body)
        elif lang == "yaml":
            yamls.append(YamlBlock(doc, first, "\n".join(body) + "\n"))
            if YAML_BLOCKS.get((doc, body[0] if body else "")) == "ci":
                commands += yaml_commands(doc, first, body)
    return sorted(commands, key=lambda c: c.line), yamls


# ---- from a printed command to the commands that run ----------------------------------------

OPTIONAL = re.compile(r"(?<!\S)\[([^\[\]]+)\](?!\S)")


def variants(text):
    """A synopsis's runnable forms: every [optional] part left out, then each part (each of its
    | alternatives) alone. `demo [--keep] [DIR]` gives `demo`, `demo --keep`, `demo DIR`."""
    groups = list(OPTIONAL.finditer(text))
    if not groups:
        return [text]

    def render(chosen):
        out, last = [], 0
        for i, g in enumerate(groups):
            out += [text[last:g.start()], chosen.get(i, "")]
            last = g.end()
        return " ".join("".join(out + [text[last:]]).split())

    forms = [render({})]
    for i, g in enumerate(groups):
        forms += [render({i: alt.strip()}) for alt in g.group(1).split("|")]
    return forms


def substitute(text, values, used):
    """The command with its literals and placeholder words replaced; used collects the table keys
    that applied. Raises KeyError naming a placeholder that has no value."""
    text = fill_literals(text, values, used)
    words, previous = [], None
    for word in text.split(" "):
        name = word[:-3] if word.endswith("...") and word != "..." else word
        if re.fullmatch(r"[A-Z][A-Z_]*|\.\.\.", name):
            key = (previous, name) if (previous, name) in PLACEHOLDERS else (None, name)
            if key not in PLACEHOLDERS:
                raise KeyError(name)
            used.add(key)
            word = fill(PLACEHOLDERS[key], values)
        words.append(word)
        previous = name
    return " ".join(words)


def fill(value, values):
    """str.format would trip over the braces of a regex value."""
    for name, path in values.items():
        value = value.replace("{" + name + "}", path)
    return value


def skip_reason(command, used):
    for entry in SKIPS:
        doc, how, text, reason = entry
        if doc == command.doc and (command.text == text if how == "exact" else command.text.startswith(text)):
            used.add(entry)
            return reason
    return None


# ---- the repository every command runs in ---------------------------------------------------

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def git(cwd, env, *args):
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def commit(repo, env, files, message):
    """Commits these files only: what else is staged stays staged."""
    for name, text in files.items():
        write(os.path.join(repo, name), text)
    git(repo, env, "add", "--force", *files)
    git(repo, env, "commit", "-q", "-m", message, "--", *files)


def made_up_secret():
    """A 40-character AWS-style secret access key, derived so that no literal stands here."""
    return base64.b64encode(hashlib.sha256(b"doc-commands").digest()[:30]).decode()


def make_files(files):
    """The prepared files placeholders name, beside the repository."""
    write(os.path.join(files, "pack.yaml"), PACK)
    write(os.path.join(files, "gitleaks.toml"), GITLEAKS_TOML)
    write(os.path.join(files, "aws-credentials"),
          f"[default]\naws_access_key_id = {COMMITTED_KEY}\naws_secret_access_key = {made_up_secret()}\n")


def make_template(root, env):
    """root/repo: three commits (the second adds a key, tagged v1.0), a staged file holding another
    key, a commit message file and a git-secrets pattern; root/files: see make_files."""
    repo = os.path.join(root, "repo")
    git(root, env, "init", "-q", "-b", "main", repo)
    # What `git secrets --add` writes, so that the drop-in's scans have a pattern to match.
    git(repo, env, "config", "--add", "secrets.patterns", "AKIA[A-Z0-9]{16}")
    commit(repo, env, {"README.txt": "A service.\n"}, "Initial commit")
    commit(repo, env, {"config/app.env": f"region = eu-west-1\naws_access_key_id = {COMMITTED_KEY}\n"}, "Add settings")
    git(repo, env, "tag", "-a", "v1.0", "-m", "Release 1.0")
    commit(repo, env, {"src/app.py": "print('hello')\n"}, "Add the service")
    write(os.path.join(repo, "staged.env"), f"aws_access_key_id = {STAGED_KEY}\n")
    git(repo, env, "add", "staged.env")
    write(os.path.join(repo, ".git", "COMMIT_EDITMSG"), "Add the service\n")
    make_files(os.path.join(root, "files"))


def with_configs(base, root, env, blocks, values, used):
    """A copy of the template whose repository holds the document's configuration blocks,
    committed (pre-commit refuses an unstaged configuration)."""
    shutil.copytree(base, root, symlinks=True)
    files = {}
    for block in blocks:
        role = YAML_BLOCKS[(block.doc, block.text.split("\n")[0])]
        files[CONFIG_FILE_NAMES[role]] = fill_literals(block.text, values, used)
        if role == "secretscan-config":
            files.update(support_files(block))
    commit(os.path.join(root, "repo"), env, files, "Configuration from the documentation")
    return root


def support_files(block):
    missing = [name for name in CONFIG_SUPPORT_FILES if name not in block.text]
    if missing:
        raise ValueError(f"{block.doc}:{block.line}: the configuration no longer names {missing}: update CONFIG_SUPPORT_FILES")
    return CONFIG_SUPPORT_FILES


def fill_literals(text, values, used):
    for literal, value in LITERALS:
        if literal in text:
            used.add(literal)
            text = text.replace(literal, fill(value, values))
    return text


def make_hooks_repo(path, source, env):
    """A repository holding this source's .pre-commit-hooks.yaml, as pre-commit clones one."""
    git(os.path.dirname(path), env, "init", "-q", "-b", "main", path)
    with open(os.path.join(source, ".pre-commit-hooks.yaml"), encoding="utf-8") as f:
        commit(path, env, {".pre-commit-hooks.yaml": f.read()}, "hooks")
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=path, env=env, capture_output=True, text=True, check=True)
    return rev.stdout.strip()


# ---- running ---------------------------------------------------------------------------------

def pre_commit_framework(binary_dir):
    """pre-commit 3.2 or later: $PRE_COMMIT, else the virtual environment in the build folder that
    the hooks test (tests/e2e/test_hooks.cpp) fills from PyPI once; made here the same way, same
    version and folder, when this test runs first."""
    given = os.environ.get("PRE_COMMIT")
    if given:
        return given
    venv = os.path.join(binary_dir, "pre-commit-venv")
    if not os.path.exists(os.path.join(venv, "bin", "pre-commit")):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "pre-commit==4.0.1"], check=True)
    return os.path.join(venv, "bin", "pre-commit")


def make_bin(path, binary, pre_commit):
    """The names the docs call: secretscan, git-secretscan (for `git secretscan`), the git-secrets
    drop-in (secretscan run by that name, as `cmake --install` links it) and pre-commit."""
    os.makedirs(path)
    for name in ("secretscan", "git-secretscan", "git-secrets"):
        os.symlink(binary, os.path.join(path, name))
    os.symlink(pre_commit, os.path.join(path, "pre-commit"))


def environment(root, bin_dir, binary_dir):
    """Nothing from the caller's environment but PATH and the sanitizers' options (the strict
    build's leak suppressions): no CI variables, git settings or locale."""
    home = os.path.join(root, "home")
    os.makedirs(home, exist_ok=True)
    identity = {f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER")
                for what, value in (("NAME", "Doc Test"), ("EMAIL", "doc@example.com"))}
    sanitizers = {name: value for name, value in os.environ.items() if name.endswith("SAN_OPTIONS")}
    return dict(identity, **sanitizers, PATH=f"{bin_dir}:{binary_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
                HOME=home, TMPDIR=home, LANG="C.UTF-8", GIT_CONFIG_NOSYSTEM="1", TERM="dumb",
                # The build's man pages, where the package would install them (`man secretscan`,
                # `git secretscan --help`), printed without a pager.
                MANPATH=os.path.join(binary_dir, "man"), MANPAGER="cat", PAGER="cat",
                PRE_COMMIT_HOME=os.path.join(os.path.dirname(root), "pre-commit-cache"))


def run(shell_command, sandbox, env):
    try:
        return subprocess.run(["bash", "-c", shell_command], cwd=os.path.join(sandbox, "repo"), env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace",
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None


def verdict(shell_command, result):
    """None when the command worked (exit 0, or 1 for findings), else why not."""
    if result is None:
        return f"timed out after {TIMEOUT} s"
    if result.returncode < 0:
        return f"killed by signal {-result.returncode}"
    output = result.stdout + result.stderr
    if any(re.search(pattern, output, re.MULTILINE) for pattern in ERROR_LINES):
        return f"exit {result.returncode} with an error message"
    if result.returncode not in (0, 1):
        return f"exit {result.returncode}"
    if shell_command.startswith("pre-commit run") and result.returncode == 1:
        return pre_commit_verdict(output)
    return None


def pre_commit_verdict(output):
    """pre-commit exits 1 both when a hook found something and when it could not run the hook
    (no such id in the configuration, a bad configuration): only the first passes, a secretscan
    run that failed with exit 1."""
    codes = re.findall(r"- exit code: (\d+)", output)
    if codes and all(code == "1" for code in codes):
        return None
    return "pre-commit exit 1 without a secretscan finding (hook codes: " + (", ".join(codes) or "none") + ")"


# ---- the test --------------------------------------------------------------------------------

@dataclasses.dataclass
class Inventory:
    commands: list   # (Command, [forms to run]) of the commands that run
    skipped: list    # (Command, reason)
    configs: dict    # document -> its configuration YAML blocks
    problems: list   # stale or missing table entries: each fails the test
    used: set        # table entries that applied
    ci_blocks: list  # where the CI YAML blocks are


def collect(source):
    inv = Inventory([], [], {}, [], set(), [])
    blocks = []
    for doc in doc_files(source):
        commands, yamls = extract(source, doc)
        blocks += yamls
        for command in commands:
            reason = skip_reason(command, inv.used)
            if reason:
                inv.skipped.append((command, reason))
            else:
                inv.commands.append((command, variants(command.text)))
    classify(blocks, inv)
    return inv


def classify(blocks, inv):
    """Every YAML block must be in YAML_BLOCKS, and every entry there must name a block."""
    seen = set()
    for block in blocks:
        key = (block.doc, block.text.split("\n")[0])
        seen.add(key)
        if key not in YAML_BLOCKS:
            inv.problems.append(f"{block.doc}:{block.line}: a YAML block YAML_BLOCKS does not classify: {key[1]!r}")
        elif YAML_BLOCKS[key] in CONFIG_FILE_NAMES:
            inv.configs.setdefault(block.doc, []).append(block)
        else:
            inv.ci_blocks.append(f"{block.doc}:{block.line}")
    inv.problems += [f"YAML_BLOCKS entry {key} matches no YAML block" for key in YAML_BLOCKS if key not in seen]


def stale_entries(inv):
    """Table entries that applied to nothing: the documentation changed under them."""
    stale = [f"SKIPS entry {entry[:3]} matches no command" for entry in SKIPS if entry not in inv.used]
    stale += [f"PLACEHOLDERS entry {key} is never used" for key in PLACEHOLDERS if key not in inv.used]
    stale += [f"LITERALS entry {literal!r} is never used" for literal, _ in LITERALS if literal not in inv.used]
    return stale


class Fixtures:
    """The template repositories (one plain, one per document with configuration blocks) and a
    fresh copy of the right one for each command."""

    def __init__(self, top, binary, source):
        self.top, self.count = top, 0
        bin_dir = os.path.join(top, "bin")
        make_bin(bin_dir, binary, pre_commit_framework(os.path.dirname(binary)))
        self.env_args = (bin_dir, os.path.dirname(binary))
        setup_env = environment(os.path.join(top, "setup"), *self.env_args)
        hooks_repo = os.path.join(top, "hooks-repo")
        self.values = {"source": source, "hooks_repo": hooks_repo,
                       "hooks_rev": make_hooks_repo(hooks_repo, source, setup_env)}
        self.base = os.path.join(top, "template")
        os.makedirs(self.base)
        make_template(self.base, setup_env)
        self.setup_env, self.templates = setup_env, {}

    def template(self, doc, configs, used):
        if doc not in configs:
            return self.base
        if doc not in self.templates:
            root = os.path.join(self.top, "template-" + doc.replace("/", "-"))
            self.templates[doc] = with_configs(self.base, root, self.setup_env, configs[doc], self.values, used)
        return self.templates[doc]

    def sandbox(self, template):
        self.count += 1
        root = os.path.join(self.top, f"run-{self.count}")
        shutil.copytree(template, root, symlinks=True)
        return root, environment(root, *self.env_args), dict(self.values, files=os.path.join(root, "files"))


def run_all(inv, fixtures):
    """Runs every form of every command; returns (number run, failure reports)."""
    ran, failures = 0, []
    for command, forms in inv.commands:
        template = fixtures.template(command.doc, inv.configs, inv.used)
        for form in forms:
            sandbox, env, values = fixtures.sandbox(template)
            try:
                shell = substitute(form, values, inv.used)
            except KeyError as missing:
                failures.append(f"{command.doc}:{command.line}: placeholder {missing} has no value in PLACEHOLDERS: {command.text}")
                continue
            result = run(shell, sandbox, env)
            ran += 1
            if VERBOSE:
                show(command, shell, result)
            why = verdict(shell, result)
            if why:
                failures.append(report(command, shell, why, result))
            shutil.rmtree(sandbox)
    return ran, failures


def show(command, shell, result):
    status = "timed out" if result is None else f"exit {result.returncode}"
    output = "" if result is None else (result.stdout + result.stderr).strip()
    print(f"{command.doc}:{command.line}: {status}: {shell}\n    " + output[:600].replace("\n", "\n    "))


def report(command, shell, why, result):
    tail = "" if result is None else (result.stderr.strip() or result.stdout.strip())[-2000:]
    return (f"{command.doc}:{command.line}: {command.origin} command failed: {why}\n"
            f"  as printed: {command.text}\n  ran:        {shell}\n  output:     " + tail.replace("\n", "\n              "))


def summary(inv, ran, seconds):
    documented = len(inv.commands) + len(inv.skipped)
    print(f"doc-commands: {documented} documented commands: {len(inv.commands)} run as {ran} commands "
          f"(synopses in each form), {len(inv.skipped)} skipped, in {seconds:.1f} s")
    for doc, blocks in sorted(inv.configs.items()):
        for block in blocks:
            print(f"  configuration {doc}:{block.line} committed in the repository where {doc}'s commands run")
    print(f"  {len(inv.ci_blocks)} CI YAML blocks ({', '.join(inv.ci_blocks)}): only their secretscan "
          "command lines run; the rest needs GitHub or GitLab")
    reasons = {}
    for command, reason in inv.skipped:
        reasons.setdefault(reason, []).append(f"{command.doc}:{command.line}")
    for reason, places in reasons.items():
        print(f"  skipped {len(places)} ({', '.join(places)}): {reason}")


def list_commands(inv):
    values = {"files": "SANDBOX/files", "source": "SOURCE", "hooks_repo": "HOOKS_REPO", "hooks_rev": "HOOKS_REV"}
    for command, forms in inv.commands:
        for form in forms:
            print(f"{command.doc}:{command.line}: {substitute(form, values, inv.used)}")
    for command, reason in inv.skipped:
        print(f"{command.doc}:{command.line}: skipped ({reason}): {command.text}")


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, source = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    inv = collect(source)
    global VERBOSE
    VERBOSE = "--verbose" in argv[3:]
    if "--list" in argv[3:]:
        list_commands(inv)
        return 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="doc-commands.") as top:
        ran, failures = run_all(inv, Fixtures(top, binary, source))
    problems = inv.problems + stale_entries(inv) + failures
    summary(inv, ran, time.monotonic() - started)
    sys.stdout.flush()
    for problem in problems:
        print("FAIL: " + problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
