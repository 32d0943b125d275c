// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-remove: undo an installed update and stop applying it at boot.
 *
 *   ksplice-remove [--keep-applied] ID
 *
 * Looks for ID among the updates installed for the running kernel first,
 * then for any release. If it is applied, it is undone (by ksplice-undo)
 * before it is forgotten; if the undo fails it stays installed.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tools/common.h"
#include "tools/kernel-match.h"
#include "tools/run-tool.h"
#include "tools/update-control.h"
#include "tools/update-store.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: ksplice-remove [--keep-applied] ID\n");
}

static const struct installed_update *find_installed(const char *id)
{
	static struct installed_list here, all;
	const struct installed_update *u = NULL;

	if (!store_list(running_release(), &here))
		u = store_find(&here, id);
	if (!u && !store_list(NULL, &all))
		u = store_find(&all, id);
	return u;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "keep-applied", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const struct installed_update *u;
	bool keep_applied = false;
	const char *id;
	int c, ret;

	tool_name = "ksplice-remove";
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'k': keep_applied = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	id = single_id_argument(argc, argv, usage);
	require_root();
	u = find_installed(id);
	if (!u) {
		tool_error("update %s is not installed", id);
		return EXIT_BAD_INPUT;
	}
	if (!keep_applied && !strcmp(u->release, running_release()) && update_is_applied(id)) {
		char *undo[] = { NULL, (char *)id, NULL };

		ret = run_tool("undo", undo, NULL, 0);
		if (ret) {
			tool_error("update %s stays installed", id);
			return ret;
		}
	}
	if (store_remove(u))
		return EXIT_SYSTEM;
	printf("Removed update %s (kernel %s).\n", id, u->release);
	return EXIT_OK;
}
