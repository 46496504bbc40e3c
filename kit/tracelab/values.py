"""Wanted values: what a field of an event must be, for the patterns of
tracelab.expect (patterns.py). A plain value is equality (or membership
when the event holds a list); these say more:

    has(a, b), has(key=v)   a list holding a and b; a dict with these items
    one_of(a, b), not_(x)   any of them; anything but x
    above(n), below(n), between(lo, hi), length(w), subset_of(w), ABSENT
    HANDLER                 a signal handler function (not SIG_DFL/SIG_IGN)
    its(key)                another field of the same event: ready=length(its("ret"))
    same(name)              in sequence checks, the value an earlier step had
    OWN_PID                 the pid of the process that made the call
    LISTENER, READY, LISTENER_AND_OPEN, HIGHEST_FD_PLUS_ONE, besides_listener(w)
                            what a server's fds are at that moment (fds.py)

A wanted value may look at a Context: the trace, the event, what earlier
steps bound.
"""

from .fds import fd_state, watched_fds
from .trace import ANY
from .i18n import N_, _

_MISSING = object()

# Keys whose value is a set of signals: shown as {SIGCHLD,SIGIO}.
_SIGSET_KEYS = {"mask", "set"}


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
        more = _(", ... {n} more").format(n=len(v) - 3) if len(v) > 3 else ""
        return "[" + shown + more + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}={value(k, x)}" for k, x in v.items()) + "}"
    return str(v)



class UsageError(ValueError):
    """An expectation that cannot be checked on this trace (the grader's
    mistake, not the student's)."""


# ---------------------------------------------------------------- values

class Want:
    """A wanted value that is more than equality. `ctx` (a Context, or
    None outside a check) is what it may look at besides the value."""

    def test(self, got, ctx=None):
        raise NotImplementedError

    def text(self, key):
        raise NotImplementedError


class _Pred(Want):
    """words: marked with N_ and said in the reader's language when shown,
    with `args` put in."""

    def __init__(self, fn, words, **args):
        self.fn, self.words, self.args = fn, words, args

    def test(self, got, ctx=None):
        return got is not _MISSING and got is not None and bool(self.fn(got))

    def text(self, key):
        return f"{key}=" + _(self.words).format(**self.args)


class _Has(Want):
    def __init__(self, items, pairs):
        self.items, self.pairs = items, pairs

    def test(self, got, ctx=None):
        if self.pairs:
            return isinstance(got, dict) and all(k in got and _match(got[k], w, ctx)
                                                 for k, w in self.pairs.items())
        return isinstance(got, list) and all(i in got for i in self.items)

    def text(self, key):
        if self.pairs:
            return _("{key} with {fields}").format(
                key=key, fields=", ".join(_field_text(k, w) for k, w in self.pairs.items()))
        return _("{key} has {items}").format(key=key, items=", ".join(map(str, self.items)))


class _OneOf(Want):
    def __init__(self, options):
        self.options = options

    def test(self, got, ctx=None):
        return any(_match(got, o, ctx) for o in self.options)

    def text(self, key):
        return _(" or ").join(_field_text(key, o) for o in self.options)


class _Not(Want):
    def __init__(self, inner):
        self.inner = inner

    def test(self, got, ctx=None):
        return not _match(got, self.inner, ctx)

    def text(self, key):
        return _("not {field}").format(field=_field_text(key, self.inner))


def has(*items, **pairs):
    """A list field that contains all of items: options=has("WNOHANG");
    or a dict field with these items: status=has(signaled="SIGSEGV")."""
    if items and pairs:
        raise UsageError("has() takes items of a list or keys of a dict, not both")
    return _Has(items, pairs)


def one_of(*options):
    """Any of the wanted values: pid=one_of(-1, 0)."""
    return _OneOf(options)


def not_(wanted):
    """Anything but: options=not_("WNOHANG")."""
    return _Not(wanted)


HANDLER = _Pred(lambda h: isinstance(h, str) and h not in ("SIG_DFL", "SIG_IGN"),
                N_("a handler function"))


class _Compare(Want):
    def __init__(self, op, bound, words):
        self.op, self.bound, self.words = op, bound, words

    def test(self, got, ctx=None):
        return isinstance(got, (int, float)) and not isinstance(got, bool) \
            and self.op(got, _value(self.bound, ctx))

    def text(self, key):
        return f"{key} {self.words} {_shown(self.bound)}"


def above(n):
    """A number greater than n: ret=above(0)."""
    return _Compare(lambda a, b: a > b, n, ">")


def below(n):
    """A number less than n: ret=below(0)."""
    return _Compare(lambda a, b: a < b, n, "<")


def between(low, high):
    """A number from low to high, both included."""
    return _Pred(lambda v: isinstance(v, (int, float)) and low <= v <= high,
                 N_("from {low} to {high}"), low=low, high=high)


class _Length(Want):
    def __init__(self, wanted):
        self.wanted = wanted

    def test(self, got, ctx=None):
        return isinstance(got, (list, dict, str)) and _match(len(got), self.wanted, ctx)

    def text(self, key):
        return _field_text(f"len({key})", self.wanted)


def length(wanted):
    """A list (or dict) of that many items: fds=length(101),
    fds=length(above(100)), ready=length(its("ret"))."""
    return _Length(wanted)


class _SubsetOf(Want):
    def __init__(self, wanted):
        self.wanted = wanted

    def test(self, got, ctx=None):
        whole = _value(self.wanted, ctx)
        return isinstance(got, list) and isinstance(whole, list) and set(got) <= set(whole)

    def text(self, key):
        return _("{key} all among {values}").format(key=key, values=_shown(self.wanted))


def subset_of(wanted):
    """A list whose items are all in wanted: ready=subset_of(its("watched"))."""
    return _SubsetOf(wanted)


class _Absent(Want):
    def test(self, got, ctx=None):
        return got is _MISSING

    def text(self, key):
        return _("no {key}").format(key=key)


ABSENT = _Absent()   # the field is not there at all


class Ref:
    """A value read off the same event when the pattern is tested: its(key)."""

    def __init__(self, key):
        self.key = key

    def value(self, ctx):
        if ctx is None or ctx.pattern is None:
            raise UsageError(f"its({self.key!r}) only has a meaning inside a pattern being checked")
        got = ctx.pattern.get(ctx.event, self.key)
        return None if got is _MISSING else got

    def __repr__(self):
        return _("its {key}").format(key=self.key)


def its(key):
    """The value of another field of the same event: ready=length(its("ret"))."""
    return Ref(key)


def _value(want, ctx):
    return want.value(ctx) if isinstance(want, Ref) else want


def _shown(want):
    return repr(want) if isinstance(want, Ref) else value("", want)


def _match(got, want, ctx=None):
    if want is ANY:
        return True
    if isinstance(want, Ref):
        want = want.value(ctx)
    if isinstance(want, Want):
        return want.test(got, ctx)
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
        return _("{key}=anything").format(key=key)
    if isinstance(want, Ref):
        return f"{key}={want!r}"
    if isinstance(want, Want):
        return want.text(key)
    if callable(want):
        return f"{key} " + (getattr(want, "description", None) or _("as the test requires"))
    if isinstance(want, (set, frozenset, tuple)):
        return _(" or ").join(f"{key}={value(key, w)}" for w in want)
    return f"{key}={value(key, want)}"


def _got_text(key, got):
    return _("absent") if got is _MISSING else value(key, got)


# --------------------------------------------------------------- context

class Context:
    """What a wanted value may look at besides the value itself, while a
    check runs: the trace, the event and pattern being tested, and the
    values that same(name) bound in earlier steps."""

    def __init__(self, trace=None, bound=None):
        self.trace = trace
        self.bound = {} if bound is None else bound
        self.event = self.pattern = None

    def at(self, pattern, ev):
        c = Context(self.trace, self.bound)
        c.pattern, c.event = pattern, ev
        return c


class _Same(Want):
    def __init__(self, name):
        self.name = name

    def test(self, got, ctx=None):
        if ctx is None:
            return True
        if self.name in ctx.bound:
            return got == ctx.bound[self.name]
        ctx.bound[self.name] = got
        return True

    def text(self, key):
        return _("{key} the same as before ({name})").format(key=key, name=self.name)


def same(name):
    """In in_order and the other sequence checks: the value the first
    matching step had, the same in every later step that names it:
    in_order(call("fcntl", fd=same("sock")), call("bind", fd=same("sock")))."""
    return _Same(name)


class _OwnPid(Want):
    def test(self, got, ctx=None):
        return ctx is not None and ctx.event is not None and got == ctx.event.get("pid")

    def text(self, key):
        return _("{key}=its own pid").format(key=key)


OWN_PID = _OwnPid()   # the pid of the process that made the call



# ------------------------------------------------------ a server's fds

class _FdWant(Want):
    """A wanted value that depends on the process's fds at that moment."""

    def __init__(self, test, words, **args):
        self._test, self.words, self.args = test, words, args

    def test(self, got, ctx=None):
        if ctx is None or ctx.event is None or ctx.trace is None:
            return False
        return bool(self._test(got, fd_state(ctx.trace, ctx.event), ctx.event))

    def text(self, key):
        return f"{key} " + _(self.words).format(**{k: v() for k, v in self.args.items()})


LISTENER = _FdWant(lambda got, st, ev: st.listener is not None and got == st.listener,
                   N_("= the listening socket"))
READY = _FdWant(lambda got, st, ev: got in st.ready,
                N_("among the fds the last select/poll/epoll_wait returned ready"))
LISTENER_AND_OPEN = _FdWant(
    lambda got, st, ev: isinstance(got, list) and set(got) == st.open | {st.listener},
    N_("= the listening socket and every open connection (accepted, not yet hung up)"))
HIGHEST_FD_PLUS_ONE = _FdWant(
    lambda got, st, ev: bool(watched_fds(ev)) and got == max(watched_fds(ev)) + 1,
    N_("= the highest fd in its sets + 1"))


def besides_listener(wanted):
    """The fds of a list other than the listening socket, matched against
    wanted: readfds=besides_listener(length(above(4)))."""
    return _FdWant(lambda got, st, ev: isinstance(got, list) and
                   _match(sorted(set(got) - {st.listener}), wanted),
                   N_("besides the listening socket: {others}"),
                   others=lambda: _field_text(_("the others"), wanted))
