"""The beginner's view of the timeline (the default) and the expert's
(--verbose), checked on real runs:

- every line of every lab's default timeline fits in 100 columns, and the
  wrapping loses no word (the one-line-per-event form says the same); so
  does every line of its summary, and the zombies' line of counts of many
  digits;
- the kernel's names (the call's, a clone's flags, si_codes, SA_RESTORER,
  a handler's address) only with --verbose; the default says it in words;
- the dynamic loader's calls (before the hook's start marker: the events'
  own oracle) only with --verbose; a statically linked program has no
  loader (the ELF file's own program headers say which), and its first
  calls are shown;
- a write to fd 1 whose text the program printed only with --verbose (the
  oracle: the program's own output), a failed one in both;
- socket() with --trace io, against strace; without io, it does not stop
  the program (the program's own count of the times it slept);
- --legend, its short form in --help, the pointer at the top of a lab;
- --replay renders what the live run rendered, in both views.
"""

import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

import tracelab

LINE_COLS = 100
NUMBERED = re.compile(r"^(\d*)\t(.*)$")
CONTINUED = re.compile(r"^ {20,}((?:\| )*)(.*)$")   # a wrapped line's rest, under its words
SUMMARY = "\n== summary =="


def labs():
    """Every lab and variant, as ./trace --list --json says."""
    run = subprocess.run([str(tracelab.trace_binary()), "--list", "--json"], capture_output=True,
                         text=True, timeout=60, check=True)
    out = []
    for entry in map(json.loads, run.stdout.splitlines()):
        lab = f"lab{entry['number']}"
        out.append((lab,))
        out += [(lab, v["name"] if isinstance(v, dict) else v) for v in entry.get("variants") or []]
    return out


def trace(trace_bin, tmp_path, *target, extra=(), name="run"):
    """Run live: (the timeline and summary the tracer wrote, the events,
    the program's stdout)."""
    text, jsonl = tmp_path / f"{name}.txt", tmp_path / f"{name}.jsonl"
    run = subprocess.run([trace_bin, "--color", "never", *extra, "-o", str(text), "--json", str(jsonl),
                          *map(str, target)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return text.read_text(), [json.loads(l) for l in jsonl.read_text().splitlines()], run.stdout


def replay(trace_bin, events, *extra):
    """The text the tracer renders for these events (--replay), one line
    per event with --numbered: {event index: line}."""
    src = "\n".join(json.dumps(e) for e in events) + "\n"
    run = subprocess.run([trace_bin, "--replay", "/dev/stdin", "--color", "never", *extra],
                         input=src, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stderr


def numbered(text):
    """{event index: its line} of a --numbered timeline (the child's side
    of a fork, with no index of its own, left out)."""
    return {int(m.group(1)): m.group(2) for m in map(NUMBERED.match, text.splitlines()) if m and m.group(1)}


def timeline(text):
    return text.split(SUMMARY)[0].splitlines()


@pytest.mark.parametrize("target", labs(), ids=" ".join)
def test_every_default_line_fits_and_wrapping_loses_no_word(trace_bin, tmp_path, target):
    text, events, _ = trace(trace_bin, tmp_path, *target)
    lines = timeline(text)   # -o: the tracer's lines only, the program's own printed text apart
    assert len(lines) > 5
    wide = [l for l in lines if len(l) > LINE_COLS]
    assert wide == [], f"{len(wide)} lines wider than {LINE_COLS} columns"
    # the same events, one line per event: the wrapped lines, joined, say the same
    whole = [NUMBERED.match(l).group(2) for l in timeline(replay(trace_bin, events, "--numbered"))
             if NUMBERED.match(l)]
    joined = []
    for line in lines[1:]:   # after the pointer to the legend
        m = CONTINUED.match(line)
        if m and joined:
            joined[-1] += " " + m.group(2)
        else:
            joined.append(line)
    squeeze = lambda ls: ["".join(l.split()) for l in ls]
    assert squeeze(joined) == squeeze(whole)
    summary = text.split(SUMMARY)[1].splitlines()
    assert any(l.startswith("zombies: ") for l in summary)
    wide = [l for l in summary if len(l) > LINE_COLS]
    assert wide == [], f"summary lines wider than {LINE_COLS} columns: {wide}"


def test_the_zombies_line_of_big_counts_goes_on_under_it(trace_bin, tmp_path):
    """Counts of many digits (a long run's) push the zombies' line past 100
    columns: it goes on at a clause's start, two spaces in, and no word is
    lost."""
    _, events, _ = trace(trace_bin, tmp_path, "lab6")
    big = 123456789012
    events[-1]["zombies"].update(transient=big, auto=big + 1, adopted=big + 2, max_concurrent=big + 3)
    summary = replay(trace_bin, events).split(SUMMARY)[1].splitlines()
    at = next(i for i, l in enumerate(summary) if l.startswith("zombies: "))
    leaked = len(events[-1]["zombies"]["leaked"])
    said = (f"zombies: {leaked} leaked, {big} reaped by their parent, {big + 1} auto-reaped, "
            f"{big + 2} orphans adopted; at most {big + 3} at once")
    [lines] = [summary[at:at + n] for n in range(2, 5) if " ".join(l.strip() for l in summary[at:at + n]) == said]
    assert all(len(l) <= LINE_COLS for l in lines) and all(l.startswith("  ") for l in lines[1:]), lines


# The kernel's own tokens: the default view has none of them.
KERNEL_TOKENS = ["[clone ", "[wait4]", "[rt_sigaction]", "[rt_sigreturn]", "SA_RESTORER", "CLONE_",
                 "handler=0x", "CLD_EXITED", "SI_USER"]


def test_kernel_names_only_with_verbose(trace_bin, tmp_path):
    """Lab 6: fork (clone), sigaction, a handler and its sigreturn, wait
    (wait4), SIGCHLD (CLD_EXITED), the runner's SIGTERM (SI_USER)."""
    text, events, _ = trace(trace_bin, tmp_path, "lab6")
    verbose = replay(trace_bin, events, "--verbose")
    for token in KERNEL_TOKENS:
        assert token in verbose, token
        assert token not in "\n".join(timeline(text)), token
    default = numbered(replay(trace_bin, events, "--numbered"))
    for i, e in enumerate(events):
        if e["type"] == "signal" and e.get("child_status"):   # said in words: the child's status
            exited = e["child_status"]["exited"]
            assert f"<- SIGCHLD from {e['sender']} (child exited {exited}) -> " in default[i]
        if e["type"] == "signal" and e["code"] == "SI_USER":
            assert f"<- {e['sig']} from {e['sender']} (sent by kill()) -> " in default[i]
        if e["type"] == "syscall" and e["name"] == "rt_sigaction" and e["args"]["handler"].startswith("0x"):
            flags = [f for f in e["args"]["flags"] if f != "SA_RESTORER"]
            assert f"handler=a function, flags={'|'.join(flags) or 0}," in default[i]
        if e["type"] == "spawn":
            assert default[i].endswith(f"fork() = {e['child']} (new process)")


def test_loader_calls_only_with_verbose(trace_bin, tmp_path):
    """The calls between a program's exec and its start (the hook's
    marker) are the loader's: no line by default; the program's own calls
    after it have theirs."""
    text, events, _ = trace(trace_bin, tmp_path, "lab1", extra=("--trace", "all"))
    exec_at = next(i for i, e in enumerate(events) if e["type"] == "exec")
    start_at = next(i for i, e in enumerate(events) if e["type"] == "start")
    loader = [i for i in range(exec_at, start_at) if events[i]["type"] == "syscall"]
    own = [i for i in range(start_at, len(events)) if events[i]["type"] == "syscall"
           and events[i]["args"].get("fd") not in (1, 2)]
    assert loader and own
    default = numbered(replay(trace_bin, events, "--numbered"))
    verbose = numbered(replay(trace_bin, events, "--numbered", "--verbose"))
    assert [i for i in loader if i in default] == []
    assert all(i in verbose for i in loader)
    assert all(i in default for i in own)


# An ELF program header of this type names the program's loader.
PT_INTERP = 3


def has_interp(path):
    """Whether the 64-bit ELF file at path names a loader (PT_INTERP)."""
    data = Path(path).read_bytes()
    (phoff,) = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    return any(struct.unpack_from("<I", data, phoff + i * phentsize)[0] == PT_INTERP for i in range(phnum))


@pytest.mark.parametrize("link", ["static", "dynamic"])
def test_a_static_programs_first_calls_are_its_own(trace_bin, tmp_path, link):
    """A statically linked program has no loader and no hook: its first
    read and close are its own and have their lines. The exec event says
    whether a loader runs ("dynamic"), as the ELF file does."""
    prog = tmp_path / f"reads_first_{link}"
    subprocess.run(["gcc", "-O1", *(["-static"] if link == "static" else []), "-o", prog,
                    Path(__file__).parent / "cli" / "reads_first.c"], check=True)
    _, events, _ = trace(trace_bin, tmp_path, "--trace", "all", "--", prog)
    (ex,) = [e for e in events if e["type"] == "exec"]
    assert ex["dynamic"] is has_interp(prog) is (link == "dynamic")
    default = numbered(replay(trace_bin, events, "--numbered"))
    # its own: the read of /dev/null (0 bytes, count 16) and the close after it
    own_read = next(i for i, e in enumerate(events) if e["type"] == "syscall" and e["name"] == "read"
                    and e["args"].get("count") == 16 and e.get("ret") == 0)
    own_close = next(i for i in range(own_read + 1, len(events))
                     if events[i]["type"] == "syscall" and events[i]["name"] == "close")
    assert own_read in default and own_close in default
    if link == "static":    # nothing before it is hidden either
        assert all(i in default for i, e in enumerate(events) if e["type"] == "syscall")


def test_printed_writes_only_with_verbose(trace_bin, tmp_path, cli_progs):
    """cat prints a file: its text is the program's output (the oracle),
    so no write(fd=1) line by default; its read of the file keeps its line."""
    data = tmp_path / "words.txt"
    data.write_text("seven words are in this file\n" * 3)
    text, events, out = trace(trace_bin, tmp_path, "--trace", "all", "--", "cat", data)
    assert out == data.read_text()
    writes = [i for i, e in enumerate(events) if e["type"] == "syscall" and e["name"] == "write"
              and e["args"]["fd"] == 1]
    assert sum(events[i]["ret"] for i in writes) == len(out)
    reads = [i for i, e in enumerate(events) if e["type"] == "syscall" and e["name"] == "read"
             and e["ret"] == len(out)]
    assert reads
    default = numbered(replay(trace_bin, events, "--numbered"))
    verbose = numbered(replay(trace_bin, events, "--numbered", "--verbose"))
    assert [i for i in writes if i in default] == [] and "write(fd=1" not in text
    assert all("write(fd=1, count=" in verbose[i] for i in writes)
    assert all(f"= {len(out)}" in default[i] for i in reads)


def test_a_failed_write_to_stdout_keeps_its_line(trace_bin, tmp_path):
    """To /dev/full, nothing is printed: the write's line says it failed."""
    data = tmp_path / "words.txt"
    data.write_text("nowhere to go\n")
    out = tmp_path / "timeline.txt"
    with open("/dev/full", "w") as full:
        run = subprocess.run([trace_bin, "--color", "never", "--trace", "all", "-o", str(out), "--",
                              "cat", str(data)], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert run.returncode == 1   # cat's own report: it could not write
    assert re.search(r"write\(fd=1, count=\d+\) = -1 ENOSPC", out.read_text())


def test_a_blocked_write_to_stdout_keeps_its_line(trace_bin, tmp_path):
    """cat writes 128 KiB at a time into a pipe that holds 64 KiB: each such
    write sleeps until the reader (this test) has taken part of it, so it
    blocked, and its line stays; the text arrives whole all the same."""
    data = tmp_path / "big.txt"
    data.write_bytes(b"x" * (1 << 20))
    out, jsonl = tmp_path / "timeline.txt", tmp_path / "run.jsonl"
    run = subprocess.run([trace_bin, "--color", "never", "--trace", "all", "-o", str(out), "--json", str(jsonl),
                          "--", "cat", str(data)], capture_output=True, timeout=60)
    assert run.returncode == 0 and run.stdout == data.read_bytes()
    events = [json.loads(l) for l in jsonl.read_text().splitlines()]
    writes = [i for i, e in enumerate(events) if e["type"] == "syscall" and e["name"] == "write"
              and e["args"]["fd"] == 1]
    blocked = [i for i in writes if events[i]["slept"]]
    assert blocked
    default = numbered(replay(trace_bin, events, "--numbered"))
    assert sorted(i for i in writes if i in default) == blocked
    assert all("<blocked " in default[i] for i in blocked)


TOOK = re.compile(r"  <(?:took|blocked) [^>]*>$")
STRACE_SOCKET = re.compile(r"^\d+\s+socket\((\w+), ([\w|]+), \w+\)\s+= (-?\d+)(?: (E\w+))?")


def strace_sockets(text):
    """(domain, the type's names sorted, fd, errno) of each socket() strace
    saw; a type with no name, which strace writes in hex, as a number."""
    out = []
    for line in text.splitlines():
        m = STRACE_SOCKET.match(re.sub(r"\s*/\*.*?\*/", "", line))
        if m:
            domain, kind, ret, err = m.groups()
            names = [str(int(n, 16)) if n.startswith("0x") else n for n in kind.split("|")]
            out.append((domain, sorted(names), int(ret), err))
    return out


@pytest.mark.skipif(not shutil.which("strace"), reason="strace is not installed")
def test_socket_against_strace(trace_bin, tmp_path, cli_progs):
    prog = cli_progs / "sockets"
    log = tmp_path / "strace.txt"
    subprocess.run(["strace", "-f", "-qq", "-e", "trace=socket", "-o", str(log), str(prog)],
                   check=True, capture_output=True, timeout=60)
    want = strace_sockets(log.read_text())
    assert len(want) == 4 and want[-1][3] == "EINVAL"
    text, events, out = trace(trace_bin, tmp_path, "--trace", "io", "--", prog)
    got = [e for e in events if e["type"] == "syscall" and e["name"] == "socket"]
    assert [(e["args"]["domain"], sorted(e["args"]["type"]), e["ret"], e["err"]) for e in got] == want
    fds = [int(m) for m in re.findall(r"^socket (-?\d+)", out, re.M)]   # the program's own report
    assert [e["ret"] for e in got] == fds
    default = numbered(replay(trace_bin, events, "--numbered"))
    # a loaded machine may add how long a call took: not what is compared here
    lines = [TOOK.sub("", default[events.index(e)].split("socket(", 1)[1]) for e in got]
    assert lines == [f"domain=AF_INET, type=SOCK_STREAM, protocol=0) = {fds[0]}",
                     f"domain=AF_INET, type=SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC, protocol=0) = {fds[1]}",
                     f"domain=AF_UNIX, type=SOCK_STREAM, protocol=0) = {fds[2]}",
                     "domain=AF_INET, type=12345, protocol=0) = -1 EINVAL"]
    # without io, no line and no stop
    text, events, _ = trace(trace_bin, tmp_path, "--", prog, name="default")
    assert not any(e["type"] == "syscall" and e["name"] == "socket" for e in events)


SOCKETS = 300


def test_socket_stops_the_program_only_with_io(trace_bin, cli_progs):
    """The program counts how often it slept while it made SOCKETS sockets:
    a tracer stop puts it to sleep, so with the default classes (socket not
    traced) it hardly sleeps, and with io it sleeps at every call."""
    def slept(*classes):
        run = subprocess.run([trace_bin, "-q", *classes, "--", str(cli_progs / "sockets"), "loop", str(SOCKETS)],
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        return int(re.search(r"^slept (\d+)$", run.stdout, re.M).group(1))
    assert slept("--json", "/dev/null", "--trace", "io") >= SOCKETS   # the oracle sees stops
    assert slept("--json", "/dev/null") < SOCKETS // 10


def test_legend(trace_bin):
    run = subprocess.run([trace_bin, "--legend"], capture_output=True, text=True, timeout=10)
    assert run.returncode == 0 and run.stderr == ""
    legend = run.stdout
    assert all(len(l) <= LINE_COLS for l in legend.splitlines())
    for mark in ["seconds since the trace started", "pid/tid", "process tree", "the program",
                 "| ", "<blocked", "<took", "<still", "<- SIGCHLD", "== ", "-> ", "--hold sigchld",
                 "--verbose", "fd 1 or 2", "loader"]:
        assert mark in legend, mark
    bad = subprocess.run([trace_bin, "--legend", "lab6"], capture_output=True, text=True, timeout=10)
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1
    helped = subprocess.run([trace_bin, "--help"], capture_output=True, text=True, timeout=10).stdout
    assert "--legend" in helped and "--verbose" in helped and "timeline: seconds since the start" in helped


def test_the_legends_marks_are_in_a_real_run(trace_bin, tmp_path):
    """What the legend explains, lab 6 shows (run with its hold)."""
    text, events, _ = trace(trace_bin, tmp_path, "lab6")
    lines = timeline(text)
    assert lines[0] == "(./trace --legend: how to read this; --verbose: every call, in the kernel's names)"
    body = "\n".join(lines[1:])
    for mark in [" | ", "<blocked ", "<- SIGCHLD from ", " == ", " -> ", "the tracer holds this SIGCHLD back"]:
        assert mark in body, mark
    assert all(re.match(r"^ *\d+\.\d{3} ", l) or CONTINUED.match(l) for l in lines[1:])


def test_a_command_has_no_pointer(trace_bin, tmp_path, cli_progs):
    text, _, _ = trace(trace_bin, tmp_path, "--", cli_progs / "forkloop", "2")
    assert "--legend" not in text


@pytest.mark.parametrize("view", [(), ("--verbose",)], ids=["default", "verbose"])
def test_replay_renders_what_the_live_run_rendered(trace_bin, tmp_path, view):
    text, events, _ = trace(trace_bin, tmp_path, "lab7", extra=view)
    assert replay(trace_bin, events, *view) == text


def test_colours_change_no_column(trace_bin, tmp_path):
    """Colour escapes take no room: with them taken out, the coloured
    timeline is the plain one, wrapped at the same places."""
    text, events, _ = trace(trace_bin, tmp_path, "lab7")
    coloured = replay(trace_bin, events, "--color", "always")
    assert "\033[" in coloured
    assert re.sub(r"\033\[[0-9;]*m", "", coloured) == text


# The legend's example, as events: what the tracer renders for them must be
# the legend's lines (it draws its example, it does not make one up).
LEGEND_EVENTS = [
    {"type": "trace", "t": 0, "pid": 9316, "tid": 9316, "version": 1, "argv": ["lab07"],
     "classes": ["process", "signal", "wait"], "attached": False, "hook": True, "name": "lab07",
     "tracer_pid": 9300},
    {"type": "spawn", "t": 58_000_000, "pid": 9316, "tid": 9316, "child": 9322, "kind": "process",
     "call": "fork", "syscall": "clone", "flags": ["CLONE_CHILD_CLEARTID", "CLONE_CHILD_SETTID", "SIGCHLD"],
     "name": "lab07", "depth": 1},
    {"type": "syscall", "t": 107_000_000, "pid": 9316, "tid": 9316, "name": "wait4", "call": "waitpid",
     "class": "wait", "args": {"pid": -1, "options": ["WNOHANG"]}, "out": {"status": {"exited": 0}},
     "ret": 9322, "err": None, "dur_ns": 50_000, "slept": None, "in_handler": 1},
]


def test_the_legends_example_is_what_the_tracer_draws(trace_bin):
    run = subprocess.run([trace_bin, "--replay", "/dev/stdin", "--color", "never"],
                         input="".join(json.dumps(e) + "\n" for e in LEGEND_EVENTS),
                         capture_output=True, text=True, timeout=10)
    assert run.returncode == 1   # no summary event: the replay says the run was cut short
    drawn = [l for l in run.stderr.splitlines() if not l.startswith("trace: ")]
    assert len(drawn) == 4
    legend = subprocess.run([trace_bin, "--legend"], capture_output=True, text=True, timeout=10).stdout
    example = [l[2:] for l in legend.split("\n\n")[1].splitlines()]   # indented by two more
    assert example == drawn


def test_an_attached_programs_writes_keep_their_lines(trace_bin, tmp_path, wait_traced):
    """With -p the program's text goes where its stdout goes, not beside the
    timeline: its writes to fd 1 keep their lines. cat copies what this test
    writes to it; what it printed (read here) is the oracle."""
    cat = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    out = tmp_path / "timeline.txt"
    tracer = subprocess.Popen([trace_bin, "--color", "never", "--trace", "all", "-o", str(out),
                               "-p", str(cat.pid)], stderr=subprocess.PIPE)
    try:
        wait_traced(cat.pid, tracer.pid)
        cat.stdin.write(b"hello\n")
        cat.stdin.flush()
        assert cat.stdout.readline() == b"hello\n"
        cat.stdin.close()
        assert tracer.wait(timeout=30) == 0
    finally:
        cat.kill()
        cat.wait()
        tracer.kill()
        tracer.wait()
    assert re.search(r"write\(fd=1, count=6\) = 6\b", out.read_text())
