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

# What chooses the language (tracer/common/lang.c, kit/tracelab/i18n.py).
LANGUAGE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "TRACELAB_LANG")


@pytest.fixture(scope="session", autouse=True)
def speak_english():
    """The language variables out of the environment for the session; a
    test of the languages (test_lang.py, test_grading_lang.py) gives each
    run the language it tests."""
    saved = {k: os.environ.pop(k) for k in LANGUAGE_VARS if k in os.environ}
    yield
    os.environ.update(saved)
