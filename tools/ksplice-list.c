// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-list: the updates installed for the running kernel, in the order
 * they apply, with whether each is applied now; and updates applied by hand
 * (ksplice-apply) but not installed, which go at the next reboot.
 *
 *   ksplice-list [--all] [--json]
 *
 * --all lists the updates installed for every kernel release.
 */
#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tools/common.h"
#include "tools/json-out.h"
#include "tools/kernel-match.h"
#include "tools/update-control.h"
#include "tools/update-store.h"

struct listed {
	int order;		/* 0: applied, not installed */
	const char *id, *release;
	bool applied;
	char description[1024];
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ksplice-list [--all] [--json]\n");
}

static void first_line(char *text)
{
	text[strcspn(text, "\n")] = '\0';
}

static void installed_description(const struct installed_update *u, char *buf, size_t size)
{
	char path[PATH_MAX];

	store_path(u, "description", path, sizeof(path));
	if (read_text_file(path, buf, size))
		snprintf(buf, size, "(no description)");
	first_line(buf);
}

static void loaded_description(const char *id, char *buf, size_t size)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s/description", records_dir(), id);
	if (read_text_file(path, buf, size))
		snprintf(buf, size, "(no description recorded)");
	first_line(buf);
}

static void print_text(const struct listed *e)
{
	char order[16] = "-";

	if (e->order)
		snprintf(order, sizeof(order), "%d", e->order);
	printf("%-5s %-12s %-32s %-9s %s\n", order, e->id, e->release,
	       e->applied ? "applied" : "-", e->description);
}

static void print_json(const struct listed *e, bool first)
{
	printf("%s\n    {", first ? "" : ",");
	json_field(stdout, 1, "id", e->id);
	json_field(stdout, 0, "kernel_release", e->release);
	printf(", \"installed\": %s, \"order\": %d, \"applied\": %s",
	       e->order ? "true" : "false", e->order, e->applied ? "true" : "false");
	json_field(stdout, 0, "description", e->description);
	printf("}");
}

static void emit(const struct listed *e, bool json, int *count)
{
	if (json)
		print_json(e, *count == 0);
	else
		print_text(e);
	(*count)++;
}

/* Updates in the kernel that no installed entry accounts for. */
static void emit_loaded_only(const struct installed_list *l, bool json, int *count)
{
	struct dirent *d;
	DIR *dir = opendir(sysfs_dir());
	struct listed e = { 0 };

	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] == '.' || store_find(l, d->d_name) || !update_is_applied(d->d_name))
			continue;
		e.id = d->d_name;
		e.release = running_release();
		e.applied = true;
		loaded_description(d->d_name, e.description, sizeof(e.description));
		emit(&e, json, count);
	}
	if (dir)
		closedir(dir);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static struct installed_list l;
	bool all = false, json = false;
	int c, i, count = 0;

	tool_name = "ksplice-list";
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': all = true; break;
		case 'j': json = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (store_list(all ? NULL : running_release(), &l)) {
		tool_error("cannot read %s: %m", store_dir());
		return EXIT_SYSTEM;
	}
	if (json) {
		printf("{");
		json_field(stdout, 1, "kernel_release", running_release());
		printf(", \"updates\": [");
	} else {
		printf("%-5s %-12s %-32s %-9s %s\n", "order", "id", "kernel", "state", "description");
	}
	for (i = 0; i < l.n; i++) {
		const struct installed_update *u = &l.u[i];
		struct listed e = { .order = u->order, .id = u->id, .release = u->release };

		e.applied = !strcmp(u->release, running_release()) && update_is_applied(u->id);
		installed_description(u, e.description, sizeof(e.description));
		emit(&e, json, &count);
	}
	emit_loaded_only(&l, json, &count);
	if (json)
		printf("%s]}\n", count ? "\n  " : "");
	return EXIT_OK;
}
