// SPDX-License-Identifier: GPL-2.0
/* Apply the patch for the post build; restore the tree afterwards. */
#include "create/patch-apply.h"
#include "create/build-util.h"
#include "create/patch-journal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *tree_file(const struct patch_state *st, const char *path)
{
	return build_xasprintf("%s/%s", st->tree, path);
}

int patch_save(struct patch_state *st, const char *tree, const char *patch_path,
	       const struct patch_set *set, const char *save_dir)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	st->tree = build_xstrdup(tree);
	st->patch_path = build_xstrdup(patch_path);
	st->files = build_xcalloc(set->nr_files, sizeof(*st->files));
	for (i = 0; i < set->nr_files; i++) {
		struct patch_saved_file *f = &st->files[st->nr_files];
		char *src = tree_file(st, set->files[i].path);
		char *dir;
		int ret;

		f->path = build_xstrdup(set->files[i].path);
		f->copy = build_xasprintf("%s/%s", save_dir, f->path);
		dir = build_xstrdup(f->copy);
		*strrchr(dir, '/') = '\0';
		ret = stat(src, &f->st) ? -1 : build_mkdir_p(dir);
		if (!ret)
			ret = build_hash_file(src, &f->hash);
		if (!ret)
			ret = build_copy_file(src, f->copy);
		if (!ret) {
			f->link = build_xasprintf("%s/.links/%zu", save_dir,
						  st->nr_files);
			if (build_mkdir_p_parent(f->link) || link(src, f->link)) {
				free(f->link);
				f->link = NULL;
			}
		}
		if (ret)
			build_error("%s: %s", src, errno ? strerror(errno) :
				    "cannot save a copy");
		free(dir);
		free(src);
		st->nr_files++;
		if (ret)
			return -1;
	}
	return 0;
}

static int run_patch(const struct patch_state *st, bool dry_run, bool reverse,
		     char **output)
{
	char *argv[12];
	struct build_run_opts opts = {
		.dir = st->tree,
		.capture = output,
		.ignore_signals = true,	/* never leave a half-patched file */
	};
	int n = 0;

	argv[n++] = "patch";
	argv[n++] = "-p1";
	argv[n++] = "-f";		/* no questions, no reversed guesses */
	argv[n++] = "--no-backup-if-mismatch";
	argv[n++] = "--reject-file=-";	/* never leave .rej files */
	if (dry_run)
		argv[n++] = "--dry-run";
	if (reverse)
		argv[n++] = "-R";
	argv[n++] = "-i";
	argv[n++] = st->patch_path;
	argv[n] = NULL;
	return build_run(argv, &opts);
}

/* The files `patch --dry-run` says it would patch must be the parsed ones. */
static int check_touched(const struct patch_state *st, const char *out)
{
	const char *p = out;
	int ret = 0;

	while (*p) {
		const char *end = strchrnul(p, '\n');
		static const char tag[] = "checking file ";

		if (!strncmp(p, tag, strlen(tag))) {
			char *name = build_xstrndup(p + strlen(tag),
						    end - p - strlen(tag));
			size_t i;

			for (i = 0; i < st->nr_files; i++)
				if (!strcmp(st->files[i].path, name))
					break;
			if (i == st->nr_files) {
				build_error("patch would change %s, which the diff "
					    "does not name as such", name);
				ret = -1;
			}
			free(name);
		}
		p = *end ? end + 1 : end;
	}
	return ret;
}

int patch_check_applies(struct patch_state *st)
{
	char *out = NULL;
	int ret = run_patch(st, true, false, &out);

	if (ret) {
		fputs(out ? out : "", stderr);
		build_error("the patch does not apply to %s (the tree is unchanged)",
			    st->tree);
		free(out);
		return -1;
	}
	if (strstr(out, "with fuzz"))
		build_warn("the patch applies only with fuzz:\n%s", out);
	else if (build_verbosity > 0)
		fputs(out, stderr);
	ret = check_touched(st, out);
	free(out);
	return ret;
}

int patch_apply(struct patch_state *st)
{
	char *out = NULL;
	int ret;

	if (st->journal && patch_journal_write(st, st->journal))
		return -1;
	st->applied = true;	/* from now on the tree may differ */
	ret = run_patch(st, false, false, &out);
	if (ret) {
		fputs(out ? out : "", stderr);
		build_error("applying the patch failed");
	}
	free(out);
	return ret ? -1 : 0;
}

static bool file_matches(const struct patch_saved_file *f, const char *path)
{
	uint64_t h;

	return !build_hash_file(path, &h) && h == f->hash;
}

int patch_verify_restored(const struct patch_state *st, bool report)
{
	int ret = 0;
	size_t i;

	for (i = 0; i < st->nr_files; i++) {
		char *path = tree_file(st, st->files[i].path);

		if (!file_matches(&st->files[i], path)) {
			if (report)
				build_error("%s differs from the original", path);
			ret = -1;
		}
		free(path);
	}
	return ret;
}

/* Put back contents (if needed), mode and timestamps of one file. */
static int restore_file(const struct patch_saved_file *f, const char *path)
{
	struct timespec times[2] = { f->st.st_atim, f->st.st_mtim };

	/* The untouched original inode: put it back in place. */
	if (f->link && file_matches(f, f->link) && !rename(f->link, path))
		return 0;
	if (!file_matches(f, path)) {
		build_info("restoring %s from its saved copy", path);
		if (build_copy_file(f->copy, path) || !file_matches(f, path)) {
			build_error("cannot restore %s: the original is kept in %s",
				    path, f->copy);
			return -1;
		}
	}
	if (chmod(path, f->st.st_mode & 07777) ||
	    utimensat(AT_FDCWD, path, times, 0)) {
		build_error("cannot restore mode/timestamps of %s: %s", path,
			    strerror(errno));
		return -1;
	}
	return 0;
}

int patch_restore(struct patch_state *st)
{
	sigset_t block, old;
	char *out = NULL;
	int ret = 0;
	size_t i;

	if (!st->applied)
		return 0;
	/* Finish restoring even if more signals arrive. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (run_patch(st, false, true, &out))
		build_warn("reversing the patch failed; restoring the saved files:\n%s",
			   out ? out : "");
	free(out);
	for (i = 0; i < st->nr_files; i++) {
		char *path = tree_file(st, st->files[i].path);

		if (restore_file(&st->files[i], path))
			ret = -1;
		free(path);
	}
	if (!ret)
		ret = patch_verify_restored(st, true);
	if (!ret) {
		st->applied = false;
		if (st->journal)
			unlink(st->journal);
	} else
		build_error("THE SOURCE TREE %s WAS NOT RESTORED", st->tree);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

void patch_state_free(struct patch_state *st)
{
	size_t i;

	for (i = 0; i < st->nr_files; i++) {
		free(st->files[i].path);
		free(st->files[i].copy);
		free(st->files[i].link);
	}
	free(st->files);
	free(st->tree);
	free(st->patch_path);
	free(st->journal);
	memset(st, 0, sizeof(*st));
}
