// SPDX-License-Identifier: GPL-2.0
#include "tools/common.h"

#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/manifest.h"

const char *tool_name = "ksplice";

void tool_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int read_text_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return 0;
}

int write_text_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), saved;
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	saved = errno;
	close(fd);
	errno = saved;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

int make_dirs(const char *path)
{
	char buf[4096], *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

int copy_file(const char *src, const char *dst)
{
	char buf[65536];
	int in = open(src, O_RDONLY | O_CLOEXEC), out, ret = -1;
	ssize_t n;

	if (in < 0)
		return -1;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out >= 0) {
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, n) != n)
				break;
		ret = n == 0 ? 0 : -1;
		if (close(out))
			ret = -1;
	}
	close(in);
	return ret;
}

void require_root(void)
{
	if (geteuid() != 0) {
		tool_error("must be run as root (it loads kernel modules and changes the running kernel)");
		exit(EXIT_SYSTEM);
	}
}

static const char *dir_from_env(const char *var, const char *fallback)
{
	const char *v = getenv(var);

	return v && *v ? v : fallback;
}

const char *sysfs_dir(void)
{
	return dir_from_env("KSPLICE_SYSFS_DIR", KSPLICE_SYSFS_DIR);
}

const char *modules_dir(void)
{
	return dir_from_env("KSPLICE_MODULES_DIR", "/lib/modules");
}

const char *records_dir(void)
{
	return dir_from_env("KSPLICE_RECORDS_DIR", KSPLICE_RECORDS_DIR);
}

const char *single_id_argument(int argc, char **argv, void (*usage)(FILE *))
{
	if (optind != argc - 1) {
		usage(stderr);
		exit(EXIT_USAGE);
	}
	if (!ksplice_valid_id(argv[optind])) {
		tool_error("'%s' is not an update id", argv[optind]);
		exit(EXIT_USAGE);
	}
	return argv[optind];
}
