// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-view: list the Ksplice updates present in the running kernel.
 *
 *   ksplice-view            "<id>: <description>" per update
 *   ksplice-view --id ID    stage and patch of one update
 *   ksplice-view -q         ids only
 */
#include "tools/common.h"
#include "tools/target-list.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: ksplice-view [-q] [--id ID]\n");
}

static void read_record(const char *id, const char *what, char *buf, size_t size)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s/%s", records_dir(), id, what);
	if (read_text_file(path, buf, size) < 0)
		snprintf(buf, size, "(no %s recorded)", what);
}

/* The targets line from the recorded manifest. */
static void show_targets(const char *id)
{
	struct ksplice_manifest m;
	char path[PATH_MAX], why[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/manifest", records_dir(), id);
	f = fopen(path, "r");
	if (!f || ksplice_manifest_read(&m, f, why, sizeof(why))) {
		printf("targets: (no manifest recorded)\n");
	} else {
		print_target_list(stdout, &m);
	}
	if (f)
		fclose(f);
}

static int show_one(const char *id)
{
	char path[PATH_MAX], stage[64], text[65536];

	snprintf(path, sizeof(path), "%s/%s/stage", sysfs_dir(), id);
	if (read_text_file(path, stage, sizeof(stage)) < 0) {
		tool_error("no update with id '%s' is loaded", id);
		return 1;
	}
	read_record(id, "description", text, sizeof(text));
	printf("Ksplice id %s: %s\nstage: %s\n", id, text, stage);
	show_targets(id);
	read_record(id, "patch", text, sizeof(text));
	printf("patch:\n%s\n", text);
	return 0;
}

static int list_all(int quiet)
{
	struct dirent *e;
	char text[4096];
	DIR *d = opendir(sysfs_dir());

	if (!d) {
		if (errno == ENOENT)
			return 0; /* core not loaded: no updates */
		tool_error("cannot read %s: %s", sysfs_dir(), strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (quiet) {
			printf("%s\n", e->d_name);
			continue;
		}
		read_record(e->d_name, "description", text, sizeof(text));
		printf("%s: %s\n", e->d_name, text);
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *id = NULL;
	int quiet = 0, c;

	tool_name = "ksplice-view";
	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case 'i': id = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	return id ? show_one(id) : list_all(quiet);
}
