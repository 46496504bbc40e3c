"""The grader in Vietnamese (docs/instructors.md, "Grading in Vietnamese"):
the kit's catalog po/kit/vi.po is whole (msgfmt: nothing untranslated,
nothing fuzzy) and holds every message the sources mark; the kit picks its
language as the tracer does, TRACELAB_LANG over it; a wrong submission
graded with TRACELAB_LANG=vi, or LANGUAGE=vi under LANG=C.UTF-8 (no vi
locale generated), reads in Vietnamese, its test names and failures, and
its quoted timeline lines are the tracer's in that language; English stays
the default."""

import ast
import json
import re
import subprocess
import time

import pytest

from grading.nested import GRADING, PYTHON, REPO, clean_env, score_table, section
import tracelab
from tracelab import Stopped, i18n, timeline
from tracelab.plugin import scoring
from tracelab.plugin.budget import Budget
from tracelab.autograder import extract, lab_tests
from tracelab.runner import build_kit

PO = REPO / "po" / "kit" / "vi.po"
WRONG = GRADING / "submissions" / "lab07_wait_once.c"
SIG_IGN = GRADING / "submissions" / "lab07_sig_ign.c"
DOC = REPO / "docs" / "instructors.md"
DOC_COMMAND = ("make grade LAB=7 SUBMISSION=tests/grading/submissions/lab07_wait_once.c "
               "TRACELAB_LANG=vi")

# What the lab 7 failure of lab07_wait_once.c says, in each language.
ENGLISH = "Expected, in the whole trace: no leaked zombie: every child that exits is reaped by its parent"
VIETNAMESE = ("Yêu cầu, trong toàn bộ bản ghi vết: không có zombie bị bỏ sót: mọi tiến trình con "
              "đã thoát đều được tiến trình cha thu dọn")
# Sentences of the kit's that any failure of this submission has, in English.
ENGLISH_WORDS = ("Expected, in", "What happened", "the whole trace", "leaked zombie")
# Letters Vietnamese has and English has not.
VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
# A quoted timeline line (failures.py marks the culprit with >>>).
QUOTED = re.compile(r"^ >>> (.*?)(?:    <-- .*)?$", re.M)
# The tracer's lines in a message (quoted, or around what is quoted).
QUOTED_OR_ELIDED = re.compile(r"^( >>> |     \S)")


def _statistics(po):
    done = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
                          capture_output=True, text=True)
    return done.returncode, done.stderr


def test_the_kit_catalog_is_whole():
    """msgfmt --check passes, and its statistics count no untranslated and
    no fuzzy message."""
    status, said = _statistics(PO)
    assert status == 0, said
    counts = dict((kind, int(n)) for n, kind in
                  re.findall(r"(\d+) (translated|untranslated|fuzzy) messages?", said))
    assert counts.get("translated", 0) > 100, said
    assert "untranslated" not in counts and "fuzzy" not in counts, said


def test_the_statistics_check_can_fail(tmp_path):
    """The check above, on a catalog with one message left empty and one
    fuzzy, sees both."""
    text = PO.read_text(encoding="utf-8")
    first = re.search(r'\nmsgid "(?!")[^\n]*\nmsgstr "[^\n]+"\n', text)
    broken = text[:first.start()] + re.sub(r'msgstr "[^\n]+"', 'msgstr ""', first.group(0)) \
        + text[first.end():]
    second = re.search(r'\n(msgid "(?!")[^\n]*\nmsgstr "[^\n]+"\n)', broken[first.end():])
    at = first.end() + second.start(1)
    broken = broken[:at] + "#, fuzzy\n" + broken[at:]
    po = tmp_path / "vi.po"
    po.write_text(broken, encoding="utf-8")
    _, said = _statistics(po)
    assert "1 fuzzy translation" in said and "1 untranslated message" in said, said


def test_every_marked_message_is_in_the_catalog(tmp_path):
    """A fresh template (`make kit-pot`, the kit's half of `make pot`) has
    no msgid that po/kit/vi.po lacks."""
    pot = tmp_path / "tracelab-kit.pot"
    done = subprocess.run(["make", "-s", "kit-pot", f"KIT_POT={pot}"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and pot.is_file(), done.stdout + done.stderr
    wanted = _msgids(pot.read_text(encoding="utf-8"))
    have = _msgids(PO.read_text(encoding="utf-8"))
    assert len(wanted) > 100
    assert wanted - have == set(), sorted(wanted - have)
    # msgcmp (gettext's own) agrees.
    cmp = subprocess.run(["msgcmp", str(PO), str(pot)], capture_output=True, text=True)
    assert cmp.returncode == 0, cmp.stderr


def _msgids(text):
    """The msgids of a .po or .pot (the header's empty one left out)."""
    out = set()
    for block in re.findall(r'^msgid ((?:"(?:[^"\\]|\\.)*"\n)+)', text, re.M):
        mid = "".join(json.loads(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', block))
        if mid:
            out.add(mid)
    return out


@pytest.mark.parametrize("env,lang", [
    ({}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "vi_VN.UTF-8"}, "vi"),
    ({"LANGUAGE": "vi", "LANG": "C.UTF-8"}, "vi"),
    ({"LANGUAGE": "fr:vi:en", "LANG": "C.UTF-8"}, "vi"),      # its first known entry
    ({"LANGUAGE": "en:vi"}, "en"),
    ({"LANGUAGE": "fr", "LC_ALL": "vi_VN.UTF-8"}, "vi"),
    ({"LC_ALL": "C", "LANG": "vi_VN.UTF-8"}, "en"),             # the first one set decides
    ({"LC_MESSAGES": "vi_VN", "LANG": "en_US.UTF-8"}, "vi"),
    ({"TRACELAB_LANG": "en", "LANGUAGE": "vi"}, "en"),          # the grader's override
    ({"TRACELAB_LANG": "vi", "LANG": "C.UTF-8"}, "vi"),
])
def test_the_language_is_chosen_as_the_tracer_chooses_it(env, lang):
    assert i18n.language(env) == lang


def test_an_unknown_override_is_an_error():
    with pytest.raises(ValueError, match="TRACELAB_LANG='fr': give one of en, vi"):
        i18n.language({"TRACELAB_LANG": "fr"})


def test_grading_with_an_unknown_language_is_refused_in_one_line():
    """TRACELAB_LANG=fr: pytest and `python3 -m tracelab.grade` stop at
    once with one line that says what to give."""
    env = {**clean_env(), "TRACELAB_LANG": "fr", "PYTHONPATH": f"{REPO / 'kit'}:{REPO / 'tests'}"}
    said = "TRACELAB_LANG='fr': give one of en, vi"
    done = subprocess.run([PYTHON, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           str(lab_tests(7)[0])], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode not in (0, 1) and said in done.stderr, done.stdout + done.stderr
    done = subprocess.run([PYTHON, "-m", "tracelab.grade", "--lab", "7", str(WRONG)], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.strip() == f"grade: {said}", done.stderr


# Errors said in English on purpose: (file, exception). A test's own
# misuse of the assertion language (UsageError) is said to its author, as
# Python's errors are; i18n.py cannot speak a language it does not know;
# runner.run() called with neither a command nor a lab is a caller's bug.
ENGLISH_ERRORS = {("i18n.py", "ValueError"), ("runner.py", "ValueError")}
AUTHORS_ERRORS = {"UsageError", "pytest.UsageError"}


def test_the_kits_errors_are_marked_for_translation():
    """Every error the kit raises with a sentence of its own (a string or
    an f-string, not _(...)) is an author's or on the list above: what a
    grader or a student reads (no tracer, no such submission, the grading
    users all taken...) goes through the catalog."""
    kit = REPO / "kit" / "tracelab"
    unmarked, raises = [], 0
    for path in sorted(kit.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args):
                continue
            raises += 1
            said = node.exc.args[0]
            name = ast.unparse(node.exc.func)
            if isinstance(said, ast.BinOp):          # "..." + text
                said = said.left
            if isinstance(said, (ast.Constant, ast.JoinedStr)) and name not in AUTHORS_ERRORS \
                    and (path.name, name) not in ENGLISH_ERRORS:
                unmarked.append(f"{path.relative_to(kit)}:{node.lineno}: {ast.unparse(node.exc)[:90]}")
    assert raises > 30
    assert unmarked == [], "\n".join(unmarked)


def test_a_grader_is_told_of_a_missing_submission_in_vietnamese():
    """pytest --submission with no such file, under LANGUAGE=vi: one line,
    in Vietnamese."""
    base = {k: v for k, v in clean_env().items() if k not in LANG_VARS}
    done = subprocess.run([PYTHON, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(lab_tests(7)[0]),
                           "--submission", "nowhere/lab07.c"], cwd=REPO,
                          env={**base, "LANGUAGE": "vi", "LANG": "C.UTF-8",
                               "PYTHONPATH": f"{REPO / 'kit'}:{REPO / 'tests'}"},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 4, done.stdout + done.stderr
    assert "--submission nowhere/lab07.c: không có tệp hay thư mục này" in done.stderr, done.stderr
    assert "no such file" not in done.stderr


def _make_says(tmp_path, lang_env, *args):
    """`make -s ARGS` with a language chosen by lang_env, run as if not
    root (an `id` that says uid 1000), so a missing package is said, not
    installed; its stderr."""
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    (fake / "id").write_text("#!/bin/sh\necho 1000\n")
    (fake / "id").chmod(0o755)
    base = {k: v for k, v in clean_env().items() if k not in LANG_VARS}
    env = {**base, "LANG": "C.UTF-8", **lang_env, "PATH": f"{fake}:{base['PATH']}"}
    done = subprocess.run(["make", "-s", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    return done.stderr


MAKE_LINES = [
    (["grade"], "usage: make grade LAB=7 SUBMISSION=path/to/lab07.c",
     "cách dùng: make grade LAB=7 SUBMISSION=đường/dẫn/đến/lab07.c"),
    (["new-lab"], "usage: make new-lab NAME=lab12-prefork", "cách dùng: make new-lab NAME=lab12-prefork"),
    (["build-deps", 'BUILD_DEPS="false=no-such-package"'],
     "make: missing: no-such-package; install them: sudo apt-get install no-such-package",
     "make: còn thiếu: no-such-package; hãy cài chúng: sudo apt-get install no-such-package"),
]


@pytest.mark.parametrize("args,english,vietnamese", MAKE_LINES, ids=["grade", "new-lab", "missing"])
def test_the_makefiles_own_lines_follow_the_language(tmp_path, args, english, vietnamese):
    """make's usage lines and its missing packages, in English by default,
    in Vietnamese under LANGUAGE=vi or make's TRACELAB_LANG=vi."""
    assert english in _make_says(tmp_path, {}, *args)
    said = _make_says(tmp_path, {"LANGUAGE": "vi"}, *args)
    assert vietnamese in said and english not in said, said
    said = _make_says(tmp_path, {}, *args, "TRACELAB_LANG=vi")
    assert vietnamese in said and english not in said, said


def test_make_says_reads_the_catalog_without_msgfmt(tmp_path, monkeypatch):
    """Before `make` has compiled the catalogs (msgfmt may not be installed
    yet), make's lines come from po/kit/LANG.po itself: its lines joined, a
    fuzzy one left out; without a translation, English."""
    from tracelab import make_says
    (tmp_path / "po").mkdir()
    (tmp_path / "po" / "vi.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: vi\\n"\n\n'
        '#, python-brace-format\nmsgid "installing from Debian: {packages}"\n'
        'msgstr ""\n"đang cài "\n"từ Debian: {packages}"\n\n'
        '#, fuzzy\nmsgid "usage: make new-lab NAME=lab12-prefork"\nmsgstr "sai"\n', encoding="utf-8")
    monkeypatch.setattr(make_says, "PO_DIR", tmp_path / "po")
    monkeypatch.setenv("TRACELAB_LOCALEDIR", str(tmp_path / "no-locale"))
    vi = {"LANGUAGE": "vi"}
    assert make_says.line("installing", {"packages": "gcc"}, vi) == "đang cài từ Debian: gcc"
    assert make_says.line("new-lab-usage", {}, vi) == "usage: make new-lab NAME=lab12-prefork"
    assert make_says.line("installing", {"packages": "gcc"}, {"LANG": "C"}) == \
        "installing from Debian: gcc"
    assert make_says.line("installing", {"packages": "gcc"}, {"TRACELAB_LANG": "fr"}) == \
        "installing from Debian: gcc"


def test_messages_follow_the_language(monkeypatch):
    monkeypatch.setenv("TRACELAB_LANG", "vi")
    assert i18n._("Found none.") == "Không tìm thấy cái nào."
    assert i18n.ngettext("{n} event", "{n} events", 3) == "{n} sự kiện"
    monkeypatch.setenv("TRACELAB_LANG", "en")
    assert i18n._("Found none.") == "Found none."
    assert i18n.ngettext("{n} event", "{n} events", 3) == "{n} events"


def test_the_replay_asks_the_tracer_for_the_kit_language(monkeypatch):
    """timeline.py hands the events back to ./trace with --lang and the
    kit's language, which TRACELAB_LANG may have chosen alone."""
    build_kit()
    seen = []
    real = subprocess.run

    def spy(argv, *a, **kw):
        seen.append(list(map(str, argv)))
        return real(argv, *a, **kw)
    monkeypatch.setattr(timeline.subprocess, "run", spy)
    events = [{"type": "exit", "t": 1000, "pid": 5, "tid": 5, "process": True, "code": 0,
               "signal": None}]
    for lang in ("vi", "en"):
        seen.clear()
        monkeypatch.setenv("TRACELAB_LANG", lang)
        timeline.tracer_lines(events)
        replays = [argv for argv in seen if "--replay" in argv]
        assert replays and all(argv[argv.index("--lang") + 1] == lang for argv in replays), seen


def _tracer_speaks_vi():
    """Does ./trace render a timeline line in Vietnamese yet (its own
    catalog, po/vi.po)? A child's exit, in both languages."""
    events = [{"type": "exit", "t": 1000, "pid": 5, "tid": 5, "process": True, "code": 0,
               "signal": None}]
    lines = {}
    for lang in ("en", "vi"):
        env = clean_env(TRACELAB_LANG=lang)
        done = subprocess.run([PYTHON, "-c", "import json, sys; from tracelab import timeline; "
                               "print(json.dumps(timeline.tracer_lines(json.loads(sys.argv[1]))))",
                               json.dumps(events)], env={**env, "PYTHONPATH": str(REPO / "kit")},
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        lines[lang] = done.stdout
    return lines["en"] != lines["vi"]


# The variables that choose a language; a run starts with none of them but
# LANG=C.UTF-8, as on a fresh Debian machine.
LANG_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "TRACELAB_LANG")


def _graded(tmp_path, name, lab=7, submission=WRONG, **env):
    """A submission (lab07_wait_once.c) graded by a lab's tests (7's) in env
    (added to a clean one); (CompletedProcess, results.json)."""
    checks = str(lab_tests(lab)[0].relative_to(REPO))
    out = tmp_path / name
    base = {k: v for k, v in clean_env().items() if k not in LANG_VARS}
    done = subprocess.run([PYTHON, "-m", "pytest", "-p", "no:cacheprovider", checks,
                           "--submission", str(submission), "--lab", str(lab), "--gradescope", str(out)],
                          cwd=REPO, env={**base, "LANG": "C.UTF-8", **env}, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, errors="replace", timeout=300)
    assert out.is_file(), done.stdout + done.stderr
    return done, json.loads(out.read_text())


# What pytest shows of a Python failure: the test's code (">" marks the
# line), its "E" lines, file and line, the exception's name, the docstring.
PYTHON_FRAME = re.compile(r"^(>|E) |^\s+def |\.py:\d+: |\b(Traceback|AssertionError|ExpectationFailed)\b"
                          r"|\bvi: ", re.M)


def _failures(stdout):
    """pytest's FAILURES section (in either language), up to the score table."""
    start = section(stdout, "FAILURES")
    assert start >= 0, stdout
    return stdout[start:stdout.index("= tracelab ")]


def _table(stdout):
    """The score table: from its header line to its notes."""
    return stdout[stdout.index("= tracelab "):]


def _vi_titles():
    """test function -> its `vi:` title, from lab 7's test file."""
    text = lab_tests(7)[0].read_text()
    return dict(re.findall(r"def (test_\w+)\(.*?\n    vi: ([^\n]+?)(?:\"\"\")?\n", text, re.S))


@pytest.mark.parametrize("env", [{"TRACELAB_LANG": "vi"}, {"LANGUAGE": "vi", "LANG": "C.UTF-8"}],
                         ids=["TRACELAB_LANG=vi", "LANGUAGE=vi"])
def test_a_wrong_submission_reads_in_vietnamese(env, tmp_path):
    build_kit()
    en_done, en = _graded(tmp_path, "en.json")
    vi_done, vi = _graded(tmp_path, "vi.json", **env)
    assert vi["score"] == en["score"] < vi["extra_data"]["max_score"]

    # English by default: its sentences, no Vietnamese letter.
    failed_en = [t for t in en["tests"] if t["status"] == "failed"]
    assert any(ENGLISH in t["output"] for t in failed_en)
    assert not VIETNAMESE_LETTERS.search(_table(en_done.stdout) + json.dumps(en, ensure_ascii=False))

    # In Vietnamese: the names, the failures and the score table.
    titles = set(_vi_titles().values())
    assert len(titles) == len(vi["tests"]) == 6, titles
    assert {t["name"] for t in vi["tests"]} == titles
    failed = [t for t in vi["tests"] if t["status"] == "failed"]
    assert len(failed) == len(failed_en) > 0
    assert any(VIETNAMESE in t["output"] for t in failed), [t["output"][:200] for t in failed]
    # The test's own words for a pattern (described_as(..., vi=...)).
    assert any("ít nhất 3 lần một lời gọi wait thu dọn một tiến trình con" in t["output"] for t in failed)
    for t in failed:
        assert VIETNAMESE_LETTERS.search(t["output"]), t["output"]
        kits_own = "\n".join(l for l in t["output"].splitlines() if not QUOTED_OR_ELIDED.match(l))
        for words in ENGLISH_WORDS:
            assert words not in kits_own, (words, t["output"])
    # What pytest shows of each failure: its title and message, in
    # Vietnamese, with no traceback and no test code around them.
    shown = _failures(vi_done.stdout)
    assert shown.count(VIETNAMESE) == 1, shown
    titles_failed = {_vi_titles()[name] for name in re.findall(r"^_{3,} (\w+) _{3,}$", shown, re.M)}
    assert len(titles_failed) == len(failed) and all(f"\n{t}\n\n" in shown for t in titles_failed)
    assert not PYTHON_FRAME.search(shown), PYTHON_FRAME.search(shown).group(0)
    assert ENGLISH in _failures(en_done.stdout) and not PYTHON_FRAME.search(_failures(en_done.stdout))
    table = _table(vi_done.stdout)
    assert "Điểm: 3/10" in table and "TRƯỢT" in table and "ĐẠT" in table
    assert not re.search(r"Score:| FAIL | OK |Expected, in", table), table

    # The quoted timeline lines are the tracer's (which lines, and that
    # they are its own: test_quoted_lines_are_the_tracers_own_in_vietnamese),
    # in Vietnamese once its catalog (po/vi.po) has them.
    quoted_vi = [m for t in failed for m in QUOTED.findall(t["output"])]
    assert quoted_vi
    if _tracer_speaks_vi():
        assert any(VIETNAMESE_LETTERS.search(l) for l in quoted_vi), quoted_vi


def _printed_lines(path):
    """{event index: line} of a `--numbered` timeline the tracer wrote."""
    lines = {}
    for text in path.read_text(encoding="utf-8").splitlines():
        index, tab, line = text.partition("\t")
        if tab and index.isdigit():
            lines.setdefault(int(index), line.rstrip())
    return lines


def test_quoted_lines_are_the_tracers_own_in_vietnamese(tmp_path, monkeypatch):
    """With TRACELAB_LANG=vi the kit quotes, for each event the student's
    view shows, the very line a live `./trace --lang vi` run printed for it
    (the oracle: that run's own -o output)."""
    build_kit()
    monkeypatch.setenv("TRACELAB_LANG", "vi")
    student = tmp_path / "student.txt"
    t = tracelab.run_lab("lab6", extra_args=["--lang", "vi", "--color", "never", "--numbered",
                                             "-o", str(student)], json_only=False)
    assert t.returncode == 0, t.stderr
    said = _printed_lines(student)
    assert len(said) > 20
    tl = timeline.of(t)
    assert {i: tl.line(t.events[i]) for i in said} == said
    if _tracer_speaks_vi():
        assert any(VIETNAMESE_LETTERS.search(line) for line in said.values())


def test_lab6_names_sig_ign_in_vietnamese(tmp_path):
    """lab07_sig_ign.c graded by lab 6 under LANGUAGE=vi: every test says,
    in Vietnamese, that the kernel reaped the children because SIGCHLD is
    ignored, and the handler's tests that the lab asks for a handler (as
    test_grading_messages.py checks in English)."""
    build_kit()
    done, results = _graded(tmp_path, "lab6.json", lab=6, submission=SIG_IGN,
                            LANGUAGE="vi", LANG="C.UTF-8")
    assert results["score"] == 0 and results["tests"], done.stdout
    says = ("Các tiến trình con được hạt nhân tự thu dọn vì SIGCHLD bị bỏ qua: chương trình đặt "
            "nó thành SIG_IGN")
    asks = "Nhưng bài lab này yêu cầu một trình xử lý tín hiệu SIGCHLD tự thu dọn chúng."
    for t in results["tests"]:
        assert says in t["output"], t
        assert "The children are reaped by the kernel" not in t["output"], t
        assert VIETNAMESE_LETTERS.search(t["name"]), t["name"]
    assert len([t for t in results["tests"] if asks in t["output"]]) == 2, results["tests"]


def _doc_table(text):
    return score_table(text, "tracelab chấm điểm", "Điểm:")


def test_the_docs_command_grades_in_vietnamese():
    """docs/instructors.md's command, through make (which passes
    TRACELAB_LANG on to the grader): the table the docs show."""
    doc = DOC.read_text()
    assert f"`{DOC_COMMAND}`" in doc
    block = re.search(r"```\n(=[^\n]*tracelab chấm điểm .*?)\n```", doc, re.S)
    assert block, "docs/instructors.md has no Vietnamese score table"
    build_kit()
    base = {k: v for k, v in clean_env(COLUMNS="80").items() if k not in LANG_VARS}
    done = subprocess.run(DOC_COMMAND.split() + ["-s", f"PYTHON={PYTHON}"], cwd=REPO,
                          env={**base, "LANG": "C.UTF-8"}, capture_output=True, text=True,
                          timeout=300)
    assert "Điểm: 3/10" in done.stdout, done.stdout + done.stderr
    assert _doc_table(done.stdout) == _doc_table(block.group(1))


def _lab_test_docs():
    """(file, test function, docstring) of every test in tests/labs/."""
    out = []
    for path in sorted((REPO / "tests" / "labs").glob("test_lab[0-9][0-9]_*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                out.append((path.name, node.name, ast.get_docstring(node) or ""))
    return out


def test_every_lab_test_has_a_vietnamese_name():
    """Each test of tests/labs/ has a `vi:` paragraph: one sentence of at
    most 64 characters, in Vietnamese; the score table shows it whole."""
    docs = _lab_test_docs()
    assert len(docs) > 50
    for name, test, doc in docs:
        vi = scoring._in_language(doc.split("\n\n")[1:], "vi")
        assert vi, f"{name}::{test} has no `vi:` name"
        assert len(vi) <= 64 and not re.search(r"[.!?:]\s", vi), (name, test, vi)
        assert VIETNAMESE_LETTERS.search(vi), (name, test, vi)


def test_stops_and_the_budget_say_why_in_vietnamese(monkeypatch):
    monkeypatch.setenv("TRACELAB_LANG", "vi")
    text = str(Stopped("nó có hơn 64 tiến trình cùng lúc"))
    assert text.startswith("Chương trình của bạn đã bị dừng: ") and "Bài kiểm tra này được 0 điểm." in text
    late = Budget(10, time.time() - 20).not_run()
    assert late.startswith("Không chạy: 10 s dành cho việc chấm bài nộp này đã hết"), late
    monkeypatch.setenv("TRACELAB_LANG", "en")
    assert str(Stopped("x")).startswith("Your program was stopped: x.")


def test_a_gradescope_autograder_made_for_vietnamese(tmp_path):
    """`make autograder LAB=7 TRACELAB_LANG=vi`: the zip carries the
    catalogs (po/) and its run_autograder grades in Vietnamese, whatever
    Gradescope's environment says (here LANG=C.UTF-8 and nothing else)."""
    zip_path = tmp_path / "autograder.zip"
    base = {k: v for k, v in clean_env().items() if k not in LANG_VARS}
    made = subprocess.run(["make", "-s", "autograder", "LAB=7", f"OUT={zip_path}", "TRACELAB_LANG=vi",
                           f"PYTHON={PYTHON}"], cwd=REPO, env={**base, "LANG": "C.UTF-8"},
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    root = tmp_path / "root"
    source = extract(zip_path, root / "source")
    assert (source / "po" / "kit" / "vi.po").is_file() and (source / "po" / "vi.po").is_file()
    # msgfmt compiles them: Gradescope's image installs it.
    assert re.search(r"apt-get install .*\bgettext\b", (source / "setup.sh").read_text())
    (root / "submission").mkdir()
    (root / "submission" / "lab07.c").write_text(WRONG.read_text())
    done = subprocess.run([source / "run_autograder"], env={**base, "LANG": "C.UTF-8",
                                                            "AUTOGRADER_ROOT": str(root)},
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 3, results
    assert {t["name"] for t in results["tests"]} == set(_vi_titles().values())
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert any(VIETNAMESE in t["output"] for t in failed), [t["output"][:200] for t in failed]
    assert "Điểm: 3/10" in done.stdout
