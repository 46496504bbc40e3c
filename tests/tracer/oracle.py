"""The strace oracle: what strace saw, reduced to the facts the tracer also
reports, so the two can be compared.

Both `strace_facts` (from `strace -f` output) and `trace_facts` (from a
tracelab Trace) give a Facts of plain dicts and lists:

    tasks    name -> {"kind", "syscall", "call"}: every process and thread
    exits    name -> {"code", "signal", "core"}, or {"exec": True} for a
             thread that called execve and so became the main thread
    waits    process name -> its wait4/waitid calls in order
    signals  process name -> sorted [sig, si_code, sender name] deliveries
    calls    process name -> its accept/select calls in order, with how a
             signal interrupted them
    execs    process name -> argv of each successful execve (the launch of
             the command itself left out)

Pids differ between runs, so a task is named by where it was made: the
command is "1", and the k-th process or thread that process N made (by
any of its threads) is "N.k".
"""

import ast
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

STRACE_CALLS = "%process,%signal,accept,accept4,select,pselect6"
COMPARED_CALLS = {"accept", "accept4", "select", "pselect6"}
SPAWN_CALLS = {"clone", "clone3", "fork", "vfork"}
WAIT_CALLS = {"wait4", "waitid"}


def strace_available():
    return shutil.which("strace") is not None


@dataclass
class Facts:
    tasks: dict = field(default_factory=dict)
    exits: dict = field(default_factory=dict)
    waits: dict = field(default_factory=dict)
    signals: dict = field(default_factory=dict)
    calls: dict = field(default_factory=dict)
    execs: dict = field(default_factory=dict)


# Naming tasks by creation order.

class Task:
    def __init__(self, raw):
        self.raw = raw          # the pid or tid it had in this run
        self.creator = None     # the process that made it; None: not yet known
        self.process = self     # its thread group
        self.kind = "process"
        self.syscall = self.call = None
        self.made = []          # tasks this process made, in order
        self.dead = False
        self.name = None


class Tasks:
    """Raw pids to Task objects, coping with children seen before their
    parent's clone returns, and with pids used again."""

    def __init__(self):
        self.live = {}
        self.root = None

    def get(self, raw):
        task = self.live.get(raw)
        if task is None or task.dead:
            task = self.live[raw] = Task(raw)
            if self.root is None:
                self.root = task
        return task

    def find(self, raw):
        """The task a pid refers to, even one that has ended."""
        return self.live.get(raw) or self.get(raw)

    def spawn(self, creator_raw, child_raw, kind, syscall, call):
        parent = self.get(creator_raw).process
        child = self.live.get(child_raw)
        # Its own lines may come before the clone returns, even its end.
        if child is None or child.creator or child is self.root:
            child = self.live[child_raw] = Task(child_raw)
        child.creator, child.kind, child.syscall, child.call = parent, kind, syscall, call
        child.process = parent if kind == "thread" else child
        parent.made.append(child)
        return child

    def end_process(self, process):
        for task in self.live.values():
            if task.process is process:
                task.dead = True

    def name_all(self):
        if self.root is None:
            return
        self.root.name = "1"
        todo = [self.root]
        while todo:
            proc = todo.pop()
            for k, child in enumerate(proc.made, 1):
                child.name = f"{proc.name}.{k}"
                todo.append(child)
        for task in self.live.values():
            if task.name is None:
                task.name = f"?{task.raw}"


def _name(task):
    return task.name if task is not None else None


class _Collector:
    """Facts gathered against Task objects (the task that did it: its
    process is known for sure only at the end), named once all are known."""

    def __init__(self):
        self.tasks = Tasks()
        self.exits = []      # (task, dict)
        self.waits = []      # (task, dict with Task values)
        self.signals = []    # (task, sig, code, sender task)
        self.calls = []      # (task, dict)
        self.execs = []      # (task, argv)
        self.first_exec_done = False

    def exec_(self, task, argv):
        root = self.tasks.root
        if task.process is root and not root.made and not self.first_exec_done:
            self.first_exec_done = True  # the launch of the command itself
            return
        self.execs.append((task, argv))

    def facts(self):
        self.tasks.name_all()
        f = Facts()
        for task in _all_tasks(self.tasks):
            f.tasks[task.name] = {"kind": task.kind, "syscall": task.syscall, "call": task.call}
        for task, end in self.exits:
            f.exits[task.name] = end
        for task, w in self.waits:
            if w.get("_restarted"):
                continue
            w = dict(w)
            if isinstance(w["pid"], Task):
                w["pid"] = w["pid"].name
            w["child"] = _name(w["child"])
            f.waits.setdefault(task.process.name, []).append(w)
        for task, sig, code, sender in self.signals:
            f.signals.setdefault(task.process.name, []).append([sig, code, _name(sender)])
        for deliveries in f.signals.values():
            deliveries.sort(key=repr)
        for task, call in self.calls:
            f.calls.setdefault(task.process.name, []).append(call)
        for task, argv in self.execs:
            f.execs.setdefault(task.process.name, []).append(argv)
        return f


def _all_tasks(tasks):
    seen, todo = [], [tasks.root] if tasks.root else []
    while todo:
        task = todo.pop(0)
        seen.append(task)
        todo.extend(task.made)
    return seen


def spawn_call(syscall, flags):
    """The library call a clone most likely came from, by its flags."""
    if "CLONE_THREAD" in flags:
        return "pthread_create"
    if syscall in ("fork", "vfork"):
        return syscall
    if "CLONE_VFORK" in flags and "CLONE_VM" in flags:
        return "posix_spawn"
    if "CLONE_VM" not in flags:
        return "fork"
    return "clone"


# strace's output.

def run_strace(argv, timeout=120, calls=STRACE_CALLS):
    """Run argv under strace, following calls (strace's -e trace=);
    returns (exit status, strace's output, stderr)."""
    with tempfile.TemporaryDirectory(prefix="oracle-") as tmp:
        out = Path(tmp) / "strace.txt"
        cmd = ["strace", "-f", "-q", "-s", "4096", "-o", str(out),
               "-e", f"trace={calls}", "-e", "signal=all", "--", *map(str, argv)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return proc.returncode, out.read_text(errors="replace"), proc.stderr


def strace_facts(text):
    return StraceParser().parse(text)


_LINE = re.compile(r"^(\d+)\s+(.*)$")
_CALL = re.compile(r"^(\w+)\((.*)\)\s+=\s+(\S+)(?:\s+(E[A-Z0-9_]+))?(?:\s+\((.*)\))?$")
_UNFINISHED = re.compile(r"<(?:unfinished|pid changed to \d+) \.\.\.>$")
_RESUMED = re.compile(r"^<\.\.\. (\w+) resumed>(.*)$")
_EXITED = re.compile(r"^\+\+\+ exited with (\d+) \+\+\+$")
_KILLED = re.compile(r"^\+\+\+ killed by (SIG\w+)( \(core dumped\))? \+\+\+$")
_SUPERSEDED = re.compile(r"^\+\+\+ superseded by execve in pid (\d+) \+\+\+$")
_SIGNAL = re.compile(r"^--- (SIG\w+) \{(.*)\} ---$")


class StraceParser:
    def __init__(self):
        self.c = _Collector()
        self.unfinished = {}   # raw tid -> text of a call not yet returned
        self.interrupted = {}  # raw tid -> record of a call a signal cut short

    def parse(self, text):
        for line in text.splitlines():
            m = _LINE.match(line)
            if m:
                self.line(int(m.group(1)), m.group(2).strip())
        return self.c.facts()

    def line(self, tid, body):
        task = self.c.tasks.get(tid)
        m = _UNFINISHED.search(body)
        if m:
            # "<pid changed to N ...>" is an execve by a thread: the
            # "superseded" line that follows moves it to pid N.
            self.unfinished[tid] = body[: m.start()]
            return
        m = _RESUMED.match(body)
        if m:
            body = self.unfinished.pop(tid, m.group(1) + "(") + m.group(2)
        if body.startswith("+++"):
            return self.ending(tid, task, body)
        m = _SIGNAL.match(body)
        if m:
            return self.signal(tid, task, m.group(1), _fields(m.group(2)))
        m = _CALL.match(body)
        if m:
            self.call(tid, task, *m.groups())

    def ending(self, tid, task, body):
        self.unfinished.pop(tid, None)
        self.interrupted.pop(tid, None)
        m = _SUPERSEDED.match(body)
        if m:
            # The thread that called execve becomes this (main) thread.
            old = int(m.group(1))
            thread = self.c.tasks.get(old)
            self.c.exits.append((thread, {"exec": True}))
            thread.dead = True
            if old in self.unfinished:
                self.unfinished[tid] = self.unfinished.pop(old)
            return
        m = _EXITED.match(body)
        if m:
            end = {"code": int(m.group(1)), "signal": None, "core": False}
        else:
            m = _KILLED.match(body)
            if not m:
                return
            end = {"code": None, "signal": m.group(1), "core": bool(m.group(2))}
        self.c.exits.append((task, end))
        task.dead = True

    def signal(self, tid, task, sig, info):
        pending = self.interrupted.get(tid)
        if pending is not None and "interrupted" in pending and pending["signal"] is None:
            pending["signal"] = sig
        sender = int(info.get("si_pid", "0") or 0)
        self.c.signals.append((task, sig, info.get("si_code"),
                               self.c.tasks.find(sender) if sender > 0 else None))

    def call(self, tid, task, name, args, ret, err, extra):
        pending = self.interrupted.pop(tid, None)
        if pending is not None:
            # The handler's return tells: -1 EINTR, or the call runs again.
            eintr = name == "rt_sigreturn" and ret == "-1" and err == "EINTR"
            is_wait = pending.get("call") in WAIT_CALLS
            if eintr:
                pending.update({"err": "EINTR"} if is_wait else
                               {"ret": -1, "err": "EINTR", "interrupted": "EINTR"})
            elif is_wait:
                pending["_restarted"] = True  # only its rerun counts
            else:
                pending["interrupted"] = "restarted"
        value = int(ret, 0) if ret != "?" else None
        restartable = ret == "?" and (err or "").startswith("ERESTART")

        if name in SPAWN_CALLS and value is not None and value > 0:
            flags = _flags(args)
            kind = "thread" if "CLONE_THREAD" in flags else "process"
            self.c.tasks.spawn(tid, value, kind, name, spawn_call(name, flags))
        elif name in ("execve", "execveat") and value == 0:
            parts = _split(args)
            self.c.exec_(task, _strings(parts[1 if name == "execve" else 2]))
        elif name in WAIT_CALLS:
            record = self.wait(name, _split(args), value, err)
            if restartable:
                record["err"] = None
                self.interrupted[tid] = record
            self.c.waits.append((task, record))
        elif name in COMPARED_CALLS:
            record = {"name": name, "ret": value, "err": err, "interrupted": None, "signal": None}
            if name in ("select", "pselect6"):
                parts = _split(args)
                record["readfds"] = _fds(parts[1])
                ready = re.search(r"\bin \[([\d ]*)\]", extra or "")
                record["ready"] = (None if record["readfds"] is None else
                                   [int(x) for x in ready.group(1).split()] if ready else [])
            if restartable:
                record.update(ret=None, err=None)
                self.interrupted[tid] = record
            self.c.calls.append((task, record))

    def wait(self, name, parts, value, err):
        tasks = self.c.tasks
        if name == "wait4":
            pid = int(parts[0])
            options = _options(parts[2], wait4=True)
            status = _wait_status(parts[1]) if value and value > 0 else None
            child = tasks.find(value) if value and value > 0 else None
        else:  # waitid(idtype, id, infop, options, rusage)
            idtype, ident = parts[0], parts[1]
            pid = (-1 if idtype == "P_ALL" else int(ident) if idtype == "P_PID"
                   else -int(ident) if idtype == "P_PGID" else idtype)
            options = _options(parts[3], wait4=False)
            info = _fields(parts[2].strip("{}")) if parts[2].startswith("{") else {}
            child_pid = int(info.get("si_pid", "0") or 0)
            child = tasks.find(child_pid) if value == 0 and child_pid > 0 else None
            status = _siginfo_status(info) if child else None
        if isinstance(pid, int) and pid > 0:
            pid = tasks.find(pid)
        return {"call": name, "pid": pid, "options": options, "child": child,
                "status": status, "err": err}


def _split(args):
    """Split strace's argument text at top-level commas."""
    parts, depth, quoted, start, i = [], 0, False, 0, 0
    while i < len(args):
        ch = args[i]
        if quoted:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(args[start:i].strip())
            start = i + 1
        i += 1
    parts.append(args[start:].strip())
    return parts


def _fields(text):
    """{a=1, b=X} innards to a dict of strings."""
    out = {}
    for part in _split(text):
        key, _, value = part.partition("=")
        out[key.strip()] = value.strip()
    return out


def _flags(args):
    m = re.search(r"flags=([\w|]+)", args)
    return set(m.group(1).split("|")) if m else set()


def _strings(text):
    """["a", "b"] to a list of str."""
    text = re.sub(r"\s*/\*.*?\*/\s*$", "", text.strip())
    if text in ("NULL", "[]"):
        return []
    return [ast.literal_eval(s.rstrip(".")) for s in _split(text.strip()[1:-1])]


def _fds(text):
    if text == "NULL":
        return None
    return [int(x) for x in text.strip("[]").split()]


def _options(text, wait4):
    names = [] if text == "0" else text.split("|")
    if wait4:  # the same bit; for wait4 C calls it WUNTRACED
        names = ["WUNTRACED" if n == "WSTOPPED" else n for n in names]
    return sorted(names)


def _wait_status(text):
    m = re.search(r"WIFEXITED\(s\) && WEXITSTATUS\(s\) == (\d+)", text)
    if m:
        return {"exited": int(m.group(1))}
    m = re.search(r"WIFSIGNALED\(s\) && WTERMSIG\(s\) == (SIG\w+)( && WCOREDUMP\(s\))?", text)
    if m:
        return {"signaled": m.group(1), "core": bool(m.group(2))}
    m = re.search(r"WIFSTOPPED\(s\) && WSTOPSIG\(s\) == (SIG\w+)", text)
    if m:
        return {"stopped": m.group(1)}
    if "WIFCONTINUED(s)" in text:
        return {"continued": True}
    return None


def _siginfo_status(info):
    code, status = info.get("si_code"), info.get("si_status", "")
    if code == "CLD_EXITED":
        return {"exited": int(status)}
    if code in ("CLD_KILLED", "CLD_DUMPED"):
        return {"signaled": status, "core": code == "CLD_DUMPED"}
    if code in ("CLD_STOPPED", "CLD_TRAPPED"):
        return {"stopped": status}
    if code == "CLD_CONTINUED":
        return {"continued": True}
    return None


# The tracer's events, reduced the same way.

def trace_facts(trace):
    c = _Collector()
    tasks = c.tasks
    if trace.root is not None:
        tasks.get(trace.root)
    for ev in trace.events:
        kind = ev.get("type")
        if kind not in ("spawn", "exec", "exit", "signal", "syscall") or "tid" not in ev:
            continue  # state and reap events may name tasks already gone
        task = tasks.find(ev["tid"]) if kind == "exit" else tasks.get(ev["tid"])
        if ev["tid"] != ev["pid"] and task.creator is None and task is not tasks.root:
            task.process = tasks.find(ev["pid"])  # a thread not yet claimed
        proc = task.process
        if kind == "spawn":
            tasks.spawn(ev["tid"], ev["child"], ev.get("kind"), ev.get("syscall"), ev.get("call"))
        elif kind == "exec":
            if ev.get("old_tid") is not None:
                old = tasks.find(ev["old_tid"])
                c.exits.append((old, {"exec": True}))
                old.dead = True
            c.exec_(task, ev.get("argv"))
        elif kind == "exit":
            end = {"code": ev.get("code"), "signal": ev.get("signal"), "core": bool(ev.get("core"))}
            if ev.get("process"):
                c.exits.append((proc, end))
                tasks.end_process(proc)
            elif ev["tid"] != ev["pid"]:
                c.exits.append((task, end))
                task.dead = True
        elif kind == "signal":
            sender = ev.get("sender")
            c.signals.append((task, ev.get("sig"), ev.get("code"),
                              tasks.find(sender) if sender else None))
        elif kind == "syscall":
            _trace_syscall(c, task, ev)
    return c.facts()


def _trace_syscall(c, task, ev):
    name, args, out = ev.get("name"), ev.get("args") or {}, ev.get("out") or {}
    restarted = ev.get("interrupted") == "restarted"
    if name in WAIT_CALLS and not restarted:
        ret = ev.get("ret")
        pid = args.get("pid")
        if isinstance(pid, int) and pid > 0:
            pid = c.tasks.find(pid)
        child_pid = ret if name == "wait4" else out.get("pid")
        has_child = isinstance(child_pid, int) and child_pid > 0 and ev.get("err") is None
        c.waits.append((task, {"call": name, "pid": pid, "options": sorted(args.get("options") or []),
                               "child": c.tasks.find(child_pid) if has_child else None,
                               "status": out.get("status") if has_child else None,
                               "err": ev.get("err")}))
    elif name in COMPARED_CALLS:
        record = {"name": name, "ret": None if restarted else ev.get("ret"),
                  "err": None if restarted else ev.get("err"),
                  "interrupted": ev.get("interrupted"),
                  "signal": ev.get("signal") if ev.get("interrupted") else None}
        if name in ("select", "pselect6"):
            record["readfds"] = args.get("readfds")
            record["ready"] = (None if args.get("readfds") is None
                               else sorted(out.get("readfds") or []))
        c.calls.append((task, record))
