"""The timeline and the traced program's own output share a terminal or a
pipe (`./trace lab7 2>&1 | less`): each timeline line must reach it whole,
so that the program's lines fall between the tracer's, never inside one.

Written piece by piece (stderr is unbuffered: one write per character), a
line was cut by whatever the program printed meanwhile:

      0.048   25831     lab07    close(fd=3)lab07[25818]: client 2: served by child 25831
     = 0

The labs below print from several processes while the tracer writes. The kit's say() writes each of the program's lines in one write(),
and a pipe keeps a write of up to PIPE_BUF bytes whole.
"""

import re
import subprocess

import pytest

import tracelab

# A timeline line: the seconds, the pid (or pid/tid), then the words; a
# wrapped line goes on under the words, after the columns' width of spaces.
HEAD = re.compile(r" *\d+\.\d{3,6} +\d+(/\d+)? +\S")
WRAPPED = re.compile(r" {20,}\S")
LEGEND_POINTER = "(./trace --legend"
SUMMARY = "== summary =="


def program_line(lab):
    """What the kit's say() prints: "lab07[1234]: what happened"."""
    return re.compile(rf"lab{lab:02d}\[\d+\]: \S.*")


def broken_lines(output, lab):
    """The lines that are neither a whole timeline line nor a whole line
    of the program's, up to the summary."""
    prog = program_line(lab)
    timeline = output.split("\n" + SUMMARY)[0]
    broken = []
    for line in timeline.split("\n"):
        if f"lab{lab:02d}[" in line:
            whole = prog.fullmatch(line) and not HEAD.search(line)
        else:
            whole = line == "" or HEAD.match(line) or WRAPPED.match(line) or line.startswith(LEGEND_POINTER)
        if not whole:
            broken.append(line)
    return broken


# Runs of each lab: a cut needs the program to print while a line is being
# written, which the tracer before the fix let happen in about a third of
# the runs of each lab; 5 labs, 3 runs each caught it in 20 of 20 tries.
RUNS = 3


@pytest.mark.parametrize("lab", [6, 7, 8, 9, 10])
def test_the_programs_lines_fall_between_the_timelines(lab, trace_bin):
    for _ in range(RUNS):
        run = subprocess.run([trace_bin, f"lab{lab}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, timeout=120, cwd=tracelab.REPO)
        assert run.returncode == 0, run.stdout[-2000:]
        assert SUMMARY in run.stdout
        lines = run.stdout.split("\n")
        assert any(program_line(lab).fullmatch(line) for line in lines), "the program printed nothing"
        assert any(HEAD.match(line) for line in lines), "no timeline"
        assert broken_lines(run.stdout, lab) == []


def test_a_cut_line_is_seen():
    """The check itself: the line above, cut by the program's, is caught."""
    cut = ("  0.048   25831     lab07    close(fd=3)lab07[25818]: client 2: served by child 25831\n"
           " = 0\n\n" + SUMMARY + "\n")
    assert broken_lines(cut, 7) == [cut.split("\n")[0], " = 0"]
    whole = ("  0.048   25831     lab07    close(fd=3) = 0\nlab07[25818]: client 2: served by child 25831\n"
             "                             | -> status=exited 0\n\n" + SUMMARY + "\n")
    assert broken_lines(whole, 7) == []
