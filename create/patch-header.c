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

char *patch_header_install(const char *work_dir)
{
	char *dir = build_xasprintf("%s/include", work_dir);
	char *path = build_xasprintf("%s/ksplice-patch.h", dir);
	FILE *f = NULL;

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
