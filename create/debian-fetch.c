// SPDX-License-Identifier: GPL-2.0
/* apt-get download + dpkg-deb into the cache (see debian-fetch.h). */
#include "create/debian-fetch.h"
#include "create/build-util.h"
#include "create/debian-kernel.h"
#include "create/tree-prepare.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A package to fetch: NAME=VERSION, or the archive's candidate if VERSION is NULL. */
struct wanted {
	const char *name;
	const char *version;
};

bool debian_apt_offline(const char *out)
{
	static const char *const signs[] = {
		"Temporary failure resolving", "Could not resolve", "Failed to fetch",
		"Unable to connect", "Could not connect", "Connection failed",
		"Network is unreachable", NULL,
	};
	const char *const *s;

	for (s = signs; *s; s++)
		if (strstr(out, *s))
			return true;
	return false;
}

static char *cache_dir(const char *sub)
{
	char *root = tree_cache_root(), *dir = build_xasprintf("%s/%s", root, sub);

	free(root);
	return dir;
}

/* The .deb apt-get download left for W in DIR, or NULL. */
static char *find_deb(const char *dir, const struct wanted *w)
{
	char *pattern = build_xasprintf("%s/%s_%s_*.deb", dir, w->name,
					w->version ? w->version : "*");
	char *found = NULL;
	glob_t g;

	if (!glob(pattern, 0, NULL, &g) && g.gl_pathc)
		found = build_xstrdup(g.gl_pathv[g.gl_pathc - 1]);
	globfree(&g);
	free(pattern);
	return found;
}

static bool in_archive(const struct wanted *w)
{
	char *spec = w->version ? build_xasprintf("%s=%s", w->name, w->version)
				: build_xstrdup(w->name);
	char *argv[] = { "apt-cache", "show", "--no-all-versions", spec, NULL };
	char *out = NULL;
	int ret = build_run(argv, &(struct build_run_opts){ .capture = &out, .quiet_stderr = true });
	bool found = !ret && out && strstr(out, "Package: ");

	free(out);
	free(spec);
	return found;
}

/* The last "E:" line of apt's output, for the message. */
static char *apt_error_line(const char *out)
{
	const char *p = out, *last = NULL;

	while ((p = strstr(p, "E: "))) {
		if (p == out || p[-1] == '\n')
			last = p;
		p += 3;
	}
	if (!last)
		return build_xstrdup("(no message)");
	return build_xstrndup(last, strcspn(last, "\n"));
}

static int download_one(const char *dir, const struct wanted *w)
{
	char *spec = w->version ? build_xasprintf("%s=%s", w->name, w->version)
				: build_xstrdup(w->name);
	char *log = build_xasprintf("%s/apt-get.log", dir), *out = NULL, *line;
	char *argv[] = { "apt-get", "download", "-q", spec, NULL };
	int ret;

	unlink(log);
	ret = build_run(argv, &(struct build_run_opts){ .dir = dir, .log = log });
	if (ret && !build_interrupted) {
		build_read_file(log, &out, NULL);
		line = apt_error_line(out ? out : "");
		if (out && debian_apt_offline(out))
			build_error("cannot download %s %s from the Debian archive: offline? (%s)",
				    w->name, w->version ? w->version : "", line);
		else
			build_error("apt-get download %s failed: %s", spec, line);
		free(line);
		free(out);
	}
	free(log);
	free(spec);
	return ret ? -1 : 0;
}

/* Every wanted package as a .deb in deb/download/; paths in DEBS. */
static int download(const struct wanted *ws, size_t n, char **debs)
{
	char *dir = cache_dir("deb/download"), *lock = build_xasprintf("%s.lock", dir);
	int fd, ret = 0;
	size_t i;

	if (build_mkdir_p(dir) || (fd = build_lock_file(lock, "downloading")) < 0) {
		free(dir);
		free(lock);
		return -1;
	}
	for (i = 0; i < n && !ret; i++) {
		debs[i] = find_deb(dir, &ws[i]);
		if (debs[i])
			continue;
		if (!in_archive(&ws[i])) {
			build_error("%s %s is not in the apt archive (any more?): 'apt-cache madison %s' "
				    "lists the versions it has; run 'apt-get update' if the lists are old",
				    ws[i].name, ws[i].version ? ws[i].version : "", ws[i].name);
			ret = -1;
			break;
		}
		build_stage("Downloading %s %s...", ws[i].name, ws[i].version ? ws[i].version : "");
		ret = download_one(dir, &ws[i]);
		if (!ret && !(debs[i] = find_deb(dir, &ws[i]))) {
			build_error("apt-get download %s left no .deb in %s", ws[i].name, dir);
			ret = -1;
		}
	}
	close(fd);
	free(dir);
	free(lock);
	return ret;
}

static void free_debs(char **debs, size_t n, bool remove)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (debs[i] && remove)
			unlink(debs[i]);
		free(debs[i]);
	}
}

static int run_quiet(char **argv, const char *what)
{
	int ret = build_run(argv, &(struct build_run_opts){ .quiet_stderr = false });

	if (ret && !build_interrupted)
		build_error("%s failed", what);
	return ret ? -1 : 0;
}

/* The installed linux-source-SERIES tarball, if it is VERSION. */
static char *installed_tarball(const char *version, const char *series)
{
	char *pkg = build_xasprintf("linux-source-%s", series), *out = NULL;
	char *argv[] = { "dpkg-query", "-W", "-f", "${db:Status-Abbrev}${Version}", pkg, NULL };
	char *tarball = build_xasprintf("/usr/src/linux-source-%s.tar.xz", series);
	bool same = !build_run(argv, &(struct build_run_opts){ .capture = &out, .quiet_stderr = true }) &&
		    out && build_has_prefix(out, "ii ") && !strcmp(out + 3, version) &&
		    build_file_exists(tarball);

	free(pkg);
	free(out);
	if (same)
		return tarball;
	free(tarball);
	return NULL;
}

static int unpack_source(const char *version, const char *series, const char *tmp)
{
	char *tarball = installed_tarball(version, series), *debs[1] = { NULL };
	char *pkg = build_xasprintf("linux-source-%s", series);
	char *member = build_xasprintf("./usr/src/linux-source-%s.tar.xz", series);
	struct wanted w = { pkg, version };
	int ret;

	if (tarball) {
		char *argv[] = { "tar", "-C", (char *)tmp, "-xf", tarball, NULL };

		build_stage("Unpacking %s...", tarball);
		ret = run_quiet(argv, "unpacking the source tarball");
	} else {
		ret = download(&w, 1, debs);
		if (!ret) {
			char *argv[] = { "sh", "-c",
				"dpkg-deb --fsys-tarfile \"$1\" | tar -xOf - \"$2\" | tar -C \"$3\" -xJf -",
				"sh", debs[0], member, (char *)tmp, NULL };

			build_stage("Unpacking %s %s...", pkg, version);
			ret = run_quiet(argv, "unpacking linux-source");
		}
		free_debs(debs, 1, !ret);
	}
	free(tarball);
	free(pkg);
	free(member);
	return ret;
}

int debian_fetch_source(const char *version, const char *series, char **dir)
{
	char *src = cache_dir("src"), *out = build_xasprintf("%s/linux-source-%s", src, version);
	char *lock = build_xasprintf("%s.lock", out), *ready = build_xasprintf("%s/.ksplice-unpacked", out);
	char *tmp = build_xasprintf("%s.tmp", out), *inner = build_xasprintf("%s/linux-source-%s", tmp, series);
	int fd = -1, ret = 0;

	if (!build_file_exists(ready)) {
		ret = build_mkdir_p(src) || (fd = build_lock_file(lock, "unpacking a source")) < 0;
		if (!ret && !build_file_exists(ready)) {
			build_rm_rf(out);
			build_rm_rf(tmp);
			ret = build_mkdir_p(tmp) || unpack_source(version, series, tmp);
			if (!ret && rename(inner, out)) {
				build_error("cannot move %s to %s: %s", inner, out, strerror(errno));
				ret = -1;
			}
			if (!ret)
				ret = build_write_file(ready, "", 0);
			build_rm_rf(tmp);
		}
		if (fd >= 0)
			close(fd);
	}
	*dir = ret ? NULL : build_xstrdup(out);
	if (ret)
		build_rm_rf(out);
	free(src);
	free(out);
	free(lock);
	free(ready);
	free(tmp);
	free(inner);
	return ret ? -1 : 0;
}

static int unpack_debs(char **debs, size_t n, const char *root)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *argv[] = { "dpkg-deb", "-x", debs[i], (char *)root, NULL };

		if (run_quiet(argv, "dpkg-deb -x"))
			return -1;
	}
	return 0;
}

/* The headers name their -common tree by absolute /usr/src path: point it into ROOT. */
static int relocate_headers(const char *root, const char *release)
{
	char *mk = build_xasprintf("%s/usr/src/linux-headers-%s/Makefile", root, release);
	char *text = NULL, *out = NULL, *from = "include /usr/src/", *p, *q;
	size_t len = 0;
	int ret = build_read_file(mk, &text, NULL);

	if (ret) {
		build_error("the headers of %s have no %s", release, mk);
	} else {
		for (p = text; (q = strstr(p, from)); p = q + strlen(from)) {
			char *next = build_xasprintf("%s%.*sinclude %s/usr/src/", out ? out : "",
						     (int)(q - p), p, root);

			free(out);
			out = next;
		}
		p = build_xasprintf("%s%s", out ? out : "", p);
		len = strlen(p);
		ret = build_write_file(mk, p, len);
		free(p);
	}
	free(out);
	free(text);
	free(mk);
	return ret;
}

static int write_line(const char *dir, const char *name, const char *value)
{
	char *path = build_xasprintf("%s/%s", dir, name), *line = build_xasprintf("%s\n", value);
	int ret = build_write_file(path, line, strlen(line));

	free(path);
	free(line);
	return ret;
}

static int link_in(const char *dir, const char *target, const char *name)
{
	char *path = build_xasprintf("%s/%s", dir, name);
	int ret;

	unlink(path);
	ret = symlink(target, path);
	if (ret)
		build_error("cannot link %s: %s", path, strerror(errno));
	free(path);
	return ret;
}

static int fetch_headers(const struct debian_kernel *k, const char *out)
{
	char *hdr = build_xasprintf("linux-headers-%s", k->release);
	char *common = build_xasprintf("linux-headers-%s-common", k->abi);
	char *kbuild = build_xasprintf("linux-kbuild-%s", k->series);
	char *root = build_xasprintf("%s/root", out), *kdir, *debs[3] = { NULL };
	/* The headers want linux-kbuild-SERIES >= VERSION: the candidate is fine. */
	struct wanted ws[3] = { { hdr, k->version }, { common, k->version }, { kbuild, NULL } };
	int ret;

	ret = build_mkdir_p(root) || download(ws, 3, debs) || unpack_debs(debs, 3, root) ||
	      relocate_headers(root, k->release) ? -1 : 0;
	free_debs(debs, 3, !ret);
	kdir = build_xasprintf("%s/usr/src/linux-headers-%s", root, k->release);
	if (!ret)
		ret = link_in(out, kdir, "kdir") || write_line(out, "release", k->release) ||
		      write_line(out, "version", k->version) ? -1 : 0;
	free(kdir);
	free(hdr);
	free(common);
	free(kbuild);
	free(root);
	return ret;
}

static int fetch_image(const struct debian_kernel *k, const char *out)
{
	char *img = build_xasprintf("linux-image-%s", k->release), *root = build_xasprintf("%s/root", out);
	char *boot[3], *mods = build_xasprintf("root/lib/modules/%s", k->release), *debs[1] = { NULL };
	struct wanted w = { img, k->version };
	int ret, i;

	boot[0] = build_xasprintf("root/boot/vmlinuz-%s", k->release);
	boot[1] = build_xasprintf("root/boot/config-%s", k->release);
	boot[2] = build_xasprintf("root/boot/System.map-%s", k->release);
	ret = download(&w, 1, debs) || unpack_debs(debs, 1, root) ? -1 : 0;
	free_debs(debs, 1, !ret);
	if (!ret)
		ret = link_in(out, boot[0], "vmlinuz") || link_in(out, boot[1], "config") ||
		      link_in(out, boot[2], "System.map") || link_in(out, mods, "modules") ? -1 : 0;
	if (!ret) {
		/* modules.dep, as installing the package would make it: module dependencies. */
		char *argv[] = { "depmod", "-b", root, k->release, NULL };

		if (build_run(argv, &(struct build_run_opts){ .quiet_stderr = true }))
			build_warn("depmod -b %s %s failed: no modules.dep", root, k->release);
	}
	for (i = 0; i < 3; i++)
		free(boot[i]);
	free(mods);
	free(img);
	free(root);
	return ret;
}

/* Make PART (headers or image) of the entry OUT once, under its lock. */
static int fetch_part(const struct debian_kernel *k, const char *out, const char *part,
		      int (*fetch)(const struct debian_kernel *, const char *))
{
	char *ready = build_xasprintf("%s/.%s-ready", out, part);
	char *lock = build_xasprintf("%s.lock", out), *what = build_xasprintf("fetching %s", k->release);
	int fd = -1, ret = 0;

	if (!build_file_exists(ready)) {
		ret = build_mkdir_p(out) || (fd = build_lock_file(lock, what)) < 0 ? -1 : 0;
		if (!ret && !build_file_exists(ready)) {
			ret = fetch(k, out);
			if (!ret)
				ret = build_write_file(ready, "", 0);
		}
		if (fd >= 0)
			close(fd);
	}
	free(ready);
	free(lock);
	free(what);
	return ret;
}

int debian_fetch_kernel(const struct debian_kernel *k, bool image, char **dir)
{
	char *sub = build_xasprintf("deb/%s-%s", k->release, k->version), *out = cache_dir(sub);
	int ret = fetch_part(k, out, "headers", fetch_headers);

	if (!ret && image)
		ret = fetch_part(k, out, "image", fetch_image);
	*dir = ret ? NULL : build_xstrdup(out);
	free(sub);
	free(out);
	return ret;
}
