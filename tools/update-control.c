// SPDX-License-Identifier: GPL-2.0
#include "tools/update-control.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tools/abort-cause.h"
#include "tools/common.h"
#include "tools/debug-log.h"

static void attr_path(const char *id, const char *what, char *path, size_t size)
{
	snprintf(path, size, "%s/%s/%s", sysfs_dir(), id, what);
}

bool update_exists(const char *id)
{
	char path[PATH_MAX];
	struct stat st;

	attr_path(id, "stage", path, sizeof(path));
	return !stat(path, &st);
}

bool update_is_applied(const char *id)
{
	char stage[64];

	return update_exists(id) && !update_read(id, "stage", stage, sizeof(stage)) &&
	       !strcmp(stage, "applied");
}

int update_read(const char *id, const char *what, char *buf, size_t size)
{
	char path[PATH_MAX];

	attr_path(id, what, path, sizeof(path));
	return read_text_file(path, buf, size);
}

void update_set_stage(const char *id, const char *stage, char *cause, size_t size)
{
	char path[PATH_MAX];

	attr_path(id, "stage", path, sizeof(path));
	/* A refused write still leaves the reason in abort_cause. */
	write_text_file(path, stage);
	if (update_read(id, "abort_cause", cause, size) || !cause[0])
		snprintf(cause, size, "unexpected");
}

/* --debug / --debugfile: the kernel's whole debug log of the last run. */
static void emit_debug(const char *log, const char *note, const struct report_opts *o)
{
	FILE *f;

	if (!o->debug && !o->debugfile)
		return;
	if (note)
		fprintf(stderr, "%s: note: %s\n", tool_name, note);
	if (o->debug)
		fprintf(stderr, "%s\n", log);
	if (o->debugfile) {
		f = fopen(o->debugfile, "w");
		if (!f || fputs(log, f) < 0 || (note && fprintf(f, "(%s)\n", note) < 0))
			tool_error("cannot write %s", o->debugfile);
		if (f && fclose(f))
			tool_error("cannot write %s", o->debugfile);
	}
}

/* "Done!", or the error: its sentence, the kernel's line for it, the conflicts. */
static int outcome(const char *id, const char *verb, const char *cause, const char *log,
		   const struct report_opts *o)
{
	char conflicts[8192], reason[1024];

	if (!strcmp(cause, "ok")) {
		if (o->raw_errors)
			printf("ok\n");
		printf("%s\n", o->done_text ? o->done_text : "Done!");
		return EXIT_OK;
	}
	if (o->raw_errors)
		printf("%s\n", cause);
	fprintf(stderr, "Error %s Ksplice update %s:\n%s\n", verb, id, abort_cause_sentence(cause));
	/* The kernel's own line for it: which section, symbol or tool is in the way. */
	if (log && strcmp(cause, "code_busy") &&
	    !debug_log_reason(log, cause, reason, sizeof(reason)))
		fprintf(stderr, "Kernel: %s\n", reason);
	if (!strcmp(cause, "code_busy") && !update_read(id, "conflicts", conflicts, sizeof(conflicts)) &&
	    conflicts[0])
		fprintf(stderr, "Threads in the way (command, pid, function):\n%s\n", conflicts);
	return EXIT_ABORTED;
}

int report_outcome(const char *id, const char *verb, const char *cause,
		   const struct report_opts *o)
{
	const char *note = NULL;
	char *log = debug_log_read(id, &note);
	char missing[256];
	int ret;

	if (!log)
		snprintf(missing, sizeof(missing), "(no debug log: %s)\n", strerror(errno));
	emit_debug(log ? log : missing, note, o);
	ret = outcome(id, verb, cause, log, o);
	free(log);
	return ret;
}
