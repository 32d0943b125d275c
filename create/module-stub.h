/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C half of an update module: the ksplice records of a module image
 * as initialised arrays, one struct ksplice_module_desc in section
 * KSPLICE_DESC_SECTION pointing at them, the license, and init/exit that
 * register the descriptor with ksplice.ko (core/ksplice-api.h). Pointer fields are initialised with C pointers into the
 * image's sections ("__ksplice_sec_N + offset"), so the module loader
 * relocates them.
 */
#ifndef KSPLICE_MODULE_STUB_H
#define KSPLICE_MODULE_STUB_H

#include <stdio.h>

#include "create/module-image.h"

/* Write the generated source for @img of update @id, target @target. */
int stub_write(const struct module_image *img, const char *id,
	       const char *target, const char *path, struct ks_error *err);

/*
 * Write the headers the source includes as DIR/core/update-format.h,
 * DIR/core/compat.h and DIR/core/ksplice-api.h (embedded in this program,
 * so modules always match the format it writes).
 */
int stub_write_headers(const char *dir, struct ks_error *err);

/* Print @s as a C string literal (octal escapes for anything unusual). */
void stub_print_string(FILE *f, const char *s);

#endif
