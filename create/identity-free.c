// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <elf.h>
#include <string.h>

#include "create/identity-free.h"

/* @name is @base or @base.N (GCC numbers function-local statics). */
static bool named(const char *name, const char *base)
{
	size_t n = strlen(base);
	const char *p;

	if (strncmp(name, base, n))
		return false;
	if (!name[n])
		return true;
	if (name[n] != '.' || !name[n + 1])
		return false;
	for (p = name + n + 1; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

bool identity_free(const struct elf_symbol *sym)
{
	static const char *const bases[] = {
		"__func__", "__FUNCTION__", "__PRETTY_FUNCTION__", "CSWTCH",
	};
	size_t i;

	if (!sym->sec || sym->bind != STB_LOCAL || sym->type != STT_OBJECT ||
	    (sym->sec->flags & (SHF_WRITE | SHF_EXECINSTR)) || !(sym->sec->flags & SHF_ALLOC))
		return false;
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		if (named(sym->name, bases[i]))
			return true;
	return false;
}
