"""What the tracer's tests share: the small C programs of
tests/tracer/cli/, built once per test session; whether this kernel runs
i386 calls; the tracer they run; and what /proc says of a process (alive,
traced by whom); and English for the tracer, whatever the locale of
whoever runs the tests."""

import subprocess
import time
from pathlib import Path

import pytest

import tracelab
from english import speak_english  # noqa: F401 (a fixture: English, whatever the locale)

CLI = Path(__file__).parent / "cli"


@pytest.fixture(scope="session")
def cli_progs(tmp_path_factory):
    """The folder holding every tests/tracer/cli/*.c, built."""
    out = tmp_path_factory.mktemp("cli")
    for src in CLI.glob("*.c"):
        subprocess.run(["gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", str(out / src.stem),
                        str(src)], check=True)
    return out


@pytest.fixture(scope="session")
def i386_calls(cli_progs):
    """Skip a test of i386 calls (int $0x80) on a kernel that does not run
    them: the oracle is the program run bare, and there it dies. (A kernel
    built without IA32 emulation, or booted with ia32_emulation=0, or some
    virtual machines: seen with SIGSEGV on one.)"""
    bare = subprocess.run([cli_progs / "int80"], capture_output=True, timeout=10)
    if bare.returncode != 0:
        pytest.skip(f"this kernel does not run int $0x80 calls: the test program, run without "
                    f"the tracer, ended with status {bare.returncode}")


@pytest.fixture(scope="session")
def trace_bin():
    """The tracer the tests run ($TRACELAB_TRACE, or ./trace), as a string."""
    return str(tracelab.trace_binary())


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.fixture(scope="session")
def alive():
    """alive(pid): pid exists and is not a zombie, as /proc says (not the
    tracer: the tests check the tracer against it)."""
    return _alive


def _wait_traced(pid, tracer_pid):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with open(f"/proc/{pid}/status") as f:
            if f"TracerPid:\t{tracer_pid}\n" in f.read():
                return
        time.sleep(0.01)
    raise AssertionError(f"{pid} was never traced by {tracer_pid}")


@pytest.fixture(scope="session")
def wait_traced():
    """wait_traced(pid, tracer_pid): wait until /proc says that tracer_pid
    traces pid (the attach has happened); fail after 10 s."""
    return _wait_traced
