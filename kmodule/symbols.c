// SPDX-License-Identifier: GPL-2.0
/*
 * Symbol lookup on a stock 6.1 kernel, which exports none of kallsyms'
 * lookups since 5.7. A kprobe on kallsyms_lookup_name tells where that
 * function is; through it we find kallsyms_on_each_match_symbol (every
 * vmlinux address of a name, by binary search on the name-sorted table)
 * and find_module. Every address obtained this way is checked with
 * sprint_symbol; a symbol that cannot be found is reported, never guessed.
 */
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/rcupdate.h>

#include "internal.h"

typedef unsigned long (*lookup_name_fn)(const char *name);
typedef int (*each_match_fn)(int (*fn)(void *, unsigned long), const char *name, void *data);
typedef struct module *(*find_module_fn)(const char *name);

static lookup_name_fn ks_lookup_name;
static each_match_fn ks_each_match;
static find_module_fn ks_find_module;

/* The start of the function containing @addr, if kallsyms calls it @name. */
static unsigned long symbol_start(unsigned long addr, const char *name)
{
	char buf[KSYM_SYMBOL_LEN];
	size_t len = strlen(name);
	unsigned long off;

	sprint_symbol(buf, addr);
	if (strncmp(buf, name, len) || buf[len] != '+' ||
	    sscanf(buf + len, "+%lx/", &off) != 1 || off > addr)
		return 0;
	return addr - off;
}

static unsigned long find_lookup_name(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;

	if (register_kprobe(&kp))
		return 0;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	return symbol_start(addr, "kallsyms_lookup_name");
}

/* A vmlinux function by name, checked to begin exactly there. */
static unsigned long find_function(const char *name)
{
	unsigned long addr = ks_lookup_name(name);

	return addr && symbol_start(addr, name) == addr ? addr : 0;
}

/*
 * Find what we need once; on failure @missing names the symbol. Called
 * under ksplice_mutex.
 */
int ksplice_symbols_init(const char **missing)
{
	unsigned long addr;

	if (ks_lookup_name && ks_each_match && ks_find_module)
		return 0;
	*missing = "kallsyms_lookup_name";
	addr = find_lookup_name();
	if (!addr)
		return -ENOENT;
	ks_lookup_name = (lookup_name_fn)addr;
	*missing = "kallsyms_on_each_match_symbol";
	ks_each_match = (each_match_fn)find_function(*missing);
	if (!ks_each_match)
		return -ENOENT;
	*missing = "find_module";
	ks_find_module = (find_module_fn)find_function(*missing);
	if (!ks_find_module)
		return -ENOENT;
	*missing = NULL;
	return 0;
}

unsigned long ksplice_vmlinux_function(const char *name)
{
	return find_function(name);
}

struct collect {
	u64 *addrs;
	size_t max, n;
};

static int collect_one(void *data, unsigned long addr)
{
	struct collect *c = data;

	if (c->n < c->max)
		c->addrs[c->n] = addr;
	c->n++;
	return 0;
}

/* Every vmlinux address of @name; returns how many (may exceed @max). */
size_t ksplice_lookup_vmlinux(const char *name, u64 *addrs, size_t max)
{
	struct collect c = { addrs, max, 0 };

	ks_each_match(collect_one, name, &c);
	return c.n;
}

/* Every address of @name in @mod's symbol table (held by the caller). */
size_t ksplice_lookup_module(struct module *mod, const char *name, u64 *addrs, size_t max)
{
	struct mod_kallsyms *ks;
	struct collect c = { addrs, max, 0 };
	unsigned int i;

	preempt_disable();	/* mod->kallsyms is switched under RCU-sched */
	ks = rcu_dereference_sched(mod->kallsyms);
	for (i = 0; i < ks->num_symtab; i++) {
		const Elf_Sym *sym = &ks->symtab[i];

		if (sym->st_shndx != SHN_UNDEF && !strcmp(ks->strtab + sym->st_name, name))
			collect_one(&c, sym->st_value);
	}
	preempt_enable();
	return c.n;
}

/*
 * Loaded module @name, pinned with a reference so it stays while we read
 * it; NULL if not loaded (or going away). find_module() may be called with
 * preemption disabled instead of holding module_mutex.
 */
struct module *ksplice_get_module(const char *name)
{
	struct module *mod;

	preempt_disable();
	mod = ks_find_module(name);
	if (mod && (mod->state == MODULE_STATE_GOING || !try_module_get(mod)))
		mod = NULL;
	preempt_enable();
	return mod;
}

size_t ksplice_lookup_in_target(struct module *target_mod, struct module *primary_mod,
				const char *name, u64 *addr)
{
	u64 addrs[2];
	size_t n = 0;

	if (target_mod)
		n = ksplice_lookup_module(target_mod, name, addrs, 2);
	if (!n)
		n = ksplice_lookup_vmlinux(name, addrs, 2);
	if (!n && primary_mod)
		n = ksplice_lookup_module(primary_mod, name, addrs, 2);
	*addr = n ? addrs[0] : 0;
	return n;
}
