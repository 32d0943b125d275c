// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "create/build-util.h"
#include "create/inspect-unpack.h"

/* A package is gzip data: refuse anything else before running tar. */
static int check_gzip(const char *path, struct ks_error *err)
{
	unsigned char magic[2];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return ks_fail(err, "cannot open: %s", strerror(errno));
	n = fread(magic, 1, sizeof(magic), f);
	fclose(f);
	if (n != sizeof(magic) || magic[0] != 0x1f || magic[1] != 0x8b)
		return ks_fail(err, "not a package: not gzip-compressed (expected ksplice-ID.tar.gz)");
	return 0;
}

static int make_tmp(struct unpacked_package *pkg, struct ks_error *err)
{
	const char *base = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/ksplice-inspect.XXXXXX",
			       base && *base ? base : "/tmp");

	if (!mkdtemp(tmpl)) {
		ks_fail(err, "cannot create a temporary directory %s: %s", tmpl,
			strerror(errno));
		free(tmpl);
		return -1;
	}
	pkg->tmp = tmpl;
	return 0;
}

static int run_tar(const char *archive, const char *dir, struct ks_error *err)
{
	char *argv[] = { "tar", "-C", (char *)dir, "--no-same-owner", "-xzf",
			 (char *)archive, NULL };
	int rc = build_run(argv, &(struct build_run_opts){ .quiet_stderr = true });

	if (rc == -1 || rc == 127)
		return ks_fail(err, "cannot run tar");
	if (rc)
		return ks_fail(err, "not a package: tar cannot unpack it (exit status %d)", rc);
	return 0;
}

/* The single top-level entry, which must be a directory ksplice-ID. */
static int find_root(struct unpacked_package *pkg, struct ks_error *err)
{
	DIR *d = opendir(pkg->tmp);
	struct dirent *e;
	struct stat st;
	char *name = NULL;
	int entries = 0;

	if (!d)
		return ks_fail(err, "cannot read %s: %s", pkg->tmp, strerror(errno));
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		entries++;
		if (!name)
			name = xstrdup(e->d_name);
	}
	closedir(d);
	if (!entries)
		return ks_fail(err, "not a package: the archive is empty");
	if (entries != 1 || strncmp(name, "ksplice-", 8)) {
		free(name);
		return ks_fail(err, "not a package: expected a single ksplice-ID/ directory inside");
	}
	pkg->root = xasprintf("%s/%s", pkg->tmp, name);
	free(name);
	/* lstat: a symlink could lead out of the temporary directory. */
	if (lstat(pkg->root, &st) || !S_ISDIR(st.st_mode))
		return ks_fail(err, "not a package: expected a single ksplice-ID/ directory inside");
	return 0;
}

int unpack_package(const char *path, struct unpacked_package *pkg,
		   struct ks_error *err)
{
	char *abs;
	int ret;

	pkg->tmp = pkg->root = NULL;
	if (check_gzip(path, err))
		return -1;
	abs = realpath(path, NULL);
	if (!abs)
		return ks_fail(err, "cannot resolve the path: %s", strerror(errno));
	ret = make_tmp(pkg, err);
	if (!ret)
		ret = run_tar(abs, pkg->tmp, err);
	free(abs);
	if (!ret)
		ret = find_root(pkg, err);
	return ret;
}

void unpack_cleanup(struct unpacked_package *pkg)
{
	if (pkg->tmp && build_rm_rf(pkg->tmp))
		fprintf(stderr, "ksplice-inspect: warning: cannot remove %s\n",
			pkg->tmp);
	free(pkg->tmp);
	free(pkg->root);
	pkg->tmp = pkg->root = NULL;
}
