"""What the labs' READMEs say, beyond their quoted lines (those are
checked by test_readme_quotes.py) and beyond the graded tests of each lab
(test_labNN_*.py), and what the top README's guide in Vietnamese says:
the claims a README makes in words, checked here on real runs, each test
naming the README and the words it checks."""

import os
import subprocess

import tracelab

LOADGEN_MESSAGE_BYTES = 32   # kit/loadgen/loadgen.c: --size, 32 by default


def test_lab1_a_blocking_read_returns_what_has_arrived_not_a_full_buffer():
    """lab01-blocking-io/README.md: "read() returns as soon as some data is
    there ... each read(fd=4, count=4096) returns 32, one message"."""
    t = tracelab.run_lab("lab1")
    reads = [c for c in t.syscalls(pid=t.root) if c["call"] == "read" and c["args"].get("fd") not in (None, 3)
             and c["ret"] is not None and c["ret"] > 0 and c["args"].get("count") == 4096]
    assert len(reads) == 9
    assert all(c["ret"] == LOADGEN_MESSAGE_BYTES for c in reads), [c["ret"] for c in reads]


def test_lab8_threads_end_with_no_signal_and_no_zombie():
    """lab08-thread-per-client/README.md: "No SIGCHLD, no zombie, no
    waitpid" and, from the notes, no signal to handle when a thread ends."""
    t = tracelab.run(lab="lab8", classes="process,signal,wait,io")   # every wait call stops
    ended = [e for e in t.exits(process=False)]
    assert len(ended) == 4 == t.summary["threads"]
    assert t.signals(sig="SIGCHLD") == [] and t.reaps() == []
    assert [s for s in t.syscalls() if s["call"] in ("waitpid", "wait", "wait4", "waitid")] == []


# README.md's guide for a Vietnamese student or grader: each command it
# gives, run as written at the kit's root (a student's copy: the sample
# submission; the page: a file of tmp_path; the predictions: 3 and 2),
# and the Vietnamese words it must print; none of the English ones.
GUIDE = "## Hướng dẫn bằng tiếng Việt: cho sinh viên và người chấm bài\n"
SAMPLE = "tests/grading/submissions/lab07_wait_once.c"    # fails 4 tests of lab 7: 3 points of 10
SAYS = {
    "make lab6 && ./trace --lang vi lab6": "bài học của lần chạy này:",
    "LANGUAGE=vi ./trace lab6": "bài học của lần chạy này:",
    "./trace --lang vi --predict lab6": "Trước khi chạy: bạn dự đoán điều gì?",
    "./trace --lang vi --html lab6.html lab6": "tác vụ",           # in the page: `lab06: 6 tác vụ`
    "./trace --lang vi --legend": "Cách đọc dòng thời gian",
    "./trace --lang vi --help": "cách dùng:",
    "LANGUAGE=vi /usr/bin/python3 -m pytest -q tests/labs/test_lab07_waitpid_loop.py --submission YOUR_COPY.c "
    "--lab 7": "Yêu cầu, trong",
    f"make grade LAB=7 SUBMISSION={SAMPLE} TRACELAB_LANG=vi": "Điểm: 3/10",
}
# What the guide's prose says works the same way.
ALSO = {"LANGUAGE=vi ./trace --legend": "Cách đọc dòng thời gian", "LANGUAGE=vi ./trace --help": "cách dùng:",
        f"LANGUAGE=vi make grade LAB=7 SUBMISSION={SAMPLE}": "Điểm: 3/10"}
ENGLISH = ("the lesson of this run", "usage:", "How to read", "what do you expect?", "Expected, in", "Score:",
           " tasks,")


def guide_commands(readme):
    """The commands of the guide's code blocks, each comment cut off and
    a line ended by a backslash joined to the next."""
    lines = [line.split("  #")[0].strip() for line in guide(readme).splitlines() if line.startswith("    ")]
    return [" ".join(c.split()) for c in "\n".join(lines).replace("\\\n", " ").splitlines()]


def guide(readme):
    return readme.split(GUIDE, 1)[1].split("\n## ", 1)[0]


def english_words(text):
    return [w for w in ENGLISH if w in text]


def run_as_written(command, tmp_path):
    """command, typed in bash at the kit's root under LANG=C.UTF-8 and no
    other language: what it printed, and the page it wrote."""
    page = tmp_path / "lab6.html"
    typed = command.replace("lab6.html", str(page)).replace("YOUR_COPY.c", SAMPLE)
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env.update(LANG="C.UTF-8", PYTEST_ADDOPTS="-p no:cacheprovider")
    done = subprocess.run(["bash", "-c", typed], cwd=tracelab.REPO, env=env, input="3\n2\n", text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    return done.stdout + (page.read_text(encoding="utf-8") if page.exists() else "")


def test_the_top_readmes_vietnamese_guide_does_what_it_says(tmp_path):
    """README.md, "Hướng dẫn bằng tiếng Việt": every command it gives, and
    those its words stand for (`LANGUAGE=vi` for --help, --legend and
    `make grade`), prints Vietnamese and none of the English; it links
    the glossary, and its autograder command is the one docs/instructors.md
    gives (tests/grading/test_grading_lang.py builds it)."""
    readme = (tracelab.REPO / "README.md").read_text(encoding="utf-8")
    assert guide_commands(readme) == list(SAYS)
    text = guide(readme)
    assert "(docs/glossary.md)" in text and "(labs/lab06-sigchld-wait/README.vi.md)" in text
    assert "`make autograder LAB=7 TRACELAB_LANG=vi`" in text
    assert "`make autograder LAB=7 TRACELAB_LANG=vi`" in (tracelab.REPO / "docs" / "instructors.md").read_text()
    for command, says in {**SAYS, **ALSO}.items():
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        folder.mkdir()
        out = run_as_written(command, folder)
        assert says in out and english_words(out) == [], (command, out[-2000:])


def test_the_guides_check_can_fail():
    """The English words are seen in an English run and its page; a guide
    whose commands changed is seen."""
    assert english_words("Before the run: what do you expect? ...\nthe lesson of this run:") == \
        ["the lesson of this run", "what do you expect?"]
    assert english_words("<text>lab06: 6 tasks, 0.350 s</text>") == [" tasks,"]
    assert english_words("bài học của lần chạy này:\n<text>lab06: 6 tác vụ, 0.350 s</text>") == []
    readme = (tracelab.REPO / "README.md").read_text(encoding="utf-8")
    assert guide_commands(readme.replace("    ./trace --lang vi --legend ", "    ./trace --legend ")) != list(SAYS)
