// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "create/build-util.h"
#include "create/kallsyms-dump.h"

static int by_name(const void *a, const void *b)
{
	const struct kallsyms_symbol *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static int by_name_module(const void *a, const void *b)
{
	const struct kallsyms_symbol *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->module, y->module);
}

/* "[name]" -> "name", in place; NULL if it is not bracketed. */
static char *module_name(char *tag)
{
	size_t n = strlen(tag);

	if (n < 3 || tag[0] != '[' || tag[n - 1] != ']')
		return NULL;
	tag[n - 1] = '\0';
	return tag + 1;
}

/* One line, split in place; false if it is not "ADDRESS TYPE NAME...". */
static bool parse_line(char *line, u64 *addr, char **name, char **module)
{
	char *end, *p;

	*addr = strtoull(line, &end, 16);
	if (end == line || end - line > 16 || *end != ' ' || !isgraph((unsigned char)end[1]) ||
	    end[2] != ' ' || !end[3])
		return false;
	*name = end + 3;
	*module = NULL;
	p = strchr(*name, '\t');
	if (p) {
		*p = '\0';
		*module = module_name(p + 1);
		if (!*module)
			return false;
	}
	if ((p = strchr(*name, ' ')))
		*p = '\0';
	return **name != '\0';
}

static void append(struct kallsyms_symbol **syms, size_t *nr, size_t *cap,
		   struct kallsyms_symbol sym)
{
	if (*nr == *cap) {
		*cap = *cap * 2 + 1024;
		*syms = xrealloc(*syms, *cap * sizeof(**syms));
	}
	(*syms)[(*nr)++] = sym;
}

static void add_symbol(struct kallsyms_dump *d, size_t *cap, size_t *module_cap, char *name,
		       char *module, u64 addr)
{
	struct kallsyms_symbol sym = { name, module, addr };

	if (module) {
		append(&d->module_syms, &d->nr_module_syms, module_cap, sym);
		return;
	}
	append(&d->syms, &d->nr_syms, cap, sym);
	if (!strcmp(name, "_text"))
		d->text_addr = addr;
	else if (!strcmp(name, "_etext"))
		d->etext_addr = addr;
}

int kallsyms_parse(char *text, struct kallsyms_dump *d, struct ks_error *err)
{
	char *line, *next, *name, *module;
	size_t cap = 0, module_cap = 0, lineno = 0;
	bool any_address = false;
	u64 addr;

	memset(d, 0, sizeof(*d));
	d->text = text;
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (!parse_line(line, &addr, &name, &module))
			return ks_fail(err, "not a kallsyms dump: line %zu is not \"ADDRESS TYPE NAME\"",
				       lineno);
		any_address |= addr != 0;
		add_symbol(d, &cap, &module_cap, name, module, addr);
	}
	if (!d->nr_syms)
		return ks_fail(err, "not a kallsyms dump: no vmlinux symbols");
	if (!any_address)
		return ks_fail(err, "every address in the kallsyms dump is zero: take it as root (cat /proc/kallsyms)");
	if (!d->text_addr)
		return ks_fail(err, "the kallsyms dump has no _text symbol: not a dump of /proc/kallsyms");
	qsort(d->syms, d->nr_syms, sizeof(*d->syms), by_name);
	if (d->nr_module_syms)
		qsort(d->module_syms, d->nr_module_syms, sizeof(*d->module_syms), by_name_module);
	return 0;
}

int kallsyms_load(const char *path, struct kallsyms_dump *d, struct ks_error *err)
{
	char *text = NULL;

	memset(d, 0, sizeof(*d));
	if (build_read_file(path, &text, NULL))
		return ks_fail(err, "cannot read the kallsyms dump: %s", strerror(errno));
	return kallsyms_parse(text, d, err);
}

void kallsyms_free(struct kallsyms_dump *d)
{
	free(d->text);
	free(d->syms);
	free(d->module_syms);
	memset(d, 0, sizeof(*d));
}

/* Every symbol named @name in @syms (sorted by name), those of @module if set. */
static size_t lookup(const struct kallsyms_symbol *syms, size_t nr, const char *module,
		     const char *name, u64 *addrs, size_t max)
{
	struct kallsyms_symbol key = { name, NULL, 0 };
	const struct kallsyms_symbol *hit;
	size_t lo, hi, n = 0;

	hit = nr ? bsearch(&key, syms, nr, sizeof(*syms), by_name) : NULL;
	if (!hit)
		return 0;
	lo = hi = (size_t)(hit - syms);
	while (lo > 0 && !strcmp(syms[lo - 1].name, name))
		lo--;
	while (hi + 1 < nr && !strcmp(syms[hi + 1].name, name))
		hi++;
	for (; lo <= hi; lo++) {
		if (module && strcmp(syms[lo].module, module))
			continue;
		if (n < max)
			addrs[n] = syms[lo].addr;
		n++;
	}
	return n;
}

size_t kallsyms_lookup(const struct kallsyms_dump *d, const char *name, u64 *addrs, size_t max)
{
	return lookup(d->syms, d->nr_syms, NULL, name, addrs, max);
}

size_t kallsyms_lookup_module(const struct kallsyms_dump *d, const char *module,
			      const char *name, u64 *addrs, size_t max)
{
	return lookup(d->module_syms, d->nr_module_syms, module, name, addrs, max);
}

bool kallsyms_has_module(const struct kallsyms_dump *d, const char *module)
{
	size_t i;

	for (i = 0; i < d->nr_module_syms; i++)
		if (!strcmp(d->module_syms[i].module, module))
			return true;
	return false;
}
