/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building an update module with kbuild against a kernel build or headers
 * directory: a directory with a Kbuild file listing the generated stub and
 * the written object (as a "_shipped" file, which kbuild copies), and a
 * stand-in ksplice.ko that tells modpost the core's exports and their
 * CRCs, then `make -C KDIR M=DIR ARCH=ARCH modules`.
 */
#ifndef KSPLICE_MODULE_KBUILD_H
#define KSPLICE_MODULE_KBUILD_H

#include <sys/types.h>

#include "create/create-util.h"

#define KBUILD_STUB "ksplice-stub"
#define KBUILD_CODE "ksplice-code"
/* The stand-in for ksplice.ko that gives modpost its exports (and CRCs). */
#define KBUILD_STANDIN "ksplice"
#define KBUILD_STANDIN_EXPORTS "ksplice-exports"
#define KBUILD_STANDIN_DEFS "ksplice-standin"

/* Write DIR/Kbuild for module @name (file name, '-' allowed). */
int kbuild_write_makefile(const char *dir, const char *name,
			  struct ks_error *err);

/*
 * Start kbuild in @dir, output into @log (several may run at once); -1 if
 * it could not start. kbuild_finish waits for it; on failure @err names
 * the log and quotes its first error line.
 */
pid_t kbuild_start(const char *kdir, const char *arch, const char *dir, const char *log);
int kbuild_finish(pid_t pid, const char *kdir, const char *dir, const char *log,
		  struct ks_error *err);

#endif
