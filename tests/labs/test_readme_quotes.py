"""Every line of a trace that a lab's README quotes is a line that ./trace
prints for that lab today: checked on real runs of each command the
README gives (`./trace lab6`, `./trace lab6 natural`), with what varies
from run to run set aside (tracelab.quotes: times, pids, durations;
small numbers stay, they are the claims). So no README drifts from the
tracer. Not named test_labNN_*: grading a lab does not run it (a
submission's program is not the README's).

A quoted line must be printed by every run, save under a variant whose
lesson is the race itself (lab 6's natural run), where it must be printed
by one of a few."""

from pathlib import Path

import pytest

import tracelab
from tracelab.quotes import commands, quoted, shape, unseen

LABS = Path(tracelab.REPO) / "labs"
READMES = sorted(LABS.glob("lab*/README.md"))
# (folder, variant) -> runs, one of which must print each quoted line
RACES = {("lab06-sigchld-wait", "natural"): 5}


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
            missing = [l for l in missing if l in unseen("\n".join("    " + m for m in missing),
                                                          [tracelab.run_lab(lab, v)])]
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
