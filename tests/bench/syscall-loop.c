// SPDX-License-Identifier: GPL-2.0
/*
 * Bench-only guest program (tests/bench/run): the average cost of one
 * getppid system call over a loop, in nanoseconds. getppid runs
 * __do_sys_getppid, one of the functions tests/bench/ten-functions.patch
 * replaces, so after the update each call also takes the trampoline.
 *
 *   syscall-loop CALLS ROUNDS   prints one ns-per-call figure per round
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long calls, rounds, i, r;
	double start;

	if (argc != 3 || (calls = atol(argv[1])) <= 0 || (rounds = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: syscall-loop CALLS ROUNDS\n");
		return 2;
	}
	for (r = 0; r < rounds; r++) {
		start = now_ns();
		for (i = 0; i < calls; i++)
			syscall(SYS_getppid);
		printf("%.1f\n", (now_ns() - start) / calls);
	}
	return 0;
}
