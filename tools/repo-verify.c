// SPDX-License-Identifier: GPL-2.0
#include "tools/repo-verify.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int repo_verify_signature(const char *keyring, const char *data, const char *sig, char *why,
			  size_t size)
{
	struct stat st;
	int status;
	pid_t pid;

	if (stat(keyring, &st)) {
		snprintf(why, size, "no keyring %s of trusted repository keys", keyring);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(why, size, "cannot run gpgv");
		return -1;
	}
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		/* gpgv's own report is for people; its exit status is the verdict. */
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execlp("gpgv", "gpgv", "--quiet", "--keyring", keyring, "--", sig, data, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)) {
		snprintf(why, size, "gpgv did not finish");
		return -1;
	}
	if (WEXITSTATUS(status) == 127) {
		snprintf(why, size, "gpgv is not installed (Debian package gpgv)");
		return -1;
	}
	if (WEXITSTATUS(status)) {
		snprintf(why, size, "the signature %s does not verify against %s", sig, keyring);
		return -1;
	}
	return 0;
}
