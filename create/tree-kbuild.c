// SPDX-License-Identifier: GPL-2.0
/* Evaluate kbuild Makefiles with make to list the objects a config builds. */
#include "create/tree-kbuild.h"
#include "create/tree-prepare.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The walker. Run in the prepared tree as
 *   make -f walk.mk obj=. need-builtin=1 srctree=SRC WALK_MK=... WALK_OUT=...
 * It writes one record per directory to WALK_OUT/dir-<obj with / as +>.
 * Its first part copies what scripts/Makefile.build does before building.
 */
static const char walker_mk[] =
	"MAKEFLAGS += -rR --no-print-directory\n"
	"src := $(obj)\n"
	"obj-y :=\n"
	"obj-m :=\n"
	"lib-y :=\n"
	"lib-m :=\n"
	"always-y :=\n"
	"always-m :=\n"
	"targets :=\n"
	"subdir-y :=\n"
	"subdir-m :=\n"
	"ccflags-y :=\n"
	"asflags-y :=\n"
	"ldflags-y :=\n"
	"subdir-ccflags-y :=\n"
	"subdir-asflags-y :=\n"
	"PHONY := __walk\n"
	"__walk:\n"
	"include include/config/auto.conf\n"
	"include $(srctree)/scripts/Kbuild.include\n"
	"include $(srctree)/scripts/Makefile.compiler\n"
	/* The root Kbuild uses the arch Makefile's directory lists. */
	"ifeq ($(obj),.)\n"
	"core-y :=\n"
	"drivers-y :=\n"
	"libs-y := lib/\n"
	"include $(srctree)/arch/$(SRCARCH)/Makefile\n"
	"export ARCH_CORE := $(core-y)\n"
	"export ARCH_LIB := $(filter %/, $(libs-y))\n"
	"export ARCH_DRIVERS := $(drivers-y) $(drivers-m)\n"
	"walk-arch-lib := $(ARCH_LIB)\n"
	"endif\n"
	"kbuild-dir := $(if $(filter /%,$(src)),$(src),$(srctree)/$(src))\n"
	"include $(or $(wildcard $(kbuild-dir)/Kbuild),$(kbuild-dir)/Makefile)\n"
	"include $(srctree)/scripts/Makefile.lib\n"
	"subdir-builtin := $(sort $(filter %/built-in.a, $(real-obj-y)))\n"
	"define walk-nl\n"
	"\n"
	"\n"
	"endef\n"
	"walk-parts = $(call suffix-search, $(patsubst $(obj)/%,%,$(1)), .o, -objs -y -m)\n"
	"__walk: $(subdir-ym)\n"
	"\t$(file >$(WALK_OUT)/dir-$(subst /,+,$(obj)),D $(obj)$(walk-nl)"
	"B $(need-builtin)$(walk-nl)"
	"A $(walk-arch-lib)$(walk-nl)"
	"Y $(filter %.o,$(real-obj-y))$(walk-nl)"
	"M $(filter %.o,$(real-obj-m))$(walk-nl)"
	"L $(filter %.o,$(lib-y))$(walk-nl)"
	"S $(subdir-ym)$(walk-nl)"
	"$(foreach m,$(multi-obj-m),C $(m) $(call walk-parts,$(m))$(walk-nl)))\n"
	"\t@:\n"
	"$(subdir-ym):\n"
	"\t+$(MAKE) -f $(WALK_MK) obj=$@ "
	"need-builtin=$(if $(filter $@/built-in.a, $(subdir-builtin)),1)\n"
	".PHONY: $(PHONY) $(subdir-ym)\n";

char *tree_module_name(const char *ko)
{
	const char *base = strrchr(ko, '/');
	char *name, *p;

	name = build_xstrdup(base ? base + 1 : ko);
	p = strrchr(name, '.');
	if (p)
		*p = '\0';
	for (p = name; *p; p++)
		if (*p == '-' || *p == ',')
			*p = '_';
	return name;
}

static struct tree_object *add_object(struct tree_kbuild *kb, const char *goal)
{
	struct tree_object *o;
	char *path = build_path_normalize(goal);

	if (!path)
		return NULL;
	if (kb->nr_objs == kb->cap) {
		kb->cap = kb->cap ? 2 * kb->cap : 256;
		kb->objs = build_xrealloc(kb->objs, kb->cap * sizeof(*kb->objs));
	}
	o = &kb->objs[kb->nr_objs++];
	memset(o, 0, sizeof(*o));
	o->goal = build_xstrdup(goal);
	o->path = path;
	return o;
}

/* Split "X a b c" after the tag into words. */
static void split_words(const char *line, struct build_strlist *out)
{
	const char *p = line + 1;

	for (;;) {
		size_t n;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (!n)
			break;
		build_strlist_add_owned(out, build_xstrndup(p, n));
		p += n;
	}
}

struct record {
	char *dir;
	bool builtin;
	struct build_strlist y, m, l, arch_lib, composites;
	/* composites: "comp.o part.o part.o ..." lines, parts relative */
};

static void record_free(struct record *r)
{
	free(r->dir);
	build_strlist_free(&r->y);
	build_strlist_free(&r->m);
	build_strlist_free(&r->l);
	build_strlist_free(&r->arch_lib);
	build_strlist_free(&r->composites);
}

static int parse_record(const char *text, struct record *r)
{
	const char *p = text;

	memset(r, 0, sizeof(*r));
	while (*p) {
		const char *end = strchrnul(p, '\n');
		/*
		 * make's foreach joins the composite lines with a space: every
		 * "C" line after the first starts with one.
		 */
		char *line = build_xstrndup(p + strspn(p, " \t"), end - p - strspn(p, " \t"));

		switch (line[0]) {
		case 'D':
			free(r->dir);
			r->dir = build_xstrdup(line[1] ? line + 2 : "");
			break;
		case 'B':
			r->builtin = line[1] && strspn(line + 1, " ") < strlen(line + 1);
			break;
		case 'A':
			split_words(line, &r->arch_lib);
			break;
		case 'Y':
			split_words(line, &r->y);
			break;
		case 'M':
			split_words(line, &r->m);
			break;
		case 'L':
			split_words(line, &r->l);
			break;
		case 'C':
			build_strlist_add(&r->composites, line + 1);
			break;
		}
		free(line);
		p = *end ? end + 1 : end;
	}
	if (!r->dir || !*r->dir) {
		record_free(r);
		return -1;
	}
	return 0;
}

/* "dir/x.o" -> "dir/x.ko", normalised. */
static char *ko_of(const char *obj)
{
	char *ko = build_xasprintf("%.*s.ko", (int)strlen(obj) - 2, obj), *norm;

	norm = build_path_normalize(ko);
	if (!norm)
		return ko;
	free(ko);
	return norm;
}

/* The modules a module object goes into: composites listing it, or itself. */
static void find_modules(const struct record *r, const char *goal,
			 struct build_strlist *mods)
{
	size_t prefix = strcmp(r->dir, ".") ? strlen(r->dir) + 1 : 0;
	const char *rel = goal + prefix;
	size_t i, j;

	for (i = 0; i < r->composites.n; i++) {
		struct build_strlist w = { 0 };
		char *line = build_xasprintf("C%s", r->composites.v[i]);

		split_words(line, &w);
		for (j = 1; j < w.n; j++) {
			if (!strcmp(w.v[j], rel)) {
				build_strlist_add_owned(mods, ko_of(w.v[0]));
				break;
			}
		}
		build_strlist_free(&w);
		free(line);
	}
	if (!mods->n)
		build_strlist_add_owned(mods, ko_of(goal));
}

int tree_kbuild_add_record(struct tree_kbuild *kb, const char *text)
{
	struct record r;
	size_t i;

	if (parse_record(text, &r))
		return -1;
	build_strlist_add(&kb->dirs, r.dir);
	for (i = 0; i < r.arch_lib.n; i++) {
		char *d = build_xstrndup(r.arch_lib.v[i], strlen(r.arch_lib.v[i]) -
					 (build_has_suffix(r.arch_lib.v[i], "/") ? 1 : 0));

		build_strlist_add_owned(&kb->lib_dirs, d);
	}
	/* Built-in objects are only built when the directory's built-in.a is. */
	for (i = 0; r.builtin && i < r.y.n; i++) {
		struct tree_object *o = add_object(kb, r.y.v[i]);

		if (o)
			o->builtin = true;
	}
	for (i = 0; i < r.m.n; i++) {
		struct tree_object *o = add_object(kb, r.m.v[i]);

		if (o)
			find_modules(&r, r.m.v[i], &o->modules);
	}
	for (i = 0; i < r.l.n; i++) {
		struct tree_object *o = add_object(kb, r.l.v[i]);

		if (o) {
			o->lib = true;
			/* Decided in finish, once lib_dirs is known: dir is kept here. */
			build_strlist_add(&o->modules, r.dir);
		}
	}
	record_free(&r);
	return 0;
}

static int cmp_obj(const void *a, const void *b)
{
	const struct tree_object *x = a, *y = b;

	return strcmp(x->path, y->path);
}

static void free_object(struct tree_object *o)
{
	free(o->goal);
	free(o->path);
	build_strlist_free(&o->modules);
}

/* Merge duplicates: the same object built-in and modular, or listed twice. */
static void merge_into(struct tree_object *dst, struct tree_object *src)
{
	size_t i;

	dst->builtin |= src->builtin;
	for (i = 0; i < src->modules.n; i++)
		build_strlist_add(&dst->modules, src->modules.v[i]);
	free_object(src);
}

void tree_kbuild_finish(struct tree_kbuild *kb)
{
	size_t i, out = 0;

	build_strlist_sort_unique(&kb->dirs);
	build_strlist_sort_unique(&kb->lib_dirs);
	for (i = 0; i < kb->nr_objs; i++) {
		struct tree_object *o = &kb->objs[i];

		if (!o->lib)
			continue;
		/* modules holds the listing directory for lib-y objects. */
		o->builtin = build_strlist_has(&kb->lib_dirs, o->modules.v[0]);
		build_strlist_free(&o->modules);
	}
	qsort(kb->objs, kb->nr_objs, sizeof(*kb->objs), cmp_obj);
	for (i = 0; i < kb->nr_objs; i++) {
		if (out && !strcmp(kb->objs[out - 1].path, kb->objs[i].path))
			merge_into(&kb->objs[out - 1], &kb->objs[i]);
		else
			kb->objs[out++] = kb->objs[i];
	}
	kb->nr_objs = out;
	for (i = 0; i < kb->nr_objs; i++)
		build_strlist_sort_unique(&kb->objs[i].modules);
}

const struct tree_object *tree_kbuild_find(const struct tree_kbuild *kb,
					   const char *source)
{
	struct tree_object key = { 0 };
	const struct tree_object *o;
	size_t n = strlen(source);

	if (n < 3 || strcmp(source + n - 2, ".c"))
		return NULL;
	key.path = build_xstrdup(source);
	key.path[n - 1] = 'o';
	o = bsearch(&key, kb->objs, kb->nr_objs, sizeof(*kb->objs), cmp_obj);
	free(key.path);
	if (o && !o->builtin && !o->modules.n)
		return NULL;	/* listed, but not part of vmlinux or a module */
	return o;
}

void tree_kbuild_free(struct tree_kbuild *kb)
{
	size_t i;

	for (i = 0; i < kb->nr_objs; i++)
		free_object(&kb->objs[i]);
	free(kb->objs);
	build_strlist_free(&kb->dirs);
	build_strlist_free(&kb->lib_dirs);
	memset(kb, 0, sizeof(*kb));
}

static int read_records(struct tree_kbuild *kb, const char *out_dir)
{
	DIR *d = opendir(out_dir);
	struct dirent *e;
	int ret = 0;

	if (!d)
		return -1;
	while (!ret && (e = readdir(d))) {
		char *path, *text;

		if (strncmp(e->d_name, "dir-", 4))
			continue;
		path = build_xasprintf("%s/%s", out_dir, e->d_name);
		if (build_read_file(path, &text, NULL)) {
			ret = -1;
		} else {
			if (tree_kbuild_add_record(kb, text))
				build_warn("bad kbuild walk record %s", path);
			free(text);
		}
		free(path);
	}
	closedir(d);
	tree_kbuild_finish(kb);
	return ret;
}

/*
 * What the walk read: the walker itself, the kbuild scripts and top-level
 * Makefiles, and Makefile and Kbuild of every directory it visited (the
 * config is the prepared tree's, part of its cache key). Hashed by content.
 */
static uint64_t hash_file_into(uint64_t h, char *path)
{
	uint64_t fh;

	if (build_hash_file(path, &fh))
		fh = 0;		/* absent */
	h = build_hash(&fh, sizeof(fh), build_hash(path, strlen(path), h));
	free(path);
	return h;
}

static uint64_t walk_fingerprint(const struct tree_kbuild *kb, const char *src)
{
	static const char *const fixed[] = {
		"Makefile", "arch/x86/Makefile", "arch/x86/Makefile_32.cpu",
		"scripts/Kbuild.include", "scripts/Makefile.build", "scripts/Makefile.lib",
		"scripts/Makefile.compiler", "scripts/Makefile.extrawarn",
		/* not read by the walk, but flags of every object (build-replay.c) */
		"scripts/Makefile.gcc-plugins", "scripts/Makefile.kasan", "scripts/Makefile.kcov",
		"scripts/Makefile.kcsan", "scripts/Makefile.kmsan", "scripts/Makefile.randstruct",
		"scripts/Makefile.ubsan", "scripts/Makefile.debug",
	};
	uint64_t h = build_hash(walker_mk, strlen(walker_mk), BUILD_HASH_INIT);
	size_t i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		h = hash_file_into(h, build_xasprintf("%s/%s", src, fixed[i]));
	for (i = 0; i < kb->dirs.n; i++) {
		h = hash_file_into(h, build_xasprintf("%s/%s/Makefile", src, kb->dirs.v[i]));
		h = hash_file_into(h, build_xasprintf("%s/%s/Kbuild", src, kb->dirs.v[i]));
	}
	return h;
}

/* The walk cached in the prepared tree, if what it read is unchanged. */
static int load_cached_walk(struct tree_kbuild *kb, const struct tree_prepared *t,
			    const char *cache)
{
	char *stamp = build_xasprintf("%s/fingerprint", cache), *recs, *text = NULL;
	int ret = -1;

	recs = build_xasprintf("%s/records", cache);
	memset(kb, 0, sizeof(*kb));
	if (!build_read_file(stamp, &text, NULL) && !read_records(kb, recs) && kb->nr_objs &&
	    strtoull(text, NULL, 16) == walk_fingerprint(kb, t->src))
		ret = 0;
	else
		tree_kbuild_free(kb);
	free(text);
	free(stamp);
	free(recs);
	return ret;
}

/* The walk in DIR is complete: a later run may take it (load_cached_walk). */
static void stamp_walk(const struct tree_kbuild *kb, const struct tree_prepared *t,
		       const char *dir)
{
	char *stamp = build_xasprintf("%s/fingerprint", dir);
	char *text = build_xasprintf("%016llx\n",
				     (unsigned long long)walk_fingerprint(kb, t->src));

	build_write_file(stamp, text, strlen(text));
	free(stamp);
	free(text);
}

/*
 * Run the walker with its files in DIR (emptied first, so a walk cut short
 * leaves no fingerprint); stamp it when CACHE (DIR is the cache entry's).
 */
static int run_walk(struct tree_kbuild *kb, const struct tree_prepared *t,
		    const char *dir, bool cache)
{
	char *mk = build_xasprintf("%s/walk.mk", dir);
	char *log = build_xasprintf("%s/walk.log", dir);
	char *out = build_xasprintf("%s/records", dir);
	char *a_mk = build_xasprintf("WALK_MK=%s", mk);
	char *a_out = build_xasprintf("WALK_OUT=%s", out);
	char *a_src = build_xasprintf("srctree=%s", t->src);
	char *a_cc = build_xasprintf("CC=%s", t->cc);
	char *a_j = build_xasprintf("-j%d", t->jobs);
	char *argv[] = { "make", "-f", mk, a_j, "obj=.", "need-builtin=1",
			 "objtree=.", "SRCARCH=x86", a_src, a_cc, a_mk, a_out, NULL };
	int ret;

	memset(kb, 0, sizeof(*kb));
	ret = build_rm_rf(dir) || build_mkdir_p(out) ? -1 : 0;
	if (!ret && build_write_file(mk, walker_mk, strlen(walker_mk)))
		ret = -1;
	if (!ret && build_run(argv, &(struct build_run_opts){ .dir = t->obj,
							    .log = log })) {
		if (!build_interrupted)
			build_error("evaluating the kbuild Makefiles failed "
				    "(log: %s)", log);
		ret = -1;
	}
	if (!ret)
		ret = read_records(kb, out);
	if (!ret && (!kb->nr_objs || !build_strlist_has(&kb->dirs, "kernel"))) {
		build_error("evaluating the kbuild Makefiles found no objects "
			    "(log: %s)", log);
		ret = -1;
	}
	if (!ret) {
		build_info("kbuild: %zu directories, %zu objects", kb->dirs.n,
			   kb->nr_objs);
		if (cache)
			stamp_walk(kb, t, dir);
	}
	free(mk);
	free(log);
	free(out);
	free(a_mk);
	free(a_out);
	free(a_src);
	free(a_cc);
	free(a_j);
	return ret;
}

char *tree_kbuild_walk_stamp(const struct tree_prepared *t)
{
	return t->dir ? build_xasprintf("%s/kbuild-walk/fingerprint", t->dir) : NULL;
}

int tree_kbuild_walk(struct tree_kbuild *kb, const struct tree_prepared *t,
		     const char *work_dir)
{
	/* No cache entry (a tree described by hand, as in the unit tests): no cache. */
	char *dir = t->dir ? build_xasprintf("%s/kbuild-walk", t->dir) :
		    build_xasprintf("%s/kbuild-walk", work_dir);
	int ret = 0;

	if (t->dir && !load_cached_walk(kb, t, dir))
		build_info("kbuild: %zu directories, %zu objects (walk cached in %s)",
			   kb->dirs.n, kb->nr_objs, dir);
	else
		ret = run_walk(kb, t, dir, t->dir != NULL);
	free(dir);
	return ret;
}
