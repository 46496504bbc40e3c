/* A lab 7 that does not compile, for the grading tests. */
#include "labkit.h"

int main(int argc, char **argv)
{
	int listenfd = tcp_listen(argc > 1 ? argv[1] : "0")
	return listenfd;
}
