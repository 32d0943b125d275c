// SPDX-License-Identifier: GPL-2.0
/* The cached, prepared kbuild output tree. */
#include "create/tree-prepare.h"
#include "create/build-util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Bump when the layout or the preparation steps change. */
#define TREE_CACHE_FORMAT "ksplice-create prepared tree v1"

/* Debian's config names certificate files linux-source does not ship. */
static const char *const cert_options[] = {
	"CONFIG_SYSTEM_TRUSTED_KEYS",
	"CONFIG_SYSTEM_REVOCATION_KEYS",
	NULL,
};

/* Start of the line defining NAME ("NAME=..."), or NULL. */
static const char *find_assignment(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, name, n) && p[n] == '=')
			return p;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

char *tree_config_value(const char *text, const char *name)
{
	const char *line = find_assignment(text, name), *v, *end;

	if (!line)
		return NULL;
	v = line + strlen(name) + 1;
	end = strchrnul(v, '\n');
	if (*v == '"' && end > v + 1 && end[-1] == '"')
		return build_xstrndup(v + 1, end - v - 2);
	return build_xstrndup(v, end - v);
}

bool tree_config_enabled(const char *text, const char *name)
{
	char *v = tree_config_value(text, name);
	bool yes = v && !strcmp(v, "y");

	free(v);
	return yes;
}

/*
 * ARCH=x86 is what kbuild picks by itself on an x86-64 host, so trees
 * prepared before ARCH was passed stay valid; ARCH=i386 makes kbuild build
 * 32-bit code with the host compiler's -m32.
 */
const char *tree_config_arch(const char *text)
{
	if (find_assignment(text, "CONFIG_X86_64"))
		return "x86";
	if (find_assignment(text, "CONFIG_X86_32"))
		return "i386";
	return NULL;
}

char *tree_cc_from_version_text(const char *text)
{
	size_t n = strcspn(text, " \t");

	if (!n)
		return NULL;
	return build_xstrndup(text, n);
}

static bool is_cert_line(const char *line)
{
	size_t i;

	for (i = 0; cert_options[i]; i++) {
		size_t n = strlen(cert_options[i]);

		if (!strncmp(line, cert_options[i], n) && line[n] == '=')
			return true;
	}
	return false;
}

char *tree_config_clear_certs(const char *text)
{
	size_t cap = strlen(text) + 256, len = 0, i;
	char *out = build_xmalloc(cap);
	const char *p = text;

	while (*p) {
		const char *end = strchrnul(p, '\n');
		size_t n = end - p + (*end ? 1 : 0);

		if (!is_cert_line(p)) {
			memcpy(out + len, p, n);
			len += n;
		}
		p += n;
	}
	if (len && out[len - 1] != '\n')
		out[len++] = '\n';
	for (i = 0; cert_options[i]; i++)
		len += sprintf(out + len, "%s=\"\"\n", cert_options[i]);
	out[len] = '\0';
	return out;
}

static char *makefile_var(const char *makefile, const char *name)
{
	const char *p = makefile;
	size_t n = strlen(name);

	while (p && *p) {
		if (!strncmp(p, name, n)) {
			const char *v = p + n, *end;

			while (*v == ' ' || *v == '\t')
				v++;
			if (*v == '=') {
				v++;
				while (*v == ' ' || *v == '\t')
					v++;
				end = strchrnul(v, '\n');
				while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
					end--;
				return build_xstrndup(v, end - v);
			}
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

char *tree_makefile_version(const char *makefile)
{
	char *v = makefile_var(makefile, "VERSION");
	char *p = makefile_var(makefile, "PATCHLEVEL");
	char *s = makefile_var(makefile, "SUBLEVEL");
	char *e = makefile_var(makefile, "EXTRAVERSION");
	char *out = NULL;

	if (v && p && s && *v && *p)
		out = build_xasprintf("%s.%s.%s%s", v, p, *s ? s : "0", e ? e : "");
	free(v);
	free(p);
	free(s);
	free(e);
	return out;
}

static void config_lines(const char *text, struct build_strlist *l)
{
	const char *p = text;

	while (*p) {
		const char *end = strchrnul(p, '\n');

		if (!strncmp(p, "CONFIG_", 7) && !is_cert_line(p))
			build_strlist_add_owned(l, build_xstrndup(p, end - p));
		p = *end ? end + 1 : end;
	}
	build_strlist_sort_unique(l);
}

char *tree_config_diff(const char *old, const char *new)
{
	struct build_strlist a = { 0 }, b = { 0 };
	char *out = build_xstrdup("");
	size_t i;

	config_lines(old, &a);
	config_lines(new, &b);
	for (i = 0; i < a.n; i++) {
		if (!build_strlist_has(&b, a.v[i])) {
			char *o = build_xasprintf("%s-%s\n", out, a.v[i]);

			free(out);
			out = o;
		}
	}
	for (i = 0; i < b.n; i++) {
		if (!build_strlist_has(&a, b.v[i])) {
			char *o = build_xasprintf("%s+%s\n", out, b.v[i]);

			free(out);
			out = o;
		}
	}
	build_strlist_free(&a);
	build_strlist_free(&b);
	return out;
}

char **tree_make_argv(const struct tree_prepared *t, const char *const *extra)
{
	size_t n = 0, i;
	char **argv;

	while (extra && extra[n])
		n++;
	argv = build_xcalloc(n + 8, sizeof(*argv));
	argv[0] = build_xstrdup("make");
	argv[1] = build_xstrdup("-C");
	argv[2] = build_xstrdup(t->src);
	argv[3] = build_xasprintf("O=%s", t->obj);
	argv[4] = build_xasprintf("ARCH=%s", t->arch);
	argv[5] = build_xasprintf("CC=%s", t->cc);
	argv[6] = build_xasprintf("-j%d", t->jobs);
	for (i = 0; i < n; i++)
		argv[7 + i] = build_xstrdup(extra[i]);
	return argv;
}

void tree_free_argv(char **argv)
{
	size_t i;

	for (i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

char *tree_cache_root(void)
{
	const char *c = getenv("KSPLICE_CACHE"), *home = getenv("HOME");

	if (c && *c)
		return build_xstrdup(c);
	return build_xasprintf("%s/.cache/ksplice", home ? home : "/tmp");
}

/*
 * Variables from the caller's environment that would change what kbuild
 * does; and fixed build identity so nothing depends on when or where we run.
 */
static void sanitize_environment(void)
{
	static const char *const drop[] = {
		"KBUILD_OUTPUT", "KBUILD_EXTMOD", "ARCH", "CROSS_COMPILE", "LLVM",
		"KCFLAGS", "KCPPFLAGS", "KAFLAGS", "CFLAGS_MODULE", "CFLAGS_KERNEL",
		"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "GNUMAKEFLAGS", "KBUILD_VERBOSE",
		NULL,
	};
	size_t i;

	for (i = 0; drop[i]; i++)
		unsetenv(drop[i]);
	/* Only generated version headers use these; keep both builds equal. */
	setenv("KBUILD_BUILD_TIMESTAMP", "Thu Jan  1 00:00:00 UTC 1970", 1);
	setenv("KBUILD_BUILD_USER", "ksplice", 1);
	setenv("KBUILD_BUILD_HOST", "ksplice", 1);
	setenv("LC_ALL", "C", 1);
}

/* Pick the compiler the config was made with, or warn. */
static char *choose_cc(const char *config_text)
{
	char *text = tree_config_value(config_text, "CONFIG_CC_VERSION_TEXT");
	const char *env = getenv("KSPLICE_CC");
	char *cc, *out = NULL;
	char *argv[3];

	if (env && *env) {
		free(text);
		return build_xstrdup(env);
	}
	cc = text ? tree_cc_from_version_text(text) : NULL;
	if (!cc) {
		build_warn("the config has no CONFIG_CC_VERSION_TEXT; using gcc");
		free(text);
		return build_xstrdup("gcc");
	}
	argv[0] = cc;
	argv[1] = "--version";
	argv[2] = NULL;
	if (build_run(argv, &(struct build_run_opts){ .capture = &out,
						       .quiet_stderr = true })) {
		build_warn("the kernel was built with %s, which is not installed; "
			   "using gcc: the code may not match the running kernel", cc);
		free(cc);
		cc = build_xstrdup("gcc");
	} else if (strncmp(out, text, strlen(text))) {
		build_warn("the kernel was built with \"%s\" but %s is \"%.*s\": "
			   "the code may not match the running kernel", text, cc,
			   (int)strcspn(out, "\n"), out);
	}
	free(out);
	free(text);
	return cc;
}

static char *cache_key(const struct tree_prepared *t)
{
	uint64_t h = BUILD_HASH_INIT;

	h = build_hash(TREE_CACHE_FORMAT, sizeof(TREE_CACHE_FORMAT), h);
	h = build_hash(t->src, strlen(t->src) + 1, h);
	h = build_hash(t->version, strlen(t->version) + 1, h);
	h = build_hash(t->cc, strlen(t->cc) + 1, h);
	h = build_hash(t->config_text, strlen(t->config_text), h);
	return build_xasprintf("%s-%012llx", t->version,
			       (unsigned long long)(h & 0xffffffffffffULL));
}

static int lock_entry(struct tree_prepared *t)
{
	char *path = build_xasprintf("%s.lock", t->dir);
	char *what = build_xasprintf("using %s", t->dir);

	t->lock_fd = build_lock_file(path, what);
	free(path);
	free(what);
	return t->lock_fd < 0 ? -1 : 0;
}

static int run_logged(const struct tree_prepared *t, const char *const *extra,
		      const char *log, const char *what)
{
	char **argv = tree_make_argv(t, extra);
	int ret = build_run(argv, &(struct build_run_opts){ .log = log });

	tree_free_argv(argv);
	if (ret && !build_interrupted) {
		char *tail[] = { "tail", "-n", "25", (char *)log, NULL };

		build_run(tail, NULL);
		build_error("%s failed (full log: %s)", what, log);
	}
	return ret ? -1 : 0;
}

/* Warn about options olddefconfig changed: the source may not match. */
static void check_config_kept(const struct tree_prepared *t)
{
	char *path = build_xasprintf("%s/.config", t->obj), *now, *diff;

	if (build_read_file(path, &now, NULL)) {
		free(path);
		return;
	}
	diff = tree_config_diff(t->config_text, now);
	if (*diff)
		build_warn("the config does not apply exactly to %s (different "
			   "source version?); changed options:\n%s", t->src, diff);
	free(diff);
	free(now);
	free(path);
}

static int prepare_entry(struct tree_prepared *t)
{
	static const char *const olddefconfig[] = { "olddefconfig", NULL };
	static const char *const prepare[] = { "prepare", NULL };
	char *config = build_xasprintf("%s/.config", t->obj);
	char *log = build_xasprintf("%s/prepare.log", t->dir);
	char *cleared = tree_config_clear_certs(t->config_text);
	int ret;

	build_stage("Preparing tree (once for this source and config: %s)...",
		    t->dir);
	ret = build_rm_rf(t->dir) ? -1 : build_mkdir_p(t->obj);
	if (!ret && build_write_file(config, cleared, strlen(cleared))) {
		build_error("cannot write %s: %s", config, strerror(errno));
		ret = -1;
	}
	if (!ret)
		ret = run_logged(t, olddefconfig, log, "make olddefconfig");
	if (!ret)
		check_config_kept(t);
	if (!ret)
		ret = run_logged(t, prepare, log, "make prepare");
	if (!ret) {
		char *ready = build_xasprintf("%s/ready", t->dir);

		ret = build_write_file(ready, t->cc, strlen(t->cc));
		free(ready);
	}
	free(cleared);
	free(log);
	free(config);
	return ret;
}

static int read_source_identity(struct tree_prepared *t, const char *src)
{
	char real[PATH_MAX], *makefile, *text;

	if (!realpath(src, real) || !build_dir_exists(real)) {
		build_error("kernel source %s: not a directory", src);
		return -1;
	}
	t->src = build_xstrdup(real);
	makefile = build_xasprintf("%s/Makefile", real);
	if (build_read_file(makefile, &text, NULL)) {
		build_error("%s: not a kernel source tree (no Makefile)", src);
		free(makefile);
		return -1;
	}
	t->version = tree_makefile_version(text);
	free(text);
	free(makefile);
	if (!t->version) {
		build_error("%s: no kernel version in its Makefile", src);
		return -1;
	}
	return 0;
}

int tree_prepare(struct tree_prepared *t, const char *src, const char *config,
		 int jobs)
{
	char *root, *key, *ready;
	int ret;

	memset(t, 0, sizeof(*t));
	t->lock_fd = -1;
	t->jobs = jobs;
	sanitize_environment();
	if (read_source_identity(t, src))
		return -1;
	if (build_read_file(config, &t->config_text, NULL)) {
		build_error("cannot read config %s: %s", config, strerror(errno));
		return -1;
	}
	t->arch = tree_config_arch(t->config_text);
	if (!t->arch) {
		build_error("%s is not an x86 kernel config (x86-64 or i386)", config);
		return -1;
	}
	t->cc = choose_cc(t->config_text);
	root = tree_cache_root();
	key = cache_key(t);
	t->dir = build_xasprintf("%s/create/%s", root, key);
	t->obj = build_xasprintf("%s/obj", t->dir);
	free(key);
	ret = build_mkdir_p(root) || build_mkdir_p(t->dir) ? -1 : lock_entry(t);
	free(root);
	if (ret)
		return -1;
	ready = build_xasprintf("%s/ready", t->dir);
	ret = build_file_exists(ready) ? 0 : prepare_entry(t);
	free(ready);
	if (!ret)
		build_info("prepared tree: %s (CC=%s)", t->obj, t->cc);
	return ret;
}

void tree_release(struct tree_prepared *t)
{
	if (t->lock_fd >= 0)
		close(t->lock_fd);
	free(t->src);
	free(t->version);
	free(t->cc);
	free(t->dir);
	free(t->obj);
	free(t->config_text);
	memset(t, 0, sizeof(*t));
	t->lock_fd = -1;
}
