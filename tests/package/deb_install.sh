#!/usr/bin/env bash
# Builds the Debian package from a build tree, installs it on this machine with dpkg, uses it as
# a new user would (demo, man pages, `git secretscan --help`, bash completion, Japanese
# messages, the git-secrets alternative) and removes it, checking that nothing is left behind.
#
# Usage: tests/package/deb_install.sh BUILD_DIR
# Needs root and dpkg; changes the machine (installs and removes the package), so the test
# suite runs it only with SECRETSCAN_PACKAGE_TEST=1 (.ci/run sets it) and otherwise skips with
# exit code 77, saying why.
set -euo pipefail

build=$(cd "${1:?usage: deb_install.sh BUILD_DIR}" && pwd)
if [[ "${SECRETSCAN_PACKAGE_TEST:-}" != 1 ]]; then
    echo "skipped: this test installs and removes a package on this machine; set SECRETSCAN_PACKAGE_TEST=1 to run it" >&2
    exit 77
fi
if [[ $(id -u) != 0 ]] || ! command -v dpkg >/dev/null; then
    echo "skipped: needs root and dpkg" >&2
    exit 77
fi

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# 1. Build the package.
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/secretscan_*_amd64.deb)
echo "package: $deb"
# Depends names the package of every shared library the binary loads (libgit2 and others are
# linked from static archives, CMakeLists.txt; GSSAPI and libc stay shared).
depends=$(dpkg-deb -f "$deb" Depends)
missing=""
for lib in $(readelf -d "$build/secretscan" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    # awk reads to the end: leaving early would kill ldconfig with SIGPIPE, and pipefail would
    # end this script without a word (it did, under load).
    path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64|x86_64/ && found == "" {found = $NF} END {print found}')
    real=$(readlink -f "$path")
    owner=""
    for candidate in "$path" "$real" "${real#/usr}" "/usr$path"; do # dpkg knows one of /lib and /usr/lib
        owner=$(dpkg -S "$candidate" 2>/dev/null | head -n 1 | cut -d: -f1) && [[ -n "$owner" ]] && break
    done
    [[ -n "$owner" && "$depends" == *"$owner"* ]] || missing="$missing $lib (${owner:-no package})"
done
[[ -z "$missing" ]] && pass "Depends names the package of each shared library: $depends" \
    || fail "Depends lacks the packages of:$missing (Depends: $depends)"

# A copy left by an earlier, interrupted run would hide what this one installs.
if dpkg-query -W -f='${Status}' secretscan 2>/dev/null | grep -q 'install ok'; then dpkg -r secretscan >/dev/null; fi

# What /usr/bin/git-secrets was before: Debian's git-secrets package, or nothing.
before_git_secrets=absent
if [[ -e /usr/bin/git-secrets && ! -L /usr/bin/git-secrets ]]; then before_git_secrets=$(sha256sum /usr/bin/git-secrets | cut -d' ' -f1); fi

# 2. Install it.
dpkg -i "$deb" 2>"$build/dpkg-install.err" >/dev/null || { cat "$build/dpkg-install.err" >&2; fail "dpkg -i"; exit 1; }
pass "dpkg -i"

# 3. Use it from the installed paths, with the build tree out of the way.
cd "$(mktemp -d)"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
[[ $(command -v secretscan) == /usr/bin/secretscan ]] || fail "secretscan is not /usr/bin/secretscan"
/usr/bin/secretscan demo >demo.out 2>&1 && grep -q '^Demo passed' demo.out && pass "secretscan demo" || { cat demo.out >&2; fail "secretscan demo"; }
man -w secretscan | grep -q '^/usr/share/man/man1/secretscan.1' && pass "man -w secretscan" || fail "man -w secretscan"
MANPAGER=cat MANWIDTH=100 man secretscan-config 2>/dev/null | grep -q 'secretscan-config - ' && pass "man secretscan-config" \
    || fail "man secretscan-config"
MANPAGER=cat MANWIDTH=100 git secretscan --help 2>&1 | grep -q 'secretscan history' \
    && pass "git secretscan --help opens the page" || fail "git secretscan --help"
words=$(bash -c 'source /usr/share/bash-completion/completions/secretscan
    COMP_WORDS=(secretscan --format s); COMP_CWORD=2; _secretscan; echo "${COMPREPLY[*]}"')
[[ $words == "sarif" ]] && pass "bash completion: --format s -> sarif" || fail "bash completion gave '$words'"
if locale -a 2>/dev/null | grep -qi '^ja_JP.utf8$'; then
    LANG=ja_JP.UTF-8 /usr/bin/secretscan no-such-command 2>err.txt || true
    grep -q '不明なコマンド' err.txt && pass "Japanese messages from /usr/share/locale" || { cat err.txt >&2; fail "Japanese messages"; }
else
    echo "note: the ja_JP.UTF-8 locale is not generated here; Japanese messages not checked" >&2
fi
if [[ $before_git_secrets == absent ]]; then
    [[ $(readlink -f /usr/bin/git-secrets) == /usr/bin/secretscan ]] && pass "git-secrets alternative points to the drop-in" \
        || fail "/usr/bin/git-secrets is not the drop-in: $(ls -l /usr/bin/git-secrets 2>&1)"
    git init -q repo && git -C repo secrets --register-aws >/dev/null && pass "git secrets --register-aws through the alternative" \
        || fail "git secrets through the alternative"
else
    [[ $(sha256sum /usr/bin/git-secrets | cut -d' ' -f1) == "$before_git_secrets" ]] \
        && pass "Debian's git-secrets left in place" || fail "/usr/bin/git-secrets changed"
    grep -q 'belongs to another package' "$build/dpkg-install.err" && pass "postinst says why git-secrets is left alone" \
        || fail "postinst said nothing about git-secrets"
fi

# 4. Remove it: no file of the package, no alternative, no folder left behind.
files=$(dpkg -L secretscan | grep -v '^/\.$')
dpkg -r secretscan >/dev/null 2>&1 && pass "dpkg -r" || fail "dpkg -r"
left=""
while read -r f; do
    case "$f" in /usr|/usr/bin|/usr/lib|/usr/share|/usr/share/man|/usr/share/man/man1|/usr/share/man/man5|/usr/share/doc|/usr/share/locale|/usr/share/locale/ja|/usr/share/locale/ja/LC_MESSAGES|/usr/share/bash-completion|/usr/share/bash-completion/completions|/usr/share/zsh|/usr/share/zsh/vendor-completions|/usr/share/fish|/usr/share/fish/vendor_completions.d) continue;; esac
    [[ -e $f || -L $f ]] && left+=" $f"
done <<<"$files"
[[ -z $left ]] && pass "nothing of the package is left" || fail "left behind:$left"
update-alternatives --query git-secrets >/dev/null 2>&1 && fail "the git-secrets alternative is still registered" \
    || pass "the git-secrets alternative is gone"
if [[ $before_git_secrets == absent ]]; then
    [[ ! -e /usr/bin/git-secrets && ! -L /usr/bin/git-secrets ]] && pass "/usr/bin/git-secrets removed" || fail "/usr/bin/git-secrets left"
fi

if (( failures )); then echo "package test: $failures failed" >&2; exit 1; fi
echo "package test: all checks passed"
