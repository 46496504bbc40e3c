"""Every line of a trace that a lab's README quotes is a line that ./trace
prints for that lab today: checked on real runs of each command the
README gives (`./trace lab6`, `./trace lab6 natural`), with what varies
from run to run set aside (tracelab.quotes: times, pids, durations;
small numbers stay, they are the claims). So no README drifts from the
tracer. Not named test_labNN_*: grading a lab does not run it (a
submission's program is not the README's).

A quoted line must be printed by every run, save under a variant whose
lesson is the race itself (lab 6's natural run), where it must be printed
by one of a few. A line the README wraps as the tracer does is one line;
the expert's lines count for a README that gives `./trace labN --verbose`."""

from pathlib import Path

import pytest

import tracelab
from tracelab.quotes import RACES, commands, quoted, shape, unseen, unseen_lines, unwrapped, verbose

LABS = Path(tracelab.REPO) / "labs"
READMES = sorted(LABS.glob("lab*/README.md"))


@pytest.mark.parametrize("readme", READMES, ids=lambda p: p.parent.name)
def test_every_line_a_readme_quotes_is_printed_by_its_runs(readme):
    text = readme.read_text()
    folder = readme.parent.name
    lab = f"lab{int(folder[3:5])}"
    assert quoted(text), f"{folder}/README.md quotes no line of a trace"
    variants = commands(text) or [None]
    plain = [tracelab.run_lab(lab, v) for v in variants if (folder, v) not in RACES]
    missing = unseen(text, plain)
    for v in variants:
        for _ in range(RACES.get((folder, v), 0)):
            if not missing:
                break
            missing = unseen_lines(missing, [tracelab.run_lab(lab, v)], verbose(text))
    assert not missing, (f"{folder}/README.md quotes lines that no run of {variants} prints:\n    "
                         + "\n    ".join(missing))


def test_a_changed_quote_is_caught():
    """The check can fail: a quoted line with a word changed is unseen."""
    readme = LABS / "lab05-fork-per-client" / "README.md"
    text = readme.read_text()
    line = next(l for l in text.splitlines() if "fork() = 0" in l)
    changed = text.replace(line, line.replace("fork() = 0", "fork() = 1"))
    t = tracelab.run_lab("lab5")
    assert unseen(text, [t]) == [] and unseen(changed, [t]) == [line.strip().replace("fork() = 0", "fork() = 1")]
    assert shape("  0.006 9827        lab06    accept(fd=3) = 4  <blocked 4.1 ms>") == \
        "T N lab06 accept(fd=3) = 4 <blocked D>"


WRAPPED = """\
## What to look for

      0.107 9316        lab07    | waitpid(pid=-1 (any child), options=WNOHANG) = 9322
                                 | -> status=exited 0
      0.108 9316        lab07    | sigreturn()

    the lesson of this run:
      3 children exited together; the handler looped
      and reaped all 3.

    ./trace lab7
    ./trace lab7 --verbose
"""


def test_a_wrapped_line_is_one_line():
    """A line the tracer wraps (under its words, handler bars repeated; a
    summary's sentence under its heading) is quoted and matched whole."""
    assert quoted(WRAPPED) == [
        "0.107 9316        lab07    | waitpid(pid=-1 (any child), options=WNOHANG) = 9322 -> status=exited 0",
        "0.108 9316        lab07    | sigreturn()",
        "the lesson of this run:",
        "3 children exited together; the handler looped and reaped all 3."]
    assert commands(WRAPPED) == [None] and verbose(WRAPPED)
    assert not verbose(WRAPPED.replace("./trace lab7 --verbose", "./trace lab7 restart"))


def test_a_verbose_line_needs_a_verbose_command_and_a_wrapped_one_all_its_words():
    """The expert's lines count only for a README that gives --verbose; a
    word changed on the second line of a wrapped line is caught."""
    t = tracelab.run_lab("lab5")
    clone = ("      0.002411 7989         lab05      fork() = 7992 (new process)  "
             "[clone CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD]\n")
    plain = "    ./trace lab5\n\n" + clone
    assert unseen(plain, [t]) == [clone.strip()]
    assert unseen(plain.replace("./trace lab5", "./trace lab5 --verbose"), [t]) == []
    wrapped = ("    ./trace lab5\n\n"
               "      0.039 15978       lab05    <- SIGCHLD from 15982 (child exited 0) -> default action: nothing runs;\n"
               "                                 the child stays a zombie until it is reaped\n")
    assert unseen(wrapped, [t]) == []
    assert len(unseen(wrapped.replace("stays a zombie", "stays a ghost"), [t])) == 1
    # "..." stands for what some runs print and others do not, nothing too
    # (here: no <blocked ...> mark after "(new process)")
    elided = "    ./trace lab5\n\n      0.033 15978       lab05    fork() = 15982 (new process)  ...\n"
    assert unseen(elided, [t]) == []
    assert len(unseen(elided.replace("new process", "old process"), [t])) == 1


def test_unwrapped_gives_each_line_whole_as_the_tracer_spaces_it():
    """The exercises read a wrapped line whole: its words joined by a
    space, a mark (<blocked ...>, [library call]) two spaces after them,
    as the tracer prints it on one line; the program's lines left as they
    are."""
    printed = ("  0.309 19211       lab06    accept(fd=3) <- interrupted by SIGCHLD: returns -1 EINTR to the program\n"
               "                             <blocked 251.6 ms>\n"
               "lab06[19211]: accept() interrupted by a signal (EINTR): again\n"
               "  0.311 19211       lab06    | wait(pid=-1 (any child), options=0) = 19215\n"
               "                             | -> status=exited 0\n"
               "  0.020 10521       lab08    pthread_create(thread=10529, attr=PTHREAD_CREATE_DETACHED) = 0\n"
               "                             [library call]\n"
               "the lesson of this run:\n"
               "  5 children exited, 1 SIGCHLD was delivered, the handler reaped 1: 4 zombies leaked. One signal can\n"
               "  stand for several exits.\n")
    assert unwrapped(printed).splitlines() == [
        "  0.309 19211       lab06    accept(fd=3) <- interrupted by SIGCHLD: returns -1 EINTR to the program"
        "  <blocked 251.6 ms>",
        "lab06[19211]: accept() interrupted by a signal (EINTR): again",
        "  0.311 19211       lab06    | wait(pid=-1 (any child), options=0) = 19215 -> status=exited 0",
        "  0.020 10521       lab08    pthread_create(thread=10529, attr=PTHREAD_CREATE_DETACHED) = 0  [library call]",
        "the lesson of this run:",
        "  5 children exited, 1 SIGCHLD was delivered, the handler reaped 1: 4 zombies leaked. One signal can"
        " stand for several exits."]
