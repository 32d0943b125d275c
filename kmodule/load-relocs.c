// SPDX-License-Identifier: GPL-2.0
/*
 * Relocations resolved while a primary module loads (KSPLICE_RELOC_AT_LOAD).
 *
 * The module loader hands a module's __jump_table to the jump label code
 * from the jump label module notifier, at MODULE_STATE_COMING, before the
 * module's init function registers it with us. An entry's key field must
 * hold the running kernel's static key by then: the jump label code links
 * the entry to the key (and patches the site if the key is enabled), then
 * sorts the table. A key the kernel does not export (most tracepoints)
 * cannot be linked by the loader, so ksplice-create leaves it to us as a
 * record flagged KSPLICE_RELOC_AT_LOAD, and this notifier, which runs
 * before the jump label one (higher priority), fills it in.
 *
 * Matching has not run yet, so a key is found by name within the update's
 * target (the target module's symbols, then vmlinux), as relocate.c does
 * for names matching did not bind. A name that is missing or that several
 * symbols carry makes the load fail with a message naming it: nothing is
 * guessed. Failing leaves nothing behind: the fields written belong to the
 * module being loaded, which the loader then frees.
 *
 * The fields are written directly: __jump_table is ro_after_init, still
 * writable until the module's init function has run (the jump label code
 * sorts it in place at this same point). relocate.c skips these records
 * when the update is applied: the table may have been sorted since.
 */
#include <linux/jump_label.h>
#include <linux/module.h>
#include <linux/notifier.h>

#include "core/reloc-math.h"
#include "internal.h"

/* Above the jump label notifier (1) and the static call one (0). */
#define KSPLICE_LOAD_NOTIFIER_PRIORITY 2

/* The name the generated module source gives its descriptor. */
#define KSPLICE_DESC_SYMBOL "ksplice_desc"

/* @mod's primary descriptor if it is a sound one, else NULL. */
static const struct ksplice_module_desc *primary_desc(struct module *mod)
{
	const struct ksplice_module_desc *d;
	char where[32];
	u64 addr;

	/* At COMING the full symbol table of the module is visible. */
	if (ksplice_lookup_module(mod, KSPLICE_DESC_SYMBOL, &addr, 1) != 1)
		return NULL;
	d = (const struct ksplice_module_desc *)(unsigned long)addr;
	/* A bad descriptor is reported by the registration that follows. */
	if (ksplice_check_module(d, mod, where, sizeof(where)))
		return NULL;
	return d->kind == KSPLICE_PRIMARY ? d : NULL;
}

static bool has_load_relocs(const struct ksplice_module_desc *d)
{
	u64 i;

	for (i = 0; i < d->nr_relocs; i++)
		if (d->relocs[i].flags & KSPLICE_RELOC_AT_LOAD)
			return true;
	return false;
}

/* The field lies inside one of @mod's __jump_table entries. */
static bool in_jump_table(const struct module *mod, const struct ksplice_reloc *r)
{
#ifdef CONFIG_JUMP_LABEL
	unsigned long start = (unsigned long)mod->jump_entries;
	unsigned long end = start + mod->num_jump_entries * sizeof(struct jump_entry);
	unsigned long site = (unsigned long)r->site;

	return site >= start && site + r->size <= end;
#else
	return false;
#endif
}

/* The one address of @name in the target; 0 with @why set otherwise. */
static u64 lookup_in_target(struct module *target_mod, const char *name, const char **why)
{
	u64 addr;
	size_t n = ksplice_lookup_in_target(target_mod, NULL, name, &addr);

	if (n == 1)
		return addr;
	*why = n ? "several symbols have this name (matching, which could tell them apart, runs later)"
		 : "no symbol of this name in the target";
	return 0;
}

static int resolve_one(struct module *mod, const struct ksplice_module_desc *d,
		       const struct ksplice_reloc *r, struct module *target_mod)
{
	const char *why = NULL;
	u8 field[8];
	u64 sym;

	if (!in_jump_table(mod, r)) {
		pr_err("ksplice: %s: relocation to %s resolved at load time is not in __jump_table\n",
		       mod->name, r->name);
		return -EINVAL;
	}
	sym = lookup_in_target(target_mod, r->name, &why);
	if (!sym) {
		pr_err("ksplice: %s: cannot resolve static key %s in %s: %s\n", mod->name,
		       r->name, d->target, why);
		return -ENOENT;
	}
	if (ksplice_field_write(field, r->size, r->flags & KSPLICE_RELOC_SIGNED,
				ksplice_wrap_to_address_width(
					ksplice_field_value(sym, r->addend, (unsigned long)r->site,
							    r->flags), r))) {
		pr_err("ksplice: %s: static key %s out of reach of its __jump_table entry\n",
		       mod->name, r->name);
		return -ERANGE;
	}
	memcpy(r->site, field, r->size);
	return 0;
}

/* Called under ksplice_mutex. */
static int resolve_load_relocs(struct module *mod, const struct ksplice_module_desc *d)
{
	struct module *target_mod = NULL;
	const char *missing;
	int err = 0;
	u64 i;

	if (ksplice_symbols_init(&missing)) {
		pr_err("ksplice: %s: cannot find %s\n", mod->name, missing);
		return -ENOENT;
	}
	if (strcmp(d->target, "vmlinux")) {
		target_mod = ksplice_get_module(d->target);
		if (!target_mod) {
			pr_err("ksplice: %s: target module %s is not loaded\n", mod->name,
			       d->target);
			return -ENOENT;
		}
	}
	for (i = 0; i < d->nr_relocs && !err; i++)
		if (d->relocs[i].flags & KSPLICE_RELOC_AT_LOAD)
			err = resolve_one(mod, d, &d->relocs[i], target_mod);
	if (target_mod)
		module_put(target_mod);
	return err;
}

static int load_notify(struct notifier_block *nb, unsigned long state, void *data)
{
	struct module *mod = data;
	const struct ksplice_module_desc *d;
	int err;

	if (state != MODULE_STATE_COMING || mod == THIS_MODULE)
		return NOTIFY_DONE;
	d = primary_desc(mod);
	if (!d || !has_load_relocs(d))
		return NOTIFY_DONE;
	mutex_lock(&ksplice_mutex);
	err = resolve_load_relocs(mod, d);
	mutex_unlock(&ksplice_mutex);
	return notifier_from_errno(err);
}

static struct notifier_block load_nb = {
	.notifier_call = load_notify,
	.priority = KSPLICE_LOAD_NOTIFIER_PRIORITY,
};

int ksplice_load_relocs_init(void)
{
	return register_module_notifier(&load_nb);
}

void ksplice_load_relocs_exit(void)
{
	unregister_module_notifier(&load_nb);
}
