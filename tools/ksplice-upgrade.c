// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-upgrade: install, in order, the updates the repository has for the
 * running kernel and this host lacks.
 *
 *   ksplice-upgrade [--repository URL] [--list] [--json] [--download-only DIR]
 *
 * The index of this kernel build (tools/repo-index.h) is fetched with its
 * detached signature, which must verify against the keyring of
 * /etc/ksplice/ksplice.conf. The updates already installed must be the first
 * ones of the index, in its order; the rest are pending. Every pending
 * package is fetched and checked (SHA-256 from the signed index, manifest id
 * and kernel) before the first is installed, so a tampered or wrong one
 * means nothing is installed. Then each is installed (ksplice-install: applied
 * and kept) in order, stopping at the first that fails.
 * --list (with --json) only says what is pending; --download-only fetches
 * and checks the pending packages into DIR without installing them.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/common.h"
#include "tools/json-out.h"
#include "tools/kernel-match.h"
#include "tools/package-open.h"
#include "tools/repo-config.h"
#include "tools/repo-fetch.h"
#include "tools/repo-index.h"
#include "tools/repo-verify.h"
#include "tools/run-tool.h"
#include "tools/update-store.h"

struct options {
	bool list, json;
	const char *download_dir;
	struct repo_config conf;
};

struct run {
	char tmp[PATH_MAX / 4];
	char base_url[2048];		/* REPO/<release>/<build key> */
	char kernel_version[256];
	struct repo_index ix;
	int first_pending;		/* index entries before it are installed */
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ksplice-upgrade [--repository URL] [--list] [--json] [--download-only DIR]\n");
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "repository", required_argument, NULL, 'r' },
		{ "list", no_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "download-only", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *repository = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': repository = optarg; break;
		case 'l': o->list = true; break;
		case 'j': o->json = true; break;
		case 'd': o->download_dir = optarg; break;
		case 'h': usage(stdout); exit(EXIT_OK);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc || (o->json && !o->list) || (o->list && o->download_dir)) {
		usage(stderr);
		return -1;
	}
	/* Installing changes the kernel: refuse a non-root user before anything else. */
	if (!o->list && !o->download_dir)
		require_root();
	if (repo_config_read(&o->conf))
		exit(EXIT_BAD_INPUT);
	if (repository)
		snprintf(o->conf.repository, sizeof(o->conf.repository), "%s", repository);
	if (!o->conf.repository[0]) {
		tool_error("no repository: set 'repository = URL' in %s or give --repository", KSPLICE_CONF);
		exit(EXIT_USAGE);
	}
	return 0;
}

static void tmp_path(const struct run *r, const char *name, char *dst, size_t size)
{
	snprintf(dst, size, "%s/%s", r->tmp, name);
}

/* Fetch REPO/<release>/<key>/@name into the temporary directory. */
static int fetch(const struct run *r, const char *name, char *dst, size_t size)
{
	char url[4096], why[4096];
	int ret;

	snprintf(url, sizeof(url), "%s/%s", r->base_url, name);
	tmp_path(r, name, dst, size);
	ret = repo_fetch(url, dst, why, sizeof(why));
	if (ret == -1)
		tool_error("cannot fetch %s", why);
	return ret;
}

/* The signed index of this kernel build; 1 when the repository has none. */
static int read_index(struct run *r, const struct options *o)
{
	char index[PATH_MAX], sig[PATH_MAX], why[4096];
	FILE *f;
	int ret = fetch(r, "index", index, sizeof(index));

	if (ret == -2) {
		if (o->json) {
			printf("{");
			json_field(stdout, 1, "kernel_release", running_release());
			json_field(stdout, 0, "repository", o->conf.repository);
			printf(", \"installed\": 0, \"pending\": [], \"published\": false}\n");
		} else {
			printf("The repository has no updates for this kernel (%s, build \"%s\").\n",
			       running_release(), r->kernel_version);
		}
		return 1;
	}
	if (!ret && (ret = fetch(r, "index.sig", sig, sizeof(sig))) == -2)
		tool_error("the repository index is not signed (no %s/index.sig); nothing installed", r->base_url);
	if (ret)
		return -1;
	if (repo_verify_signature(o->conf.keyring, index, sig, why, sizeof(why))) {
		tool_error("the repository index is not trusted: %s; nothing installed", why);
		return -1;
	}
	f = fopen(index, "r");
	ret = f ? repo_index_read(&r->ix, f, why, sizeof(why)) : -1;
	if (f)
		fclose(f);
	if (ret) {
		tool_error("bad repository index: %s", f ? why : strerror(errno));
		return -1;
	}
	if (strcmp(r->ix.kernel_release, running_release()) || strcmp(r->ix.kernel_version, r->kernel_version)) {
		tool_error("the repository index is for kernel %s build \"%s\", not this kernel (%s, \"%s\"); "
			   "nothing installed", r->ix.kernel_release, r->ix.kernel_version, running_release(),
			   r->kernel_version);
		return -1;
	}
	return 0;
}

/* The installed updates must be the index's first ones, in its order. */
static int find_pending(struct run *r)
{
	static struct installed_list l;
	int i;

	if (store_list(running_release(), &l)) {
		tool_error("cannot read %s: %s", store_dir(), strerror(errno));
		return -1;
	}
	for (i = 0; i < r->ix.n && store_find(&l, r->ix.u[i].id); i++)
		;
	r->first_pending = i;
	for (; i < r->ix.n; i++)
		if (store_find(&l, r->ix.u[i].id)) {
			tool_error("update %s (number %d) is installed but %s (number %d) before it is not: "
				   "the repository's order does not match this host; nothing installed",
				   r->ix.u[i].id, i + 1, r->ix.u[r->first_pending].id, r->first_pending + 1);
			return -1;
		}
	return 0;
}

static void print_pending(const struct run *r, const struct options *o)
{
	int i;

	if (o->json) {
		printf("{");
		json_field(stdout, 1, "kernel_release", running_release());
		json_field(stdout, 0, "repository", o->conf.repository);
		printf(", \"installed\": %d, \"published\": true, \"pending\": [", r->first_pending);
		for (i = r->first_pending; i < r->ix.n; i++) {
			printf("%s{\"order\": %d, ", i > r->first_pending ? ", " : "", i + 1);
			json_field(stdout, 1, "id", r->ix.u[i].id);
			printf("}");
		}
		printf("]}\n");
		return;
	}
	if (r->first_pending == r->ix.n)
		printf("Up to date: all %d updates of the repository are installed.\n", r->ix.n);
	for (i = r->first_pending; i < r->ix.n; i++)
		printf("pending %d %s\n", i + 1, r->ix.u[i].id);
}

/* Fetch pending update @i and check it against the signed index. */
static int fetch_checked(const struct run *r, int i, char *path, size_t size)
{
	const struct repo_entry *e = &r->ix.u[i];
	struct opened_package p;
	char name[KSPLICE_NAME_MAX + 16], sha[65];
	int bad, ret;

	snprintf(name, sizeof(name), "%s.tar.gz", e->id);
	ret = fetch(r, name, path, size);
	if (ret == -2)
		tool_error("update %s is in the index but not in the repository; nothing installed", e->id);
	if (ret)
		return -1;
	if (sha256_file(path, sha) || strcmp(sha, e->sha256)) {
		tool_error("update %s: its SHA-256 is not the one of the signed index (tampered or corrupt); "
			   "nothing installed", e->id);
		return -1;
	}
	if (package_open(path, &p))
		return -1;
	bad = strcmp(p.manifest.id, e->id) || strcmp(p.manifest.kernel_release, r->ix.kernel_release) ||
	      strcmp(p.manifest.kernel_version, r->ix.kernel_version);
	if (bad)
		tool_error("update %s: the package is %s for %s \"%s\", not what the index says; nothing installed",
			   e->id, p.manifest.id, p.manifest.kernel_release, p.manifest.kernel_version);
	package_close(&p);
	return bad ? -1 : 0;
}

static int install_in_order(const struct run *r, char paths[][PATH_MAX])
{
	int i, ret;

	for (i = r->first_pending; i < r->ix.n; i++) {
		char *argv[] = { NULL, paths[i], NULL };

		ret = run_tool("install", argv, NULL, 0);
		if (ret) {
			tool_error("stopped at update %s (number %d): the %d after it may need it, so they were "
				   "not installed", r->ix.u[i].id, i + 1, r->ix.n - i - 1);
			return ret;
		}
	}
	printf("Upgrade done: %d updates installed.\n", r->ix.n - r->first_pending);
	return EXIT_OK;
}

static int copy_out(const struct run *r, char paths[][PATH_MAX], const char *dir)
{
	char dst[PATH_MAX];
	int i;

	if (make_dirs(dir)) {
		tool_error("cannot create %s: %s", dir, strerror(errno));
		return EXIT_SYSTEM;
	}
	for (i = r->first_pending; i < r->ix.n; i++) {
		snprintf(dst, sizeof(dst), "%s/%04d-%s.tar.gz", dir, i + 1, r->ix.u[i].id);
		if (copy_file(paths[i], dst)) {
			tool_error("cannot write %s: %s", dst, strerror(errno));
			return EXIT_SYSTEM;
		}
		printf("%s\n", dst);
	}
	return EXIT_OK;
}

static int upgrade(struct run *r, const struct options *o)
{
	static char paths[REPO_MAX_UPDATES][PATH_MAX];
	const char *version = running_version();
	char build[PATH_MAX / 8];
	int ret, i;

	if (!version) {
		tool_error("cannot read /proc/sys/kernel/version: %s", strerror(errno));
		return EXIT_SYSTEM;
	}
	snprintf(r->kernel_version, sizeof(r->kernel_version), "%s", version);
	repo_build_dir(running_release(), r->kernel_version, build, sizeof(build));
	snprintf(r->base_url, sizeof(r->base_url), "%s/%s", o->conf.repository, build);
	ret = read_index(r, o);
	if (ret)
		return ret > 0 ? EXIT_OK : EXIT_BAD_INPUT;
	if (find_pending(r))
		return EXIT_BAD_INPUT;
	if (o->list || r->first_pending == r->ix.n) {
		print_pending(r, o);
		return EXIT_OK;
	}
	for (i = r->first_pending; i < r->ix.n; i++)
		if (fetch_checked(r, i, paths[i], sizeof(paths[i])))
			return EXIT_BAD_INPUT;
	if (o->download_dir)
		return copy_out(r, paths, o->download_dir);
	return install_in_order(r, paths);
}

int main(int argc, char **argv)
{
	static struct run r;
	struct options o = { 0 };
	const char *tmpdir = getenv("TMPDIR");
	int ret;

	tool_name = "ksplice-upgrade";
	if (parse_args(argc, argv, &o))
		return EXIT_USAGE;
	snprintf(r.tmp, sizeof(r.tmp), "%s/ksplice-upgrade.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(r.tmp)) {
		tool_error("cannot create a temporary directory in %s: %s", tmpdir ? tmpdir : "/tmp",
			   strerror(errno));
		return EXIT_SYSTEM;
	}
	ret = upgrade(&r, &o);
	remove_tree(r.tmp);
	return ret;
}
