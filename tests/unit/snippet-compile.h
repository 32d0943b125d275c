/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compiling C snippets into objects at test time, the way ksplice-create
 * compiles kernel objects: gcc -c -O2 -ffunction-sections -fdata-sections.
 * Each object is built as DIR/snippet.c so __FILE__ is the same for pre and
 * post. Objects live in one temporary directory, removed at exit.
 */
#ifndef KSPLICE_SNIPPET_COMPILE_H
#define KSPLICE_SNIPPET_COMPILE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "create/elf-object.h"
#include "create/section-diff.h"

static char snippet_root[64];
static int snippet_counter;

static inline void snippet_cleanup(void)
{
	char cmd[128];

	if (!snippet_root[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", snippet_root);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", snippet_root);
}

static inline const char *snippet_dir(void)
{
	if (!snippet_root[0]) {
		strcpy(snippet_root, "/tmp/ksplice-unit-XXXXXX");
		if (!mkdtemp(snippet_root)) {
			perror("mkdtemp");
			exit(2);
		}
		atexit(snippet_cleanup);
	}
	return snippet_root;
}

/* Write @src to a fresh DIR/snippet.c, compile it, return the .o path. */
static inline char *snippet_build(const char *src, const char *flags)
{
	static char obj[256];
	char dir[200], cmd[1024];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/%d", snippet_dir(), snippet_counter++);
	mkdir(dir, 0700);
	snprintf(cmd, sizeof(cmd), "%s/snippet.c", dir);
	f = fopen(cmd, "w");
	if (!f || fputs(src, f) < 0 || fclose(f)) {
		perror(cmd);
		return NULL;
	}
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && gcc -c -O2 -fno-pie -ffunction-sections -fdata-sections "
		 "-Wno-attributes %s -o snippet.o snippet.c",
		 dir, flags ? flags : "");
	if (system(cmd)) {
		fprintf(stderr, "compile failed: %s\n", cmd);
		return NULL;
	}
	snprintf(obj, sizeof(obj), "%s/snippet.o", dir);
	return obj;
}

static inline struct elf_object *snippet_object(const char *src, const char *flags)
{
	struct ks_error err = { "" };
	const char *path = snippet_build(src, flags);
	struct elf_object *obj = path ? elf_object_load(path, &err) : NULL;

	if (path && !obj)
		fprintf(stderr, "load failed: %s\n", err.msg);
	return obj;
}

/*
 * Diff two snippets. Returns NULL (message in @err) if the diff refused;
 * on a compile/load failure @err says so.
 */
static inline struct diff_result *snippet_diff(const char *pre_src,
					const char *post_src,
					const char *flags, struct ks_error *err)
{
	struct elf_object *pre = snippet_object(pre_src, flags);
	struct elf_object *post = snippet_object(post_src, flags);
	struct diff_result *res = NULL;

	strcpy(err->msg, "snippet did not compile");
	if (pre && post)
		res = section_diff(pre, post, err);
	elf_object_free(pre);
	elf_object_free(post);
	return res;
}

#endif
