"""Lab 11's exercises, each check of its README run on a worked solution
(tests/labs/solutions/lab11-*.diff) and on the lab as given, where it must
not pass."""

import re

import pytest

from worked import shell, worked

LAB = "lab11-poll-epoll"
PEAK = re.compile(r"all clients gone; (\d+) were connected at once at most")
# \s+: the default timeline puts "-> events=[...]" on the next line when the call is long
EPOLL_RETURNS = re.compile(r"epoll_wait\(epfd=\d+, maxevents=(\d+), [^)]*\)\) = (\d+)\s+-> events=\[")
LONG_RUN = 300


@pytest.fixture(scope="module")
def as_given(tmp_path_factory):
    labs = worked(tmp_path_factory.mktemp("lab11"), LAB)
    return {variant: shell(labs, f"./trace lab11 {variant} 2>&1") for variant in ("", "epoll")}


def test_exercise1_a_thousand_clients(tmp_path, as_given):
    """Exercise 1: --clients 1000. Check: `grep -c 'nfds=1001'` is not 0,
    and both modes print `1000 were connected at once at most`."""
    labs = worked(tmp_path, LAB, "lab11-thousand-clients.diff")
    count = shell(labs, "./trace lab11 2>&1 | grep -c 'nfds=1001'", timeout=LONG_RUN)
    assert int(count) > 0, count
    for variant in ("", "epoll"):
        out = shell(labs, f"./trace lab11 {variant} 2>&1", timeout=LONG_RUN)
        assert PEAK.findall(out) == ["1000"], out[-2000:]
        assert "== the load generator is done (exit 0)" in out
        assert PEAK.findall(as_given[variant]) == ["100"]
    assert "nfds=1001" not in as_given[""]


def test_exercise2_four_at_a_time(tmp_path, as_given):
    """Exercise 2: maxevents 4. Check: every epoll_wait has maxevents=4 and
    returns at most 4, some `= 4 -> events=[...]` calls come one after
    another, and the load generator still ends `exit 0`."""
    out = shell(worked(tmp_path, LAB, "lab11-maxevents-4.diff"), "./trace lab11 epoll 2>&1")
    returns = [(int(m), int(n)) for m, n in EPOLL_RETURNS.findall(out)]
    assert returns and all(m == 4 and n <= 4 for m, n in returns), returns
    assert any(a == b == (4, 4) for a, b in zip(returns, returns[1:])), returns
    assert "== the load generator is done (exit 0)" in out and PEAK.findall(out) == ["100"]
    given = [(int(m), int(n)) for m, n in EPOLL_RETURNS.findall(as_given["epoll"])]
    assert given and all(m == 64 for m, _ in given) and "maxevents=4," not in as_given["epoll"]
