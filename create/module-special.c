// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "create/module-special.h"

/*
 * Entry layouts (6.1, checked against the source): all x86 tables start
 * with the code address they describe, so entry ownership is by the
 * relocation at offset 0 (object-units.h). Fields used here:
 *   struct alt_instr { s32 instr, repl; u16 cpuid; u8 instrlen, replen; }
 *   struct paravirt_patch_site { u8 *instr; u8 type, len; }  (16 / 8 bytes)
 *   struct jump_entry { s32 code, target; long key; }        (16 / 12 bytes)
 *   struct static_call_site { s32 addr, key; }
 */
#define ALT_REPL_OFFSET 4
#define ALT_INSTRLEN 10
#define ALT_REPLLEN 11
#define JUMP_KEY_OFFSET 8
#define STATIC_CALL_KEY_OFFSET 4

struct special_table {
	const char *name;
	bool carry;			/* into the primary */
	enum ksplice_site_kind site;	/* 0: not a rewritten site */
};

static const struct special_table special_tables[] = {
	{ ".altinstructions", true, KSPLICE_SITE_ALTERNATIVE },
	{ ".parainstructions", true, KSPLICE_SITE_PARAVIRT },
	{ ".smp_locks", true, KSPLICE_SITE_SMP_LOCK },
	{ "__jump_table", true, KSPLICE_SITE_JUMP_LABEL },
	{ ".static_call_sites", true, KSPLICE_SITE_STATIC_CALL },
	{ ".retpoline_sites", true, KSPLICE_SITE_RETPOLINE },
	{ ".return_sites", true, KSPLICE_SITE_RETURN },
	{ "__mcount_loc", true, KSPLICE_SITE_FENTRY },
	/* Link-time tables of vmlinux; the module loader has no use for them. */
	{ ".static_call_tramp_key", false, 0 },
	{ ".ibt_endbr_seal", false, 0 },
};

static const struct special_table *find_table(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(special_tables) / sizeof(special_tables[0]); i++)
		if (!strcmp(special_tables[i].name, name))
			return &special_tables[i];
	return NULL;
}

/* Other fixed-size tables (__ex_table, __bug_table, ORC, ...) are carried. */
static bool carried(const struct object_index *idx,
		    const struct table_entry *e)
{
	const struct special_table *t = find_table(e->sec->name);
	const struct section_info *si = &idx->sections[e->sec->index];

	if (si->class.kind != SEC_TABLE || !si->class.entsize)
		return false;	/* tables split at symbols are copied as data */
	return !t || t->carry;
}

static const struct elf_reloc *reloc_at(const struct elf_section *sec,
					uint64_t offset)
{
	size_t first, n = relocs_in_range(sec, offset, offset + 1, &first);

	return n ? &sec->relocs[first] : NULL;
}

static int table_section(struct primary_ctx *ctx, const struct elf_section *src)
{
	struct module_image *img = ctx->cs.img;
	size_t i;

	for (i = 0; i < img->nr_secs; i++)
		if (!strcmp(img->secs[i].name, src->name))
			return (int)i;
	return image_add_section(img, src->name, SHT_PROGBITS,
				 src->flags & ~(uint64_t)SHF_GROUP, src->align,
				 NULL, 0);
}

/* "__SCK__name" -> "__SCT__name", the trampoline, if exported. */
static const char *exported_trampoline(struct primary_ctx *ctx,
				       const char *key, char *buf, size_t len)
{
	if (strncmp(key, "__SCK__", 7))
		return NULL;
	snprintf(buf, len, "__SCT__%s", key + 7);
	return primary_export(ctx, buf) ? buf : NULL;
}

/*
 * A static call site whose key the loader cannot link: point it at the
 * exported trampoline (the loader looks the key up from it, as objtool
 * does for modules), or drop it (calls through the trampoline stay right).
 */
static int fix_static_call_key(struct primary_ctx *ctx,
			       const struct module_input *in,
			       const struct table_entry *e, struct link *key,
			       char *buf, size_t len, bool *keep)
{
	const struct elf_reloc *r = reloc_at(e->sec, e->start + STATIC_CALL_KEY_OFFSET);

	*keep = true;
	if (!r || primary_resolve(ctx, in, e->sec, r, key))
		return r ? -1 : 0;
	if (key->kind != LINK_RECORD)
		return 0;
	key->name = exported_trampoline(ctx, key->name, buf, len);
	if (key->name) {
		key->kind = LINK_LOADER;
		return 0;
	}
	*keep = false;
	image_add_note(ctx->cs.img,
		       "static call site in %s left as a call through its trampoline (key not exported)",
		       e->owner->name);
	return 0;
}

/*
 * The static key of a jump label. The jump label code reads it when the
 * primary loads, before ksplice.ko resolves ordinary records: a key the
 * loader cannot link (not exported) becomes a record ksplice.ko resolves
 * from its module notifier at that moment (KSPLICE_RELOC_AT_LOAD). The
 * addend keeps the entry's flag bits (branch, init).
 */
static int resolve_jump_key(struct primary_ctx *ctx,
			    const struct module_input *in,
			    const struct table_entry *e, struct link *key)
{
	const struct elf_reloc *r = reloc_at(e->sec, e->start + JUMP_KEY_OFFSET);

	if (!r)
		return ks_fail(ctx->err, "%s: __jump_table entry without a relocation to its key",
			       e->owner->name);
	if (primary_resolve(ctx, in, e->sec, r, key))
		return -1;
	if (key->kind == LINK_RECORD)
		key->at_load = true;
	return 0;
}

static int add_entry(struct primary_ctx *ctx, const struct module_input *in,
		     const struct table_entry *e, const struct link *key,
		     uint64_t key_offset)
{
	int sec = table_section(ctx, e->sec);
	uint64_t off = image_append(ctx->cs.img, sec, e->sec->data + e->start,
				    e->end - e->start);
	size_t k, first, n = relocs_in_range(e->sec, e->start, e->end, &first);
	struct link l;

	for (k = first; k < first + n; k++) {
		const struct elf_reloc *r = &e->sec->relocs[k];
		uint64_t at = off + r->offset - e->start;

		if (key && r->offset == e->start + key_offset) {
			primary_emit(ctx, r, sec, at, key);
			continue;
		}
		if (primary_resolve(ctx, in, e->sec, r, &l))
			return -1;
		primary_emit(ctx, r, sec, at, &l);
	}
	return 0;
}

static int select_entry(struct primary_ctx *ctx, const struct module_input *in,
			const struct table_entry *e)
{
	char buf[256];
	struct link key;
	bool keep;

	if (!strcmp(e->sec->name, "__jump_table"))
		return resolve_jump_key(ctx, in, e, &key) ? -1 :
		       add_entry(ctx, in, e, &key, JUMP_KEY_OFFSET);
	if (strcmp(e->sec->name, ".static_call_sites"))
		return add_entry(ctx, in, e, NULL, 0);
	if (fix_static_call_key(ctx, in, e, &key, buf, sizeof(buf), &keep))
		return -1;
	if (!keep)
		return 0;
	return add_entry(ctx, in, e, &key, STATIC_CALL_KEY_OFFSET);
}

int special_select_entries(struct primary_ctx *ctx, struct module_input *in)
{
	const struct object_index *idx = in->post_idx;
	int added = 0;
	size_t i;

	for (i = 0; i < idx->nr_entries; i++) {
		const struct table_entry *e = idx->entries[i];

		if (in->taken[i] || !e->owner || !carried(idx, e) ||
		    !copy_find_unit(&ctx->cs, e->owner))
			continue;
		in->taken[i] = true;
		if (select_entry(ctx, in, e))
			return -1;
		added++;
	}
	return added;
}

int special_check_replacements(struct primary_ctx *ctx)
{
	const struct module_image *img = ctx->cs.img;
	size_t i;

	for (i = 0; i < img->nr_relocs; i++) {
		const struct image_record_reloc *r = &img->relocs[i];

		if (strcmp(img->secs[r->site.sec].name, ".altinstr_replacement"))
			continue;
		return ks_fail(ctx->err,
			       "alternative replacement code refers to %s, which the module loader cannot link (not exported)",
			       r->name);
	}
	return 0;
}

/* Decoded lengths of the jump/call forms compilers and objtool emit. */
unsigned int special_site_length(enum ksplice_site_kind kind,
				 const unsigned char *insn, size_t avail)
{
	switch (kind) {
	case KSPLICE_SITE_SMP_LOCK:
		return 1;
	case KSPLICE_SITE_FENTRY:
	case KSPLICE_SITE_STATIC_CALL:
		return 5;
	default:
		break;
	}
	if (avail >= 2 && insn[0] == 0x0f && (insn[1] & 0xf0) == 0x80)
		return 6;	/* jcc rel32 */
	if (avail >= 2 && (insn[0] == 0xeb || (insn[0] == 0x66 && insn[1] == 0x90)))
		return 2;	/* jmp rel8, 2-byte NOP */
	return 5;		/* call/jmp rel32, 5-byte NOP */
}

static void add_site(struct copy_set *cs, const struct module_input *in,
		     const struct table_entry *e, enum ksplice_site_kind kind)
{
	const struct elf_reloc *r = reloc_at(e->sec, e->start);
	const unsigned char *entry = e->sec->data + e->start;
	struct image_record_site s = { 0 };
	const struct copy_piece *p;
	uint64_t place;

	if (!r || !r->sym->sec)
		return;
	place = r->sym->value + r->addend;
	p = copy_find(cs, r->sym->sec, place);
	if (!p || place >= p->end)
		return;
	s.site.sec = p->sec;
	s.site.offset = place - p->start;
	s.kind = kind;
	if (kind == KSPLICE_SITE_ALTERNATIVE) {
		const struct elf_reloc *rr = reloc_at(e->sec, e->start + ALT_REPL_OFFSET);
		uint64_t at = rr ? rr->sym->value + rr->addend : 0;

		s.len = entry[ALT_INSTRLEN];
		s.replacement_len = entry[ALT_REPLLEN];
		if (rr && rr->sym->sec && rr->sym->sec->data &&
		    at + s.replacement_len <= rr->sym->sec->size)
			s.replacement = (unsigned char *)rr->sym->sec->data + at;
		else
			s.replacement_len = 0;
	} else if (kind == KSPLICE_SITE_PARAVIRT) {
		s.len = entry[in->pre->elf_class == ELFCLASS64 ? 9 : 5];
	} else {
		s.len = special_site_length(kind, p->src->data + place,
					    p->src->size - place);
	}
	if (s.len && place + s.len <= p->end)
		image_add_record_site(cs->img, &s);
}

void special_helper_sites(struct copy_set *cs, const struct module_input *in)
{
	const struct object_index *idx = in->pre_idx;
	size_t i;

	for (i = 0; i < idx->nr_entries; i++) {
		const struct table_entry *e = idx->entries[i];
		const struct special_table *t = find_table(e->sec->name);

		if (!t || !t->site || !e->owner || !copy_find_unit(cs, e->owner))
			continue;
		add_site(cs, in, e, t->site);
	}
}
