// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "create/module-image.h"
#include "create/module-symvers.h"

static int compare_entries(const void *a, const void *b)
{
	return strcmp(((const struct symvers_entry *)a)->name,
		      ((const struct symvers_entry *)b)->name);
}

/* "CRC\tNAME\tMODULE\tEXPORT_TYPE[\tNAMESPACE]" */
static int parse_line(char *line, struct symvers_entry *e)
{
	char *field[5] = { NULL };
	char *p = line;
	int n = 0;

	line[strcspn(line, "\n")] = '\0';
	while (n < 5 && (field[n] = strsep(&p, "\t")) != NULL)
		n++;
	if (n < 4 || !*field[1])
		return -1;
	e->name = xstrdup(field[1]);
	e->module = xstrdup(field[2]);
	e->ns = xstrdup(n == 5 ? field[4] : "");
	return 0;
}

int symvers_load(struct symvers *sv, const char *path, struct ks_error *err)
{
	size_t cap = 0, lineno = 0, len = 0;
	char *line = NULL;
	FILE *f;

	memset(sv, 0, sizeof(*sv));
	f = fopen(path, "r");
	if (!f)
		return ks_fail(err, "cannot read %s: %s", path, strerror(errno));
	while (getline(&line, &len, f) > 0) {
		lineno++;
		module_grow((void **)&sv->v, &cap, sv->n + 1, sizeof(*sv->v));
		if (parse_line(line, &sv->v[sv->n])) {
			fclose(f);
			free(line);
			symvers_free(sv);
			return ks_fail(err, "%s:%zu: not a Module.symvers line",
				       path, lineno);
		}
		sv->n++;
	}
	free(line);
	fclose(f);
	qsort(sv->v, sv->n, sizeof(*sv->v), compare_entries);
	return 0;
}

void symvers_free(struct symvers *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++) {
		free(sv->v[i].name);
		free(sv->v[i].module);
		free(sv->v[i].ns);
	}
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}

const struct symvers_entry *symvers_find(const struct symvers *sv,
					 const char *name)
{
	struct symvers_entry key = { .name = (char *)name };

	if (!sv || !sv->n)
		return NULL;
	return bsearch(&key, sv->v, sv->n, sizeof(*sv->v), compare_entries);
}
