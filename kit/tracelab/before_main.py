"""What each process did before its program's main(): its set-up, which
is not the code a lab's test is about.

The rule lives here and nowhere else in the kit. Trace.setup and
Trace.own_events (trace.py) split a trace with it, the checks of
tracelab.expect look at the program's own events only (scopes.py), and so
does what the guard says a stopped program did last (guard.py).

The rule, per process (docs/trace-format.md, `start`):

- Set-up begins just after an `exec`, and ends at that process's `start`
  marker, which the preloaded hook sends just before the new program's
  main(). The events of the process in between (any of its threads) are
  set-up: the dynamic loader opening and reading the libraries, and the
  constructors (the lab kit's loads its message catalog there when the
  student asks for Vietnamese). The `exec` itself and the `start` marker
  are not: the exec is the call of whoever ran the program, the marker is
  where the program's own code begins.
- Set-up counts only once its `start` comes. A program that never sends
  one has none: a statically linked program (no loader, no hook) is its
  own code from the exec on, and so is a process that dies, execs again
  or is still in its constructors when the trace ends. Nothing is hidden
  on the promise of a marker that never came.
- A forked child goes on with its parent's program, and with its state:
  forked from main() (the usual case) it has no set-up at all, and no
  `start` of its own. Forked while its parent was still in set-up (by a
  constructor), it is in set-up too, until its own `start` (it returns
  into the constructor, and the hook's main() marks it as it does the
  parent), by the rule above.
- A process the tracer attached to (`-p`) has no exec in the trace, and
  so no set-up.

The marker cannot tell the program's own constructors from the C
library's: code a student puts in an `__attribute__((constructor))` is
set-up too. The summary's counts, and Trace.events, still hold every event.
"""


def setup_flags(events):
    """One bool per event, in order: True for the set-up events."""
    flags = [False] * len(events)
    in_setup = {}       # pid -> indexes of its events since its set-up began
    # A set-up still open at the end (no start came) is dropped: the
    # process's own, as the rule says.
    for i, ev in enumerate(events):
        kind, pid = ev.get("type"), ev.get("pid")
        if kind == "exec":
            in_setup[pid] = []          # a set-up still open never got its start: dropped
        elif kind == "start":
            for j in in_setup.pop(pid, ()):
                flags[j] = True
        elif kind == "spawn" and ev.get("kind") != "thread" and pid in in_setup:
            in_setup[pid].append(i)
            in_setup[ev.get("child")] = []      # forked in set-up: in set-up too
        elif pid in in_setup:
            in_setup[pid].append(i)
    return flags


def split(events):
    """(set-up, own): the events of the set-up and the program's own
    events, each in the trace's order; together, every event once."""
    setup, own = [], []
    for ev, flag in zip(events, setup_flags(events)):
        (setup if flag else own).append(ev)
    return setup, own
