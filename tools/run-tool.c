// SPDX-License-Identifier: GPL-2.0
#include "tools/run-tool.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tools/common.h"

static int in_own_directory(const char *verb, char *dst, unsigned long size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	snprintf(dst, size, "%s/ksplice-%s", self, verb);
	return access(dst, X_OK);
}

static int in_path(const char *verb, char *dst, unsigned long size)
{
	const char *path = getenv("PATH");
	char dirs[4096], *dir, *save;

	snprintf(dirs, sizeof(dirs), "%s", path && *path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		snprintf(dst, size, "%s/ksplice-%s", dir, verb);
		if (!access(dst, X_OK))
			return 0;
	}
	return -1;
}

int tool_path(const char *verb, char *dst, unsigned long size)
{
	return in_own_directory(verb, dst, size) && in_path(verb, dst, size) ? -1 : 0;
}

void exec_tool(const char *verb, char **argv)
{
	char path[PATH_MAX];

	if (tool_path(verb, path, sizeof(path))) {
		tool_error("no command ksplice-%s (see 'ksplice help')", verb);
		return;
	}
	argv[0] = path;
	execv(path, argv);
	tool_error("cannot run %s: %s", path, strerror(errno));
}

static void read_all(int fd, char *out, unsigned long size)
{
	unsigned long len = 0;
	char sink[4096];
	ssize_t n;

	/* Keep the start; drain the rest so the child never blocks on a full pipe. */
	while ((n = read(fd, len + 1 < size ? out + len : sink,
			 len + 1 < size ? size - 1 - len : sizeof(sink))) > 0)
		if (len + 1 < size)
			len += n;
	out[len] = '\0';
}

int run_tool(const char *verb, char **argv, char *out, unsigned long out_size)
{
	char path[PATH_MAX];
	int pipefd[2] = { -1, -1 }, status;
	pid_t pid;

	if (tool_path(verb, path, sizeof(path))) {
		tool_error("no command ksplice-%s next to %s or in PATH", verb, tool_name);
		return EXIT_SYSTEM;
	}
	if (out && pipe(pipefd))
		return EXIT_SYSTEM;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return EXIT_SYSTEM;
	if (!pid) {
		if (out) {
			dup2(pipefd[1], 1);
			dup2(pipefd[1], 2);
			close(pipefd[0]);
			close(pipefd[1]);
		}
		argv[0] = path;
		execv(path, argv);
		_exit(127);
	}
	if (out) {
		close(pipefd[1]);
		read_all(pipefd[0], out, out_size);
		close(pipefd[0]);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return EXIT_SYSTEM;
	return WEXITSTATUS(status) == 127 ? EXIT_SYSTEM : WEXITSTATUS(status);
}
