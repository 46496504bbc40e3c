"""When run_autograder cannot even start the tests, what the student reads on
Gradescope (results.json's output, from tracelab.give_up) is in the
language the autograder was made for, or the environment's, as the rest of
the kit's words: checked for every reason in both languages, and through a
real unzipped run_autograder that gives up before the kit is built (so the
catalog comes from po/kit/vi.po, not from build/locale/)."""

import json
import re
import shutil
import subprocess

import pytest

from grading.gradescope_spec import problems
from grading.nested import PYTHON, REPO, clean_env
from tracelab import give_up
from tracelab.autograder import extract

# Letters Vietnamese has and English has not (as test_grading_lang.py).
VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
# The variables that choose a language; each run starts with none of them.
LANG_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "TRACELAB_LANG")
VALUES = {"value": "ten", "path": "/ag/sub", "status": "137"}
ENGLISH_HEAD = "The autograder could not grade this submission: "
VIETNAMESE_HEAD = "Trình chấm tự động không chấm được bài nộp này: "


def _english_words(text):
    """The English words of a sentence, less those kept in Vietnamese
    (the names of programs and variables, and the filled-in values)."""
    kept = set(VALUES.values()) | {"TRACELAB_AG_TIMEOUT", "pytest"}
    return {w for w in re.findall(r"[A-Za-z_]{4,}", text) if w not in kept}


@pytest.mark.parametrize("why", sorted(give_up.REASONS))
def test_every_reason_reads_in_both_languages(why, monkeypatch):
    values = {k: v for k, v in VALUES.items() if "{" + k + "}" in give_up.REASONS[why]}
    monkeypatch.setenv("TRACELAB_LANG", "en")
    english = give_up.sentence(why, values)
    assert english.startswith(ENGLISH_HEAD) and not VIETNAMESE_LETTERS.search(english), english
    monkeypatch.setenv("TRACELAB_LANG", "vi")
    vietnamese = give_up.sentence(why, values)
    assert vietnamese.startswith(VIETNAMESE_HEAD) and VIETNAMESE_LETTERS.search(vietnamese), vietnamese
    left = _english_words(english) & set(re.findall(r"[A-Za-z_]{4,}", vietnamese))
    assert not left, (vietnamese, left)
    assert all(v in vietnamese for v in values.values()), vietnamese


def test_the_english_word_check_can_fail():
    """The check above sees English left in a sentence."""
    english = ENGLISH_HEAD + "could not copy the submission"
    assert _english_words(english) & set(re.findall(r"[A-Za-z_]{4,}", VIETNAMESE_HEAD + "copy"))


def test_a_bad_call_is_a_usage_error(tmp_path, capsys):
    assert give_up.main([str(tmp_path / "r.json"), "no-such-reason"]) == 2
    assert "usage: python3 -m tracelab.give_up" in capsys.readouterr().err
    assert not (tmp_path / "r.json").exists()


def _zip(tmp_path_factory, *make_args):
    tmp = tmp_path_factory.mktemp("giveup")
    zip_path = tmp / "autograder.zip"
    made = subprocess.run(["make", "-s", "autograder", "LAB=7", f"OUT={zip_path}", *make_args,
                           f"PYTHON={PYTHON}"], cwd=REPO, env=clean_env(),
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    source = extract(zip_path, tmp / "root" / "source")
    assert not (source / "build").exists()      # nothing compiled: the catalogs are po/ alone
    return tmp / "root"


@pytest.fixture(scope="module")
def vi_root(tmp_path_factory):
    """An autograder made with TRACELAB_LANG=vi, unzipped, not built."""
    return _zip(tmp_path_factory, "TRACELAB_LANG=vi")


@pytest.fixture(scope="module")
def plain_root(tmp_path_factory):
    """An autograder made without a language, unzipped, not built."""
    return _zip(tmp_path_factory)


def _give_up(root, **env):
    """run_autograder on `root` in a clean environment with LANG=C.UTF-8
    and `env`; (results.json, stderr)."""
    results = root / "results" / "results.json"
    if results.exists():
        results.unlink()
    base = {k: v for k, v in clean_env().items() if k not in LANG_VARS}
    done = subprocess.run([root / "source" / "run_autograder"],
                          env={**base, "LANG": "C.UTF-8", "AUTOGRADER_ROOT": str(root), **env},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    data = json.loads(results.read_text(encoding="utf-8"))
    assert problems(data) == [] and data["score"] == 0 and data["tests"] == [], data
    return data, done.stderr


def test_made_for_vietnamese_it_gives_up_in_vietnamese(vi_root):
    """No submission folder, and a bad timeout: both said in Vietnamese,
    in results.json and on stderr, whatever the environment says."""
    shutil.rmtree(vi_root / "submission", ignore_errors=True)
    data, err = _give_up(vi_root, LANGUAGE="en")
    assert data["output"] == (VIETNAMESE_HEAD + "không có thư mục bài nộp ("
                              f"{vi_root / 'submission'})"), data
    assert f"run_autograder: {data['output']}" in err
    data, _ = _give_up(vi_root, TRACELAB_AG_TIMEOUT="ten")
    assert data["output"] == (VIETNAMESE_HEAD + "TRACELAB_AG_TIMEOUT=ten: hãy cho thời hạn của "
                              "bài tập, tính bằng giây"), data


def test_a_kit_that_does_not_build_is_said_in_vietnamese(vi_root):
    """The build fails (a Makefile make cannot read): the reason comes
    without build/locale/, which that build would have made."""
    (vi_root / "submission").mkdir(exist_ok=True)
    (vi_root / "submission" / "lab07.c").write_text("int main(void) { return 0; }\n")
    makefile = vi_root / "source" / "Makefile"
    good = makefile.read_text()
    makefile.write_text("this line is not make's\n" + good)
    try:
        data, err = _give_up(vi_root)
    finally:
        makefile.write_text(good)
    assert data["output"] == VIETNAMESE_HEAD + ("bộ công cụ tracelab không biên dịch được (các lỗi "
                                                "nằm trong đầu ra của trình chấm tự động)"), data
    assert "missing separator" in err       # make's own words, for the instructor
    assert not (vi_root / "source" / "build" / "locale").exists()


@pytest.mark.parametrize("env,head", [({}, ENGLISH_HEAD), ({"LANGUAGE": "vi"}, VIETNAMESE_HEAD),
                                      ({"TRACELAB_LANG": "vi"}, VIETNAMESE_HEAD),
                                      ({"TRACELAB_LANG": "fr"}, ENGLISH_HEAD)],
                         ids=["LANG=C.UTF-8", "LANGUAGE=vi", "TRACELAB_LANG=vi", "TRACELAB_LANG=fr"])
def test_made_without_a_language_the_environment_chooses(plain_root, env, head):
    shutil.rmtree(plain_root / "submission", ignore_errors=True)
    data, err = _give_up(plain_root, **env)
    assert data["output"].startswith(head), data
    assert data["output"].endswith(f"({plain_root / 'submission'})"), data
    assert f"run_autograder: {data['output']}" in err


def test_without_a_kit_the_reason_is_still_written(vi_root, tmp_path):
    """run_autograder alone, with no kit beside it or at its source: the
    reason is written all the same, in English, as its key and values."""
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy2(vi_root / "source" / "run_autograder", alone / "run_autograder")
    (tmp_path / "submission").mkdir()
    results = tmp_path / "results" / "results.json"
    base = {k: v for k, v in clean_env().items() if k not in LANG_VARS}
    done = subprocess.run([alone / "run_autograder"], capture_output=True, text=True, timeout=120,
                          env={**base, "AUTOGRADER_ROOT": str(tmp_path),
                               "TRACELAB_AG_SOURCE": str(tmp_path / "nothing")})
    assert done.returncode == 0, done.stderr
    data = json.loads(results.read_text())
    assert problems(data) == [] and data["score"] == 0, data
    assert data["output"] == f"{ENGLISH_HEAD}no-source path={tmp_path / 'nothing'}", data
