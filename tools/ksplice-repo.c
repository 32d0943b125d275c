// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-repo: maintain an update repository (tools/repo-index.h).
 *
 *   ksplice-repo add [--gpg-homedir DIR] [--key KEYID] REPO PACKAGE...
 *
 * Adds each package, in the order given, after the updates its kernel build
 * already has in REPO (a directory, served as it is by any web server), then
 * signs the new index with gpg (--detach-sign; --key picks the signing key,
 * --gpg-homedir the keyring). The index and its signature are replaced by
 * rename, so a client never reads a half-written one.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tools/common.h"
#include "tools/package-open.h"
#include "tools/repo-index.h"

struct options {
	const char *homedir, *key, *repo;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ksplice-repo add [--gpg-homedir DIR] [--key KEYID] REPO PACKAGE...\n");
}

/* The build's current index, or an empty one for a new build directory. */
static int load_index(const char *dir, const struct ksplice_manifest *m, struct repo_index *ix)
{
	char path[PATH_MAX], why[512];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/index", dir);
	f = fopen(path, "r");
	if (!f) {
		memset(ix, 0, sizeof(*ix));
		snprintf(ix->kernel_release, sizeof(ix->kernel_release), "%s", m->kernel_release);
		snprintf(ix->kernel_version, sizeof(ix->kernel_version), "%s", m->kernel_version);
		return errno == ENOENT ? 0 : -1;
	}
	ret = repo_index_read(ix, f, why, sizeof(why));
	fclose(f);
	if (ret)
		tool_error("%s: %s", path, why);
	return ret;
}

static int save_index(const char *dir, const struct repo_index *ix)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	FILE *f;
	int ret;

	snprintf(tmp, sizeof(tmp), "%s/.index.new", dir);
	snprintf(path, sizeof(path), "%s/index", dir);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	ret = repo_index_write(ix, f);
	if (fclose(f) || ret || rename(tmp, path))
		return -1;
	return 0;
}

static int sign_index(const char *dir, const struct options *o)
{
	char index[PATH_MAX], tmp[PATH_MAX], sig[PATH_MAX];
	const char *argv[16];
	int n = 0, status;
	pid_t pid;

	snprintf(index, sizeof(index), "%s/index", dir);
	snprintf(tmp, sizeof(tmp), "%s/.index.sig.new", dir);
	snprintf(sig, sizeof(sig), "%s/index.sig", dir);
	argv[n++] = "gpg";
	if (o->homedir) {
		argv[n++] = "--homedir";
		argv[n++] = o->homedir;
	}
	if (o->key) {
		argv[n++] = "--local-user";
		argv[n++] = o->key;
	}
	argv[n++] = "--batch";
	argv[n++] = "--yes";
	argv[n++] = "--quiet";
	argv[n++] = "--output";
	argv[n++] = tmp;
	argv[n++] = "--detach-sign";
	argv[n++] = index;
	argv[n] = NULL;
	fflush(NULL);
	pid = fork();
	if (!pid) {
		execvp("gpg", (char **)argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		tool_error("gpg could not sign %s%s", index,
			   pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127 ? " (gpg is not installed)" : "");
		remove(tmp);
		return -1;
	}
	return rename(tmp, sig);
}

static int add_one(const struct options *o, const char *package, char *dir, size_t dir_size,
		   struct repo_index *ix)
{
	struct opened_package p;
	char build[PATH_MAX / 8], this_dir[PATH_MAX / 2], dst[PATH_MAX];
	struct repo_entry *e = &ix->u[ix->n];
	int ret = -1;

	if (package_open(package, &p))
		return -1;
	if (!p.manifest.kernel_version[0] || !repo_valid_release(p.manifest.kernel_release)) {
		tool_error("%s names no kernel build (kernel_version): a repository serves one build per directory",
			   package);
		goto out;
	}
	repo_build_dir(p.manifest.kernel_release, p.manifest.kernel_version, build, sizeof(build));
	snprintf(this_dir, sizeof(this_dir), "%s/%s", o->repo, build);
	if (dir[0] && strcmp(dir, this_dir)) {
		tool_error("%s is for another kernel build than the packages before it: add them separately",
			   package);
		goto out;
	}
	if (!dir[0] && (make_dirs(this_dir) || load_index(this_dir, &p.manifest, ix))) {
		tool_error("cannot use %s: %s", this_dir, strerror(errno));
		goto out;
	}
	snprintf(dir, dir_size, "%s", this_dir);
	if (repo_index_find(ix, p.manifest.id) >= 0 || ix->n >= REPO_MAX_UPDATES) {
		tool_error("update %s %s", p.manifest.id,
			   ix->n >= REPO_MAX_UPDATES ? "does not fit: the index is full" : "is already in the repository");
		goto out;
	}
	snprintf(dst, sizeof(dst), "%s/%s.tar.gz", dir, p.manifest.id);
	if (copy_file(package, dst) || sha256_file(dst, e->sha256)) {
		tool_error("cannot copy %s to %s: %s", package, dst, strerror(errno));
		goto out;
	}
	snprintf(e->id, sizeof(e->id), "%s", p.manifest.id);
	ix->n++;
	printf("update %d %s -> %s\n", ix->n, e->id, dst);
	ret = 0;
out:
	package_close(&p);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "gpg-homedir", required_argument, NULL, 'g' },
		{ "key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static struct repo_index ix;
	struct options o = { 0 };
	char dir[PATH_MAX / 2] = "";
	int c, i;

	tool_name = "ksplice-repo";
	if (argc == 2 && !strcmp(argv[1], "--help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "add")) {
		usage(stderr);
		return EXIT_USAGE;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'g': o.homedir = optarg; break;
		case 'k': o.key = optarg; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	o.repo = argv[optind];
	for (i = optind + 1; i < argc; i++)
		if (add_one(&o, argv[i], dir, sizeof(dir), &ix))
			return EXIT_BAD_INPUT;	/* the index is saved only at the end: unchanged */
	if (save_index(dir, &ix) || sign_index(dir, &o)) {
		tool_error("cannot write the index of %s: %s", dir, errno ? strerror(errno) : "gpg failed");
		return EXIT_SYSTEM;
	}
	printf("%s/index: %d updates, signed\n", dir, ix.n);
	return EXIT_OK;
}
