// SPDX-License-Identifier: GPL-2.0
#include "tools/debug-log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/common.h"

#define KSPLICE_DEBUGFS_DIR "/sys/kernel/debug/ksplice"

static const char *debugfs_dir(void)
{
	const char *env = getenv("KSPLICE_DEBUGFS_DIR");

	return env && *env ? env : KSPLICE_DEBUGFS_DIR;
}

/* The whole file at @path (a debugfs or sysfs file: no size known ahead). */
static char *read_all(const char *path)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap), *nbuf;
	int fd = open(path, O_RDONLY | O_CLOEXEC), saved;
	ssize_t n;

	if (fd < 0 || !buf)
		goto fail;
	for (;;) {
		if (cap - len < 2) {
			nbuf = realloc(buf, cap * 2);
			if (!nbuf)
				goto fail;
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	free(buf);
	errno = saved;
	return NULL;
}

char *debug_log_read(const char *id, const char **note)
{
	char path[PATH_MAX];
	struct stat st;
	char *log;

	*note = NULL;
	snprintf(path, sizeof(path), "%s/%s", debugfs_dir(), id);
	log = read_all(path);
	if (log)
		return log;
	if (stat(debugfs_dir(), &st))
		*note = "debugfs is not mounted (mount -t debugfs none /sys/kernel/debug): "
			"this is only the first page of the log, from sysfs";
	else
		*note = "the debugfs log file is missing: this is only the first page of the log, "
			"from sysfs";
	snprintf(path, sizeof(path), "%s/%s/debug", sysfs_dir(), id);
	return read_all(path);
}

int debug_log_reason(const char *log, const char *cause, char *line, size_t size)
{
	size_t clen = strlen(cause), len;
	const char *p, *end, *colon;

	for (p = log; *p; p = *end ? end + 1 : end) {
		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		colon = p;
		/* "CAUSE: " at the start, or after "TARGET: " (a name without spaces). */
		if (strncmp(p, cause, clen) || p[clen] != ':') {
			colon = memchr(p, ':', end - p);
			if (!colon || memchr(p, ' ', colon - p) || colon[1] != ' ')
				continue;
			colon += 2;
			if (strncmp(colon, cause, clen) || colon[clen] != ':')
				continue;
		}
		len = end - p < (long)size - 1 ? (size_t)(end - p) : size - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		return 0;
	}
	return -1;
}
