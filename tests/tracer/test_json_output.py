"""JSON Lines a program can trust: each record is a whole line written at
once, as it happens; every line is valid UTF-8; a write that fails is said
and gives a non-zero status."""

import json
import signal
import subprocess
import time

import tracelab


def test_records_stay_whole_on_a_stdout_the_program_shares(cli_progs, trace_bin):
    """`--json -` and the program's own lines on one pipe: every record is
    whole, and all 300 forks are there (the program's report: 300 lines)."""
    run = subprocess.run([trace_bin, "-q", "--json", "-", "--", str(cli_progs / "chatty"), "300"],
                         capture_output=True, timeout=60)
    assert run.returncode == 0
    lines = run.stdout.decode("utf-8").splitlines()
    records = [json.loads(l) for l in lines if l.startswith("{")]
    program = [l for l in lines if not l.startswith("{")]
    assert program == ["x" * 199] * 300
    assert len([r for r in records if r["type"] == "spawn"]) == 300
    assert records[0]["type"] == "trace" and records[-1]["type"] == "summary"


def test_bytes_that_are_not_utf8_are_written_as_u_fffd(tmp_path, trace_bin):
    out = tmp_path / "t.jsonl"
    arg = b"bad\xff\xfe ok \xc3\xa9"
    run = subprocess.run([trace_bin, "-q", "--json", str(out), "--", b"/bin/echo", arg],
                         capture_output=True)
    assert run.returncode == 0 and run.stdout.rstrip(b"\n") == arg   # echo's own report
    text = out.read_bytes().decode("utf-8")                            # valid UTF-8 throughout
    (exe,) = [json.loads(l) for l in text.splitlines() if json.loads(l)["type"] == "exec"]
    assert exe["argv"][1] == "bad\ufffd\ufffd ok \u00e9"
    trace = tracelab.load(out)                                         # the kit reads it
    assert trace.summary is not None


def test_a_killed_tracer_leaves_whole_lines(cli_progs, tmp_path, trace_bin):
    """Written as events happen: kill -9 the tracer in the middle of a run
    and the file holds whole records only (and some of them)."""
    out = tmp_path / "t.jsonl"
    tracer = subprocess.Popen([trace_bin, "-q", "--json", str(out), "--",
                               str(cli_progs / "chatty"), "100000"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (not out.exists() or out.stat().st_size < 20000):
        time.sleep(0.01)
    tracer.send_signal(signal.SIGKILL)
    tracer.wait()
    data = out.read_bytes()
    assert data.endswith(b"\n") and len(data) >= 20000
    assert all(json.loads(l)["type"] for l in data.decode("utf-8").splitlines())


def test_a_failed_write_is_said_and_not_zero(trace_bin):
    for args, words in ((["-q", "--json", "/dev/full"], "cannot write /dev/full"),
                        (["-o", "/dev/full"], "cannot write /dev/full")):
        run = subprocess.run([trace_bin, *args, "--", "true"], capture_output=True, text=True)
        assert run.returncode == 2
        said = [l for l in run.stderr.splitlines() if l.startswith("trace: ")]
        assert len(said) == 1 and words in said[0] and "No space left on device" in said[0]


def test_a_long_argv_is_kept_whole(tmp_path, trace_bin):
    """2000 arguments of 100 bytes: the header and the exec event hold every
    one, as the command line gave them (the oracle)."""
    args = [f"{i:04d}" + "a" * 96 for i in range(2000)]
    out = tmp_path / "t.jsonl"
    run = subprocess.run([trace_bin, "-q", "--json", str(out), "--", "/bin/true", *args],
                         capture_output=True, text=True)
    assert run.returncode == 0
    events = [json.loads(l) for l in out.read_text().splitlines()]
    (exe,) = [e for e in events if e["type"] == "exec"]
    assert events[0]["argv"] == ["/bin/true", *args]
    assert exe["argv"] == ["/bin/true", *args]
