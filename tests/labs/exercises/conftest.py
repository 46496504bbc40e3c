"""The exercises' tests check the kit's own labs against worked solutions:
a session that grades a submission (--submission, --gradescope,
--score-table) leaves them out, so they neither run as the student nor
count in a score."""

from pathlib import Path

from tracelab.plugin.state import session_of

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    if not session_of(config).grading:
        return
    mine = [it for it in items if HERE in Path(str(it.fspath)).resolve().parents]
    if mine:
        config.hook.pytest_deselected(items=mine)
        items[:] = [it for it in items if it not in mine]
