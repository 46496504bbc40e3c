"""The expert's view in Vietnamese (./trace --verbose --lang vi): every
sentence word is Vietnamese, as in the beginner's view, while the names a
C programmer reads stay as C writes them (CLD_EXITED, WNOHANG, [wait4],
SA_RESTORER, fd=, status=). English stays as it was.

The checker can fail: run on the English view of the same runs, it finds
the English words, the expert's own among them (status=exited, CLD_EXITED:
child exited)."""

import json
import re
import subprocess

import pytest

import tracelab

# English sentence words of the timeline and summary, the expert's view's
# own first: a wait status and a SIGCHLD's child status in the kernel's
# words, then the beginner's view's.
VERBOSE_ENGLISH = ["status=exited", "status=signaled", "status=stopped", "status=continued",
                   "child exited", "child signaled", "child stopped", "child continued"]
ENGLISH = VERBOSE_ENGLISH + [
    "(new process)", "new thread", "this is the new process", "is a zombie now", "== summary ==",
    "signals delivered", "the lesson of this run", "what went wrong", "exited with code", "<blocked",
    "<took", "killed by", "the load generator", "the server is ready", "the lab is over", "library call",
    "it returned", "any child", "processes:", "zombies:", "reaped", "leaked", "runs the handler",
    "default action", "sent by", "interrupted by", "how to read this", "a function", "the tracer holds"]
# What the expert's view keeps as C writes it, in every language.
C_NAMES = ["CLD_EXITED: ", "options=WNOHANG", "[wait4]", "[clone ", "SA_RESTORER", "fd=", "count="]
# Lines the traced programs and the load generator printed themselves.
PROGRAM_TEXT = re.compile(r"^(?:\d+\t)?(?:lab\d\d\[\d+\]|loadgen): ")
# Lab 6 (SIGCHLD, wait(), held signals, leaked zombies), 7 (waitpid loop),
# 10 (a child killed by SIGSEGV), 4 (SIGIO's si_codes).
LABS = ["lab6", "lab7", "lab10", "lab4"]


def trace(*args):
    run = subprocess.run([str(tracelab.trace_binary()), *args], capture_output=True, text=True, timeout=120,
                         stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stderr
    return run


def tracer_words(text):
    """The tracer's lines in one line, without what the programs printed."""
    return " ".join(" ".join(line for line in text.splitlines() if not PROGRAM_TEXT.match(line)).split())


def english_in(text):
    words = tracer_words(text)
    return [w for w in ENGLISH if w in words]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """{lab: (the live --verbose --lang vi view, its JSON Lines path)}."""
    d = tmp_path_factory.mktemp("verbose-vi")
    out = {}
    for lab in LABS:
        view, js = d / f"{lab}.txt", d / f"{lab}.jsonl"
        trace("--verbose", "--lang", "vi", "--color", "never", "-o", str(view), "--json", str(js), lab)
        out[lab] = view.read_text(encoding="utf-8"), js
    return out


@pytest.mark.parametrize("lab", LABS)
def test_the_verbose_view_of_a_lab_has_no_english_sentence_word(runs, lab):
    text, _ = runs[lab]
    assert english_in(text) == [], tracer_words(text)[-3000:]
    assert "== tóm tắt ==" in text


def test_the_verbose_view_keeps_the_c_names(runs):
    words = " ".join(tracer_words(text) for text, _ in runs.values())
    assert [c for c in C_NAMES if c not in words] == []
    # a SIGCHLD's si_code, then the child's status in Vietnamese, as the JSON says it
    assert re.search(r"\(CLD_EXITED: tiến trình con đã thoát \d+\)", words), words[-2000:]
    assert re.search(r"\(CLD_KILLED: tiến trình con bị SIGSEGV giết\)", words), words[-2000:]
    assert re.search(r"-> status=đã thoát \d+", words) and "status=bị SIGSEGV giết" in words


@pytest.mark.parametrize("flags", [["--verbose"], ["--verbose", "--numbered"]])
def test_a_replay_in_either_language_and_the_checker_can_fail(runs, flags):
    """A replay of the same runs in Vietnamese has no English word; in
    English, the checker finds the expert's English words."""
    vi = en = ""
    for _, js in runs.values():
        vi += trace("--replay", str(js), "--lang", "vi", "--color", "never", *flags).stderr
        en += trace("--replay", str(js), "--lang", "en", "--color", "never", *flags).stderr
    assert english_in(vi) == []
    found = english_in(en)
    assert {"status=exited", "child exited", "child signaled", "status=signaled", "== summary =="} <= set(found)


def test_english_says_the_kernel_words_as_before(runs):
    """--lang en: "(CLD_EXITED: child exited 0)", "status=exited 0", as the
    JSON's child_status and out.status say."""
    _, js = runs["lab10"]
    events = [json.loads(line) for line in js.read_text().splitlines()]
    en = tracer_words(trace("--replay", str(js), "--lang", "en", "--verbose", "--color", "never").stderr)
    for e in events:
        st = e.get("child_status")
        if e["type"] == "signal" and st and "exited" in st:
            assert f"<- SIGCHLD from {e['sender']} (CLD_EXITED: child exited {st['exited']})" in en
        if e["type"] == "signal" and st and "signaled" in st:
            assert f"<- SIGCHLD from {e['sender']} (CLD_KILLED: child signaled {st['signaled']})" in en
        out = (e.get("out") or {}).get("status") if e["type"] == "syscall" else None
        if out and "exited" in out:
            assert f"= {e['ret']} -> status=exited {out['exited']}" in en


def test_a_core_dump_and_a_stop_in_both_languages(runs, tmp_path, cli_progs):
    """The rarer statuses: a child that dumped core (lab 10's crash, its
    status marked so), one stopped and continued (tests/tracer/cli/stop_cont)."""
    _, js = runs["lab10"]
    core = tmp_path / "core.jsonl"
    core.write_text(js.read_text().replace('"signaled":"SIGSEGV","core":false', '"signaled":"SIGSEGV","core":true'))
    stop = tmp_path / "stop.jsonl"
    trace("-q", "--json", str(stop), "--", str(cli_progs / "stop_cont"))

    def view(path, lang):
        return tracer_words(trace("--replay", str(path), "--lang", lang, "--verbose", "--color", "never").stderr)
    en, vi = view(core, "en"), view(core, "vi")
    assert "(CLD_KILLED: child signaled SIGSEGV core)" in en and "status=signaled SIGSEGV core" in en
    assert "(CLD_KILLED: tiến trình con bị SIGSEGV giết, ghi core dump)" in vi
    assert "status=bị SIGSEGV giết, ghi core dump" in vi
    en, vi = view(stop, "en"), view(stop, "vi")
    assert "(CLD_STOPPED: child stopped SIGSTOP)" in en and "(CLD_CONTINUED: child continued)" in en
    assert "(CLD_STOPPED: tiến trình con bị SIGSTOP dừng)" in vi
    assert "(CLD_CONTINUED: tiến trình con chạy tiếp)" in vi
    assert english_in(vi) == []
