"""Failure messages of tracelab.expect, for a student to read: what was
expected, what was found, and the part of the trace where it went wrong as
timeline lines (the tracer's own, through tracelab.timeline), with the culprits and the nearest match
marked `>>>`.
"""

from . import timeline
from .i18n import _, ngettext


class ExpectationFailed(AssertionError):
    """A check did not hold; str() is the message for the student."""


class Failure:
    """Why one stream failed: sentences, and notes on some of its events
    (index in stream.events -> note) to show as timeline lines."""

    def __init__(self, says, marks=None, after=None, score=0):
        self.says = says if isinstance(says, list) else [says]
        self.marks = marks or {}
        self.after = after      # also show a few events after this index
        self.score = score      # for `some`: how near this stream came


def at(ev):
    return f"{ev.get('t', 0) / 1e9:.4f} s"


def nearest(events, pattern, ctx, start=0, skip=()):
    """(index, differences) of the event nearest to matching, preferring
    those at or after start; None if nothing is even of the same kind."""
    best, best_key = None, None
    for i, ev in enumerate(events):
        close = pattern.closeness(ev, ctx)
        if close is None or i in skip:
            continue
        key = (close, i >= start, -abs(i - start))
        if best_key is None or key > best_key:
            best, best_key = i, key
    if best is None:
        return None
    return best, pattern.differences(events[best], ctx) or [_("it matches, but not at this place")]


def absent(stream, pattern, ctx, text):
    """A Failure for a pattern that a stream lacks, with its nearest match."""
    near = nearest(stream.events, pattern, ctx)
    if near is None:
        return Failure([text, _("Nothing like {pattern} happens in {stream}.").format(
                           pattern=pattern.describe(), stream=stream.label)],
                       {}, after=-1 if stream.events else None)
    i, diffs = near
    return Failure([text, _("The nearest is at {at}: {differences}.").format(
                       at=at(stream.events[i]), differences="; ".join(diffs))],
                   {i: _("nearest: {differences}").format(differences="; ".join(diffs))})


def message(scope, words, stream, fail, bad, total, why=()):
    """The whole message of a check that failed in `bad` of `total` streams;
    `why`: sentences on its cause (explain.py)."""
    out = [_("Expected, in {scope}: {words}").format(scope=scope.describe(), words=words), ""]
    if total > 1:
        said = _("{bad} of {total} failed; the first is {stream}.") if scope.quant == "every" \
            else _("{bad} of {total} failed; the nearest is {stream}.")
        out.append(said.format(bad=bad, total=total, stream=stream.label))
    out += fail.says
    for text in why:
        out += ["", text]
    out.append("")
    out.append(_("What happened in {stream}:").format(stream=stream.label))
    out += window(stream.events, fail.marks, fail.after, scope.trace)
    return "\n".join(out + _whole_timeline(scope.trace))


def empty_message(scope, words, why=()):
    """The message of a check on a scope with nothing in it (no child, the
    handler never ran, ...); `why`: sentences on its cause (explain.py)."""
    trace = scope.trace
    out = [_("Expected, in {scope}: {words}").format(scope=scope.describe(), words=words), ""]
    sig = scope.handler_sig
    if sig is None:
        out.append(_("But there is no {what} in this trace.").format(
            what=scope.plural or _("such stream")))
        return "\n".join(out + [x for text in why for x in ("", text)])
    deliveries = [ev for ev in trace.events if ev.get("type") == "signal" and ev.get("sig") == sig]
    if not deliveries:
        out.append(_("But the {sig} handler never ran: no {sig} was delivered.").format(sig=sig))
        return "\n".join(out + [x for text in why for x in ("", text)])
    acts = sorted({ev.get("action") for ev in deliveries})
    if acts == ["handler"]:
        out.append(_("But no run of the {sig} handler was seen to end: {sig} reached it "
                     "{n} time(s), and no rt_sigreturn followed "
                     "(was the process killed inside it?).").format(sig=sig, n=len(deliveries)))
    else:
        out.append(_("But the {sig} handler never ran: {sig} was delivered "
                     "{n} time(s), with action {actions} "
                     "(is the handler installed before the signals come?).").format(
                         sig=sig, n=len(deliveries), actions=", ".join(acts)))
    for text in why:
        out += ["", text]
    marks = {trace.events.index(ev): "" for ev in deliveries[:6]}
    out += ["", _("What happened:")] + window(trace.events, marks, None, trace)
    return "\n".join(out)


def _whole_timeline(trace):
    lab = (trace.header or {}).get("lab")
    return ["", _("(`./trace {lab}` shows the whole timeline.)").format(lab=lab)] if lab else []


_CONTEXT = 2        # lines shown around each marked event
_MAX_LINES = 40


def window(events, marks, after, trace):
    """Timeline lines around the marked events (index -> note), with
    "..." where events are left out."""
    tl = timeline.of(trace) if trace is not None else None
    shown = [i for i, ev in enumerate(events) if (tl and tl.has_line(ev)) or i in marks]
    if not shown:
        return ["    " + _("(no events)")]
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
    out, last = [], -1
    for p in sorted(keep):
        if len(out) >= _MAX_LINES:
            out.append(f"      ... ({_more(len(shown) - p)})")
            last = len(shown) - 1
            break
        if p > last + 1:
            out.append(f"      ... ({_events(p - last - 1)})")
        i = shown[p]
        note = marks.get(i)
        prefix = " >>> " if note is not None else "     "
        text = tl.line(events[i]) if tl else timeline.plain(events[i])
        out.append(prefix + text + (f"    <-- {note}" if note else ""))
        last = p
    if last < len(shown) - 1:
        out.append(f"      ... ({_more(len(shown) - 1 - last)})")
    return out


def _events(n):
    return ngettext("{n} event", "{n} events", n).format(n=n)


def _more(n):
    return ngettext("{n} more event", "{n} more events", n).format(n=n)
