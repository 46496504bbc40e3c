"""./trace as a user meets it: its exit status, its errors, its options,
its JSON, and that no traced process outlives it, whatever ends the trace."""

import os
import re
import signal
import subprocess
import time

import pytest

import tracelab

ROOT = tracelab.REPO


@pytest.fixture
def start_tree(trace_bin, alive, cli_progs):
    """start_tree(*options): trace tests/tracer/cli/tree.c; return the
    tracer and the four traced pids."""
    def run(*extra):
        p = subprocess.Popen([trace_bin, "-q", *extra, "--", str(cli_progs / "tree")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
        pids = [int(p.stdout.readline()) for _ in range(4)]
        assert all(alive(pid) for pid in pids)
        return p, pids
    return run


def assert_all_gone(alive, pids):
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [pid for pid in pids if alive(pid)] == []


# ---- exit status ----------------------------------------------------------

@pytest.mark.parametrize("cmd, status", [
    (["true"], 0), (["false"], 1), (["sh", "-c", "exit 7"], 7),
    (["sh", "-c", "kill -TERM $$"], 128 + 15), (["sh", "-c", "kill -KILL $$"], 128 + 9),
])
def test_exit_status_is_the_commands(cmd, status, trace_bin):
    run = subprocess.run([trace_bin, "-q", "--", *cmd], capture_output=True)
    assert run.returncode == status


# ---- bad input: one line, what to do, status 2 ----------------------------

@pytest.mark.parametrize("args, words", [
    (["--", "no-such-command-xyz"], "no such command"),
    (["--", "/etc/passwd"], "not an executable"),
    (["--", "/tmp"], "not an executable"),
    (["--bogus", "--", "true"], "unknown option"),
    (["--trace", "nope", "--", "true"], "unknown class 'nope'"),
    (["--timeout", "soon", "--", "true"], "--timeout takes"),
    (["--color", "purple", "--", "true"], "--color takes"),
    (["lab99"], "no lab named 'lab99'"),
    (["-p", "999999999"], "no such process"),
    ([], "nothing to trace"),
    (["lab3x"], "no lab named 'lab3x'"),          # not lab 3: the number is the whole rest
    (["lab1O"], "no lab named 'lab1O'"),
    (["--list", "extra"], "--list takes no lab or command"),
    (["--list", "lab3"], "--list takes no lab or command (got 'lab3')"),
    (["--list", "-q"], "--list takes only --json and --lang beside it (got '-q')"),
    (["-o", "x", "--list"], "--list takes only --json and --lang beside it (got '-o')"),
    (["--list", "--json", "-", "--perfetto", "-"], "--list takes only --json and --lang beside it (got '--perfetto')"),
    (["--list", "--timeout", "5"], "--list takes only --json and --lang beside it (got '--timeout')"),
    (["--version", "extra"], "--version takes nothing else"),
    (["--json", "--list"], "--json needs a file name"),
    (["lab6", "--lang"], "--lang takes en, vi, not ''"),   # not the environment's language, silently
])
def test_bad_input_gets_one_line_and_status_2(args, words, trace_bin):
    run = subprocess.run([trace_bin, *args], capture_output=True, text=True)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trace: ") and words in lines[0]
    assert run.stdout == ""                        # nothing ran: no timeline, no summary


@pytest.mark.parametrize("args", [["--list"], ["--list", "--json"], ["--lang", "en", "--list", "--json", "-"],
                                  ["--list", "--lang=en"]])
def test_list_with_what_it_takes(args, trace_bin):
    run = subprocess.run([trace_bin, *args], capture_output=True, text=True)
    assert run.returncode == 0 and run.stderr == ""
    assert "lab03-select" in run.stdout


@pytest.mark.parametrize("content, why", [
    (bytes(range(256)) * 2, "Exec format error"),             # random bytes
    (b"#!/no/such/interpreter\necho hi\n", "No such file or directory"),   # a bad #! line
])
def test_a_file_the_kernel_will_not_run_gets_one_line_and_status_2(tmp_path, content, why, trace_bin):
    """The oracle is the kernel itself: execve refuses these files (the
    shell says the same), so nothing is traced and there is no summary."""
    prog = tmp_path / "prog"
    prog.write_bytes(content)
    prog.chmod(0o755)
    with pytest.raises(OSError) as refused:
        subprocess.run([str(prog)])
    assert why in str(refused.value)
    run = subprocess.run([trace_bin, "--", str(prog)], capture_output=True, text=True)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"trace: cannot run {prog}: {why}"), run.stderr
    assert "summary" not in run.stderr


def test_attaching_to_a_traced_process_says_who_traces_it(trace_bin, wait_traced):
    victim = subprocess.Popen(["sleep", "30"])
    holder = subprocess.Popen([trace_bin, "-q", "-p", str(victim.pid)], stderr=subprocess.PIPE)
    try:
        wait_traced(victim.pid, holder.pid)
        run = subprocess.run([trace_bin, "-p", str(victim.pid)], capture_output=True, text=True)
        assert run.returncode == 2
        assert f"already traced by process {holder.pid}" in run.stderr
    finally:
        holder.send_signal(signal.SIGINT)
        holder.wait(timeout=10)
        victim.kill()
        victim.wait()


# ---- nothing is left behind ---------------------------------------------

def test_ctrl_c_kills_the_whole_tree(alive, start_tree):
    p, pids = start_tree()
    os.kill(p.pid, signal.SIGINT)
    p.wait(timeout=10)
    assert_all_gone(alive, pids)


def test_timeout_kills_the_whole_tree_and_says_so(alive, start_tree):
    p, pids = start_tree("--timeout", "1")
    _, err = p.communicate(timeout=20)
    assert "--timeout 1 s reached" in err
    assert p.returncode == 128 + signal.SIGKILL
    assert_all_gone(alive, pids)


def test_a_killed_tracer_takes_the_tree_with_it(alive, start_tree):
    p, pids = start_tree()
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=10)
    assert_all_gone(alive, pids)


def test_detach_leaves_an_attached_process_running(trace_bin, alive, wait_traced):
    victim = subprocess.Popen(["sleep", "30"])
    try:
        tracer = subprocess.Popen([trace_bin, "-p", str(victim.pid)], stderr=subprocess.PIPE, text=True)
        wait_traced(victim.pid, tracer.pid)
        tracer.send_signal(signal.SIGINT)
        _, err = tracer.communicate(timeout=10)
        assert tracer.returncode == 0
        assert "still running (detached)" in err
        assert alive(victim.pid)
        with open(f"/proc/{victim.pid}/status") as f:
            assert "TracerPid:\t0" in f.read()
    finally:
        victim.kill()
        victim.wait()


def test_detach_lets_a_held_sigchld_go(cli_progs, trace_bin, alive, wait_traced):
    """With --hold sigchld a SIGCHLD may be held back (the other child
    still runs) when Ctrl-C detaches: the tracer sends it again as it lets
    go, and the handler runs; nothing waits for the other child."""
    prog = subprocess.Popen([str(cli_progs / "held_detach")], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    tracer = None
    try:
        tracer = subprocess.Popen([trace_bin, "-q", "--hold", "sigchld", "-p", str(prog.pid)],
                                  stderr=subprocess.PIPE, text=True)
        wait_traced(prog.pid, tracer.pid)
        prog.stdin.write("go\n")
        prog.stdin.flush()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:      # the quick child is a zombie: its SIGCHLD held
            kids = [int(p) for p in open(f"/proc/{prog.pid}/task/{prog.pid}/children").read().split()]
            if any(not alive(k) for k in kids):
                break
            time.sleep(0.01)
        time.sleep(0.2)
        tracer.send_signal(signal.SIGINT)
        tracer.communicate(timeout=5)           # not the sleeper's 30 s
        assert tracer.returncode == 0
        assert prog.stdout.readline() == "caught SIGCHLD\n"
        with open(f"/proc/{prog.pid}/status") as f:
            assert "TracerPid:\t0" in f.read()
    finally:
        if tracer is not None and tracer.poll() is None:
            tracer.kill()                       # a tracer that hangs holds prog stopped
            tracer.wait()
        prog.terminate()
        prog.wait()


def test_attach_follows_children_made_after_it(tmp_path, trace_bin, wait_traced):
    go = tmp_path / "go"
    sh = subprocess.Popen(["sh", "-c", f"while [ ! -e {go} ]; do sleep 0.01; done; /bin/true; (exit 3)"])
    tracer = subprocess.Popen([trace_bin, "-q", "--json", "-", "-p", str(sh.pid)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_traced(sh.pid, tracer.pid)
    go.touch()
    out, _ = tracer.communicate(timeout=20)
    sh.wait()
    t = tracelab.load(out)
    assert t.header["attached"] is True
    assert len(t.spawns(kind="process")) >= 2
    assert 3 in [e.get("code") for e in t.exits(process=True)]


# ---- output --------------------------------------------------------------

def test_json_has_a_header_a_summary_and_the_contract_fields(cli_progs):
    t = tracelab.run([cli_progs / "forkloop", "3"])
    assert t.events[0]["type"] == "trace" and t.header["version"] == 1
    assert t.events[-1]["type"] == "summary"
    for e in t.events:
        assert {"type", "t", "pid", "tid"} <= e.keys()
    times = [e["t"] for e in t.events]
    assert times == sorted(times)
    assert len(t.spawns(kind="process")) == 3
    assert len(t.reaps(how="wait")) == 3
    assert t.summary["processes"] == 4 and t.summary["zombies"]["leaked"] == []


def test_timeline_to_a_file_with_o(cli_progs, tmp_path, trace_bin):
    out = tmp_path / "timeline.txt"
    run = subprocess.run([trace_bin, "--color", "never", "-o", str(out), "--",
                          str(cli_progs / "forkloop"), "2"], capture_output=True, text=True)
    assert run.returncode == 0 and run.stderr == ""
    text = out.read_text()
    assert text.count(" (new process)") == 2 and "waitpid(" in text and "== summary ==" in text
    assert text.count("fork() = 0  (in the child: this is the new process)") == 2   # fork returns twice


# Two outputs naming one file: refused before anything runs, whatever the
# spelling (the same file by another path, a hard or symbolic link).
@pytest.mark.parametrize("args, words", [
    (["--json", "x", "--html", "x"], "--json and --html both name x"),
    (["-o", "x", "--svg", "./x"], "-o and --svg both name ./x"),
    (["--json", "x", "--perfetto", "sub/../x"], "--json and --perfetto both name sub/../x"),
    (["--html", "old", "--svg", "hard"], "--html and --svg both name hard"),
    (["-o", "old", "--json", "soft"], "-o and --json both name soft"),
    (["--perfetto", "new", "--svg", "x", "--html", "./new"], "--perfetto and --html both name ./new"),
    (["-o", "-", "--json", "./-"], "-o and --json both name ./-"),   # -o - is a file named "-"
    (["--json", "-", "--perfetto", "-"], "cannot both write to stdout"),
    (["--replay", "old", "--json", "old"], "--json old would overwrite the file that --replay reads"),
])
def test_two_outputs_naming_one_file_are_refused(args, words, tmp_path, trace_bin):
    (tmp_path / "sub").mkdir()
    old = tmp_path / "old"
    old.write_text("kept\n")
    os.link(old, tmp_path / "hard")
    os.symlink("old", tmp_path / "soft")
    tail = [] if "--replay" in args else ["--", "true"]
    run = subprocess.run([trace_bin, "-q", *args, *tail], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trace: ") and words in lines[0], run.stderr
    if "stdout" not in words and "--replay" not in words:
        assert lines[0].endswith(": give each output its own file")
    assert run.stdout == ""
    assert old.read_text() == "kept\n"                           # nothing was opened, nothing ran
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard", "old", "soft", "sub"]


def test_outputs_on_different_files_or_a_device_are_fine(tmp_path, trace_bin):
    (tmp_path / "sub").mkdir()
    run = subprocess.run([trace_bin, "-q", "-o", "/dev/null", "--json", "/dev/null", "--html", "run.html",
                          "--svg", "run.svg", "--perfetto", "sub/run.json", "--", "true"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    for name in ("run.html", "run.svg", "sub/run.json"):
        assert (tmp_path / name).stat().st_size > 0


@pytest.mark.parametrize("args, env, colored", [
    (["--color", "always"], {}, True),
    (["--color", "never"], {}, False),
    ([], {"NO_COLOR": "1"}, False),
    (["--color", "auto"], {}, False),      # stderr is a pipe here, not a terminal
])
def test_color_choice(cli_progs, args, env, colored, trace_bin):
    run = subprocess.run([trace_bin, *args, "--", str(cli_progs / "forkloop"), "1"],
                         capture_output=True, text=True, env={**os.environ, **env})
    assert ("\033[" in run.stderr) == colored


def test_quiet_prints_only_the_summary(cli_progs, trace_bin):
    run = subprocess.run([trace_bin, "-q", "--color", "never", "--", str(cli_progs / "forkloop"), "2"],
                         capture_output=True, text=True)
    assert "fork()" not in run.stderr and "== summary ==" in run.stderr


def test_trace_classes_choose_what_stops(cli_progs):
    wait_only = tracelab.run([cli_progs / "forkloop", "2"], classes="wait")
    assert {e["class"] for e in wait_only.syscalls()} == {"wait"}
    no_wait = tracelab.run([cli_progs / "forkloop", "2"], classes="signal")
    assert no_wait.syscalls(name="wait4") == []
    assert len(no_wait.spawns()) == 2            # fork is an event, whatever the classes


def test_io_class_shows_eagain_and_nonblocking(tmp_path):
    src = tmp_path / "nb.c"
    src.write_text(
        "#include <fcntl.h>\n#include <unistd.h>\n"
        "int main(void){int p[2]; char c; pipe(p); fcntl(p[0], F_SETFL, O_NONBLOCK);\n"
        " for (int i = 0; i < 3; i++) read(p[0], &c, 1); return 0;}\n")
    subprocess.run(["gcc", "-o", str(tmp_path / "nb"), str(src)], check=True)
    t = tracelab.run([tmp_path / "nb"], classes="io")
    assert len(t.syscalls(name="read", err="EAGAIN")) == 3
    setfl = t.syscalls(name="fcntl")[0]
    assert setfl["args"]["cmd"] == "F_SETFL" and "O_NONBLOCK" in setfl["args"]["flags"]


def test_tracer_memory_stays_flat(cli_progs, trace_bin):
    """Peak RSS of the tracer barely moves from 200 to 4000 forks."""
    def peak_kb(n):
        p = subprocess.Popen([trace_bin, "-q", "-o", "/dev/null", "--", str(cli_progs / "forkloop"), str(n)])
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        assert p.returncode == 0
        return usage.ru_maxrss
    small, large = peak_kb(200), peak_kb(4000)
    assert large - small < 1024, (small, large)


def test_the_summary_shows_every_child_that_did_not_simply_exit_0():
    """Past 8 children the summary's tree says "... and N more", but only
    of children that exited 0: the one that failed and the one killed,
    forked last, keep their lines. Oracles: the shell's own $? for each,
    and the JSON's count of processes."""
    script = ("for i in $(seq 10); do sh -c true; done; "
              "sh -c 'exit 3'; echo failed $?; sh -c 'kill -KILL $$'; echo killed $?")
    t = tracelab.run(["sh", "-c", script])
    assert re.findall(r"^(failed|killed) (\d+)$", t.stdout, re.M) == [("failed", "3"), ("killed", "137")]
    kids = t.summary["processes"] - 1                    # seq, 10 + 2 shells
    assert kids == 13
    text = t.stderr
    failed = re.findall(r"^ +\d+ \S+ \(v?fork\): exited 3(?:, CPU .*)?$", text, re.M)
    killed = re.findall(r"^ +\d+ \S+ \(v?fork\): killed by SIGKILL(?:, CPU .*)?$", text, re.M)
    plain = re.findall(r"^ +\d+ \S+ \(v?fork\): exited 0(?:, CPU .*)?$", text, re.M)
    more = re.findall(rf"^ +\.\.\. and (\d+) more children of {t.root}$", text, re.M)
    assert len(failed) == len(killed) == 1 and len(plain) == 6, text
    assert more == [str(kids - 8)], text
