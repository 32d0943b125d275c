// SPDX-License-Identifier: GPL-2.0
/* The result half of section-diff.h: lookups, counts, printing, freeing. */
#include <stdlib.h>
#include <string.h>

#include "create/section-diff.h"

const char *diff_change_name(enum diff_change change)
{
	switch (change) {
	case DIFF_CHANGED:
		return "changed";
	case DIFF_NEW:
		return "new";
	case DIFF_DELETED:
		return "deleted";
	}
	return "?";
}

static const struct diff_item *find_item(const struct diff_item *items,
					 size_t nr, const char *name)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (!strcmp(items[i].name, name))
			return &items[i];
	for (i = 0; i < nr; i++)
		if (!strcmp(items[i].display_name, name))
			return &items[i];
	return NULL;
}

const struct diff_item *diff_find_function(const struct diff_result *res,
					   const char *name)
{
	return find_item(res->functions, res->nr_functions, name);
}

const struct diff_item *diff_find_data(const struct diff_result *res,
				       const char *name)
{
	return find_item(res->data, res->nr_data, name);
}

const struct diff_unsupported *diff_find_unsupported(
	const struct diff_result *res, const char *name)
{
	size_t i;

	for (i = 0; i < res->nr_unsupported; i++)
		if (!strcmp(res->unsupported[i].name, name) ||
		    !strcmp(res->unsupported[i].display_name, name))
			return &res->unsupported[i];
	return NULL;
}

size_t diff_count(const struct diff_result *res, enum diff_item_kind kind,
		  enum diff_change change)
{
	const struct diff_item *items = kind == DIFF_FUNCTION ? res->functions
							      : res->data;
	size_t nr = kind == DIFF_FUNCTION ? res->nr_functions : res->nr_data;
	size_t i, n = 0;

	for (i = 0; i < nr; i++)
		n += items[i].change == change;
	return n;
}

bool diff_result_is_empty(const struct diff_result *res)
{
	return !res->nr_functions && !res->nr_data && !res->nr_unsupported;
}

static void print_items(const struct diff_item *items, size_t nr,
			const char *what, FILE *out)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		const struct diff_item *it = &items[i];

		fprintf(out, "%s %s %s", diff_change_name(it->change), what,
			it->display_name);
		if (strcmp(it->display_name, it->name))
			fprintf(out, " (%s)", it->name);
		if (it->inlined_into)
			fprintf(out, " [inlined-into]");
		fputc('\n', out);
	}
}

void diff_result_print(const struct diff_result *res, FILE *out)
{
	size_t i;

	print_items(res->functions, res->nr_functions, "function", out);
	print_items(res->data, res->nr_data, "data", out);
	for (i = 0; i < res->nr_unsupported; i++)
		fprintf(out, "unsupported: %s\n", res->unsupported[i].message);
}

static void free_items(struct diff_item *items, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		free(items[i].name);
		free(items[i].display_name);
		free(items[i].pre_name);
		free(items[i].post_name);
		free(items[i].section);
	}
	free(items);
}

void diff_result_free(struct diff_result *res)
{
	size_t i;

	if (!res)
		return;
	free_items(res->functions, res->nr_functions);
	free_items(res->data, res->nr_data);
	for (i = 0; i < res->nr_unsupported; i++) {
		free(res->unsupported[i].name);
		free(res->unsupported[i].display_name);
		free(res->unsupported[i].message);
	}
	free(res->unsupported);
	free(res);
}
