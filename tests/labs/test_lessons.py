"""Every lab says its lesson at the end of its summary, with the counts
of that run (lab.conf's `lesson`, filled from the summary's `facts`), and
every question it asks under --predict is answered by one of those
facts. The sentence is checked against a second filling of the holes,
in Python, over the facts of the JSON trace; the facts themselves are
checked against the events in tests/tracer/test_lesson.py and
test_diagnoses.py."""

import subprocess

import pytest

import tracelab
from lessons_oracle import fill, said
from tracelab.runner import list_labs

LABS = list_labs()


RUNS = [(lab, None) for lab in LABS] + [(lab, v) for lab in LABS for v in lab["variants"]]


@pytest.mark.parametrize("lab, variant", RUNS, ids=lambda x: x["lab"] if isinstance(x, dict) else str(x))
def test_each_lab_and_variant_says_its_lesson_with_this_runs_counts(lab, variant):
    assert lab["lesson"], f"{lab['dir']}/lab.conf has no lesson line"
    t = tracelab.run(lab=lab["lab"], variant=variant)
    lesson = t.events[0]["lesson"]          # the trace line carries the variant's own
    assert lesson and (variant or lesson == lab["lesson"])
    facts = t.summary["facts"]
    assert said(t.stderr) == fill(lesson, facts)
    for q in lab["predict"]:
        assert isinstance(facts[q["fact"]], int), q


def test_with_q_alone_a_lesson_counted_from_calls_says_to_run_without_it():
    done = subprocess.run([str(tracelab.trace_binary()), "-q", "lab2"], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0
    assert "run the lab without -q" in said(done.stderr)


def test_the_top_readme_quotes_lab6s_lesson_as_a_run_says_it():
    """README.md quotes lab 6's lesson: the held run says it so, every run."""
    readme = (tracelab.REPO / "README.md").read_text()
    block = readme[readme.index("    the lesson of this run:\n"):].split("\n\n")[0].splitlines()[1:]
    quoted = " ".join(line.strip() for line in block)
    t = tracelab.run(lab="lab6")
    assert said(t.stderr) == quoted
    assert "--predict lab6" in readme and all(q["question"].startswith("How many") for q in
                                              next(l for l in LABS if l["lab"] == "lab06-sigchld-wait")["predict"])
