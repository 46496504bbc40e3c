"""pytest's own frame in the kit's language: the words around the kit's
messages that pytest writes itself (PASSED/FAILED/ERROR in `-v` and the
short summary, the section titles "test session starts", "FAILURES",
"ERRORS", "ERROR at setup of test_x", "short test summary info", the
count "collected 6 items", and the last line "1 failed, 5 passed in 3.20s").

Why: the kit already says a failed test's title and message, and the score
table, in Vietnamese; a student graded in Vietnamese should not need to
read English to follow the rest of the run either (issue 12).

How, touching nothing pytest decides: the test status keeps pytest's
category and letter (the exit status, the counts and the sections depend
on them) and only its word is translated; the terminal reporter's
write_sep, write_line and rewrite (the count of tests, and `-q`'s last
line) translate the titles and lines they know, through the tables below, and pass anything else through. In
English (the default) nothing is wrapped or changed, so the output is
pytest's own to the byte; if pytest's reporter lacks what is wrapped, the
frame simply stays English.
"""

import re

import pytest

from ..i18n import ENGLISH, N_, _, language, ngettext

# pytest's word for a test's status -> the kit's (the score table's own
# words where it has one: "OK", "FAIL", "SKIP").
_WORDS = {
    "PASSED": N_("OK"),
    "FAILED": N_("FAIL"),
    "SKIPPED": N_("SKIP"),
    # TRANSLATORS: pytest's word for a test whose setup or teardown failed.
    "ERROR": N_("ERROR"),
    # TRANSLATORS: pytest's word for a test expected to fail that failed.
    "XFAIL": N_("XFAIL"),
    # TRANSLATORS: pytest's word for a test expected to fail that passed.
    "XPASS": N_("XPASS"),
}

# Section titles pytest writes as they are.
_TITLES = {
    "test session starts": N_("test session starts"),
    # TRANSLATORS: pytest's section of the failed tests.
    "FAILURES": N_("FAILURES"),
    # TRANSLATORS: pytest's section of the tests whose setup or teardown failed.
    "ERRORS": N_("ERRORS"),
    # TRANSLATORS: pytest's section of the passed tests' output (-rP).
    "PASSES": N_("PASSES"),
    "short test summary info": N_("short test summary info"),
    "warnings summary": N_("warnings summary"),
    "warnings summary (final)": N_("warnings summary (final)"),
}

# Section titles with a name in them: pattern -> message ({test}: the name).
_NAMED_TITLES = (
    (re.compile(r"ERROR at setup of (?P<test>.+)"), N_("ERROR at setup of {test}")),
    (re.compile(r"ERROR at teardown of (?P<test>.+)"), N_("ERROR at teardown of {test}")),
    (re.compile(r"ERROR collecting (?P<test>.+)"), N_("ERROR collecting {test}")),
)

# The last line's counts: pytest's noun -> the message for n of them.
# Its words are written with ngettext, as English needs "1 error, 2 errors".
_COUNTS = {
    "failed": lambda n: ngettext("{n} failed", "{n} failed", n),
    "passed": lambda n: ngettext("{n} passed", "{n} passed", n),
    "skipped": lambda n: ngettext("{n} skipped", "{n} skipped", n),
    "deselected": lambda n: ngettext("{n} deselected", "{n} deselected", n),
    "xfailed": lambda n: ngettext("{n} xfailed", "{n} xfailed", n),
    "xpassed": lambda n: ngettext("{n} xpassed", "{n} xpassed", n),
    "error": lambda n: ngettext("{n} error", "{n} errors", n),
    "errors": lambda n: ngettext("{n} error", "{n} errors", n),
    "warning": lambda n: ngettext("{n} warning", "{n} warnings", n),
    "warnings": lambda n: ngettext("{n} warning", "{n} warnings", n),
    "test collected": lambda n: ngettext("{n} test collected", "{n} tests collected", n),
    "tests collected": lambda n: ngettext("{n} test collected", "{n} tests collected", n),
}
# The last line's parts that have no count.
_NO_COUNT = {
    "no tests ran": N_("no tests ran"),
    "no tests collected": N_("no tests collected"),
}

# A terminal's colours, which the last line carries when it has them.
_ESC = r"(?:\x1b\[[0-9;]*m)*"
_NOUNS = "|".join(sorted(map(re.escape, _COUNTS), key=len, reverse=True))
_COUNT = re.compile(rf"(?<![\d.])(\d+) ({_NOUNS})(?![\w])")
_NONE = re.compile("|".join(map(re.escape, _NO_COUNT)))
# pytest's duration: "3.20s", or "123.45s (0:02:03)" past a minute.
_DURATION = re.compile(r" in (\d+\.\d+s(?: \(\d+:\d\d:\d\d\))?)")
_PART = rf"(?:\d+ (?:{_NOUNS})|{_NONE.pattern})"
_STATS = re.compile(rf"{_ESC}{_PART}{_ESC}(?:, {_ESC}{_PART}{_ESC})*{_ESC}{_DURATION.pattern}{_ESC}")

# The count of tests collected, as pytest writes it when it has them all
# ("collected 6 items") and while it counts them at a terminal.
_COLLECTED = re.compile(r"(collect(?:ed|ing)) (\d+) items?")
_COLLECTED_SAID = {
    "collected": lambda n: ngettext("collected {n} item", "collected {n} items", n),
    "collecting": lambda n: ngettext("collecting {n} item", "collecting {n} items", n),
}


def speaks():
    """Is the frame to be translated: the kit's language not English?"""
    try:
        return language() != ENGLISH
    except ValueError:          # an unknown TRACELAB_LANG: said elsewhere
        return False


def word(verbose):
    """The kit's word for pytest's verbose word (a str, or (str, markup)
    as some plugins give); anything else as it is."""
    if isinstance(verbose, tuple) and verbose and verbose[0] in _WORDS:
        return (_(_WORDS[verbose[0]]),) + tuple(verbose[1:])
    if isinstance(verbose, str) and verbose in _WORDS:
        return _(_WORDS[verbose])
    return verbose


def stats(line):
    """pytest's last line ("1 failed, 5 passed in 3.20s", colours and all)
    in the kit's language, or None if it is not one."""
    if not isinstance(line, str) or not _STATS.fullmatch(line):
        return None
    line = _COUNT.sub(lambda m: _COUNTS[m.group(2)](int(m.group(1))).format(n=m.group(1)), line)
    line = _NONE.sub(lambda m: _(_NO_COUNT[m.group(0)]), line)
    return _DURATION.sub(lambda m: _(" in {duration}").format(duration=m.group(1)), line)


def line(text):
    """A line pytest writes whole (the count of tests, `-q`'s last line) in
    the kit's language; one not known as it is."""
    if not isinstance(text, str):
        return text
    m = _COLLECTED.fullmatch(text)
    if m:
        return _COLLECTED_SAID[m.group(1)](int(m.group(2))).format(n=m.group(2))
    said = stats(text)
    return text if said is None else said


def title(text):
    """A section title in the kit's language; one not known as it is."""
    if not isinstance(text, str):
        return text
    if text in _TITLES:
        return _(_TITLES[text])
    for pattern, message in _NAMED_TITLES:
        m = pattern.fullmatch(text)
        if m:
            return _(message).format(**m.groupdict())
    said = stats(text)
    return text if said is None else said


@pytest.hookimpl(hookwrapper=True)
def pytest_report_teststatus(report, config):
    """pytest's (category, letter, word) with the word translated."""
    outcome = yield
    if not speaks():
        return
    try:
        category, letter, verbose = outcome.get_result()
        outcome.force_result((category, letter, word(verbose)))
    except Exception:           # not what pytest gives: its own, unchanged
        pass


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    if not speaks():
        return
    reporter = config.pluginmanager.getplugin("terminalreporter")
    write_sep = getattr(reporter, "write_sep", None)
    write_line = getattr(reporter, "write_line", None)
    rewrite = getattr(reporter, "rewrite", None)
    if not all(map(callable, (write_sep, write_line, rewrite))):
        return

    def translated_sep(sep, title_=None, *args, **kwargs):
        return write_sep(sep, _safely(title, title_), *args, **kwargs)

    def translated_line(text, *args, **kwargs):
        return write_line(_safely(line, text), *args, **kwargs)

    def translated_rewrite(text, *args, **kwargs):
        return rewrite(_safely(line, text), *args, **kwargs)

    reporter.write_sep = translated_sep
    reporter.write_line = translated_line
    reporter.rewrite = translated_rewrite


def _safely(translate, text):
    """translate(text), or text if translating failed: the run goes on."""
    try:
        return translate(text)
    except Exception:
        return text
