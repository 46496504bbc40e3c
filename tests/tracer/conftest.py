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
