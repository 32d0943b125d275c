/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksplice-patch.h for the patched build: ksplice-create writes the header
 * (core/ksplice-patch.h, embedded when ksplice-create is compiled) into
 * the prepared tree's cache entry (the same path every run, so kbuild's
 * recorded commands stay valid: build-replay.h) and puts that directory on
 * the kernel build's include path, so a patched .c file can #include
 * <ksplice-patch.h>.
 */
#ifndef KSPLICE_PATCH_HEADER_H
#define KSPLICE_PATCH_HEADER_H

/*
 * Write PARENT/include/ksplice-patch.h (unless it is there already, so
 * its time stays); returns that directory (to free) or NULL.
 */
char *patch_header_install(const char *parent);

#endif
