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
#include "create/create-update.h"
#include "create/patch-apply.h"
#include "create/patch-parse.h"
#include "create/patch-source.h"
#include "create/tree-prepare.h"

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
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ksplice-create [--id ID] [--description TEXT] [--config FILE|DIR]\n"
		"                      [--kdir DIR] [--output-dir DIR] [-j N] [-v|-q] [--keep-temp]\n"
		"                      {--patch FILE | --diffext EXT | --git COMMIT}\n"
		"                      KERNEL_SOURCE\n"
		"\n"
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
	if (sources != 1) {
		build_error("give exactly one of --patch, --diffext and --git");
		return -1;
	}
	if (optind != argc - 1) {
		build_error(optind == argc ? "missing KERNEL_SOURCE" :
			    "too many arguments (one KERNEL_SOURCE expected)");
		return -1;
	}
	o->source = argv[optind];
	if (o->id && !ksplice_valid_id(o->id)) {
		build_error("--id \"%s\": use 1 to 32 characters of [a-z0-9]", o->id);
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

static int read_patch(const struct options *o, char **text)
{
	if (o->patch)
		return patch_from_file(o->patch, text);
	if (o->diffext)
		return patch_from_diffext(o->source, o->diffext, text);
	return patch_from_git(o->source, o->git, text);
}

/* Everything a run owns, so one cleanup path can undo it. */
struct run {
	struct options opt;
	char *id;
	char *work;
	char *config;
	char *kdir;
	char *patch_text;
	struct patch_set set;
	struct patch_state state;
	struct tree_prepared tree;
	struct build_result result;
};

static int load_patch(struct run *r)
{
	char *path = build_xasprintf("%s/patch", r->work), *err = NULL;
	size_t i;
	int ret = read_patch(&r->opt, &r->patch_text);

	if (!ret && build_write_file(path, r->patch_text, strlen(r->patch_text))) {
		build_error("cannot write %s", path);
		ret = -1;
	}
	if (!ret && patch_parse(r->patch_text, &r->set, &err)) {
		build_error("malformed patch: %s", err);
		free(err);
		ret = -1;
	}
	for (i = 0; !ret && i < r->set.nr_files; i++)
		build_info("patch %s %s", patch_change_name(r->set.files[i].change),
			   r->set.files[i].path);
	if (!ret)
		ret = patch_check_supported(&r->set);
	free(path);
	return ret;
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
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

/* The build stage: pre and post objects in r->result. */
static int build_pre_post(struct run *r)
{
	char *save = build_xasprintf("%s/saved", r->work);
	char *patch = build_xasprintf("%s/patch", r->work);
	int ret;

	/* A patch that does not apply fails before the long preparation. */
	ret = patch_save(&r->state, r->opt.source, patch, &r->set, save);
	if (!ret && !stopped())
		ret = patch_check_applies(&r->state);
	if (!ret && !stopped()) {
		build_stage("Preparing tree...");
		ret = tree_prepare(&r->tree, r->opt.source, r->config, r->opt.jobs);
	}
	if (!ret && !stopped())
		ret = build_find_affected(&r->result, &r->set, &r->tree, r->work);
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
	if (build_compile(&r->result, &r->tree, "pre") || stopped())
		return -1;
	build_stage("Applying patch...");
	if (patch_apply(&r->state) || stopped())
		return -1;
	build_stage("Building post...");
	ret = build_compile(&r->result, &r->tree, "post");
	/* The tree is needed as patched no longer: restore it right away. */
	if (patch_restore(&r->state))
		return -1;
	if (ret || stopped())
		return -1;
	return build_write_targets(&r->result);
}

static void cleanup(struct run *r, bool ok)
{
	if (r->work) {
		if (r->state.applied)
			build_error("work files kept in %s", r->work);
		else if (ok && !r->opt.keep_temp)
			build_rm_rf(r->work);
		else
			build_stage("Work files kept in %s", r->work);
	}
	build_result_free(&r->result);
	tree_release(&r->tree);
	patch_state_free(&r->state);
	patch_set_free(&r->set);
	free(r->patch_text);
	free(r->config);
	free(r->kdir);
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
	if (r->opt.config && build_dir_exists(r->opt.config)) {
		r->config = build_xasprintf("%s/.config", r->opt.config);
		r->kdir = build_xstrdup(r->opt.kdir ? r->opt.kdir : r->opt.config);
	} else {
		r->config = r->opt.config ? build_xstrdup(r->opt.config)
					  : default_config(r->opt.source);
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
	return 0;
}

static int finish_update(struct run *r)
{
	char *patch = build_xasprintf("%s/patch", r->work);
	char *description = r->opt.description ? build_xstrdup(r->opt.description)
			    : build_xasprintf("update built from %s",
					      r->opt.patch ? r->opt.patch : "a patch");
	struct update_spec spec = {
		.id = r->id, .description = description, .patch_text = r->patch_text,
		.patch_path = patch, .kdir = r->kdir, .arch = config_arch(r->config),
		.work = r->work, .out_dir = r->opt.output_dir ? r->opt.output_dir : ".",
		.built = &r->result, .keep_temp = r->opt.keep_temp,
	};
	int ret = create_update(&spec);

	free(patch);
	free(description);
	return ret == CREATE_NO_CHANGES ? EXIT_NO_CHANGES : ret;
}

/*
 * One run at a time may patch a source tree, whatever config it builds
 * for: the pre build of one must never see another's patch. The lock is
 * held until the process exits.
 */
static int lock_source_tree(const char *source)
{
	char *real = realpath(source, NULL), *root = tree_cache_root(), *path, *what;
	uint64_t h = build_hash(real ? real : source, strlen(real ? real : source), BUILD_HASH_INIT);
	int fd;

	path = build_xasprintf("%s/create/source-%016llx.lock", root, (unsigned long long)h);
	what = build_xasprintf("patching %s", source);
	build_mkdir_p_parent(path);
	fd = build_lock_file(path, what);
	free(real);
	free(root);
	free(path);
	free(what);
	return fd < 0 ? -1 : 0;
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

int main(int argc, char **argv)
{
	struct run r;
	int ret;

	memset(&r, 0, sizeof(r));
	r.tree.lock_fd = -1;
	if (parse_args(argc, argv, &r.opt))
		return EXIT_USAGE;
	build_catch_signals();
	if (!build_dir_exists(r.opt.source)) {
		build_error("kernel source %s: no such directory", r.opt.source);
		return EXIT_USAGE;
	}
	if (choose_config_and_kdir(&r)) {
		free(r.config);
		free(r.kdir);
		return EXIT_USAGE;
	}
	r.id = r.opt.id ? build_xstrdup(r.opt.id) : random_id();
	ret = lock_source_tree(r.opt.source) || make_work_dir(&r) || load_patch(&r) ? -1 : 0;
	if (!ret)
		ret = build_pre_post(&r);
	/* Whatever happened, the tree goes back as it was. */
	if (patch_restore(&r.state))
		ret = -1;
	if (!ret && !stopped()) {
		ret = finish_update(&r);
	}
	if (stopped()) {
		build_error("interrupted%s", r.state.applied ? "" :
			    "; the source tree is as it was");
		ret = EXIT_INTERRUPTED;
	}
	cleanup(&r, ret == 0 || ret == EXIT_NO_CHANGES);
	if (ret < 0)
		return 1;
	return ret;
}
