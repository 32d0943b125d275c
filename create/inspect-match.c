// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/manifest.h"
#include "create/build-util.h"
#include "create/inspect-match.h"
#include "create/inspect-package.h"
#include "create/inspect-unpack.h"
#include "create/module-load.h"
#include "create/offline-match.h"

struct match_run {
	const struct inspect_match_opts *opts;
	struct vmlinux_image image;
	struct kallsyms_dump kallsyms;
	char *sections;		/* the sections dump's text, or NULL */
	struct offline_kernel kernel;
	struct unpacked_package pkg;
	struct ksplice_manifest manifest;
	FILE *out;
	int nr_checked;
	char unchecked[512];	/* module targets, space-separated */
	const char *cause;	/* the first failing target's, or "ok" */
	char why[600];
};

/* The manifest's name for the machine of @image. */
static const char *image_machine(const struct vmlinux_image *image)
{
	return image->machine == EM_386 ? "i386" : "x86_64";
}

/* The package's manifest, for the machine of the image. */
static int read_manifest(struct match_run *r, struct ks_error *err)
{
	if (inspect_read_manifest(r->pkg.root, &r->manifest, err))
		return -1;
	if (strcmp(r->manifest.machine, image_machine(&r->image)))
		return ks_fail(err, "a package for %s, but %s is an %s kernel image",
			       r->manifest.machine, r->opts->vmlinux, image_machine(&r->image));
	return 0;
}

static int open_inputs(struct match_run *r, const char *package, struct ks_error *err)
{
	const struct inspect_match_opts *o = r->opts;
	struct ks_error e = { "" };

	if (vmlinux_open(o->vmlinux, &r->image, &e))
		return ks_fail(err, "%s: %s", o->vmlinux, e.msg);
	if (kallsyms_load(o->kallsyms, &r->kallsyms, &e))
		return ks_fail(err, "%s: %s", o->kallsyms, e.msg);
	if (offline_kernel_init(&r->kernel, &r->image, &r->kallsyms, &e))
		return ks_fail(err, "%s: %s", o->kallsyms, e.msg);
	if (o->sections && build_read_file(o->sections, &r->sections, NULL))
		return ks_fail(err, "%s: cannot read the sections dump: %s", o->sections,
			       strerror(errno));
	if (unpack_package(package, &r->pkg, &e) || read_manifest(r, &e))
		return ks_fail(err, "%s: %s", package, e.msg);
	return 0;
}

static void print_bytes(FILE *out, const char *what, const u8 *p, unsigned int len)
{
	unsigned int i;

	fprintf(out, " %s", what);
	for (i = 0; i < len; i++)
		fprintf(out, " %02x", p[i]);
}

static void print_sections(struct match_run *r, const struct offline_target *t,
			   const struct ksplice_matcher *m, int status)
{
	const struct ksplice_mismatch *mm = &m->mismatch;
	u64 i;

	for (i = 0; i < m->helper->nr_sections; i++) {
		const char *sym = m->helper->sections[i].symbol;

		fprintf(r->out, "  section %s: ", sym);
		if (m->matched[i]) {
			fprintf(r->out, "matched at 0x%" PRIx64,
				offline_target_running(t, m->section_addr[i]));
			if (m->layout[i].nr_edits)
				fprintf(r->out, " (%zu instructions matched by target, jump "
					"relaxation: %" PRIu64 " bytes running, %" PRIu64
					" in the helper)", m->layout[i].nr_edits, m->layout[i].size,
					m->helper->sections[i].size);
			fputc('\n', r->out);
		} else if (status == KSPLICE_MATCH_NO_MATCH && mm->section == sym) {
			fprintf(r->out, "not matched: at 0x%" PRIx64 " offset 0x%" PRIx64 ": %s:",
				offline_target_running(t, mm->candidate), mm->offset, mm->reason);
			print_bytes(r->out, "expected", mm->expected, mm->len);
			print_bytes(r->out, "found", mm->found, mm->len);
			fputc('\n', r->out);
		} else if (mm->section == sym) {
			fprintf(r->out, "not matched: %s\n", mm->reason);
		} else {
			fputs("not resolved\n", r->out);
		}
	}
}

/* The abort cause ksplice.ko gives for @status (run-match.c). */
static const char *cause_of(int status)
{
	return status == KSPLICE_MATCH_AMBIGUOUS ? "no_match" : ksplice_match_status_name(status);
}

static void fail_target(struct match_run *r, const char *target, const char *cause,
			const char *why)
{
	fprintf(r->out, "target %s: %s: %s\n", target, cause, why);
	if (strcmp(r->cause, "ok"))
		return;	/* the first failure decides, as in ksplice.ko */
	r->cause = cause;
	snprintf(r->why, sizeof(r->why), "%s: %s", target, why);
}

static void run_matcher(struct match_run *r, const struct ksplice_manifest_target *mt,
			const struct ksplice_module_desc *helper, const struct offline_target *t)
{
	struct ksplice_matcher m;
	char why[300];
	int status;

	if (ksplice_match_init(&m, helper, &offline_match_ops, (void *)t)) {
		fail_target(r, mt->name, "out_of_memory", "out of memory");
		return;
	}
	status = ksplice_match_run(&m);
	fprintf(r->out, "target %s helper %s: %" PRIu64 " sections\n", mt->name, mt->helper,
		helper->nr_sections);
	print_sections(r, t, &m, status);
	if (status == KSPLICE_MATCH_OK) {
		fprintf(r->out, "target %s: ok: %" PRIu64 " sections matched, %zu symbols bound\n",
			mt->name, helper->nr_sections, m.nr_bindings);
	} else {
		snprintf(why, sizeof(why), "section %s: %s",
			 m.mismatch.section ? m.mismatch.section : "-",
			 m.mismatch.reason ? m.mismatch.reason : "-");
		fail_target(r, mt->name, cause_of(status), why);
	}
	ksplice_match_free(&m);
}

static int match_target(struct match_run *r, const struct ksplice_manifest_target *mt,
			const struct placed_module *module, struct ks_error *err)
{
	char *path = xasprintf("%s/modules/%s", r->pkg.root, mt->helper);
	struct offline_target t = { &r->kernel, module };
	struct loaded_module helper;
	struct ks_error e = { "" };
	int ret = -1;

	if (module_load(path, &helper, &e)) {
		ks_fail(err, "helper module %s: %s", mt->helper, e.msg);
	} else if (helper.desc->kind != KSPLICE_HELPER || strcmp(helper.target, mt->name)) {
		ks_fail(err, "helper module %s: not the helper of target %s", mt->helper, mt->name);
	} else {
		run_matcher(r, mt, helper.desc, &t);
		r->nr_checked++;
		ret = 0;
	}
	module_unload(&helper);
	free(path);
	return ret;
}

static void note_unchecked(struct match_run *r, const char *target)
{
	size_t n = strlen(r->unchecked);

	snprintf(r->unchecked + n, sizeof(r->unchecked) - n, "%s%s", n ? " " : "", target);
	fprintf(r->out, "target %s: not checked: a module target needs its .ko (--module) and the sections dump (--sections)\n",
		target);
}

/* The --module file for module @name, or NULL. */
static const char *module_file(const struct match_run *r, const char *name)
{
	char have[64];
	int i;

	for (i = 0; i < r->opts->nr_modules; i++) {
		module_name_of(r->opts->modules[i], have, sizeof(have));
		if (!strcmp(have, name))
			return r->opts->modules[i];
	}
	return NULL;
}

static int match_module(struct match_run *r, const struct ksplice_manifest_target *mt,
			struct ks_error *err)
{
	const char *ko = module_file(r, mt->name);
	struct placed_module pm;
	struct ks_error e = { "" };
	int ret;

	if (!kallsyms_has_module(&r->kallsyms, mt->name) &&
	    !(r->sections && sections_dump_has(r->sections, mt->name))) {
		fail_target(r, mt->name, "target_not_loaded", "the dumps show no module of this name");
		r->nr_checked++;
		return 0;
	}
	if (!ko || !r->sections) {
		note_unchecked(r, mt->name);
		return 0;
	}
	ret = module_place(&pm, mt->name, ko, r->image.machine, r->sections, &r->kallsyms, &e);
	if (ret)
		ks_fail(err, "module %s: %s", mt->name, e.msg);
	else
		ret = match_target(r, mt, &pm, err);
	module_place_free(&pm);
	return ret;
}

static int match_targets(struct match_run *r, struct ks_error *err)
{
	const struct ksplice_manifest_target *mt;
	int i;

	fprintf(r->out, "kernel: _text at 0x%" PRIx64 " running, 0x%" PRIx64 " in the image: displacement 0x%" PRIx64 "\n",
		r->kallsyms.text_addr, r->image.text, r->kernel.displacement);
	for (i = 0; i < r->manifest.nr_targets; i++) {
		mt = &r->manifest.targets[i];
		if (strcmp(mt->name, "vmlinux") ? match_module(r, mt, err)
						: match_target(r, mt, NULL, err))
			return -1;
	}
	if (!r->nr_checked)
		return ks_fail(err, "nothing checked: the package has only module targets, and a module target needs its .ko (--module) and the sections dump (--sections): %s",
			       r->unchecked);
	return 0;
}

static int verdict(struct match_run *r)
{
	if (strcmp(r->cause, "ok")) {
		fprintf(r->out, "verdict: %s: update %s would not apply (%s)\n", r->cause,
			r->manifest.id, r->why);
		return INSPECT_MATCH_REFUSED;
	}
	if (r->unchecked[0])
		fprintf(r->out, "verdict: ok: update %s would apply to the targets checked (not checked: %s)\n",
			r->manifest.id, r->unchecked);
	else
		fprintf(r->out, "verdict: ok: update %s would apply\n", r->manifest.id);
	return INSPECT_MATCH_APPLIES;
}

int inspect_match(const char *package, const struct inspect_match_opts *o, FILE *out,
		  struct ks_error *err)
{
	struct match_run *r = xcalloc(1, sizeof(*r));
	int ret = INSPECT_MATCH_ERROR;

	r->opts = o;
	r->out = out;
	r->cause = "ok";
	if (!open_inputs(r, package, err) && !match_targets(r, err))
		ret = verdict(r);
	unpack_cleanup(&r->pkg);
	kallsyms_free(&r->kallsyms);
	vmlinux_close(&r->image);
	free(r->sections);
	free(r);
	return ret;
}
