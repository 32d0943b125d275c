/* SPDX-License-Identifier: GPL-2.0 */
/*
 * .BTF_ids (include/linux/btf_ids.h): lists of BTF type IDs that the kernel
 * refers to by symbol. The object file holds zeros (and BTF_ID_FLAGS flag
 * words) under a symbol per ID, __BTF_ID__KIND__NAME__N, where N pastes
 * __COUNTER__ and __LINE__; resolve_btfids writes the IDs in when vmlinux
 * (or a module) is linked, from that kernel's BTF. So:
 *  - an unchanged list is the running kernel's data: code refers to it by
 *    its list symbol (BTF_ID_LIST name, BTF_SET_START name, ...), which is
 *    bound like any symbol and never compared by content;
 *  - a changed or new list cannot be built by an update (it has no BTF to
 *    resolve against), so the diff refuses it, naming the list.
 * Lists compare by the order, offsets and sizes of their symbols, names
 * with the __N suffix of IDs dropped, and the bytes (the flag words).
 */
#ifndef KSPLICE_BTF_IDS_H
#define KSPLICE_BTF_IDS_H

#include <stdbool.h>

#include "create/elf-object.h"

#define BTF_IDS_SECTION ".BTF_ids"

/* A per-ID symbol __BTF_ID__KIND__NAME__N (not a set's header). */
bool btf_ids_is_entry_name(const char *name);

/*
 * NULL if the BTF ID lists of @pre and @post are the same; else a message
 * naming the first list that differs (the caller frees it) and in
 * *@list its name (pointing into @post or @pre).
 */
char *btf_ids_changed(const struct elf_object *pre, const struct elf_object *post,
		      const char **list);

#endif
