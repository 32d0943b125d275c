// SPDX-License-Identifier: GPL-2.0
#include "tools/update-store.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/common.h"
#include "tools/package-open.h"

const char *store_dir(void)
{
	static char dir[PATH_MAX / 8];
	const char *state = getenv("KSPLICE_STATE_DIR");

	snprintf(dir, sizeof(dir), "%s/updates", state && *state ? state : KSPLICE_STATE_DIR);
	return dir;
}

void store_path(const struct installed_update *u, const char *file, char *dst, unsigned long size)
{
	snprintf(dst, size, "%s/%s", u->dir, file);
}

/* "<NNNN>-<id>": anything else in the directory (a ".new-" entry) is skipped. */
static bool parse_entry_name(const char *name, int *order, char *id, size_t id_size)
{
	char *end;
	long n;

	if (strlen(name) < 6 || name[4] != '-')
		return false;
	n = strtol(name, &end, 10);
	if (end != name + 4 || n < 0 || !ksplice_valid_id(name + 5))
		return false;
	*order = (int)n;
	snprintf(id, id_size, "%s", name + 5);
	return true;
}

static int by_release_then_order(const void *a, const void *b)
{
	const struct installed_update *x = a, *y = b;
	int r = strcmp(x->release, y->release);

	return r ? r : x->order - y->order;
}

static int list_release(const char *release, struct installed_list *out)
{
	char path[PATH_MAX / 4 + KSPLICE_NAME_MAX];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", store_dir(), release);
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d)) && out->n < KSPLICE_MAX_INSTALLED) {
		struct installed_update *u = &out->u[out->n];

		if (!parse_entry_name(e->d_name, &u->order, u->id, sizeof(u->id)))
			continue;
		snprintf(u->release, sizeof(u->release), "%s", release);
		snprintf(u->dir, sizeof(u->dir), "%s/%s", path, e->d_name);
		out->n++;
	}
	closedir(d);
	return 0;
}

int store_list(const char *release, struct installed_list *out)
{
	struct dirent *e;
	DIR *d;

	out->n = 0;
	if (release) {
		if (list_release(release, out))
			return -1;
	} else {
		d = opendir(store_dir());
		if (!d)
			return errno == ENOENT ? 0 : -1;
		while ((e = readdir(d)))
			if (e->d_name[0] != '.' && list_release(e->d_name, out)) {
				closedir(d);
				return -1;
			}
		closedir(d);
	}
	qsort(out->u, out->n, sizeof(out->u[0]), by_release_then_order);
	return 0;
}

const struct installed_update *store_find(const struct installed_list *l, const char *id)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->u[i].id, id))
			return &l->u[i];
	return NULL;
}

static int next_order(const struct installed_list *l)
{
	return l->n ? l->u[l->n - 1].order + 1 : 1;
}

static int write_manifest_copy(const char *dir, const struct ksplice_manifest *m)
{
	char path[PATH_MAX];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/manifest", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	ret = ksplice_manifest_write(m, f);
	return fclose(f) || ret ? -1 : 0;
}

int store_add(const char *package, const struct ksplice_manifest *m, const char *description_file)
{
	static struct installed_list l;
	char release_dir[PATH_MAX / 4 + KSPLICE_NAME_MAX], tmp[PATH_MAX / 2], final[PATH_MAX / 2], path[PATH_MAX];
	int order;

	snprintf(release_dir, sizeof(release_dir), "%s/%s", store_dir(), m->kernel_release);
	if (store_list(m->kernel_release, &l) || make_dirs(release_dir))
		goto fail;
	if (l.n >= KSPLICE_MAX_INSTALLED || (order = next_order(&l)) > 9999) {
		tool_error("%s: too many installed updates", release_dir);
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s/.new-%s", release_dir, m->id);
	snprintf(final, sizeof(final), "%s/%04d-%s", release_dir, order, m->id);
	remove_tree(tmp);	/* left by an install that was killed */
	if (mkdir(tmp, 0700))
		goto fail;
	snprintf(path, sizeof(path), "%s/update.tar.gz", tmp);
	if (copy_file(package, path) || write_manifest_copy(tmp, m))
		goto fail_tmp;
	snprintf(path, sizeof(path), "%s/description", tmp);
	if (copy_file(description_file, path) || chmod(tmp, 0755) || rename(tmp, final))
		goto fail_tmp;
	return 0;
fail_tmp:
	remove_tree(tmp);
fail:
	tool_error("cannot install update %s under %s: %s", m->id, release_dir, strerror(errno));
	return -1;
}

int store_remove(const struct installed_update *u)
{
	char gone[PATH_MAX / 2];

	/* Out of the listing first (one rename), then the files. */
	snprintf(gone, sizeof(gone), "%.*s/.gone-%s", (int)(strrchr(u->dir, '/') - u->dir), u->dir, u->id);
	remove_tree(gone);
	if (rename(u->dir, gone) || remove_tree(gone)) {
		tool_error("cannot remove %s: %s", u->dir, strerror(errno));
		return -1;
	}
	return 0;
}

int store_manifest(const struct installed_update *u, struct ksplice_manifest *m)
{
	char path[PATH_MAX], why[256];
	FILE *f;
	int ret;

	store_path(u, "manifest", path, sizeof(path));
	f = fopen(path, "r");
	if (!f) {
		tool_error("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	ret = ksplice_manifest_read(m, f, why, sizeof(why));
	fclose(f);
	if (ret)
		tool_error("%s: %s", path, why);
	return ret;
}
