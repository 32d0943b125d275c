// SPDX-License-Identifier: GPL-2.0
#define _XOPEN_SOURCE 700
#include "tools/package-open.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tools/common.h"

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

int remove_tree(const char *path)
{
	return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void package_path(const struct opened_package *p, const char *rel, char *dst, size_t size)
{
	snprintf(dst, size, "%s/%s", p->root, rel);
}

/*
 * tar -xzf - -C @dir, reading @path on its standard input (a ':' in a file
 * name would make tar take it for a remote host), quietly; 0 on success.
 * GNU tar and busybox tar alike.
 */
static int untar(const char *path, const char *dir)
{
	int in = open(path, O_RDONLY | O_CLOEXEC);
	pid_t pid = in < 0 ? -1 : fork();
	int status;

	if (pid < 0) {
		if (in >= 0)
			close(in);
		return -1;
	}
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(in, 0);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execlp("tar", "tar", "-xzf", "-", "-C", dir, (char *)NULL);
		_exit(127);
	}
	close(in);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Only directories and regular files: a symlink would lead reads out of the package. */
static char odd_entry[PATH_MAX];

static int check_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (flag == FTW_D || (flag == FTW_F && S_ISREG(st->st_mode)))
		return 0;
	snprintf(odd_entry, sizeof(odd_entry), "%s", path + ftw->base);
	return 1;
}

static int only_plain_files(const char *dir)
{
	return nftw(dir, check_entry, 16, FTW_PHYS) ? -1 : 0;
}

/* The one ksplice-* directory the package holds. */
static int find_root(struct opened_package *p)
{
	DIR *d = opendir(p->tmp);
	struct dirent *e;
	int found = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "ksplice-", 8))
			continue;
		snprintf(p->root, sizeof(p->root), "%s/%s", p->tmp, e->d_name);
		found++;
	}
	closedir(d);
	return found == 1 ? 0 : -1;
}

static int read_manifest(struct opened_package *p, const char *path)
{
	char file[PATH_MAX], why[256];
	FILE *f;
	int ret;

	package_path(p, "manifest", file, sizeof(file));
	f = fopen(file, "r");
	if (!f) {
		tool_error("%s: not a ksplice update package (no manifest)", path);
		return -1;
	}
	ret = ksplice_manifest_read(&p->manifest, f, why, sizeof(why));
	fclose(f);
	if (ret)
		tool_error("%s: bad package: %s", path, why);
	return ret;
}

static int check_modules(const struct opened_package *p, const char *path)
{
	const struct ksplice_manifest *m = &p->manifest;
	char file[PATH_MAX + 64];
	struct stat st;
	int i, k;

	for (i = 0; i < m->nr_targets; i++) {
		for (k = 0; k < 2; k++) {
			snprintf(file, sizeof(file), "%s/modules/%s", p->root,
				 k ? m->targets[i].helper : m->targets[i].primary);
			if (stat(file, &st)) {
				tool_error("%s: bad package: %s is missing", path, file + strlen(p->root) + 1);
				return -1;
			}
		}
	}
	return 0;
}

int package_open(const char *path, struct opened_package *p)
{
	const char *tmpdir = getenv("TMPDIR");

	memset(p, 0, sizeof(*p));
	if (access(path, R_OK)) {
		tool_error("%s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(p->tmp, sizeof(p->tmp), "%s/ksplice-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(p->tmp)) {
		tool_error("cannot create a temporary directory: %s", strerror(errno));
		p->tmp[0] = '\0';
		return -1;
	}
	if (untar(path, p->tmp) || find_root(p)) {
		tool_error("%s: not a ksplice update package (cannot unpack it)", path);
		package_close(p);
		return -1;
	}
	if (only_plain_files(p->tmp)) {
		tool_error("%s: bad package: %s is a symlink or special file (a package holds "
			   "only directories and regular files)", path, odd_entry);
		package_close(p);
		return -1;
	}
	if (read_manifest(p, path) || check_modules(p, path)) {
		package_close(p);
		return -1;
	}
	return 0;
}

void package_close(struct opened_package *p)
{
	if (p->tmp[0])
		remove_tree(p->tmp);
	p->tmp[0] = '\0';
}
