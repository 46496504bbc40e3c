"""Every lab's README.vi.md is its README.md in Vietnamese, kept in step:
the same headings at each level, the same `./trace` and `make` commands in
the same order (a Vietnamese README may add `--lang vi` to them: that is
how its quoted lines are printed), the same exercises and the commands in
them, the same pictures (README.vi.md's drawn in Vietnamese: picture.vi.svg
for picture.svg); each README links the other, the top README
links both, and README.vi.md links the glossary once, above its first
section; its exercises are checked in Vietnamese (`./trace --lang vi`,
`LANGUAGE=vi` before pytest); the Vietnamese texts say one word for one
idea (docs/glossary.md); and every timeline and summary line README.vi.md quotes is
printed by real runs of the lab with `--lang vi` (tracelab.quotes, as
test_readme_quotes.py checks the English ones). Not named test_labNN_*:
grading a lab does not run it."""

import re
from collections import Counter
from pathlib import Path

import pytest

import tracelab
from tracelab import scaffold
from tracelab.quotes import RACES, commands, quoted, unseen, unseen_lines, verbose

REPO = Path(tracelab.REPO)
LABS = sorted(p for p in (REPO / "labs").glob("lab*") if (p / "README.md").is_file())
CODE_INDENT = 4                       # a line this far in is a code block's (markdown)
_HEADING = re.compile(r"^(#{1,6}) ")
_INLINE = re.compile(r"`([^`]+)`")
_STARTS = ("./trace ", "make ")
_LANG = re.compile(r" --lang vi\b")   # what a Vietnamese command may add
_COMMENT = re.compile(r"\s+#.*$")
_EXERCISES = re.compile(r"^## (Exercises|Bài tập)\s*$", re.M)
_ITEM = re.compile(r"^\d+\. ", re.M)
_PICTURE = re.compile(r"!\[[^\]]*\]\(([^)\s]*\.svg)\)")
TO_VI = "[README.vi.md](README.vi.md)"
# Letters Vietnamese has and English has not.
VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
TO_EN = "[README.md](README.md)"
TO_GLOSSARY = "(../../docs/glossary.md)"   # from labs/labNN-name/
_PYTEST = re.compile(r"-m\s+pytest\b")
IN_VIETNAMESE = "LANGUAGE=vi "            # what a pytest command starts with in README.vi.md
# Words docs/glossary.md replaces, in every Vietnamese text: the word
# tracelab does not use, and the one it uses instead.
NOT_OURS = {"tập tin": "tệp", "tiếng vọng": "gửi lại (echo)", "tin nhắn": "thông điệp",
            "bài test": "bài kiểm tra", "các test": "các bài kiểm tra"}


def headings(text):
    """How many headings at each level (#, ##, ...), outside code blocks."""
    return Counter(m.group(1) for line in text.splitlines() if (m := _HEADING.match(line)))


def code_spans(text):
    """A code block's lines (each comment cut off), and inline code (a
    span may go over a line break: its paragraph is joined), in order,
    spaces made one."""
    found, prose = [], []

    def flush():
        found.extend(s for s in _INLINE.findall(" ".join(prose)))
        prose.clear()

    for line in text.splitlines():
        if line.strip() and len(line) - len(line.lstrip(" ")) < CODE_INDENT:
            prose.append(line.strip())
            continue
        flush()
        found.append(_COMMENT.sub("", line.strip()))
    flush()
    return [" ".join(c.split()) for c in found]


def command_lines(text):
    """The ./trace and make commands, in order (code_spans that start with
    one), `--lang vi` taken out."""
    return [" ".join(_LANG.sub("", c).split()) for c in code_spans(text) if c.startswith(_STARTS)]


def exercise_section(text):
    parts = _EXERCISES.split(text, 1)
    return re.split(r"^## ", parts[2], 1, flags=re.M)[0] if len(parts) == 3 else ""


def english_checks(vi):
    """The commands of README.vi.md's exercises that would answer in
    English: a ./trace without `--lang vi`, a pytest without
    `LANGUAGE=vi` before it."""
    spans = code_spans(exercise_section(vi))
    return [c for c in spans if c.startswith("./trace ") and not _LANG.search(c)] + \
        [c for c in spans if _PYTEST.search(c) and not c.startswith(IN_VIETNAMESE)]


def words_not_ours(text):
    """The words of NOT_OURS that text uses."""
    return sorted(w for w in NOT_OURS if w in text.lower())


def exercises(text):
    """The exercises section: how many numbered items, and its commands."""
    section = exercise_section(text)
    if not section:
        return 0, []
    return len(_ITEM.findall(section)), command_lines(section)


def pictures(text):
    return _PICTURE.findall(text)


def vi_picture(name):
    """The Vietnamese drawing of picture NAME.svg (`make pictures`)."""
    return name.removesuffix(".svg") + ".vi.svg"


def _pair(lab):
    en = (lab / "README.md").read_text()
    vi_path = lab / "README.vi.md"
    assert vi_path.is_file(), f"{lab.name}/README.vi.md is missing: translate {lab.name}/README.md"
    return en, vi_path.read_text()


def structure_problems(en, vi):
    """How README.vi.md (vi) breaks the structure of README.md (en); []
    if it keeps it."""
    checks = [(headings(vi) == headings(en), "headings per level differ"),
              (command_lines(vi) == command_lines(en), "the ./trace and make commands differ"),
              (exercises(en)[0] > 0, "README.md: no numbered exercise found"),
              (exercises(vi) == exercises(en), "the exercises (count, commands) differ"),
              (pictures(vi) == [vi_picture(p) for p in pictures(en)],
               "the pictures differ (README.vi.md shows each one drawn in Vietnamese, NAME.vi.svg)")]
    return [said for holds, said in checks if not holds]


def link_problems(en, vi):
    """Which of the two READMEs does not link the other; whether
    README.vi.md links the glossary once, before its first section."""
    top = vi.split("\n## ", 1)[0]
    return ([f"README.md does not link {TO_VI}"] if TO_VI not in en else []) + \
        ([f"README.vi.md does not link {TO_EN}"] if TO_EN not in vi else []) + \
        ([f"README.vi.md links the glossary {TO_GLOSSARY} {vi.count(TO_GLOSSARY)} times, not once above its "
          "first section"] if vi.count(TO_GLOSSARY) != 1 or TO_GLOSSARY not in top else [])


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.name)
def test_the_vietnamese_readme_has_the_english_ones_structure(lab):
    en, vi = _pair(lab)
    assert structure_problems(en, vi) == [], lab.name


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.name)
def test_each_readme_links_the_other(lab):
    en, vi = _pair(lab)
    assert link_problems(en, vi) == [], lab.name
    glossary = (lab / TO_GLOSSARY.strip("()")).resolve()
    assert glossary == REPO / "docs" / "glossary.md" and glossary.is_file()


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.name)
def test_the_vietnamese_exercises_are_checked_in_vietnamese(lab):
    """What an exercise of README.vi.md runs to check an answer prints
    Vietnamese: `./trace --lang vi ...`, `LANGUAGE=vi /usr/bin/python3 -m
    pytest ...`."""
    _, vi = _pair(lab)
    assert english_checks(vi) == [], lab.name


def test_the_vietnamese_texts_use_the_glossarys_words():
    """One word for one idea: the Vietnamese READMEs, the docs, the labs'
    lessons (lab.conf) and the catalogs never use a word the glossary
    replaces (`tập tin`: tracelab says `tệp`, as in bộ mô tả tệp)."""
    texts = [*REPO.glob("labs/*/README.vi.md"), *REPO.glob("labs/*/lab.conf"), REPO / "README.md",
             *(p for p in REPO.glob("docs/*.md") if p.name != "glossary.md"), *REPO.glob("po/**/*.po"),
             *REPO.glob("kit/templates/lab/README.vi.md")]
    used = {str(p.relative_to(REPO)): words_not_ours(p.read_text(encoding="utf-8")) for p in texts}
    assert {p: w for p, w in used.items() if w} == {}
    assert len(texts) > 20


def test_a_scaffolded_lab_keeps_the_rules(tmp_path):
    """`make new-lab` writes README.vi.md beside README.md (tracelab.scaffold,
    here into an empty folder): the same structure, each linking the other,
    and the Vietnamese one in Vietnamese."""
    paths = scaffold.create("lab42-prefork", repo=tmp_path)
    folder = tmp_path / "labs" / "lab42-prefork"
    assert folder / "README.vi.md" in paths
    en, vi = (folder / "README.md").read_text(), (folder / "README.vi.md").read_text()
    assert structure_problems(en, vi) == [] and link_problems(en, vi) == []
    assert command_lines(vi) == ["make new-lab", "make lab42 && ./trace lab42", "make test PYTEST_ARGS=tests/labs/"
                                 "test_lab42_prefork.py", "make grade LAB=42 SUBMISSION=path/to/lab42.c",
                                 "./trace lab42"]
    assert "--lang vi" in vi and all(VIETNAMESE_LETTERS.search(h) for h in re.findall(r"^## (.*)", vi, re.M))


def test_the_top_readme_links_every_labs_two_readmes():
    top = (REPO / "README.md").read_text()
    missing = [f"labs/{lab.name}/{name}" for lab in LABS for name in ("README.md", "README.vi.md")
               if f"(labs/{lab.name}/{name})" not in top]
    assert not missing, "README.md does not link: " + ", ".join(missing)


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.name)
def test_every_line_the_vietnamese_readme_quotes_is_printed_by_its_runs(lab):
    _, text = _pair(lab)
    folder, name = lab.name, f"lab{int(lab.name[3:5])}"
    assert quoted(text), f"{folder}/README.vi.md quotes no line of a trace"
    variants = commands(text) or [None]
    plain = [tracelab.run_lab(name, v) for v in variants if (folder, v) not in RACES]
    missing = unseen(text, plain, lang="vi")
    for v in variants:
        for _ in range(RACES.get((folder, v), 0)):
            if not missing:
                break
            missing = unseen_lines(missing, [tracelab.run_lab(name, v)], verbose(text), lang="vi")
    assert not missing, (f"{folder}/README.vi.md quotes lines that no run of {variants} with --lang vi "
                         "prints:\n    " + "\n    ".join(missing))


# A README in Vietnamese, in small: quoted lines of a lab 5 run (another
# run's pids and times), one wrapped as the tracer wraps it, and the lesson.
VI_SAMPLE = """\
## Chạy nó

    ./trace --lang vi lab5

      0.071   22573     lab05    fork() = 0  (trong tiến trình con: đây là tiến trình mới)
      0.083 22569       lab05    <- SIGCHLD từ 22573 (tiến trình con đã thoát 0) -> hành động mặc định:
                                 không có gì chạy; tiến trình con vẫn là zombie cho đến khi được thu dọn
    zombie: 3 bị bỏ sót, 0 được tiến trình cha thu dọn, 0 được hạt nhân tự thu dọn,
      0 mồ côi được nhận nuôi; nhiều nhất 3 cùng lúc
      27862 bị bỏ sót: nó thoát lúc 0.032 s khi tiến trình cha 27859 còn sống, và 27859 kết thúc lúc
      0.048 s mà không gọi wait() cho nó.
    bài học của lần chạy này:
      ...

## Bài tập

1. `make lab5`
"""


def test_the_vietnamese_checks_can_fail():
    """A quoted Vietnamese line is seen in a run rendered in Vietnamese,
    not in English, and not with a word changed; the structure's checks
    see a heading, a command, an exercise or a picture gone."""
    t = tracelab.run_lab("lab5")
    assert [q.split()[-1] for q in quoted(VI_SAMPLE)] == ["mới)", "dọn", "lúc", "nó.", "này:", "..."]
    assert unseen(VI_SAMPLE, [t], lang="vi") == []
    assert len(unseen(VI_SAMPLE, [t], lang="en")) == 5
    for word, instead in [("vẫn là zombie", "đã biến mất"), ("3 cùng lúc", "2 cùng lúc"), ("gọi wait()", "gọi exit()")]:
        assert len(unseen(VI_SAMPLE.replace(word, instead), [t], lang="vi")) == 1, word
    assert commands(VI_SAMPLE) == [None]
    assert command_lines(VI_SAMPLE) == ["./trace lab5", "make lab5"] and exercises(VI_SAMPLE) == (1, ["make lab5"])
    en = (REPO / "labs" / "lab06-sigchld-wait" / "README.md").read_text()
    assert headings(en.replace("\n## Why\n", "\n")) != headings(en)
    assert command_lines(en.replace("    ./trace lab6 restart\n", "")) != command_lines(en)
    assert exercises(en.replace("\n2. Install", "\nInstall"))[0] == exercises(en)[0] - 1
    assert pictures(en) and pictures(en.replace("](picture.svg)", "](other.svg)")) != pictures(en)
    assert structure_problems(en.replace("\n## Why\n", "\n"), en) == ["headings per level differ",
                                                                       "the pictures differ (README.vi.md "
                                                                       "shows each one drawn in Vietnamese, "
                                                                       "NAME.vi.svg)"]
    assert link_problems(en, en) == [f"README.vi.md does not link {TO_EN}",
                                     f"README.vi.md links the glossary {TO_GLOSSARY} 0 times, not once above its "
                                     "first section"]
    vi = (REPO / "labs" / "lab06-sigchld-wait" / "README.vi.md").read_text()
    assert link_problems(en, vi) == [] and english_checks(vi) == []
    assert len(link_problems(en, vi + f"\n[again]{TO_GLOSSARY}\n")) == 1
    moved = vi.replace(TO_GLOSSARY, "(elsewhere)") + f"\n[glossary]{TO_GLOSSARY}\n"
    assert len(link_problems(en, moved)) == 1
    assert english_checks(vi.replace("./trace --lang vi lab6 --verbose", "./trace lab6 --verbose")) == \
        ["./trace lab6 --verbose"]
    assert english_checks(vi.replace("LANGUAGE=vi /usr/bin/python3", "/usr/bin/python3")) == \
        ["/usr/bin/python3 -m pytest -q tests/labs/test_lab07_waitpid_loop.py \\"]
    assert words_not_ours("mở Tập tin run.jsonl") == ["tập tin"] and words_not_ours(vi) == []
