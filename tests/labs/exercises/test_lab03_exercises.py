"""Lab 3's exercises, each check of its README run on a worked solution
(tests/labs/solutions/lab03-*.diff) and on the lab as given, where it must
not pass. Both solutions build with the kit's -Werror, as `make lab3` does."""

import re

import pytest

from worked import run_trace, worked

LAB = "lab03-select"
ASKED = re.compile(r"select\(nfds=\d+, readfds=\{([\d ]*)\}")
RETURNED = re.compile(r"\) = \d+ -> readfds=\{([\d ]*)\}")


@pytest.fixture(scope="module")
def as_given(tmp_path_factory):
    return run_trace(worked(tmp_path_factory.mktemp("lab03"), LAB), "--timeout", "5", "lab3")


def sets(timeline):
    """(asked, returned) of each select line, as lists of fds."""
    out = []
    for line in timeline.splitlines():
        asked, got = ASKED.search(line), RETURNED.search(line)
        if asked:
            out.append(([int(x) for x in asked.group(1).split()],
                        [int(x) for x in got.group(1).split()] if got else []))
    return out


def test_exercise1_select_on_the_set_itself(tmp_path, as_given):
    """Exercise 1: select on &all. Check: each call asks about what the
    call before returned plus a new client (`{3 4}` returns `{3}`, the next
    asks about `{3 5}`), and the run ends only at the timeout."""
    _, timeline, _ = run_trace(worked(tmp_path, LAB, "lab03-select-on-all.diff"), "--timeout", "5", "lab3")
    calls = sets(timeline)
    assert calls[1:3] == [([3, 4], [3]), ([3, 5], [3])], timeline
    for (_, got), (asked, _) in zip(calls, calls[1:]):
        assert set(asked) - set(got) <= {max(asked)}, timeline    # lost the others
    assert "--timeout 5 s reached" in timeline
    _, given, _ = as_given
    assert "--timeout 5 s reached" not in given
    assert [3, 4, 5] in [asked for asked, _ in sets(given)]


def test_exercise2_nfds_off_by_one(tmp_path, as_given):
    """Exercise 2: select(maxfd, ...). Check: one select line, nfds=3 with
    readfds={} and fd 3 ignored, still blocked when killed, then the
    timeout; the summary says what went wrong."""
    _, timeline, _ = run_trace(worked(tmp_path, LAB, "lab03-nfds-off-by-one.diff"), "--timeout", "3", "lab3")
    events = timeline.split("== summary ==")[0]
    lines = [l for l in events.splitlines() if "select(" in l]
    assert len(lines) == 1, timeline
    assert re.search(r"select\(nfds=3, readfds=\{\}, .*ignored=\{3\}, .*\)  "
                     r"<still blocked after [\d.]+ \w+ when it was killed>", lines[0]), lines
    assert "called select() with nfds=3 and fd 3 in a set" in timeline, timeline
    assert "--timeout 3 s reached" in timeline
    _, given, _ = as_given
    first = next(l for l in given.splitlines() if "select(" in l)
    assert "select(nfds=4, readfds={3}, " in first and "still blocked" not in first, first
