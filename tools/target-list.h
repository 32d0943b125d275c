/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an update patches, for people: vmlinux and the modules it needs
 * loaded, each with whether it is loaded now.
 */
#ifndef KSPLICE_TOOLS_TARGET_LIST_H
#define KSPLICE_TOOLS_TARGET_LIST_H

#include <stdio.h>

#include "core/manifest.h"

/* "targets: vmlinux, nfsd (module, loaded), ext4 (module, not loaded)\n" */
void print_target_list(FILE *out, const struct ksplice_manifest *m);
/* How many module targets are not loaded. */
int count_unloaded_targets(const struct ksplice_manifest *m);

#endif
