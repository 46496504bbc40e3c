"""The tracer's other C unit tests (plain C, built by make unit): each
program runs its checks and ends with "N checks, 0 failed"."""
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

# A short run with a bit of everything the Perfetto writer and the
# picture draw: select, poll and epoll (with an fd taken off the interest
# list), forks, an exit code, signals with a handler, a thread, reaps.
EVERYTHING = r"""
import os, select, signal, threading
signal.signal(signal.SIGUSR1, lambda *a: None)
r, w = os.pipe()
os.write(w, b"x")
select.select([r], [w], [], 0)
p = select.poll(); p.register(r, select.POLLIN); p.poll(0)
ep = select.epoll(); ep.register(r, select.EPOLLIN); ep.register(w, select.EPOLLOUT); ep.poll(0)
ep.unregister(w); ep.poll(0)
first = os.fork()
if first == 0:
    os._exit(3)
for _ in range(4):
    if os.fork() == 0:
        os.kill(os.getppid(), signal.SIGUSR1)
        os._exit(0)
t = threading.Thread(target=lambda: None); t.start(); t.join()
os.waitpid(first, 0)
for _ in range(4):
    os.wait()
"""


@pytest.fixture(scope="module")
def built():
    subprocess.run(["make", "-s", "--no-print-directory", "trace", "unit"], cwd=ROOT, check=True)


@pytest.fixture(scope="module")
def traces(built, tmp_path_factory):
    """A trace of EVERYTHING, and the same file twice over (a replay of
    cat a.jsonl b.jsonl)."""
    d = tmp_path_factory.mktemp("out_memory")
    run = subprocess.run([str(ROOT / "trace"), "-q", "-o", "/dev/null", "--json", str(d / "run.jsonl"),
                          "--", sys.executable, "-c", EVERYTHING], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    text = (d / "run.jsonl").read_text()
    assert '"class":"mux"' in text and '"epoll_ctl"' in text and '"kind":"thread"' in text
    (d / "twice.jsonl").write_text(text + text)
    return [str(d / "run.jsonl"), str(d / "twice.jsonl")]


@pytest.mark.parametrize("program", ["test_lang", "test_out_memory", "test_utf8"])
def test_unit_program_passes(program, built, request):
    args = {"test_lang": [str(ROOT)], "test_utf8": []}.get(program) or request.getfixturevalue("traces")
    run = subprocess.run([str(ROOT / "build/unit" / program), *args], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr + run.stdout
    assert run.stdout.endswith(" 0 failed\n") and not run.stdout.startswith("0 checks")
