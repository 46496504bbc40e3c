"""The labs' and the load generator's own lines in the student's language:
labkit's say() and fatal() and kit/loadgen translate their sentences
through po/labs/vi.po (the "tracelab-labs" domain), chosen by TRACELAB_LANG,
which ./trace sets to the language it chose, else by the environment, on a
machine with only C.UTF-8; English stays the default, line for line the
sentences of the sources. The oracle for what a lab may print: the fresh
template of the sources (`make labs-pot`) and the catalog.
"""

import os
import re
import signal
import subprocess

import pytest

import tracelab
from tracelab.said import pattern

REPO = tracelab.REPO
LOADGEN = REPO / "kit" / "loadgen" / "loadgen"
LAB05 = REPO / "labs" / "lab05-fork-per-client" / "lab05"
LAB12 = REPO / "labs" / "lab12-mutex-counter" / "lab12"
# A line a lab printed: labNN[pid]: its sentence.
LAB_LINE = re.compile(r"^(lab\d\d)\[\d+\]: (.*)$", re.M)
# What lab 6 always says, in each language; each list must not be in the
# other language's lines.
VIETNAMESE = ["đang lắng nghe trên 127.0.0.1:", "(tcp)", "máy khách 1: được phục vụ bởi tiến trình con"]
ENGLISH = ["listening on", "client ", "served by child", "interrupted by a signal", ": again"]
# Letters Vietnamese has and English has not.
VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def base_env(**more):
    """The environment with no language in it but LANG=C.UTF-8, then more."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "TRACELAB_LANG", "TRACELAB_LOCALEDIR")}
    return {"LANG": "C.UTF-8", **env, **more}


def lab_lines(*args, env):
    """./trace ARGS lab6: the sentences lab 6 printed (its stdout; the
    tracer's own text goes to /dev/null)."""
    run = subprocess.run([str(tracelab.trace_binary()), "-o", "/dev/null", *args, "lab6"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    said = [text for _lab, text in LAB_LINE.findall(run.stdout)]
    assert len(said) >= 6, run.stdout
    return said


def msgids():
    """{msgid: msgstr} of po/labs/vi.po."""
    out = {}
    text = (REPO / "po" / "labs" / "vi.po").read_text(encoding="utf-8")
    for mid, mstr in re.findall(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', text, re.M):
        join = lambda block: "".join(re.findall(r'"(.*)"', block)).replace('\\"', '"').replace("\\n", "\n")
        if join(mid):
            out[join(mid)] = join(mstr)
    return out


def matches(line, formats):
    return any(pattern(f)[0].fullmatch(line) for f in formats)


def assert_vietnamese(said):
    text = "\n".join(said)
    missing = [w for w in VIETNAMESE if w not in text]
    english = [w for w in ENGLISH if w in text]
    assert not missing and not english, f"missing: {missing}; English: {english}\n{text}"
    catalog = msgids()
    assert all(matches(line, catalog.values()) for line in said), said


def assert_english(said):
    assert all(w in "\n".join(said) for w in ("listening on", "served by child")), said
    assert not any(VIETNAMESE_LETTERS.search(line) for line in said), said
    # each line is a sentence of the sources as written
    assert all(matches(line, msgids().keys()) for line in said), said


@pytest.mark.parametrize("how", ["--lang vi", "LANGUAGE=vi", "LANG=vi_VN.UTF-8"])
def test_a_labs_own_lines_are_vietnamese(how):
    """--lang vi, LANGUAGE=vi, or LANG=vi_VN.UTF-8 (not a generated locale):
    every line lab 6 prints is a sentence of the catalog, none English."""
    if how == "--lang vi":
        said = lab_lines("--lang", "vi", env=base_env())
    elif how == "LANGUAGE=vi":
        said = lab_lines(env=base_env(LANGUAGE="vi"))
    else:
        said = lab_lines(env={"PATH": os.environ["PATH"], "LANG": "vi_VN.UTF-8"})
    assert_vietnamese(said)


def test_english_is_the_default_and_lang_en_wins():
    """No language asked: English. --lang en under LANGUAGE=vi: English too
    (the tracer's choice reaches the lab as TRACELAB_LANG)."""
    assert_english(lab_lines(env=base_env()))
    assert_english(lab_lines("--lang", "en", env=base_env(LANGUAGE="vi")))


def test_the_checks_can_fail():
    """English lines fail the Vietnamese check, and Vietnamese the English."""
    english, vietnamese = lab_lines(env=base_env()), lab_lines("--lang", "vi", env=base_env())
    with pytest.raises(AssertionError):
        assert_vietnamese(english)
    with pytest.raises(AssertionError):
        assert_english(vietnamese)


def test_the_tracer_hands_its_choice_to_the_program():
    """TRACELAB_LANG is the language the tracer chose; TRACELAB_LOCALEDIR
    where its catalogs are."""
    for args, env, lang in ((["--lang", "vi"], base_env(), "vi"), ([], base_env(LANGUAGE="vi"), "vi"),
                            (["--lang", "en"], base_env(LANGUAGE="vi"), "en"), ([], base_env(), "en")):
        run = subprocess.run([str(tracelab.trace_binary()), "-q", "-o", "/dev/null", *args, "--",
                              "/bin/sh", "-c", 'echo "$TRACELAB_LANG $TRACELAB_LOCALEDIR"'],
                             capture_output=True, text=True, env=env, timeout=60)
        assert run.stdout == f"{lang} {REPO / 'build' / 'locale'}\n", (args, run.stdout, run.stderr)


def first_line(argv, env):
    """A server's first line, then SIGTERM."""
    server = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)
    try:
        return server.stdout.readline()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
        server.stdout.close()


def test_a_lab_run_alone_honours_the_environment():
    """Outside ./trace, a lab reads the same variables: TRACELAB_LANG over
    LANGUAGE; fatal()'s sentences too; die()'s C names and strerror stay."""
    vi = first_line([LAB05, "0"], base_env(LANGUAGE="vi"))
    assert re.fullmatch(r"lab05\[\d+\]: đang lắng nghe trên 127\.0\.0\.1:\d+ \(tcp\)\n", vi), vi
    en = first_line([LAB05, "0"], base_env(LANGUAGE="vi", TRACELAB_LANG="en"))
    assert re.fullmatch(r"lab05\[\d+\]: listening on 127\.0\.0\.1:\d+ \(tcp\)\n", en), en
    bad = subprocess.run([LAB12, "sometimes"], capture_output=True, text=True, env=base_env(TRACELAB_LANG="vi"))
    assert (bad.returncode, bad.stderr) == (1, "lab12: cách dùng: lab12 nolock|mutex\n")
    bad = subprocess.run([LAB12, "sometimes"], capture_output=True, text=True, env=base_env())
    assert (bad.returncode, bad.stderr) == (1, "lab12: usage: lab12 nolock|mutex\n")


def closed_port():
    """A loopback port nothing listens on (bound, never listened)."""
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    return s, s.getsockname()[1]


@pytest.mark.parametrize("lang, says", [
    ("vi", r"loadgen: máy khách 1: kết nối tới 127\.0\.0\.1:\d+: Connection refused\n"),
    ("en", r"loadgen: client 1: connect to 127\.0\.0\.1:\d+: Connection refused\n")])
def test_the_load_generators_lines(lang, says):
    """The load generator's failure in each language (strerror's text as
    the C library gives it), and its option errors."""
    sock, port = closed_port()
    with sock:
        run = subprocess.run([LOADGEN, "--port", str(port), "--clients", "1"], capture_output=True,
                             text=True, env=base_env(TRACELAB_LANG=lang), timeout=60)
    assert run.returncode == 1 and re.fullmatch(says, run.stderr), run.stderr
    run = subprocess.run([LOADGEN, "--port", "1", "--clients", "0"], capture_output=True, text=True,
                         env=base_env(TRACELAB_LANG=lang), timeout=60)
    assert run.stderr == {"vi": "loadgen: --clients cần một số từ 1 đến 1000, không phải '0'\n",
                          "en": "loadgen: --clients wants a number from 1 to 1000, not '0'\n"}[lang]


@pytest.mark.parametrize("readme, lang", [("README.vi.md", "vi"), ("README.md", "en")])
def test_the_readmes_quote_the_labs_lines_in_their_language(readme, lang):
    """A README's quoted lab lines (indented `labNN[pid]: ...`) are the
    catalog's sentences in its language."""
    catalog = msgids()
    formats = catalog.values() if lang == "vi" else catalog.keys()
    quoted = [m.group(1) for path in sorted(REPO.glob(f"labs/lab*/{readme}"))
              for m in re.finditer(r"^ {4}lab\d\d\[\d+\]: (.*)$", path.read_text(encoding="utf-8"), re.M)]
    assert len(quoted) >= 8
    assert [q for q in quoted if not matches(q, formats)] == []
