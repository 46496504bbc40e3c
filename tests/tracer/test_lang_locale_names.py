"""--lang takes what a locale names (vi_VN, vi_VN.UTF-8, VI, en_US): the
language code in it, in any case, is chosen, and only that code is handed
to the programs ./trace starts (TRACELAB_LANG=vi, never vi_VN). A name
with no catalog (fr, fr_FR) keeps the one-line error.

The legend's first line tells the languages apart: the English one is
the sentence as written, so this holds without the merged catalog; the
Vietnamese one needs the catalog built (make)."""

import os
import subprocess

import pytest

import tracelab

ENGLISH_TITLE = "How to read the timeline of ./trace"


def trace(*args):
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "TRACELAB_LANG")}
    return subprocess.run([str(tracelab.trace_binary()), *args], capture_output=True, text=True,
                          env=env, timeout=60)


def legend_title(lang):
    run = trace("--lang", lang, "--legend")
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()[0]


@pytest.mark.parametrize("name", ["vi_VN", "vi_VN.UTF-8", "VI", "Vi_vn.utf8", "vi@latin"])
def test_a_vietnamese_locale_name_means_vietnamese(name):
    assert legend_title(name) == legend_title("vi") != ENGLISH_TITLE


@pytest.mark.parametrize("name", ["en_US", "en_GB.UTF-8", "EN"])
def test_an_english_locale_name_means_english(name):
    assert legend_title(name) == ENGLISH_TITLE


@pytest.mark.parametrize("name", ["fr", "fr_FR.UTF-8", "vie", "v", ""])
def test_a_language_with_no_catalog_is_refused_in_one_line(name):
    run = trace("--lang", name, "lab6")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == f"trace: --lang takes en, vi, not '{name}'\n"


@pytest.mark.parametrize("name,code", [("vi_VN.UTF-8", "vi"), ("VI", "vi"), ("en_US", "en")])
def test_the_programs_it_starts_get_the_code_only(name, code, tmp_path):
    seen = tmp_path / "seen"
    run = trace("--lang", name, "-q", "-o", os.devnull, "--",
                "/bin/sh", "-c", f'printf %s "$TRACELAB_LANG" > {seen}')
    assert run.returncode == 0, run.stderr
    assert seen.read_text() == code
