"""--user: the traced program runs as an unprivileged user while the tracer
stays root, so what a hostile program tries against its grader fails for
the plain reason that the kernel says no. The oracle is the program's own
report of what each try returned, and the files and processes afterwards.
Everything runs inside a new PID namespace (unshare -fp), so that even if
the user switch failed, kill(-1) could reach nothing outside the test."""

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import tracelab

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                                reason="--user needs root, and this test a PID namespace")

UID = 61731   # a user of its own: no other process runs as it


@pytest.fixture
def open_dir():
    """A folder every user may enter and read (pytest's own are root's
    alone), removed afterwards."""
    d = tempfile.mkdtemp(prefix="tracelab-run-as-")
    os.chmod(d, 0o755)
    yield Path(d)
    shutil.rmtree(d)


def _copy(cli_progs, name, folder):
    shutil.copy(cli_progs / name, folder / name)
    return folder / name


def test_a_hostile_program_cannot_touch_the_tracer_or_its_files(cli_progs, tmp_path, open_dir):
    precious = open_dir / "tests.py"
    precious.write_text("def test_it():\n    assert True\n")
    before = hashlib.sha256(precious.read_bytes()).hexdigest()
    jsonl = tmp_path / "run.jsonl"
    done = subprocess.run(["unshare", "-fp", "--mount-proc", str(tracelab.trace_binary()), "-q",
                           "--json", str(jsonl), "--timeout", "20", "--user", f"{UID}:{UID}", "--",
                           str(_copy(cli_progs, "hostile", open_dir)), str(precious)],
                          capture_output=True, text=True, timeout=60)
    said = dict(re.findall(r"^(uid|stop tracer|write [^:\s]+|kill -1|child killed by):? (\S+)$",
                           done.stdout, re.M))
    assert said == {"uid": str(UID), "stop tracer": "EPERM", f"write {precious}": "EACCES",
                    "kill -1": "ok", "child killed by": "9"}, done.stdout + done.stderr
    assert done.returncode == 0, done.stderr        # the tracer ran to the end, unstopped
    assert hashlib.sha256(precious.read_bytes()).hexdigest() == before
    t = tracelab.load(jsonl)
    assert not t.summary["timed_out"]
    kill = [c for c in t.syscalls(name="kill") if c["args"]["target"] == -1]
    assert len(kill) == 1 and kill[0]["ret"] == 0
    child = [s["child"] for s in t.spawns(kind="process")]
    assert len(child) == 1 and t.processes[child[0]].exit["signal"] == "SIGKILL"


def test_user_is_refused_without_root_and_for_root(cli_progs):
    """One line, status 2: --user switches users, which only root may do;
    and switching to root would drop nothing."""
    trace = str(tracelab.trace_binary())
    as_nobody = subprocess.run(["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
                                trace, "--user", str(UID), "--", "/bin/true"],
                               capture_output=True, text=True, timeout=10)
    assert as_nobody.returncode == 2 and "needs the tracer to run as root" in as_nobody.stderr
    for who in ("root", "0", "0:0", "12x"):
        done = subprocess.run([trace, "--user", who, "--", "/bin/true"], capture_output=True, text=True, timeout=10)
        assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, (who, done.stderr)


def test_max_procs_sets_the_kernels_limit_for_that_user(cli_progs, open_dir, tmp_path):
    """With --user, --max-procs N also sets RLIMIT_NPROC, which the kernel
    counts per user, threads included: 4N, a backstop above the tracer's
    own count (the program reads its own limit)."""
    precious = open_dir / "x"
    precious.write_text("x")
    done = subprocess.run(["unshare", "-fp", "--mount-proc", str(tracelab.trace_binary()), "-q",
                           "--max-procs", "20", "--user", str(UID + 1), "--",
                           str(_copy(cli_progs, "hostile", open_dir)), str(precious)],
                          capture_output=True, text=True, timeout=60)
    assert re.search(r"^nproc 80$", done.stdout, re.M), done.stdout + done.stderr
