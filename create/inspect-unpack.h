/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unpacking an update package (ksplice-ID.tar.gz) into a private temporary
 * directory with the system tar, and removing it again.
 */
#ifndef KSPLICE_INSPECT_UNPACK_H
#define KSPLICE_INSPECT_UNPACK_H

#include "create/create-util.h"

struct unpacked_package {
	char *tmp;	/* the temporary directory (under $TMPDIR or /tmp) */
	char *root;	/* tmp/ksplice-ID: the package's single top directory */
};

/*
 * Unpack @path. Returns 0, or -1 with a message in @err; either way call
 * unpack_cleanup() afterwards.
 */
int unpack_package(const char *path, struct unpacked_package *pkg,
		   struct ks_error *err);

/* Remove the temporary directory (if any) and free @pkg's strings. */
void unpack_cleanup(struct unpacked_package *pkg);

#endif
