/* SPDX-License-Identifier: GPL-2.0 */
/* An update's hooks (hooks.c) and its shadows. */
#ifndef KSPLICE_KMODULE_HOOKS_H
#define KSPLICE_KMODULE_HOOKS_H

#include <linux/types.h>

#include "shadow.h"

struct ksplice_update;

/*
 * Call every hook of @kind (enum ksplice_hook_kind) of @u. For the kinds
 * that return int, stop at the first nonzero result, return it and set
 * @refused to that hook; else 0.
 */
int ksplice_call_hooks(const struct ksplice_update *u, u32 kind, void **refused);
bool ksplice_has_hooks(const struct ksplice_update *u);
/* Free the shadows the code of @u's primaries created. */
void ksplice_free_update_shadows(const struct ksplice_update *u);

#endif
