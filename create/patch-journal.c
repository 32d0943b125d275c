// SPDX-License-Identifier: GPL-2.0
/* The record of an applied patch that outlives a killed run. */
#include "create/patch-journal.h"
#include "create/build-util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Format, one record per line, fields separated by tabs:
 *   tree <path>
 *   file <hash> <saved copy> <hard link to the original inode, or -> <path in the tree>
 */
int patch_journal_write(const struct patch_state *st, const char *journal)
{
	FILE *f;
	size_t i;
	int ret;

	if (build_mkdir_p_parent(journal) || !(f = fopen(journal, "w"))) {
		build_error("cannot write %s: %s", journal, strerror(errno));
		return -1;
	}
	fprintf(f, "tree\t%s\n", st->tree);
	for (i = 0; i < st->nr_files; i++)
		fprintf(f, "file\t%016" PRIx64 "\t%s\t%s\t%s\n", st->files[i].hash,
			st->files[i].copy, st->files[i].link ? st->files[i].link : "-",
			st->files[i].path);
	ret = fflush(f) || fsync(fileno(f)) ? -1 : 0;
	if (fclose(f) || ret) {
		build_error("cannot write %s: %s", journal, strerror(errno));
		unlink(journal);
		return -1;
	}
	return 0;
}

static bool has_hash(const char *path, uint64_t want)
{
	uint64_t h;

	return !build_hash_file(path, &h) && h == want;
}

/*
 * Put back one file of the journal; 0 when it has its original contents.
 * The original inode (kept through a hard link) goes back in place, so the
 * links of a `cp -al` tree survive; else the saved copy is copied back.
 */
static int recover_file(const char *tree, char *fields)
{
	char *save, *hash_text = strtok_r(fields, "\t", &save);
	char *copy = strtok_r(NULL, "\t", &save), *link = strtok_r(NULL, "\t", &save);
	char *rel = strtok_r(NULL, "\n", &save), *path;
	uint64_t want;
	int ret = 0;

	if (!hash_text || !copy || !link || !rel) {
		build_error("a damaged record in the journal of %s", tree);
		return -1;
	}
	want = strtoull(hash_text, NULL, 16);
	path = build_xasprintf("%s/%s", tree, rel);
	if (has_hash(path, want))
		;	/* killed before the patch reached it, or after it was restored */
	else if ((strcmp(link, "-") && has_hash(link, want) && !rename(link, path)) ||
		 (has_hash(copy, want) && !build_copy_file(copy, path)))
		build_warn("restored %s, left patched by an interrupted ksplice-create", path);
	else {
		build_error("%s may still be patched by an interrupted ksplice-create, and its "
			    "saved original %s is gone", path, copy);
		ret = -1;
	}
	free(path);
	return ret;
}

int patch_journal_recover(const char *journal)
{
	char *text, *line, *next, *tree = NULL;
	size_t len;
	int ret = 0;

	if (access(journal, F_OK))
		return 0;
	if (build_read_file(journal, &text, &len)) {
		build_error("cannot read %s: %s", journal, strerror(errno));
		return -1;
	}
	for (line = text; *line; line = next) {
		next = strchrnul(line, '\n');
		if (*next)
			*next++ = '\0';
		if (!strncmp(line, "tree\t", 5))
			tree = line + 5;
		else if (!strncmp(line, "file\t", 5) && tree)
			ret |= recover_file(tree, line + 5);
		else if (*line) {
			build_error("%s: not a ksplice-create journal", journal);
			ret = -1;
		}
	}
	if (ret)
		build_error("refusing to build from %s: put those files back as the running "
			    "kernel's source has them, then remove %s", tree ? tree : "the tree",
			    journal);
	else
		unlink(journal);
	free(text);
	return ret;
}
