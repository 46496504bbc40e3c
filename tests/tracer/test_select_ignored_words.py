"""select()'s fds at or past nfds, which it never looks at: the tracer
names them "ignored" itself. The JSON keeps that key as it is (a program
reads it: args.ignored); the timeline says it in the user's language.

The Vietnamese case needs the merged catalog (po/vi.po): until then the
key reads in English, which this test refuses."""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

import tracelab

PROG = Path(__file__).parent / "cli" / "diag_nfds.c"
# In each language, the key as the timeline writes it, before the fd list.
KEY = {"en": "ignored", "vi": "bị bỏ qua"}


@pytest.fixture(scope="module")
def diag_nfds(tmp_path_factory):
    out = tmp_path_factory.mktemp("nfds") / "diag_nfds"
    subprocess.run(["gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", str(out), str(PROG)], check=True)
    bare = subprocess.run([out], capture_output=True, text=True, timeout=10)
    fd = int(re.search(r"nfds \d+ fd (\d+)", bare.stdout)[1])
    return out, fd


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_ignored_fds_are_named_in_the_language_and_the_json_keeps_its_key(diag_nfds, lang, tmp_path):
    prog, fd = diag_nfds
    js = tmp_path / "run.jsonl"
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "TRACELAB_LANG")}
    run = subprocess.run([str(tracelab.trace_binary()), "--lang", lang, "--color", "never",
                          "--json", str(js), "--", str(prog)],
                         capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    # the call's line with the lines it goes on under, in one (a long one wraps)
    [line] = re.findall(r"select\(nfds=.*?\) = ", " ".join(run.stderr.split()))
    assert f"{KEY[lang]}={{{fd}}}" in line, line
    if lang != "en":
        assert "ignored=" not in line
    calls = [json.loads(l) for l in js.read_text().splitlines()]
    [call] = [c for c in calls if c["type"] == "syscall" and c["call"] == "select"]
    assert call["args"]["ignored"] == [fd]
    assert KEY["vi"] not in js.read_text()
