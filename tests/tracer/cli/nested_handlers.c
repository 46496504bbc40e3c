/* nested_handlers: SIGUSR1's handler writes "h1 in", raises SIGUSR2 (whose
 * handler writes "h2") and writes "h1 out"; main raises SIGUSR1 and then
 * writes "main". Each write is one line on stdout, unbuffered. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

static void say(const char *s) { (void)!write(1, s, strlen(s)); }
static void h2(int sig) { (void)sig; say("h2\n"); }
static void h1(int sig)
{
	(void)sig;
	say("h1 in\n");
	raise(SIGUSR2);
	say("h1 out\n");
}

int main(void)
{
	signal(SIGUSR1, h1);
	signal(SIGUSR2, h2);
	raise(SIGUSR1);
	say("main\n");
	return 0;
}
