"""The expectation language (tracelab.expect) and the timeline lines of its
messages, on hand-written traces: orders, scopes, handler runs, counts,
several orderings, and what a student reads when one fails."""

import json
import subprocess

import pytest

import tracelab
from tracelab import timeline
from tracelab.expect import (ABSENT, ANY, HANDLER, HIGHEST_FD_PLUS_ONE, LISTENER,
                             LISTENER_AND_OPEN, OWN_PID, READY, ExpectationFailed, UsageError,
                             above, below, besides_listener, between, call, event, exited, expect,
                             first, has, its, killed_by, last, leaked_zombie, length, load_done,
                             new_process, new_thread, not_, one_of, reaped, same, signal,
                             subset_of, summary)

ROOT = 100


class Events:
    """Builds a trace line by line; t grows by 1 ms a line."""

    def __init__(self, classes=("process", "signal", "wait", "io")):
        self.t = 0
        self.events = [{"type": "trace", "t": 0, "pid": ROOT, "tid": ROOT, "version": 1,
                        "argv": ["./server"], "classes": list(classes), "attached": False,
                        "lab": "lab07-waitpid-loop", "name": "server", "tracer_pid": 99}]

    def add(self, type, pid=ROOT, tid=None, **fields):
        self.t += 1_000_000
        self.events.append({"type": type, "t": self.t, "pid": pid, "tid": tid or pid, **fields})
        return self

    def sys(self, call, name=None, pid=ROOT, tid=None, ret=0, err=None, args=None, out=None, **extra):
        return self.add("syscall", pid, tid, name=name or call, call=call, args=args or {},
                        out=out or {}, ret=ret, err=err, dur_ns=extra.pop("dur_ns", 1000), **extra)

    def fork(self, child, pid=ROOT):
        return self.add("spawn", pid, child=child, kind="process", call="fork", syscall="clone", flags=[])

    def thread(self, tid, pid=ROOT):
        return self.add("spawn", pid, child=tid, kind="thread", call="pthread_create",
                        syscall="clone3", flags=["CLONE_THREAD"])

    def sigaction(self, sig="SIGCHLD", handler="0x5555"):
        return self.sys("sigaction", "rt_sigaction", args={"sig": sig, "handler": handler,
                                                          "flags": ["SA_RESTORER"], "mask": []})

    def signal(self, sig="SIGCHLD", action="handler", pid=ROOT, tid=None, sender=None):
        return self.add("signal", pid, tid, sig=sig, sender=sender, code="CLD_EXITED", action=action)

    def sigreturn(self, pid=ROOT, tid=None):
        return self.sys("sigreturn", "rt_sigreturn", pid=pid, tid=tid, ret=None, dur_ns=0)

    def waitpid(self, ret, options=("WNOHANG",), err=None, pid=ROOT):
        call = "waitpid" if options else "wait"
        out = {"status": {"exited": 0}} if ret and ret > 0 else {}
        return self.sys(call, "wait4", pid=pid, ret=ret, err=err,
                        args={"pid": -1, "options": list(options)}, out=out, **{"class": "wait"})

    def exit(self, pid, code=0):
        return self.add("exit", pid, code=code, signal=None, core=False, process=True)

    def trace(self):
        return tracelab.load([__import__("json").dumps(ev) for ev in self.events])


def lab7_like(handler_waits=((101, 102), (0,)), fork_first=False):
    """A server that installs its SIGCHLD handler, forks two children, and
    reaps them in one handler run."""
    e = Events()
    e.sys("listen", args={"fd": 3, "backlog": 10})
    if fork_first:
        e.sys("accept", args={"fd": 3}, ret=4).fork(101)
    e.sigaction()
    if not fork_first:
        e.sys("accept", args={"fd": 3}, ret=4).fork(101)
    e.sys("accept", args={"fd": 3}, ret=5).fork(102)
    e.exit(101).exit(102)
    e.signal()
    # accept was under way when SIGCHLD came: its line follows the signal's
    # with the same time, and it is not part of the handler.
    e.events.append({"type": "syscall", "t": e.t, "pid": ROOT, "tid": ROOT, "name": "accept",
                     "call": "accept", "class": "io", "args": {"fd": 3}, "out": {}, "ret": -1,
                     "err": "EINTR", "dur_ns": 5_000_000, "interrupted": "EINTR", "signal": "SIGCHLD"})
    for group in handler_waits:
        for r in group:
            if r == -1:
                e.waitpid(-1, err="ECHILD")
            else:
                e.waitpid(r)
                if r > 0:
                    e.add("reap", child=r, by=ROOT, how="wait", zombie_ns=1000, leaked=False)
    e.sigreturn()
    e.sys("accept", args={"fd": 3}, ret=6)
    return e


# ------------------------------------------------------------------ orders

def test_order_passes_as_a_subsequence():
    t = lab7_like().trace()
    expect(t).parent.in_order(call("sigaction", sig="SIGCHLD", handler=HANDLER),
                              first(call("fork")))
    expect(t).parent.in_order("listen", "accept", "fork", "fork")
    expect(t).parent.before(call("listen"), call("accept"))
    expect(t).parent.in_order(call("fork"), last(call("fork")))


def test_wrong_order_message_shows_the_timeline_and_the_culprit():
    t = lab7_like(fork_first=True).trace()
    with pytest.raises(ExpectationFailed) as err:
        expect(t).parent.in_order(call("sigaction", sig="SIGCHLD", handler=HANDLER),
                                  first(call("fork")))
    msg = str(err.value)
    assert msg.startswith("Expected, in the parent (pid 100): these, in this order")
    assert "1. sigaction(sig=SIGCHLD, handler=a handler function)" in msg
    assert "2. the first fork()" in msg
    assert "Found step 1, but not step 2 (the first fork())" in msg
    assert "comes too early" in msg
    # the tracer's own timeline lines, in the student's view (no kernel
    # names), with the nearest match pointed out
    assert " >>>   0.003 100         server   fork() = 101 (new process)" \
           "    <-- the first fork() is here: before step 1" in msg
    assert " >>>   0.004 100         server   sigaction(sig=SIGCHLD, handler=a function, " \
           "flags=0, mask=0) = 0    <-- step 1: sigaction" in msg
    assert "./trace lab07-waitpid-loop" in msg
    assert "{" not in msg.split("What happened")[1].replace("{SIG", "")  # no JSON


def test_missing_step_points_at_the_nearest_call():
    t = lab7_like(handler_waits=((101,),)).trace()
    with pytest.raises(ExpectationFailed) as err:
        expect(t).parent.in_order(call("sigaction"), call("waitpid", pid=-1, options="WNOHANG", ret=0))
    msg = str(err.value)
    assert "Found step 1, but not step 2" in msg
    assert "nearest: ret is 101, expected ret=0" in msg
    assert "waitpid(pid=-1 (any child), options=WNOHANG) = 101 -> status=exited 0" \
           "    <-- nearest: ret is 101" in msg


def test_step_that_only_happens_earlier():
    t = lab7_like().trace()
    with pytest.raises(ExpectationFailed) as err:
        expect(t).parent.in_order(call("fork"), call("listen"))
    assert "There is listen(), but only before step 1" in str(err.value)


def test_several_acceptable_orderings():
    t = lab7_like().trace()
    expect(t).parent.in_one_of_orders([call("fork"), call("sigaction")],
                                      [call("sigaction"), call("fork")])
    with pytest.raises(ExpectationFailed) as err:
        expect(t).parent.in_one_of_orders([call("select"), call("accept")],
                                          [call("fork"), call("sigaction")])
    msg = str(err.value)
    assert "one of these orders" in msg and "(a) select()  ->  accept()" in msg
    assert "(b) fork()  ->  sigaction()" in msg
    assert "order (b): Found step 1" in msg     # the nearer of the two is reported


# ---------------------------------------------------------------- handlers

def test_inside_the_handler_is_from_delivery_to_sigreturn():
    t = lab7_like().trace()
    runs = expect(t).parent.handler("SIGCHLD").streams
    assert len(runs) == 1
    calls = [ev.get("call") for ev in runs[0].events if ev["type"] == "syscall"]
    # the accept that SIGCHLD interrupted is not in the handler
    assert calls == ["waitpid", "waitpid", "waitpid", "sigreturn"]
    expect(t).parent.handler("SIGCHLD").does(call("waitpid", pid=-1, options="WNOHANG"))
    expect(t).parent.handler("SIGCHLD").never(call("accept"))
    expect(t).never(call("waitpid", options=not_("WNOHANG")))


def test_handler_that_calls_wait_once_is_explained():
    # lab 6's handler: a single wait()
    t = Events()
    t.sigaction().fork(101).fork(102).exit(101).exit(102).signal().waitpid(101, options=())
    t.sigreturn()
    t.add("reap", pid=99, child=102, by=99, how="adopted", zombie_ns=5, leaked=True)
    trace = t.trace()
    with pytest.raises(ExpectationFailed) as err:
        expect(trace).parent.handler("SIGCHLD").does(call("waitpid", pid=-1, options="WNOHANG"))
    msg = str(err.value)
    assert "Expected, in every run of the SIGCHLD handler in the parent (pid 100)" in msg
    assert ("it is wait(), not waitpid(); options is 0, without WNOHANG, so this wait() blocks "
            "until a child exits") in msg
    assert "wait(pid=-1 (any child), options=0) = 101 -> status=exited 0    <-- nearest" in msg
    with pytest.raises(ExpectationFailed) as err:
        expect(trace).no_leaked_zombies()
    msg = str(err.value)
    assert "Found 1 leaked zombie" in msg
    assert "child 102 exits: a zombie until its parent reaps it" in msg
    assert "99          [tracer] LEAKED zombie 102: its parent ended without reaping it" in msg


def test_a_wait_is_named_as_the_student_wrote_it():
    """The hook's name (libc) is the call's name; without the hook,
    wait(&s) and waitpid(-1, &s, 0) are one call said both ways, and a
    pattern for either matches it. Either way it is a wait4 too."""
    e = Events()
    e.sys("waitpid", "wait4", ret=101, args={"pid": -1, "options": []}, libc="waitpid")
    e.sys("wait", "wait4", ret=102, args={"pid": -1, "options": []}, call_or="waitpid")
    hooked, unhooked = e.trace().syscalls()
    assert call("waitpid").matches(hooked) and not call("wait").matches(hooked)
    assert call("waitpid", libc="waitpid").matches(hooked)
    assert call("wait").matches(unhooked) and call("waitpid").matches(unhooked)
    assert call("wait4").matches(hooked) and call("wait4").matches(unhooked)
    assert not call("wait3").matches(unhooked)
    assert call("wait3").differences(unhooked) == ["it is wait() or waitpid(), not wait3()"]
    blocks = call("waitpid", options="WNOHANG").that(**{"class": "wait"})
    hooked["class"] = "wait"
    assert blocks.differences(hooked) == \
        ["options is 0, without WNOHANG, so this waitpid() blocks until a child exits"]


def test_sigchld_ignored_is_named_where_a_check_about_it_fails():
    """A check about the SIGCHLD handler, waiting or SIGCHLD itself that
    fails where SIGCHLD is ignored says why: the kernel reaps the children;
    a check about something else says nothing of it."""
    e = Events()
    e.sys("signal", "rt_sigaction", args={"sig": "SIGCHLD", "handler": "SIG_IGN", "flags": [],
                                          "mask": []})
    e.fork(101).exit(101).add("reap", child=101, by=ROOT, how="auto", zombie_ns=0, leaked=False)
    trace = e.trace()
    reason = "The children are reaped by the kernel because SIGCHLD is ignored"
    checks = {
        "handler": lambda: expect(trace).parent.handler("SIGCHLD").does(call("waitpid")),
        "sigaction": lambda: expect(trace).parent.does(call("sigaction", sig="SIGCHLD", handler=HANDLER)),
        "reaped": lambda: expect(trace).every_child.does(reaped(how="wait")),
        "signal": lambda: expect(trace).parent.does(signal("SIGCHLD")),
        "other": lambda: expect(trace).parent.does(call("select")),
    }
    said = {}
    for name, check in checks.items():
        with pytest.raises(ExpectationFailed) as err:
            check()
        said[name] = str(err.value)
    assert all(reason in said[k] for k in ("handler", "sigaction", "reaped", "signal"))
    assert reason not in said["other"]
    assert "But this lab asks for a SIGCHLD handler that reaps them." in said["handler"]
    assert "But this lab asks for a SIGCHLD handler that reaps them." in said["sigaction"]
    assert "reap its children itself, with wait() or waitpid()" in said["reaped"]
    assert "But this test expects SIGCHLD to come." in said["signal"]
    assert "(it did, 1 time in this run)" in said["reaped"]


def test_nested_handlers_keep_their_own_calls():
    e = Events()
    e.sigaction().sigaction("SIGUSR1")
    e.signal("SIGCHLD").waitpid(101)
    e.signal("SIGUSR1").sys("write", args={"fd": 1, "count": 3}, ret=3).sigreturn()
    e.waitpid(0).sigreturn()
    runs = expect(e.trace()).parent.handler("SIGCHLD").streams
    assert [ev.get("call") for ev in runs[0].events if ev["type"] == "syscall"] == \
        ["waitpid", "waitpid", "sigreturn"]
    usr1 = expect(e.trace()).handler("SIGUSR1").streams
    assert [ev.get("call") for ev in usr1[0].events if ev["type"] == "syscall"] == ["write", "sigreturn"]


def test_handler_that_never_runs_says_why():
    e = Events()
    e.fork(101).exit(101).signal(action="default")
    with pytest.raises(ExpectationFailed) as err:
        expect(e.trace()).parent.handler("SIGCHLD").does(call("waitpid"))
    msg = str(err.value)
    assert "the SIGCHLD handler never ran" in msg and "action default" in msg
    # at_most / never hold on no runs at all
    expect(e.trace()).parent.handler("SIGCHLD").never(call("wait"))


def test_handler_needs_the_signal_class():
    e = Events(classes=("process", "io"))
    with pytest.raises(UsageError, match="signal class"):
        expect(e.trace()).handler("SIGCHLD")


# ------------------------------------------------------------------ scopes

def test_every_child_every_thread_and_some():
    e = Events()
    e.fork(101).fork(102)
    e.sys("read", pid=101, args={"fd": 4, "count": 10}, ret=3)
    e.sys("read", pid=102, args={"fd": 5, "count": 10}, ret=0)
    e.exit(101).exit(102)
    e.thread(103).sys("write", tid=103, args={"fd": 1, "count": 2}, ret=2)
    t = e.trace()
    expect(t).every_child.does(call("read"))
    expect(t).every_child.never(call("fork"))
    expect(t).every_child.does(exited(0))
    expect(t).every_thread.does(call("write"))
    expect(t).every_child.some.does(call("read", ret=3))
    with pytest.raises(ExpectationFailed) as err:
        expect(t).every_child.does(call("read", ret=3))
    msg = str(err.value)
    assert "Expected, in every child process of the parent: read() returning 3" in msg
    assert "1 of 2 failed; the first is child 102" in msg
    assert "nearest: ret is 0, expected ret=3" in msg
    with pytest.raises(ExpectationFailed, match="at least one child process"):
        expect(t).every_child.some.does(call("read", ret=7))
    expect(t).some.every_child.does(call("read", ret=0))      # .some anywhere in the chain


def test_counts():
    t = lab7_like().trace()
    p = expect(t).parent
    p.exactly(2, call("fork")).at_least(1, call("fork")).at_most(2, new_process())
    p.never(new_thread())
    expect(t).exactly(1, signal("SIGCHLD", action="handler"))
    with pytest.raises(ExpectationFailed) as err:
        p.exactly(3, call("fork"))
    assert "exactly 3 x fork()" in str(err.value) and "Found 2." in str(err.value)
    with pytest.raises(ExpectationFailed) as err:
        p.at_most(1, call("fork"))
    assert "#2: one too many" in str(err.value)
    with pytest.raises(ExpectationFailed) as err:
        expect(t).never(call("fork"))
    msg = str(err.value)
    assert "no fork() at all" in msg and "fork() #1" in msg and "fork() #2" in msg
    with pytest.raises(ExpectationFailed) as err:
        p.does(call("select"))
    assert "Nothing like select() happens in the parent (pid 100)" in str(err.value)


def test_wanted_values():
    t = lab7_like().trace()
    p = expect(t).parent
    p.does(call("waitpid", options=has("WNOHANG")))
    p.does(call("waitpid", options=["WNOHANG"]))           # a list: exactly these
    p.never(call("waitpid", options=["WNOHANG", "WUNTRACED"]))
    p.does(call("waitpid", pid=one_of(-1, 0)))
    p.does(call("waitpid", pid={-1, 0}))                    # a set: any of them
    p.does(call("waitpid", ret=lambda r: r > 100))
    p.does(call("waitpid", err=None))
    p.does(call("accept", err="EINTR", interrupted=ANY))
    p.does(call("sigaction", handler=HANDLER, flags="SA_RESTORER"))
    p.does(call("waitpid", status={"exited": 0}))           # what it wrote back
    p.does(call("wait4"))                                    # the kernel's name
    p.does(event("reap", how="wait"))
    p.never(killed_by())
    p.never(leaked_zombie())


def test_a_pattern_can_be_described_in_the_graders_words():
    t = lab7_like().trace()
    with pytest.raises(ExpectationFailed, match="a waitpid that never blocks in select"):
        expect(t).parent.does(call("select").described_as("a waitpid that never blocks in select"))


# ---------------------------------------------------------------- timeline

def printed_lines(path):
    """{event index: line} of a live run's --numbered timeline (the first
    line of each event: fork's child side is a second line of the same)."""
    lines = {}
    for text in path.read_text().splitlines():
        index, tab, line = text.partition("\t")
        if tab and index.isdigit():
            lines.setdefault(int(index), line.rstrip())
    return lines


def test_timeline_lines_are_the_tracers_own(tmp_path):
    """Messages quote the timeline in the tracer's words, not a second copy:
    every line the kit gives for a real run is the line the live run printed
    (the oracle: the tracer's own -o output of that very run): the
    student's view where it shows the event, the expert's (--verbose)
    where only that one does."""
    student, expert = tmp_path / "student.txt", tmp_path / "expert.txt"
    t = tracelab.run_lab("lab6", extra_args=["--color", "never", "--numbered", "-o", str(student)],
                         json_only=False)
    assert t.returncode == 0, t.stderr
    recorded = tmp_path / "run.jsonl"
    recorded.write_text("".join(json.dumps(ev) + "\n" for ev in t.events))
    subprocess.run([tracelab.trace_binary(), "--replay", recorded, "--numbered", "--verbose",
                    "--color", "never", "-o", expert], check=True)
    said, said_verbose = printed_lines(student), printed_lines(expert)
    assert set(said) < set(said_verbose)        # the student's view leaves some out
    tl = timeline.of(t)
    quoted = {i: tl.line(ev) for i, ev in enumerate(t.events) if tl.has_line(ev)}
    assert len(quoted) > 20
    assert quoted == {i: said.get(i, said_verbose[i]) for i in said_verbose}
    assert any(said[i] != said_verbose[i] for i in said)   # the words differ: the student's are quoted
    # an event with no line of its own is still quoted, plainly
    state = next(ev for ev in t.events if ev["type"] == "state" and ev["from"] == "blocked")
    assert not tl.has_line(state) and "state event" in tl.line(state)


def test_a_failure_quotes_the_tracers_lines(tmp_path):
    """The lines a failure shows are lines the live run printed (the
    student's view, which shows every zombie)."""
    live = tmp_path / "live.txt"
    t = tracelab.run_lab("lab6", extra_args=["--color", "never", "--numbered", "-o", str(live)], json_only=False)
    with pytest.raises(ExpectationFailed) as failed:
        expect(t).no_leaked_zombies()
    printed = {l for l in printed_lines(live).values() if "LEAKED zombie" in l}
    quoted = [l for l in str(failed.value).splitlines() if "LEAKED zombie" in l]
    assert printed and quoted
    for line in quoted:
        assert any(p.strip() in line for p in printed), line

def test_a_delivery_whose_handler_never_ran_is_not_a_run():
    """A SIGCHLD reported as delivered to the handler, then main-line code,
    then SIGCHLD delivered again: the first never reached a running handler
    (SIGCHLD is blocked in its own handler), so only the second is a run."""
    e = lab7_like()
    events = e.events
    i = next(k for k, ev in enumerate(events) if ev["type"] == "signal")
    phantom = dict(events[i], t=events[i]["t"] - 500_000)
    main_line = {"type": "syscall", "t": phantom["t"] + 100_000, "pid": ROOT, "tid": ROOT,
                 "name": "write", "call": "write", "args": {"fd": 1, "count": 61}, "out": {},
                 "ret": 61, "err": None, "dur_ns": 1000}
    events[i:i] = [phantom, main_line]
    t = e.trace()
    runs = expect(t).parent.handler("SIGCHLD").streams
    assert len(runs) == 1
    expect(t).parent.handler("SIGCHLD").does(call("waitpid", pid=-1, options="WNOHANG"))


def test_a_run_cut_short_by_a_kill_is_not_a_run():
    e = Events()
    e.sigaction().fork(101).exit(101).signal().waitpid(101)
    e.add("exit", code=None, signal="SIGKILL", core=False, process=True)
    assert expect(e.trace()).handler("SIGCHLD").streams == []
    e = Events()
    e.sigaction().fork(101).exit(101).signal().waitpid(101).exit(ROOT, code=3)   # exit() in the handler
    assert len(expect(e.trace()).handler("SIGCHLD").streams) == 1


# ------------------------------------------------- a server's connections

def select_server(forget_to_drop=False, read_unready=False):
    """A select() server: listens on 3, accepts 4 and 5, serves them, and
    they hang up; the lab runner says when it is ready."""
    e = Events()
    e.sys("read", args={"fd": 3, "count": 832}, ret=832)         # the loader, before main()
    e.sys("close", args={"fd": 3})
    e.sys("listen", args={"fd": 3, "backlog": 10})
    e.add("lab", what="ready", port=9000)
    e.add("lab", what="load-start")

    def select(readfds, ready):
        e.sys("select", args={"nfds": max(readfds) + 1, "readfds": readfds, "writefds": None,
                              "exceptfds": None, "timeout_ns": None},
              out={"readfds": ready}, ret=len(ready))

    select([3], [3])
    e.sys("accept", args={"fd": 3}, ret=4)
    select([3, 4], [3])
    e.sys("accept", args={"fd": 3}, ret=5)
    select([3, 4, 5], [4, 5])
    e.sys("read", args={"fd": 4, "count": 64}, ret=6)
    e.sys("read", args={"fd": 5, "count": 64}, ret=0)
    e.sys("close", args={"fd": 5})
    select([3, 4] + ([5] if forget_to_drop else []), [4])
    e.sys("read", args={"fd": 4, "count": 64}, ret=0)
    if read_unready:
        e.sys("read", args={"fd": 5, "count": 64}, ret=-1, err="EBADF")
    e.sys("close", args={"fd": 4})
    e.add("lab", what="load-done", exit=0)
    e.add("summary", exit=0, processes=1, threads=0, zombies={"leaked": [], "max_concurrent": 0},
          never_joined=[], lost=0)
    return e.trace()


def test_after_ready_leaves_out_the_setup():
    t = select_server()
    s = expect(t).parent.after_ready
    s.exactly(2, call("close")).exactly(3, call("read"))
    expect(t).parent.exactly(4, call("read"))
    with pytest.raises(ExpectationFailed, match="from the moment the server is ready"):
        s.exactly(4, call("read"))
    with pytest.raises(ExpectationFailed, match="never did"):
        expect(Events().sys("listen", args={"fd": 3}).trace()).after_ready.does(call("listen"))


def test_every_connection_and_sequences():
    t = select_server()
    s = expect(t).parent.after_ready
    s.every_connection.there_are(2)
    s.every_connection.starts_with(call("accept")).ends_with(call("read", ret=0), call("close"))
    s.every_connection.does(call("select"))          # each was returned ready
    s.only(call("accept"), call("read")).starts_with(call("accept"), call("accept"), call("read"))
    s.only(call("select")).consists_of(*[call("select", readfds=length(n)) for n in (1, 2, 3, 2)])
    with pytest.raises(ExpectationFailed) as err:
        s.every_connection.there_are(3)
    assert "Expected 3 x connection accepted in the parent" in str(err.value)
    assert "there are 2" in str(err.value)
    with pytest.raises(ExpectationFailed) as err:
        s.only(call("select")).consists_of(call("select"), call("select"))
    assert "It has 4 events, not 2." in str(err.value)
    with pytest.raises(ExpectationFailed) as err:
        s.every_connection.consists_of(call("accept"), call("read", ret=above(0)), call("read", ret=0),
                                       call("close"))
    msg = str(err.value)
    assert "the connection on fd 4" in msg
    assert "It has 6 events, not 4." in msg


def test_values_of_a_servers_fds():
    t = select_server()
    s = expect(t).parent.after_ready
    s.each(call("select"), readfds=LISTENER_AND_OPEN, nfds=HIGHEST_FD_PLUS_ONE)
    s.each(call("read"), fd=READY)
    s.each(call("accept"), fd=LISTENER)
    s.does(call("select", readfds=besides_listener(length(2))))
    s.never(call("select", readfds=besides_listener(length(above(2)))))
    with pytest.raises(ExpectationFailed) as err:
        expect(select_server(forget_to_drop=True)).parent.after_ready.each(
            call("select"), readfds=LISTENER_AND_OPEN)
    msg = str(err.value)
    assert "1 of the 4 do not" in msg
    assert "readfds is {3,4,5}, expected readfds = the listening socket and every open connection" in msg
    with pytest.raises(ExpectationFailed, match="fd is 5, expected fd among the fds the last select"):
        expect(select_server(read_unready=True)).parent.after_ready.each(call("read"), fd=READY)


def test_each_needs_one_and_every_one():
    t = lab7_like().trace()
    h = expect(t).parent.handler("SIGCHLD")
    h.each(call("wait4"), pid=-1, options="WNOHANG")
    with pytest.raises(ExpectationFailed, match="Found none"):
        h.each(call("select"), nfds=3)
    with pytest.raises(ExpectationFailed) as err:
        h.each(call("wait4"), ret=above(0))
    assert "every one with ret > 0" in str(err.value) and "1 of the 3 do not" in str(err.value)
    with pytest.raises(UsageError):
        h.each(call("wait4"))


def test_numbers_lists_and_other_fields():
    t = select_server()
    p = expect(t).parent
    p.does(call("select", ret=between(2, 2))).never(call("select", ret=below(0)))
    p.each(call("select"), ready=length(its("ret")))
    p.each(call("select"), ready=subset_of(its("watched")))
    p.each(call("listen"), readfds=ABSENT)
    with pytest.raises(ExpectationFailed, match=r"len\(ready\)=1"):
        p.each(call("select"), ready=length(1))
    e = Events()
    e.sys("wait4", args={"pid": -1, "options": []}, out={"status": {"signaled": "SIGSEGV", "core": True}},
          ret=101)
    e.sys("fcntl", args={"fd": 3, "cmd": "F_SETOWN", "arg": ROOT})
    e.sys("fcntl", args={"fd": 3, "cmd": "F_SETOWN", "arg": 7}, pid=101)
    w = expect(e.trace())
    w.does(call("wait4", status=has(signaled="SIGSEGV")))
    w.never(call("wait4", status={"signaled": "SIGSEGV"}))    # a dict: exactly this one
    w.parent.each(call("fcntl"), arg=OWN_PID)
    with pytest.raises(ExpectationFailed, match="arg=its own pid"):
        w.each(call("fcntl"), arg=OWN_PID)


def test_same_binds_a_value_across_steps():
    e = Events()
    e.sys("fcntl", args={"fd": 4, "cmd": "F_SETOWN", "arg": ROOT})
    e.sys("fcntl", args={"fd": 3, "cmd": "F_SETOWN", "arg": ROOT})
    e.sys("bind", args={"fd": 3})
    p = expect(e.trace()).parent
    p.in_order(call("fcntl", fd=same("s")), call("bind", fd=same("t")))
    with pytest.raises(ExpectationFailed) as err:
        p.in_order(call("fcntl", fd=same("sock")), call("fcntl", fd=same("sock")))
    assert "fd the same as before (sock)" in str(err.value)
    # the first match binds: fd 4, and bind() is on 3
    with pytest.raises(ExpectationFailed):
        p.in_order(call("fcntl", cmd="F_SETOWN", fd=same("sock")), call("bind", fd=same("sock")))
    p.in_order(call("fcntl", fd=same("a")), call("fcntl", fd=same("b")), call("bind", fd=same("b")))


def test_patterns_either_summary_load_and_reaps():
    t = lab7_like().trace()
    h = expect(t).parent.handler("SIGCHLD")
    last_wait = call("waitpid", ret=0) | call("waitpid", err="ECHILD")
    h.only(call("wait4")).ends_with(last_wait)
    with pytest.raises(ExpectationFailed, match="waitpid.* returning 0 or waitpid.* failing with ECHILD"):
        h.only(call("wait4")).starts_with(last_wait)
    expect(t).exactly(2, reaped(how="wait")).parent.exactly(2, new_process(call="fork"))
    expect(t).every_child.does(reaped(how="wait"))       # a child's stream has its reaping
    s = select_server()
    expect(s).does(summary(processes=1, leaked=[], max_concurrent=0)).does(load_done(exit=0))
    with pytest.raises(ExpectationFailed, match="processes is 1, expected processes=2"):
        expect(s).does(summary(processes=2))
    with pytest.raises(ExpectationFailed, match="the load generator finishing"):
        expect(s).does(load_done(exit=not_(0)))


def test_threads_main_thread_and_together():
    e = Events()
    e.thread(201).thread(202)
    e.sys("accept", args={"fd": 3}, ret=4)
    e.add("libcall", name="pthread_detach", args={"thread": 201}, ret=0)
    e.add("libcall", name="pthread_detach", args={"thread": 202}, ret=0)
    e.sys("read", tid=201, args={"fd": 4, "count": 9}, ret=0)
    e.sys("read", tid=202, args={"fd": 5, "count": 9}, ret=0)
    t = e.trace()
    expect(t).every_thread.exactly(1, call("pthread_detach", ret=0))   # the call that names it
    expect(t).every_thread.does(call("read", ret=0)).never(call("accept"))
    expect(t).main_thread.does(call("accept")).never(call("read"))
    expect(t).every_thread.together.exactly(2, call("read"))
    with pytest.raises(ExpectationFailed, match="all of every thread together"):
        expect(t).every_thread.together.exactly(1, call("read"))


def test_across_joins_a_field_over_every_match():
    t = select_server()
    s = expect(t).parent.after_ready
    s.across(call("select"), "ready", besides_listener(length(2)))
    s.across(call("select"), "readfds", [3, 4, 5])
    with pytest.raises(ExpectationFailed) as err:
        s.across(call("select"), "ready", besides_listener(length(3)))
    assert "All together, ready is {3,4,5} (3 of them)." in str(err.value)
    with pytest.raises(ExpectationFailed, match="Found none"):
        s.across(call("poll"), "ready", length(1))
