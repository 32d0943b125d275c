/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the matcher's files (match.c: candidates and byte comparison;
 * match-insn.c: instruction-by-instruction comparison; run-layout.c:
 * offsets in the running copy). Not for the matcher's users.
 */
#ifndef KSPLICE_MATCH_INTERNAL_H
#define KSPLICE_MATCH_INTERNAL_H

#include "core/match.h"

#define KSPLICE_EM_386 3	/* ELF e_machine of i386 */

/* Extra running bytes read past a section's size (running code may be longer). */
#define KSPLICE_RUN_SLACK 64

/* What one candidate attempt learned, kept only if it is the sole survivor. */
struct attempt {
	struct ksplice_binding *syms;	/* tentative symbol values */
	size_t nr_syms;
	u32 *sec_index;			/* tentative helper-section addresses */
	u64 *sec_value;
	size_t nr_secs;
	struct ksplice_insn_edit *edits;	/* instructions matched by target */
	size_t nr_edits, cap_edits;
	u64 run_size;			/* of the running copy */
	struct ksplice_mismatch mismatch;
};

void ksplice_note_mismatch(struct attempt *a, const struct ksplice_section *s, u64 cand,
			   u64 off, const u8 *expected, const u8 *found, unsigned int len,
			   const char *reason);

/* Does the symbol (or string, section...) of @r lie at @target? Binds it if new. */
bool ksplice_target_consistent(struct ksplice_matcher *m, struct attempt *a,
			       const struct ksplice_reloc *r, u64 target);

/* Relocation field @r of the running copy, at @run (address @run_site). */
bool ksplice_reloc_consistent(struct ksplice_matcher *m, struct attempt *a,
			      const struct ksplice_reloc *r, const u8 *run, u64 run_site);

/*
 * Compare text section @s with its candidate running copy at @cand (@run,
 * @run_len bytes read) instruction by instruction; fills a->edits and
 * a->run_size. Used when the byte comparison failed.
 */
bool ksplice_match_by_insn(struct ksplice_matcher *m, const struct ksplice_section *s,
			   u64 cand, struct attempt *a, const u8 *run, u64 run_len);

/* Where pre offset @off lies in a running copy laid out by @edits. */
u64 ksplice_layout_run_offset(const struct ksplice_insn_edit *edits, size_t n, u64 off);

#endif
