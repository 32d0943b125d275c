// SPDX-License-Identifier: GPL-2.0
/* --kernel: a Debian kernel's source, config and headers from the cache. */
#include "create/kernel-input.h"
#include "create/build-util.h"
#include "create/debian-fetch.h"
#include "create/tree-prepare.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/*
 * ksplice-create patches its source tree in place (and restores it); the
 * cached source stays pristine, so it works on a hard-linked copy at a
 * stable path (its prepared kbuild tree is keyed by the path).
 */
static char *patchable_copy(const char *pristine, const char *version)
{
	char *root = tree_cache_root();
	char *dir = build_xasprintf("%s/create/trees/linux-source-%s", root, version);
	char *ready = build_xasprintf("%s/.ksplice-copied", dir), *lock = build_xasprintf("%s.lock", dir);
	char *tmp = build_xasprintf("%s.tmp", dir);
	char *argv[] = { "cp", "-al", (char *)pristine, tmp, NULL };
	int fd = -1, ret = 0;

	if (!build_file_exists(ready)) {
		ret = build_mkdir_p_parent(dir) || (fd = build_lock_file(lock, "copying a tree")) < 0;
		if (!ret && !build_file_exists(ready)) {
			build_rm_rf(dir);
			build_rm_rf(tmp);
			ret = build_run(argv, NULL) || rename(tmp, dir) ||
			      build_write_file(ready, "", 0) ? -1 : 0;
			if (ret)
				build_error("cannot copy %s to %s", pristine, dir);
		}
		if (fd >= 0)
			close(fd);
	}
	free(root);
	free(ready);
	free(lock);
	free(tmp);
	if (ret) {
		free(dir);
		return NULL;
	}
	return dir;
}

static int same_series(const struct kernel_input *in, const char *to)
{
	char *series = debian_version_series(to);
	int ret = series && !strcmp(series, in->k.series) ? 0 : -1;

	if (ret)
		build_error("--to %s: not a version of the linux %s series the kernel %s comes from",
			    to, in->k.series, in->k.release);
	free(series);
	return ret;
}

int kernel_input_fetch(struct kernel_input *in, const char *release, const char *to, bool image)
{
	struct utsname u;

	memset(in, 0, sizeof(*in));
	if (!release) {
		uname(&u);
		release = u.release;
	}
	if (debian_kernel_resolve(release, &in->k))
		return -1;
	build_stage("Kernel %s: Debian linux %s", in->k.release, in->k.version);
	if (to && same_series(in, to))
		return -1;
	if (debian_fetch_kernel(&in->k, image, &in->dir) ||
	    debian_fetch_source(in->k.version, in->k.series, &in->pristine))
		return -1;
	in->kdir = build_xasprintf("%s/kdir", in->dir);
	if (!(in->tree = patchable_copy(in->pristine, in->k.version)))
		return -1;
	if (to) {
		in->to_version = build_xstrdup(to);
		if (debian_fetch_source(to, in->k.series, &in->to_pristine))
			return -1;
	}
	return 0;
}

void kernel_input_print(const struct kernel_input *in)
{
	printf("release=%s\nversion=%s\nsource=%s\nkdir=%s\ndir=%s\n", in->k.release,
	       in->k.version, in->pristine, in->kdir, in->dir);
	if (in->to_pristine)
		printf("to_version=%s\nto_source=%s\n", in->to_version, in->to_pristine);
}

void kernel_input_free(struct kernel_input *in)
{
	debian_kernel_free(&in->k);
	free(in->pristine);
	free(in->tree);
	free(in->dir);
	free(in->kdir);
	free(in->to_version);
	free(in->to_pristine);
	memset(in, 0, sizeof(*in));
}
