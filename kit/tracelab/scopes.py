"""Scopes of tracelab.expect: which events a check looks at, as one or
several streams checked one by one.

    expect(trace)            the whole trace
    .parent                  the traced program's own process (all its threads)
    .main_thread             the parent's main thread
    .every_child             each child process of the parent
    .every_process, .every_thread, .process(pid), .thread(tid)
    .handler("SIGCHLD")      each run of that handler within the scope
    .after_ready             from the moment the lab's server listens on
    .every_connection        each connection the server accepted
    .only(p, q, ...)         just the events that match one of the patterns
    .some                    the check holds in at least one stream (default: every)
    .together                all the streams as one

A process's stream is its own events and the reaping of it; a thread's is
its own events and the pthread_join/pthread_detach calls that name it.
Every scope, the whole trace's included, holds the programs' own events
only (Trace.own_events): the set-up before each program's main(), the
dynamic loader's calls and the constructors' (before_main.py), is in none.
The checks (checks.py) are methods of every scope.
"""

from .checks import Checks, Stream
from .failures import ExpectationFailed, at
from .fds import ready_fds
from .i18n import _
from .values import UsageError


class Scope(Checks):
    """Some of a trace's events, as streams that a check looks at one by
    one. Built by expect(trace) and its properties; see the module doc."""

    def __init__(self, trace, streams, single, plural, quant="every", handler_sig=None,
                 whole=False):
        self.trace = trace
        self.whole = whole          # the whole trace, as expect(trace) gives it
        self._make = streams
        self.single, self.plural = single, plural
        self.quant = quant
        self.handler_sig = handler_sig      # for the message when a handler never ran
        self._cache = None

    def _derive(self, streams, single, plural, handler_sig=None):
        return Scope(self.trace, streams, single, plural, self.quant,
                     handler_sig or self.handler_sig)

    @property
    def streams(self):
        if self._cache is None:
            self._cache = list(self._make())
        return self._cache

    def describe(self):
        if self.plural is None:
            return self.single
        said = _("every {what}") if self.quant == "every" else _("at least one {what}")
        return said.format(what=self.plural)

    def __repr__(self):
        return f"<expect {self.describe()}>"

    # Whose events.

    @property
    def parent(self):
        """The traced program's own process (all its threads)."""
        return self.process(self.trace.root, _("the parent (pid {pid})").format(pid=self.trace.root))

    root = parent

    def process(self, pid, label=None):
        label = label or _("process {pid}").format(pid=pid)
        return self._derive(lambda: [self._of_process(pid, label)], label, None)

    def thread(self, tid, label=None):
        label = label or _("thread {tid}").format(tid=tid)
        return self._derive(lambda: [self._of_thread(tid, label)], label, None)

    @property
    def main_thread(self):
        """The parent's main thread (its tid is the parent's pid)."""
        return self.thread(self.trace.root, _("the main thread of the parent (pid {pid})").format(
            pid=self.trace.root))

    @property
    def every_child(self):
        """Each child process of the traced program."""
        def make():
            root = self.trace.processes.get(self.trace.root)
            return [self._of_process(pid, _("child {pid}").format(pid=pid))
                    for pid in (root.children if root else [])]
        return self._derive(make, None, _("child process of the parent"))

    @property
    def every_process(self):
        def make():
            return [self._of_process(pid, _("process {pid}").format(pid=pid))
                    for pid in self.trace.processes]
        return self._derive(make, None, _("process"))

    @property
    def every_thread(self):
        """Each thread created (pthread_create); main threads are not in it."""
        def make():
            return [self._of_thread(tid, _("thread {tid} (of process {pid})").format(tid=tid, pid=t.pid))
                    for tid, t in self.trace.threads.items() if not t.main]
        return self._derive(make, None, _("thread"))

    def _of_process(self, pid, label):
        return Stream(label, [ev for ev in self.trace.own_events if ev.get("type") != "lab" and (
            ev.get("pid") == pid or (ev.get("type") == "reap" and ev.get("child") == pid))])

    def _of_thread(self, tid, label):
        return Stream(label, [ev for ev in self.trace.own_events if ev.get("type") != "lab" and (
            ev.get("tid") == tid or (ev.get("type") == "libcall"
                                     and (ev.get("args") or {}).get("thread") == tid))])

    # Which of their events.

    def handler(self, sig):
        """Each run of the handler of `sig` in this scope: from the signal's
        delivery to a handler, to that thread's rt_sigreturn."""
        classes = (self.trace.header or {}).get("classes")
        if classes is not None and "signal" not in classes:
            raise UsageError(f"handler({sig!r}) needs the signal class traced (rt_sigreturn marks "
                             f"where a handler ends); this trace has {','.join(classes)}")
        outer = self

        def make():
            runs = [run for stream in outer.streams for run in handler_runs(stream.events, sig)]
            n = len(runs)
            return [Stream(_("the {sig} handler, run {i} of {n} (in {pid}, from {at})").format(
                sig=sig, i=i, n=n, pid=run[0]["pid"], at=at(run[0])), run)
                for i, run in enumerate(runs, 1)]
        where = outer.single or outer.plural
        return self._derive(make, None, _("run of the {sig} handler in {where}").format(
            sig=sig, where=where), handler_sig=sig)

    @property
    def after_ready(self):
        """From the moment the lab's server is ready (it listens) on: what
        it does for its clients, without what its main() did before (its
        socket, bind and listen). The set-up before main() is in no scope."""
        outer = self

        def make():
            ready = [ev for ev in outer.trace.events
                     if ev.get("type") == "lab" and ev.get("what") == "ready"]
            if not ready:
                raise ExpectationFailed(_("Expected the server to become ready (to listen), "
                                          "but it never did."))
            t0 = ready[0].get("t", 0)
            return [Stream(s.label, [ev for ev in s.events if ev.get("t", 0) >= t0])
                    for s in outer.streams]
        return self._narrowed(make, _("from the moment the server is ready"))

    def only(self, *patterns):
        """Just the events that match one of the patterns (in order)."""
        if not patterns:
            raise UsageError("only() needs at least one pattern")
        outer = self
        words = _(" and ").join(p.describe() for p in patterns)

        def make():
            return [Stream(s.label, [ev for ev in s.events
                                     if any(p.matches(ev, outer.context()) for p in patterns)])
                    for s in outer.streams]
        return self._narrowed(make, _("looking only at {patterns}").format(patterns=words))

    @property
    def every_connection(self):
        """Each connection the scope's process accepted: the accept() that
        returned its fd, the select/poll/epoll_wait calls that returned it
        ready, and the calls on its fd, until it is closed."""
        outer = self

        def make():
            return [conn for s in outer.streams for conn in connections(s.events)]
        where = self.single or self.plural
        return self._derive(make, None, _("connection accepted in {where}").format(where=where))

    @property
    def some(self):
        """The check holds if it holds in at least one stream."""
        return Scope(self.trace, self._make, self.single, self.plural, "some", self.handler_sig,
                     self.whole)

    any = some

    @property
    def together(self):
        """All the streams as one: counts add up across them."""
        outer = self

        def make():
            ids = {id(ev) for s in outer.streams for ev in s.events}
            return [Stream(_("all of {scope}").format(scope=outer.describe()),
                           [ev for ev in outer.trace.events if id(ev) in ids])]
        return self._derive(make, _("all of {scope} together").format(scope=self.describe()), None,
                            self.handler_sig)

    def _narrowed(self, make, words):
        single = f"{self.single}, {words}" if self.single else None
        plural = f"{self.plural}, {words}" if self.plural else None
        return self._derive(make, single, plural)


def handler_runs(events, sig):
    """The runs of sig's handler: lists of events, each from the delivery
    to the thread's rt_sigreturn (or to its exit, when the handler ends
    the process). A handler interrupted by another handler keeps only its
    own events; a call that was already under way when the signal came
    (it returns EINTR or restarts) is not part of the handler.

    Only runs seen to end count. A run still open when the trace ends or
    when its thread is killed is left out, and so is one still open when
    the same signal is delivered to a handler again on that thread: the
    kernel blocks a signal while its handler runs (unless SA_NODEFER), so
    that delivery never reached a running handler."""
    nodefer = {ev.get("pid") for ev in events
               if ev.get("type") == "syscall" and ev.get("name") == "rt_sigaction"
               and (ev.get("args") or {}).get("sig") == sig
               and "SA_NODEFER" in ((ev.get("args") or {}).get("flags") or [])}
    stacks, runs = {}, []
    for ev in events:
        tid = ev.get("tid")
        stack = stacks.setdefault(tid, [])
        kind = ev.get("type")
        if kind == "signal" and ev.get("action") == "handler":
            if ev.get("pid") not in nodefer:
                stack[:] = [r for r in stack if r["sig"] != ev.get("sig")]
            run = {"sig": ev.get("sig"), "t": ev.get("t", 0), "events": [ev], "ended": False}
            stack.append(run)
            runs.append(run)
            continue
        if not stack:
            continue
        if kind == "syscall":
            entry = ev.get("t", 0) - (ev.get("dur_ns") or 0)
            owner = next((r for r in reversed(stack) if r["t"] <= entry), None)
            if ev.get("interrupted") or owner is None:
                continue
            owner["events"].append(ev)
            if ev.get("name") == "rt_sigreturn" or ev.get("call") == "sigreturn":
                owner["ended"] = True
                stack.remove(owner)
            continue
        stack[-1]["events"].append(ev)
        if kind == "exec" or (kind == "exit" and not ev.get("signal")):
            for r in stack:
                r["ended"] = True
        if kind in ("exec", "exit"):
            stack.clear()
    return [r["events"] for r in runs if r["sig"] == sig and r["ended"]]


def connections(events):
    """A Stream per accepted connection in events (one process's): its
    accept, the select/poll/epoll_wait calls that returned its fd ready,
    the calls on its fd, up to and with the close of that fd."""
    out, open_ = [], {}      # fd -> its Stream, while open
    for ev in events:
        if ev.get("type") != "syscall":
            continue
        name, args, ret = ev.get("call") or ev.get("name"), ev.get("args") or {}, ev.get("ret")
        if name in ("accept", "accept4") and not ev.get("err") and isinstance(ret, int) and ret >= 0:
            conn = Stream(_("the connection on fd {fd} (accepted at {at})").format(fd=ret, at=at(ev)), [ev])
            open_[ret] = conn
            out.append(conn)
            continue
        ready = ready_fds(ev)
        if ready is not None:
            for fd in ready:
                if fd in open_:
                    open_[fd].events.append(ev)
            continue
        fd = args.get("fd")
        if fd in open_:
            open_[fd].events.append(ev)
            if name == "close":
                del open_[fd]
    return out


def expect(trace):
    """The whole trace as one stream (the programs' own events: not the
    set-up before their main()); narrow it with .parent, .every_child,
    .handler(sig), ..."""
    return Scope(trace, lambda: [Stream(_("the whole trace"), trace.own_events)], _("the whole trace"),
                 None, whole=True)
