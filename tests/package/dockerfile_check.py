#!/usr/bin/env python3
"""Static checks of the Dockerfile: this machine (and CI) has no container engine and no
access to a container registry, so the image cannot be built here. What can be checked is:
every RUN line is valid sh; the runtime stage is Debian bookworm-slim, runs as a named non-root
user and has `secretscan` as its exec-form ENTRYPOINT; it installs the package the build stage
makes; and the build stage installs every package the README's first command installs,
so the two cannot drift apart.

Usage: dockerfile_check.py SOURCE_DIR   (exit 0 all checks pass, 1 a check failed)
"""
import json
import re
import subprocess
import sys
from pathlib import Path


def instructions(text):
    """(keyword, argument) pairs, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#")))
    for line in joined.splitlines():
        if line.strip():
            keyword, _, arg = line.strip().partition(" ")
            yield keyword.upper(), arg.strip()


def stages(text):
    """List of (from_argument, [(keyword, argument)...]) per FROM."""
    out = []
    for keyword, arg in instructions(text):
        if keyword == "FROM":
            out.append((arg, []))
        elif out:
            out[-1][1].append((keyword, arg))
    return out


def readme_packages(readme):
    """The packages the README's first command installs (its first `apt-get install -y` list)."""
    first = re.search(r"```sh\n[^\n]*?apt-get install -y ([^&\n]*)", readme)
    return set(first.group(1).split()) if first else set()


def main(source):
    text = (source / "Dockerfile").read_text()
    failures = []
    check = lambda ok, what: None if ok else failures.append(what)
    all_stages = stages(text)
    check(len(all_stages) == 2, f"two stages (build, runtime), found {len(all_stages)}")
    for base, body in all_stages:
        for keyword, arg in body:
            if keyword == "RUN":
                r = subprocess.run(["sh", "-n", "-c", arg], capture_output=True, text=True)
                check(r.returncode == 0, f"RUN is not valid sh: {arg[:60]}... {r.stderr.strip()}")
    build_from, build = all_stages[0]
    run_from, runtime = all_stages[-1]
    check(build_from.startswith("debian:bookworm ") and build_from.endswith(" AS build"), f"build stage: FROM {build_from}")
    check(run_from == "debian:bookworm-slim", f"runtime stage is FROM {run_from}, not debian:bookworm-slim")
    keys = [k for k, _ in runtime]
    users = [a for k, a in runtime if k == "USER"]
    check(bool(users) and users[-1] not in ("root", "0"), f"runtime USER is {users or 'unset'}: must be non-root")
    check("USER" in keys and "ENTRYPOINT" in keys and keys.index("USER") < keys.index("ENTRYPOINT"), "USER comes before ENTRYPOINT")
    entry = [a for k, a in runtime if k == "ENTRYPOINT"]
    check(bool(entry) and json.loads(entry[-1]) == ["secretscan"], f"ENTRYPOINT {entry}: must be [\"secretscan\"]")
    build_runs = " ".join(a for k, a in build if k == "RUN")
    runtime_runs = " ".join(a for k, a in runtime if k == "RUN")
    check("cpack -G DEB" in build_runs and "SECRETSCAN_BUILD_TESTS=OFF" in build_runs, "build stage makes the .deb, tests off")
    check(any(k == "COPY" and a.startswith("--from=build ") for k, a in runtime), "runtime copies the package from the build stage")
    check("apt-get install" in runtime_runs and "/tmp/secretscan.deb" in runtime_runs, "runtime installs the package with apt-get")
    check("safe.directory" in runtime_runs, "runtime trusts the mounted repository (safe.directory)")
    wanted = readme_packages((source / "README.md").read_text())
    check(len(wanted) > 5, f"README's first command installs the build's packages: {sorted(wanted)}")
    missing = sorted(p for p in wanted if p not in build_runs.split())
    check(not missing, f"build stage lacks packages the README installs: {missing}")
    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    print(f"Dockerfile: {len(failures)} failed checks" if failures else "Dockerfile: all static checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
