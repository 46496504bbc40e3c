"""Expectations over a Trace that a grader can read, and failures a student
can read without opening the JSON.

    from tracelab.expect import expect, call, signal, first, HANDLER

    e = expect(trace)
    e.parent.in_order(call("sigaction", sig="SIGCHLD", handler=HANDLER),
                      first(call("fork")))
    e.parent.handler("SIGCHLD").does(call("waitpid", pid=-1, options="WNOHANG"))
    e.never(call("fork"))
    e.no_leaked_zombies()

The language, one module per part (each says more at its top):

patterns.py   one event each: call("waitpid", pid=-1), signal("SIGCHLD"),
              exited(0), killed_by(), new_process(), new_thread(), reaped(),
              leaked_zombie(), summary(...), load_done(), event(TYPE, ...);
              p | q; first(p), last(p) in orders
values.py     what a field must be: has, one_of, not_, above, below, between,
              length, subset_of, ABSENT, HANDLER, its(key), same(name),
              OWN_PID, and what a server's fds are (LISTENER, READY, ...)
scopes.py     which events: expect(trace), .parent, .every_child,
              .every_thread, .handler(sig), .after_ready, .every_connection,
              .only(...), .some, .together, ...
checks.py     what must hold: .in_order, .starts_with, .exactly, .does,
              .never, .each, .there_are, .no_leaked_zombies, ...
failures.py   the message when a check fails: what was expected, what was
              found, and timeline lines around it with the culprit marked

Every scope looks at the programs' own code: what a process did between
an exec and its main() (the dynamic loader's calls, the constructors'),
its set-up, is left out (Trace.own_events; before_main.py says the rule).

This module is the one to import from.
"""

from .failures import ExpectationFailed
from .patterns import (call, event, exited, first, killed_by, last, leaked_zombie, load_done,
                       new_process, new_thread, reaped, signal, summary)
from .scopes import Scope, expect
from .trace import ANY
from .values import (ABSENT, HANDLER, HIGHEST_FD_PLUS_ONE, LISTENER, LISTENER_AND_OPEN, OWN_PID,
                     READY, UsageError, above, below, besides_listener, between, has, its, length,
                     not_, one_of, same, subset_of)

__all__ = ["ABSENT", "ANY", "ExpectationFailed", "HANDLER", "HIGHEST_FD_PLUS_ONE", "LISTENER",
           "LISTENER_AND_OPEN", "OWN_PID", "READY", "Scope", "UsageError", "above", "below",
           "besides_listener", "between", "call", "event", "exited", "expect", "first", "has",
           "its", "killed_by", "last", "leaked_zombie", "length", "load_done", "new_process",
           "new_thread", "not_", "one_of", "reaped", "same", "signal", "subset_of", "summary"]
