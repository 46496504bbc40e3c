/* threadloop N: create and join N threads, one after another. */
#include <pthread.h>
#include <stdlib.h>

static void *work(void *arg) { return arg; }

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100;
	for (int i = 0; i < n; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, work, NULL) != 0 || pthread_join(t, NULL) != 0)
			return 1;
	}
	return 0;
}
