// SPDX-License-Identifier: GPL-2.0
#include "create/package.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "create/build-util.h"

static int write_text(const char *dir, const char *name, const char *text, struct ks_error *err)
{
	char *path = xasprintf("%s/%s", dir, name);
	size_t len = strlen(text);
	int ret = build_write_file(path, text, len);

	/* Text files end with a newline, whatever the caller passed. */
	if (!ret && (!len || text[len - 1] != '\n')) {
		FILE *f = fopen(path, "a");

		ret = f && fputc('\n', f) != EOF ? 0 : -1;
		if (f)
			fclose(f);
	}
	if (ret)
		ks_fail(err, "cannot write %s", path);
	free(path);
	return ret;
}

static int write_manifest(const char *dir, const struct ksplice_manifest *m, struct ks_error *err)
{
	char *path = xasprintf("%s/manifest", dir);
	FILE *f = fopen(path, "w");
	int ret = -1;

	if (f) {
		ret = ksplice_manifest_write(m, f);
		if (fclose(f))
			ret = -1;
	}
	if (ret)
		ks_fail(err, "cannot write %s", path);
	free(path);
	return ret;
}

static int copy_into(const char *src, const char *dir, const char *name, struct ks_error *err)
{
	char *dst = xasprintf("%s/%s", dir, name);
	int ret = build_copy_file(src, dst);

	if (ret)
		ks_fail(err, "cannot copy %s into the package", src);
	free(dst);
	return ret;
}

static int stage_modules(const struct package_input *in, const char *dir, struct ks_error *err)
{
	const struct ksplice_manifest *m = &in->manifest;
	int i;

	if (build_mkdir_p(dir))
		return ks_fail(err, "cannot create %s", dir);
	for (i = 0; i < m->nr_targets; i++) {
		if (copy_into(in->primary_paths[i], dir, m->targets[i].primary, err) ||
		    copy_into(in->helper_paths[i], dir, m->targets[i].helper, err))
			return -1;
	}
	return 0;
}

static int stage_debug(const char *src, const char *root, struct ks_error *err)
{
	char *argv[] = { "cp", "-r", (char *)src, NULL, NULL };
	char *dst = xasprintf("%s/debug", root);
	int ret;

	argv[3] = dst;
	ret = build_run(argv, &(struct build_run_opts){ .quiet_stderr = true });
	free(dst);
	return ret ? ks_fail(err, "cannot copy %s into the package", src) : 0;
}

char *package_write(const struct package_input *in, const char *work, const char *out_dir,
		    struct ks_error *err)
{
	const char *id = in->manifest.id;
	char *name = xasprintf("ksplice-%s", id);
	char *root = xasprintf("%s/%s", work, name);
	char *mods = xasprintf("%s/modules", root);
	char *out = xasprintf("%s/%s.tar.gz", out_dir, name);
	char *argv[] = { "tar", "-C", (char *)work, "-czf", out, name, NULL };
	char *ret = NULL;

	build_rm_rf(root);
	if (build_mkdir_p(root)) {
		ks_fail(err, "cannot create %s", root);
		goto out;
	}
	if (write_manifest(root, &in->manifest, err) ||
	    write_text(root, "description", in->description, err) ||
	    copy_into(in->patch_path, root, "patch", err) ||
	    stage_modules(in, mods, err) ||
	    (in->debug_dir && stage_debug(in->debug_dir, root, err)))
		goto out;
	if (build_run(argv, &(struct build_run_opts){ 0 })) {
		ks_fail(err, "tar could not write %s", out);
		goto out;
	}
	ret = out;
	out = NULL;
out:
	free(name);
	free(root);
	free(mods);
	free(out);
	return ret;
}
