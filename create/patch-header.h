/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksplice-patch.h for the patched build: ksplice-create writes the header
 * (core/ksplice-patch.h, embedded when ksplice-create is compiled) into
 * its work directory and puts that directory on the kernel build's include
 * path, so a patched .c file can #include <ksplice-patch.h>.
 */
#ifndef KSPLICE_PATCH_HEADER_H
#define KSPLICE_PATCH_HEADER_H

/* Write WORK/include/ksplice-patch.h; returns that directory (to free) or NULL. */
char *patch_header_install(const char *work_dir);

#endif
