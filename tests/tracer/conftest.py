"""What the tracer's tests share: the small C programs of
tests/tracer/cli/, built once per test session."""

import subprocess
from pathlib import Path

import pytest

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
