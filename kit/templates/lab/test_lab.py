"""Lab {{N}}: {{TITLE}}.

Scaffolded by `make new-lab NAME={{NAME}}`: these pass on the template's
echo server; change them with the program. trace_lab() runs this file's
lab ({{PROGRAM}}, from the file name) under the tracer with safe limits;
see docs/instructors.md for the expectations.
"""

import pytest

from tracelab.expect import call, expect


@pytest.mark.points(2)
def test_serves_every_client(trace_lab):
    """the server accepts both clients, and every echo comes back"""
    trace = trace_lab()
    expect(trace).parent.exactly(2, call("accept", err=None))
    done = trace.select("lab", what="load-done")
    assert done and done[0]["exit"] == 0, "the load generator did not get its echoes back"


@pytest.mark.points(1)
def test_listens_before_accepting(trace_lab):
    """listen() comes before the first accept()"""
    expect(trace_lab()).parent.in_order(call("listen"), call("accept"))


@pytest.mark.points(1)
def test_one_process(trace_lab):
    """one process serves everyone: no fork"""
    expect(trace_lab()).never(call("fork"))
