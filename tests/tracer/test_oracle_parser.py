"""The oracle's two readers on hand-written input: strace's output and the
tracer's JSON Lines for the same run must reduce to the same facts.
Needs neither strace nor the tracer."""

import oracle
import tracelab

# A child that exits before its clone returns; an accept restarted after
# SIGCHLD; pid 101 used again by a second child, killed, whose SIGCHLD
# cuts a second accept short with EINTR.
STRACE_RUN = """\
100 execve("./a", ["./a"], 0x7ffd0 /* 3 vars */) = 0
100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD <unfinished ...>
101 exit_group(7)                     = ?
101 +++ exited with 7 +++
100 <... clone resumed>, child_tidptr=0x7f0) = 101
100 accept(3, NULL, NULL <unfinished ...>
100 <... accept resumed>)             = ? ERESTARTSYS (To be restarted if SA_RESTART is set)
100 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0, si_status=7, si_utime=0, si_stime=0} ---
100 rt_sigreturn({mask=[]})           = 43
100 accept(3, NULL, NULL)             = 5
100 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 7}], WNOHANG, NULL) = 101
100 wait4(-1, NULL, WNOHANG, NULL)    = -1 ECHILD (No child processes)
100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0) = 101
100 accept(3, NULL, NULL <unfinished ...>
101 +++ killed by SIGKILL +++
100 <... accept resumed>)             = ? ERESTARTSYS (To be restarted if SA_RESTART is set)
100 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=101, si_uid=0, si_status=SIGKILL, si_utime=0, si_stime=0} ---
100 rt_sigreturn({mask=[]})           = -1 EINTR (Interrupted system call)
100 wait4(101, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], WSTOPPED, NULL) = 101
100 exit_group(0)                     = ?
100 +++ exited with 0 +++
"""

TRACE_RUN = """\
{"type":"trace","t":0,"pid":100,"tid":100,"version":1,"argv":["./a"],"classes":["process","signal","wait","io"],"attached":false,"lab":null}
{"type":"exec","t":1,"pid":100,"tid":100,"path":"./a","argv":["./a"]}
{"type":"spawn","t":2,"pid":100,"tid":100,"child":101,"kind":"process","call":"fork","syscall":"clone","flags":["CLONE_CHILD_CLEARTID","CLONE_CHILD_SETTID"]}
{"type":"exit","t":3,"pid":101,"tid":101,"code":7,"signal":null,"core":false,"process":true}
{"type":"state","t":3,"pid":101,"tid":101,"from":"exited","to":"zombie"}
{"type":"signal","t":4,"pid":100,"tid":100,"sig":"SIGCHLD","sender":101,"code":"CLD_EXITED","action":"handler","child_status":{"exited":7}}
{"type":"syscall","t":5,"pid":100,"tid":100,"name":"accept","call":"accept","class":"io","args":{"fd":3,"flags":[]},"out":{},"ret":-1,"err":"ERESTARTSYS","dur_ns":1,"interrupted":"restarted","signal":"SIGCHLD"}
{"type":"syscall","t":6,"pid":100,"tid":100,"name":"accept","call":"accept","class":"io","args":{"fd":3,"flags":[]},"out":{},"ret":5,"err":null,"dur_ns":1}
{"type":"syscall","t":7,"pid":100,"tid":100,"name":"wait4","call":"waitpid","class":"wait","args":{"pid":-1,"options":["WNOHANG"]},"out":{"status":{"exited":7}},"ret":101,"err":null,"dur_ns":1}
{"type":"state","t":7,"pid":101,"tid":101,"from":"zombie","to":"reaped"}
{"type":"reap","t":7,"pid":100,"tid":100,"child":101,"by":100,"how":"wait","zombie_ns":4,"leaked":false}
{"type":"syscall","t":8,"pid":100,"tid":100,"name":"wait4","call":"waitpid","class":"wait","args":{"pid":-1,"options":["WNOHANG"]},"out":{},"ret":-1,"err":"ECHILD","dur_ns":1}
{"type":"spawn","t":9,"pid":100,"tid":100,"child":101,"kind":"process","call":"fork","syscall":"clone","flags":[]}
{"type":"exit","t":10,"pid":101,"tid":101,"code":null,"signal":"SIGKILL","core":false,"process":true}
{"type":"signal","t":11,"pid":100,"tid":100,"sig":"SIGCHLD","sender":101,"code":"CLD_KILLED","action":"handler","child_status":{"signaled":"SIGKILL","core":false}}
{"type":"syscall","t":12,"pid":100,"tid":100,"name":"accept","call":"accept","class":"io","args":{"fd":3,"flags":[]},"out":{},"ret":-1,"err":"EINTR","dur_ns":1,"interrupted":"EINTR","signal":"SIGCHLD"}
{"type":"syscall","t":13,"pid":100,"tid":100,"name":"wait4","call":"waitpid","class":"wait","args":{"pid":101,"options":["WUNTRACED"]},"out":{"status":{"signaled":"SIGKILL","core":false}},"ret":101,"err":null,"dur_ns":1}
{"type":"exit","t":14,"pid":100,"tid":100,"code":0,"signal":null,"core":false,"process":true}
{"type":"summary","t":15,"pid":100,"tid":100,"exit":0,"processes":3,"threads":0,"signals":{"SIGCHLD":2},"zombies":{"leaked":[],"transient":2,"max_concurrent":1,"auto":0,"adopted":0},"timed_out":false,"lost":0,"tree":[]}
"""

FORK = {"kind": "process", "syscall": "clone", "call": "fork"}
EXPECTED = oracle.Facts(
    tasks={"1": {"kind": "process", "syscall": None, "call": None}, "1.1": FORK, "1.2": FORK},
    exits={"1.1": {"code": 7, "signal": None, "core": False},
           "1.2": {"code": None, "signal": "SIGKILL", "core": False},
           "1": {"code": 0, "signal": None, "core": False}},
    waits={"1": [
        {"call": "wait4", "pid": -1, "options": ["WNOHANG"], "child": "1.1",
         "status": {"exited": 7}, "err": None},
        {"call": "wait4", "pid": -1, "options": ["WNOHANG"], "child": None,
         "status": None, "err": "ECHILD"},
        {"call": "wait4", "pid": "1.2", "options": ["WUNTRACED"], "child": "1.2",
         "status": {"signaled": "SIGKILL", "core": False}, "err": None}]},
    signals={"1": [["SIGCHLD", "CLD_EXITED", "1.1"], ["SIGCHLD", "CLD_KILLED", "1.2"]]},
    calls={"1": [
        {"name": "accept", "ret": None, "err": None, "interrupted": "restarted", "signal": "SIGCHLD"},
        {"name": "accept", "ret": 5, "err": None, "interrupted": None, "signal": None},
        {"name": "accept", "ret": -1, "err": "EINTR", "interrupted": "EINTR", "signal": "SIGCHLD"}]},
    execs={},
)

# A thread execs while its clone has not yet returned in the main thread;
# strace says "pid changed" instead of "unfinished".
STRACE_EXEC = """\
200 execve("./b", ["./b"], 0x7ff0 /* 3 vars */) = 0
200 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, exit_signal=0, stack=0x7f0, stack_size=0x7fff80, tls=0x7f0} => {parent_tid=[201]}, 88) = 201
201 execve("/proc/self/exe", ["b", "after"], 0x55a0 /* 4 vars */ <pid changed to 200 ...>
200 +++ superseded by execve in pid 201 +++
200 <... execve resumed>)             = 0
200 exit_group(0)                     = ?
200 +++ exited with 0 +++
"""

TRACE_EXEC = """\
{"type":"exec","t":1,"pid":200,"tid":200,"path":"./b","argv":["./b"]}
{"type":"spawn","t":2,"pid":200,"tid":200,"child":201,"kind":"thread","call":"pthread_create","syscall":"clone3","flags":["CLONE_VM","CLONE_THREAD"]}
{"type":"exec","t":3,"pid":200,"tid":200,"path":"/proc/self/exe","argv":["b","after"],"old_tid":201}
{"type":"exit","t":4,"pid":200,"tid":200,"code":0,"signal":null,"core":false,"process":true}
"""

EXPECTED_EXEC = oracle.Facts(
    tasks={"1": {"kind": "process", "syscall": None, "call": None},
           "1.1": {"kind": "thread", "syscall": "clone3", "call": "pthread_create"}},
    exits={"1.1": {"exec": True}, "1": {"code": 0, "signal": None, "core": False}},
    execs={"1": [["b", "after"]]},
)


def test_strace_reader():
    assert oracle.strace_facts(STRACE_RUN) == EXPECTED
    assert oracle.strace_facts(STRACE_EXEC) == EXPECTED_EXEC


def test_trace_reader():
    assert oracle.trace_facts(tracelab.load(TRACE_RUN)) == EXPECTED
    assert oracle.trace_facts(tracelab.load(TRACE_EXEC)) == EXPECTED_EXEC


def test_select_both_ways():
    strace = ('300 pselect6(6, [3 5], NULL, NULL, NULL, NULL) = 1 (in [5])\n'
              '300 pselect6(6, [3 5], NULL, NULL, {tv_sec=0, tv_nsec=10000000}, NULL) = 0 (Timeout)\n')
    trace = ('{"type":"syscall","pid":300,"tid":300,"name":"pselect6","call":"select","args":{"nfds":6,"readfds":[3,5],"writefds":null,"exceptfds":null,"timeout_ns":null},"out":{"readfds":[5]},"ret":1,"err":null}\n'
             '{"type":"syscall","pid":300,"tid":300,"name":"pselect6","call":"select","args":{"nfds":6,"readfds":[3,5],"writefds":null,"exceptfds":null,"timeout_ns":10000000},"out":{"readfds":[]},"ret":0,"err":null}\n')
    want = [{"name": "pselect6", "ret": 1, "err": None, "interrupted": None, "signal": None,
             "readfds": [3, 5], "ready": [5]},
            {"name": "pselect6", "ret": 0, "err": None, "interrupted": None, "signal": None,
             "readfds": [3, 5], "ready": []}]
    assert oracle.strace_facts(strace).calls == {"1": want}
    assert oracle.trace_facts(tracelab.load(trace)).calls == {"1": want}


def test_spawn_call_by_flags():
    assert oracle.spawn_call("clone3", {"CLONE_VM", "CLONE_THREAD"}) == "pthread_create"
    assert oracle.spawn_call("clone3", {"CLONE_VM", "CLONE_VFORK"}) == "posix_spawn"
    assert oracle.spawn_call("clone", {"CLONE_CHILD_SETTID"}) == "fork"
    assert oracle.spawn_call("vfork", set()) == "vfork"
    assert oracle.spawn_call("clone", {"CLONE_VM"}) == "clone"


def test_interrupted_waits_both_ways():
    strace = """\
400 wait4(-1,  <unfinished ...>
400 <... wait4 resumed>0x7ffc, 0, NULL) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)
400 --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=400, si_uid=0} ---
400 rt_sigreturn({mask=[]})           = -1 EINTR (Interrupted system call)
400 wait4(-1, 0x7ffc, 0, NULL)        = ? ERESTARTSYS (To be restarted if SA_RESTART is set)
400 --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=400, si_uid=0} ---
400 rt_sigreturn({mask=[]})           = 61
400 wait4(-1, 0x7ffc, 0, NULL)        = -1 ECHILD (No child processes)
"""
    wait = '{"type":"syscall","pid":400,"tid":400,"name":"wait4","call":"wait","args":{"pid":-1,"options":[]},"out":{},'
    usr1 = '{"type":"signal","pid":400,"tid":400,"sig":"SIGUSR1","sender":400,"code":"SI_USER","action":"handler"}'
    trace = "\n".join([
        usr1, wait + '"ret":-1,"err":"EINTR","interrupted":"EINTR","signal":"SIGUSR1"}',
        usr1, wait + '"ret":-1,"err":"ERESTARTSYS","interrupted":"restarted","signal":"SIGUSR1"}',
        wait + '"ret":-1,"err":"ECHILD"}'])
    failed = {"call": "wait4", "pid": -1, "options": [], "child": None, "status": None}
    want = oracle.Facts(
        tasks={"1": {"kind": "process", "syscall": None, "call": None}},
        waits={"1": [{**failed, "err": "EINTR"}, {**failed, "err": "ECHILD"}]},
        signals={"1": [["SIGUSR1", "SI_USER", "1"]] * 2})
    assert oracle.strace_facts(strace) == want
    assert oracle.trace_facts(tracelab.load(trace)) == want
