"""Deaths are told in the order they happened.

Once an orphan is re-parented to the tracer (the subreaper), it is the
tracer's own child, and waitpid(-1) reports the tracer's children before
the tasks it only traces: an orphan's death can reach the tracer before
the death of the parent it outlived. The trace must still tell the
parent's death first (tracer/core/loop.c, parent_first)."""

import tracelab


def test_an_orphan_dies_after_its_parent_in_the_trace(cli_progs):
    t = tracelab.run([cli_progs / "orphans", "300"])
    assert t.returncode == 0
    made_by = {s["child"]: s["pid"] for s in t.spawns(kind="process")}
    died_at = {e["pid"]: e["t"] for e in t.exits(process=True)}
    orphans = [c for c, p in made_by.items() if p != t.root]
    assert len(orphans) == 300
    # by construction each orphan spins until its parent is gone
    early = [c for c in orphans if died_at[c] < died_at[made_by[c]]]
    assert early == []
    # each is an orphan the tracer adopted, none a leak
    adopted = {r["child"] for r in t.reaps(how="adopted")}
    assert set(orphans) <= adopted and t.zombies.leaked == []
