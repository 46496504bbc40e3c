"""Worked solutions of the labs' exercises, run the way the README says.
They live under tests/, not in the lab folders, so that a student finds
the exercise there and the answer nowhere near it.

A solution is a patch in tests/labs/solutions/ (labNN-what.diff), made
against the kit's labs/ folder: the change the exercise asks for, to the
lab's .c or its lab.conf. worked(tmp, "lab09-...", "lab09-join-all.diff")
copies the lab's folder, applies the patch (it must apply cleanly: a lab
that changed under it fails here, not silently), and builds the program
with the flags of `make labN` (-Werror included: an exercise done as
written must compile). worked(tmp, lab) alone is the unchanged lab, built
the same way, for the check that must fail on it.

run_solution("labNN_exK_what.diff", N, workdir) applies such a patch and
builds the lab's source so changed as a student's submission is built
(tracelab.submission), in place of lab N's program, and traces it under
the lab's scenario.

run_trace(labs, "lab9", ...) is `./trace ...` as the student types it,
with that copy as the labs folder; it returns the timeline (stderr, each
line the tracer wrapped one line again), the program's output (stdout)
and the exit status. traced(labs, "lab9") runs
the same through the kit's runner, for checks on the events.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import tracelab
from tracelab import runner, submission
from tracelab.expect import ExpectationFailed
from tracelab.quotes import timeline, unwrapped

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"
REPO = runner.REPO
LABS = REPO / "labs"
# What `make labN` passes (Makefile: CFLAGS and the lab rule).
CFLAGS = ["-O2", "-g", "-Wall", "-Wextra", "-Werror", "-D_GNU_SOURCE", "-pthread"]
RUN_TIMEOUT = 60


def worked(tmp, lab, patch=None):
    """A labs folder in tmp holding lab (its folder name), with the patch
    applied and the program built. Returns the labs folder."""
    runner.build_kit()
    labs = Path(tmp) / ("labs-" + (Path(patch).stem if patch else "as-given"))
    shutil.copytree(REPO / "labs" / lab, labs / lab)
    for built in (labs / lab).iterdir():
        if built.is_file() and os.access(built, os.X_OK):
            built.unlink()
    if patch:
        done = subprocess.run(["patch", "-p1", "--batch", "--forward", "-i", str(SOLUTIONS / patch)],
                              cwd=labs, capture_output=True, text=True)
        assert done.returncode == 0, f"{patch} does not apply to {lab}:\n{done.stdout}{done.stderr}"
    kitlib = REPO / "kit" / "lib"
    for source in (labs / lab).glob("*.c"):
        cc = subprocess.run(["gcc", *CFLAGS, f"-I{kitlib}", "-o", str(source.with_suffix("")),
                             str(source), str(kitlib / "labkit.c")], capture_output=True, text=True)
        assert cc.returncode == 0, f"{source.name} with {patch} does not build:\n{cc.stderr}"
    return labs


def run_trace(labs, *args, timeout=RUN_TIMEOUT):
    """`./trace --color never ARGS...` on the labs folder labs: (exit
    status, the timeline and summary (unwrapped), the program's own output)."""
    env = {**os.environ, "TRACELAB_LABS": str(labs)}
    done = subprocess.run([str(tracelab.trace_binary()), "--color", "never", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=timeout)
    return done.returncode, unwrapped(done.stderr), done.stdout


def traced(labs, lab, variant=None, **kw):
    """The lab run by the kit's runner on the labs folder labs: a Trace."""
    return runner.run(lab=lab, variant=variant, labs=labs, timeout=RUN_TIMEOUT, **kw)


def shell(labs, command, timeout=RUN_TIMEOUT):
    """A README's check command, typed as written at the kit's root
    (`./trace lab9 2>&1 | tail -3`), on the labs folder labs: its output
    (stdout and stderr together, as a terminal shows them)."""
    env = {**os.environ, "TRACELAB_LABS": str(labs)}
    done = subprocess.run(["bash", "-c", command], cwd=REPO, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout)
    return unwrapped(done.stdout)


_PATCHED = re.compile(r"^\+\+\+ b/([^/\s]+)/(\S+)", re.M)


def run_solution(name, lab, workdir, variant=None):
    """Build a solution in place of lab LAB's program, as a student's
    submission is built, and trace the lab: a Trace. name: a patch of
    solutions/ (the lab's source it patches, so changed, is the
    submission: a lab 6 fix may be handed in for lab 7) or a source file."""
    source = Path(name)
    if str(name).endswith(".diff"):
        folder, file = _PATCHED.search((SOLUTIONS / name).read_text()).groups()
        source = worked(Path(workdir) / "patched", folder, name) / folder / file
    build = submission.prepare(source if source.is_absolute() else SOLUTIONS / source, lab=str(lab),
                               workdir=workdir)
    assert build.ok, f"{name} does not build:\n{build.output}"
    try:
        trace = runner.run(lab=f"lab{lab}", variant=variant, labs=build.labs_dir)
    finally:
        build.cleanup()
    assert not trace.stopped and trace.summary is not None, (name, trace.stopped)
    return trace


def text_of(trace, expert=False):
    """What the student reads of a trace: the tracer's own text for its
    events (`./trace --replay`), the summary included, each line it wrapped
    one line again; the expert's view (--verbose) when expert."""
    return "".join(line + "\n" for line in timeline(trace, expert))


def fails(check, trace):
    """The check does not hold on this trace."""
    __tracebackhide__ = True
    with pytest.raises(ExpectationFailed):
        check(trace)
