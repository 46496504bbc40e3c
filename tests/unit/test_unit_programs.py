"""The tracer's other C unit tests (plain C, built by make unit): each
program runs its checks and ends with "N checks, 0 failed"."""
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built():
    subprocess.run(["make", "-s", "--no-print-directory", "unit"], cwd=ROOT, check=True)


@pytest.mark.parametrize("program, args", [
    ("test_lang", [str(ROOT)]),
])
def test_unit_program_passes(built, program, args):
    run = subprocess.run([str(ROOT / "build/unit" / program), *args], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr + run.stdout
    assert run.stdout.endswith(" 0 failed\n") and not run.stdout.startswith("0 checks")
