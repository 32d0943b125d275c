// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-reapply: apply every update installed for the running kernel that
 * it does not have yet, in install order. ksplice.service runs it at boot.
 *
 *   ksplice-reapply
 *
 * One line per update on stdout (the journal, under systemd): applied,
 * already applied, skipped (built for another build of this release), or
 * could not apply (with ksplice-apply's reason). Updates installed for other
 * releases are counted, not touched. One update failing does not stop the
 * others: run-pre matching refuses any that needed it. Exit status 0 when
 * nothing failed, 1 otherwise.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tools/common.h"
#include "tools/kernel-match.h"
#include "tools/run-tool.h"
#include "tools/update-control.h"
#include "tools/update-store.h"

struct tally {
	int applied, already, skipped, failed;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ksplice-reapply\n");
}

/* ksplice-apply's messages on one line: its error and the kernel's reason. */
static void one_line(char *text)
{
	char *p;

	for (p = text; *p; p++)
		if (*p == '\n')
			*p = p[1] ? ' ' : '\0';
}

static void reapply_one(const struct installed_update *u, struct tally *t)
{
	struct ksplice_manifest m;
	char package[PATH_MAX], why[512], out[4096];
	char *argv[] = { NULL, package, NULL };

	if (update_is_applied(u->id)) {
		printf("already applied: %s\n", u->id);
		t->already++;
		return;
	}
	if (store_manifest(u, &m)) {
		printf("could not apply %s: its installed manifest is unreadable\n", u->id);
		t->failed++;
		return;
	}
	if (manifest_matches_kernel(&m, why, sizeof(why))) {
		printf("skipped %s: %s\n", u->id, why);
		t->skipped++;
		return;
	}
	store_path(u, "update.tar.gz", package, sizeof(package));
	if (run_tool("apply", argv, out, sizeof(out))) {
		one_line(out);
		printf("could not apply %s: %s\n", u->id, out);
		t->failed++;
		return;
	}
	printf("applied: %s\n", u->id);
	t->applied++;
}

static int count_other_releases(void)
{
	static struct installed_list all;
	int i, n = 0;

	if (store_list(NULL, &all))
		return 0;
	for (i = 0; i < all.n; i++)
		n += strcmp(all.u[i].release, running_release()) != 0;
	return n;
}

int main(int argc, char **argv)
{
	static struct installed_list l;
	struct tally t = { 0 };
	int i, others;

	tool_name = "ksplice-reapply";
	if (argc == 2 && !strcmp(argv[1], "--help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	require_root();
	if (store_list(running_release(), &l)) {
		tool_error("cannot read %s: %m", store_dir());
		return EXIT_SYSTEM;
	}
	for (i = 0; i < l.n; i++)
		reapply_one(&l.u[i], &t);
	others = count_other_releases();
	printf("kernel %s: %d applied, %d already applied, %d skipped, %d could not apply",
	       running_release(), t.applied, t.already, t.skipped, t.failed);
	if (others)
		printf("; %d installed for other kernels left alone", others);
	printf("\n");
	return t.failed ? EXIT_ABORTED : EXIT_OK;
}
