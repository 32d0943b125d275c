// SPDX-License-Identifier: GPL-2.0
/* The targets line of ksplice-apply and ksplice-view. */
#include "tools/target-list.h"
#include "tools/kmod.h"

#include <string.h>

static int is_module(const struct ksplice_manifest_target *t)
{
	return strcmp(t->name, "vmlinux") != 0;
}

void print_target_list(FILE *out, const struct ksplice_manifest *m)
{
	int i;

	fprintf(out, "targets:");
	for (i = 0; i < m->nr_targets; i++) {
		const struct ksplice_manifest_target *t = &m->targets[i];

		fprintf(out, "%s %s", i ? "," : "", t->name);
		if (is_module(t))
			fprintf(out, " (module, %s)", kmod_is_loaded(t->name) ? "loaded" : "not loaded");
	}
	fputc('\n', out);
}

int count_unloaded_targets(const struct ksplice_manifest *m)
{
	int i, n = 0;

	for (i = 0; i < m->nr_targets; i++)
		n += is_module(&m->targets[i]) && !kmod_is_loaded(m->targets[i].name);
	return n;
}
