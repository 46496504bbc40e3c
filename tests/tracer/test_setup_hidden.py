"""The set-up before a program's main is not the student's code: the hook
marks the start just before main (kit/hook/tlhook.c), so the calls of the
dynamic loader and of the constructors (the lab kit's loads its message
catalog in one) have no line in the beginner's view; --verbose and the
JSON trace keep every one of them. The oracle: the events themselves (the
start marker's place), the program's own calls told apart by their
arguments, and an English run of the same lab beside a Vietnamese one.
"""

import subprocess
from pathlib import Path

import tracelab
from test_view import numbered, replay, trace


def calls(events, name, lo=0, hi=None):
    """Indexes of the calls named name among events[lo:hi]."""
    hi = len(events) if hi is None else hi
    return [i for i in range(lo, hi) if events[i]["type"] == "syscall" and events[i]["name"] == name]


def exec_and_start(events):
    exec_at = next(i for i, e in enumerate(events) if e["type"] == "exec")
    start_at = next(i for i, e in enumerate(events) if e["type"] == "start")
    return exec_at, start_at


def test_a_constructors_calls_are_set_up_and_mains_are_its_own(trace_bin, tmp_path):
    """A constructor's open, read(8), close come before the start marker
    and have no line by default; main's read(16) and close come after it
    and have theirs. --verbose shows both."""
    prog = tmp_path / "ctor_first"
    subprocess.run(["gcc", "-O1", "-o", prog, Path(__file__).parent / "cli" / "ctor_first.c"], check=True)
    _, events, _ = trace(trace_bin, tmp_path, "--trace", "all", "--", prog)
    exec_at, start_at = exec_and_start(events)
    reads = lambda count: [i for i in calls(events, "read") if events[i]["args"].get("count") == count
                           and events[i].get("ret") == 0]
    (setup_read,), (own_read,) = reads(8), reads(16)
    assert exec_at < setup_read < start_at < own_read
    setup_close = calls(events, "close", setup_read, start_at)[0]
    own_close = calls(events, "close", own_read)[0]
    default = numbered(replay(trace_bin, events, "--numbered"))
    verbose = numbered(replay(trace_bin, events, "--numbered", "--verbose"))
    assert setup_read not in default and setup_close not in default
    assert own_read in default and own_close in default
    assert {setup_read, setup_close, own_read, own_close} <= set(verbose)


def test_a_child_forked_in_set_up_hides_its_set_up_until_its_own_start(trace_bin, tmp_path,
                                                                         cli_progs):
    """ctor_fork forks in a constructor: the child's read(8) and close there
    come before its own start marker and have no line by default, as the
    parent's set-up has none; the fork keeps its lines (a new process), and
    both processes' read(16) in main have theirs. --verbose shows all."""
    _, events, _ = trace(trace_bin, tmp_path, "--trace", "all", "--", cli_progs / "ctor_fork")
    (spawn,) = [i for i, e in enumerate(events) if e["type"] == "spawn"]
    child = events[spawn]["child"]
    (child_start,) = [i for i, e in enumerate(events) if e["type"] == "start" and e["pid"] == child]
    of_child = [i for i in calls(events, "read") + calls(events, "close") if events[i]["pid"] == child]
    setup = [i for i in of_child if i < child_start]
    own = [i for i in of_child if i > child_start]
    assert [events[i]["args"].get("count") for i in setup if events[i]["name"] == "read"] == [8]
    assert len(setup) == 2 and len(own) == 2
    mains = [i for i in calls(events, "read") if events[i]["args"].get("count") == 16]
    assert {events[i]["pid"] for i in mains} == {events[0]["pid"], child}
    default = numbered(replay(trace_bin, events, "--numbered"))
    verbose = numbered(replay(trace_bin, events, "--numbered", "--verbose"))
    assert [i for i in setup if i in default] == []
    assert spawn in default and all(i in default for i in own + mains)
    assert all(i in verbose for i in setup + own + mains)


def setup_closes(trace_bin, tmp_path, lang):
    """A lab 7 run in lang: (what the lab printed, the closes between its exec and
    its start, the first close after it, the beginner's and the verbose
    view)."""
    _, events, printed = trace(trace_bin, tmp_path, "--lang", lang, "--trace", "all", "lab7", name=lang)
    exec_at, start_at = exec_and_start(events)
    setup = calls(events, "close", exec_at, start_at)
    first_own = calls(events, "close", start_at)[0]
    return (printed, setup, first_own, numbered(replay(trace_bin, events, "--numbered")),
            numbered(replay(trace_bin, events, "--numbered", "--verbose")))


def test_the_labs_catalog_is_loaded_in_set_up_and_not_shown(trace_bin, tmp_path):
    """In Vietnamese, lab 7 loads its catalog (po/labs/) before main: more
    closes before the start marker than in English, in the JSON and under
    --verbose, none of them in the beginner's view; the lab's own first
    close after it is shown in both languages."""
    en_said, en_setup, en_own, en_default, _ = setup_closes(trace_bin, tmp_path, "en")
    vi_said, vi_setup, vi_own, vi_default, vi_verbose = setup_closes(trace_bin, tmp_path, "vi")
    assert len(vi_setup) > len(en_setup) > 0
    assert [i for i in vi_setup if i in vi_default] == [] == [i for i in en_setup if i in en_default]
    assert all(i in vi_verbose for i in vi_setup)
    assert vi_own in vi_default and en_own in en_default
    # the set-up was the catalog's: the lab speaks Vietnamese after it
    assert "được phục vụ bởi tiến trình con" in vi_said and "served by child" not in vi_said
    assert "served by child" in en_said


SETUP = "the set-up before main"
WHO = "the loader's and the constructors' calls"


def words(text):
    return " ".join(text.split())


def said_by(trace_bin, *args):
    run = subprocess.run([trace_bin, *args], capture_output=True, text=True, timeout=10)
    assert run.returncode == 0, run.stderr
    return words(run.stdout)


def test_the_legend_help_and_docs_say_the_same_of_the_set_up(trace_bin):
    """What the beginner's view hides, in the same words everywhere: the
    legend, --help (its --verbose line and its short legend), the trace
    format's document and the glossary, in English and in Vietnamese."""
    legend = said_by(trace_bin, "--lang", "en", "--legend")
    assert f"Shown only with --verbose - {SETUP}: {WHO}" in legend
    helped = said_by(trace_bin, "--lang", "en", "--help")
    assert f"--verbose, -v the expert's timeline: also {SETUP} ({WHO})" in helped
    assert f"By default {SETUP} ({WHO})" in helped and "are left out: --verbose shows them" in helped
    docs = words((tracelab.REPO / "docs" / "trace-format.md").read_text())
    assert f"hides {SETUP}: {WHO}" in docs and f"leaves out {SETUP} ({WHO})" in docs
    glossary = (tracelab.REPO / "docs" / "glossary.md").read_text()
    assert "| set-up before main | phần chuẩn bị trước main |" in glossary
    assert "| constructor | hàm khởi tạo |" in glossary
    vi_legend = said_by(trace_bin, "--lang", "vi", "--legend")
    assert "Chỉ hiện với --verbose - phần chuẩn bị trước main: các lời gọi của trình nạp và của các hàm " \
           "khởi tạo" in vi_legend
    vi_help = said_by(trace_bin, "--lang", "vi", "--help")
    assert "--verbose, -v dòng thời gian của chuyên gia: thêm phần chuẩn bị trước main (các lời gọi của " \
           "trình nạp và của các hàm khởi tạo)" in vi_help
    assert "Mặc định, phần chuẩn bị trước main (các lời gọi của trình nạp và của các hàm khởi tạo)" in vi_help
