// SPDX-License-Identifier: GPL-2.0
/*
 * Relocating a primary module: every update relocation record names a
 * symbol of the running kernel (or of the target module) that the module
 * loader could not resolve, or new code of the primary itself. Its value
 * is the matcher's binding (what the running code itself refers to), else
 * the one address kallsyms has for it within the target, else the one the
 * primary defines; none, or several, is failed_to_find naming it.
 *
 * A function an earlier update replaced keeps its original address here:
 * calls through it reach the replacement through the trampoline, pointers
 * to it compare equal to the ones the kernel already holds, and undoing
 * the earlier update never leaves this one calling freed code. (Matching
 * does see the replacements, so a section can bind a symbol to an earlier
 * update's code; any value inside an earlier update's primary is recorded
 * as a dependency, and that update cannot be undone first.)
 *
 * The fields are computed with core/reloc-math.h (a value that does not fit
 * its field is refused) and written with text_poke under text_mutex: the
 * primary's text is read-only by the time its init function ran.
 */
#include <linux/kallsyms.h>

#include "core/reloc-math.h"
#include "apply.h"
#include "internal.h"

/*
 * The single address of @name in the target, else in the primary itself
 * (new code of one object called from another: ksplice-create leaves such
 * calls to us); 0 with @why set otherwise.
 */
static u64 lookup_unique(struct module *target_mod, struct module *primary_mod,
			 const char *name, const char **why)
{
	u64 addr;
	size_t n = ksplice_lookup_in_target(target_mod, primary_mod, name, &addr);

	if (n == 1)
		return addr;
	*why = n ? "several symbols of this name, and matching did not tell which"
		 : "no symbol of this name in the target or the update";
	return 0;
}

/*
 * On i386 relocation arithmetic is modulo 2^32, as the CPU's and the module
 * loader's: a 32-bit field can reach any address, however far.
 */
s64 ksplice_wrap_to_address_width(s64 value, const struct ksplice_reloc *r)
{
	if (BITS_PER_LONG == 64 || r->size != 4)
		return value;
	return (r->flags & KSPLICE_RELOC_SIGNED) ? (s64)(s32)value : (s64)(u32)value;
}

const char *ksplice_relocate_primary(struct ksplice_update *u, const struct ksplice_target *t,
				     struct module *target_mod, const struct ksplice_matcher *m,
				     struct ksplice_applied *a)
{
	const struct ksplice_module_desc *d = t->primary;
	const char *why = NULL, *how;
	u8 field[8];
	u64 i, sym, site;
	s64 value;
	size_t written = 0, at_load = 0;

	for (i = 0; i < d->nr_relocs; i++) {
		const struct ksplice_reloc *r = &d->relocs[i];

		if (r->flags & KSPLICE_RELOC_AT_LOAD) {
			at_load++;	/* resolved when the primary loaded (load-relocs.c) */
			continue;
		}
		if (ksplice_reloc_is_btf(r))
			continue;	/* below: ksplice_fill_btf_ids */
		if (r->target_kind != KSPLICE_TARGET_SYMBOL) {
			ksplice_log(u, "%s: unexpected: primary relocation %llu is not to a symbol\n",
				    t->name, i);
			return "unexpected";
		}
		how = "bound by matching";
		if (ksplice_match_scoped_symbol(m, r->name, r->scope, &sym)) {
			how = "the only one of its name";
			sym = lookup_unique(target_mod, t->primary_mod, r->name, &why);
			if (!sym) {
				ksplice_log(u, "%s: failed_to_find: symbol %s: %s\n", t->name,
					    r->name, why);
				pr_err("ksplice: update %s: cannot find symbol %s (%s)\n", u->id,
				       r->name, why);
				return "failed_to_find";
			}
		}
		if (ksplice_note_dependency(a, (unsigned long)sym)) {
			ksplice_log(u, "%s: out_of_memory\n", t->name);
			return "out_of_memory";
		}
		site = (unsigned long)r->site;
		value = ksplice_field_value(sym, r->addend, site, r->flags);
		value = ksplice_wrap_to_address_width(value, r);
		if (ksplice_field_write(field, r->size, r->flags & KSPLICE_RELOC_SIGNED, value)) {
			ksplice_log(u, "%s: unexpected: relocation to %s at %pS: value 0x%llx does "
				    "not fit in %u bytes\n", t->name, r->name, r->site,
				    (unsigned long long)value, r->size);
			return "unexpected";
		}
		ksplice_log(u, "  reloc %s%+lld at %pS: 0x%llx (%s)\n", r->name,
			    (long long)r->addend, r->site, sym, how);
		if (!memcmp(r->site, field, r->size))
			continue;
		ksplice_text_lock();
		ksplice_poke(r->site, field, r->size);
		ksplice_text_unlock();
		written++;
	}
	if (ksplice_has_btf_ids(d)) {
		why = ksplice_fill_btf_ids(u, t);
		if (why)
			return why;
	}
	ksplice_log(u, "%s: relocated the primary: %llu records (%zu fields written, %zu resolved "
		    "at load)\n", t->name, d->nr_relocs, written, at_load);
	return "ok";
}
