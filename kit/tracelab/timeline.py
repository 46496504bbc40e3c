"""Events as short readable lines, for messages a student reads.

    0.0123 [1234] waitpid(pid=-1, options=WNOHANG) = 0
    0.0125 [1234] <- SIGCHLD from 1240 (exited 0) -> handler
    0.0130 [1234/1250] pthread_join(thread=1251) = 0

The time is seconds since the trace started; the pid is `pid/tid` for a
thread that is not its process's main thread. `state` events (running,
blocked, ...) are left out of timelines by default: they double what the
calls already say.
"""

import signal as _sigmod

# Keys of `args` that hold signal sets: shown as {SIGCHLD,SIGIO}.
_SIGSET_KEYS = {"mask", "set"}
# Kinds of event a timeline shows by default.
SHOWN = frozenset({"syscall", "spawn", "exec", "signal", "exit", "reap", "lab", "libcall"})


def seconds(ev):
    t = ev.get("t")
    return "      ?" if t is None else f"{t / 1e9:.4f}"


def who(ev, tracer_pid=None):
    if ev.get("type") == "lab":
        return "[lab]"      # its "pid" may be the load generator's
    pid, tid = ev.get("pid"), ev.get("tid")
    if tracer_pid is not None and pid == tracer_pid:
        return "[tracer]"
    if tid is None or tid == pid:
        return f"[{pid}]"
    return f"[{pid}/{tid}]"


def value(key, v):
    """One argument's value, the way C programmers write it."""
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        if all(isinstance(x, str) for x in v):
            if key in _SIGSET_KEYS:
                return "{" + ",".join(v) + "}"
            return "|".join(v) if v else "0"
        if all(isinstance(x, int) for x in v):
            return "{" + ",".join(map(str, v)) + "}"
        shown = ", ".join(value(key, x) for x in v[:3])
        return "[" + shown + (f", ... {len(v) - 3} more" if len(v) > 3 else "") + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}={value(k, x)}" for k, x in v.items()) + "}"
    return str(v)


def _args(args):
    parts = []
    for k, v in (args or {}).items():
        if k == "timeout_ns":
            parts.append("timeout=" + ("NULL" if v is None else f"{v / 1e9:g}s"))
        elif k in _SIGSET_KEYS and v == []:
            continue
        else:
            parts.append(f"{k}={value(k, v)}")
    return ", ".join(parts)


def status(st):
    """A wait status: "exited 0", "killed by SIGKILL", "stopped by SIGSTOP"."""
    if not isinstance(st, dict):
        return str(st)
    if "exited" in st:
        return f"exited {st['exited']}"
    if "signaled" in st:
        return f"killed by {st['signaled']}" + (" (core dumped)" if st.get("core") else "")
    if "stopped" in st:
        return f"stopped by {st['stopped']}"
    if st.get("continued"):
        return "continued"
    return value("status", st)


def _syscall(ev):
    name = ev.get("call") or ev.get("name") or "?"
    text = f"{name}({_args(ev.get('args'))})"
    ret, err = ev.get("ret"), ev.get("err")
    how = ev.get("interrupted")
    if how == "restarted":
        return text + f" interrupted by {ev.get('signal') or 'a signal'}: the kernel restarts it"
    if err:
        text += f" = -1 {err}"
        if how:
            text += f" (interrupted by {ev.get('signal') or 'a signal'})"
        return text
    if ret is None:
        return text + ("  (the handler returns)" if name == "sigreturn" else "")
    text += f" = {ret}"
    out = ev.get("out") or {}
    extra = []
    if "status" in out:
        extra.append(status(out["status"]))
    for key in ("readfds", "writefds", "exceptfds"):
        if out.get(key):
            extra.append(f"ready {key}={value(key, out[key])}")
    if out.get("fds"):
        # poll's out.fds lists only the fds that came back ready, with
        # their revents under "events" (docs/trace-format.md).
        ready = [f"{x.get('fd')}:{value('events', x.get('events'))}" for x in out["fds"]]
        extra.append("ready " + " ".join(ready[:6]) + (" ..." if len(ready) > 6 else ""))
    if out.get("events"):
        ready = [f"{x.get('fd_data')}:{value('events', x.get('events'))}" for x in out["events"]]
        extra.append("ready " + " ".join(ready[:6]) + (" ..." if len(ready) > 6 else ""))
    if extra:
        text += " (" + "; ".join(extra) + ")"
    return text


def _spawn(ev):
    call = ev.get("call") or "clone"
    if ev.get("kind") == "thread":
        return f"{call}() = thread {ev.get('child')} (new thread)"
    return f"{call}() = {ev.get('child')} (new process)"


def _signal(ev, tracer_pid):
    sender = ev.get("sender")
    if sender is None:
        frm = "from the kernel"
    elif tracer_pid is not None and sender == tracer_pid:
        frm = "from the tracer"
    else:
        frm = f"from {sender}"
    detail = []
    if ev.get("child_status"):
        detail.append(status(ev["child_status"]))
    elif ev.get("code") and ev.get("code") not in ("SI_USER", "SI_KERNEL"):
        detail.append(ev["code"])
    action = ev.get("action") or "?"
    action = {"handler": "handler runs", "ignore": "ignored", "default": "default action (ignored)",
              "kill": "kills the process", "core": "kills the process (core)",
              "stop": "stops the process"}.get(action, action)
    return f"<- {ev.get('sig')} {frm}" + (f" ({'; '.join(detail)})" if detail else "") + f" -> {action}"


def _exit(ev):
    whole = ev.get("process")
    what = "exited" if whole else "thread exited"
    if ev.get("signal"):
        return ("killed" if whole else "thread killed") + f" by {ev['signal']}" + \
            (" (core dumped)" if ev.get("core") else "")
    return f"{what} with code {ev.get('code')}"


def _reap(ev):
    child, how = ev.get("child"), ev.get("how")
    if ev.get("leaked"):
        return (f"zombie {child} was never reaped by its parent (leaked); "
                f"{'the tracer' if how == 'adopted' else 'its reaper'} removed it at the end")
    if how == "auto":
        return f"{child} reaped automatically (SIGCHLD ignored or SA_NOCLDWAIT): no zombie"
    if how == "adopted":
        return f"orphan {child} reaped by the tracer, as init would"
    ms = (ev.get("zombie_ns") or 0) / 1e6
    return f"reaped {child} (it was a zombie for {ms:.2f} ms)"


def _lab(ev):
    what = ev.get("what")
    if what == "ready":
        return f"the server is ready on port {ev.get('port')}"
    if what == "load-start":
        return "the load generator starts"
    if what == "load-done":
        return f"the load generator is done (exit {ev.get('exit')})"
    if what == "stop":
        return f"the tracer stops the server with {_signame(ev.get('sig'))}"
    return f"{what}"


def _signame(num):
    try:
        return _sigmod.Signals(num).name
    except (ValueError, TypeError):
        return f"signal {num}"


def describe(ev, tracer_pid=None):
    """What one event says, without its time and pid."""
    kind = ev.get("type")
    if kind == "syscall":
        return _syscall(ev)
    if kind == "spawn":
        return _spawn(ev)
    if kind == "signal":
        return _signal(ev, tracer_pid)
    if kind == "exit":
        return _exit(ev)
    if kind == "reap":
        return _reap(ev)
    if kind == "exec":
        return "exec " + " ".join(map(str, ev.get("argv") or [ev.get("path")]))
    if kind == "lab":
        return _lab(ev)
    if kind == "libcall":
        text = f"{ev.get('name')}({_args(ev.get('args'))})"
        return text + ("" if ev.get("ret") is None else f" = {ev.get('ret')}")
    if kind == "state":
        to = ev.get("to")
        return f"is {to}" + (f" in {ev['call']}" if to == "blocked" and ev.get("call") else "")
    if kind == "trace":
        return "trace starts: " + " ".join(map(str, ev.get("argv") or []))
    if kind == "summary":
        return f"trace ends (exit status {ev.get('exit')})"
    return kind or "?"


def line(ev, tracer_pid=None):
    """One event as a timeline line: "0.0123 [1234] waitpid(...) = 0"."""
    return f"{seconds(ev)} {who(ev, tracer_pid)} {describe(ev, tracer_pid)}"


def tracer_pid_of(trace):
    """The tracer's own pid: known when tracelab ran it, else read off the
    zombies it adopted."""
    pid = getattr(trace, "tracer_pid", None)
    if pid:
        return pid
    for ev in trace.events:
        if ev.get("type") == "reap" and ev.get("how") == "adopted":
            return ev.get("by")
    return None


def render(events, trace=None, limit=None):
    """Lines for events (the kinds in SHOWN), at most `limit` of them."""
    tp = tracer_pid_of(trace) if trace is not None else None
    shown = [ev for ev in events if ev.get("type") in SHOWN]
    lines = [line(ev, tp) for ev in shown[:limit]]
    if limit is not None and len(shown) > limit:
        lines.append(f"... {len(shown) - limit} more events")
    return "\n".join(lines)
