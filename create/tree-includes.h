/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The include graph of a kernel source tree: which files a changed file
 * reaches through #include, directly or transitively.
 *
 * Every .c/.h/.S/.inc file of the tree (except Documentation/, tools/,
 * scripts/ and other architectures) and the generated headers of the
 * prepared tree are scanned for #include lines, whatever #if they sit in
 * (over-approximation is safe). An include is resolved like the compiler
 * does with kbuild's search path: the including file's directory for
 * "quoted" names, then arch/x86/include, arch/x86/include/generated,
 * include, include/generated..., the uapi directories. An include that does
 * not resolve there (per-directory -I flags) or #include_next matches every
 * file whose path ends with the included name. Includes through macros
 * (#include FOO) cannot be followed; kernel code uses them for trace
 * headers, which their .c file also includes by name.
 *
 * Scanning 40k files takes seconds, so the scan is cached in an index file
 * and only files whose mtime/size/inode changed are read again.
 */
#ifndef KSPLICE_TREE_INCLUDES_H
#define KSPLICE_TREE_INCLUDES_H

#include <stdbool.h>

#include "create/build-util.h"

struct tree_includes;

/*
 * Scan SRC (and OBJ's generated headers, if OBJ is not NULL), using and
 * refreshing the index at CACHE (may be NULL).
 */
struct tree_includes *tree_includes_load(const char *src, const char *obj,
					 const char *cache);
/*
 * Add to OUT every source file (relative to SRC) that CHANGED (relative to
 * SRC) reach, including CHANGED themselves. *REACHES_ALL is set when a file
 * forced into every compilation (-include kconfig.h etc.) is reached.
 */
void tree_includes_affected(struct tree_includes *ti,
			    const struct build_strlist *changed,
			    struct build_strlist *out, bool *reaches_all);
size_t tree_includes_nr_files(const struct tree_includes *ti);
void tree_includes_free(struct tree_includes *ti);

/*
 * The #include lines of TEXT, as "<name>", "\"name\"" or "next:<name>"
 * (for #include_next). Exposed for the unit tests.
 */
void tree_scan_includes(const char *text, struct build_strlist *specs);

#endif
