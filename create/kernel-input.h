/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --kernel RELEASE [--to VERSION]: the source tree, config and module
 * build directory of a Debian kernel, fetched into the cache
 * (debian-fetch.h), and the later version's source for --to.
 */
#ifndef KSPLICE_KERNEL_INPUT_H
#define KSPLICE_KERNEL_INPUT_H

#include <stdbool.h>

#include "create/debian-kernel.h"

struct kernel_input {
	struct debian_kernel k;
	char *pristine;		/* src/linux-source-VERSION: never modified */
	char *tree;		/* a hard-linked copy the patch may be applied to */
	char *dir;		/* deb/RELEASE-VERSION */
	char *kdir;		/* DIR/kdir: the headers */
	char *to_version;
	char *to_pristine;	/* src/linux-source-TO_VERSION */
};

/* RELEASE NULL: the running kernel's. TO may be NULL. IMAGE: fetch the image too. */
int kernel_input_fetch(struct kernel_input *in, const char *release, const char *to, bool image);
/* Shell assignments (release=... version=... source=... kdir=... dir=... to_source=...). */
void kernel_input_print(const struct kernel_input *in);
void kernel_input_free(struct kernel_input *in);

#endif
