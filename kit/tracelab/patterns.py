"""Patterns: what one event must look like, for tracelab.expect.

call(NAME, **fields) for system calls, fork and pthread_create (spawn
events) and pthread_join (libcall); signal(SIG, **fields) for a delivery;
exited(), killed_by(), new_process(), new_thread(), leaked_zombie(),
event(TYPE, ...); first(p) and last(p) pin a step to the first or last such
event. A field's wanted value: a plain value is equality, or membership when
the event holds a list; a list is the exact list, in any order; a set or
tuple is any of its members; has(a, b), one_of(a, b), not_(x), HANDLER,
ANY, or any function of the value.
"""

from .timeline import value
from .trace import ANY

_MISSING = object()


class UsageError(ValueError):
    """An expectation that cannot be checked on this trace (the grader's
    mistake, not the student's)."""


# ---------------------------------------------------------------- values

class Want:
    """A wanted value that is more than equality."""

    def test(self, got):
        raise NotImplementedError

    def text(self, key):
        raise NotImplementedError


class _Pred(Want):
    def __init__(self, fn, words):
        self.fn, self.words = fn, words

    def test(self, got):
        return got is not _MISSING and got is not None and bool(self.fn(got))

    def text(self, key):
        return f"{key}={self.words}"


class _Has(Want):
    def __init__(self, items):
        self.items = items

    def test(self, got):
        return isinstance(got, list) and all(i in got for i in self.items)

    def text(self, key):
        return f"{key} has {', '.join(map(str, self.items))}"


class _OneOf(Want):
    def __init__(self, options):
        self.options = options

    def test(self, got):
        return any(_match(got, o) for o in self.options)

    def text(self, key):
        return " or ".join(_field_text(key, o) for o in self.options)


class _Not(Want):
    def __init__(self, inner):
        self.inner = inner

    def test(self, got):
        return not _match(got, self.inner)

    def text(self, key):
        return f"not {_field_text(key, self.inner)}"


def has(*items):
    """A list field that contains all of items: options=has("WNOHANG")."""
    return _Has(items)


def one_of(*options):
    """Any of the wanted values: pid=one_of(-1, 0)."""
    return _OneOf(options)


def not_(wanted):
    """Anything but: options=not_("WNOHANG")."""
    return _Not(wanted)


HANDLER = _Pred(lambda h: isinstance(h, str) and h not in ("SIG_DFL", "SIG_IGN"),
                "a handler function")


def _match(got, want):
    if want is ANY:
        return True
    if isinstance(want, Want):
        return want.test(got)
    if callable(want):
        return got is not _MISSING and bool(want(got))
    if got is _MISSING:
        got = None
    if isinstance(got, list):
        if isinstance(want, (list, tuple, set, frozenset)):
            return sorted(map(repr, got)) == sorted(map(repr, want))
        return want in got
    if isinstance(want, (list, tuple, set, frozenset)):
        return got in want
    return got == want


def _field_text(key, want):
    if want is ANY:
        return f"{key}=anything"
    if isinstance(want, Want):
        return want.text(key)
    if callable(want):
        return f"{key} {getattr(want, 'description', 'as the test requires')}"
    if isinstance(want, (set, frozenset, tuple)):
        return " or ".join(f"{key}={value(key, w)}" for w in want)
    return f"{key}={value(key, want)}"


def _got_text(key, got):
    return "absent" if got is _MISSING else value(key, got)


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
_CALL_TOP = {"ret", "err", "interrupted", "signal", "dur_ns", "tid", "name", "call", "class"}


class Pattern:
    """Matches one event. `described_as(text)` replaces the description."""

    types = ()

    def __init__(self, name=None, fields=None, words=None):
        self.name, self.fields, self.words = name, dict(fields or {}), words

    def described_as(self, text):
        self.words = text
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

    def matches(self, ev):
        return (ev.get("type") in self.types and self.same_name(ev)
                and all(_match(self.get(ev, k), w) for k, w in self.fields.items()))

    def closeness(self, ev):
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
        return (1 if same else 0,
                sum(_match(self.get(ev, k), w) for k, w in self.fields.items()))

    def differences(self, ev):
        """Why ev does not match, in words."""
        out = []
        if not self.same_name(ev):
            out.append(f"it is {self.name_of(ev)}, not {self.shown(self.name)}")
        for k, w in self.fields.items():
            got = self.get(ev, k)
            if _match(got, w):
                continue
            if isinstance(got, list) and not isinstance(w, (Want, list, tuple, set, frozenset)) \
                    and not callable(w):
                out.append(f"{k} is {_got_text(k, got)}, without {value(k, w)}")
            else:
                out.append(f"{k} is {_got_text(k, got)}, expected {_field_text(k, w)}")
        return out

    def describe(self):
        return self.words or self._describe()

    def _describe(self):
        return repr(self)

    __str__ = describe


class _Call(Pattern):
    types = ("syscall", "spawn", "libcall")

    def names(self, ev):
        kind = ev.get("type")
        if kind == "syscall":
            return {ev.get("call"), ev.get("name")}
        if kind == "spawn":
            return {ev.get("call"), ev.get("syscall")}
        return {ev.get("name")}

    def name_of(self, ev):
        return self.shown(ev.get("call") or ev.get("name") or "?")

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
        return out.get(key, _MISSING)

    def _describe(self):
        inner = [_field_text(k, w) for k, w in self.fields.items()
                 if k not in ("ret", "err", "interrupted")]
        text = f"{self.name or 'a call'}({', '.join(inner)})"
        if "ret" in self.fields:
            text += f" returning {_field_text('ret', self.fields['ret']).split('=', 1)[-1]}"
        if "err" in self.fields:
            err = self.fields["err"]
            text += " succeeding" if err is None else \
                f" failing with {_field_text('err', err).split('=', 1)[-1]}"
        if "interrupted" in self.fields:
            text += " interrupted by a signal"
        return text


class _Signal(Pattern):
    types = ("signal",)

    def names(self, ev):
        return {ev.get("sig")}

    def name_of(self, ev):
        return ev.get("sig")

    def _describe(self):
        rest = [_field_text(k, w) for k, w in self.fields.items()]
        return f"{self.name or 'a signal'} delivered" + (f" ({', '.join(rest)})" if rest else "")


class _Event(Pattern):
    def __init__(self, type, fields, words=None):
        super().__init__(None, fields, words)
        self.types = (type,)

    def closeness(self, ev):
        if ev.get("type") not in self.types:
            return None
        return (1, sum(_match(self.get(ev, k), w) for k, w in self.fields.items()))

    def _describe(self):
        rest = [_field_text(k, w) for k, w in self.fields.items()]
        return f"a {self.types[0]} event" + (f" ({', '.join(rest)})" if rest else "")


def call(name=None, **fields):
    """A system call, fork/pthread_create, or pthread_join/pthread_detach,
    by the name a student knows ("waitpid", "select") or the kernel's
    ("wait4", "pselect6"); fields are its arguments, ret, err, interrupted."""
    return _Call(name, fields)


def signal(sig=None, **fields):
    """A signal delivered: signal("SIGCHLD", action="handler")."""
    return _Signal(sig, fields)


def event(type, **fields):
    """Any event of the trace format by its top-level fields."""
    return _Event(type, fields)


def exited(code=ANY):
    """A process that ended with exit(code)."""
    words = "a process exiting" + ("" if code is ANY else f" with code {code}")
    return _Event("exit", {"process": True, "code": code, "signal": None}, words)


def killed_by(sig=ANY):
    """A process killed by a signal."""
    words = "a process killed by " + ("a signal" if sig is ANY else str(sig))
    return _Event("exit", {"process": True, "signal": sig if sig is not ANY
                           else _Pred(lambda s: True, "a signal")}, words)


def new_process():
    """A process created, by fork, vfork, clone or posix_spawn."""
    return _Event("spawn", {"kind": "process"}, "a new process (fork)")


def new_thread():
    """A thread created (pthread_create)."""
    return _Event("spawn", {"kind": "thread"}, "a new thread (pthread_create)")


def leaked_zombie():
    """A child that exited and that its parent never reaped."""
    return _Event("reap", {"leaked": True}, "a zombie its parent never reaped")


class _Pinned:
    """A step of in_order that must be the first (or last) such event."""

    def __init__(self, pattern, which):
        self.pattern, self.which = pattern, which

    def describe(self):
        return f"the {self.which} {self.pattern.describe()}"

    __str__ = describe


def first(pattern):
    """In in_order: the first event that matches pattern, not just any."""
    return _Pinned(pattern, "first")


def last(pattern):
    """In in_order: the last event that matches pattern."""
    return _Pinned(pattern, "last")
