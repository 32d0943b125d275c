// SPDX-License-Identifier: GPL-2.0
#include "tools/kmod.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int kmod_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret, saved;

	if (fd < 0)
		return -1;
	ret = (int)syscall(SYS_finit_module, fd, "", 0);
	saved = errno;
	close(fd);
	errno = saved;
	return ret ? -1 : 0;
}

int kmod_unload(const char *name)
{
	char n[PATH_MAX];

	kmod_name_of(name, n, sizeof(n));
	return syscall(SYS_delete_module, n, O_NONBLOCK) ? -1 : 0;
}

bool kmod_is_loaded(const char *name)
{
	char n[PATH_MAX], path[PATH_MAX + 32];
	struct stat st;

	kmod_name_of(name, n, sizeof(n));
	snprintf(path, sizeof(path), "/sys/module/%s", n);
	return !stat(path, &st);
}

void kmod_name_of(const char *file, char *name, unsigned long size)
{
	const char *base = strrchr(file, '/');
	size_t len, i;

	base = base ? base + 1 : file;
	len = strlen(base);
	if (len > 3 && !strcmp(base + len - 3, ".ko"))
		len -= 3;
	if (len >= size)
		len = size - 1;
	for (i = 0; i < len; i++)
		name[i] = base[i] == '-' ? '_' : base[i];
	name[len] = '\0';
}
