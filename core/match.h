/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run-pre matching: prove that the running kernel holds, byte for byte, the
 * pre code a helper module carries, and learn from it where every symbol
 * the update refers to lives. Pure C: the kernel module reads live memory,
 * the userspace tests and `ksplice-inspect --match` read an image.
 *
 * For each helper section, every address kallsyms gives for its symbol is
 * tried: bytes must be equal except at sites the kernel rewrites (any known
 * form is accepted) and at relocation fields, where the running value
 * implies a symbol address that must agree with every other use. A section
 * is committed when exactly one candidate survives; committing binds
 * symbols, which narrows other sections' candidates (flood fill), until
 * every section is resolved or no progress is possible.
 */
#ifndef KSPLICE_MATCH_H
#define KSPLICE_MATCH_H

#include "core/compat.h"
#include "core/update-format.h"

struct ksplice_match_ops {
	/* Copy @len bytes of running memory at @addr; 0 or -1. */
	int (*read)(void *ctx, u64 addr, void *buf, size_t len);
	/*
	 * Store up to @max addresses of symbol @name (within the update's
	 * target) in @addrs; return how many exist (may exceed @max).
	 */
	size_t (*lookup)(void *ctx, const char *name, u64 *addrs, size_t max);
};

enum ksplice_match_status {
	KSPLICE_MATCH_OK = 0,
	KSPLICE_MATCH_NO_MATCH,		/* a section matched no candidate */
	KSPLICE_MATCH_AMBIGUOUS,	/* candidates left that nothing tells apart */
	KSPLICE_MATCH_NOT_FOUND,	/* a section's symbol has no candidate */
	KSPLICE_MATCH_NO_MEMORY,
};

/* Where matching failed first, for the debug log. */
struct ksplice_mismatch {
	const char *section;	/* symbol of the helper section */
	u64 candidate;		/* running address tried */
	u64 offset;		/* into the section */
	u8 expected[16], found[16];
	unsigned int len;
	const char *reason;
};

struct ksplice_binding;

/*
 * An instruction whose running bytes differ from the helper's other than in
 * relocation fields and sites, accepted by target (relaxed jumps: see
 * match-insn.c). Offsets into the helper section and its running copy.
 */
struct ksplice_insn_edit {
	u32 pre_off, pre_len;
	u32 run_off, run_len;
};

/* Per helper section: how its running copy is laid out (NULL edits: same). */
struct ksplice_run_layout {
	struct ksplice_insn_edit *edits;
	size_t nr_edits;
	u64 size;	/* of the running copy */
};

struct ksplice_matcher {
	const struct ksplice_module_desc *helper;
	const struct ksplice_match_ops *ops;
	void *ctx;
	u64 *section_addr;		/* per helper section; 0 = unresolved */
	u8 *matched;			/* per helper section: committed */
	struct ksplice_run_layout *layout;	/* per helper section, once matched */
	struct ksplice_binding *bindings;	/* committed symbol values */
	size_t nr_bindings, cap_bindings;
	struct ksplice_mismatch mismatch;
	u64 *scratch;			/* candidate buffer for relocation checks */
};

int ksplice_match_init(struct ksplice_matcher *m, const struct ksplice_module_desc *helper,
		       const struct ksplice_match_ops *ops, void *ctx);
void ksplice_match_free(struct ksplice_matcher *m);

/*
 * Resolve every helper section; returns enum ksplice_match_status. On
 * failure m->mismatch tells which section and why (for NOT_FOUND and
 * AMBIGUOUS only section and reason are set).
 */
int ksplice_match_run(struct ksplice_matcher *m);

/*
 * The committed value of symbol @name of @scope (struct ksplice_reloc: 0
 * global, else the object whose local symbol it is); 0 if found, -1 if
 * not bound. ksplice_match_symbol() is scope 0.
 */
int ksplice_match_scoped_symbol(const struct ksplice_matcher *m, const char *name, u32 scope,
				u64 *value);
int ksplice_match_symbol(const struct ksplice_matcher *m, const char *name, u64 *value);

const char *ksplice_match_status_name(int status);

/*
 * Helper section @si once matched: the size of its running copy, where
 * its offset @off is in that copy, and whether running byte @run_off
 * equals a helper byte (then at *@pre_off) rather than lying in an edited
 * instruction. Without edits, offsets and sizes are the helper's.
 */
u64 ksplice_match_run_size(const struct ksplice_matcher *m, size_t si);
u64 ksplice_match_run_offset(const struct ksplice_matcher *m, size_t si, u64 off);
bool ksplice_match_pre_offset(const struct ksplice_matcher *m, size_t si, u64 run_off,
			      u64 *pre_off);

#endif
