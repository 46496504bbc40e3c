"""Grading a submission (--submission): build it once the tests are known,
leave out the tests of other labs, and fail every test with the compiler's
words when it does not build."""

from pathlib import Path

import pytest

from .. import submission as _sub
from ..i18n import _
from .state import session_of


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    state = session_of(config)
    state.prepare(items)
    _keep_the_graded_labs(state, config, items)


def _keep_the_graded_labs(state, config, items):
    """Grading lab 7: a test file named for another lab (test_lab06_...)
    would test the kit's own program, not the student's; leave it out."""
    if not state.submission:
        return
    if state.build is not None and state.build.labs:
        wanted = {_sub.lab_number(b.lab) for b in state.build.labs}
    elif state.lab is not None:
        wanted = {_sub.lab_number(state.lab)}
    else:
        return
    keep, drop = [], []
    for item in items:
        num = _sub.lab_number(Path(str(item.fspath)).name)
        (drop if num is not None and num not in wanted else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_runtest_setup(item):
    state = session_of(item.config)
    if state.build_error:
        pytest.fail(state.build_error + "\n\n" + _("Every test scores zero."), pytrace=False)
