// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/manifest.h"
#include "core/update-format.h"
#include "create/build-util.h"
#include "create/inspect-escape.h"
#include "create/inspect-names.h"
#include "create/inspect-package.h"
#include "create/inspect-unpack.h"

int inspect_read_manifest(const char *root, struct ksplice_manifest *m,
			  struct ks_error *err)
{
	char *path = xasprintf("%s/manifest", root);
	FILE *f = fopen(path, "r");
	char why[256];
	int ret;

	free(path);
	if (!f)
		return ks_fail(err, "not a package: no manifest (expected ksplice-ID/manifest)");
	ret = ksplice_manifest_read(m, f, why, sizeof(why));
	fclose(f);
	if (ret)
		return ks_fail(err, "bad manifest: %s", why);
	return 0;
}

/* The top directory is named after the update: ksplice-ID. */
static int check_root_name(const char *root, const struct ksplice_manifest *m,
			   struct ks_error *err)
{
	const char *base = strrchr(root, '/') + 1;

	if (strcmp(base + strlen("ksplice-"), m->id))
		return ks_fail(err, "bad manifest: id %s, but the package directory is %s",
			       m->id, base);
	return 0;
}

static void print_field(FILE *out, const char *key, const char *value)
{
	fprintf(out, "manifest %s=", key);
	inspect_print_escaped(out, value);
	fputc('\n', out);
}

static void print_manifest(FILE *out, const struct ksplice_manifest *m)
{
	int i;

	fprintf(out, "manifest format=%d\n", m->format);
	print_field(out, "id", m->id);
	print_field(out, "kernel_release", m->kernel_release);
	print_field(out, "kernel_version", m->kernel_version[0] ?
				m->kernel_version : "(none)");
	print_field(out, "build_identity", m->build_identity[0] ?
				m->build_identity : "(none)");
	print_field(out, "machine", m->machine);
	for (i = 0; i < m->nr_targets; i++) {
		fputs("manifest target=", out);
		inspect_print_escaped(out, m->targets[i].name);
		fputs(" primary=", out);
		inspect_print_escaped(out, m->targets[i].primary);
		fputs(" helper=", out);
		inspect_print_escaped(out, m->targets[i].helper);
		fputc('\n', out);
	}
}

/* Every line of @root/@name after @key; "(none)" if it is missing or empty. */
static void print_lines(FILE *out, const char *root, const char *name,
			const char *key)
{
	char *path = xasprintf("%s/%s", root, name);
	char *text = NULL, *line, *save = NULL;
	int n = 0;

	if (!build_read_file(path, &text, NULL)) {
		for (line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save), n++) {
			fprintf(out, "%s ", key);
			inspect_print_escaped(out, line);
			fputc('\n', out);
		}
	}
	if (!n)
		fprintf(out, "%s (none)\n", key);
	free(text);
	free(path);
}

/* The files the package's patch changes, from its "+++ " lines. */
static void print_patch_files(FILE *out, const char *root)
{
	char *path = xasprintf("%s/patch", root);
	char *text = NULL, *line, *save = NULL;
	int n = 0;

	if (!build_read_file(path, &text, NULL)) {
		for (line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (strncmp(line, "+++ ", 4))
				continue;
			line += 4;
			if (!strncmp(line, "b/", 2))
				line += 2;
			line[strcspn(line, "\t")] = '\0';
			fputs("patch file=", out);
			inspect_print_escaped(out, line);
			fputc('\n', out);
			n++;
		}
	}
	if (!n)
		fputs("patch (no files)\n", out);
	free(text);
	free(path);
}

/* A message about a module in the package, without the temporary directory. */
static void strip_tmp_paths(struct ks_error *err, const char *root)
{
	size_t n = strlen(root);
	char *p;

	while ((p = strstr(err->msg, root))) {
		size_t skip = n + (p[n] == '/');

		memmove(p, p + skip, strlen(p + skip) + 1);
	}
}

/* The descriptor must agree with the manifest line that lists the module. */
static int check_info(const struct inspect_module_info *info, unsigned int kind,
		      const struct ksplice_manifest *m,
		      const struct ksplice_manifest_target *t, struct ks_error *err)
{
	if (info->kind != kind)
		return ks_fail(err, "listed as the %s but is a %s module",
			       inspect_module_kind_name(kind),
			       inspect_module_kind_name(info->kind));
	if (strcmp(info->id, m->id))
		return ks_fail(err, "update id %s, the manifest says %s", info->id, m->id);
	if (strcmp(info->target, t->name))
		return ks_fail(err, "for target %s, the manifest says %s",
			       info->target, t->name);
	if (strcmp(inspect_machine_name(info->machine), m->machine))
		return ks_fail(err, "machine %s, the manifest says %s",
			       inspect_machine_name(info->machine), m->machine);
	return 0;
}

static int inspect_target_module(const char *root, const struct ksplice_manifest *m,
				 const struct ksplice_manifest_target *t,
				 unsigned int kind, const struct inspect_opts *o,
				 struct ks_error *err)
{
	const char *file = kind == KSPLICE_PRIMARY ? t->primary : t->helper;
	const char *role = inspect_module_kind_name(kind);
	char *path = xasprintf("%s/modules/%s", root, file);
	struct inspect_opts mo = *o;
	struct inspect_module_info info;
	struct ks_error e = { "" };
	struct stat st;
	int ret = -1;

	fprintf(o->out, "target %s %s ", t->name, role);
	inspect_print_escaped(o->out, file);
	fputc('\n', o->out);
	mo.indent = "  ";
	if (lstat(path, &st) || !S_ISREG(st.st_mode))
		ks_fail(err, "target %s: %s module modules/%s is missing", t->name,
			role, file);
	else if (inspect_module(path, &mo, &info, &e) ||
		 check_info(&info, kind, m, t, &e)) {
		strip_tmp_paths(&e, root);
		ks_fail(err, "target %s: %s module %s: %s", t->name, role, file,
			e.msg);
	} else {
		ret = 0;
	}
	free(path);
	return ret;
}

static int inspect_unpacked(const char *root, const struct inspect_opts *o,
			    struct ks_error *err)
{
	struct ksplice_manifest m;
	int i;

	if (inspect_read_manifest(root, &m, err) || check_root_name(root, &m, err))
		return -1;
	print_manifest(o->out, &m);
	print_lines(o->out, root, "description", "description");
	print_patch_files(o->out, root);
	for (i = 0; i < m.nr_targets; i++) {
		if (build_interrupted)
			return ks_fail(err, "interrupted");
		if (inspect_target_module(root, &m, &m.targets[i], KSPLICE_PRIMARY, o, err) ||
		    inspect_target_module(root, &m, &m.targets[i], KSPLICE_HELPER, o, err))
			return -1;
	}
	return 0;
}

int inspect_package(const char *path, const struct inspect_opts *o,
		    struct ks_error *err)
{
	struct unpacked_package pkg;
	int ret;

	ret = unpack_package(path, &pkg, err);
	if (!ret)
		ret = inspect_unpacked(pkg.root, o, err);
	unpack_cleanup(&pkg);
	return ret;
}
