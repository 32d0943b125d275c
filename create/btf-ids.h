/* SPDX-License-Identifier: GPL-2.0 */
/*
 * .BTF_ids (include/linux/btf_ids.h): lists of BTF type IDs that the kernel
 * refers to by symbol. The object file holds zeros (and BTF_ID_FLAGS flag
 * words) under a symbol per ID, __BTF_ID__KIND__NAME__N, where N pastes
 * __COUNTER__ and __LINE__; resolve_btfids writes the IDs in when vmlinux
 * (or a module) is linked, from that kernel's BTF, and sorts the sets
 * (BTF_SET_START: a u32 count, then the IDs; BTF_SET8_START: count, flags,
 * then ID and flags pairs). So:
 *  - an unchanged list is the running kernel's data: code refers to it by
 *    its list symbol (BTF_ID_LIST name, BTF_SET_START name, ...), which is
 *    bound like any symbol and never compared by content;
 *  - a new or changed list goes into the primary, whose relocation records
 *    ask ksplice.ko to fill in each ID from the running kernel's BTF and to
 *    count and sort each set, as resolve_btfids would have (the diff makes
 *    every function that uses a changed list use the copy: section-diff.c).
 * Lists compare by the order, offsets and sizes of their symbols, names
 * with the __N suffix of IDs dropped, and the bytes (the flag words).
 */
#ifndef KSPLICE_BTF_IDS_H
#define KSPLICE_BTF_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "create/elf-object.h"

#define BTF_IDS_SECTION ".BTF_ids"

/* A per-ID symbol __BTF_ID__KIND__NAME__N (not a set's header). */
bool btf_ids_is_entry_name(const char *name);

/* One list of a .BTF_ids section. */
struct btf_ids_list {
	const char *name;	/* its symbol: BTF_ID_LIST or BTF_SET_START name */
	uint64_t start, end;	/* its bytes in the section */
	unsigned int set_width;	/* 4: BTF_SET, 8: BTF_SET8, 0: a plain list */
	uint64_t set_count;	/* a set's number of IDs */
};

/* The lists of @sec (a .BTF_ids section), in order; the caller frees *@out. */
size_t btf_ids_lists(const struct elf_section *sec, struct btf_ids_list **out);
/* The list of @sec holding byte @offset; false if none. */
bool btf_ids_list_at(const struct elf_section *sec, uint64_t offset, struct btf_ids_list *out);
/* The list of @sec (NULL: none) called @name; false if none. */
bool btf_ids_list_named(const struct elf_section *sec, const char *name, struct btf_ids_list *out);
/* Whether @post_list of @post has no equal list of its name in @pre (NULL: none). */
bool btf_ids_list_changed(const struct elf_section *pre, const struct elf_section *post,
			  const struct btf_ids_list *post_list);

/*
 * An ID's symbol __BTF_ID__KIND__NAME__N: NAME (to free) and the BTF kind
 * number of KIND (struct, union, typedef, func); NULL for another symbol
 * or an unknown KIND (*@kind then 0).
 */
char *btf_ids_entry_type(const char *symbol, unsigned int *kind);

#endif
