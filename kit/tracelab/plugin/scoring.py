"""Scores: each test's points and outcome, the score table at the end of
the run (like xv6's `make grade`), and Gradescope's results.json.

A Scoring object per pytest session holds the results; it is registered
as a plugin of that session (so its hooks see its own results) and kept
in config.stash.
"""

import json
import re
import textwrap
import time
from pathlib import Path

import pytest

from .. import enclosure
from ..expect import ExpectationFailed
from ..guard import Stopped
from ..i18n import N_, _, language
from ..shown import MESSAGE_LINE_CHARS, MESSAGE_LINES, first_lines
from .state import ITEM_INFO, session_of

_MESSAGE_CAP = 8000
# The score table's lines are at most this wide; under a failed test, the
# first line of why, indented and wrapped to fit, in at most this many lines.
TABLE_WIDTH = 100
TABLE_MESSAGE_INDENT = " " * 6
TABLE_MESSAGE_CHARS = TABLE_WIDTH - len(TABLE_MESSAGE_INDENT)
TABLE_MESSAGE_LINES = 3
SCORING = pytest.StashKey["Scoring"]()


def pytest_configure(config):
    scoring = Scoring(config)
    config.stash[SCORING] = scoring
    config.pluginmanager.register(scoring, "tracelab-scoring")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Every report carries the test's points, visibility, title and, if
    it failed, the message a student reads (to the controller, with xdist)."""
    outcome = yield
    rep = outcome.get_result()
    info = dict(item.stash.get(ITEM_INFO, {"points": 1, "visibility": None}))
    info["title"] = _title(item)
    if rep.failed:
        info["message"] = _message(rep, call)
        said = _said_instead(item, call)
        if said is not None:
            rep.longrepr = said
    elif rep.skipped:
        info["message"] = _skip_reason(rep)
    rep.tracelab = info


# A lab's test file (tests/labs/test_labNN_*.py): its plain asserts are
# what a student reads.
_LAB_TEST = re.compile(r"^test_lab\d+_\w*\.py$")


def _expectation(item, exc):
    """Did the test fail on what it expects of the program (the kit's
    expectations and stops, pytest.fail, a lab test's own assert), rather
    than on an error in its own code (a TypeError: the author's bug)?"""
    if isinstance(exc, (ExpectationFailed, Stopped, pytest.fail.Exception)):
        return True
    if type(exc) is not AssertionError:
        return False
    return bool(_LAB_TEST.match(Path(str(item.fspath)).name)) or session_of(item.config).grading


def _said_instead(item, call):
    """What pytest shows of a failed expectation instead of its traceback:
    the test's title in the kit's language, then the message (translated
    where it is the kit's). None to keep pytest's own report."""
    exc = call.excinfo.value if call.excinfo is not None else None
    if exc is None or not _expectation(item, exc):
        return None
    if isinstance(exc, pytest.fail.Exception):
        text = exc.msg
    elif type(exc) is AssertionError:
        text = _assertion(exc, call)
    else:
        text = str(exc)
    title = _title(item) if _has_doc(item) else None
    return f"{title}\n\n{text}" if title else text


def _has_doc(item):
    return bool((getattr(getattr(item, "obj", None), "__doc__", None) or "").strip())


def _assertion(exc, call):
    """A plain assert's message (with pytest's explanation of what it
    compared), and where it is: no "AssertionError", no traceback."""
    text = str(exc).strip() or _("an assert failed")
    tb = call.excinfo.traceback
    if tb:
        text += "\n" + _("({file}, line {line})").format(file=Path(str(tb[-1].path)).name,
                                                        line=tb[-1].lineno + 1)
    return text


def _title(item, width=64):
    """The docstring's first sentence (or paragraph), else the test's name;
    in another language than English, the docstring's paragraph that starts
    with that language's code (`vi: ...`) if it has one."""
    doc = (getattr(getattr(item, "obj", None), "__doc__", None) or "").strip()
    paras = doc.split("\n\n")
    para = " ".join(paras[0].split())
    own = _in_language(paras[1:], language())
    if own:
        para = own
    first = re.split(r"(?<=[.!?:])\s", para)[0].rstrip(".:") if para else ""
    if len(first) > width:
        first = first[:width - 3].rstrip() + "..."
    name = first or item.name
    if first and "[" in item.name:
        name += " [" + item.name.split("[", 1)[1]
    return name


def _in_language(paragraphs, lang):
    """The text of the paragraph that starts with `LANG:`, or None."""
    for p in paragraphs:
        text = " ".join(p.split())
        if text.startswith(lang + ":"):
            return text[len(lang) + 1:].strip() or None
    return None


def _message(rep, call):
    exc = call.excinfo.value if call.excinfo is not None else None
    if isinstance(exc, (ExpectationFailed, Stopped)):
        text = str(exc)
    elif isinstance(exc, pytest.fail.Exception):
        text = exc.msg
    elif type(exc) is AssertionError:
        text = _assertion(exc, call)
    else:
        # What pytest prints after "E", without the test's source around it.
        lines = [l[4:] if l.startswith("E   ") else l[1:].lstrip() for l in rep.longreprtext.splitlines()
                 if l.startswith("E ") or l == "E"]
        where = getattr(getattr(rep.longrepr, "reprcrash", None), "lineno", None)
        text = textwrap.dedent("\n".join(lines)) if lines else rep.longreprtext
        if lines and where:
            text += "\n" + _("({file}, line {line})").format(file=Path(str(rep.location[0])).name,
                                                            line=where)
    # Whatever a test put in its message (a program's output, a file),
    # a student reads this much of it.
    text = first_lines(text, MESSAGE_LINES, width=MESSAGE_LINE_CHARS)
    if len(text) > _MESSAGE_CAP:
        text = text[:_MESSAGE_CAP] + "\n" + _("... (cut short)")
    return text


def _skip_reason(rep):
    if isinstance(rep.longrepr, tuple) and len(rep.longrepr) == 3:
        return str(rep.longrepr[2])
    return _("skipped")


# What the score table says of a test, by its outcome.
_STATUS = {"passed": N_("OK"), "failed": N_("FAIL"), "skipped": N_("SKIP")}


def _num(x):
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


class Scoring:
    """The results of one session's tests (nodeid -> result), on the
    controller side, and what is made of them at the end."""

    def __init__(self, config):
        self.config = config
        self.results = {}
        self.from_worker = None     # the build as a worker saw it (pytest -n)

    def pytest_runtest_logreport(self, report):
        info = getattr(report, "tracelab", None)
        if info is None:
            return
        r = self.results.setdefault(report.nodeid, {
            "nodeid": report.nodeid, "title": info.get("title"), "points": info.get("points", 1),
            "visibility": info.get("visibility"), "outcome": "passed", "message": "",
            "location": (str(report.location[0]), report.location[1] or 0)})
        if report.failed:
            r["outcome"] = "failed"
            if not r["message"]:
                r["message"] = info.get("message") or ""
        elif report.skipped and r["outcome"] == "passed":
            r["outcome"] = "skipped"
            r["message"] = info.get("message") or _("skipped")

    def ordered(self):
        return sorted(self.results.values(), key=lambda r: (r["location"], r["nodeid"]))

    @staticmethod
    def score(r):
        return r["points"] if r["outcome"] == "passed" else 0

    def _controller(self):
        """xdist workers report to the controller; only it sums up."""
        return not hasattr(self.config, "workerinput")

    def build(self):
        """What was built, as the results say it: this process's own build,
        or under pytest -n (where the workers build and the controller
        writes results.json) what a worker sent."""
        state = session_of(self.config)
        if state.build is not None or state.build_error or self.from_worker is None:
            return _build_summary(state)
        return self.from_worker

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error):
        sent = getattr(node, "workeroutput", {}).get("tracelab_build")
        if sent and (self.from_worker is None or sent["lab"]):
            self.from_worker = sent

    def pytest_terminal_summary(self, terminalreporter):
        state = session_of(self.config)
        if not self._controller() or not state.grading or not self.results:
            return
        tr = terminalreporter
        lab = self.build()["lab"]
        head = _("tracelab grade for {lab}").format(lab=lab) if lab else _("tracelab grade")
        if state.submission:
            head += f" ({state.submission})"
        tw = getattr(tr, "_tw", None)
        tr.write_sep("=", head, fullwidth=min(getattr(tw, "fullwidth", TABLE_WIDTH), TABLE_WIDTH))
        total = maximum = 0
        width = max(len(_(s)) for s in _STATUS.values())
        for r in self.ordered():
            score = self.score(r)
            total += score
            maximum += r["points"]
            status = _(_STATUS[r["outcome"]])
            title = r["title"] + (_(" (hidden)") if r["visibility"] else "")
            dots = "." * max(3, 60 - len(title))
            tr.write_line(f"  {title} {dots} {status:<{width}} {_num(score):>4}/{_num(r['points'])}")
            if r["outcome"] != "passed" and r["message"]:
                lines = r["message"].strip().splitlines()
                first = lines[0] if lines else ""
                if len(lines) > 1 and first.endswith(":"):
                    first += " ..."     # what follows is in the failure's own report
                for line in textwrap.wrap(first, TABLE_MESSAGE_CHARS, max_lines=TABLE_MESSAGE_LINES,
                                          placeholder=" ..."):
                    tr.write_line(TABLE_MESSAGE_INDENT + line)
        tr.write_line("  " + _("Score: {total}/{maximum}").format(total=_num(total), maximum=_num(maximum)))
        for line in self.build()["sandbox"]["not_in_force"]:
            for part in textwrap.wrap(_("Note: {note}").format(note=line), TABLE_WIDTH,
                                      initial_indent="  ", subsequent_indent="    "):
                tr.write_line(part)

    def pytest_sessionfinish(self, session):
        if not self._controller():
            self.config.workeroutput["tracelab_build"] = _build_summary(session_of(self.config))
            return
        path = self.config.option.gradescope
        if not path:
            return
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.gradescope_results(), f, indent=2)
            f.write("\n")

    def gradescope_results(self):
        """Gradescope's results.json for this session's tests."""
        state = session_of(self.config)
        tests = []
        for r in self.ordered():
            tests.append({"name": r["title"], "score": self.score(r), "max_score": r["points"],
                          "status": "passed" if r["outcome"] == "passed" else "failed",
                          "output": r["message"] if r["outcome"] != "passed" else "",
                          "visibility": r["visibility"] or "visible"})
        build = self.build()
        notes = list(build["notes"]) + [_("Note: {note}").format(note=l)
                                        for l in build["sandbox"]["not_in_force"]]
        if not tests:
            notes.append(_("No test ran: the autograder found no tests for this submission."))
        return {"score": sum(t["score"] for t in tests),
                "execution_time": int(time.time() - state.started),
                "output": "\n\n".join(notes),
                "stdout_visibility": "hidden",
                "extra_data": {"max_score": sum(t["max_score"] for t in tests), "lab": build["lab"],
                               "built": build["built"], "sandbox": build["sandbox"]},
                "tests": tests}


def _build_summary(state):
    """The lab, whether it built, and the notes for results.json's output:
    plain data, so that an xdist worker can send it to the controller."""
    notes = []
    if state.build is not None:
        for b in state.build.labs:
            if b.ok:
                notes.append(_("{file} compiled for {lab} with warnings:").format(
                    file=b.source.name, lab=b.lab) + "\n" + b.output if b.output else
                    _("{file} compiled for {lab}.").format(file=b.source.name, lab=b.lab))
    if state.build_error:
        notes.append(state.build_error)
    return {"lab": state.lab, "built": bool(state.build and state.build.ok), "notes": notes,
            "sandbox": enclosure.summary(state.user, state.limits)}
