"""English for the tracer and the kit in the tests that read their
English sentences (tests/tracer, tests/grading), whatever the locale of
whoever runs them: with LANG=vi_VN.UTF-8 (or LANGUAGE=vi) in the
environment, ./trace and the kit speak Vietnamese and those tests would
fail for no fault of theirs. A conftest.py takes the fixture in with `from english import speak_english`.
Not tests/labs' conftest: a lab's tests speak the grader's language (`make
grade` under LANGUAGE=vi is in Vietnamese); in a whole `make test` the lab
tests run after the grading tests took the variables out, in English, and
pass as they would in Vietnamese (they say their words in either)."""

import os

import pytest

# What chooses the language (tracer/common/lang.c, kit/tracelab/i18n.py):
# LANGUAGE and TRACELAB_LANG name only a language, and go; a locale
# variable may say more (its character set, for every program the tests
# run), so it stays, unless it names a translated language.
LANGUAGE_ONLY = ("LANGUAGE", "TRACELAB_LANG")
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")
TRANSLATED = ("vi",)
ENGLISH_LOCALE = "C.UTF-8"


def _translated(locale):
    return locale.split("_")[0].split(".")[0].split("@")[0] in TRANSLATED


@pytest.fixture(scope="session", autouse=True)
def speak_english():
    """English for the session, the rest of the environment as it was; a
    test of the languages (test_lang.py, test_grading_lang.py) gives each
    run the language it tests."""
    saved = {k: os.environ[k] for k in LANGUAGE_ONLY + LOCALE_VARS if k in os.environ}
    for k in LANGUAGE_ONLY:
        os.environ.pop(k, None)
    for k in LOCALE_VARS:
        if _translated(os.environ.get(k, "")):
            os.environ[k] = ENGLISH_LOCALE
    yield
    for k in LANGUAGE_ONLY + LOCALE_VARS:
        os.environ.pop(k, None)
    os.environ.update(saved)
