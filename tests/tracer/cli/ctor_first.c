/* ctor_first: a constructor makes calls a dynamic loader makes too (it
 * opens /dev/null, reads 8 bytes from it and closes it), as the lab kit's
 * does when it loads a message catalog; then main makes the same calls
 * with 16 bytes. The first are set-up, before main; the second its own. */
#include <fcntl.h>
#include <unistd.h>

static int setup_ok;

static int touch(unsigned count)
{
	char buf[16];
	int fd = open("/dev/null", O_RDONLY);
	return fd >= 0 && read(fd, buf, count) == 0 && close(fd) == 0;
}

__attribute__((constructor)) static void setup(void)
{
	setup_ok = touch(8);
}

int main(void)
{
	if (!setup_ok || !touch(16))
		return 1;
	return getppid() > 0 ? 0 : 1;
}
