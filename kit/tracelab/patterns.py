"""Patterns: what one event must look like, for tracelab.expect.

call(NAME, **fields) for system calls, fork and pthread_create (spawn
events) and pthread_join (libcall); signal(SIG, **fields) for a delivery;
exited(), killed_by(), new_process(), new_thread(), reaped(),
leaked_zombie(), summary(), load_done(), event(TYPE, ...); p | q for
either; p.that(**fields) for more fields. first(p) and last(p) pin a step
to the first or last such event. A field's wanted value is a plain value
or one of values.py.
"""

import copy

from .fds import ready_fds, watched_fds
from .i18n import N_, _, language
from .trace import ANY
from .values import _MISSING, Want, _field_text, _got_text, _match, _Pred, value


# -------------------------------------------------------------- patterns

# Names that are the same idea, for pointing out a near miss.
_FAMILIES = [
    {"wait", "waitpid", "wait3", "wait4", "waitid"},
    {"select", "pselect", "pselect6", "poll", "ppoll", "epoll_wait", "epoll_pwait"},
    {"sigaction", "signal", "rt_sigaction"},
    {"fork", "vfork", "clone", "clone3", "posix_spawn"},
    {"accept", "accept4"},
    {"pthread_create", "pthread_join", "pthread_detach"},
    {"read", "recv", "recvfrom", "recvmsg"},
    {"write", "send", "sendto", "sendmsg"},
]
# Fields of a syscall line that are not its arguments.
_CALL_TOP = {"ret", "err", "interrupted", "signal", "dur_ns", "slept", "unfinished",
             "tid", "name", "call", "call_or", "libc", "class"}
# What it means for the program that an argument lacks a flag: (the call's
# class, the key, the flag) -> the consequence, said after "options is 0,
# without WNOHANG" ({call} is the call as the student wrote it).
_CONSEQUENCES = {
    ("wait", "options", "WNOHANG"): N_("so this {call} blocks until a child exits"),
}


class Pattern:
    """Matches one event. `described_as(text)` replaces the description."""

    types = ()
    words_in = {}       # described_as's words in other languages than English

    def __init__(self, name=None, fields=None, words=None):
        self.name, self.fields, self.words = name, dict(fields or {}), words

    def described_as(self, text, **languages):
        """The words for this pattern in a message: text in English, and in
        other languages by their code: described_as("a wait that reaps a
        child", vi="một lời gọi wait thu dọn một tiến trình con")."""
        self.words, self.words_in = text, languages
        return self

    def get(self, ev, key):
        return ev.get(key, _MISSING)

    def name_of(self, ev):
        return None

    def shown(self, name):
        return str(name)

    def same_name(self, ev):
        return self.name is None or self.name in self.names(ev)

    def names(self, ev):
        return set()

    def matches(self, ev, ctx=None):
        if ev.get("type") not in self.types or not self.same_name(ev):
            return False
        c = ctx.at(self, ev) if ctx is not None else None
        return all(_match(self.get(ev, k), w, c) for k, w in self.fields.items())

    def describe_field(self, key):
        return _field_text(key, self.fields[key])

    def that(self, **fields):
        """This pattern with more fields wanted: call("wait4").that(pid=-1)."""
        new = copy.copy(self)
        new.fields = {**self.fields, **fields}
        new.words, new.words_in = None, {}
        return new

    def __or__(self, other):
        return _Either(self, other)

    def closeness(self, ev, ctx=None):
        """How near ev comes to matching: None if it is not even the same
        kind of thing; else (same name, fields that match)."""
        if ev.get("type") not in self.types:
            return None
        names = self.names(ev)
        if self.name is not None and self.name not in names:
            family = next((f for f in _FAMILIES if self.name in f), set())
            if not names & family:
                return None
        same = self.name is None or self.name in names
        c = ctx.at(self, ev) if ctx is not None else None
        return (1 if same else 0,
                sum(_match(self.get(ev, k), w, c) for k, w in self.fields.items()))

    def differences(self, ev, ctx=None):
        """Why ev does not match, in words."""
        out = []
        if not self.same_name(ev):
            out.append(_("it is {got}, not {wanted}").format(got=self.name_of(ev),
                                                             wanted=self.shown(self.name)))
        c = ctx.at(self, ev) if ctx is not None else None
        for k, w in self.fields.items():
            got = self.get(ev, k)
            if _match(got, w, c):
                continue
            if isinstance(got, list) and not isinstance(w, (Want, list, tuple, set, frozenset)) \
                    and not callable(w):
                then = self.consequence(ev, k, w)
                out.append(_("{key} is {got}, without {flag}").format(
                    key=k, got=_got_text(k, got), flag=value(k, w)) + (f", {then}" if then else ""))
            else:
                out.append(_("{key} is {got}, expected {wanted}").format(
                    key=k, got=_got_text(k, got), wanted=_field_text(k, w)))
        return out

    def consequence(self, ev, key, lacking):
        """What it means that ev's `key` lacks the flag `lacking`, or None."""
        return None

    def describe(self):
        if self.words and self.words_in:
            return self.words_in.get(language(), self.words)
        return self.words or self._describe()

    def _describe(self):
        return repr(self)

    __str__ = describe


class _Either(Pattern):
    """One of several patterns: call("waitpid", ret=0) | call("waitpid", err="ECHILD")."""

    def __init__(self, *options):
        super().__init__()
        self.options = [o for p in options for o in (p.options if isinstance(p, _Either) else [p])]
        self.types = tuple({t for o in self.options for t in o.types})

    def matches(self, ev, ctx=None):
        return any(o.matches(ev, ctx) for o in self.options)

    def closeness(self, ev, ctx=None):
        near = [c for c in (o.closeness(ev, ctx) for o in self.options) if c is not None]
        return max(near) if near else None

    def differences(self, ev, ctx=None):
        best = max(self.options, key=lambda o: o.closeness(ev, ctx) or (-1, -1))
        return best.differences(ev, ctx)

    def that(self, **fields):
        return _Either(*[o.that(**fields) for o in self.options])

    def describe_field(self, key):
        return self.options[0].describe_field(key)

    def _describe(self):
        return _(" or ").join(o.describe() for o in self.options)


class _Call(Pattern):
    types = ("syscall", "spawn", "libcall")

    def matches(self, ev, ctx=None):
        # A call that never returned has no result: only a pattern that
        # asks for unfinished calls (unfinished=...) matches one.
        if ev.get("unfinished") is not None and "unfinished" not in self.fields:
            return False
        return super().matches(ev, ctx)

    def names(self, ev):
        kind = ev.get("type")
        if kind == "syscall":
            # call_or: the arguments fit two functions (wait, waitpid) and no
            # hook said which; a pattern for either matches.
            return {ev.get("call"), ev.get("name")} | ({ev["call_or"]} if ev.get("call_or") else set())
        if kind == "spawn":
            return {ev.get("call"), ev.get("syscall")}
        return {ev.get("name")}

    def name_of(self, ev):
        name = self.shown(ev.get("call") or ev.get("name") or "?")
        return _("{one} or {other}").format(one=name, other=self.shown(ev["call_or"])) \
            if ev.get("call_or") else name

    def consequence(self, ev, key, lacking):
        then = _CONSEQUENCES.get((ev.get("class"), key, lacking))
        return _(then).format(call=self.name_of(ev)) if then else None

    def shown(self, name):
        return f"{name}()"

    def get(self, ev, key):
        kind = ev.get("type")
        if kind == "spawn":
            return ev.get(key, _MISSING)
        args = ev.get("args") or {}
        if key in args:
            return args[key]
        if key in _CALL_TOP or (kind == "libcall" and key in ev):
            return ev.get(key, _MISSING)
        out = ev.get("out") or {}
        if key in out:
            return out[key]
        if key in ("watched", "ready") and kind == "syscall":
            fds = (watched_fds if key == "watched" else ready_fds)(ev)
            return _MISSING if fds is None else fds
        return _MISSING

    def _describe(self):
        inner = [_field_text(k, w) for k, w in self.fields.items()
                 if k not in ("ret", "err", "interrupted", "unfinished", "slept")]
        text = f"{self.name or _('a call')}({', '.join(inner)})"
        if "ret" in self.fields:
            text += _(" returning {value}").format(
                value=_field_text("ret", self.fields["ret"]).split("=", 1)[-1])
        if "err" in self.fields:
            err = self.fields["err"]
            text += _(" succeeding") if err is None else _(" failing with {error}").format(
                error=_field_text("err", err).split("=", 1)[-1])
        if "interrupted" in self.fields:
            text += _(" interrupted by a signal")
        if "slept" in self.fields:
            text += _(" sleeping in it") if self.fields["slept"] is True else _(" not sleeping in it")
        if "unfinished" in self.fields:
            text += _(" never returning")
        return text


class _Signal(Pattern):
    types = ("signal",)

    def names(self, ev):
        return {ev.get("sig")}

    def name_of(self, ev):
        return ev.get("sig")

    def _describe(self):
        rest = [_field_text(k, w) for k, w in self.fields.items()]
        return _("{signal} delivered").format(signal=self.name or _("a signal")) + \
            (f" ({', '.join(rest)})" if rest else "")


class _Event(Pattern):
    def __init__(self, type, fields, words=None):
        super().__init__(None, fields, words)
        self.types = (type,)

    def closeness(self, ev, ctx=None):
        if ev.get("type") not in self.types:
            return None
        c = ctx.at(self, ev) if ctx is not None else None
        return (1, sum(_match(self.get(ev, k), w, c) for k, w in self.fields.items()))

    def _describe(self):
        rest = [_field_text(k, w) for k, w in self.fields.items()]
        return _("a {type} event").format(type=self.types[0]) + (f" ({', '.join(rest)})" if rest else "")


def call(name=None, **fields):
    """A system call, fork/pthread_create, or pthread_join/pthread_detach,
    by the name a student knows ("waitpid", "select") or the kernel's
    ("wait4", "pselect6"); fields are its arguments, ret, err, interrupted,
    slept. It matches calls that returned; unfinished="killed" (or ANY)
    matches the calls that never did instead."""
    return _Call(name, fields)


def signal(sig=None, **fields):
    """A signal delivered: signal("SIGCHLD", action="handler")."""
    return _Signal(sig, fields)


def event(type, **fields):
    """Any event of the trace format by its top-level fields."""
    return _Event(type, fields)


def exited(code=ANY):
    """A process that ended with exit(code)."""
    words = _("a process exiting") if code is ANY else \
        _("a process exiting with code {code}").format(code=code)
    return _Event("exit", {"process": True, "code": code, "signal": None}, words)


def killed_by(sig=ANY):
    """A process killed by a signal."""
    words = _("a process killed by {signal}").format(signal=_("a signal") if sig is ANY else sig)
    return _Event("exit", {"process": True, "signal": sig if sig is not ANY
                           else _Pred(lambda s: True, N_("a signal"))}, words)


def new_process(**fields):
    """A process created, by fork, vfork, clone or posix_spawn; fields of
    its spawn event: new_process(call="fork", flags=has("SIGCHLD"))."""
    words = _("a new process (fork)") if not fields else None
    return _Event("spawn", {"kind": "process", **fields}, words)


def new_thread(**fields):
    """A thread created (pthread_create); fields of its spawn event."""
    words = _("a new thread (pthread_create)") if not fields else None
    return _Event("spawn", {"kind": "thread", **fields}, words)


def reaped(**fields):
    """A zombie gone: reaped(how="wait") by its parent's wait call (also
    how="auto", "adopted"); fields of the reap event (by=, child=)."""
    words = None if set(fields) - {"how"} else \
        {"wait": _("a child reaped by its parent's wait()"), None: _("a child reaped")}.get(fields.get("how"))
    return _Event("reap", fields, words)


def summary(**fields):
    """The trace's summary line, by its fields: summary(processes=1,
    exit=0, never_joined=[]); the zombies' counts (leaked, transient,
    max_concurrent) are read from its "zombies"."""
    return _Summary("summary", fields)


class _Summary(_Event):
    _ZOMBIES = ("leaked", "transient", "max_concurrent", "auto", "adopted")

    def get(self, ev, key):
        if key in self._ZOMBIES and key not in ev:
            return (ev.get("zombies") or {}).get(key, _MISSING)
        return ev.get(key, _MISSING)

    def _describe(self):
        return _("the summary with {fields}").format(
            fields=", ".join(_field_text(k, w) for k, w in self.fields.items()))


def load_done(exit=0):
    """The lab's load generator finishing: exit=0 when every client got
    its echoes back."""
    words = _("the load generator finishing with exit 0 (every client got its echoes back)") \
        if exit == 0 else _("the load generator finishing")
    return _Event("lab", {"what": "load-done", "exit": exit}, words)


def leaked_zombie():
    """A child that exited and that its parent never reaped."""
    return _Event("reap", {"leaked": True}, _("a zombie its parent never reaped"))


class _Pinned:
    """A step of in_order that must be the first (or last) such event."""

    def __init__(self, pattern, which):
        self.pattern, self.which = pattern, which

    def describe(self):
        said = _("the first {pattern}") if self.which == "first" else _("the last {pattern}")
        return said.format(pattern=self.pattern.describe())

    __str__ = describe


def first(pattern):
    """In in_order: the first event that matches pattern, not just any."""
    return _Pinned(pattern, "first")


def last(pattern):
    """In in_order: the last event that matches pattern."""
    return _Pinned(pattern, "last")
