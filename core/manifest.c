// SPDX-License-Identifier: GPL-2.0
#include "core/manifest.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int ksplice_valid_id(const char *id)
{
	size_t n = strlen(id), i;

	if (n < 1 || n > 32)
		return 0;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)id[i]) && !isdigit((unsigned char)id[i]))
			return 0;
	return 1;
}

int ksplice_manifest_write(const struct ksplice_manifest *m, FILE *out)
{
	int i;

	fprintf(out, "format %d\nid %s\nkernel_release %s\n", KSPLICE_MANIFEST_VERSION,
		m->id, m->kernel_release);
	if (m->kernel_version[0])
		fprintf(out, "kernel_version %s\n", m->kernel_version);
	fprintf(out, "build_identity %s\nmachine %s\n", m->build_identity, m->machine);
	for (i = 0; i < m->nr_targets; i++)
		fprintf(out, "target %s %s %s\n", m->targets[i].name, m->targets[i].primary,
			m->targets[i].helper);
	return ferror(out) ? -1 : 0;
}

static int reject(char *why, size_t size, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(why, size, "manifest line %d: ", line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < size)
		vsnprintf(why + n, size - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Copy a single-word value; false if it is empty, too long or has spaces. */
static int copy_word(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (!n || n >= size || strpbrk(src, " \t"))
		return 0;
	memcpy(dst, src, n + 1);
	return 1;
}

static int parse_target(struct ksplice_manifest *m, char *value)
{
	struct ksplice_manifest_target *t;
	char *name = strtok(value, " "), *primary = strtok(NULL, " "), *helper = strtok(NULL, " ");

	if (!name || !primary || !helper || strtok(NULL, " "))
		return 0;
	if (m->nr_targets >= KSPLICE_MAX_TARGETS)
		return 0;
	t = &m->targets[m->nr_targets];
	if (!copy_word(t->name, sizeof(t->name), name) ||
	    !copy_word(t->primary, sizeof(t->primary), primary) ||
	    !copy_word(t->helper, sizeof(t->helper), helper) ||
	    strchr(primary, '/') || strchr(helper, '/'))
		return 0;
	m->nr_targets++;
	return 1;
}

static int parse_line(struct ksplice_manifest *m, char *key, char *value)
{
	if (!strcmp(key, "format")) {
		m->format = (int)strtol(value, NULL, 10);
		return m->format == KSPLICE_MANIFEST_VERSION;
	}
	if (!strcmp(key, "id"))
		return copy_word(m->id, sizeof(m->id), value) && ksplice_valid_id(m->id);
	if (!strcmp(key, "kernel_release"))
		return copy_word(m->kernel_release, sizeof(m->kernel_release), value);
	if (!strcmp(key, "kernel_version")) {
		if (strlen(value) >= sizeof(m->kernel_version))
			return 0;
		strcpy(m->kernel_version, value);
		return 1;
	}
	if (!strcmp(key, "build_identity"))
		return copy_word(m->build_identity, sizeof(m->build_identity), value);
	if (!strcmp(key, "machine"))
		return copy_word(m->machine, sizeof(m->machine), value) &&
		       (!strcmp(value, "x86_64") || !strcmp(value, "i386"));
	if (!strcmp(key, "target"))
		return parse_target(m, value);
	return -1;
}

int ksplice_manifest_read(struct ksplice_manifest *m, FILE *in, char *why, size_t why_size)
{
	char buf[1024], *key, *value, *nl;
	int line = 0, ok;

	memset(m, 0, sizeof(*m));
	while (fgets(buf, sizeof(buf), in)) {
		line++;
		nl = strchr(buf, '\n');
		if (!nl && !feof(in))
			return reject(why, why_size, line, "too long");
		if (nl)
			*nl = '\0';
		if (!buf[0])
			continue;
		key = buf;
		value = strchr(buf, ' ');
		if (!value)
			return reject(why, why_size, line, "expected 'key value'");
		*value++ = '\0';
		ok = parse_line(m, key, value);
		if (ok < 0)
			return reject(why, why_size, line, "unknown key '%s'", key);
		if (!ok)
			return reject(why, why_size, line, "bad value for '%s'", key);
	}
	if (m->format != KSPLICE_MANIFEST_VERSION)
		return reject(why, why_size, line, "missing 'format %d'", KSPLICE_MANIFEST_VERSION);
	if (!m->id[0] || !m->kernel_release[0] || !m->machine[0] || !m->nr_targets)
		return reject(why, why_size, line, "incomplete (needs id, kernel_release, machine, target)");
	return 0;
}
