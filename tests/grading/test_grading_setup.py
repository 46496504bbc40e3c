"""The set-up before a program's main() is not the program's own code
(kit/tracelab/before_main.py): the rule on hand-made traces (an exec and
its start, a fork from main and one from a constructor, threads, a static
program with no start, a program that dies in its loader, two execs, an
attached run), what the checks of tracelab.expect see, what the guard
calls the program's own; then real runs, where the oracle is the events'
own order (exec, start) and what each call is told apart by (its count,
its process): lab 8 in Vietnamese, whose set-up loads the labs' catalog
and reads a file to its end, and in English; a constructor's calls in a
dynamic and a static build; a constructor that forks."""

import subprocess
from pathlib import Path

import pytest

from tracelab import before_main
from tracelab.expect import ExpectationFailed, call, expect
from tracelab.guard import programs_own
from tracelab.trace import Trace

ROOT, CHILD, THREAD = 100, 101, 102
# Programs with a constructor, shared with the timeline's tests of set-up
# (tests/tracer/test_setup_hidden.py).
CLI = Path(__file__).parent.parent / "tracer" / "cli"
CTOR_FIRST, CTOR_FORK = CLI / "ctor_first.c", CLI / "ctor_fork.c"


class Run:
    """A hand-made trace, line by line; t grows by 1 ms a line. Each
    method returns the event it added, so a test can name it."""

    def __init__(self, attached=False):
        self.t = 0
        self.events = [{"type": "trace", "t": 0, "pid": ROOT, "tid": ROOT, "version": 1,
                        "argv": ["./prog"], "classes": ["process", "io"], "attached": attached,
                        "hook": True, "name": "prog", "tracer_pid": 99}]

    def add(self, type, pid=ROOT, tid=None, **fields):
        self.t += 1_000_000
        ev = {"type": type, "t": self.t, "pid": pid, "tid": tid or pid, **fields}
        self.events.append(ev)
        return ev

    def exec(self, pid=ROOT, dynamic=True):
        return self.add("exec", pid, path="/bin/prog", argv=["prog"], name="prog", dynamic=dynamic)

    def start(self, pid=ROOT):
        return self.add("start", pid)

    def read(self, count, pid=ROOT, tid=None, ret=0):
        return self.add("syscall", pid, tid, name="read", call="read", args={"fd": 3, "count": count},
                        out={}, ret=ret, err=None, dur_ns=1000)

    def close(self, pid=ROOT, tid=None):
        return self.add("syscall", pid, tid, name="close", call="close", args={"fd": 3}, out={},
                        ret=0, err=None, dur_ns=1000)

    def fork(self, child=CHILD, pid=ROOT):
        return self.add("spawn", pid, child=child, kind="process", call="fork", syscall="clone",
                        flags=[])

    def thread(self, tid=THREAD, pid=ROOT):
        return self.add("spawn", pid, child=tid, kind="thread", call="pthread_create",
                        syscall="clone3", flags=["CLONE_THREAD"])

    def exit(self, pid=ROOT, tid=None, process=True):
        return self.add("exit", pid, tid, code=0, signal=None, core=False, process=process)

    def trace(self):
        return Trace(self.events)


def same(got, want):
    """The same events (the very dicts), in the same order."""
    return [id(ev) for ev in got] == [id(ev) for ev in want]


def split_holds(trace):
    """setup and own_events are the trace's events, each once, in order."""
    setup, own = {id(ev) for ev in trace.setup}, {id(ev) for ev in trace.own_events}
    assert not setup & own
    assert same([ev for ev in trace.events if id(ev) in setup], trace.setup)
    assert same([ev for ev in trace.events if id(ev) in own], trace.own_events)
    assert len(setup) + len(own) == len(trace.events)


# ------------------------------------------------------------ the rule

def test_from_an_exec_to_its_start_is_setup():
    """The loader's and a constructor's calls between the exec and the
    start are set-up; the exec, the marker and main's calls are not."""
    r = Run()
    launch = r.exec()
    loader = [r.read(832, ret=832), r.close(), r.read(4096, ret=0), r.close()]
    marker = r.start()
    own = [r.read(16), r.close(), r.exit()]
    t = r.trace()
    assert same(t.setup, loader)
    assert same(t.own_events, [t.events[0], launch, marker, *own])
    assert before_main.setup_flags(t.events) == [False, False] + [True] * 4 + [False] * 4
    split_holds(t)


@pytest.mark.parametrize("case", ["static", "dies in its loader", "trace ends first"])
def test_no_start_means_no_setup(case):
    """A static program never sends a start (no loader, no hook): its
    first calls are its own. So are those of a dynamic program that dies
    before main, or is still before it when the trace ends: nothing is
    left out on the promise of a marker that never came."""
    r = Run()
    r.exec(dynamic=case != "static")
    r.read(832, ret=832)
    r.close()
    if case != "trace ends first":
        r.exit()
    t = r.trace()
    assert t.setup == []
    assert same(t.own_events, t.events)


def test_a_child_forked_by_main_has_no_setup():
    """A fork goes on with its parent's program: forked from main(), the
    child has no start of its own and no set-up; its exec starts a new one."""
    r = Run()
    r.exec()
    loader = [r.read(832, ret=832), r.close()]
    r.start()
    r.fork()
    childs = [r.read(8, pid=CHILD), r.close(pid=CHILD)]
    r.exec(pid=CHILD)
    childs_loader = [r.read(832, pid=CHILD, ret=832)]
    r.start(pid=CHILD)
    r.read(16, pid=CHILD)
    t = r.trace()
    assert same(t.setup, loader + childs_loader)
    assert all(any(ev is own for own in t.own_events) for ev in childs)
    split_holds(t)


def test_a_child_forked_in_setup_is_in_setup_until_its_own_start():
    """Forked by a constructor, the child is in its parent's set-up, and
    the hook's main() marks its start as it does the parent's; one that
    never gets there (it exits in the constructor) has all its own."""
    r = Run()
    r.exec()
    spawn = r.fork()
    childs_setup = [r.read(8, pid=CHILD), r.close(pid=CHILD)]
    spawn2 = r.fork(child=CHILD + 1)
    quitter = [r.read(8, pid=CHILD + 1), r.exit(pid=CHILD + 1)]
    parents = r.close()
    r.start()
    r.start(pid=CHILD)
    mains = [r.read(16), r.read(16, pid=CHILD)]
    t = r.trace()
    assert same(t.setup, [spawn, *childs_setup, spawn2, parents])
    assert not {id(ev) for ev in t.setup} & {id(ev) for ev in quitter + mains}
    split_holds(t)


def test_threads_follow_their_process():
    """A thread made before main (by a constructor) is in set-up until the
    process's start, and its own after it; one made by main is its own."""
    r = Run()
    r.exec()
    early = [r.thread(), r.read(8, tid=THREAD)]
    r.start()
    later = [r.read(16, tid=THREAD), r.exit(tid=THREAD, process=False),
             r.thread(THREAD + 1), r.read(16, tid=THREAD + 1)]
    t = r.trace()
    assert same(t.setup, early)
    assert all(any(ev is own for own in t.own_events) for ev in later)


def test_each_exec_has_its_set_up():
    """Exec twice: each program's set-up, from its exec to its start. An
    exec with no start before the next exec had none."""
    r = Run()
    r.exec()
    first = [r.read(832, ret=832)]
    r.start()
    r.read(16)
    r.exec()
    second = [r.read(832, ret=832), r.close()]
    r.start()
    r.exec()
    never_started = r.read(832, ret=832)
    r.exec()
    third = [r.read(832, ret=832)]
    r.start()
    t = r.trace()
    assert same(t.setup, first + second + third)
    assert any(ev is never_started for ev in t.own_events)
    split_holds(t)


def test_an_attached_run_has_no_setup():
    """A process the tracer attached to has no exec in the trace: its
    calls are all its own, even before a start (one would be a fork's)."""
    r = Run(attached=True)
    r.read(8)
    r.start()
    r.read(16)
    assert r.trace().setup == []


# --------------------------------------------- what the checks look at

def lab_like(read_in_main=False):
    """A server whose set-up reads a file to its end (the catalog's
    loading, in Vietnamese) and whose main thread then only accepts; its
    thread reads its client. With read_in_main, main reads once too."""
    r = Run()
    r.exec()
    r.read(832, ret=832)
    r.read(4096, ret=2996)
    r.read(4096, ret=0)
    r.close()
    r.start()
    r.add("syscall", name="accept", call="accept", args={"fd": 3}, out={}, ret=4, err=None)
    if read_in_main:
        r.add("syscall", name="read", call="read", args={"fd": 4, "count": 64}, out={}, ret=0,
              err=None)
    r.thread()
    r.add("syscall", tid=THREAD, name="read", call="read", args={"fd": 4, "count": 64}, out={},
          ret=0, err=None)
    return r.trace()


def test_the_checks_see_the_programs_own_events():
    """never(call("read")) on the main thread holds though its set-up
    read; a read of main's own fails it, as does counting the set-up's."""
    t = lab_like()
    e = expect(t)
    e.main_thread.never(call("read"))
    e.parent.exactly(1, call("read")).never(call("close"))
    e.exactly(1, call("read"))
    e.every_thread.does(call("read", ret=0))
    assert len(t.syscalls("read", tid=ROOT)) == 3        # the trace itself keeps them
    with pytest.raises(ExpectationFailed, match="Found 1"):
        expect(lab_like(read_in_main=True)).main_thread.never(call("read"))


def test_the_guard_quotes_the_programs_own():
    """What a stopped program did last: its own events, without the set-up
    and without the tracer's exec of it; a child's exec is the child's."""
    r = Run()
    r.exec()
    r.read(832, ret=832)
    r.start()
    fork = r.fork()
    childs_exec = r.exec(pid=CHILD)
    own = programs_own(r.trace())
    assert [ev["type"] for ev in own] == ["trace", "start", "spawn", "exec"]
    assert own[2] is fork and own[3] is childs_exec


# ------------------------------------------------------------ real runs

@pytest.fixture(scope="module", params=["vi", "en"])
def lab8(request, shared_trace_lab):
    return request.param, shared_trace_lab("lab8", extra_args=("--lang", request.param))


def exec_and_start(t):
    """Indexes of the root's exec and of its start marker."""
    kinds = [(ev["type"], ev.get("pid")) for ev in t.events]
    return kinds.index(("exec", t.root)), kinds.index(("start", t.root))


def test_lab8s_setup_is_from_its_exec_to_its_start(lab8):
    """In either language, the set-up is the server's events between its
    exec and its start, and every read its main thread makes is there:
    the checks see none, so never(call("read")) holds."""
    lang, t = lab8
    exec_at, start_at = exec_and_start(t)
    assert same(t.setup, t.events[exec_at + 1:start_at])
    split_holds(t)
    reads = [ev for ev in t.events if ev["type"] == "syscall" and ev["name"] == "read"
             and ev["tid"] == t.root]
    assert reads and all(exec_at < t.events.index(ev) < start_at for ev in reads)
    assert not {id(ev) for ev in reads} & {id(ev) for ev in t.own_events}
    expect(t).main_thread.never(call("read"))
    expect(t).every_thread.does(call("read", ret=0))


def test_the_catalogs_loading_is_setup_in_vietnamese(lab8):
    """In Vietnamese the lab loads its catalog before main: the set-up
    reads a file to its end (the C library's locale alias file, read once
    the language is chosen), which the English set-up does not; the lab
    then speaks Vietnamese. That read is in setup, not in own_events."""
    lang, t = lab8
    to_the_end = [ev for ev in t.setup if ev["type"] == "syscall" and ev["name"] == "read"
                  and ev["ret"] == 0]
    if lang == "vi":
        assert "đang lắng nghe trên" in t.stdout and "listening on" not in t.stdout
        assert to_the_end and all(ev["tid"] == t.root for ev in to_the_end)
        assert not {id(ev) for ev in to_the_end} & {id(ev) for ev in t.own_events}
    else:
        assert "listening on" in t.stdout
        assert to_the_end == []


def build(tmp_path, source, static=False):
    prog = tmp_path / (source.stem + ("_static" if static else ""))
    subprocess.run(["gcc", "-O1", *(["-static"] if static else []), "-o", prog, source], check=True)
    return prog


def reads(events, count, pid=None):
    return [ev for ev in events if ev["type"] == "syscall" and ev["name"] == "read"
            and ev["args"].get("count") == count and (pid is None or ev["pid"] == pid)]


@pytest.mark.parametrize("link", ["dynamic", "static"])
def test_a_constructors_calls_are_setup_when_a_start_comes(trace_cmd, tmp_path, link):
    """ctor_first reads 8 bytes in a constructor and 16 in main. Built
    dynamically, the 8 are set-up and the 16 its own; built statically,
    no hook runs in it, no start comes, and both reads are its own."""
    t = trace_cmd([build(tmp_path, CTOR_FIRST, static=link == "static")], classes="io")
    assert t.exit_status == 0
    (setup_read,), (own_read,) = reads(t.events, 8), reads(t.events, 16)
    assert any(ev is own_read for ev in t.own_events)
    if link == "dynamic":
        assert len(t.select("start")) == 1
        assert any(ev is setup_read for ev in t.setup)
    else:
        assert t.select("start") == [] and t.setup == []
    split_holds(t)


def test_a_child_forked_by_a_constructor(trace_cmd, tmp_path):
    """ctor_fork forks in a constructor: the child reads 8 bytes there,
    then sends its own start before main, whose 16-byte read is its own;
    the fork itself was the parent's set-up."""
    t = trace_cmd([build(tmp_path, CTOR_FORK)], classes="io,process,wait")
    assert t.exit_status == 0
    (spawn,) = t.spawns(kind="process")
    child = spawn["child"]
    assert sorted(ev["pid"] for ev in t.select("start")) == sorted([t.root, child])
    setup_ids = {id(ev) for ev in t.setup}
    assert id(spawn) in setup_ids
    assert {id(ev) for ev in reads(t.events, 8, child)} <= setup_ids and reads(t.events, 8, child)
    assert not setup_ids & {id(ev) for ev in reads(t.events, 16)}
    assert len(reads(t.events, 16)) == 2
    split_holds(t)
