"""Causes a student may not see, said in plain words when a check fails.

A check says what was expected and what was found; some failures have a
cause that the trace shows elsewhere. When a check about SIGCHLD or about
reaping children fails and the program set SIGCHLD to SIG_IGN (or asked
for SA_NOCLDWAIT), the kernel reaped the children itself: no SIGCHLD
comes, no zombie is left, a wait finds no child. The message says so.

    why(scope, patterns) -> sentences to add to the message (maybe none)

Each cause is a function in _CAUSES: (scope, patterns) -> text or None.
"""

from .failures import at
from .i18n import _, ngettext
from .patterns import _Call, _Either, _Event, _Pinned, _Signal

_WAITS = {"wait", "waitpid", "wait3", "wait4", "waitid"}


def why(scope, patterns=()):
    """What the trace shows that explains a failed check of `scope` about
    `patterns`: a list of sentences, empty when nothing known applies."""
    out = []
    for cause in _CAUSES:
        text = cause(scope, list(patterns))
        if text:
            out.append(text)
    return out


def _wants(pattern, test):
    """Does the pattern (or one of its options, or the pattern a step pins)
    pass test?"""
    if isinstance(pattern, _Pinned):
        return _wants(pattern.pattern, test)
    if isinstance(pattern, _Either):
        return any(_wants(p, test) for p in pattern.options)
    return test(pattern)


def _a_sigchld_handler(p):
    """sigaction(SIGCHLD, handler=...), or SIGCHLD delivered to a handler."""
    fields = getattr(p, "fields", {})
    if isinstance(p, _Call):
        return fields.get("sig") == "SIGCHLD" and "handler" in fields
    return isinstance(p, _Signal) and p.name == "SIGCHLD" and fields.get("action") == "handler"


def _a_wait(p):
    """A wait call, or a child reaped."""
    return (isinstance(p, _Call) and p.name in _WAITS) or (isinstance(p, _Event) and "reap" in p.types)


def _sigchld_comes(p):
    """SIGCHLD delivered, or a call that SIGCHLD interrupts."""
    if isinstance(p, _Signal):
        return p.name == "SIGCHLD"
    return "SIGCHLD" in [v for v in getattr(p, "fields", {}).values() if isinstance(v, str)]


def _ignoring_sigchld(trace):
    """The sigaction that left SIGCHLD ignored (SIG_IGN) or with
    SA_NOCLDWAIT in some process (its last setting of SIGCHLD), or None."""
    last = {}
    for ev in trace.events:
        args = ev.get("args") or {}
        if ev.get("type") == "syscall" and ev.get("name") == "rt_sigaction" \
                and args.get("sig") == "SIGCHLD" and "handler" in args and not ev.get("err"):
            last[ev.get("pid")] = ev
    for ev in last.values():
        args = ev["args"]
        if args.get("handler") == "SIG_IGN" or "SA_NOCLDWAIT" in (args.get("flags") or []):
            return ev
    return None


def _sigchld_ignored(scope, patterns):
    """What the check expected that an ignored SIGCHLD takes away: a
    handler, a wait that reaps, or SIGCHLD itself."""
    def any_(test):
        return any(_wants(p, test) for p in patterns)
    handler = scope.handler_sig == "SIGCHLD" or any_(_a_sigchld_handler)
    waits = any_(_a_wait)
    comes = any_(_sigchld_comes)
    if not (handler or waits or comes):
        return None
    trace = scope.trace
    setting = _ignoring_sigchld(trace)
    if setting is None:
        return None
    ignored = setting["args"].get("handler") == "SIG_IGN"
    if not ignored and not (handler or waits):
        return None        # SA_NOCLDWAIT: SIGCHLD still comes
    auto = len([ev for ev in trace.events if ev.get("type") == "reap" and ev.get("how") == "auto"])
    did = ngettext(" (it did, {n} time in this run)", " (it did, {n} times in this run)",
                   auto).format(n=auto) if auto else ""
    where = _("process {pid}, at {at}").format(pid=setting.get("pid"), at=at(setting))
    if ignored:
        text = _("The children are reaped by the kernel because SIGCHLD is ignored: the program "
                 "set it to SIG_IGN ({where}), so the kernel reaps each child the moment it exits"
                 "{did}. No SIGCHLD comes, no child is ever a zombie, and a wait() finds no "
                 "child to reap.").format(where=where, did=did)
    else:
        text = _("The children are reaped by the kernel because the program's sigaction(SIGCHLD) "
                 "has SA_NOCLDWAIT ({where}), so the kernel reaps each child the moment it exits"
                 "{did}. SIGCHLD still comes, but no child is ever a zombie, and a wait() finds "
                 "no child to reap.").format(where=where, did=did)
    # What the check asked for, on a line of its own: a message's lines are
    # cut at shown.MESSAGE_LINE_CHARS, and the cause is long (longer still
    # in Vietnamese).
    lab = bool((trace.header or {}).get("lab"))
    if handler:
        return text + "\n" + (_("But this lab asks for a SIGCHLD handler that reaps them.") if lab
                              else _("But this test asks for a SIGCHLD handler that reaps them."))
    if waits:
        return text + "\n" + _("But this test expects the program to reap its children itself, "
                               "with wait() or waitpid().")
    return text + "\n" + _("But this test expects SIGCHLD to come.")

_CAUSES = [_sigchld_ignored]
