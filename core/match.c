// SPDX-License-Identifier: GPL-2.0
#include "core/match-internal.h"
#include "core/reloc-math.h"
#include "core/site-forms.h"

#define MAX_CANDIDATES 256

struct ksplice_binding {
	const char *name;
	u32 scope;
	u64 value;
};

static const struct ksplice_section *section(const struct ksplice_matcher *m, size_t i)
{
	return &m->helper->sections[i];
}

static bool in_section(const struct ksplice_section *s, const u8 *p, unsigned int len)
{
	return p >= s->address && p + len <= s->address + s->size;
}

static const struct ksplice_binding *find_binding(const struct ksplice_binding *b,
						  size_t n, const char *name, u32 scope)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i].scope == scope && !strcmp(b[i].name, name))
			return &b[i];
	return NULL;
}

int ksplice_match_symbol(const struct ksplice_matcher *m, const char *name, u64 *value)
{
	return ksplice_match_scoped_symbol(m, name, 0, value);
}

int ksplice_match_scoped_symbol(const struct ksplice_matcher *m, const char *name, u32 scope,
				u64 *value)
{
	const struct ksplice_binding *b = find_binding(m->bindings, m->nr_bindings, name, scope);

	if (!b)
		return -1;
	*value = b->value;
	return 0;
}

void ksplice_note_mismatch(struct attempt *a, const struct ksplice_section *s, u64 cand,
			   u64 off, const u8 *expected, const u8 *found, unsigned int len,
			   const char *reason)
{
	struct ksplice_mismatch *mm = &a->mismatch;

	if (mm->reason && mm->offset <= off)
		return;	/* report the first difference in the section */
	if (len > sizeof(mm->expected))
		len = sizeof(mm->expected);
	mm->section = s->symbol;
	mm->candidate = cand;
	mm->offset = off;
	mm->len = len;
	memcpy(mm->expected, expected, len);
	memcpy(mm->found, found, len);
	mm->reason = reason;
}

static bool is_candidate(struct ksplice_matcher *m, const char *name, u64 value)
{
	u64 *addrs = m->scratch;	/* kernel stacks are too small for this */
	size_t n = m->ops->lookup(m->ctx, name, addrs, MAX_CANDIDATES), i;

	if (n == 0)
		return true;	/* not in kallsyms: nothing to check against */
	for (i = 0; i < n && i < MAX_CANDIDATES; i++)
		if (addrs[i] == value)
			return true;
	return n > MAX_CANDIDATES;
}

static bool bind_symbol(struct ksplice_matcher *m, struct attempt *a, const char *name,
			u32 scope, u64 value)
{
	const struct ksplice_binding *b = find_binding(m->bindings, m->nr_bindings, name, scope);

	if (!b)
		b = find_binding(a->syms, a->nr_syms, name, scope);
	if (b)
		return b->value == value;
	if (!is_candidate(m, name, value))
		return false;
	a->syms[a->nr_syms].name = name;
	a->syms[a->nr_syms].scope = scope;
	a->syms[a->nr_syms++].value = value;
	return true;
}

static bool bind_section(struct ksplice_matcher *m, struct attempt *a, u32 index, u64 value)
{
	size_t i;

	if (m->section_addr[index])
		return m->section_addr[index] == value;
	for (i = 0; i < a->nr_secs; i++)
		if (a->sec_index[i] == index)
			return a->sec_value[i] == value;
	a->sec_index[a->nr_secs] = index;
	a->sec_value[a->nr_secs++] = value;
	return true;
}

/* A string literal the code refers to: compared by content, any length. */
static bool string_matches(struct ksplice_matcher *m, u64 addr, const char *want)
{
	size_t len = strlen(want) + 1, off, n;
	char buf[64];

	for (off = 0; off < len; off += n) {
		n = len - off < sizeof(buf) ? len - off : sizeof(buf);
		if (m->ops->read(m->ctx, addr + off, buf, n) || memcmp(buf, want + off, n))
			return false;
	}
	return true;
}

/*
 * An entry of a mergeable constant section: the linker keeps one copy of
 * equal entries, wherever, so the entry is known by its bytes only.
 */
static bool const_matches(struct ksplice_matcher *m, u64 addr, const u8 *want, u32 len)
{
	u8 buf[64];
	u32 off, n;

	for (off = 0; off < len; off += n) {
		n = len - off < sizeof(buf) ? len - off : (u32)sizeof(buf);
		if (m->ops->read(m->ctx, addr + off, buf, n) || memcmp(buf, want + off, n))
			return false;
	}
	return true;
}

/* Check one relocation field of the running copy; false on inconsistency. */
bool ksplice_reloc_consistent(struct ksplice_matcher *m, struct attempt *a,
			      const struct ksplice_reloc *r, const u8 *run, u64 run_site)
{
	s64 value = ksplice_field_read(run, r->size, r->flags & KSPLICE_RELOC_SIGNED);

	return ksplice_target_consistent(m, a, r,
					 ksplice_field_symbol(value, r->addend, run_site, r->flags));
}

bool ksplice_target_consistent(struct ksplice_matcher *m, struct attempt *a,
			       const struct ksplice_reloc *r, u64 target)
{
	/*
	 * Modulo the address width: i386 relocation arithmetic wraps at 4 GiB,
	 * in ksplice.ko and when matching an i386 kernel offline on x86-64.
	 */
	if (m->helper->machine == KSPLICE_EM_386)
		target = (u32)target;

	switch (r->target_kind) {
	case KSPLICE_TARGET_SYMBOL:
		return bind_symbol(m, a, r->name, r->scope, target);
	case KSPLICE_TARGET_STRING:
		return string_matches(m, target, r->name);
	case KSPLICE_TARGET_CONST:
		return const_matches(m, target, (const u8 *)r->name, r->len);
	case KSPLICE_TARGET_SECTION:
		return bind_section(m, a, r->section, target);
	}
	return false;
}

static void cover(u8 *covered, u64 off, unsigned int len)
{
	memset(covered + off, 1, len);
}

static bool overlaps_covered(const u8 *covered, u64 off, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (covered[off + i])
			return true;
	return false;
}

/*
 * A site whose running bytes are none of its rewritten forms may still be
 * in its original form with relocated fields (an alternative's original
 * `call foo`, say): true when the bytes outside relocation fields are
 * equal; the general comparison then checks those fields.
 */
static bool site_original(const struct ksplice_module_desc *h, const struct ksplice_site *site,
			  const u8 *run)
{
	unsigned int i;
	u64 k;
	u8 *mask = ks_zalloc(site->len);
	bool same = true;

	if (!mask)
		return false;
	for (k = 0; k < h->nr_relocs; k++) {
		const struct ksplice_reloc *r = &h->relocs[k];

		for (i = 0; i < site->len; i++)
			if (site->address + i >= r->site && site->address + i < r->site + r->size)
				mask[i] = 1;
	}
	for (i = 0; i < site->len && same; i++)
		same = mask[i] || site->address[i] == run[i];
	ks_free(mask);
	return same;
}

/* Mark the sites of @s the running kernel rewrote; false if one is foreign. */
static bool check_sites(struct ksplice_matcher *m, const struct ksplice_section *s, u64 cand,
			struct attempt *a, const u8 *run, u8 *covered)
{
	const struct ksplice_module_desc *h = m->helper;
	bool ok = true;
	u64 i, off;

	for (i = 0; i < h->nr_sites; i++) {
		const struct ksplice_site *site = &h->sites[i];

		if (!in_section(s, site->address, site->len))
			continue;
		off = site->address - s->address;
		if (ksplice_site_accepts(site, site->address, site->replacement, run + off)) {
			cover(covered, off, site->len);
		} else if (!site_original(h, site, run + off)) {
			ksplice_note_mismatch(a, s, cand, off, site->address, run + off, site->len,
				      "unexpected bytes at a runtime-patched site");
			ok = false;
		}
	}
	return ok;
}

/* Check the relocation fields of @s outside sites; false on inconsistency. */
static bool check_relocs(struct ksplice_matcher *m, const struct ksplice_section *s, u64 cand,
			 struct attempt *a, const u8 *run, u8 *covered)
{
	const struct ksplice_module_desc *h = m->helper;
	bool ok = true;
	u64 i, off;

	for (i = 0; i < h->nr_relocs; i++) {
		const struct ksplice_reloc *r = &h->relocs[i];

		if (!in_section(s, r->site, r->size))
			continue;
		off = r->site - s->address;
		if (overlaps_covered(covered, off, r->size))
			continue;	/* inside a site: the site's forms decide */
		if (!ksplice_reloc_consistent(m, a, r, run + off, cand + off)) {
			ksplice_note_mismatch(a, s, cand, off, r->site, run + off, r->size,
				      "relocation target inconsistent");
			ok = false;
			continue;
		}
		cover(covered, off, r->size);
	}
	return ok;
}

/*
 * Compare helper section @s with running memory (@run) at @cand byte for
 * byte. Every check runs, so the mismatch reported is the first in the
 * section.
 */
static bool same_bytes(struct ksplice_matcher *m, const struct ksplice_section *s, u64 cand,
		       struct attempt *a, const u8 *run, u8 *covered)
{
	bool ok;
	u64 off;

	memset(covered, 0, s->size);
	ok = check_sites(m, s, cand, a, run, covered);
	ok &= check_relocs(m, s, cand, a, run, covered);
	for (off = 0; off < s->size; off++) {
		if (!covered[off] && s->address[off] != run[off]) {
			ksplice_note_mismatch(a, s, cand, off, s->address + off, run + off,
				      (unsigned int)(s->size - off < 8 ? s->size - off : 8),
				      "bytes differ");
			return false;
		}
	}
	return ok;
}

/*
 * Read the running copy: the section's size, and up to KSPLICE_RUN_SLACK
 * bytes more where readable (an instruction-wise match may need them), or
 * for code, less when that is all there is. Returns how many bytes were
 * read, or -1.
 */
static u64 read_run(struct ksplice_matcher *m, const struct ksplice_section *s, u64 cand, u8 *run)
{
	u64 len = s->size + ((s->flags & KSPLICE_SECTION_TEXT) ? KSPLICE_RUN_SLACK : 0);

	for (; len > s->size; len -= 16)
		if (!m->ops->read(m->ctx, cand, run, len))
			return len;
	if (!m->ops->read(m->ctx, cand, run, s->size))
		return s->size;
	/* Shortened code at the end of what is mapped: as much as there is. */
	for (len = s->size - 1; len && (s->flags & KSPLICE_SECTION_TEXT); len--)
		if (!m->ops->read(m->ctx, cand, run, len))
			return len;
	return (u64)-1;
}

/*
 * Compare helper section @si with running memory at @cand: byte for byte,
 * and for code whose bytes differ, instruction by instruction (a jump the
 * assembler shortened in the running kernel: match-insn.c).
 */
static bool attempt_at(struct ksplice_matcher *m, size_t si, u64 cand, struct attempt *a,
		       u8 *run, u8 *covered)
{
	const struct ksplice_section *s = section(m, si);
	u64 run_len = read_run(m, s, cand, run);

	a->nr_edits = 0;
	a->run_size = s->size;
	if (run_len == (u64)-1) {
		ksplice_note_mismatch(a, s, cand, 0, s->address, s->address, 0, "running memory unreadable");
		return false;
	}
	/*
	 * Writable data changes at run time: where code refers to it is what
	 * counts, unless the patch asked for its content to be matched.
	 */
	if ((s->flags & KSPLICE_SECTION_DATA) && !(s->flags & KSPLICE_SECTION_EARLY))
		return true;
	if (run_len >= s->size && same_bytes(m, s, cand, a, run, covered))
		return true;
	if (!(s->flags & KSPLICE_SECTION_TEXT))
		return false;
	/* Start over: what the byte comparison bound or noted does not count. */
	a->nr_syms = a->nr_secs = 0;
	memset(&a->mismatch, 0, sizeof(a->mismatch));
	return ksplice_match_by_insn(m, s, cand, a, run, run_len);
}

/* The running copy's layout, when it differs from the helper's. */
static int commit_layout(struct ksplice_matcher *m, size_t si, const struct attempt *a)
{
	struct ksplice_run_layout *l = &m->layout[si];

	l->size = a->run_size;
	if (!a->nr_edits)
		return 0;
	l->edits = ks_zalloc(a->nr_edits * sizeof(*l->edits));
	if (!l->edits)
		return -1;
	memcpy(l->edits, a->edits, a->nr_edits * sizeof(*l->edits));
	l->nr_edits = a->nr_edits;
	return 0;
}

static int commit(struct ksplice_matcher *m, size_t si, u64 cand, const struct attempt *a)
{
	size_t i;

	if (m->nr_bindings + a->nr_syms + 1 > m->cap_bindings) {
		size_t cap = (m->nr_bindings + a->nr_syms + 1) * 2 + 16;
		struct ksplice_binding *nb = ks_zalloc(cap * sizeof(*nb));

		if (!nb)
			return -1;
		if (m->bindings)
			memcpy(nb, m->bindings, m->nr_bindings * sizeof(*nb));
		ks_free(m->bindings);
		m->bindings = nb;
		m->cap_bindings = cap;
	}
	for (i = 0; i < a->nr_syms; i++)
		m->bindings[m->nr_bindings++] = a->syms[i];
	for (i = 0; i < a->nr_secs; i++)
		m->section_addr[a->sec_index[i]] = a->sec_value[i];
	if (commit_layout(m, si, a))
		return -1;
	m->section_addr[si] = cand;
	m->matched[si] = 1;
	/* The matched section's own symbol is now known too. */
	if (!find_binding(m->bindings, m->nr_bindings, section(m, si)->symbol,
			  section(m, si)->scope)) {
		m->bindings[m->nr_bindings].name = section(m, si)->symbol;
		m->bindings[m->nr_bindings].scope = section(m, si)->scope;
		m->bindings[m->nr_bindings++].value = cand;
	}
	return 0;
}

static bool alloc_attempt(struct attempt *a, size_t nr_relocs)
{
	a->syms = ks_zalloc((nr_relocs + 1) * sizeof(*a->syms));
	a->sec_index = ks_zalloc((nr_relocs + 1) * sizeof(*a->sec_index));
	a->sec_value = ks_zalloc((nr_relocs + 1) * sizeof(*a->sec_value));
	return a->syms && a->sec_index && a->sec_value;
}

static void free_attempt(struct attempt *a)
{
	ks_free(a->edits);
	ks_free(a->syms);
	ks_free(a->sec_index);
	ks_free(a->sec_value);
}

static bool copy_attempt(struct attempt *dst, const struct attempt *src, size_t nr_relocs)
{
	dst->nr_syms = src->nr_syms;
	dst->nr_secs = src->nr_secs;
	memcpy(dst->syms, src->syms, (nr_relocs + 1) * sizeof(*dst->syms));
	memcpy(dst->sec_index, src->sec_index, (nr_relocs + 1) * sizeof(*dst->sec_index));
	memcpy(dst->sec_value, src->sec_value, (nr_relocs + 1) * sizeof(*dst->sec_value));
	dst->run_size = src->run_size;
	dst->nr_edits = 0;
	if (!src->nr_edits)
		return true;
	if (dst->cap_edits < src->nr_edits) {
		ks_free(dst->edits);
		dst->edits = ks_zalloc(src->nr_edits * sizeof(*dst->edits));
		dst->cap_edits = dst->edits ? src->nr_edits : 0;
		if (!dst->edits)
			return false;
	}
	memcpy(dst->edits, src->edits, src->nr_edits * sizeof(*dst->edits));
	dst->nr_edits = src->nr_edits;
	return true;
}

/* True when no other helper section defines a symbol named like @si's, in its scope. */
static bool unique_name(const struct ksplice_matcher *m, size_t si)
{
	size_t i;

	for (i = 0; i < m->helper->nr_sections; i++)
		if (i != si && section(m, i)->scope == section(m, si)->scope &&
		    !strcmp(section(m, i)->symbol, section(m, si)->symbol))
			return false;
	return true;
}

/*
 * Candidate addresses: the one other sections' relocations imply, else
 * kallsyms'. A value bound to the section's name only counts when no other
 * helper section has that name (static functions of two files may).
 */
static size_t candidates(struct ksplice_matcher *m, size_t si, u64 *addrs)
{
	const struct ksplice_section *s = section(m, si);
	u64 v;
	size_t n;

	if (m->section_addr[si]) {
		addrs[0] = m->section_addr[si];
		return 1;
	}
	if (!ksplice_match_scoped_symbol(m, s->symbol, s->scope, &v) && unique_name(m, si)) {
		addrs[0] = v;
		return 1;
	}
	n = m->ops->lookup(m->ctx, s->symbol, addrs, MAX_CANDIDATES);
	return n < MAX_CANDIDATES ? n : MAX_CANDIDATES;
}

/* Try every candidate of section @si; commits when exactly one survives. */
static int try_section(struct ksplice_matcher *m, size_t si, size_t *survivors, size_t *tried)
{
	const struct ksplice_section *s = section(m, si);
	size_t nr = m->helper->nr_relocs, n, i;
	struct attempt cur = { 0 }, won = { 0 };
	struct ksplice_mismatch first_failure = { 0 };
	u64 *addrs = ks_zalloc(MAX_CANDIDATES * sizeof(*addrs)), won_addr = 0;
	u8 *run = ks_zalloc(s->size + KSPLICE_RUN_SLACK), *covered = ks_zalloc(s->size);
	int ret = KSPLICE_MATCH_NO_MEMORY;

	*survivors = *tried = 0;
	if (!addrs || !run || !covered || !alloc_attempt(&cur, nr) || !alloc_attempt(&won, nr))
		goto out;
	n = candidates(m, si, addrs);
	*tried = n;
	for (i = 0; i < n; i++) {
		cur.nr_syms = cur.nr_secs = 0;
		memset(&cur.mismatch, 0, sizeof(cur.mismatch));
		if (!attempt_at(m, si, addrs[i], &cur, run, covered)) {
			if (!first_failure.reason)
				first_failure = cur.mismatch;
			continue;
		}
		if (!(*survivors)++) {
			if (!copy_attempt(&won, &cur, nr))
				goto out;
			won_addr = addrs[i];
		}
	}
	ret = KSPLICE_MATCH_OK;
	if (*survivors == 1 && commit(m, si, won_addr, &won))
		ret = KSPLICE_MATCH_NO_MEMORY;
	if (!*survivors)
		m->mismatch = first_failure;	/* the first candidate's reason */
out:
	free_attempt(&cur);
	free_attempt(&won);
	ks_free(addrs);
	ks_free(run);
	ks_free(covered);
	return ret;
}

int ksplice_match_init(struct ksplice_matcher *m, const struct ksplice_module_desc *helper,
		       const struct ksplice_match_ops *ops, void *ctx)
{
	memset(m, 0, sizeof(*m));
	m->helper = helper;
	m->ops = ops;
	m->ctx = ctx;
	m->section_addr = ks_zalloc((helper->nr_sections + 1) * sizeof(*m->section_addr));
	m->matched = ks_zalloc(helper->nr_sections + 1);
	m->scratch = ks_zalloc(MAX_CANDIDATES * sizeof(*m->scratch));
	m->layout = ks_zalloc((helper->nr_sections + 1) * sizeof(*m->layout));
	if (!m->section_addr || !m->matched || !m->scratch || !m->layout) {
		ksplice_match_free(m);
		return -1;
	}
	return 0;
}

void ksplice_match_free(struct ksplice_matcher *m)
{
	size_t i;

	for (i = 0; m->layout && i < m->helper->nr_sections; i++)
		ks_free(m->layout[i].edits);
	ks_free(m->layout);
	m->layout = NULL;
	ks_free(m->section_addr);
	ks_free(m->matched);
	ks_free(m->bindings);
	ks_free(m->scratch);
	m->section_addr = NULL;
	m->matched = NULL;
	m->bindings = NULL;
	m->scratch = NULL;
}

/* Why sections are left over once no more progress is possible. */
static int unresolved(struct ksplice_matcher *m, size_t missing, size_t ambiguous)
{
	bool not_found = missing < m->helper->nr_sections;

	memset(&m->mismatch, 0, sizeof(m->mismatch));
	m->mismatch.section = section(m, not_found ? missing : ambiguous)->symbol;
	m->mismatch.reason = not_found ?
		"no symbol of this name in the target, and no matched code refers to it" :
		"several candidates match and nothing tells them apart";
	return not_found ? KSPLICE_MATCH_NOT_FOUND : KSPLICE_MATCH_AMBIGUOUS;
}

/*
 * The data objects a patch named (KSPLICE_SECTION_EARLY) first, by content:
 * a mismatch is final; several or no candidates leave the section to the
 * sweeps, where code that refers to it may tell.
 */
static int match_early(struct ksplice_matcher *m)
{
	size_t i, survivors, tried;
	int ret;

	for (i = 0; i < m->helper->nr_sections; i++) {
		if (!(section(m, i)->flags & KSPLICE_SECTION_EARLY))
			continue;
		ret = try_section(m, i, &survivors, &tried);
		if (ret != KSPLICE_MATCH_OK)
			return ret;
		if (tried && !survivors)
			return KSPLICE_MATCH_NO_MATCH;
	}
	return KSPLICE_MATCH_OK;
}

/*
 * Sweep over the unmatched sections while a sweep commits one: a section
 * without candidates (only reachable through other sections' relocations)
 * or with several surviving ones may be resolved by a later commit. A
 * witness left over binds nothing, and is no failure (update-format.h).
 */
int ksplice_match_run(struct ksplice_matcher *m)
{
	size_t i, survivors, tried, pending, missing, ambiguous, n = m->helper->nr_sections;
	size_t witnesses;
	bool progress;
	int ret = match_early(m);

	if (ret != KSPLICE_MATCH_OK)
		return ret;
	do {
		progress = false;
		pending = witnesses = 0;
		missing = ambiguous = n;
		for (i = 0; i < n; i++) {
			if (m->matched[i])
				continue;
			ret = try_section(m, i, &survivors, &tried);
			if (ret != KSPLICE_MATCH_OK)
				return ret;
			if (tried && !survivors)
				return KSPLICE_MATCH_NO_MATCH;
			if (survivors == 1) {
				progress = true;
				continue;
			}
			pending++;
			if (section(m, i)->flags & KSPLICE_SECTION_WITNESS) {
				witnesses++;
				continue;
			}
			if (!tried && missing == n)
				missing = i;
			else if (tried && ambiguous == n)
				ambiguous = i;
		}
	} while (progress && pending);
	return pending > witnesses ? unresolved(m, missing, ambiguous) : KSPLICE_MATCH_OK;
}

const char *ksplice_match_status_name(int status)
{
	switch (status) {
	case KSPLICE_MATCH_OK: return "ok";
	case KSPLICE_MATCH_NO_MATCH: return "no_match";
	case KSPLICE_MATCH_AMBIGUOUS: return "ambiguous";
	case KSPLICE_MATCH_NOT_FOUND: return "failed_to_find";
	case KSPLICE_MATCH_NO_MEMORY: return "out_of_memory";
	}
	return "unexpected";
}
