// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-install: apply an update and keep it, so that ksplice.service
 * applies it again at every boot of the kernel it was built for.
 *
 *   ksplice-install [--no-apply] PACKAGE
 *
 * The update is applied first (by ksplice-apply) and stored only once it
 * applied: an installed update is one this kernel took. --no-apply stores
 * without applying, also a package for another kernel release (to be
 * applied when that kernel boots).
 */
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tools/common.h"
#include "tools/kernel-match.h"
#include "tools/package-open.h"
#include "tools/run-tool.h"
#include "tools/update-control.h"
#include "tools/update-store.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: ksplice-install [--no-apply] PACKAGE\n");
}

/* The same package, installed once per release. */
static int check_not_installed(const struct ksplice_manifest *m)
{
	static struct installed_list l;
	const struct installed_update *u;

	if (store_list(m->kernel_release, &l)) {
		tool_error("cannot read %s: %m", store_dir());
		return EXIT_SYSTEM;
	}
	u = store_find(&l, m->id);
	if (u) {
		tool_error("update %s is already installed (%s)", m->id, u->dir);
		return EXIT_BAD_INPUT;
	}
	return EXIT_OK;
}

/*
 * Kept for later: fine for another release, but a package for this release
 * and another build could never apply.
 */
static int check_later(const struct ksplice_manifest *m)
{
	char why[512];

	if (!strcmp(m->kernel_release, running_release()) &&
	    manifest_matches_kernel(m, why, sizeof(why))) {
		tool_error("%s", why);
		return EXIT_BAD_INPUT;
	}
	return EXIT_OK;
}

/* Apply now, unless it already is (applied by hand before being installed). */
static int apply_now(const char *package, const struct ksplice_manifest *m, bool *applied_here)
{
	char *argv[] = { NULL, (char *)package, NULL };
	char why[512];
	int ret;

	*applied_here = false;
	if (manifest_matches_kernel(m, why, sizeof(why))) {
		tool_error("%s (--no-apply keeps it for when that kernel runs)", why);
		return EXIT_BAD_INPUT;
	}
	if (update_is_applied(m->id))
		return EXIT_OK;
	ret = run_tool("apply", argv, NULL, 0);	/* it says why it failed */
	*applied_here = ret == EXIT_OK;
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-apply", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct opened_package p;
	char description[PATH_MAX];
	bool no_apply = false, applied_here = false;
	int c, ret;

	tool_name = "ksplice-install";
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': no_apply = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	require_root();
	if (package_open(argv[optind], &p))
		return EXIT_BAD_INPUT;
	ret = check_not_installed(&p.manifest);
	if (!ret)
		ret = no_apply ? check_later(&p.manifest)
			       : apply_now(argv[optind], &p.manifest, &applied_here);
	if (!ret) {
		package_path(&p, "description", description, sizeof(description));
		if (store_add(argv[optind], &p.manifest, description)) {
			char *undo[] = { NULL, p.manifest.id, NULL };

			/* Not kept, so not left applied either: as before the command. */
			if (applied_here)
				run_tool("undo", undo, NULL, 0);
			ret = EXIT_SYSTEM;
		}
	}
	if (!ret)
		printf("Installed update %s for %s%s.\n", p.manifest.id, p.manifest.kernel_release,
		       no_apply ? " (not applied now)" : "");
	package_close(&p);
	return ret;
}
