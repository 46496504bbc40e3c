"""tracelab: run the tracer and query what it recorded.

    trace = tracelab.run(["./server"], classes=["process", "wait"])
    trace.reaps(how="wait"), trace.processes[trace.root].children, ...
"""

from .runner import REPO, TraceError, TracerMissing, run, run_lab, trace_binary
from .trace import (ANY, FORMAT_VERSION, Process, Thread, Trace, TraceFormatError,
                    Zombies, load, where)

__all__ = ["ANY", "FORMAT_VERSION", "Process", "REPO", "Thread", "Trace",
           "TraceError", "TraceFormatError", "TracerMissing", "Zombies", "load",
           "run", "run_lab", "trace_binary", "where"]
