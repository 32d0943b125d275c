// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-undo: reverse an applied update.
 *
 *   ksplice-undo [--debug] [--debugfile FILE] [--raw-errors] ID
 *
 * Asks ksplice.ko to reverse the update (under the same safety checks as
 * applying it), then unloads its primary modules and removes its records.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/manifest.h"
#include "tools/common.h"
#include "tools/kmod.h"
#include "tools/package-open.h"
#include "tools/update-control.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: ksplice-undo [--debug] [--debugfile FILE] [--raw-errors] ID\n");
}

/* Unload the primaries ksplice-apply recorded, then forget the update. */
static void forget(const char *id)
{
	char dir[PATH_MAX / 2], path[PATH_MAX], name[256];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/%s", records_dir(), id);
	snprintf(path, sizeof(path), "%s/modules", dir);
	f = fopen(path, "r");
	while (f && fgets(name, sizeof(name), f)) {
		name[strcspn(name, "\n")] = '\0';
		if (name[0] && kmod_unload(name))
			tool_error("cannot unload %s: %s", name, strerror(errno));
	}
	if (f)
		fclose(f);
	remove_tree(dir);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "debug", no_argument, NULL, 'd' },
		{ "debugfile", required_argument, NULL, 'f' },
		{ "raw-errors", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct report_opts o = { 0 };
	char cause[64];
	const char *id;
	int c, ret;

	tool_name = "ksplice-undo";
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o.debug = true; break;
		case 'f': o.debugfile = optarg; break;
		case 'r': o.raw_errors = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	id = single_id_argument(argc, argv, usage);
	require_root();
	if (!update_is_applied(id)) {
		tool_error("update %s is not applied", id);
		return EXIT_BAD_INPUT;
	}
	update_set_stage(id, "reversed", cause, sizeof(cause));
	ret = report_outcome(id, "undoing", cause, &o);
	if (ret == EXIT_OK)
		forget(id);
	return ret;
}
