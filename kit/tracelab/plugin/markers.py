"""The plugin's markers: @pytest.mark.points(n) (what a test is worth),
@pytest.mark.hidden (Gradescope visibility), @pytest.mark.repeat(n) (every
one of n runs must pass). Checked at collection; points and visibility go
to the item's stash for scoring, and with --points-json to a file."""

import json
from pathlib import Path

import pytest

from ..i18n import _
from .options import VISIBILITIES
from .state import ITEM_INFO


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): what the test is worth in the score (default 1)")
    config.addinivalue_line("markers", "hidden(visibility=None): a test students see only once "
                            "grades are published (Gradescope visibility)")
    config.addinivalue_line("markers", "repeat(n): run the test n times; every run must pass")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    for item in items:
        points = item.get_closest_marker("points")
        hidden = item.get_closest_marker("hidden")
        repeat = item.get_closest_marker("repeat")
        if points is not None and (not points.args or not isinstance(points.args[0], (int, float))):
            raise pytest.UsageError(f"{item.nodeid}: use @pytest.mark.points(N) with a number")
        if repeat is not None and (not repeat.args or not isinstance(repeat.args[0], int)
                                   or repeat.args[0] < 1):
            raise pytest.UsageError(f"{item.nodeid}: use @pytest.mark.repeat(N) with N >= 1")
        vis = None
        if hidden is not None:
            vis = (hidden.args[0] if hidden.args else hidden.kwargs.get("visibility")) \
                or config.option.hidden_visibility
            if vis not in VISIBILITIES:
                raise pytest.UsageError(f"{item.nodeid}: hidden visibility is one of "
                                        f"{', '.join(VISIBILITIES)}, not {vis!r}")
        item.stash[ITEM_INFO] = {"points": points.args[0] if points else 1, "visibility": vis}


def pytest_collection_finish(session):
    """--points-json PATH: each test that will run, and what it is worth."""
    path = session.config.option.points_json
    if path:
        worth = {item.nodeid: item.stash[ITEM_INFO]["points"] for item in session.items
                 if ITEM_INFO in item.stash}
        Path(path).write_text(json.dumps(worth, indent=1) + "\n")


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """repeat(n): call the test n times; the first failing run fails it,
    saying which run it was."""
    marker = pyfuncitem.get_closest_marker("repeat")
    if marker is None or marker.args[0] == 1:
        return None
    n = marker.args[0]
    fn = pyfuncitem.obj
    args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    for i in range(1, n + 1):
        try:
            fn(**args)
        except BaseException as e:
            note = _("(run {i} of {n}; every run must pass) ").format(i=i, n=n)
            if isinstance(e, pytest.fail.Exception):
                e.msg = note + e.msg
            elif e.args and isinstance(e.args[0], str):
                e.args = (note + e.args[0],) + e.args[1:]
            raise
    return True
