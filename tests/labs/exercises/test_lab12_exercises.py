"""Lab 12's exercise, run as its README says: `./trace lab12 mutex
--trace process` shows no futex line, yet the program still reports its
waits and no update lost; as given (the sync class traced) the waits are
futex lines."""

from worked import run_trace, worked

LAB = "lab12-mutex-counter"


def test_exercise_the_waits_happen_untraced(tmp_path):
    labs = worked(tmp_path, LAB)
    status, timeline, out = run_trace(labs, "lab12", "mutex", "--trace", "process")
    assert status == 0, timeline
    assert "futex(" not in timeline.split("== summary ==")[0], timeline
    said = timeline + out   # the program's own lines, wherever it printed them
    assert ": 0 updates lost" in said and "asleep waiting for the lock" in said, said
    _, traced, _ = run_trace(labs, "lab12", "mutex")
    assert "futex(" in traced.split("== summary ==")[0]
