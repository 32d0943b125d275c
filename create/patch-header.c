// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "create/build-util.h"
#include "create/patch-header.h"

/* Embedded from the top of the source tree, as the Makefile compiles. */
__asm__(".pushsection .rodata\n"
	"ksplice_embedded_patch_h:\n"
	".incbin \"core/ksplice-patch.h\"\n"
	".byte 0\n"
	".popsection\n");
extern const char ksplice_embedded_patch_h[] __asm__("ksplice_embedded_patch_h");

/* Already there with this content: left alone, so its time stays. */
static bool installed(const char *path)
{
	char *text;
	bool same;

	if (build_read_file(path, &text, NULL))
		return false;
	same = !strcmp(text, ksplice_embedded_patch_h);
	free(text);
	return same;
}

char *patch_header_install(const char *parent)
{
	char *dir = build_xasprintf("%s/include", parent);
	char *path = build_xasprintf("%s/ksplice-patch.h", dir);
	FILE *f = NULL;

	if (installed(path)) {
		free(path);
		return dir;
	}
	if (!build_mkdir_p(dir))
		f = fopen(path, "w");
	if (!f || (fputs(ksplice_embedded_patch_h, f) < 0) | fclose(f)) {
		build_error("cannot write %s: %s", path, strerror(errno));
		free(path);
		free(dir);
		return NULL;
	}
	free(path);
	return dir;
}
