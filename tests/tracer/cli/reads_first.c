/* reads_first: its first calls are the ones a dynamic loader makes too
 * (openat, read, close); built static, it has no loader, so they are all
 * its own. */
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
	char buf[16];
	int fd = open("/dev/null", O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof buf) != 0 || close(fd) != 0)
		return 1;
	return getppid() > 0 ? 0 : 1;
}
