// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-apply: apply an update package to the running kernel.
 *
 *   ksplice-apply [--partial] [--dry-run] [--debug] [--debugfile FILE]
 *                 [--raw-errors] [--core FILE] PACKAGE
 *
 * Loads ksplice.ko if needed, then each target's helper and primary module,
 * asks the kernel to apply the update, and unloads the helpers. On any
 * failure everything it loaded is unloaded again: the kernel is unchanged.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tools/abort-cause.h"
#include "tools/common.h"
#include "tools/kernel-match.h"
#include "tools/target-list.h"
#include "tools/kmod.h"
#include "tools/package-open.h"
#include "tools/update-control.h"

struct options {
	bool partial, dry_run;
	const char *core;
	const char *package;
	struct report_opts report;
};

/* Modules this run loaded, unloaded again (in reverse) on failure. */
struct loaded {
	char paths[2 * KSPLICE_MAX_TARGETS][PATH_MAX];
	bool is_helper[2 * KSPLICE_MAX_TARGETS];
	int n;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ksplice-apply [--partial] [--dry-run] [--debug] [--debugfile FILE]\n"
		   "                     [--raw-errors] [--core FILE] PACKAGE\n");
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "partial", no_argument, NULL, 'p' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "debug", no_argument, NULL, 'd' },
		{ "debugfile", required_argument, NULL, 'f' },
		{ "raw-errors", no_argument, NULL, 'r' },
		{ "core", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': o->partial = true; break;
		case 'n': o->dry_run = true; break;
		case 'd': o->report.debug = true; break;
		case 'f': o->report.debugfile = optarg; break;
		case 'r': o->report.raw_errors = true; break;
		case 'c': o->core = optarg; break;
		case 'h': usage(stdout); exit(EXIT_OK);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return -1;
	}
	o->package = argv[optind];
	return 0;
}

/* What the kernel says when it enforces module signatures and a module has none it trusts. */
static bool signature_refused(int err)
{
	return err == EKEYREJECTED || err == ENOKEY || err == EBADMSG;
}

/*
 * Where the core comes from: --core, $KSPLICE_CORE, the running kernel's
 * module tree (ksplice-dkms installs it under updates/dkms; a hand-built one
 * goes to extra), and last the package's own modules/ksplice.ko.
 */
static int find_core(const struct options *o, const struct opened_package *p, char *path, size_t size)
{
	static const char *const installed[] = { "updates/dkms", "updates", "extra" };
	const char *env = getenv("KSPLICE_CORE");
	struct stat st;
	unsigned i;

	if (o->core || (env && *env)) {
		snprintf(path, size, "%s", o->core ? o->core : env);
		return 0;
	}
	for (i = 0; i < sizeof(installed) / sizeof(installed[0]); i++) {
		snprintf(path, size, "%s/%s/%s/ksplice.ko", modules_dir(), running_release(), installed[i]);
		if (!stat(path, &st))
			return 0;
	}
	package_path(p, "modules/ksplice.ko", path, size);
	if (!stat(path, &st))
		return 0;
	tool_error("no ksplice core (ksplice.ko) for kernel %s: install ksplice-dkms, or give it with --core",
		   running_release());
	return -1;
}

/* Load ksplice.ko unless it is; *@loaded says whether this run did. */
static int ensure_core(const struct options *o, const struct opened_package *p, bool *loaded)
{
	char path[PATH_MAX];
	struct stat st;

	*loaded = false;
	if (!stat(sysfs_dir(), &st))
		return 0;
	if (find_core(o, p, path, sizeof(path)))
		return -1;
	if (!kmod_load(path)) {
		*loaded = true;
		return 0;
	}
	if (errno == EEXIST)
		return 0;	/* loaded meanwhile by someone else */
	if (signature_refused(errno))
		tool_error("cannot load the ksplice core %s: %s: this kernel loads only signed modules; "
			   "install ksplice-dkms (DKMS signs it with its key, enrolled with mokutil) or sign it "
			   "with a key the kernel trusts", path, strerror(errno));
	else
		tool_error("cannot load the ksplice core %s: %s (give it with --core)", path, strerror(errno));
	return -1;
}

/*
 * A dry run or a failed apply leaves the kernel as it was: the core this
 * run loaded goes again (the kernel refuses while an update still uses it).
 */
static void unload_core(bool loaded)
{
	if (loaded)
		kmod_unload("ksplice");
}

static int load_one(struct loaded *l, const struct opened_package *p, const char *file, bool helper)
{
	char rel[PATH_MAX];

	snprintf(rel, sizeof(rel), "modules/%s", file);
	package_path(p, rel, l->paths[l->n], sizeof(l->paths[l->n]));
	if (kmod_load(l->paths[l->n])) {
		if (signature_refused(errno))
			tool_error("cannot load %s: %s: this kernel loads only signed modules, and the "
				   "update's are not signed by a key it trusts (ksplice-create --sign-key KEY "
				   "--sign-cert CERT signs them)", file, strerror(errno));
		else
			tool_error("cannot load %s: %s", file, strerror(errno));
		return -1;
	}
	l->is_helper[l->n++] = helper;
	return 0;
}

static void unload(struct loaded *l, bool helpers_only)
{
	int i;

	for (i = l->n - 1; i >= 0; i--)
		if (!helpers_only || l->is_helper[i])
			kmod_unload(l->paths[i]);
}

/*
 * Helper first: the primary's registration finds its helper waiting.
 * 0, -1 (a module did not load), or 1: a target module is not loaded and
 * --partial was not given (reported as target_not_loaded).
 */
static int load_targets(const struct options *o, const struct opened_package *p, struct loaded *l)
{
	const struct ksplice_manifest *m = &p->manifest;
	int i, loaded_targets = 0;

	for (i = 0; i < m->nr_targets; i++) {
		const struct ksplice_manifest_target *t = &m->targets[i];

		if (strcmp(t->name, "vmlinux") && !kmod_is_loaded(t->name)) {
			if (o->partial) {
				fprintf(stderr, "Skipping target %s: the module is not loaded.\n", t->name);
				continue;
			}
			/* The kernel would say the same: refuse the same way. */
			if (o->report.raw_errors)
				printf("target_not_loaded\n");
			fprintf(stderr, "Error applying Ksplice update %s:\n%s\nModule %s is not "
				"loaded.\n", m->id, abort_cause_sentence("target_not_loaded"), t->name);
			return 1;
		}
		if (load_one(l, p, t->helper, true) || load_one(l, p, t->primary, false))
			return -1;
		loaded_targets++;
	}
	if (!loaded_targets) {
		tool_error("update %s: none of its targets is loaded", m->id);
		return -1;
	}
	return 0;
}

/* /var/run/ksplice/updates/<id>/: what ksplice-view and ksplice-undo read. */
static void write_records(const struct opened_package *p, const struct loaded *l)
{
	static const char *const files[] = { "description", "patch", "manifest" };
	char dir[PATH_MAX / 2], path[PATH_MAX], src[PATH_MAX], name[PATH_MAX];
	const char *id = p->manifest.id;
	FILE *f;
	int i;

	snprintf(dir, sizeof(dir), "%s/%s", records_dir(), id);
	if (make_dirs(dir)) {
		tool_error("cannot create %s: %s", dir, strerror(errno));
		return;
	}
	for (i = 0; i < 3; i++) {
		package_path(p, files[i], src, sizeof(src));
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (copy_file(src, path))
			tool_error("cannot record %s of update %s", files[i], id);
	}
	snprintf(path, sizeof(path), "%s/modules", dir);
	f = fopen(path, "w");
	for (i = 0; f && i < l->n; i++) {
		if (l->is_helper[i])
			continue;
		kmod_name_of(l->paths[i], name, sizeof(name));
		fprintf(f, "%s\n", name);
	}
	if (!f || fclose(f))
		tool_error("cannot record the modules of update %s", id);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct opened_package p;
	static struct loaded l;
	char cause[64], why[512];
	bool core_loaded = false;
	int ret;

	tool_name = "ksplice-apply";
	if (parse_args(argc, argv, &o))
		return EXIT_USAGE;
	require_root();
	if (package_open(o.package, &p))
		return EXIT_BAD_INPUT;
	/* What it patches, and which modules must be loaded for it. */
	fprintf(stderr, "Update %s ", p.manifest.id);
	print_target_list(stderr, &p.manifest);
	if (manifest_matches_kernel(&p.manifest, why, sizeof(why)) || update_exists(p.manifest.id)) {
		if (update_exists(p.manifest.id))
			tool_error("update %s is already loaded", p.manifest.id);
		else
			tool_error("%s", why);
		package_close(&p);
		return EXIT_BAD_INPUT;
	}
	ret = ensure_core(&o, &p, &core_loaded);
	if (!ret)
		ret = load_targets(&o, &p, &l);
	if (ret) {
		unload(&l, false);
		unload_core(core_loaded);
		package_close(&p);
		return ret > 0 ? EXIT_ABORTED : EXIT_SYSTEM;
	}
	update_set_stage(p.manifest.id, o.dry_run ? "match" : "applied", cause, sizeof(cause));
	if (o.dry_run) {
		o.report.done_text = "The update would apply to this kernel (nothing was changed).";
		ret = report_outcome(p.manifest.id, "matching", cause, &o.report);
		unload(&l, false);
		unload_core(core_loaded);
	} else {
		ret = report_outcome(p.manifest.id, "applying", cause, &o.report);
		if (ret == EXIT_OK)
			write_records(&p, &l);
		/* Helpers only serve matching; primaries stay while applied. */
		unload(&l, ret != EXIT_OK ? false : true);
		if (ret != EXIT_OK)
			unload_core(core_loaded);
	}
	package_close(&p);
	return ret;
}
