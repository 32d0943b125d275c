// SPDX-License-Identifier: GPL-2.0
/*
 * Comparing the layouts of a pre and a post object (type-layout.h): one
 * message per changed type, listing what moved, appeared or went away.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "create/type-layout.h"

/* At most this many differences per message, then "...". */
#define MAX_DETAILS 4

struct details {
	char *text;
	size_t n;
};

static void detail(struct details *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void detail(struct details *d, const char *fmt, ...)
{
	char *item, *next;
	va_list ap;

	if (d->n++ >= MAX_DETAILS) {
		if (d->n == MAX_DETAILS + 1) {
			next = xasprintf("%s; ...", d->text);
			free(d->text);
			d->text = next;
		}
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&item, fmt, ap) < 0)
		item = xstrdup("?");
	va_end(ap);
	next = xasprintf("%s%s%s", d->text ? d->text : "", d->text ? "; " : "", item);
	free(item);
	free(d->text);
	d->text = next;
}

static const struct layout_member *find_member(const struct layout_type *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nr_members; i++)
		if (!strcmp(t->members[i].name, name))
			return &t->members[i];
	return NULL;
}

static bool whole_bytes(const struct layout_member *m)
{
	return !m->bit_size && m->bit_position % 8 == 0;
}

/* What changed in the member itself; where it moved is said last. */
static void compare_member(struct details *d, const struct layout_member *a,
			   const struct layout_member *b)
{
	if (strcmp(a->type, b->type))
		detail(d, "member %s changes type from %s to %s", a->name, a->type, b->type);
	else if (a->size != b->size)
		detail(d, "member %s changes size from %llu to %llu", a->name,
		       (unsigned long long)a->size, (unsigned long long)b->size);
	if (a->bit_size != b->bit_size)
		detail(d, "member %s changes bit width from %llu to %llu", a->name,
		       (unsigned long long)a->bit_size, (unsigned long long)b->bit_size);
}

static void compare_position(struct details *d, const struct layout_member *a,
			     const struct layout_member *b)
{
	if (a->bit_position == b->bit_position)
		return;
	if (whole_bytes(a) && whole_bytes(b))
		detail(d, "member %s moved from offset %llu to %llu", a->name,
		       (unsigned long long)a->bit_position / 8,
		       (unsigned long long)b->bit_position / 8);
	else
		detail(d, "member %s moved from bit %llu to %llu", a->name,
		       (unsigned long long)a->bit_position, (unsigned long long)b->bit_position);
}

/*
 * An enumerator that keeps its value, or is added, changes nothing stored;
 * one whose value changes or that goes away does: a running object may
 * hold the old value, which the new code would read as another.
 */
static char *enumeration_differences(const struct layout_type *a, const struct layout_type *b)
{
	struct details d = { 0 };
	size_t i;

	for (i = 0; i < a->nr_members; i++) {
		const struct layout_member *m = find_member(b, a->members[i].name);

		if (!m)
			detail(&d, "enumerator %s removed", a->members[i].name);
		else if (m->value != a->members[i].value)
			detail(&d, "%s changes value from %lld to %lld", m->name,
			       (long long)a->members[i].value, (long long)m->value);
	}
	if (a->size != b->size)
		detail(&d, "size %llu -> %llu", (unsigned long long)a->size,
		       (unsigned long long)b->size);
	return d.text;
}

/* NULL when @a and @b have the same layout, else what differs. */
static char *layout_differences(const struct layout_type *a, const struct layout_type *b)
{
	struct details d = { 0 };
	size_t i;

	if (a->enumeration || b->enumeration)
		return enumeration_differences(a, b);
	if (a->variable && strcmp(a->type, b->type))
		detail(&d, "from %s to %s", a->type, b->type);
	for (i = 0; i < a->nr_members; i++) {
		const struct layout_member *m = find_member(b, a->members[i].name);

		if (!m)
			detail(&d, "member %s removed", a->members[i].name);
		else
			compare_member(&d, &a->members[i], m);
	}
	for (i = 0; i < b->nr_members; i++)
		if (!find_member(a, b->members[i].name))
			detail(&d, "member %s added", b->members[i].name);
	if (a->size != b->size)
		detail(&d, "size %llu -> %llu", (unsigned long long)a->size,
		       (unsigned long long)b->size);
	for (i = 0; i < a->nr_members; i++) {
		const struct layout_member *m = find_member(b, a->members[i].name);

		if (m)
			compare_position(&d, &a->members[i], m);
	}
	return d.text;
}

/* The types of @l (sorted) named @name: [*first, *first + count). */
static size_t same_name(const struct type_layouts *l, const char *name, size_t *first)
{
	size_t lo = 0, hi = l->nr_types, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(l->types[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + n < l->nr_types && !strcmp(l->types[lo + n].name, name))
		n++;
	return n;
}

/* Is @t's layout (duplicates of one definition are common) also in @others? */
static bool has_equal(const struct layout_type *t, const struct layout_type *others, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *diff = layout_differences(t, &others[i]);

		if (!diff)
			return true;
		free(diff);
	}
	return false;
}

static void add_change(struct layout_change **out, size_t *n, const struct layout_type *t,
		       char *details)
{
	struct layout_change *c;

	*out = xrealloc(*out, (*n + 1) * sizeof(**out));
	c = &(*out)[(*n)++];
	c->type = xstrdup(t->name);
	c->enumeration = t->enumeration;
	c->message = xasprintf("%s changes %s: %s", t->name, t->variable ? "type" :
			       t->enumeration ? "values" : "layout", details);
	free(details);
}

/* Several definitions of one name (local structs of several functions). */
static char *multiple_differences(const struct layout_type *a, size_t na,
				  const struct layout_type *b, size_t nb)
{
	size_t i;

	for (i = 0; i < na; i++)
		if (!has_equal(&a[i], b, nb))
			return nb == 1 ? layout_differences(&a[i], b) :
				xasprintf("one of its %zu definitions in this file has no equal "
					  "in the patched file", na);
	return NULL;
}

size_t type_layouts_compare(const struct type_layouts *pre, const struct type_layouts *post,
			    struct layout_change **out)
{
	size_t i, n = 0;

	*out = NULL;
	for (i = 0; i < pre->nr_types; ) {
		const char *name = pre->types[i].name;
		size_t first_pre = i, first_post = 0;
		size_t na = same_name(pre, name, &first_pre);
		size_t nb = same_name(post, name, &first_post);
		char *diff = NULL;

		if (nb)
			diff = multiple_differences(&pre->types[first_pre], na,
						    &post->types[first_post], nb);
		if (diff)
			add_change(out, &n, &pre->types[first_pre], diff);
		i = first_pre + na;
	}
	return n;
}

void layout_changes_free(struct layout_change *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(c[i].type);
		free(c[i].message);
	}
	free(c);
}
