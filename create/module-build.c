// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "create/module-build.h"
#include "create/module-elf-writer.h"
#include "create/module-helper.h"
#include "create/module-kbuild.h"
#include "create/module-select.h"
#include "create/module-stub.h"
#include "create/module-witness.h"
#include "create/patch-hooks.h"
#include "create/symbol-correlate.h"

char *module_primary_name(const char *id, const char *target)
{
	return xasprintf("ksplice-%s-%s", id, target);
}

static void free_inputs(struct module_input *ins, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (ins[i].pre_idx)
			object_index_free(ins[i].pre_idx);
		if (ins[i].post_idx)
			object_index_free(ins[i].post_idx);
		free(ins[i].taken);
	}
	free(ins);
}

static int check_supported(const struct module_object *o, struct ks_error *err)
{
	if (o->diff->nr_unsupported)
		return ks_fail(err, "%s", o->diff->unsupported[0].message);
	if (o->pre->machine != o->post->machine ||
	    o->pre->elf_class != o->post->elf_class)
		return ks_fail(err, "%s and %s are built for different machines",
			       o->pre->path, o->post->path);
	return 0;
}

static struct module_input *index_inputs(const struct module_object *objs,
					 size_t n, struct ks_error *err)
{
	struct module_input *ins = xcalloc(n, sizeof(*ins));
	size_t i;

	for (i = 0; i < n; i++) {
		struct module_input *in = &ins[i];

		in->pre = objs[i].pre;
		in->post = objs[i].post;
		in->diff = objs[i].diff;
		in->scope = (uint32_t)i + 1;
		if (check_supported(&objs[i], err) ||
		    !(in->pre_idx = object_index_build(in->pre, err)) ||
		    !(in->post_idx = object_index_build(in->post, err))) {
			free_inputs(ins, n);
			return NULL;
		}
		correlate_objects(in->pre_idx, in->post_idx);
		in->taken = xcalloc(in->post_idx->nr_entries + 1, sizeof(bool));
	}
	return ins;
}

/* Where post function @name starts in the primary. */
static struct image_place new_code_of(const struct primary_ctx *ctx,
				      const struct module_input *in,
				      const char *name)
{
	const struct elf_symbol *sym = elf_object_find_symbol(in->post, name);
	const struct unit *u = module_input_unit(in->post_idx, name);
	const struct copy_piece *p = u ? copy_find_unit(&ctx->cs, u) : NULL;
	struct image_place at = { -1, 0 };

	if (p && sym) {
		at.sec = p->sec;
		at.offset = sym->value - p->start;
	}
	return at;
}

static int add_patches(struct primary_ctx *ctx, const struct copy_set *helper,
		       const struct module_input *in)
{
	const struct diff_result *d = in->diff;
	size_t i;

	for (i = 0; i < d->nr_functions; i++) {
		const struct diff_item *it = &d->functions[i];
		struct image_record_patch p = { 0 };
		long hs;

		if (it->change == DIFF_NEW)
			continue;
		/*
		 * A function the patch deleted keeps its old copy, matched by the
		 * helper and reached only by replaced callers (deleted-function.c).
		 */
		if (it->change == DIFF_DELETED)
			continue;
		hs = helper_section_of(helper, in, it->pre_name);
		p.old_name = it->pre_name;
		p.helper_section = hs < 0 ? 0 : (uint64_t)hs;
		p.kind = KSPLICE_PATCH_JUMP;
		p.new_code.sec = -1;
		p.new_code = new_code_of(ctx, in, it->post_name);
		if (hs < 0 || (p.kind == KSPLICE_PATCH_JUMP && p.new_code.sec < 0))
			return ks_fail(ctx->err, "%s: lost track of %s while building the modules",
				       in->post->path, it->name);
		image_add_record_patch(ctx->cs.img, &p);
	}
	return 0;
}

/* One KSPLICE_PATCH_DATA record per variable rewritten in place. */
static int add_data_patches(struct primary_ctx *ctx, const struct copy_set *helper,
			    const struct module_input *in)
{
	const struct diff_result *d = in->diff;
	size_t i;

	for (i = 0; i < d->nr_data; i++) {
		const struct diff_item *it = &d->data[i];
		const struct unit *u = module_input_unit(in->post_idx, it->post_name);
		const struct copy_piece *p = u ? copy_find_unit(&ctx->cs, u) : NULL;
		struct image_record_patch rec = { 0 };
		long hs;

		if (!it->in_place)
			continue;
		/*
		 * A function the patch deleted keeps its old copy, matched by the
		 * helper and reached only by replaced callers (deleted-function.c).
		 */
		if (it->change == DIFF_DELETED)
			continue;
		hs = helper_section_of(helper, in, it->pre_name);
		if (hs < 0 || !p || !p->in_place)
			return ks_fail(ctx->err, "%s: lost track of %s while building the modules",
				       in->post->path, it->name);
		rec.old_name = it->pre_name;
		rec.helper_section = (uint64_t)hs;
		rec.kind = KSPLICE_PATCH_DATA;
		rec.new_code.sec = p->sec;
		rec.new_code.offset = 0;
		image_add_record_patch(ctx->cs.img, &rec);
	}
	return 0;
}

/* The primary's code, for the core's checks (e.g. is it busy on undo). */
static void add_primary_sections(struct primary_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->cs.n; i++) {
		const struct copy_piece *p = &ctx->cs.v[i];
		struct image_record_section s = { 0 };

		/* An empty piece (an empty alternative replacement) holds no code. */
		if (!(p->src->flags & SHF_EXECINSTR) || p->end == p->start)
			continue;
		s.start.sec = p->sec;
		s.size = p->end - p->start;
		s.symbol = (char *)(p->unit ? p->unit->name : p->src->name);
		s.flags = copy_record_flags(p);
		image_add_record_section(ctx->cs.img, &s);
	}
}

/* Copy @in's hook functions (seed; before the copy is closed). */
static int seed_hooks(struct primary_ctx *ctx, const struct module_input *in)
{
	struct patch_hook *hooks;
	long n = patch_hooks_find(in->post_idx, &hooks, ctx->err), i;

	if (n < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (!copy_find_unit(&ctx->cs, hooks[i].fn))
			copy_add_unit(&ctx->cs, in->post_idx, hooks[i].fn);
	free(hooks);
	return 0;
}

/* One ksplice_hook record per hook of @in (module-stub.c prints them). */
static int add_hooks(struct primary_ctx *ctx, const struct module_input *in)
{
	struct patch_hook *hooks;
	long n = patch_hooks_find(in->post_idx, &hooks, ctx->err), i;
	int ret = 0;

	if (n < 0)
		return -1;
	for (i = 0; i < n && !ret; i++) {
		const struct copy_piece *p = copy_find_unit(&ctx->cs, hooks[i].fn);
		struct image_record_hook h = { { -1, 0 }, hooks[i].kind };

		if (!p) {
			ret = ks_fail(ctx->err, "%s: lost track of hook %s while building the modules",
				      in->post->path, hooks[i].fn->name);
			break;
		}
		h.fn.sec = p->sec;
		h.fn.offset = hooks[i].fn->start + hooks[i].offset - p->start;
		image_add_record_hook(ctx->cs.img, &h);
	}
	free(hooks);
	return ret;
}

static int build_primary(struct primary_ctx *ctx, const struct copy_set *helper,
			 struct module_input *ins, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (seed_hooks(ctx, &ins[i]))
			return -1;
	if (primary_select(ctx, ins, n))
		return -1;
	add_primary_sections(ctx);
	for (i = 0; i < n; i++)
		if (add_patches(ctx, helper, &ins[i]) || add_data_patches(ctx, helper, &ins[i]) ||
		    add_hooks(ctx, &ins[i]))
			return -1;
	return 0;
}

int module_build_images(const char *symvers_path,
			const struct module_object *objs, size_t nr_objs,
			struct module_image *primary,
			struct module_image *helper, struct ks_error *err)
{
	return module_build_images_mapped(symvers_path, NULL, objs, nr_objs, primary, helper,
					  err);
}

int module_build_images_mapped(const char *symvers_path, const char *system_map,
			       const struct module_object *objs, size_t nr_objs,
			       struct module_image *primary,
			       struct module_image *helper, struct ks_error *err)
{
	struct symvers sv = { 0 };
	struct primary_ctx ctx = { 0 };
	struct copy_set hcs;
	struct module_input *ins;
	uint16_t machine = nr_objs ? objs[0].post->machine : EM_X86_64;
	int elf_class = nr_objs ? objs[0].post->elf_class : ELFCLASS64;
	int ret;

	module_image_init(primary, KSPLICE_PRIMARY, machine, elf_class);
	module_image_init(helper, KSPLICE_HELPER, machine, elf_class);
	if (symvers_path && symvers_load(&sv, symvers_path, err))
		return -1;
	ins = index_inputs(objs, nr_objs, err);
	if (!ins) {
		symvers_free(&sv);
		return -1;
	}
	copy_set_init(&hcs, helper, true);
	copy_set_init(&ctx.cs, primary, false);
	ctx.sv = &sv;
	ctx.err = err;
	ret = helper_select(&hcs, ins, nr_objs, err) ?:
	      build_primary(&ctx, &hcs, ins, nr_objs) ?:
	      helper_add_witnesses(&hcs, ins, nr_objs, primary, system_map, err);
	if (!ret)
		helper_finish(&hcs, ins, nr_objs);
	copy_set_free(&hcs);
	copy_set_free(&ctx.cs);
	free_inputs(ins, nr_objs);
	symvers_free(&sv);
	return ret;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	return remove(path);
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int copy_file(const char *from, const char *to, struct ks_error *err)
{
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	char buf[65536];
	size_t n;
	int ret = 0;

	if (!in || !out)
		ret = ks_fail(err, "cannot copy %s to %s: %s", from, to,
			      strerror(errno));
	while (!ret && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			ret = ks_fail(err, "writing %s failed", to);
	if (in)
		fclose(in);
	if (out && fclose(out) && !ret)
		ret = ks_fail(err, "writing %s failed", to);
	return ret;
}

/* One module being built: files in DIR, kbuild running as PID. */
struct module_job {
	char *dir, *log, *built;
	pid_t pid;
};

/* Write module NAME's files and start kbuild on them. */
static int start_module(const struct module_build_opts *o, const struct module_image *img,
			const char *name, struct module_job *job, struct ks_error *err)
{
	char *code, *stub;
	int ret;

	job->dir = xasprintf("%s/%s.build", o->out_dir, name);
	job->log = xasprintf("%s/kbuild.log", job->dir);
	job->built = xasprintf("%s/%s.ko", job->dir, name);
	job->pid = -1;
	code = xasprintf("%s/%s.o_shipped", job->dir, KBUILD_CODE);
	stub = xasprintf("%s/%s.c", job->dir, KBUILD_STUB);
	remove_tree(job->dir);
	if (mkdir(job->dir, 0755))
		ret = ks_fail(err, "cannot create %s: %s", job->dir, strerror(errno));
	else
		ret = image_write_elf(img, code, err) ?:
		      stub_write(img, o->id, o->target, stub, err) ?:
		      stub_write_headers(job->dir, err) ?:
		      kbuild_write_makefile(job->dir, name, err);
	if (!ret)
		job->pid = kbuild_start(o->kdir, o->arch, job->dir, job->log);
	free(code);
	free(stub);
	return ret;
}

/*
 * Wait for the job's kbuild if it started (also after an earlier failure
 * @ret, whose message stays) and copy the module to @ko.
 */
static int finish_module(const struct module_build_opts *o, struct module_job *job,
			 int ret, const char *ko, struct ks_error *err)
{
	struct ks_error later = { "" };

	if ((job->pid > 0 || !ret) &&
	    kbuild_finish(job->pid, o->kdir, job->dir, job->log, ret ? &later : err))
		ret = -1;
	if (!ret)
		ret = copy_file(job->built, ko, err);
	if (!ret && !o->keep_build_dirs)
		remove_tree(job->dir);
	free(job->dir);
	free(job->log);
	free(job->built);
	return ret;
}

/* The helper and the primary, each kbuilt into o->out_dir, both at once. */
static int build_modules(const struct module_build_opts *o, const struct module_image *helper,
			 const char *helper_name, const struct module_image *primary,
			 const char *primary_name, struct module_build_result *res,
			 struct ks_error *err)
{
	struct module_job jobs[2] = { { 0 } };
	int ret;

	res->helper_ko = xasprintf("%s/%s.ko", o->out_dir, helper_name);
	res->primary_ko = xasprintf("%s/%s.ko", o->out_dir, primary_name);
	ret = start_module(o, helper, helper_name, &jobs[0], err);
	if (!ret)
		ret = start_module(o, primary, primary_name, &jobs[1], err);
	ret = finish_module(o, &jobs[0], ret, res->helper_ko, err);
	return finish_module(o, &jobs[1], ret, res->primary_ko, err);
}

static void take_notes(struct module_build_result *res,
		       const struct module_image *img)
{
	size_t i;

	for (i = 0; i < img->nr_notes; i++) {
		res->notes = xrealloc(res->notes,
				      (res->nr_notes + 1) * sizeof(char *));
		res->notes[res->nr_notes++] = xstrdup(img->notes[i]);
	}
}

int module_build_target(const struct module_build_opts *o,
			const struct module_object *objs, size_t nr_objs,
			struct module_build_result *res, struct ks_error *err)
{
	char *symvers = xasprintf("%s/Module.symvers", o->kdir);
	char *map = xasprintf("%s/System.map", o->kdir);
	char *primary_name = module_primary_name(o->id, o->target);
	char *helper_name = xasprintf("%s-helper", primary_name);
	struct module_image primary, helper;
	int ret;

	memset(res, 0, sizeof(*res));
	ret = module_build_images_mapped(symvers,
					 !strcmp(o->target, "vmlinux") && !access(map, R_OK) ? map : NULL,
					 objs, nr_objs, &primary, &helper, err);
	if (!ret) {
		take_notes(res, &primary);
		ret = build_modules(o, &helper, helper_name, &primary, primary_name, res, err);
	}
	module_image_free(&primary);
	module_image_free(&helper);
	free(symvers);
	free(map);
	free(primary_name);
	free(helper_name);
	return ret;
}

void module_build_result_free(struct module_build_result *res)
{
	size_t i;

	for (i = 0; i < res->nr_notes; i++)
		free(res->notes[i]);
	free(res->notes);
	free(res->primary_ko);
	free(res->helper_ko);
	memset(res, 0, sizeof(*res));
}
