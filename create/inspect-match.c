// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/manifest.h"
#include "create/build-util.h"
#include "create/inspect-match.h"
#include "create/inspect-unpack.h"
#include "create/module-load.h"
#include "create/offline-match.h"

struct match_run {
	struct vmlinux_image image;
	struct kallsyms_dump kallsyms;
	struct offline_kernel kernel;
	struct unpacked_package pkg;
	struct ksplice_manifest manifest;
	FILE *out;
	char unchecked[512];	/* module targets, space-separated */
	const char *cause;	/* the first failing target's, or "ok" */
	char why[600];
};

static int read_manifest(struct match_run *r, struct ks_error *err)
{
	char *path = xasprintf("%s/manifest", r->pkg.root);
	FILE *f = fopen(path, "r");
	char why[256];
	int ret;

	free(path);
	if (!f)
		return ks_fail(err, "not a package: no manifest (expected ksplice-ID/manifest)");
	ret = ksplice_manifest_read(&r->manifest, f, why, sizeof(why));
	fclose(f);
	if (ret)
		return ks_fail(err, "bad manifest: %s", why);
	if (strcmp(r->manifest.machine, "x86_64"))
		return ks_fail(err, "a package for %s: only x86_64 packages can be matched offline",
			       r->manifest.machine);
	return 0;
}

static int open_inputs(struct match_run *r, const char *package, const char *vmlinux,
		       const char *kallsyms, struct ks_error *err)
{
	struct ks_error e = { "" };

	if (vmlinux_open(vmlinux, &r->image, &e))
		return ks_fail(err, "%s: %s", vmlinux, e.msg);
	if (kallsyms_load(kallsyms, &r->kallsyms, &e))
		return ks_fail(err, "%s: %s", kallsyms, e.msg);
	if (offline_kernel_init(&r->kernel, &r->image, &r->kallsyms, &e))
		return ks_fail(err, "%s: %s", kallsyms, e.msg);
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

static void print_sections(struct match_run *r, const struct ksplice_matcher *m, int status)
{
	const struct ksplice_mismatch *mm = &m->mismatch;
	u64 i;

	for (i = 0; i < m->helper->nr_sections; i++) {
		const char *sym = m->helper->sections[i].symbol;

		fprintf(r->out, "  section %s: ", sym);
		if (m->matched[i]) {
			fprintf(r->out, "matched at 0x%" PRIx64 "\n",
				offline_to_running(&r->kernel, m->section_addr[i]));
		} else if (status == KSPLICE_MATCH_NO_MATCH && mm->section == sym) {
			fprintf(r->out, "not matched: at 0x%" PRIx64 " offset 0x%" PRIx64 ": %s:",
				offline_to_running(&r->kernel, mm->candidate), mm->offset,
				mm->reason);
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

static int match_vmlinux(struct match_run *r, const struct ksplice_manifest_target *t,
			 struct ks_error *err)
{
	char *path = xasprintf("%s/modules/%s", r->pkg.root, t->helper);
	struct loaded_module helper;
	struct ksplice_matcher m;
	struct ks_error e = { "" };
	int status, ret = -1;

	if (module_load(path, &helper, &e)) {
		ks_fail(err, "helper module %s: %s", t->helper, e.msg);
		goto out;
	}
	if (helper.desc->kind != KSPLICE_HELPER || strcmp(helper.target, "vmlinux")) {
		ks_fail(err, "helper module %s: not the vmlinux helper", t->helper);
		goto out;
	}
	if (ksplice_match_init(&m, helper.desc, &offline_match_ops, &r->kernel)) {
		ks_fail(err, "out of memory");
		goto out;
	}
	status = ksplice_match_run(&m);
	fprintf(r->out, "target vmlinux helper %s: %" PRIu64 " sections\n", t->helper,
		helper.desc->nr_sections);
	print_sections(r, &m, status);
	if (status == KSPLICE_MATCH_OK) {
		fprintf(r->out, "target vmlinux: ok: %" PRIu64 " sections matched, %zu symbols bound\n",
			helper.desc->nr_sections, m.nr_bindings);
	} else {
		fprintf(r->out, "target vmlinux: %s: section %s: %s\n", cause_of(status),
			m.mismatch.section ? m.mismatch.section : "-",
			m.mismatch.reason ? m.mismatch.reason : "-");
		r->cause = cause_of(status);
		snprintf(r->why, sizeof(r->why), "section %s: %s",
			 m.mismatch.section ? m.mismatch.section : "-",
			 m.mismatch.reason ? m.mismatch.reason : "-");
	}
	ksplice_match_free(&m);
	ret = 0;
out:
	module_unload(&helper);
	free(path);
	return ret;
}

static void note_unchecked(struct match_run *r, const char *target)
{
	size_t n = strlen(r->unchecked);

	snprintf(r->unchecked + n, sizeof(r->unchecked) - n, "%s%s", n ? " " : "", target);
	fprintf(r->out, "target %s: not checked: module targets cannot be checked offline\n", target);
}

static int match_targets(struct match_run *r, struct ks_error *err)
{
	int i, vmlinux = -1;

	for (i = 0; i < r->manifest.nr_targets; i++)
		if (!strcmp(r->manifest.targets[i].name, "vmlinux"))
			vmlinux = i;
	if (vmlinux < 0)
		return ks_fail(err, "the package has no vmlinux target (module targets cannot be checked offline)");
	fprintf(r->out, "kernel: _text at 0x%" PRIx64 " running, 0x%" PRIx64 " in the image: displacement 0x%" PRIx64 "\n",
		r->kallsyms.text_addr, r->image.text, r->kernel.displacement);
	for (i = 0; i < r->manifest.nr_targets; i++) {
		if (i != vmlinux)
			note_unchecked(r, r->manifest.targets[i].name);
		else if (match_vmlinux(r, &r->manifest.targets[i], err))
			return -1;
	}
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
		fprintf(r->out, "verdict: ok: update %s would apply to vmlinux (module targets not checked offline: %s)\n",
			r->manifest.id, r->unchecked);
	else
		fprintf(r->out, "verdict: ok: update %s would apply\n", r->manifest.id);
	return INSPECT_MATCH_APPLIES;
}

int inspect_match(const char *package, const char *vmlinux, const char *kallsyms,
		  FILE *out, struct ks_error *err)
{
	struct match_run *r = xcalloc(1, sizeof(*r));
	int ret = INSPECT_MATCH_ERROR;

	r->out = out;
	r->cause = "ok";
	if (!open_inputs(r, package, vmlinux, kallsyms, err) && !match_targets(r, err))
		ret = verdict(r);
	unpack_cleanup(&r->pkg);
	kallsyms_free(&r->kallsyms);
	vmlinux_close(&r->image);
	free(r);
	return ret;
}
