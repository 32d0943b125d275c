// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "create/system-map.h"

/* Lines are "ADDRESS TYPE NAME". */
long system_map_count(const char *path, const char *name)
{
	FILE *f = fopen(path, "r");
	char line[1024], *sym;
	long n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		sym = strchr(line, ' ');
		sym = sym ? strchr(sym + 1, ' ') : NULL;
		if (sym && !strcmp(sym + 1, name))
			n++;
	}
	fclose(f);
	return n;
}
