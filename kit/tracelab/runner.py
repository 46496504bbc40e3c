"""Run the tracer (`<repo>/trace`) on a command or a lab and load its trace.

The binary is $TRACELAB_TRACE if set, else the `trace` that `make` builds
at the repository's root.
"""

import os
import signal
import subprocess
import tempfile
from pathlib import Path

from .trace import load

REPO = Path(__file__).resolve().parents[2]


class TracerMissing(FileNotFoundError):
    """There is no tracer binary to run."""


class TraceError(RuntimeError):
    """The tracer ran but left no trace to read."""


def trace_binary():
    return Path(os.environ.get("TRACELAB_TRACE") or REPO / "trace")


def tracer_command(json_path, target, classes=None, timeout=None, quiet=True,
                   options=()):
    """The tracer's command line: `trace --json F [-q] [--timeout T]
    [options...] [--trace C] TARGET`, where TARGET is ["--", argv...] or
    [lab, variant]. Raises TracerMissing when there is no tracer to run."""
    binary = trace_binary()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        raise TracerMissing(f"no tracer at {binary}: run `make` first "
                            f"(or point TRACELAB_TRACE at one)")
    cmd = [str(binary), "--json", str(json_path)]
    if quiet:
        cmd.append("-q")
    if timeout is not None:
        cmd += ["--timeout", str(timeout)]
    cmd += [str(o) for o in options]
    if classes:
        cmd += ["--trace", classes if isinstance(classes, str) else ",".join(classes)]
    return cmd + [str(t) for t in target]


def run(argv, classes=None, timeout=60, json_only=True, env=None, cwd=None,
        extra_args=()):
    """Trace `argv`: `trace --json F [-q] [--trace C] [--timeout T] -- argv`.

    `classes` is a list of call classes or a comma-separated string; `env`
    is added to this process's environment; `extra_args` go before `--`.
    Returns the Trace, with the tracer's `returncode`, `stdout`, `stderr`.
    """
    return _trace(["--", *map(str, argv)], classes, timeout, json_only, env,
                  cwd, extra_args)


def run_lab(name, classes=None, timeout=60, json_only=True, env=None, cwd=None,
            extra_args=()):
    """Trace a lab by name ("lab3"): `trace --json F [...] lab3`."""
    return _trace([name], classes, timeout, json_only, env, cwd, extra_args)


def _trace(target, classes, timeout, json_only, env, cwd, extra_args):
    with tempfile.TemporaryDirectory(prefix="tracelab-") as tmp:
        out = Path(tmp) / "trace.jsonl"
        cmd = tracer_command(out, target, classes, timeout, json_only, extra_args)
        returncode, stdout, stderr = _spawn(cmd, env, cwd, timeout)
        text = out.read_text(encoding="utf-8") if out.exists() else ""
    if not text.strip():
        raise TraceError(f"`{' '.join(cmd)}` wrote no trace (exit {returncode}); "
                         f"its stderr:\n{stderr}")
    trace = load(text.splitlines())
    trace.command, trace.returncode = cmd, returncode
    trace.stdout, trace.stderr = stdout, stderr
    return trace


def _spawn(cmd, env, cwd, timeout):
    """Run the tracer in its own process group, so that if it hangs past
    its own --timeout it goes with everything it started."""
    full_env = None if env is None else {**os.environ, **env}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=full_env, cwd=cwd, start_new_session=True,
                            text=True, errors="replace")
    try:
        stdout, stderr = proc.communicate(timeout=None if timeout is None else timeout + 30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise TraceError(f"`{' '.join(cmd)}` still ran {timeout + 30}s after starting; killed it")
    return proc.returncode, stdout, stderr
