/* SPDX-License-Identifier: GPL-2.0 */
/* Whether an update was built for the running kernel. */
#ifndef KSPLICE_TOOLS_KERNEL_MATCH_H
#define KSPLICE_TOOLS_KERNEL_MATCH_H

#include <stddef.h>

#include "core/manifest.h"

/* The running kernel's release (uname -r). */
const char *running_release(void);
/* Its build, /proc/sys/kernel/version (uname -v); NULL if unreadable. */
const char *running_version(void);

/*
 * 0 if @m is for this very kernel build (release, machine, and UTS version
 * when the manifest has one); else -1 with a sentence in @why.
 */
int manifest_matches_kernel(const struct ksplice_manifest *m, char *why, size_t size);

#endif
