/* lone_child MS [daemon]: one child sleeps MS ms and exits while its
 * parent sleeps in pause(); the SIGCHLD handler reaps it and the parent
 * exits. With "daemon", a first child that never exits is made before
 * it, and the parent pauses until it is killed. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A daemon's sleep: longer than any test's --timeout. */
#define DAEMON_S 60

static volatile sig_atomic_t reaped;

static void on_chld(int sig)
{
	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		reaped++;
}

int main(int argc, char **argv)
{
	int ms = argc > 1 ? atoi(argv[1]) : 0;
	int daemon = argc > 2 && strcmp(argv[2], "daemon") == 0;
	signal(SIGCHLD, on_chld);
	if (daemon && fork() == 0) {
		sleep(DAEMON_S);
		_exit(0);
	}
	if (fork() == 0) {
		usleep((useconds_t)ms * 1000);
		_exit(0);
	}
	while (daemon || !reaped)
		pause();
	return 0;
}
