"""Each of ./trace's one-line errors fits in 100 columns, in English and
in Vietnamese: no argument, --predict of a lab with no questions, the
misuses of --replay and -o, a replayed file that cannot be read or is not
a trace (each reason the reader gives), and a file that cannot be written.
The names in them are short, as a student types them: run.jsonl in the
current folder (each replayed file in a folder of its own). Columns are
characters, not bytes (a Vietnamese letter is two or three bytes of
UTF-8, and one column); a combining mark takes none. The Vietnamese line
must differ from the English one: translated, not left in English."""

import subprocess
import unicodedata

import pytest

import tracelab

WIDTH = 100
TRACE = str(tracelab.trace_binary())

# A replayed file's content -> what makes it no trace (each reason of
# tracer/event/json_read.c, then an empty file and one cut short).
REPLAYED = {
    "not json at all\n": "not a trace line",
    '{"type":"exit","t":1,"pid":1,"tid":1,"a":"never closed\n': "string is not closed",
    '{"type":"exit","t":1,"pid":1,"tid":1,"a":"\\uZZ"}\n': "escape",
    '{"type":"exit","t":1,"pid":1,"tid":1,"a":"\\q"}\n': "escape",
    '{"type":"exit","t":1,"pid":1,"tid":1,"a":1.5}\n': "kind",
    '{"type":"exit","t":1,"pid":1,"tid":1,"a":' + "[" * 40 + "\n": "too deep",
    '{"type":"exit","t":1,"pid":1,"tid":1} x\n': "more after",
    '{"type":"nope","t":1,"pid":1,"tid":1}\n': 'no known "type"',
    '{"type":"exit","t":1}\n': '"tid"',
    '{"t":1,"type":"exit","pid":1,"tid":1}\n': "not first",
    '{"type":"trace","t":0,"pid":1,"tid":1,"version":2}\n': "version is not 1",
    "\n": "holds no events",
    '{"type":"trace","t":0,"pid":1,"tid":1,"version":1,"argv":["x"],"name":"x"}\n': "ends without its summary",
}

# (args, words of the English line, the subfolder it runs in or "")
ERRORS = [(args, words, "") for args, words in [
    ([], "nothing to trace"),
    (["lab12", "--predict"], "has no questions to predict"),
    (["--replay"], "--replay needs a file"),
    (["--replay", "run.jsonl", "--", "true"], "give no command"),
    (["--replay", "run.jsonl", "--timeout", "3"], "--replay takes only"),
    (["-o"], "-o needs a file name"),
    (["--replay", "none.jsonl"], "cannot read none.jsonl"),
    (["-o", "no/t.txt", "--", "true"], "cannot write no/t.txt"),
    (["-q", "-o", "/dev/full", "--", "true"], "cannot write /dev/full"),
] + [(["-q", "-o", "/dev/null", option, "/dev/full", "--", "true"], "cannot write /dev/full")
     for option in ("--json", "--perfetto", "--svg", "--html")]
] + [(["-q", "--replay", "run.jsonl"], words, str(i)) for i, words in enumerate(REPLAYED.values())]


def columns(line):
    return sum(not unicodedata.combining(c) for c in line)


def error_line(args, lang, folder):
    """The one line of ./trace --lang LANG ARGS that says what went wrong."""
    run = subprocess.run([TRACE, "--lang", lang, *args], capture_output=True, text=True, timeout=60,
                         cwd=folder, stdin=subprocess.DEVNULL)
    assert run.returncode in (1, 2), run.stderr
    lines = [line for line in run.stderr.splitlines() if line.startswith("trace: ")]
    assert len(lines) == 1, run.stderr
    return lines[0]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A folder holding the replayed files, where ./trace runs."""
    path = tmp_path_factory.mktemp("errors")
    for i, content in enumerate(REPLAYED):
        (path / str(i)).mkdir()
        (path / str(i) / "run.jsonl").write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("args, words, where", ERRORS,
                         ids=[" ".join(args + ([f"({where})"] if where else [])) or "no argument"
                              for args, _, where in ERRORS])
def test_each_error_is_one_line_of_at_most_100_columns_in_both_languages(args, words, where, folder):
    english = error_line(args, "en", folder / where)
    assert words in english
    vietnamese = error_line(args, "vi", folder / where)
    assert vietnamese != english, "left in English"
    wide = [(columns(line), line) for line in (english, vietnamese) if columns(line) > WIDTH]
    assert wide == [], f"over {WIDTH} columns: {wide}"


def test_columns_are_characters_not_bytes():
    line = "trace: không có gì để theo vết"
    assert columns(line) == 30 < len(line.encode())
    assert columns(unicodedata.normalize("NFD", line)) == 30


@pytest.mark.parametrize("page", ["--help", "--legend", "--list"])
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_help_legend_and_list_fit_in_100_columns(page, lang):
    """The pages a beginner reads first keep to the same width, every line."""
    done = subprocess.run([TRACE, "--lang", lang, page], capture_output=True, text=True, timeout=60)
    lines = (done.stdout + done.stderr).splitlines()
    assert len(lines) > 5, lines
    wide = [(columns(line), line) for line in lines if columns(line) > WIDTH]
    assert wide == [], f"over {WIDTH} columns: {wide}"
