// SPDX-License-Identifier: GPL-2.0
#include "core/update-validate.h"

#define EM_386_ 3
#define EM_X86_64_ 62

const char *ksplice_validate_desc(const struct ksplice_module_desc *d)
{
	if (d->magic != KSPLICE_MAGIC)
		return "bad magic: not a ksplice update module";
	if (d->version != KSPLICE_FORMAT_VERSION)
		return "unsupported update format version";
	if (d->desc_size != sizeof(*d))
		return "descriptor size does not match this format version";
	if (d->kind != KSPLICE_PRIMARY && d->kind != KSPLICE_HELPER)
		return "unknown module kind";
	if (d->machine != EM_X86_64_ && d->machine != EM_386_)
		return "unsupported machine";
	if (!d->id_raw || !d->target_raw)
		return "missing update id or target name";
	if (d->nr_relocs > KSPLICE_MAX_RECORDS || d->nr_sections > KSPLICE_MAX_RECORDS ||
	    d->nr_sites > KSPLICE_MAX_RECORDS || d->nr_patches > KSPLICE_MAX_RECORDS ||
	    d->nr_hooks > KSPLICE_MAX_RECORDS)
		return "record count out of range";
	if ((d->nr_relocs && !d->relocs_raw) || (d->nr_sections && !d->sections_raw) ||
	    (d->nr_sites && !d->sites_raw) || (d->nr_patches && !d->patches_raw) ||
	    (d->nr_hooks && !d->hooks_raw))
		return "records counted but missing";
	if (d->kind == KSPLICE_HELPER && d->nr_patches)
		return "a helper module cannot carry patches";
	if (d->kind == KSPLICE_HELPER && d->nr_hooks)
		return "a helper module cannot carry hooks";
	return NULL;
}

const char *ksplice_validate_reloc(const struct ksplice_reloc *r, u64 nr_sections)
{
	if (r->size != 1 && r->size != 2 && r->size != 4 && r->size != 8)
		return "relocation field size is not 1, 2, 4 or 8";
	if (!r->site_raw)
		return "relocation without a site";
	if (r->flags & ~(u16)(KSPLICE_RELOC_PCREL | KSPLICE_RELOC_SIGNED | KSPLICE_RELOC_AT_LOAD))
		return "unknown relocation flags";
	if ((r->flags & KSPLICE_RELOC_AT_LOAD) && r->target_kind != KSPLICE_TARGET_SYMBOL)
		return "relocation resolved at load time is not to a symbol";
	if (r->scope && r->target_kind != KSPLICE_TARGET_SYMBOL)
		return "only a symbol relocation has a scope";
	switch (r->target_kind) {
	case KSPLICE_TARGET_SYMBOL:
	case KSPLICE_TARGET_STRING:
		if (!r->name_raw)
			return "relocation without a target name";
		return NULL;
	case KSPLICE_TARGET_SECTION:
		if (r->section >= nr_sections)
			return "relocation to a section index out of range";
		return NULL;
	case KSPLICE_TARGET_CONST:
		if (!r->name_raw || !r->len || r->len > KSPLICE_MAX_CONST_LEN)
			return "relocation to a constant without its bytes";
		return NULL;
	case KSPLICE_TARGET_BTF_ID:
		if (!r->name_raw || r->size != 4 || r->flags || !r->len || r->len > 31)
			return "BTF ID relocation without its type name, kind or 4-byte field";
		return NULL;
	case KSPLICE_TARGET_BTF_SET:
		if (!r->name_raw || r->size != 4 || r->flags || (r->len != 4 && r->len != 8) ||
		    r->addend < 0 || r->addend > KSPLICE_MAX_BTF_SET)
			return "BTF ID set relocation with a bad width or count";
		return NULL;
	default:
		return "unknown relocation target kind";
	}
}

const char *ksplice_validate_site(const struct ksplice_site *s)
{
	if (s->kind < KSPLICE_SITE_FENTRY || s->kind > KSPLICE_SITE_SMP_LOCK)
		return "unknown rewritten-site kind";
	if (!s->address_raw || !s->len || s->len > 64)
		return "rewritten site address or length out of range";
	if (s->replacement_len > 64 || (s->replacement_len && !s->replacement_raw))
		return "alternative replacement out of range";
	return NULL;
}

const char *ksplice_validate_patch(const struct ksplice_patch *p)
{
	if (p->kind != KSPLICE_PATCH_JUMP && p->kind != KSPLICE_PATCH_ERROR_STUB &&
	    p->kind != KSPLICE_PATCH_DATA)
		return "unknown patch kind";
	if (!p->old_name_raw)
		return "patch without the replaced function's name";
	if (p->kind == KSPLICE_PATCH_JUMP && !p->new_address_raw)
		return "jump patch without a replacement address";
	if (p->kind == KSPLICE_PATCH_DATA && !p->new_address_raw)
		return "data patch without the new bytes";
	return NULL;
}

const char *ksplice_validate_hook(const struct ksplice_hook *h)
{
	if (h->kind < KSPLICE_HOOK_PRE_APPLY || h->kind > KSPLICE_HOOK_FAIL_REVERSE)
		return "unknown hook kind";
	if (!h->fn_raw)
		return "hook without a function";
	return NULL;
}
