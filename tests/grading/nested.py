"""Run pytest (or make) inside a test, the way a grader would from a shell:
/usr/bin/python3, a clean environment (no PYTEST_* or TRACELAB_* from the
outer run), the repository (or a copy of it) as the working folder."""

import json
import os
import re
import subprocess
from pathlib import Path

import tracelab
from tracelab import i18n

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


def section(stdout, english, start=0):
    """Where pytest's section titled `english` ("FAILURES", "short test
    summary info") starts in stdout, from start: its title in English, or as
    the kit's plugin writes it in Vietnamese (plugin/frame.py, with the
    catalog as built); -1 if there is none."""
    titles = {english, i18n._catalog("vi").gettext(english)}
    found = [at for at in (stdout.find(f"= {t} =", start) for t in titles) if at >= 0]
    return min(found, default=-1)


def score_table(text, head, last):
    """A score table from its first line (holding head) to its last (starting
    with last: "Score:"), with pids (which differ from run to run) as N, and
    each failure's message joined into one line (a pid's digits move where
    it wraps)."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if head in l)
    end = next(i for i in range(start, len(lines)) if lines[i].strip().startswith(last))
    out = []
    for line in lines[start:end + 1]:
        if line.startswith("      ") and out and out[-1].startswith("      "):
            out[-1] += " " + line.strip()
        else:
            out.append(line.rstrip())
    return "\n".join(re.sub(r"\bpid \d+", "pid N", l) for l in out)
