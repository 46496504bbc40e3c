"""What a set of test files is worth: pytest collects them (the plugin's
--points-json writes each test's points) and the points are added up, in
all and by the lab each file is for (test_lab07_... -> 7).

    worth(["tests/labs/test_lab07_waitpid_loop.py"])  -> {nodeid: points}
    by_lab(worth(...))                                -> {7: 10}

`make autograder` prints the total, since Gradescope reads no total from
results.json: the instructor sets the assignment's points to it.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .i18n import _
from .runner import REPO
from .submission import SubmissionError, lab_number

# Debian's python3 has pytest; a python3 earlier on PATH may not.
PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable


def worth(test_files, repo=REPO):
    """nodeid -> points of every test in test_files, as pytest collects them
    in repo. Raises SubmissionError when they cannot be collected."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "TRACELAB_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(repo) / "kit"), str(Path(repo) / "tests")])
    with tempfile.TemporaryDirectory(prefix="tracelab-points-") as tmp:
        out = Path(tmp) / "points.json"
        done = subprocess.run([PYTHON, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q",
                               *map(str, test_files), "--points-json", str(out)],
                              cwd=repo, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, errors="replace", timeout=300)
        if done.returncode != 0 or not out.is_file():
            said = (done.stdout + done.stderr).strip().splitlines()[-5:]
            raise SubmissionError(_("cannot collect the tests to add up their points "
                                    "(pytest exit {status}): {said}").format(
                                        status=done.returncode, said=" / ".join(said)))
        return json.loads(out.read_text())


def by_lab(points):
    """{lab number (None: a file named for no lab): total points}."""
    totals = {}
    for nodeid, n in points.items():
        lab = lab_number(Path(nodeid.split("::")[0]).name)
        totals[lab] = totals.get(lab, 0) + n
    return totals


def number(x):
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
