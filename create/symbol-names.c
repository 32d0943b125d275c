// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "create/create-util.h"
#include "create/symbol-names.h"

static const char *const numbered_clone_suffixes[] = {
	"isra", "constprop", "part", "lto_priv", "cold", "localalias",
};

static bool all_digits(const char *s, size_t len)
{
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool is_clone_suffix(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(numbered_clone_suffixes) /
			sizeof(numbered_clone_suffixes[0]); i++)
		if (strlen(numbered_clone_suffixes[i]) == len &&
		    !strncmp(s, numbered_clone_suffixes[i], len))
			return true;
	return false;
}

/* Length of the '.'-separated component starting at @s. */
static size_t component_len(const char *s)
{
	const char *dot = strchr(s, '.');

	return dot ? (size_t)(dot - s) : strlen(s);
}

/*
 * kbuild names initcalls __initcall__kmod_MOD__COUNTER_LINE_FNLEVEL: drop
 * COUNTER and LINE, which any edit above them shifts.
 */
static void drop_initcall_id(char *name)
{
	char *p, *q;

	if (strncmp(name, "__initcall__", 12) && strncmp(name, "__initstub__", 12))
		return;
	for (p = strstr(name + 12, "__"); p; p = strstr(p + 1, "__")) {
		q = p + 2;
		if (!isdigit((unsigned char)*q))
			continue;
		while (isdigit((unsigned char)*q))
			q++;
		if (*q++ != '_' || !isdigit((unsigned char)*q))
			continue;
		while (isdigit((unsigned char)*q))
			q++;
		if (*q != '_')
			continue;
		memmove(p + 2, q, strlen(q) + 1);
		return;
	}
}

char *symbol_canonical_name(const char *name)
{
	size_t len = strlen(name);
	char *out = xmalloc(len + 1);
	const char *p = name;
	size_t n = component_len(p), o;
	bool after_clone = false;

	/* The first component is the C name; copy it whatever it holds. */
	memcpy(out, p, n);
	o = n;
	p += n;
	while (*p == '.') {
		p++;
		n = component_len(p);
		if (after_clone && all_digits(p, n)) {
			after_clone = false;	/* the clone's number: drop it */
		} else {
			after_clone = is_clone_suffix(p, n);
			out[o++] = '.';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	out[o] = '\0';
	drop_initcall_id(out);
	return out;
}

char *symbol_display_name(const char *name)
{
	size_t n = component_len(name);

	if (n == 0)	/* ".something": nothing to strip */
		return xstrdup(name);
	return strndup(name, n) ?: xstrdup(name);
}

/* Drop a trailing run of digits from @s; returns false if there is none. */
static bool drop_trailing_digits(char *s, size_t keep)
{
	size_t len = strlen(s), end = len;

	while (end > keep && isdigit((unsigned char)s[end - 1]))
		end--;
	if (end == len || end == keep)
		return false;
	s[end] = '\0';
	return true;
}

/*
 * GCC numbers a static local "name.N"; __UNIQUE_ID(name) adds __COUNTER__
 * ("__UNIQUE_ID_nameN"), and a block-scope __UNIQUE_ID static has both
 * ("__UNIQUE_ID_ddebug342.22", a dynamic debug descriptor). Either number
 * moves when the patch adds a static or a __COUNTER__ use above it.
 */
char *symbol_numbered_base(const char *name)
{
	char *canon = symbol_canonical_name(name);
	char *dot = strrchr(canon, '.');
	bool numbered = false;

	if (dot && dot != canon && all_digits(dot + 1, strlen(dot + 1))) {
		*dot = '\0';
		numbered = true;
	}
	if (!strncmp(canon, "__UNIQUE_ID_", 12) && drop_trailing_digits(canon, 12))
		numbered = true;
	if (numbered)
		return canon;
	free(canon);
	return NULL;
}
