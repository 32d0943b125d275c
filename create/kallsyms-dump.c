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

/* One line, split in place; false if it is not "ADDRESS TYPE NAME...". */
static bool parse_line(char *line, u64 *addr, char **name, bool *module)
{
	char *end, *p;

	*addr = strtoull(line, &end, 16);
	if (end == line || end - line > 16 || *end != ' ' || !isgraph((unsigned char)end[1]) ||
	    end[2] != ' ' || !end[3])
		return false;
	*name = end + 3;
	p = strchr(*name, '\t');
	*module = p != NULL;
	if (p)
		*p = '\0';
	if ((p = strchr(*name, ' ')))
		*p = '\0';
	return **name != '\0';
}

static void add_symbol(struct kallsyms_dump *d, size_t *cap, char *name, u64 addr)
{
	if (d->nr_syms == *cap) {
		*cap = *cap * 2 + 1024;
		d->syms = xrealloc(d->syms, *cap * sizeof(*d->syms));
	}
	d->syms[d->nr_syms++] = (struct kallsyms_symbol){ name, addr };
	if (!strcmp(name, "_text"))
		d->text_addr = addr;
	else if (!strcmp(name, "_etext"))
		d->etext_addr = addr;
}

int kallsyms_parse(char *text, struct kallsyms_dump *d, struct ks_error *err)
{
	char *line, *next, *name;
	size_t cap = 0, lineno = 0;
	bool module, any_address = false;
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
		if (module)
			d->nr_module_syms++;
		else
			add_symbol(d, &cap, name, addr);
	}
	if (!d->nr_syms)
		return ks_fail(err, "not a kallsyms dump: no vmlinux symbols");
	if (!any_address)
		return ks_fail(err, "every address in the kallsyms dump is zero: take it as root (cat /proc/kallsyms)");
	if (!d->text_addr)
		return ks_fail(err, "the kallsyms dump has no _text symbol: not a dump of /proc/kallsyms");
	qsort(d->syms, d->nr_syms, sizeof(*d->syms), by_name);
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
	memset(d, 0, sizeof(*d));
}

size_t kallsyms_lookup(const struct kallsyms_dump *d, const char *name, u64 *addrs, size_t max)
{
	struct kallsyms_symbol key = { name, 0 };
	const struct kallsyms_symbol *hit;
	size_t lo, hi, n;

	hit = bsearch(&key, d->syms, d->nr_syms, sizeof(*d->syms), by_name);
	if (!hit)
		return 0;
	lo = hi = (size_t)(hit - d->syms);
	while (lo > 0 && !strcmp(d->syms[lo - 1].name, name))
		lo--;
	while (hi + 1 < d->nr_syms && !strcmp(d->syms[hi + 1].name, name))
		hi++;
	for (n = 0; lo + n <= hi; n++)
		if (n < max)
			addrs[n] = d->syms[lo + n].addr;
	return n;
}
