"""tracelab: run the tracer and query what it recorded.

    trace = tracelab.run(["./server"], classes=["process", "wait"])
    trace = tracelab.run(lab="lab7", limits=tracelab.Limits(timeout=10))
    trace.reaps(how="wait"), trace.processes[trace.root].children, ...
"""

from .guard import DEFAULT_LIMITS, Limits, Stopped
from .runner import REPO, TraceError, TracerMissing, run, run_lab, trace_binary
from .trace import (ANY, FORMAT_VERSION, Process, Thread, Trace, TraceFormatError,
                    Zombies, load, where)

__all__ = ["ANY", "DEFAULT_LIMITS", "FORMAT_VERSION", "Limits", "Process", "REPO", "Stopped",
           "Thread", "Trace", "TraceError", "TraceFormatError", "TracerMissing", "Zombies",
           "load", "run", "run_lab", "trace_binary", "where"]
