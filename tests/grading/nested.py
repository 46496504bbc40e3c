"""Run pytest (or make) inside a test, the way a grader would from a shell:
/usr/bin/python3, a clean environment (no PYTEST_* or TRACELAB_* from the
outer run), the repository (or a copy of it) as the working folder."""

import json
import os
import subprocess
from pathlib import Path

import tracelab

PYTHON = "/usr/bin/python3"
REPO = tracelab.REPO
GRADING = REPO / "tests" / "grading"


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "TRACELAB_"))}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def pytest(*args, cwd=REPO, env=None, timeout=300):
    """`python3 -m pytest ARGS` in cwd; the CompletedProcess (text)."""
    return subprocess.run([PYTHON, "-m", "pytest", "-p", "no:cacheprovider", *map(str, args)],
                          cwd=cwd, env=env or clean_env(), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, errors="replace", timeout=timeout)


def grade(checks, submission, tmp_path, *args, name="results.json"):
    """Grade `submission` with the test file `checks`; (CompletedProcess,
    the results.json it wrote)."""
    out = Path(tmp_path) / name
    done = pytest(checks, "--submission", submission, "--gradescope", out, *args)
    assert out.is_file(), f"no results.json; pytest said:\n{done.stdout}\n{done.stderr}"
    return done, json.loads(out.read_text())


def by_name(results):
    return {t["name"]: t for t in results["tests"]}
