/* ctor_fork: a constructor forks, before main. The child reads 8 bytes of
 * /dev/null in the constructor (set-up, as the parent's loader calls are),
 * then both processes run main, which reads 16 bytes each (their own
 * code); the parent waits for the child. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t child = -1;

static int touch(unsigned count)
{
	char buf[16];
	int fd = open("/dev/null", O_RDONLY);
	return fd >= 0 && read(fd, buf, count) == 0 && close(fd) == 0;
}

__attribute__((constructor)) static void setup(void)
{
	child = fork();
	if (child == 0 && !touch(8))
		_exit(1);
}

int main(void)
{
	int status = 0;
	if (child < 0 || !touch(16))
		return 1;
	if (child > 0 && waitpid(child, &status, 0) != child)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
