#define _GNU_SOURCE
/* eintr_two_signals: a SIGWINCH handler installed without SA_RESTART; the
 * parent blocks in read() on a pipe; a child sends it SIGWINCH with
 * sigqueue() and exits, so SIGCHLD (default action: nothing runs) and
 * SIGWINCH (handled) are both pending. It prints what read() returned:
 * "read -1 EINTR" (the handler had no SA_RESTART). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_winch(int sig) { (void)sig; }

int main(void)
{
	int p[2];
	char c;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_winch;   /* no SA_RESTART */
	sigaction(SIGWINCH, &sa, NULL);
	if (pipe(p) < 0)
		return 1;
	pid_t parent = getpid();
	if (fork() == 0) {
		usleep(20000);   /* the parent is in read() by now */
		sigqueue(parent, SIGWINCH, (union sigval){ 0 });
		_exit(0);
	}
	ssize_t r = read(p[0], &c, 1);
	printf("read %zd %s\n", r, r < 0 ? strerrorname_np(errno) : "");
	wait(NULL);
	return 0;
}
