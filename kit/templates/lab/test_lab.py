"""Lab {{N}}: {{TITLE}}.

Scaffolded by `make new-lab NAME={{NAME}}`: these pass on the template's
echo server; change them with the program. trace_lab() runs this file's
lab ({{PROGRAM}}, from the file name) under the tracer with safe limits;
see docs/instructors.md for the expectations.
"""

import pytest

from tracelab.expect import call, expect, load_done


@pytest.mark.points(2)
def test_serves_every_client(trace_lab):
    """the server accepts both clients, and every echo comes back

    vi: Máy chủ nhận cả hai máy khách, và mọi echo đều quay về"""
    e = expect(trace_lab())
    e.parent.exactly(2, call("accept", err=None))
    e.does(load_done(exit=0))


@pytest.mark.points(1)
def test_listens_before_accepting(trace_lab):
    """listen() comes before the first accept()

    vi: listen() đến trước accept() đầu tiên"""
    expect(trace_lab()).parent.in_order(call("listen"), call("accept"))


@pytest.mark.points(1)
def test_one_process(trace_lab):
    """one process serves everyone: no fork

    vi: Một tiến trình phục vụ mọi máy khách, không có fork"""
    expect(trace_lab()).never(call("fork"))
