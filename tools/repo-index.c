// SPDX-License-Identifier: GPL-2.0
#include "tools/repo-index.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

static void to_hex(const unsigned char *bytes, unsigned len, char *hex)
{
	unsigned i;

	for (i = 0; i < len; i++)
		sprintf(hex + 2 * i, "%02x", bytes[i]);
}

static int sha256_bytes(const void *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned md_len;

	if (!EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL))
		return -1;
	to_hex(md, md_len, hex);
	return 0;
}

int sha256_file(const char *path, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE], buf[65536];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	FILE *f = fopen(path, "rb");
	unsigned md_len;
	size_t n;
	int ret = -1;

	if (!f || !ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		goto out;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (!EVP_DigestUpdate(ctx, buf, n))
			goto out;
	if (!ferror(f) && EVP_DigestFinal_ex(ctx, md, &md_len)) {
		to_hex(md, md_len, hex);
		ret = 0;
	}
out:
	if (f)
		fclose(f);
	EVP_MD_CTX_free(ctx);
	if (ret && !errno)
		errno = EIO;
	return ret;
}

void repo_build_key(const char *kernel_version, char key[REPO_BUILD_KEY_LEN + 1])
{
	char hex[65] = "";

	sha256_bytes(kernel_version, strlen(kernel_version), hex);
	snprintf(key, REPO_BUILD_KEY_LEN + 1, "%s", hex);
}

void repo_build_dir(const char *release, const char *kernel_version, char *dst, size_t size)
{
	char key[REPO_BUILD_KEY_LEN + 1];

	repo_build_key(kernel_version, key);
	snprintf(dst, size, "%s/%s", release, key);
}

int repo_index_find(const struct repo_index *ix, const char *id)
{
	int i;

	for (i = 0; i < ix->n; i++)
		if (!strcmp(ix->u[i].id, id))
			return i;
	return -1;
}

int repo_valid_release(const char *s)
{
	size_t len = strlen(s);

	return len && len < KSPLICE_NAME_MAX && s[0] != '.' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-") == len;
}

static int valid_sha256(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* One "update N ID SHA256" line, which must be number ix->n + 1. */
static int read_update(struct repo_index *ix, const char *value, char *why, size_t size)
{
	struct repo_entry *e = &ix->u[ix->n];
	char id[KSPLICE_NAME_MAX], sha[66], extra;
	int order;

	if (ix->n >= REPO_MAX_UPDATES) {
		snprintf(why, size, "more than %d updates", REPO_MAX_UPDATES);
		return -1;
	}
	if (sscanf(value, "%d %127s %65s %c", &order, id, sha, &extra) != 3 ||
	    !ksplice_valid_id(id) || !valid_sha256(sha)) {
		snprintf(why, size, "malformed update line '%s'", value);
		return -1;
	}
	if (order != ix->n + 1) {
		snprintf(why, size, "update %s is number %d where %d comes next: out of order", id, order,
			 ix->n + 1);
		return -1;
	}
	if (repo_index_find(ix, id) >= 0) {
		snprintf(why, size, "update %s is listed twice", id);
		return -1;
	}
	snprintf(e->id, sizeof(e->id), "%s", id);
	snprintf(e->sha256, sizeof(e->sha256), "%s", sha);
	ix->n++;
	return 0;
}

static int read_line(struct repo_index *ix, char *line, char *why, size_t size)
{
	char *value = strchr(line, ' ');

	if (!value) {
		snprintf(why, size, "malformed line '%s'", line);
		return -1;
	}
	*value++ = '\0';
	if (!strcmp(line, "kernel_release") && !ix->kernel_release[0] && repo_valid_release(value)) {
		snprintf(ix->kernel_release, sizeof(ix->kernel_release), "%s", value);
		return 0;
	}
	if (!strcmp(line, "kernel_version") && !ix->kernel_version[0] &&
	    strlen(value) < sizeof(ix->kernel_version)) {
		snprintf(ix->kernel_version, sizeof(ix->kernel_version), "%s", value);
		return 0;
	}
	if (!strcmp(line, "update"))
		return read_update(ix, value, why, size);
	snprintf(why, size, "unexpected line '%s %s'", line, value);
	return -1;
}

int repo_index_read(struct repo_index *ix, FILE *in, char *why, size_t size)
{
	char line[1024];
	int lineno = 0;

	memset(ix, 0, sizeof(*ix));
	while (fgets(line, sizeof(line), in)) {
		size_t len = strlen(line);

		lineno++;
		if (!len || line[len - 1] != '\n') {
			snprintf(why, size, "line %d: too long or unterminated", lineno);
			return -1;
		}
		line[len - 1] = '\0';
		if (lineno == 1) {
			if (strcmp(line, "ksplice-repository 1")) {
				snprintf(why, size, "not a ksplice repository index (format 1)");
				return -1;
			}
			continue;
		}
		if (read_line(ix, line, why, size)) {
			char reason[512];

			snprintf(reason, sizeof(reason), "%s", why);
			snprintf(why, size, "line %d: %s", lineno, reason);
			return -1;
		}
	}
	if (!lineno || !ix->kernel_release[0] || !ix->kernel_version[0]) {
		snprintf(why, size, "%s", !lineno ? "empty index" : "no kernel_release or kernel_version");
		return -1;
	}
	return 0;
}

int repo_index_write(const struct repo_index *ix, FILE *out)
{
	int i;

	fprintf(out, "ksplice-repository %d\nkernel_release %s\nkernel_version %s\n", REPO_INDEX_VERSION,
		ix->kernel_release, ix->kernel_version);
	for (i = 0; i < ix->n; i++)
		fprintf(out, "update %d %s %s\n", i + 1, ix->u[i].id, ix->u[i].sha256);
	return ferror(out) ? -1 : 0;
}
