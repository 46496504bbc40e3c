"""Expectations over a Trace that a grader can read, and failures a student
can read without opening the JSON.

    from tracelab.expect import expect, call, signal, first, HANDLER

    e = expect(trace)
    e.parent.in_order(call("sigaction", sig="SIGCHLD", handler=HANDLER),
                      first(call("fork")))
    e.parent.handler("SIGCHLD").does(call("waitpid", pid=-1, options="WNOHANG"))
    e.never(call("fork"))
    e.no_leaked_zombies()

Three parts:

patterns   (patterns.py) one event each: call(NAME, **fields) for system calls, fork and
           pthread_create (spawn events) and pthread_join (libcall);
           signal(SIG, **fields) for a delivery; exited(), killed_by(),
           new_process(), new_thread(), leaked_zombie(), event(TYPE, ...).
           A call's fields are its arguments (pid=-1, options="WNOHANG",
           sig="SIGCHLD"), or ret=, err=, interrupted=, or what it wrote
           back (status=...).
scopes     which events, as one or several streams checked one by one:
           expect(trace) the whole trace; .parent the traced program's own
           process; .every_child, .every_process, .every_thread (threads it
           created), .process(pid), .thread(tid); .handler("SIGCHLD") each
           run of that handler inside the scope; .some instead of every.
checks     .in_order(p1, p2, ...) a subsequence (first(p)/last(p) pin a step
           to the first or last such event); .in_one_of_orders([..], [..]);
           .exactly(n, p), .at_least(n, p), .at_most(n, p), .does(p),
           .never(p); .no_leaked_zombies().

A field's wanted value: a plain value is equality, or membership when the
event holds a list (options="WNOHANG": the options include WNOHANG); a list
is the exact list, in any order; a set or tuple is any of its members;
has(a, b), one_of(a, b), not_(x), HANDLER (a function, not SIG_DFL/SIG_IGN),
ANY, or any function of the value.

A failed check raises ExpectationFailed (an AssertionError) whose message
says what was expected and shows the part of the trace where it went wrong
as timeline lines, with the nearest match pointed out.
"""

from collections import namedtuple

from .patterns import (HANDLER, Pattern, UsageError, _Pinned, call, event, exited, first,
                       has, killed_by, last, leaked_zombie, new_process, new_thread, not_,
                       one_of, signal)
from .timeline import SHOWN, line, tracer_pid_of
from .trace import ANY

__all__ = ["ANY", "ExpectationFailed", "HANDLER", "UsageError", "call", "event",
           "exited", "expect", "first", "has", "killed_by", "last",
           "leaked_zombie", "new_process", "new_thread", "not_", "one_of",
           "signal"]



class ExpectationFailed(AssertionError):
    """A check did not hold; str() is the message for the student."""



# ---------------------------------------------------------------- scopes

Stream = namedtuple("Stream", "label events")


class _Failure:
    """Why one stream failed: sentences, and notes on some of its events
    (index in stream.events -> note) to show as timeline lines."""

    def __init__(self, says, marks=None, after=None, score=0):
        self.says = says if isinstance(says, list) else [says]
        self.marks = marks or {}
        self.after = after      # also show a few events after this index
        self.score = score      # for `some`: how near this stream came


class Scope:
    """Some of a trace's events, as streams that a check looks at one by
    one. Built by expect(trace) and its properties; see the module doc."""

    def __init__(self, trace, streams, single, plural, quant="every"):
        self.trace = trace
        self._make = streams
        self._single, self._plural = single, plural
        self.quant = quant
        self._cache = None

    def _derive(self, streams, single, plural):
        return Scope(self.trace, streams, single, plural, self.quant)

    @property
    def streams(self):
        if self._cache is None:
            self._cache = list(self._make())
        return self._cache

    def describe(self):
        if self._plural is None:
            return self._single
        return ("every " if self.quant == "every" else "at least one ") + self._plural

    # Narrowing.

    @property
    def parent(self):
        """The traced program's own process (all its threads)."""
        root = self.trace.root
        return self._derive(lambda: [Stream(f"the parent (pid {root})", self._of_pids({root}))],
                            f"the parent (pid {root})", None)

    root = parent

    def process(self, pid):
        return self._derive(lambda: [Stream(f"process {pid}", self._of_pids({pid}))],
                            f"process {pid}", None)

    def thread(self, tid):
        return self._derive(lambda: [Stream(f"thread {tid}", self._of_tids({tid}))],
                            f"thread {tid}", None)

    @property
    def every_child(self):
        """Each child process of the traced program."""
        def make():
            root = self.trace.processes.get(self.trace.root)
            kids = root.children if root else []
            return [Stream(f"child {pid}", self._of_pids({pid})) for pid in kids]
        return self._derive(make, None, "child process of the parent")

    @property
    def every_process(self):
        def make():
            return [Stream(f"process {pid}", self._of_pids({pid})) for pid in self.trace.processes]
        return self._derive(make, None, "process")

    @property
    def every_thread(self):
        """Each thread created (pthread_create); main threads are not in it."""
        def make():
            return [Stream(f"thread {tid} (of process {t.pid})", self._of_tids({tid}))
                    for tid, t in self.trace.threads.items() if not t.main]
        return self._derive(make, None, "thread")

    @property
    def some(self):
        """The check holds if it holds in at least one stream."""
        return Scope(self.trace, self._make, self._single, self._plural, "some")

    any = some

    def handler(self, sig):
        """Each run of the handler of `sig` in this scope: from the signal's
        delivery to a handler, to that thread's rt_sigreturn."""
        classes = (self.trace.header or {}).get("classes")
        if classes is not None and "signal" not in classes:
            raise UsageError(f"handler({sig!r}) needs the signal class traced (rt_sigreturn marks "
                             f"where a handler ends); this trace has {','.join(classes)}")
        outer = self

        def make():
            runs = []
            for stream in outer.streams:
                runs += _handler_runs(stream.events, sig)
            n = len(runs)
            return [Stream(f"the {sig} handler, run {i} of {n} (in {run[0]['pid']}, "
                           f"from {run[0]['t'] / 1e9:.4f} s)", run)
                    for i, run in enumerate(runs, 1)]
        where = outer._single or outer._plural
        return self._derive(make, None, f"run of the {sig} handler in {where}")

    def _of_pids(self, pids):
        return [ev for ev in self.trace.events if ev.get("pid") in pids and ev.get("type") != "lab"]

    def _of_tids(self, tids):
        return [ev for ev in self.trace.events if ev.get("tid") in tids and ev.get("type") != "lab"]

    # Checks.

    def in_order(self, *steps):
        """These events in this order, others allowed in between."""
        __tracebackhide__ = True
        if not steps:
            raise UsageError("in_order needs at least one step")
        steps = [_step(s) for s in steps]
        lines = [f"    {i}. {s.describe()}" for i, s in enumerate(steps, 1)]
        return self._check("these, in this order (other events may come between):\n" + "\n".join(lines),
                           lambda st: _order(st, steps), empty_ok=False)

    def before(self, earlier, later):
        """`earlier` happens before the first `later`."""
        __tracebackhide__ = True
        return self.in_order(earlier, first(later))

    def in_one_of_orders(self, *orderings):
        """Any one of several acceptable orders (each a list of steps)."""
        __tracebackhide__ = True
        if not orderings:
            raise UsageError("in_one_of_orders needs at least one ordering")
        orderings = [[_step(s) for s in o] for o in orderings]
        text = ["one of these orders (other events may come between):"]
        for letter, o in zip("abcdefghijklmnopqrstuvwxyz", orderings):
            text.append(f"  ({letter}) " + "  ->  ".join(s.describe() for s in o))

        def check(stream):
            fails = []
            for letter, o in zip("abcdefghijklmnopqrstuvwxyz", orderings):
                f = _order(stream, o)
                if f is None:
                    return None
                f.says = [f"order ({letter}): " + f.says[0]] + f.says[1:]
                fails.append(f)
            return max(fails, key=lambda f: f.score)
        return self._check("\n".join(text), check, empty_ok=False)

    def exactly(self, n, pattern):
        __tracebackhide__ = True
        return self._count(pattern, n, n, f"exactly {n} x {pattern.describe()}")

    def at_least(self, n, pattern):
        __tracebackhide__ = True
        return self._count(pattern, n, None, f"at least {n} x {pattern.describe()}")

    def at_most(self, n, pattern):
        __tracebackhide__ = True
        return self._count(pattern, 0, n, f"at most {n} x {pattern.describe()}")

    def does(self, pattern):
        """At least one event that matches."""
        __tracebackhide__ = True
        return self._count(pattern, 1, None, pattern.describe())

    def never(self, pattern):
        __tracebackhide__ = True
        return self._count(pattern, 0, 0, f"no {pattern.describe()} at all")

    def no_leaked_zombies(self):
        """Every child that exited was reaped by its parent."""
        __tracebackhide__ = True
        pids = None if self._single == "the whole trace" else \
            {ev.get("pid") for s in self.streams for ev in s.events}
        leaks = [ev for ev in self.trace.events if ev.get("type") == "reap" and ev.get("leaked")
                 and (pids is None or self.trace.processes.get(ev.get("child")) is None
                      or self.trace.processes[ev["child"]].ppid in pids)]
        listed = set(self.trace.zombies.leaked) if pids is None else set()
        missing = listed - {ev.get("child") for ev in leaks}
        if not leaks and not missing:
            return self
        events = self.trace.events
        marks = {}
        for ev in leaks:
            child = ev.get("child")
            for i, e in enumerate(events):
                if e.get("type") == "exit" and e.get("pid") == child and e.get("process"):
                    marks[i] = f"child {child} exits: a zombie until its parent reaps it"
            marks[events.index(ev)] = f"child {child} was never reaped"
        n = len(leaks) + len(missing)
        says = [f"Found {n} leaked zombie{'s' if n != 1 else ''}: children that exited and that "
                f"their parent never reaped with wait()/waitpid()."]
        if missing:
            says.append("The summary lists as leaked: " + ", ".join(map(str, sorted(missing))))
        fail = _Failure(says, marks)
        raise ExpectationFailed(self._message(
            "no leaked zombie: every child that exits is reaped by its parent",
            Stream("the whole trace", events), fail, 1, 1))

    # Machinery.

    def _count(self, pattern, low, high, words):
        __tracebackhide__ = True
        def check(stream):
            hits = [i for i, ev in enumerate(stream.events) if pattern.matches(ev)]
            n = len(hits)
            if n >= low and (high is None or n <= high):
                return None
            if n == 0:
                return _absent(stream, pattern, "Found none.")
            marks = {i: f"{pattern.describe()} #{k}" for k, i in enumerate(hits[:12], 1)}
            if high is not None and n > high and high > 0:
                marks[hits[high]] = f"#{high + 1}: one too many"
            return _Failure(f"Found {n}.", marks, score=-abs(n - low))
        empty_ok = low == 0
        return self._check(words, check, empty_ok)

    def _check(self, words, check, empty_ok):
        __tracebackhide__ = True
        streams = self.streams
        if not streams:
            if empty_ok:
                return self
            raise ExpectationFailed(self._empty_message(words))
        fails = []
        for s in streams:
            f = check(s)
            if f is not None:
                fails.append((s, f))
                if self.quant == "every":
                    break
        if not fails or (self.quant == "some" and len(fails) < len(streams)):
            return self
        stream, fail = fails[0] if self.quant == "every" else max(fails, key=lambda x: x[1].score)
        if self.quant == "every":
            bad = sum(1 for s in streams if check(s) is not None)
        else:
            bad = len(fails)
        raise ExpectationFailed(self._message(words, stream, fail, bad, len(streams)))

    def _message(self, words, stream, fail, bad, total):
        head = f"Expected, in {self.describe()}: {words}"
        out = [head, ""]
        if total > 1:
            which = "the first" if self.quant == "every" else "the nearest"
            out.append(f"{bad} of {total} failed; {which} is {stream.label}.")
        out += fail.says
        out.append("")
        out.append(f"What happened in {stream.label}:")
        out += _window(stream.events, fail.marks, fail.after, self.trace)
        lab = (self.trace.header or {}).get("lab")
        if lab:
            out += ["", f"(`./trace {lab}` shows the whole timeline.)"]
        return "\n".join(out)

    def _empty_message(self, words):
        out = [f"Expected, in {self.describe()}: {words}", ""]
        plural = self._plural or ""
        if "handler" in plural:
            sig = plural.split(" handler")[0].split()[-1]
            deliveries = [ev for ev in self.trace.events
                          if ev.get("type") == "signal" and ev.get("sig") == sig]
            if deliveries:
                acts = sorted({ev.get("action") for ev in deliveries})
                if acts == ["handler"]:
                    out.append(f"But no run of the {sig} handler was seen to end: {sig} reached it "
                               f"{len(deliveries)} time(s), and no rt_sigreturn followed "
                               f"(was the process killed inside it?).")
                else:
                    out.append(f"But the {sig} handler never ran: {sig} was delivered "
                               f"{len(deliveries)} time(s), with action {', '.join(acts)} "
                               f"(is the handler installed before the signals come?).")
                marks = {self.trace.events.index(ev): "" for ev in deliveries[:6]}
                out += ["", "What happened:"] + _window(self.trace.events, marks, None, self.trace)
            else:
                out.append(f"But the {sig} handler never ran: no {sig} was delivered.")
        else:
            out.append(f"But there is no {plural or 'such stream'} in this trace.")
        return "\n".join(out)

    def __repr__(self):
        return f"<expect {self.describe()}>"


def expect(trace):
    """The whole trace as one stream; narrow it with .parent, .every_child,
    .handler(sig), ..."""
    return Scope(trace, lambda: [Stream("the whole trace", trace.events)], "the whole trace", None)


def _step(s):
    if isinstance(s, (Pattern, _Pinned)):
        return s
    if isinstance(s, str):
        return call(s)
    raise UsageError(f"a step is a pattern such as call('fork'), not {s!r}")


def _handler_runs(events, sig):
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


def _order(stream, steps):
    """None if steps occur in order in stream, else a _Failure."""
    events = stream.events
    pos, found = 0, []
    for k, step in enumerate(steps):
        if isinstance(step, _Pinned):
            idxs = [i for i, ev in enumerate(events) if step.pattern.matches(ev)]
            pick = (idxs[0] if step.which == "first" else idxs[-1]) if idxs else None
            ok = pick is not None and pick >= pos
        else:
            pick = next((i for i in range(pos, len(events)) if step.matches(events[i])), None)
            ok = pick is not None
        if ok:
            found.append(pick)
            pos = pick + 1
            continue
        return _order_failure(stream, steps, found, k, pick)
    return None


def _order_failure(stream, steps, found, k, pinned_at):
    events = stream.events
    step = steps[k]
    marks = {i: f"step {n}: {steps[n - 1].describe()}" for n, i in enumerate(found, 1)}
    prev = found[-1] if found else -1
    where = f"after step {k} ({steps[k - 1].describe()})" if found else "anywhere"
    pattern = step.pattern if isinstance(step, _Pinned) else step
    if found:
        says = [(f"Found steps 1-{k}" if k > 1 else "Found step 1")
                + f", but not step {k + 1} ({step.describe()}) {where}."]
    else:
        says = [f"Step 1 ({step.describe()}) never happens."]
    if pinned_at is not None:
        marks[pinned_at] = f"{step.describe()} is here: before step {k}"
        says.append(f"{step.describe()[0].upper() + step.describe()[1:]} comes too early: "
                    f"before step {k}, at {events[pinned_at]['t'] / 1e9:.4f} s.")
        return _Failure(says, marks, score=k)
    earlier = [i for i in range(0, prev + 1) if pattern.matches(events[i]) and i not in found]
    if earlier:
        i = earlier[-1]
        marks[i] = f"{pattern.describe()} is here: but before step {k}"
        says.append(f"There is {pattern.describe()}, but only before step {k}, at "
                    f"{events[i]['t'] / 1e9:.4f} s.")
        return _Failure(says, marks, after=prev, score=k)
    near = _nearest(events, pattern, prev + 1, skip=set(found))
    if near is not None:
        i, diffs = near
        marks[i] = "nearest: " + "; ".join(diffs)
        says.append(f"The nearest is at {events[i]['t'] / 1e9:.4f} s: " + "; ".join(diffs) + ".")
    else:
        says.append(f"Nothing like {pattern.describe()} happens {where}.")
    return _Failure(says, marks, after=prev if prev >= 0 else None, score=k)


def _nearest(events, pattern, start=0, skip=()):
    """(index, differences) of the event nearest to matching, preferring
    those at or after start; None if nothing is even of the same kind."""
    best, best_key = None, None
    for i, ev in enumerate(events):
        close = pattern.closeness(ev)
        if close is None or i in skip:
            continue
        key = (close, i >= start, -abs(i - start))
        if best_key is None or key > best_key:
            best, best_key = i, key
    if best is None:
        return None
    return best, pattern.differences(events[best]) or ["it matches, but not at this place"]


def _absent(stream, pattern, text):
    near = _nearest(stream.events, pattern)
    if near is None:
        return _Failure([text, f"Nothing like {pattern.describe()} happens in {stream.label}."],
                        {}, after=-1 if stream.events else None)
    i, diffs = near
    return _Failure([text, f"The nearest is at {stream.events[i]['t'] / 1e9:.4f} s: "
                     + "; ".join(diffs) + "."], {i: "nearest: " + "; ".join(diffs)})


_CONTEXT = 2        # lines shown around each marked event
_MAX_LINES = 40


def _window(events, marks, after, trace):
    """Timeline lines around the marked events (index -> note), with
    "..." where events are left out."""
    shown = [i for i, ev in enumerate(events) if ev.get("type") in SHOWN or i in marks]
    if not shown:
        return ["    (no events)"]
    pos = {i: p for p, i in enumerate(shown)}
    keep = set()
    for i in marks:
        p = pos[i]
        keep.update(range(max(0, p - _CONTEXT), min(len(shown), p + _CONTEXT + 1)))
    if after is not None:
        p = next((q for q, i in enumerate(shown) if i > after), len(shown))
        keep.update(range(max(0, p - 1), min(len(shown), p + 8)))
    if not keep:
        keep.update(range(0, min(len(shown), 10)))
    tp = tracer_pid_of(trace) if trace is not None else None
    out, last = [], -1
    for p in sorted(keep):
        if len(out) >= _MAX_LINES:
            out.append(f"      ... ({_events(len(shown) - p, 'more ')})")
            last = len(shown) - 1
            break
        if p > last + 1:
            out.append(f"      ... ({_events(p - last - 1)})")
        i = shown[p]
        note = marks.get(i)
        prefix = " >>> " if note is not None else "     "
        out.append(prefix + line(events[i], tp) + (f"    <-- {note}" if note else ""))
        last = p
    if last < len(shown) - 1:
        out.append(f"      ... ({_events(len(shown) - 1 - last, 'more ')})")
    return out


def _events(n, more=""):
    return f"{n} {more}event" + ("" if n == 1 else "s")
