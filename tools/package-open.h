/* SPDX-License-Identifier: GPL-2.0 */
/* Opening an update package on the host that applies it. */
#ifndef KSPLICE_TOOLS_PACKAGE_OPEN_H
#define KSPLICE_TOOLS_PACKAGE_OPEN_H

#include <limits.h>

#include "core/manifest.h"

struct opened_package {
	char tmp[PATH_MAX / 4];	/* unpacked here; removed by package_close */
	char root[PATH_MAX / 2];	/* tmp/ksplice-<id> */
	struct ksplice_manifest manifest;
};

/*
 * Unpack @path and read its manifest; every module the manifest names must
 * be there. Returns 0, or -1 after printing one line saying why.
 */
int package_open(const char *path, struct opened_package *p);
void package_close(struct opened_package *p);

/* @dst = p->root/@rel. */
void package_path(const struct opened_package *p, const char *rel, char *dst, size_t size);

/* Remove a directory tree; used for temp dirs and records. */
int remove_tree(const char *path);

#endif
