/*
 * loop.c - one waitpid(__WALL) loop over every ptrace stop.
 *
 * Each stop is one of: a seccomp stop (a call we trace, at entry), a
 * syscall-exit stop (its return), a fork/clone/exec event, a group stop,
 * a signal about to be delivered, or a death. The loop tells them apart,
 * hands each to its handler (stops.h), and does what the handler returns:
 * this file makes the only ptrace restart calls. Between stops it lets
 * the tasks released from park.h go on, and gives the lab runner its tick.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include "core/stops.h"

volatile sig_atomic_t loop_timeout;

/* The status bits of a syscall stop under PTRACE_O_TRACESYSGOOD. */
#define SYSCALL_STOP (SIGTRAP | 0x80)
#define PTRACE_EVENT_OF(status) ((status) >> 16)

/* Let a stopped task go on, delivering sig. In seccomp mode the next stop
 * is the next traced call; attached (no filter) it is the next syscall. */
static void resume(struct tracer *tr, pid_t tid, int sig)
{
	ptrace(tr->seccomp ? PTRACE_CONT : PTRACE_SYSCALL, tid, 0, sig);
}

/* Do what a handler said. */
static void follow(struct tracer *tr, pid_t tid, struct next n)
{
	switch (n.how) {
	case NEXT_GO:
		resume(tr, tid, n.sig);
		break;
	case NEXT_TO_RETURN:
		ptrace(PTRACE_SYSCALL, tid, 0, n.sig);
		break;
	case NEXT_STAY_STOPPED:
		ptrace(PTRACE_LISTEN, tid, 0, 0);
		break;
	case NEXT_LET_GO:
		ptrace(PTRACE_DETACH, tid, 0, n.sig);
		break;
	case NEXT_PARKED:
	case NEXT_GONE:
		break;
	}
}

static void resume_released(struct tracer *tr)
{
	pid_t tid;
	int sig;
	while (park_take_released(&tr->parking, &tid, &sig))
		resume(tr, tid, sig);
}

static struct next on_syscall_stop(struct tracer *tr, pid_t tid, uint64_t t)
{
	struct __ptrace_syscall_info info;
	memset(&info, 0, sizeof info);
	if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) <= 0) {
		if (errno == ESRCH)   /* SIGKILLed since the stop: its death comes next */
			return (struct next){ NEXT_GONE, 0 };
		tr->lost++;
		return GO;
	}
	/* A new call is news for a held SIGCHLD; a return is not (the one a
	 * signal interrupts returns just before the signal's own stop). */
	if (tr->hold_sigchld && info.op != PTRACE_SYSCALL_INFO_EXIT)
		hold_activity(tr, tid, t);
	if ((info.op == PTRACE_SYSCALL_INFO_SECCOMP || info.op == PTRACE_SYSCALL_INFO_ENTRY) &&
	    is_foreign_call(info.arch, (long)info.entry.nr))
		return stop_foreign_call(tr, tid, info.arch, (long)info.entry.nr, t);
	switch (info.op) {
	case PTRACE_SYSCALL_INFO_SECCOMP:
		return stop_syscall_entry(tr, tid, (long)info.seccomp.nr, (const uint64_t *)info.seccomp.args, t);
	case PTRACE_SYSCALL_INFO_ENTRY:
		return stop_syscall_entry(tr, tid, (long)info.entry.nr, (const uint64_t *)info.entry.args, t);
	case PTRACE_SYSCALL_INFO_EXIT:
		return stop_syscall_return(tr, tid, info.exit.rval, t);
	default:
		return GO;
	}
}

static struct next on_stop(struct tracer *tr, pid_t tid, int status, uint64_t t)
{
	int sig = WSTOPSIG(status), event = PTRACE_EVENT_OF(status);
	if (tr->detaching) {
		end_calls(tr, tid, "detached", t);
		model_detach(tr->m, tid);
		/* A signal about to be delivered goes with it; nothing else does. */
		return (struct next){ NEXT_LET_GO, event == 0 && sig != SYSCALL_STOP ? sig : 0 };
	}
	if (event == PTRACE_EVENT_SECCOMP || sig == SYSCALL_STOP)
		return on_syscall_stop(tr, tid, t);
	switch (event) {
	case PTRACE_EVENT_FORK: case PTRACE_EVENT_VFORK: case PTRACE_EVENT_CLONE:
		if (tr->hold_sigchld)
			hold_activity(tr, tid, t);   /* a new child */
		return stop_spawn(tr, tid, t);
	case PTRACE_EVENT_EXEC:
		return stop_exec(tr, tid, t);
	case PTRACE_EVENT_STOP:
		return stop_group(tr, tid, sig, t);
	case 0:
		return stop_signal(tr, tid, sig, t);
	default:
		return GO;
	}
}

static void interrupt_one(pid_t tid, void *ctx) { (void)ctx; ptrace(PTRACE_INTERRUPT, tid, 0, 0); }

/* Detaching: a parked task is stopped already and will report no new
 * stop, so it is let go here. (A held SIGCHLD is sent again: hold_detach.) */
static void let_parked_go(struct tracer *tr)
{
	pid_t tid;
	struct parked *p;
	while ((p = park_any(&tr->parking))) {
		tid = p->tid;
		int sig = p->released ? p->sig : 0;
		park_forget(&tr->parking, tid);
		model_detach(tr->m, tid);
		follow(tr, tid, (struct next){ NEXT_LET_GO, sig });
	}
}

/* Ctrl-C, --timeout: kill what we started (Ctrl-C: after its SIGINT and a
 * grace, ctrl_c.c), or let go of what we attached to. And a limit passed
 * where the tree could not be killed at once (escapes.c). */
static void check_interrupts(struct tracer *tr)
{
	if (loop_timeout && !tr->killing) {
		tr->timed_out = 1;
		tracer_kill_tree(tr);
	}
	if (loop_interrupt && !tr->killing && !tr->detaching) {
		if (tr->attached) {
			tr->ctrl_c.sig = loop_interrupt;
			tr->detaching = 1;
			let_parked_go(tr);
			if (tr->hold_sigchld)
				hold_detach(tr, tracer_now(tr));
			model_each_task(tr->m, interrupt_one, NULL);
		} else {
			ctrl_c_check(tr);   /* its SIGINT, a grace, then the kill */
		}
	}
	if (tr->kill_wanted && !tr->killing)
		tracer_kill_tree(tr);
}

static void tick(struct tracer *tr, uint64_t t)
{
	if (tr->hold_sigchld)
		hold_tick(tr, t);
	if (tr->hooks.tick)
		tr->hooks.tick(tr->hooks.ctx, t);
}

/* How far up parent_first looks: a chain of dead parents is short. */
#define PARENTS_FIRST_MAX 16

static void handle(struct tracer *tr, pid_t tid, int status, const struct rusage *ru,
		   uint64_t t, int depth);

static int is_death(int si_code)
{
	return si_code == CLD_EXITED || si_code == CLD_KILLED || si_code == CLD_DUMPED;
}

/* An orphan's death can come to us before its parent's: once re-parented
 * to the tracer (the subreaper) the orphan is our own child, and
 * waitpid(-1) looks at our children before the tasks we only trace. When
 * a process dies whose parent the model still thinks alive, take the
 * parent's report first, so the trace tells the deaths in the order they
 * happened (the parent died first: that is why the child is an orphan). */
static int parent_first(struct tracer *tr, pid_t tid, int depth)
{
	int status;
	siginfo_t si;
	struct rusage ru;
	pid_t parent = model_pid_of(tr->m, tid) == tid ? model_parent(tr->m, tid) : 0;
	if (parent <= 0 || depth >= PARENTS_FIRST_MAX || model_has_exited(tr->m, parent))
		return 0;
	/* Only its death: any other report of the parent (a stop at the wait
	 * that reaps this child, say) must come after this death. So peek
	 * (WNOWAIT; a tracer is shown its tracees' stops even when it asks for
	 * exits only) and take the report only when it is an exit. */
	si.si_pid = 0;
	if (waitid(P_PID, (id_t)parent, &si, WEXITED | WNOHANG | WNOWAIT | __WALL) != 0 ||
	    si.si_pid != parent || !is_death(si.si_code) || wait4(parent, &status, __WALL, &ru) != parent)
		return 0;
	handle(tr, parent, status, &ru, tracer_now(tr), depth + 1);
	return 1;
}

/* One report of wait4: a stop or a death of a traced task, or the end
 * of the lab runner's helper. For a death, ru is the CPU time the kernel
 * counted for the task's process and the children it reaped. */
static void handle(struct tracer *tr, pid_t tid, int status, const struct rusage *ru,
		   uint64_t t, int depth)
{
	if (tr->hooks.owns && tr->hooks.owns(tr->hooks.ctx, tid, status, t))
		return;
	struct next n = { NEXT_GONE, 0 };
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (parent_first(tr, tid, depth))
			t = tracer_now(tr);   /* after the parent's, as it happened */
		n = stop_death(tr, tid, status, ru, t);
	} else if (WIFSTOPPED(status)) {
		n = on_stop(tr, tid, status, t);
	}
	resume_released(tr);   /* first, as a new child went before its parent */
	follow(tr, tid, n);
}

void loop_first_stop(struct tracer *tr, pid_t child)
{
	int status;
	struct rusage ru;
	pid_t got;
	do {
		while ((got = wait4(child, &status, __WALL, &ru)) < 0 && errno == EINTR)
			;
		if (got != child)
			return;
		handle(tr, child, status, &ru, tracer_now(tr), 0);
	} while (exec_under_way(tr, child) && !tr->root_done);   /* until it ran, or failed */
}

void loop_run(struct tracer *tr)
{
	for (;;) {
		escapes_before_wait(tr);
		check_interrupts(tr);
		if (tr->detaching && model_live_tasks(tr->m) == 0)
			break;
		int status;
		struct rusage ru;
		pid_t tid = wait4(-1, &status, __WALL, &ru);
		uint64_t t = tracer_now(tr);
		if (tid < 0) {
			if (errno == EINTR) {
				tick(tr, t);
				stream_flush(tr->out);
				continue;
			}
			break;   /* ECHILD: nothing left to trace */
		}
		handle(tr, tid, status, &ru, t, 0);
		tick(tr, t);   /* a helper's end, too, may be the runner's cue */
		escapes_tick(tr, t);
		stream_flush(tr->out);   /* this stop's events, written whole */
	}
	end_all_calls(tr, "ended", tracer_now(tr));
	model_end(tr->m);
}
