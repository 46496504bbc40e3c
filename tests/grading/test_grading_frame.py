"""pytest's own frame in the kit's language (kit/tracelab/plugin/frame.py):
graded in Vietnamese, a run says its status words, its section titles and
its last line in Vietnamese, with the exit status and counts pytest gives;
in English the output is pytest's own, byte for byte (durations aside)."""

import re
import subprocess

import pytest

from grading.nested import GRADING, PYTHON, REPO, clean_env, section
from tracelab import i18n
from tracelab.autograder import lab_tests
from tracelab.plugin import frame
from tracelab.runner import build_kit

# The variables that choose a language (a run starts with none of them but
# LANG=C.UTF-8, as on a fresh Debian machine).
LANG_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "TRACELAB_LANG")
FRAME_PLUGIN = "tracelab.plugin.frame"

# pytest's English frame: a status word, a section title, the last line.
ENGLISH_FRAME = re.compile(
    r"\b(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\b|test session starts|= (FAILURES|ERRORS|PASSES) ="
    r"|short test summary info|warnings summary|ERROR at (setup|teardown) of|\bcollected \d+ items?"
    r"|\b\d+ (failed|passed|skipped|xfailed|xpassed|errors?|warnings?)\b|\bin \d+\.\d+s\b")
# What a run shows of each, in English and in Vietnamese (the score
# table's words: TRƯỢT, ĐẠT, BỎ QUA).
ENGLISH_WORDS = ("= test session starts =", "= ERRORS =", "= FAILURES =", "ERROR at setup of test_setup",
                 "ERROR at teardown of test_teardown", "= short test summary info =",
                 "= warnings summary =", "FAILED demo/test_demo.py::test_fails",
                 "ERROR demo/test_demo.py::test_setup", "PASSED demo/test_demo.py::test_passes",
                 "SKIPPED [1] demo/test_demo.py", "collected 5 items",
                 "1 failed, 2 passed, 1 skipped, 1 warning, 2 errors in ")
VIETNAMESE_WORDS = ("= bắt đầu phiên kiểm tra =", "= CÁC LỖI =", "= CÁC BÀI TRƯỢT =",
                    "LỖI khi chuẩn bị test_setup", "LỖI khi dọn dẹp sau test_teardown",
                    "= tóm tắt kết quả =", "= tóm tắt các cảnh báo =",
                    "TRƯỢT demo/test_demo.py::test_fails", "LỖI demo/test_demo.py::test_setup",
                    "ĐẠT demo/test_demo.py::test_passes", "BỎ QUA [1] demo/test_demo.py",
                    "đã thu thập 5 bài kiểm tra",
                    "1 bài trượt, 2 bài đạt, 1 bài bỏ qua, 1 cảnh báo, 2 lỗi trong ")

CONFTEST = 'pytest_plugins = ["tracelab.pytest_plugin"]\n'
DEMO = '''
import warnings
import pytest


@pytest.fixture
def broken_setup():
    raise RuntimeError("setup")


@pytest.fixture
def broken_teardown():
    yield
    raise RuntimeError("teardown")


def test_passes():
    warnings.warn(UserWarning("careful"))


def test_fails():
    assert 1 == 2


def test_setup(broken_setup):
    pass


def test_teardown(broken_teardown):
    pass


@pytest.mark.skip(reason="not now")
def test_skipped():
    pass
'''
# pytest's durations, which differ from run to run.
DURATION = re.compile(r"\b\d+\.\d+s\b")


def _env(**lang):
    base = {k: v for k, v in clean_env().items() if k not in LANG_VARS}
    return {**base, "LANG": "C.UTF-8", "COLUMNS": "100", **lang}


def _demo(tmp_path, *args, **lang):
    """pytest run on a small project of its own (one test passes, one
    fails, one errs at setup and one at teardown, one is skipped), with
    the kit's plugin; the CompletedProcess."""
    project = tmp_path / "demo"
    project.mkdir(exist_ok=True)
    (project / "conftest.py").write_text(CONFTEST)
    (project / "test_demo.py").write_text(DEMO)
    return subprocess.run([PYTHON, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "--rootdir",
                           str(tmp_path), "demo", *args], cwd=tmp_path,
                          env={**_env(**lang), "PYTHONPATH": str(REPO / "kit")},
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)


def _frame_lines(stdout):
    """The lines of pytest's frame: its separators with a title, the
    progress line, and the short summary's lines."""
    lines = stdout.splitlines()
    out = [l for l in lines if re.match(r"^([=_])\1* .* \1+$", l)]
    out += [l for l in lines if re.search(r"\[\d+%\]$", l)]
    summary = section(stdout, "short test summary info")
    assert summary >= 0, stdout
    out += stdout[summary:].splitlines()[1:]
    return out


def test_english_is_pytests_own_output(tmp_path):
    """In English (the default), a run with the frame is the run without
    it, byte for byte but for its durations; and a Vietnamese run without
    it is English: the plugin is what speaks, and `-p no:` names it."""
    own = _demo(tmp_path, "-p", f"no:{FRAME_PLUGIN}")
    with_frame = _demo(tmp_path)
    assert with_frame.returncode == own.returncode == 1, with_frame.stdout
    assert DURATION.sub("T", with_frame.stdout) == DURATION.sub("T", own.stdout)
    for words in ENGLISH_WORDS:
        assert words in with_frame.stdout, (words, with_frame.stdout)
    unspoken = _demo(tmp_path, "-p", f"no:{FRAME_PLUGIN}", TRACELAB_LANG="vi")
    assert DURATION.sub("T", unspoken.stdout) == DURATION.sub("T", own.stdout)


@pytest.mark.parametrize("args", [(), ("-n", "2")], ids=["alone", "xdist"])
def test_the_frame_speaks_vietnamese(tmp_path, args):
    """LANGUAGE=vi: none of pytest's English frame words, the Vietnamese
    ones instead, and the exit status and the counts pytest gives."""
    english = _demo(tmp_path, *args)
    done = _demo(tmp_path, *args, LANGUAGE="vi")
    assert done.returncode == english.returncode == 1, done.stdout + done.stderr
    # With xdist, "2 workers [5 items]" stands for the count of tests.
    kept = [i for i, words in enumerate(ENGLISH_WORDS) if not (args and "collected" in words)]
    for i in kept:
        assert VIETNAMESE_WORDS[i] in done.stdout, (VIETNAMESE_WORDS[i], done.stdout)
        assert ENGLISH_WORDS[i] in english.stdout, (ENGLISH_WORDS[i], english.stdout)
    said = [l for l in _frame_lines(done.stdout) if ENGLISH_FRAME.search(l)]
    assert said == [], said


def test_the_quiet_last_line_speaks_vietnamese(tmp_path):
    """-q writes the last line with no separator: it is translated too."""
    done = _demo(tmp_path, "-q", TRACELAB_LANG="vi")
    assert done.returncode == 1
    last = done.stdout.strip().splitlines()[-1]
    assert DURATION.sub("T", last) == "1 bài trượt, 2 bài đạt, 1 bài bỏ qua, 1 cảnh báo, 2 lỗi trong T"


def _graded(submission, **lang):
    """Lab 7's tests on a submission, with the languages asked for."""
    checks = str(lab_tests(7)[0].relative_to(REPO))
    return subprocess.run([PYTHON, "-m", "pytest", "-p", "no:cacheprovider", checks, "--submission",
                           str(submission), "--lab", "7"], cwd=REPO, env=_env(**lang),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace",
                          timeout=300)


@pytest.mark.parametrize("name,english,vietnamese", [
    ("lab07_wait_once.c", ("= FAILURES =", "FAILED tests/labs/", "4 failed, 2 passed in "),
     ("= CÁC BÀI TRƯỢT =", "TRƯỢT tests/labs/", "4 bài trượt, 2 bài đạt trong ")),
    ("lab07_broken.c", ("= ERRORS =", "ERROR at setup of test_no_zombie_leaks", "ERROR tests/labs/",
                        "6 errors in "),
     ("= CÁC LỖI =", "LỖI khi chuẩn bị test_no_zombie_leaks", "LỖI tests/labs/", "6 lỗi trong ")),
], ids=["fails", "does-not-compile"])
def test_a_graded_submission_reads_in_vietnamese_to_its_last_line(name, english, vietnamese):
    """A submission graded with LANGUAGE=vi: pytest's frame in Vietnamese,
    with the exit status of the English run (1: tests failed)."""
    build_kit()
    submission = GRADING / "submissions" / name
    en = _graded(submission)
    vi = _graded(submission, LANGUAGE="vi")
    assert vi.returncode == en.returncode == 1, vi.stdout + vi.stderr
    assert all(words in en.stdout for words in english), en.stdout
    assert all(words in vi.stdout for words in vietnamese), vi.stdout
    said = [l for l in _frame_lines(vi.stdout) if ENGLISH_FRAME.search(l)]
    assert said == [], said


def test_known_words_and_lines_are_translated_and_others_pass(monkeypatch):
    """The tables: a known word, title or line in Vietnamese, colours and
    numbers kept; anything else as it is. (In English they are not used:
    test_english_is_pytests_own_output.)"""
    colored = "\x1b[31m\x1b[1m1 failed\x1b[0m, \x1b[32m12 passed\x1b[0m\x1b[31m in 3.20s\x1b[0m\x1b[31m"
    monkeypatch.setenv("TRACELAB_LANG", "en")
    assert not frame.speaks()
    monkeypatch.setenv("TRACELAB_LANG", "vi")
    assert frame.speaks()
    assert frame.word("FAILED") == "TRƯỢT" and frame.word("PASSED") == "ĐẠT"
    assert frame.word(("SKIPPED", {"yellow": True})) == ("BỎ QUA", {"yellow": True})
    assert frame.word("RERUN") == "RERUN" and frame.word("") == ""
    assert frame.stats(colored) == ("\x1b[31m\x1b[1m1 bài trượt\x1b[0m, \x1b[32m12 bài đạt\x1b[0m"
                                    "\x1b[31m trong 3.20s\x1b[0m\x1b[31m")
    assert frame.stats("2 errors in 61.00s (0:01:01)") == "2 lỗi trong 61.00s (0:01:01)"
    assert frame.title("ERROR at teardown of test_x[a b]") == "LỖI khi dọn dẹp sau test_x[a b]"
    assert frame.line("collected 1 item") == "đã thu thập 1 bài kiểm tra"
    for other in ("tracelab grade for lab07", "2 errors and more in 0.50s", "collected 6 items / 1 error",
                  "stopping after 1 failures", "FAILURES!", None):
        assert frame.title(other) == other and frame.line(other) == other


class Reporter:
    """A terminal reporter that records what it is asked to write."""

    def __init__(self):
        self.said = []

    def write_sep(self, sep, title=None, fullwidth=None, **markup):
        self.said.append((sep, title, fullwidth, markup))

    def write_line(self, line, **markup):
        self.said.append(line)

    def rewrite(self, line, **markup):
        self.said.append(line)


class Config:
    def __init__(self, reporter):
        self.pluginmanager = type("PM", (), {"getplugin": lambda _, name: reporter})()


def test_the_reporter_is_wrapped_only_when_it_can_be(monkeypatch):
    """Vietnamese: write_sep and write_line translate what they know and
    pass the rest (markup too); English: the reporter is left alone; a
    reporter without write_sep (or none at all) leaves the run English."""
    monkeypatch.setenv("TRACELAB_LANG", "en")
    reporter = Reporter()
    frame.pytest_configure(Config(reporter))
    assert "write_sep" not in vars(reporter)
    monkeypatch.setenv("TRACELAB_LANG", "vi")
    frame.pytest_configure(Config(reporter))
    reporter.write_sep("=", "2 errors in 0.50s", fullwidth=90, red=True)
    reporter.write_sep("-", None)
    reporter.write_line("3 errors in 0.50s")
    reporter.write_line("tests/labs/x.py ..F")
    assert reporter.said == [("=", "2 lỗi" + i18n._(" in {duration}").format(duration="0.50s"), 90,
                              {"red": True}), ("-", None, None, {}),
                             "3 lỗi" + i18n._(" in {duration}").format(duration="0.50s"),
                             "tests/labs/x.py ..F"]
    for odd in (object(), None):
        frame.pytest_configure(Config(odd))          # nothing to wrap: no error


def test_a_translation_that_fails_leaves_the_text(monkeypatch):
    monkeypatch.setenv("TRACELAB_LANG", "vi")
    reporter = Reporter()
    frame.pytest_configure(Config(reporter))
    monkeypatch.setattr(frame, "title", lambda text: 1 / 0)
    reporter.write_sep("=", "FAILURES")
    assert reporter.said == [("=", "FAILURES", None, {})]
