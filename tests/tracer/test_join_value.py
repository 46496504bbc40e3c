"""pthread_join's line says what the joined thread returned, checked
against the program's own report (tests/tracer/cli/join_values.c prints
the tid of each thread it joined and the value the join gave it): a
number returned, a number passed to pthread_exit, an address (joined with
retval NULL: the tracer learns it all the same), and a canceled thread.
The JSON has it as `returned` (and `canceled`) on the libcall event."""

import json
import re
import subprocess

HEAD = r"^\d+\t\s*\d+\.\d{3,6} +\d+ +\S+ +"   # --numbered's index, time, pid, program


def test_join_says_what_the_thread_returned(cli_progs, trace_bin, tmp_path):
    jsonl = tmp_path / "run.jsonl"
    # --numbered: one line per event, not wrapped at 100 columns
    run = subprocess.run([trace_bin, "--color", "never", "--numbered", "--json", str(jsonl), "--",
                          str(cli_progs / "join_values")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    reported = re.findall(r"^joined (\d+) (\S+)$", run.stdout, re.M)
    assert len(reported) == 4, run.stdout
    joins = [e for e in map(json.loads, jsonl.read_text().splitlines())
             if e["type"] == "libcall" and e["name"] == "pthread_join"]
    assert [str(e["args"]["thread"]) for e in joins] == [tid for tid, _ in reported]
    for (tid, value), ev in zip(reported, joins):
        line = [l for l in run.stderr.splitlines()
                if re.match(HEAD + rf"pthread_join\(thread={tid}\) = 0 ", l)]
        assert len(line) == 1, run.stderr
        if value == "canceled":
            assert ev["canceled"] is True and ev["returned"] == -1
            assert "-> it was canceled (PTHREAD_CANCELED)  [library call]" in line[0]
        else:
            number = int(value, 0)
            assert ev["returned"] == number and "canceled" not in ev
            assert f"-> it returned {value}  [library call]" in line[0]
