// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-view: list the Ksplice updates present in the running kernel.
 *
 *   ksplice-view            "<id>: <description>" per update
 *   ksplice-view --id ID    stage and patch of one update
 *   ksplice-view -q         ids only
 *   ksplice-view --json     every update: id, stage, description, targets
 */
#include "tools/common.h"
#include "tools/json-out.h"
#include "tools/target-list.h"
#include "tools/update-control.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: ksplice-view [-q] [--json] [--id ID]\n");
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

/* The recorded manifest's target names, as a JSON array. */
static void json_targets(const char *id)
{
	struct ksplice_manifest m;
	char path[PATH_MAX], why[256];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/%s/manifest", records_dir(), id);
	f = fopen(path, "r");
	printf(", \"targets\": [");
	if (f && !ksplice_manifest_read(&m, f, why, sizeof(why)))
		for (i = 0; i < m.nr_targets; i++) {
			printf("%s", i ? ", " : "");
			json_string(stdout, m.targets[i].name);
		}
	printf("]");
	if (f)
		fclose(f);
}

static void print_json(const char *id, bool first)
{
	char stage[64], text[4096];

	if (update_read(id, "stage", stage, sizeof(stage)))
		snprintf(stage, sizeof(stage), "unknown");
	read_record(id, "description", text, sizeof(text));
	printf("%s\n    {", first ? "" : ",");
	json_field(stdout, 1, "id", id);
	json_field(stdout, 0, "stage", stage);
	json_field(stdout, 0, "description", text);
	json_targets(id);
	printf("}");
}

static int list_all(int quiet, bool json)
{
	struct dirent *e;
	char text[4096];
	DIR *d = opendir(sysfs_dir());
	int n = 0;

	if (!d && errno != ENOENT) {
		tool_error("cannot read %s: %s", sysfs_dir(), strerror(errno));
		return 1;
	}
	if (json)
		printf("{\"updates\": [");
	/* No directory: the core is not loaded, so there are no updates. */
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (json) {
			print_json(e->d_name, n++ == 0);
			continue;
		}
		if (quiet) {
			printf("%s\n", e->d_name);
			continue;
		}
		read_record(e->d_name, "description", text, sizeof(text));
		printf("%s: %s\n", e->d_name, text);
	}
	if (json)
		printf("%s]}\n", n ? "\n  " : "");
	if (d)
		closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *id = NULL;
	int quiet = 0, c;
	bool json = false;

	tool_name = "ksplice-view";
	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case 'i': id = optarg; break;
		case 'q': quiet = 1; break;
		case 'j': json = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (id && json) {
		tool_error("--json lists every update; it does not combine with --id");
		return 2;
	}
	return id ? show_one(id) : list_all(quiet, json);
}
