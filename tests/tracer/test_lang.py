"""The tracer in Vietnamese (gettext, po/vi.po): the catalog is whole,
the language comes from --lang or the environment on a machine with no
Vietnamese locale, English stays the default, and the JSON is the same
whatever the language (a program reads it).

Each check of the words can fail: the timeline and summary must hold the
Vietnamese sentences of the student's view and none of its English ones.
"""

import json
import os
import re
import shutil
import subprocess

import pytest

import tracelab

PO = tracelab.REPO / "po" / "vi.po"
LABS_PO = tracelab.REPO / "po" / "labs" / "vi.po"

# The student's view of lab 6 (zombies, a held SIGCHLD, a diagnosis, the
# lesson), in each language: the words that must be there, and the other
# language's that must not.
VIETNAMESE = ["(tiến trình mới)", "trong tiến trình con: đây là tiến trình mới",
              "giờ là zombie", "cho đến khi tiến trình cha thu dọn nó", "máy chủ đã sẵn sàng ở cổng",
              "ZOMBIE BỊ BỎ SÓT", "== tóm tắt ==", "tín hiệu đã chuyển đến:", "điều gì đã sai:",
              "bài học của lần chạy này:", "tiến trình con đã thoát", "zombie bị bỏ sót",
              "trình theo vết giữ lại SIGCHLD này", "<- SIGCHLD từ"]
ENGLISH = ["(new process)", "in the child: this is the new process", "is a zombie now",
           "until its parent reaps it", "the server is ready", "LEAKED zombie", "== summary ==",
           "signals delivered", "what went wrong", "the lesson of this run", "children exited",
           "zombies leaked", "the tracer holds this SIGCHLD", " from ", "exited with code",
           "reaped", "blocked", "took", "killed by", "the load generator", "any child",
           "returns -1 EINTR to the program", "runs the handler", "status=exited"]
# A line the program printed itself (lab06[123]: ...), not the tracer's.
PROGRAM_TEXT = re.compile(r"lab\d\d\[\d+\]: .*")


def trace(*args, env=None, stdin=None, timeout=120):
    return subprocess.run([str(tracelab.trace_binary()), *args], capture_output=True, text=True,
                          env=env, input=stdin, timeout=timeout)


def base_env(**more):
    """The environment without any language in it, then more."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env.update(more)
    return env


def tracer_words(text):
    """The timeline and summary without the lines the program printed, in
    one line: a sentence wrapped under its words reads whole."""
    return " ".join(" ".join(PROGRAM_TEXT.sub("", line) for line in text.splitlines()).split())


def assert_vietnamese(text):
    words = tracer_words(text)
    missing = [w for w in VIETNAMESE if w not in words]
    english = [w for w in ENGLISH if w in words]
    assert not missing and not english, \
        f"missing Vietnamese: {missing}; English left: {english}\n{words[-3000:]}"


def assert_english(text):
    assert "== summary ==" in text and "the lesson of this run:" in text, text[-2000:]
    assert "tóm tắt" not in text and "bài học" not in text, text[-2000:]


def po_msgids(path):
    """The msgids (and msgid_plurals) of a .po or .pot file, with their
    msgstr, as {msgid: [msgstr...]}."""
    entries, key, cur = {}, None, {}
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        cur, key = {}, None
        for line in block.splitlines():
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if m:
                key = m.group(1)
                cur[key] = m.group(2)
            elif line.startswith('"') and key:
                cur[key] += line[1:-1]
        if cur.get("msgid"):
            entries[cur["msgid"]] = [v for k, v in cur.items() if k.startswith("msgstr")]
    return entries


@pytest.mark.parametrize("po, at_least", [(PO, 200), (LABS_PO, 50)], ids=["tracer", "labs"])
def test_the_catalog_has_no_untranslated_or_fuzzy_message(po, at_least):
    run = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    stats = run.stderr.strip()
    assert re.fullmatch(r"\d+ translated messages?\.", stats), f"msgfmt --statistics: {stats}"
    assert int(stats.split()[0]) > at_least


def test_the_labs_catalog_check_can_fail(tmp_path):
    """The check above sees a lab's sentence left untranslated."""
    broken = tmp_path / "vi.po"
    broken.write_text(LABS_PO.read_text(encoding="utf-8").replace(
        'msgstr "máy khách %d: được phục vụ bởi tiến trình con %d"', 'msgstr ""'), encoding="utf-8")
    run = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(broken)],
                         capture_output=True, text=True)
    assert "1 untranslated message" in run.stderr, run.stderr


def test_every_sentence_of_the_sources_is_translated(tmp_path):
    """make pot, into a folder of the test's: every msgid of the fresh
    template is in po/vi.po, translated (a new English sentence without
    its Vietnamese fails here)."""
    pot = tmp_path / "tracelab.pot"
    run = subprocess.run(["make", "--no-print-directory", "-C", str(tracelab.REPO), "pot",
                          f"TRACER_POT={pot}", f"KIT_POT={tmp_path / 'kit.pot'}",
                          f"LABS_POT={tmp_path / 'labs.pot'}"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    fresh, have = po_msgids(pot), po_msgids(PO)
    assert len(fresh) > 200
    untranslated = [m for m in fresh if m not in have or not all(have[m])]
    assert untranslated == [], f"not in po/vi.po (run make pot, then msgmerge): {untranslated}"


def test_every_sentence_of_the_labs_is_translated(tmp_path):
    """make labs-pot (the labs' say() and fatal(), the load generator's
    fail() and _()), into a folder of the test's: every msgid is in
    po/labs/vi.po, translated; and the template has the lines a lab prints
    most (so the keywords did collect them)."""
    pot = tmp_path / "tracelab-labs.pot"
    run = subprocess.run(["make", "--no-print-directory", "-C", str(tracelab.REPO), "labs-pot",
                          f"LABS_POT={pot}"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    fresh, have = po_msgids(pot), po_msgids(LABS_PO)
    assert {"client %d: served by child %d", "listening on 127.0.0.1:%d (tcp)",
            "client %d: thread detached", "client %d: no echo of message %d within %d s",
            "no lock: a barrier between read and write makes both threads read first, every round "
            "(lock unused, at %p)"} <= set(fresh)
    untranslated = [m for m in fresh if m not in have or not all(have[m])]
    assert untranslated == [], f"not in po/labs/vi.po (make labs-pot, then msgmerge): {untranslated}"


@pytest.fixture(scope="module")
def english_run(tmp_path_factory):
    """Lab 6 in English, its JSON kept: the replays' source."""
    d = tmp_path_factory.mktemp("en")
    run = trace("lab6", "--color", "never", "-o", str(d / "out.txt"), "--json", str(d / "run.jsonl"),
                env=base_env(LANG="C.UTF-8"))
    assert run.returncode == 0, run.stderr
    return d


@pytest.mark.parametrize("how", ["--lang vi", "LANGUAGE=vi", "LANG=vi_VN.UTF-8 (env -i)",
                                 "LC_ALL=vi_VN.UTF-8"])
def test_a_lab_speaks_vietnamese(how, tmp_path):
    """--lang vi, or the environment: LANGUAGE=vi under LANG=C.UTF-8 (the
    only locale of a fresh Debian), or LANG (LC_ALL) naming a Vietnamese
    locale that was never generated."""
    out = tmp_path / "out.txt"
    args, env = ["lab6", "--color", "never", "-o", str(out)], base_env(LANG="C.UTF-8")
    if how == "--lang vi":
        args.append("--lang=vi")
    elif how == "LANGUAGE=vi":
        env["LANGUAGE"] = "vi"
    elif how.startswith("LANG="):
        env = {"LANG": "vi_VN.UTF-8"}   # env -i: nothing else, not even PATH
    else:
        env["LC_ALL"] = "vi_VN.UTF-8"
    run = trace(*args, env=env)
    assert run.returncode == 0, run.stderr
    assert_vietnamese(out.read_text(encoding="utf-8"))


def test_english_is_the_default_and_lang_en_wins(english_run, tmp_path):
    assert_english((english_run / "out.txt").read_text())
    out = tmp_path / "out.txt"
    run = trace("--lang", "en", "lab6", "-q", "-o", str(out),
                env=base_env(LANGUAGE="vi", LC_ALL="vi_VN.UTF-8", LANG="vi_VN.UTF-8"))
    assert run.returncode == 0, run.stderr
    assert_english(out.read_text())
    bare = trace("lab5", "-q", env={})   # env -i: no language at all
    assert bare.returncode == 0 and "== summary ==" in bare.stderr, bare.stderr


# Letters that only Vietnamese has among the two languages: none may be
# left in a run that fell back to English.
VIETNAMESE_LETTERS = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ]")


@pytest.mark.parametrize("how", ["no catalog", "bogus LC_ALL", "no locales (LOCPATH)"])
def test_a_missing_catalog_or_locale_means_english_whole(how, english_run, tmp_path):
    """Vietnamese asked for, and the system cannot give it: the run is in
    English, whole (not English sentences around the lab's Vietnamese
    words), and ends well. An empty LOCPATH takes C.UTF-8 away on a glibc
    that reads it from disk; a newer one has it built in and stays
    Vietnamese, whole."""
    empty = tmp_path / "empty"
    empty.mkdir()
    env, args = base_env(LANG="C.UTF-8"), ["--lang", "vi"]
    if how == "no catalog":
        env["TRACELAB_LOCALEDIR"] = str(empty)
    elif how == "bogus LC_ALL":
        env["LC_ALL"], args = "xx_BOGUS.NOPE@what", []
    else:
        env["LOCPATH"] = str(empty)
    run = trace("--replay", str(english_run / "run.jsonl"), "--color", "never", *args, env=env)
    assert run.returncode == 0, run.stderr
    if how == "no locales (LOCPATH)" and "tóm tắt" in run.stderr:
        assert_vietnamese(run.stderr)
        return
    assert_english(run.stderr)
    assert not VIETNAMESE_LETTERS.search(run.stderr), run.stderr[-2000:]
    child = trace("-q", "-o", "/dev/null", *args, "--", "/bin/sh", "-c", 'echo "$TRACELAB_LANG"', env=env)
    assert child.stdout == "en\n"                 # and the programs it starts are told so


def test_a_replay_speaks_the_language_it_is_given(english_run, tmp_path):
    """An English run's JSON, replayed with --lang vi: the timeline, the
    summary and the lab's lesson (its lab.conf's lesson.vi) in Vietnamese."""
    out = tmp_path / "vi.txt"
    run = trace("--replay", str(english_run / "run.jsonl"), "--lang", "vi", "--color", "never",
                "-o", str(out), env=base_env(LANG="C.UTF-8"))
    assert run.returncode == 0, run.stderr
    assert_vietnamese(out.read_text(encoding="utf-8"))
    again = trace("--replay", str(english_run / "run.jsonl"), "--color", "never",
                  env=base_env(LANGUAGE="vi", LANG="C.UTF-8"))   # the environment too
    assert_vietnamese(again.stderr)


def shape(value):
    """A JSON value's keys and enum words, not its numbers: what a program
    reading the trace depends on."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted({json.dumps(shape(v), sort_keys=True) for v in value})
    return type(value).__name__


def test_the_json_is_the_same_in_every_language(english_run, tmp_path):
    """A --lang vi run writes the same fields and values: the same keys
    for each type of event, the same header (lab.conf's translations
    included), and no Vietnamese word outside the header's translations."""
    vi = tmp_path / "vi.jsonl"
    run = trace("--lang", "vi", "lab6", "-q", "--json", str(vi), env=base_env(LANG="C.UTF-8"))
    assert run.returncode == 0, run.stderr
    runs = []
    for path in (english_run / "run.jsonl", vi):
        events = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        keys = {}
        for ev in events:
            keys.setdefault(ev["type"], set()).update(ev)
        header = {k: v for k, v in events[0].items() if k not in ("t", "pid", "tid", "tracer_pid", "argv")}
        rest = json.dumps(events[1:], ensure_ascii=False)
        runs.append((keys, header, shape(events[-1]), rest))
    (en_keys, en_head, en_summary, _), (vi_keys, vi_head, vi_summary, vi_rest) = runs
    assert vi_keys == en_keys
    assert vi_head == en_head
    assert vi_head["translations"]["vi"]["lesson"] and vi_head["lesson"].startswith("{exited:")
    assert vi_summary == en_summary
    assert not re.search(r"[^\x00-\x7f]", vi_rest), "a Vietnamese word in the JSON's events"


def test_an_unknown_language_is_one_line_and_exit_2():
    run = trace("--lang", "fr", "lab6")
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("trace: --lang takes en, vi, not 'fr'")


def test_help_legend_and_errors_in_vietnamese():
    help_vi = trace("--help", "--lang", "vi")
    assert help_vi.returncode == 0 and "cách dùng:" in help_vi.stdout and "usage:" not in help_vi.stdout
    assert "dòng thời gian:" in help_vi.stdout
    legend = trace("--lang", "vi", "--legend")
    assert legend.returncode == 0 and "Cách đọc dòng thời gian" in legend.stdout
    assert "How to read" not in legend.stdout
    err = trace("--lang", "vi", "--timeout", "x", "lab6")
    assert err.returncode == 2 and err.stderr == "trace: --timeout nhận số giây từ 1 đến 86400, không nhận 'x'\n"
    nolab = trace("lab99", env=base_env(LANGUAGE="vi", LANG="C.UTF-8"))
    assert nolab.returncode == 2 and "không có bài lab nào tên 'lab99'" in nolab.stderr


def test_predict_asks_and_answers_in_vietnamese(tmp_path):
    """The questions come from lab.conf's predict.vi; the JSON keeps the
    English question (the same JSON in every language)."""
    out, js = tmp_path / "out.txt", tmp_path / "run.jsonl"
    run = trace("--lang", "vi", "--predict", "lab5", "-q", "-o", str(out), "--json", str(js), stdin="3\n")
    assert run.returncode == 0, run.stderr
    assert "Trước khi chạy:" in run.stderr
    assert "Khi máy chủ kết thúc, sẽ còn lại bao nhiêu zombie?" in run.stderr
    summary = out.read_text(encoding="utf-8")
    assert "dự đoán của bạn:" in summary and "Bạn nói 3; lần chạy: 3 (đúng)." in summary, summary
    header = json.loads(js.read_text().splitlines()[0])
    assert header["predict"][0]["question"] == "How many zombies will be left when the server ends?"


def bad_lab(tmp_path, lines):
    """A labs folder whose one lab has these lab.conf lines."""
    lab = tmp_path / "labs" / "lab99-bad"
    lab.mkdir(parents=True)
    (lab / "lab.conf").write_text("program = lab99\nlesson = {exited} exited\n"
                                  "predict = leaked: How many?\n" + "".join(l + "\n" for l in lines),
                                  encoding="utf-8")
    return {**base_env(LANG="C.UTF-8"), "TRACELAB_LABS": str(tmp_path / "labs")}


@pytest.mark.parametrize("line, says", [
    ("lesson.fr = {exited} sont sortis", "lesson.fr: there is no catalog for 'fr'"),
    ("lesson.vi = {oops} tiến trình", "lesson.vi names {oops}"),
    ("predict.vi = sigchld: Bao nhiêu?", "the predict.vi lines do not ask what the predict lines ask"),
    ("args.vi = 1", "args.vi: only lesson and predict take a language"),
])
def test_a_wrong_translation_in_lab_conf_is_one_line_and_exit_2(tmp_path, line, says):
    run = trace("lab99", env=bad_lab(tmp_path, [line]))
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert says in run.stderr, run.stderr


def test_a_variant_that_changes_its_lesson_in_english_only_is_said_in_english(tmp_path):
    """docs/instructors.md: "a variant that sets lesson or predict without
    its .vi line is said in English rather than with the lab's stale
    words"; and a variant's predict.vi lines replace the lab's."""
    lab = tmp_path / "labs" / "lab99-own"
    lab.mkdir(parents=True)
    shutil.copy(tracelab.REPO / "labs" / "lab12-mutex-counter" / "lab12", lab / "lab99")
    (lab / "lab.conf").write_text(
        "program = lab99\nargs = nolock\nstop = none\nclasses = process,sync\n"
        "lesson = {threads:thread/threads} ran\nlesson.vi = {threads} luồng đã chạy\n"
        "predict = threads: How many threads?\npredict.vi = threads: Bao nhiêu luồng?\n"
        "[english]\nargs = mutex\nlesson = {threads:thread/threads} ran with a lock\n"
        "predict = threads: How many threads now?\n"
        "[both]\nargs = mutex\npredict = threads: Threads?\npredict.vi = threads: Luồng?\n", encoding="utf-8")
    env = {**base_env(LANG="C.UTF-8"), "TRACELAB_LABS": str(tmp_path / "labs")}
    said = {}
    for variant in ("", "english", "both"):
        js = tmp_path / f"{variant or 'lab'}.jsonl"
        run = trace("lab99", *([variant] if variant else []), "-q", "--json", str(js), env=env)
        assert run.returncode == 0, run.stderr
        said[variant] = json.loads(js.read_text(encoding="utf-8").splitlines()[0])["translations"]["vi"]
    assert said[""] == {"lesson": "{threads} luồng đã chạy",
                        "predict": [{"fact": "threads", "question": "Bao nhiêu luồng?"}]}
    assert said["english"] == {"lesson": None, "predict": None}
    english = trace("--lang", "vi", "lab99", "english", "-q", env=env)   # said in English, not stale
    assert english.returncode == 0 and "2 threads ran with a lock" in english.stderr, english.stderr
    assert "bài học của lần chạy này:" in english.stderr
    assert said["both"] == {"lesson": "{threads} luồng đã chạy",
                            "predict": [{"fact": "threads", "question": "Luồng?"}]}


def readme_commands():
    """The commands of the top README's section "In Vietnamese / Tiếng Việt"."""
    text = (tracelab.REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## In Vietnamese / Tiếng Việt\n", 1)[1].split("\n## ", 1)[0]
    return [line.split("#")[0].strip() for line in section.splitlines() if line.startswith("    ./trace")
            or line.startswith("    LANGUAGE=")]


def test_the_readme_commands_say_what_the_readme_says(tmp_path):
    """README.md, "In Vietnamese / Tiếng Việt": `./trace --lang vi lab6` and
    `LANGUAGE=vi ./trace lab6` give the timeline, summary, lesson and
    diagnoses in Vietnamese; `./trace --lang en lab6` English whatever the
    environment says (here LANGUAGE=vi and LANG=vi_VN.UTF-8)."""
    commands = readme_commands()
    assert commands == ["./trace --lang vi lab6", "LANGUAGE=vi ./trace lab6", "./trace --lang en lab6"]
    for i, command in enumerate(commands):
        out = tmp_path / f"{i}.txt"
        env = base_env(LANG="C.UTF-8")
        if "--lang en" in command:
            env.update(LANGUAGE="vi", LANG="vi_VN.UTF-8")
        run = subprocess.run(f"{command} --color never -o {out}", shell=True, cwd=tracelab.REPO, env=env,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        text = out.read_text(encoding="utf-8")
        if "--lang en" in command:
            assert_english(text)
        else:
            assert_vietnamese(text)
