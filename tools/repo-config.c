// SPDX-License-Identifier: GPL-2.0
#include "tools/repo-config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/common.h"

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static int set_key(struct repo_config *c, const char *key, const char *value)
{
	char *dst;

	if (!strcmp(key, "repository"))
		dst = c->repository;
	else if (!strcmp(key, "keyring"))
		dst = c->keyring;
	else
		return -1;
	snprintf(dst, sizeof(c->repository), "%s", value);
	return 0;
}

int repo_config_read(struct repo_config *c)
{
	const char *env = getenv("KSPLICE_CONF");
	const char *path = env && *env ? env : KSPLICE_CONF;
	char line[2048];
	int lineno = 0;
	FILE *f;

	memset(c, 0, sizeof(*c));
	snprintf(c->keyring, sizeof(c->keyring), "%s", KSPLICE_KEYRING);
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		tool_error("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *s = trim(line), *eq;

		lineno++;
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (eq)
			*eq = '\0';
		if (!eq || set_key(c, trim(s), trim(eq + 1))) {
			tool_error("%s:%d: expected 'repository = URL' or 'keyring = FILE'", path, lineno);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}
