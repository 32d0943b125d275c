// SPDX-License-Identifier: GPL-2.0
/*
 * Offsets in the running copy of a matched helper section. Where the
 * matcher accepted instructions of another length (match-insn.c), every
 * helper offset after one moves by the difference; elsewhere the running
 * copy is laid out as the helper's.
 */
#include "core/match-internal.h"

u64 ksplice_layout_run_offset(const struct ksplice_insn_edit *edits, size_t n, u64 off)
{
	s64 shift = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct ksplice_insn_edit *e = &edits[i];

		/*
		 * An offset where the helper has no padding and the running copy
		 * has some is the label the padding aligns: after it.
		 */
		if (off < e->pre_off || (off == e->pre_off && e->pre_len))
			break;
		if (off < e->pre_off + e->pre_len) {
			/* Inside an edited instruction: its start, or as far into it as it goes. */
			u64 into = off - e->pre_off;

			return e->run_off + (into < e->run_len ? into : e->run_len);
		}
		shift = (s64)(e->run_off + e->run_len) - (s64)(e->pre_off + e->pre_len);
	}
	return (u64)((s64)off + shift);
}

static const struct ksplice_run_layout *layout(const struct ksplice_matcher *m, size_t si)
{
	if (si >= m->helper->nr_sections || !m->matched[si])
		return NULL;
	return &m->layout[si];
}

u64 ksplice_match_run_size(const struct ksplice_matcher *m, size_t si)
{
	const struct ksplice_run_layout *l = layout(m, si);

	return l ? l->size : m->helper->sections[si].size;
}

u64 ksplice_match_run_offset(const struct ksplice_matcher *m, size_t si, u64 off)
{
	const struct ksplice_run_layout *l = layout(m, si);

	return l ? ksplice_layout_run_offset(l->edits, l->nr_edits, off) : off;
}

bool ksplice_match_pre_offset(const struct ksplice_matcher *m, size_t si, u64 run_off,
			      u64 *pre_off)
{
	const struct ksplice_run_layout *l = layout(m, si);
	s64 shift = 0;
	size_t i;

	for (i = 0; l && i < l->nr_edits; i++) {
		const struct ksplice_insn_edit *e = &l->edits[i];

		if (run_off < e->run_off)
			break;
		if (run_off < e->run_off + e->run_len)
			return false;	/* an edited instruction's byte */
		shift = (s64)(e->pre_off + e->pre_len) - (s64)(e->run_off + e->run_len);
	}
	*pre_off = (u64)((s64)run_off + shift);
	return true;
}
