"""The process model's own unit tests (plain C, no ptrace): build and run them."""
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_model_unit_tests_pass():
    subprocess.run(["make", "-s", "--no-print-directory", "unit"], cwd=ROOT, check=True)
    run = subprocess.run([str(ROOT / "build/unit/test_model")], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr + run.stdout
    assert " 0 failed" in run.stdout
