// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-create: build an update package from a kernel source tree and a
 * patch. Stages: prepare the (cached) kbuild tree, compile the affected
 * objects before and after the patch, then compare them and write the
 * package. The source tree is always left exactly as it was found.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/manifest.h"
#include "create/build-affected.h"
#include "create/build-objects.h"
#include "create/build-util.h"
#include "create/change-set.h"
#include "create/create-update.h"
#include "create/module-sign.h"
#include "create/kernel-input.h"
#include "create/patch-apply.h"
#include "create/patch-journal.h"
#include "create/patch-parse.h"
#include "create/patch-source.h"
#include "create/report-fill.h"
#include "create/tree-delta.h"
#include "create/tree-prepare.h"
#include "create/update-report.h"

#define EXIT_USAGE 2
#define EXIT_NO_CHANGES 66
#define EXIT_INTERRUPTED 130

struct options {
	const char *id;
	const char *description;
	const char *config;
	const char *kdir;
	const char *output_dir;
	const char *patch;
	const char *diffext;
	const char *git;
	const char *source;
	int jobs;
	bool keep_temp;
	bool kernel_set;	/* --kernel given */
	const char *kernel;	/* its RELEASE, NULL: the running kernel's */
	const char *to;
	const char *report;
	bool skip_refused;
	bool fetch_only;
	bool with_image;
	bool report_only;
	const char *sign_key, *sign_cert;
};

/* --skip-refused gives up after this many compile-and-compare rounds. */
#define MAX_ROUNDS 12

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ksplice-create [--id ID] [--description TEXT] [--config FILE|DIR]\n"
		"                      [--kdir DIR] [--output-dir DIR] [-j N] [-v|-q] [--keep-temp]\n"
		"                      [--report FILE] [--skip-refused]\n"
		"                      [--sign-key KEY --sign-cert CERT]\n"
		"                      {--patch FILE | --diffext EXT | --git COMMIT}\n"
		"                      KERNEL_SOURCE\n"
		"       ksplice-create --kernel[=RELEASE] [--to VERSION] [--patch FILE] [options]\n"
		"       ksplice-create --kernel[=RELEASE] [--to VERSION] --fetch-only [--with-image]\n"
		"\n"
		"  --kernel[=RELEASE] a Debian kernel (default: the running one): its source\n"
		"                   (linux-source of the image's version) and headers are\n"
		"                   fetched with apt-get download into the cache\n"
		"  --to VERSION     the update is the source difference from the kernel's\n"
		"                   Debian version to VERSION (plus --patch, if given)\n"
		"  --report FILE    write the per-file report as JSON\n"
		"  --skip-refused   leave out the files whose change cannot be carried and\n"
		"                   build an update of the rest\n"
		"  --report-only    classify the changed files (built? into what?) and stop\n"
		"  --fetch-only     fetch, print where everything is, and stop\n"
		"  --with-image     also fetch the kernel image and its modules\n"
		"  --patch FILE     a unified diff that applies with patch -p1\n"
		"  --diffext EXT    the patch is the difference between every FILE.EXT\n"
		"                   (new version) and FILE in KERNEL_SOURCE\n"
		"  --git COMMIT     the patch is git diff COMMIT^ COMMIT\n"
		"  --config FILE    the running kernel's config (default:\n"
		"                   KERNEL_SOURCE/.config, else /boot/config-$(uname -r))\n"
		"  --config DIR     a kernel build or headers directory: its .config, and\n"
		"                   its Module.symvers for the update's modules\n"
		"  --kdir DIR       build the update's modules against DIR (default: the\n"
		"                   --config DIR, else /lib/modules/$(uname -r)/build)\n"
		"  --output-dir DIR where ksplice-ID.tar.gz is written (default: .)\n"
		"  --sign-key KEY --sign-cert CERT\n"
		"                   sign the update's modules with kbuild's sign-file, for\n"
		"                   kernels that enforce module signatures\n"
		"  -j N             parallel compile jobs (default: number of CPUs)\n"
		"  --keep-temp      keep the work directory\n");
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "description", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "kdir", required_argument, NULL, 'K' },
		{ "output-dir", required_argument, NULL, 'o' },
		{ "patch", required_argument, NULL, 'p' },
		{ "diffext", required_argument, NULL, 'e' },
		{ "git", required_argument, NULL, 'g' },
		{ "keep-temp", no_argument, NULL, 'k' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "kernel", optional_argument, NULL, 'R' },
		{ "to", required_argument, NULL, 'T' },
		{ "report", required_argument, NULL, 'r' },
		{ "skip-refused", no_argument, NULL, 'S' },
		{ "fetch-only", no_argument, NULL, 'F' },
		{ "with-image", no_argument, NULL, 'I' },
		{ "report-only", no_argument, NULL, 'O' },
		{ "sign-key", required_argument, NULL, 's' },
		{ "sign-cert", required_argument, NULL, 'C' },
		{ 0 },
	};
	int c, sources;
	char *end;

	memset(o, 0, sizeof(*o));
	o->jobs = sysconf(_SC_NPROCESSORS_ONLN) > 0 ? sysconf(_SC_NPROCESSORS_ONLN) : 1;
	while ((c = getopt_long(argc, argv, "j:vqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': o->id = optarg; break;
		case 'd': o->description = optarg; break;
		case 'c': o->config = optarg; break;
		case 'K': o->kdir = optarg; break;
		case 'o': o->output_dir = optarg; break;
		case 'p': o->patch = optarg; break;
		case 'e': o->diffext = optarg; break;
		case 'g': o->git = optarg; break;
		case 'k': o->keep_temp = true; break;
		case 'R': o->kernel_set = true; o->kernel = optarg; break;
		case 'T': o->to = optarg; break;
		case 'r': o->report = optarg; break;
		case 'S': o->skip_refused = true; break;
		case 'F': o->fetch_only = true; break;
		case 'I': o->with_image = true; break;
		case 'O': o->report_only = true; break;
		case 's': o->sign_key = optarg; break;
		case 'C': o->sign_cert = optarg; break;
		case 'v': build_verbosity = 1; break;
		case 'q': build_verbosity = -1; break;
		case 'j':
			o->jobs = strtol(optarg, &end, 10);
			if (*end || o->jobs < 1 || o->jobs > 1024) {
				build_error("-j wants a number of jobs, not \"%s\"", optarg);
				return -1;
			}
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	sources = !!o->patch + !!o->diffext + !!o->git;
	if ((o->to || o->fetch_only || o->with_image) && !o->kernel_set) {
		build_error("%s needs --kernel", o->to ? "--to" : o->fetch_only ? "--fetch-only" :
			    "--with-image");
		return -1;
	}
	if (o->to && (o->diffext || o->git)) {
		build_error("--to goes with --patch only, not --diffext or --git");
		return -1;
	}
	if (!o->fetch_only && sources != 1 && !(o->to && !sources)) {
		build_error("give exactly one of --patch, --diffext and --git%s",
			    o->kernel_set ? ", or --to" : "");
		return -1;
	}
	if (optind < argc - 1 || (optind == argc && !o->kernel_set)) {
		build_error(optind == argc ? "missing KERNEL_SOURCE" :
			    "too many arguments (one KERNEL_SOURCE expected)");
		return -1;
	}
	o->source = optind < argc ? argv[optind] : NULL;
	if (o->id && !ksplice_valid_id(o->id)) {
		build_error("--id \"%s\": use 1 to 32 characters of [a-z0-9]", o->id);
		return -1;
	}
	if (!o->sign_key != !o->sign_cert) {
		build_error("--sign-key and --sign-cert go together");
		return -1;
	}
	if (o->diffext && (!*o->diffext || strchr(o->diffext, '/'))) {
		build_error("--diffext wants a file name extension, e.g. \"new\"");
		return -1;
	}
	return 0;
}

static char *random_id(void)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char raw[8];
	char *id = build_xmalloc(9);
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC), i;

	if (fd < 0 || read(fd, raw, sizeof(raw)) != sizeof(raw)) {
		for (i = 0; i < 8; i++)
			raw[i] = rand() ^ getpid() ^ i;
	}
	if (fd >= 0)
		close(fd);
	for (i = 0; i < 8; i++)
		id[i] = chars[raw[i] % (sizeof(chars) - 1)];
	id[8] = '\0';
	return id;
}

static char *default_config(const char *source)
{
	char *path = build_xasprintf("%s/.config", source);
	struct utsname u;

	if (build_file_exists(path))
		return path;
	free(path);
	uname(&u);
	return build_xasprintf("/boot/config-%s", u.release);
}

static int read_patch(const struct options *o, const char *source, char **text)
{
	if (o->patch)
		return patch_from_file(o->patch, text);
	if (o->diffext)
		return patch_from_diffext(source, o->diffext, text);
	return patch_from_git(source, o->git, text);
}

/* Everything a run owns, so one cleanup path can undo it. */
struct run {
	struct options opt;
	const char *source;	/* the tree the patch is applied to */
	char *id;
	char *work;
	char *saved;		/* originals of the files patched, outside the work dir */
	bool tree_locked;	/* the tree is ours, and whole: r->saved may go */
	char *config;
	char *kdir;
	char *patch_text;	/* the whole change, as given or made */
	char *round_text;	/* what this round applies */
	struct patch_set set;
	struct patch_state state;
	struct tree_prepared tree;
	struct build_result result;
	struct kernel_input kin;
	struct change_set changes;
	struct update_report report;
	struct affected_graph *graph;
	struct build_strlist left_out_symbols;
	struct module_signer signer;	/* .key NULL: modules are not signed */
	bool whole_patch;	/* the patch could not be cut per file: apply it whole */
	int round;
};

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* The whole change as one patch set; fills the report's file list. */
static int parse_change(struct run *r, const char *text, struct patch_set *set)
{
	char *err = NULL;

	if (patch_parse(text, set, &err)) {
		build_error("malformed patch: %s", err);
		free(err);
		return -1;
	}
	return 0;
}

/* A patched copy of the --to tree, when --patch comes with --to. */
static char *patched_to_tree(struct run *r)
{
	char *tree = build_xasprintf("%s/to", r->work);
	char *cp[] = { "cp", "-al", r->kin.to_pristine, tree, NULL };
	char *patch[] = { "patch", "-p1", "-s", "-d", tree, "-i", (char *)r->opt.patch, NULL };

	if (build_run(cp, NULL) || build_run(patch, NULL)) {
		build_error("cannot apply %s to linux-source %s", r->opt.patch, r->kin.to_version);
		free(tree);
		return NULL;
	}
	return tree;
}

/* --to: every file that differs; the .c and header changes go into the change set. */
static int changes_from_trees(struct run *r)
{
	char *to = r->opt.patch ? patched_to_tree(r) : build_xstrdup(r->kin.to_pristine);
	struct tree_delta d;
	size_t i;
	int ret = 0;

	if (!to)
		return -1;
	build_stage("Comparing linux-source %s with %s%s...", r->kin.k.version, r->kin.to_version,
		    r->opt.patch ? " and the patch" : "");
	if (tree_delta_list(r->kin.pristine, to, &d)) {
		free(to);
		return -1;
	}
	for (i = 0; i < d.nr_files && !ret; i++) {
		const struct delta_file *f = &d.files[i];
		struct report_file *rf = report_add(&r->report, f->path, f->change);
		char *diff = NULL;

		if (f->change != PATCH_MODIFY ||
		    (rf->kind != PATCH_KIND_C && rf->kind != PATCH_KIND_HEADER))
			continue;
		ret = tree_delta_diff(r->kin.pristine, to, f->path, &diff);
		if (!ret)
			change_set_add(&r->changes, f->path, diff);
	}
	build_stage("  %zu file%s differ, %zu of them .c or header changes", d.nr_files,
		    plural(d.nr_files), r->changes.nr_files);
	tree_delta_free(&d);
	free(to);
	return ret;
}

/* --patch/--diffext/--git: the patch's files, cut into a change set. */
static int changes_from_patch(struct run *r)
{
	struct patch_set set = { 0 };
	size_t i;
	int ret = read_patch(&r->opt, r->source, &r->patch_text);

	if (!ret)
		ret = parse_change(r, r->patch_text, &set);
	for (i = 0; !ret && i < set.nr_files; i++) {
		build_info("patch %s %s", patch_change_name(set.files[i].change), set.files[i].path);
		report_add(&r->report, set.files[i].path, set.files[i].change);
	}
	/* Without --skip-refused, refuse what cannot be built before the long preparation. */
	if (!ret && !r->opt.skip_refused)
		ret = patch_check_supported(&set);
	if (!ret && change_set_split_patch(&r->changes, r->patch_text, &set)) {
		ret = r->opt.skip_refused ? -1 : 0;
		r->whole_patch = true;
		change_set_free(&r->changes);
		for (i = 0; i < set.nr_files; i++)
			change_set_add(&r->changes, set.files[i].path, build_xstrdup(""));
	}
	patch_set_free(&set);
	return ret;
}

/* This round's patch: the whole patch as given while nothing is left out. */
static int load_round_patch(struct run *r)
{
	char *path = build_xasprintf("%s/patch", r->work), *err = NULL;
	bool whole = r->whole_patch ||
		     (r->patch_text && change_set_count(&r->changes) == r->changes.nr_files);
	int ret = 0;

	free(r->round_text);
	r->round_text = whole ? build_xstrdup(r->patch_text) : change_set_text(&r->changes);
	patch_set_free(&r->set);
	if (build_write_file(path, r->round_text, strlen(r->round_text))) {
		build_error("cannot write %s", path);
		ret = -1;
	}
	if (!ret && patch_parse(r->round_text, &r->set, &err)) {
		build_error("malformed patch: %s", err);
		free(err);
		ret = -1;
	}
	free(path);
	return ret;
}

static void describe_targets(const struct build_result *res)
{
	size_t i;

	for (i = 0; i < res->nr_targets; i++)
		build_info("target %s%s%s%s: %zu object%s", res->targets[i].name,
			   res->targets[i].ko ? " (" : "",
			   res->targets[i].ko ? res->targets[i].ko : "",
			   res->targets[i].ko ? ")" : "", res->targets[i].nr_objs,
			   plural(res->targets[i].nr_objs));
}

static bool stopped(void)
{
	return build_interrupted != 0;
}

/* Prepare the tree and classify every changed file (once). */
static int prepare_and_classify(struct run *r)
{
	size_t refused, i;
	bool skip = r->opt.skip_refused || r->opt.report_only;

	build_stage("Preparing tree...");
	if (tree_prepare(&r->tree, r->source, r->config, r->opt.jobs) || stopped())
		return -1;
	r->graph = affected_graph_load(&r->tree, r->work);
	if (!r->graph)
		return -1;
	refused = report_classify(&r->report, &r->changes, r->graph);
	if (!refused || skip)
		return 0;
	for (i = 0; i < r->report.nr_files; i++)
		if (r->report.files[i].outcome == REPORT_LEFT_OUT)
			build_error("%s", r->report.files[i].reason);
	build_error("refusing to create the update: %zu file%s cannot be in it "
		    "(--skip-refused leaves them out)", refused, plural(refused));
	return -1;
}

/* One round's build stage: pre and post objects in r->result. */
static int build_pre_post(struct run *r)
{
	char *save = build_xasprintf("%s/round-%d", r->saved, r->round);
	char *patch = build_xasprintf("%s/patch", r->work);
	bool keep_going = r->opt.skip_refused;
	int ret;

	patch_state_free(&r->state);
	memset(&r->state, 0, sizeof(r->state));
	build_result_free(&r->result);
	/* A patch that does not apply fails before the long build. */
	ret = patch_save(&r->state, r->source, patch, &r->set, save);
	r->state.journal = build_xasprintf("%s/journal", r->saved);
	if (!ret && !stopped())
		ret = patch_check_applies(&r->state);
	if (!ret && !stopped())
		ret = build_find_affected_in(&r->result, &r->set, r->graph, r->tree.src, r->work);
	free(save);
	free(patch);
	if (ret || stopped())
		return -1;
	if (!r->result.nr_objects) {
		fprintf(stderr, "No changes detected. (The patch changes nothing this "
			"config compiles.)\n");
		return EXIT_NO_CHANGES;
	}
	describe_targets(&r->result);
	build_stage("Building pre (%zu object%s, %zu target%s)...",
		    r->result.nr_objects, plural(r->result.nr_objects),
		    r->result.nr_targets, plural(r->result.nr_targets));
	if (build_compile(&r->result, &r->tree, "pre", keep_going) || stopped())
		return -1;
	build_stage("Applying patch...");
	if (patch_apply(&r->state) || stopped())
		return -1;
	build_stage("Building post...");
	ret = build_compile(&r->result, &r->tree, "post", keep_going);
	/* The tree is needed as patched no longer: restore it right away. */
	if (patch_restore(&r->state))
		return -1;
	if (ret || stopped())
		return -1;
	return build_write_targets(&r->result);
}

static void cleanup(struct run *r, bool ok)
{
	if (r->tree_locked && !r->state.applied)
		build_rm_rf(r->saved);
	if (r->work) {
		if (r->state.applied)
			build_error("work files kept in %s; originals in %s", r->work, r->saved);
		else if (ok && !r->opt.keep_temp)
			build_rm_rf(r->work);
		else
			build_stage("Work files kept in %s", r->work);
	}
	build_result_free(&r->result);
	affected_graph_free(r->graph);
	tree_release(&r->tree);
	patch_state_free(&r->state);
	patch_set_free(&r->set);
	change_set_free(&r->changes);
	report_free(&r->report);
	kernel_input_free(&r->kin);
	build_strlist_free(&r->left_out_symbols);
	free(r->patch_text);
	free(r->round_text);
	free(r->config);
	free(r->kdir);
	free(r->saved);
	free(r->work);
	free(r->id);
}

/* x86_64 or i386, from the config the update is built for. */
static const char *config_arch(const char *config)
{
	char *text = NULL;
	const char *arch = "i386";

	if (!build_read_file(config, &text, NULL) && strstr(text, "\nCONFIG_64BIT=y\n"))
		arch = "x86_64";
	free(text);
	return arch;
}

/*
 * A config that sits in a kernel build or headers directory (next to its
 * Module.symvers) comes with the modules' build directory; else the
 * running kernel's.
 */
static char *default_kdir(const char *config)
{
	char *dir = build_xstrdup(config), *slash = strrchr(dir, '/'), *symvers;
	struct utsname u;

	if (slash) {
		*slash = '\0';
		symvers = build_xasprintf("%s/Module.symvers", dir);
		if (build_file_exists(symvers)) {
			free(symvers);
			return dir;
		}
		free(symvers);
	}
	free(dir);
	uname(&u);
	return build_xasprintf("/lib/modules/%s/build", u.release);
}

/*
 * --config may name a kernel build or headers directory: then it also
 * provides the Module.symvers the update's modules are built against.
 */
static int choose_config_and_kdir(struct run *r)
{
	if (!r->opt.config && r->kin.kdir) {
		r->config = build_xasprintf("%s/.config", r->kin.kdir);
		r->kdir = build_xstrdup(r->opt.kdir ? r->opt.kdir : r->kin.kdir);
	} else if (r->opt.config && build_dir_exists(r->opt.config)) {
		r->config = build_xasprintf("%s/.config", r->opt.config);
		r->kdir = build_xstrdup(r->opt.kdir ? r->opt.kdir : r->opt.config);
	} else {
		r->config = r->opt.config ? build_xstrdup(r->opt.config)
					  : default_config(r->source);
		r->kdir = r->opt.kdir ? build_xstrdup(r->opt.kdir) : default_kdir(r->config);
	}
	if (!build_file_exists(r->config)) {
		build_error("config %s: no such file (use --config)", r->config);
		return -1;
	}
	if (!build_dir_exists(r->kdir)) {
		build_error("kernel build directory %s: no such directory (use --kdir or "
			    "--config DIR)", r->kdir);
		return -1;
	}
	if (r->opt.sign_key) {
		r->signer = (struct module_signer){ .key = r->opt.sign_key, .cert = r->opt.sign_cert,
						    .kdir = r->kdir, .config = r->config };
		return module_signer_check(&r->signer);
	}
	return 0;
}

static char *default_description(const struct run *r)
{
	if (r->opt.to)
		return build_xasprintf("Debian linux %s -> %s%s%s for %s", r->kin.k.version,
				       r->opt.to, r->opt.patch ? " + " : "",
				       r->opt.patch ? r->opt.patch : "", r->kin.k.release);
	return build_xasprintf("update built from %s", r->opt.patch ? r->opt.patch : "a patch");
}

/* Compare, refuse, build modules, write the package; CREATE_RETRY with --skip-refused. */
static int finish_update(struct run *r)
{
	char *patch = build_xasprintf("%s/patch", r->work);
	char *description = r->opt.description ? build_xstrdup(r->opt.description)
			    : default_description(r);
	struct update_spec spec = {
		.id = r->id, .description = description, .patch_text = r->round_text,
		.patch_path = patch, .kdir = r->kdir, .arch = config_arch(r->config),
		.work = r->work, .out_dir = r->opt.output_dir ? r->opt.output_dir : ".",
		.built = &r->result, .keep_temp = r->opt.keep_temp,
		.skip_refused = r->opt.skip_refused, .left_out_symbols = &r->left_out_symbols,
		.signer = r->signer.key ? &r->signer : NULL,
	};
	int ret = create_update(&spec);

	if (!ret) {
		r->report.written = true;
		r->report.package = spec.package;
	} else {
		free(spec.package);
	}
	free(patch);
	free(description);
	return ret == CREATE_NO_CHANGES ? EXIT_NO_CHANGES : ret;
}

/* The work of the previous round that the next one redoes. */
static void clear_round(struct run *r)
{
	char *dirs[] = { "post", "debug", "modules" };
	size_t i;

	for (i = 0; i < 3; i++) {
		char *d = build_xasprintf("%s/%s", r->work, dirs[i]);

		build_rm_rf(d);
		free(d);
	}
}

/* Build, compare and package; with --skip-refused, again without what was refused. */
static int run_rounds(struct run *r)
{
	int ret;

	for (r->round = 0;; r->round++) {
		if (!change_set_count(&r->changes)) {
			fprintf(stderr, "No changes detected. (Nothing this config compiles can "
				"be in the update.)\n");
			return EXIT_NO_CHANGES;
		}
		if (r->round)
			clear_round(r);
		ret = load_round_patch(r);
		if (!ret)
			ret = build_pre_post(r);
		if (patch_restore(&r->state))
			ret = -1;
		if (ret || stopped())
			return ret;
		ret = finish_update(r);
		if (ret != CREATE_RETRY)
			return ret;
		if (!report_drop_refused(&r->report, &r->changes, &r->result, &r->left_out_symbols,
					 true)) {
			build_error("an object was refused but no changed file is to blame");
			return -1;
		}
		if (r->round + 1 == MAX_ROUNDS) {
			build_error("still refusing after %d rounds; giving up", MAX_ROUNDS);
			return -1;
		}
		build_stage("Round %d: %zu changed file%s left", r->round + 2,
			    change_set_count(&r->changes), plural(change_set_count(&r->changes)));
	}
}

/* The patch must apply before the long preparation. */
static int check_applies_early(struct run *r)
{
	char *save = build_xasprintf("%s/saved-check", r->work);
	char *patch = build_xasprintf("%s/patch", r->work);
	int ret = load_round_patch(r);

	if (!ret)
		ret = patch_save(&r->state, r->source, patch, &r->set, save);
	if (!ret)
		ret = patch_check_applies(&r->state);
	if (patch_restore(&r->state))
		ret = -1;
	patch_state_free(&r->state);
	memset(&r->state, 0, sizeof(r->state));
	build_rm_rf(save);
	free(save);
	free(patch);
	return ret;
}

/* The report, printed with --to, --skip-refused or --report (unless -q), and as JSON. */
static void print_report(struct run *r, int ret)
{
	if (r->opt.report_only)
		;	/* candidates stay candidates */
	else if (ret == -1)	/* a refusal failed the run: say which files it was about */
		report_drop_refused(&r->report, &r->changes, &r->result, &r->left_out_symbols, false);
	else
		report_finish(&r->report, &r->changes, r->result.nr_objects ? &r->result : NULL);
	if ((r->opt.to || r->opt.skip_refused || r->opt.report || r->opt.report_only) &&
	    build_verbosity >= 0)
		report_print(&r->report, stderr);
	if (r->opt.report)
		report_write_json(&r->report, r->opt.report);
}

static int gather_changes(struct run *r)
{
	if (r->kin.k.release)
		r->report.release = build_xstrdup(r->kin.k.release);
	if (r->opt.to) {
		r->report.from = build_xstrdup(r->kin.k.version);
		r->report.to = build_xstrdup(r->opt.to);
		return changes_from_trees(r);
	}
	return changes_from_patch(r);
}

/*
 * One run at a time may patch a source tree, whatever config it builds
 * for: the pre build of one must never see another's patch. The lock is
 * held until the process exits. Next to it, the saved originals and the
 * journal of a run that was killed with the tree patched: put back first.
 */
static int lock_source_tree(struct run *r)
{
	char *real = realpath(r->source, NULL), *root = tree_cache_root(), *path, *what, *journal;
	const char *name = real ? real : r->source;
	unsigned long long h = build_hash(name, strlen(name), BUILD_HASH_INIT);
	int fd, ret;

	path = build_xasprintf("%s/create/source-%016llx.lock", root, h);
	r->saved = build_xasprintf("%s/create/source-%016llx.saved", root, h);
	what = build_xasprintf("patching %s", r->source);
	build_mkdir_p_parent(path);
	fd = build_lock_file(path, what);
	journal = build_xasprintf("%s/journal", r->saved);
	ret = fd < 0 || patch_journal_recover(journal) ? -1 : 0;
	r->tree_locked = !ret;
	free(journal);
	free(real);
	free(root);
	free(path);
	free(what);
	return ret;
}

static int make_work_dir(struct run *r)
{
	const char *tmp = getenv("TMPDIR");
	char *templ = build_xasprintf("%s/ksplice-create-XXXXXX",
				      tmp && *tmp ? tmp : "/tmp");

	if (!mkdtemp(templ)) {
		build_error("cannot create a work directory: %s", strerror(errno));
		free(templ);
		return -1;
	}
	r->work = templ;
	return 0;
}

/* --kernel: fetch the kernel's source and headers; they stand for KERNEL_SOURCE and --config. */
static int fetch_kernel(struct run *r)
{
	if (kernel_input_fetch(&r->kin, r->opt.kernel, r->opt.to, r->opt.with_image))
		return -1;
	if (r->opt.fetch_only)
		kernel_input_print(&r->kin);
	if (!r->opt.source)
		r->source = r->kin.tree;
	return 0;
}

int main(int argc, char **argv)
{
	struct run r;
	int ret;

	memset(&r, 0, sizeof(r));
	r.tree.lock_fd = -1;
	if (parse_args(argc, argv, &r.opt))
		return EXIT_USAGE;
	build_catch_signals();
	r.source = r.opt.source;
	if (r.opt.kernel_set && fetch_kernel(&r)) {
		kernel_input_free(&r.kin);
		return 1;
	}
	if (r.opt.fetch_only) {
		kernel_input_free(&r.kin);
		return 0;
	}
	if (!build_dir_exists(r.source)) {
		build_error("kernel source %s: no such directory", r.source);
		kernel_input_free(&r.kin);
		return EXIT_USAGE;
	}
	if (choose_config_and_kdir(&r)) {
		free(r.config);
		free(r.kdir);
		kernel_input_free(&r.kin);
		return EXIT_USAGE;
	}
	r.id = r.opt.id ? build_xstrdup(r.opt.id) : random_id();
	ret = lock_source_tree(&r) || make_work_dir(&r) || gather_changes(&r) ? -1 : 0;
	if (!ret && change_set_count(&r.changes))
		ret = check_applies_early(&r);
	if (!ret && !stopped())
		ret = prepare_and_classify(&r);
	if (!ret && !stopped() && !r.opt.report_only)
		ret = run_rounds(&r);
	/* Whatever happened, the tree goes back as it was. */
	if (patch_restore(&r.state))
		ret = -1;
	if (stopped()) {
		build_error("interrupted%s", r.state.applied ? "" :
			    "; the source tree is as it was");
		ret = EXIT_INTERRUPTED;
	} else if (r.report.nr_files) {
		print_report(&r, ret);
	}
	cleanup(&r, ret == 0 || ret == EXIT_NO_CHANGES);
	if (ret < 0)
		return 1;
	return ret;
}
