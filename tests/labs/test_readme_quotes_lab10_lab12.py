"""The trace lines that labs 10 and 12 quote in their READMEs, checked on
real runs of the kit's own labs (not graded: a submission's program is
not the README's). A line matches by its shape: times, pids, addresses
and other numbers may differ (tracelab.quotes).

Lab 10's older sections quote a SIGCHLD that arrives for the crashed
child; when the first child's exit and the crash come close together, one
SIGCHLD stands for both and that line is not printed. Only its "Passing
data back" section is checked here."""

from pathlib import Path

import pytest

import tracelab
from tracelab.quotes import quoted, unseen

LABS = Path(tracelab.REPO) / "labs"


@pytest.mark.parametrize("folder,runs,section,at_least", [
    ("lab10-fork-vs-threads", [("lab10", None), ("lab10", "join")], "## Passing data back", 2),
    ("lab12-mutex-counter", [("lab12", None), ("lab12", "mutex")], None, 4),
], ids=["lab10", "lab12"])
def test_the_quoted_lines_are_lines_of_real_runs(folder, runs, section, at_least):
    text = (LABS / folder / "README.md").read_text()
    assert len(quoted(text, section)) >= at_least, f"{folder}/README.md quotes fewer lines than it did"
    traces = [tracelab.run_lab(name, variant) for name, variant in runs]
    missing = unseen(text, traces, section)
    assert not missing, f"{folder}/README.md: no run has a line like:\n    " + "\n    ".join(missing)


def test_a_line_of_another_shape_is_caught():
    """The check can fail: a quoted line no run prints is reported."""
    text = ("    0.029950 18155/18156  lab12      futex(uaddr=0x5634074e81e0, op=FUTEX_WAIT_PRIVATE, "
            "val=2) = 0  <blocked 2.4 ms>\n"
            "    0.029950 18155/18156  lab12      futex(uaddr=0x5634074e81e0, op=FUTEX_LOCK_PI, val=2) = 0\n")
    missing = unseen(text, [tracelab.run_lab("lab12", "mutex")])
    assert missing == [quoted(text)[1]]
