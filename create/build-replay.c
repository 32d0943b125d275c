// SPDX-License-Identifier: GPL-2.0
/*
 * Compiling objects again with the command kbuild recorded for them.
 *
 * A kbuild run costs about 5 s before it compiles anything (it reads the
 * whole tree's Makefiles and checks the prepared files), twice per update.
 * kbuild writes the command of every object it builds into DIR/.NAME.o.cmd
 * ("cmd_PATH := COMMAND", in make syntax); when every object to build has
 * one we can trust, they are run from a small makefile of our own (make -k
 * -jN, .DELETE_ON_ERROR, as kbuild would).
 *
 * A recorded command is what kbuild would run again when nothing it is
 * made of changed: the config and the compiler (the prepared tree is keyed
 * by them), our KCFLAGS (the command must contain them, with the include
 * directory of this prepared tree), and the Makefiles. The kbuild walk's
 * fingerprint covers the Makefiles (tree-kbuild.c): a command recorded
 * after the walk was last stamped is current. The post build always
 * qualifies (the pre build just recorded its commands). The command is
 * all kbuild does to a C object on x86, except with
 * CONFIG_FTRACE_MCOUNT_USE_RECORDMCOUNT, where a recordmcount step rewrites
 * the object afterwards: such configs always go through kbuild.
 */
#include "create/build-replay.h"
#include "create/build-objects.h"
#include "create/tree-prepare.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* OBJ/kernel/.sys.o.cmd for "kernel/sys.o". */
static char *cmd_file_of(const char *obj, const char *path)
{
	const char *base = strrchr(path, '/');

	if (!base)
		return build_xasprintf("%s/.%s.cmd", obj, path);
	return build_xasprintf("%s/%.*s/.%s.cmd", obj, (int)(base - path), path, base + 1);
}

static bool modified_before(const char *path, const struct timespec *when)
{
	struct stat st;

	return stat(path, &st) || st.st_mtim.tv_sec < when->tv_sec ||
	       (st.st_mtim.tv_sec == when->tv_sec && st.st_mtim.tv_nsec < when->tv_nsec);
}

char *build_recorded_command(const char *obj, const char *path)
{
	char *file = cmd_file_of(obj, path), *text, *prefix, *line, *end, *cmd = NULL;

	if (build_read_file(file, &text, NULL)) {
		free(file);
		return NULL;
	}
	prefix = build_xasprintf("cmd_%s := ", path);
	for (line = text; line && *line; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		if (!strncmp(line, prefix, strlen(prefix))) {
			line += strlen(prefix);
			cmd = build_xstrndup(line, end ? (size_t)(end - line) : strlen(line));
			break;
		}
	}
	free(prefix);
	free(text);
	free(file);
	return cmd;
}

/* PATH's recorded command, if it is current (see the top of the file). */
static char *current_command(const char *obj, const char *path, const char *kcflags,
			     const struct timespec *walked)
{
	char *file = cmd_file_of(obj, path), *cmd = NULL;

	if (!modified_before(file, walked))
		cmd = build_recorded_command(obj, path);
	if (cmd && !strstr(cmd, kcflags)) {
		free(cmd);
		cmd = NULL;
	}
	free(file);
	return cmd;
}

/* The makefile: one variable and one rule per object to build. */
static int write_replay_makefile(const char *mk, const struct build_result *r,
				 const bool *todo, char **cmds)
{
	FILE *f = fopen(mk, "w");
	size_t i;

	if (!f) {
		build_error("cannot write %s: %s", mk, strerror(errno));
		return -1;
	}
	fprintf(f, "# Objects compiled with their recorded kbuild commands.\n"
		   ".DELETE_ON_ERROR:\n.PHONY: all\nall:");
	for (i = 0; i < r->nr_objects; i++)
		if (todo[i])
			fprintf(f, " %s", r->objects[i].path);
	fprintf(f, "\n");
	for (i = 0; i < r->nr_objects; i++) {
		if (!todo[i])
			continue;
		fprintf(f, "ksplice_cmd_%zu := %s\n", i, cmds[i]);
		fprintf(f, "%s:\n\t$(ksplice_cmd_%zu)\n", r->objects[i].path, i);
	}
	if (fclose(f)) {
		build_error("cannot write %s: %s", mk, strerror(errno));
		return -1;
	}
	return 0;
}

static void free_commands(char **cmds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(cmds[i]);
	free(cmds);
}

int build_replay(const struct build_result *r, const struct tree_prepared *t,
		 const bool *todo, const char *kcflags, const char *walk_stamp,
		 bool keep_going, const char *log)
{
	char **cmds = build_xcalloc(r->nr_objects + 1, sizeof(*cmds));
	char *mk = NULL, *jobs = NULL, *argv[8];
	struct stat st;
	size_t i, n = 0;
	int ret;

	if (tree_config_enabled(t->config_text, "CONFIG_FTRACE_MCOUNT_USE_RECORDMCOUNT") ||
	    stat(walk_stamp, &st)) {
		free(cmds);
		return BUILD_REPLAY_UNAVAILABLE;
	}
	for (i = 0; i < r->nr_objects; i++) {
		if (!todo[i])
			continue;
		cmds[i] = current_command(t->obj, r->objects[i].path, kcflags, &st.st_mtim);
		if (!cmds[i]) {
			free_commands(cmds, r->nr_objects);
			return BUILD_REPLAY_UNAVAILABLE;
		}
	}
	mk = build_xasprintf("%s/replay.mk", r->work_dir);
	jobs = build_xasprintf("-j%d", t->jobs);
	ret = write_replay_makefile(mk, r, todo, cmds);
	if (!ret) {
		argv[n++] = "make";
		argv[n++] = "-C";
		argv[n++] = t->obj;
		argv[n++] = "-f";
		argv[n++] = mk;
		argv[n++] = jobs;
		if (keep_going)
			argv[n++] = "-k";
		argv[n] = NULL;
		build_info("compiling with the commands kbuild recorded (%s)", mk);
		ret = build_run(argv, &(struct build_run_opts){ .log = log });
	}
	free_commands(cmds, r->nr_objects);
	free(jobs);
	free(mk);
	return ret;
}
