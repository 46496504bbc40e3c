"""Checks of tracelab.expect: what must hold in each stream of a scope
(scopes.py). Every check returns the scope, so they chain; one that does
not hold raises ExpectationFailed with a message a student can read
(failures.py).

    .in_order(a, b, c)        a, then later b, then later c (others may come between)
    .before(a, b)             a before the first b
    .in_one_of_orders([a, b], [b, a])
    .starts_with(a, b), .ends_with(a, b), .consists_of(a, b)
                              exactly these events, nothing between
    .exactly(n, p), .at_least(n, p), .at_most(n, p), .does(p), .never(p)
    .each(p, **fields)        there is a p, and every p also has these fields
    .across(p, key, w)        the values of key in all the p together match w
    .there_are(n)             the scope has n streams (n children, n handler runs)
    .no_leaked_zombies()
"""

from collections import namedtuple

from .explain import why
from .i18n import N_, _, ngettext
from .failures import (ExpectationFailed, Failure, absent, at, empty_message, message, nearest,
                       window)
from .patterns import Pattern, _Pinned, call, first
from .values import _MISSING, Context, UsageError, _field_text, _match, value

Stream = namedtuple("Stream", "label events")


class Checks:
    """The checks every Scope has (see the module doc)."""

    def context(self, bound=None):
        return Context(self.trace, bound)

    # Orders.

    def in_order(self, *steps):
        """These events in this order, others allowed in between."""
        __tracebackhide__ = True
        steps = _steps(steps, "in_order")
        lines = [f"    {i}. {s.describe()}" for i, s in enumerate(steps, 1)]
        return self._check(_("these, in this order (other events may come between):") + "\n"
                           + "\n".join(lines),
                           lambda st: _order(st, steps, self.context()), empty_ok=False, about=steps)

    def before(self, earlier, later):
        """`earlier` happens before the first `later`."""
        __tracebackhide__ = True
        return self.in_order(earlier, first(later))

    def in_one_of_orders(self, *orderings):
        """Any one of several acceptable orders (each a list of steps)."""
        __tracebackhide__ = True
        if not orderings:
            raise UsageError("in_one_of_orders needs at least one ordering")
        orderings = [_steps(o, "in_one_of_orders") for o in orderings]
        text = [_("one of these orders (other events may come between):")]
        for letter, o in zip("abcdefghijklmnopqrstuvwxyz", orderings):
            text.append(f"  ({letter}) " + "  ->  ".join(s.describe() for s in o))

        def check(stream):
            fails = []
            for letter, o in zip("abcdefghijklmnopqrstuvwxyz", orderings):
                f = _order(stream, o, self.context())
                if f is None:
                    return None
                f.says = [_("order ({letter}): ").format(letter=letter) + f.says[0]] + f.says[1:]
                fails.append(f)
            return max(fails, key=lambda f: f.score)
        return self._check("\n".join(text), check, empty_ok=False,
                           about=[s for o in orderings for s in o])

    def starts_with(self, *steps):
        """The stream's first events are exactly these, nothing between."""
        __tracebackhide__ = True
        return self._sequence(steps, "starts_with", "first")

    def ends_with(self, *steps):
        """The stream's last events are exactly these, nothing between."""
        __tracebackhide__ = True
        return self._sequence(steps, "ends_with", "last")

    def consists_of(self, *steps):
        """The stream is exactly these events, nothing else."""
        __tracebackhide__ = True
        return self._sequence(steps, "consists_of", "all")

    # Counts.

    def exactly(self, n, pattern):
        __tracebackhide__ = True
        return self._count(pattern, n, n, _("exactly {n} x {pattern}").format(
            n=n, pattern=pattern.describe()))

    def at_least(self, n, pattern):
        __tracebackhide__ = True
        return self._count(pattern, n, None, _("at least {n} x {pattern}").format(
            n=n, pattern=pattern.describe()))

    def at_most(self, n, pattern):
        __tracebackhide__ = True
        return self._count(pattern, 0, n, _("at most {n} x {pattern}").format(
            n=n, pattern=pattern.describe()))

    def does(self, pattern):
        """At least one event that matches."""
        __tracebackhide__ = True
        return self._count(pattern, 1, None, pattern.describe())

    def never(self, pattern):
        __tracebackhide__ = True
        return self._count(pattern, 0, 0, _("no {pattern} at all").format(pattern=pattern.describe()))

    def each(self, pattern, **fields):
        """There is at least one `pattern`, and every one has `fields` too:
        each(call("wait4"), pid=-1, options="WNOHANG")."""
        __tracebackhide__ = True
        if not fields:
            raise UsageError("each(pattern, **fields) needs the fields every match must have")
        full = pattern.that(**fields)
        wanted = ", ".join(full.describe_field(k) for k in fields)
        words = _("at least one {pattern}, and every one with {wanted}").format(
            pattern=pattern.describe(), wanted=wanted)

        def check(stream):
            ctx = self.context()
            hits = [i for i, ev in enumerate(stream.events) if pattern.matches(ev, ctx)]
            if not hits:
                return absent(stream, pattern, ctx, _("Found none."))
            bad = [i for i in hits if not full.matches(stream.events[i], ctx)]
            if not bad:
                return None
            marks = {i: "; ".join(full.differences(stream.events[i], ctx)) for i in bad[:6]}
            return Failure(_("{bad} of the {n} do not: the first at {at}.").format(
                bad=len(bad), n=len(hits), at=at(stream.events[bad[0]])), marks, score=-len(bad))
        return self._check(words, check, empty_ok=False, about=[full])

    def across(self, pattern, key, wanted):
        """The values of `key` in all the `pattern` events together (lists
        joined, each item once) match `wanted`: every client came back
        ready some time is across(call("poll"), "ready",
        besides_listener(length(100)))."""
        __tracebackhide__ = True
        words = _("across every {pattern} together: {wanted}").format(
            pattern=pattern.describe(), wanted=_field_text(key, wanted))

        def check(stream):
            ctx = self.context()
            hits = [i for i, ev in enumerate(stream.events) if pattern.matches(ev, ctx)]
            if not hits:
                return absent(stream, pattern, ctx, _("Found none."))
            union = []
            for i in hits:
                got = pattern.get(stream.events[i], key)
                for item in got if isinstance(got, list) else [got]:
                    if item not in union and item is not _MISSING:
                        union.append(item)
            last = ctx.at(pattern, stream.events[hits[-1]])
            if _match(sorted(union, key=repr), wanted, last):
                return None
            return Failure(_("All together, {key} is {value} ({n} of them).").format(
                key=key, value=value(key, sorted(union, key=repr)), n=len(union)),
                {hits[-1]: _("the last {pattern}").format(pattern=pattern.describe())})
        return self._check(words, check, empty_ok=False, about=[pattern])

    def there_are(self, n):
        """The scope has exactly n streams: n children, n handler runs, ..."""
        __tracebackhide__ = True
        got = len(self.streams)
        if got == n:
            return self
        out = [_("Expected {n} x {what}; there are {got}.").format(
            n=n, what=self.plural or self.single, got=got)]
        out += [x for text in why(self) for x in ("", text)]
        index = {id(ev): i for i, ev in enumerate(self.trace.events)}
        marks = {index[id(s.events[0])]: s.label for s in self.streams[:12]
                 if s.events and id(s.events[0]) in index}
        out += ["", _("What happened:")] + window(self.trace.events, marks, None, self.trace)
        raise ExpectationFailed("\n".join(out))

    def no_leaked_zombies(self):
        """Every child that exited was reaped by its parent."""
        __tracebackhide__ = True
        whole = self.whole
        pids = None if whole else {ev.get("pid") for s in self.streams for ev in s.events
                                   if ev.get("type") != "reap"}
        procs = self.trace.processes
        leaks = [ev for ev in self.trace.events if ev.get("type") == "reap" and ev.get("leaked")
                 and (pids is None or procs.get(ev.get("child")) is None
                      or procs[ev["child"]].ppid in pids)]
        listed = set(self.trace.zombies.leaked) if whole else set()
        missing = listed - {ev.get("child") for ev in leaks}
        if not leaks and not missing:
            return self
        events = self.trace.events
        marks = {}
        for ev in leaks:
            child = ev.get("child")
            for i, e in enumerate(events):
                if e.get("type") == "exit" and e.get("pid") == child and e.get("process"):
                    marks[i] = _("child {pid} exits: a zombie until its parent reaps it").format(pid=child)
            marks[events.index(ev)] = _("child {pid} was never reaped").format(pid=child)
        n = len(leaks) + len(missing)
        says = [ngettext("Found {n} leaked zombie: a child that exited and that its parent never "
                         "reaped with wait()/waitpid().",
                         "Found {n} leaked zombies: children that exited and that their parent "
                         "never reaped with wait()/waitpid().", n).format(n=n)]
        if missing:
            says.append(_("The summary lists as leaked: {pids}").format(
                pids=", ".join(map(str, sorted(missing)))))
        raise ExpectationFailed(message(
            self, _("no leaked zombie: every child that exits is reaped by its parent"),
            Stream(_("the whole trace"), events), Failure(says, marks), 1, 1))

    # Machinery.

    def _sequence(self, steps, check, where):
        __tracebackhide__ = True
        steps = _steps(steps, check, pinned=False)
        lines = [f"    {i}. {s.describe()}" for i, s in enumerate(steps, 1)]
        words = _(_SEQUENCE_WORDS[check]) + "\n" + "\n".join(lines)
        return self._check(words, lambda st: _exact(st, steps, where, self.context()), empty_ok=False,
                           about=steps)

    def _count(self, pattern, low, high, words):
        __tracebackhide__ = True

        def check(stream):
            ctx = self.context()
            hits = [i for i, ev in enumerate(stream.events) if pattern.matches(ev, ctx)]
            n = len(hits)
            if n >= low and (high is None or n <= high):
                return None
            if n == 0:
                return absent(stream, pattern, ctx, _("Found none."))
            marks = {i: f"{pattern.describe()} #{k}" for k, i in enumerate(hits[:12], 1)}
            if high is not None and n > high and high > 0:
                marks[hits[high]] = _("#{k}: one too many").format(k=high + 1)
            return Failure(_("Found {n}.").format(n=n), marks, score=-abs(n - low))
        return self._check(words, check, low == 0, about=[pattern])

    def _check(self, words, check, empty_ok, about=()):
        """Run check on each stream; raise with the message if it does not
        hold. about: the check's patterns, for what explains a failure."""
        __tracebackhide__ = True
        streams = self.streams
        if not streams:
            if empty_ok:
                return self
            raise ExpectationFailed(empty_message(self, words, why(self, about)))
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
        raise ExpectationFailed(message(self, words, stream, fail, bad, len(streams), why(self, about)))


# What a sequence check expects, by the check's name.
_SEQUENCE_WORDS = {
    "starts_with": N_("it starts with these, nothing between:"),
    "ends_with": N_("it ends with these, nothing between:"),
    "consists_of": N_("it is exactly these, nothing between:"),
}


def _steps(steps, check, pinned=True):
    if not steps:
        raise UsageError(f"{check} needs at least one step")
    out = []
    for s in steps:
        if isinstance(s, str):
            s = call(s)
        if not isinstance(s, (Pattern, _Pinned)) or (isinstance(s, _Pinned) and not pinned):
            raise UsageError(f"a step of {check} is a pattern such as call('fork'), not {s!r}")
        out.append(s)
    return out


def _order(stream, steps, ctx):
    """None if steps occur in order in stream, else a Failure. The first
    event that matches a step is taken (values that same() binds included)."""
    events = stream.events
    pos, found = 0, []
    for k, step in enumerate(steps):
        if isinstance(step, _Pinned):
            idxs = [i for i, ev in enumerate(events) if step.pattern.matches(ev, ctx)]
            pick = (idxs[0] if step.which == "first" else idxs[-1]) if idxs else None
            ok = pick is not None and pick >= pos
        else:
            pick = None
            for i in range(pos, len(events)):
                trial = Context(ctx.trace, dict(ctx.bound))
                if step.matches(events[i], trial):
                    pick, ctx = i, trial
                    break
            ok = pick is not None
        if ok:
            found.append(pick)
            pos = pick + 1
            continue
        return _order_failure(stream, steps, found, k, pick, ctx)
    return None


def _order_failure(stream, steps, found, k, pinned_at, ctx):
    events = stream.events
    step = steps[k]
    marks = {i: _("step {n}: {step}").format(n=n, step=steps[n - 1].describe())
             for n, i in enumerate(found, 1)}
    prev = found[-1] if found else -1
    where = _("after step {k} ({step})").format(k=k, step=steps[k - 1].describe()) if found \
        else _("anywhere")
    pattern = step.pattern if isinstance(step, _Pinned) else step
    if found:
        says = [(_("Found steps 1-{k}, but not step {next} ({step}) {where}.") if k > 1 else
                 _("Found step 1, but not step {next} ({step}) {where}.")).format(
                     k=k, next=k + 1, step=step.describe(), where=where)]
    else:
        says = [_("Step 1 ({step}) never happens.").format(step=step.describe())]
    if pinned_at is not None:
        marks[pinned_at] = _("{step} is here: before step {k}").format(step=step.describe(), k=k)
        said = _("{step} comes too early: before step {k}, at {at}.").format(
            step=step.describe(), k=k, at=at(events[pinned_at]))
        says.append(said[0].upper() + said[1:])
        return Failure(says, marks, score=k)
    earlier = [i for i in range(0, prev + 1) if pattern.matches(events[i], ctx) and i not in found]
    if earlier:
        i = earlier[-1]
        marks[i] = _("{pattern} is here: but before step {k}").format(pattern=pattern.describe(), k=k)
        says.append(_("There is {pattern}, but only before step {k}, at {at}.").format(
            pattern=pattern.describe(), k=k, at=at(events[i])))
        return Failure(says, marks, after=prev, score=k)
    near = nearest(events, pattern, ctx, prev + 1, skip=set(found))
    if near is not None:
        i, diffs = near
        marks[i] = _("nearest: {differences}").format(differences="; ".join(diffs))
        says.append(_("The nearest is at {at}: {differences}.").format(
            at=at(events[i]), differences="; ".join(diffs)))
    else:
        says.append(_("Nothing like {pattern} happens {where}.").format(
            pattern=pattern.describe(), where=where))
    return Failure(says, marks, after=prev if prev >= 0 else None, score=k)


def _exact(stream, steps, where, ctx):
    """None if the stream's first/last/all events are exactly steps, else a Failure."""
    events = stream.events
    n = len(steps)
    if where == "all" and len(events) != n or len(events) < n:
        says = [ngettext("It has {got} event, not {n}.", "It has {got} events, not {n}.",
                         len(events)).format(got=len(events), n=n)]
        marks = {i: f"#{i + 1}" for i in range(min(len(events), 12))}
        if where == "all" and len(events) > n and all(
                s.matches(events[i], ctx) for i, s in enumerate(steps)):
            marks = {n: _("#{k}: one too many").format(k=n + 1)}
        return Failure(says, marks, after=-1, score=-abs(len(events) - n))
    start = len(events) - n if where == "last" else 0
    for k, step in enumerate(steps):
        i = start + k
        if step.matches(events[i], ctx):
            continue
        diffs = step.differences(events[i], ctx) if step.closeness(events[i], ctx) is not None \
            else [_("it is not {step} at all").format(step=step.describe())]
        return Failure([_("Step {n} ({step}) should be event #{i} of {total}, and it is not: "
                          "{differences}.").format(n=k + 1, step=step.describe(), i=i + 1,
                                                   total=len(events), differences="; ".join(diffs))],
                       {i: _("step {n}: {step}").format(n=k + 1, step="; ".join(diffs))}, score=k)
    return None
