"""A server's file descriptors as the trace shows them, for the wanted
values of tracelab.expect (values.py) and its per-connection scope:

    watched_fds(ev), ready_fds(ev)   the fds a select/poll/epoll_wait was
                                     given, and those it returned ready
    fd_state(trace, ev)              in ev's process, just before ev: the
                                     listening socket, the open connections,
                                     the fds the last select/poll/epoll_wait
                                     returned ready

A connection is open from the accept() that returned its fd until the
client hangs up (a read or recv returning 0) or the fd is closed.
"""

from collections import namedtuple

FdState = namedtuple("FdState", "listener open ready")
_EMPTY = FdState(None, frozenset(), frozenset())
_SETS = ("readfds", "writefds", "exceptfds")
_READS = {"read", "recv", "recvfrom", "recvmsg"}


def _is_call(ev):
    return ev.get("type") == "syscall"


def watched_fds(ev):
    """The fds a select or poll was given (sorted), or None for other calls."""
    args = ev.get("args") or {}
    if any(k in args for k in _SETS):
        return sorted({fd for k in _SETS for fd in args.get(k) or []})
    if isinstance(args.get("fds"), list):
        return sorted({f.get("fd") for f in args["fds"]})
    return None


def ready_fds(ev):
    """The fds a select, poll or epoll_wait returned ready (sorted), or None
    for other calls."""
    out = ev.get("out") or {}
    args = ev.get("args") or {}
    if any(k in args for k in _SETS):
        return sorted({fd for k in _SETS for fd in out.get(k) or []})
    if isinstance(out.get("fds"), list) or isinstance(args.get("fds"), list):
        return sorted({f.get("fd") for f in out.get("fds") or []})
    if isinstance(out.get("events"), list) or "maxevents" in args:
        return sorted({e.get("fd_data") for e in out.get("events") or []})
    return None


def fd_state(trace, ev):
    """The FdState of ev's process just before ev."""
    states = getattr(trace, "_fd_states", None)
    if states is None:
        states = trace._fd_states = _walk(trace.events)
    return states.get(id(ev), _EMPTY)


def _walk(events):
    now, before = {}, {}
    for ev in events:
        pid = ev.get("pid")
        st = now.get(pid, _EMPTY)
        before[id(ev)] = st
        if not _is_call(ev) or ev.get("err"):
            continue
        name, args, ret = ev.get("call") or ev.get("name"), ev.get("args") or {}, ev.get("ret")
        if name == "listen":
            st = st._replace(listener=args.get("fd"))
        elif name in ("accept", "accept4") and isinstance(ret, int) and ret >= 0:
            st = st._replace(open=st.open | {ret})
        elif (name in _READS and ret == 0) or name == "close":
            st = st._replace(open=st.open - {args.get("fd")})
        else:
            ready = ready_fds(ev)
            if ready is not None:
                st = st._replace(ready=frozenset(ready))
        now[pid] = st
    return before
