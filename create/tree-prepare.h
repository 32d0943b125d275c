/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The prepared tree: a kbuild output directory (make O=) configured with the
 * running kernel's config, after `make olddefconfig prepare`. Preparing
 * takes about a minute, so it is cached in
 *   ${KSPLICE_CACHE:-$HOME/.cache/ksplice}/create/KEY/obj
 * where KEY hashes the source tree's path and version, the config contents
 * and the compiler. KEY.lock serialises runs that use the same prepared tree
 * (they also compile objects in it).
 */
#ifndef KSPLICE_TREE_PREPARE_H
#define KSPLICE_TREE_PREPARE_H

#include <stdbool.h>

struct tree_prepared {
	char *src;		/* absolute source tree */
	char *version;		/* "6.1.192" from its Makefile */
	char *cc;		/* compiler command, e.g. "gcc-12" */
	char *dir;		/* the cache entry */
	char *obj;		/* DIR/obj: the O= tree */
	char *config_text;	/* the config as given */
	const char *arch;	/* kbuild ARCH: "x86" (x86-64) or "i386" */
	int jobs;
	int lock_fd;
};

/*
 * Find or create the prepared tree for SRC and CONFIG; on return the entry
 * is locked until tree_release.
 */
int tree_prepare(struct tree_prepared *t, const char *src, const char *config,
		 int jobs);
void tree_release(struct tree_prepared *t);

/*
 * argv for `make -C SRC O=OBJ ARCH=... CC=... -jN` followed by EXTRA (NULL-ended).
 * Free with tree_free_argv.
 */
char **tree_make_argv(const struct tree_prepared *t, const char *const *extra);
void tree_free_argv(char **argv);

/* ${KSPLICE_CACHE:-$HOME/.cache/ksplice} */
char *tree_cache_root(void);

/* Pure helpers, exposed for the unit tests. */

/* The value of CONFIG_NAME in a .config text, unquoted; NULL if unset. */
char *tree_config_value(const char *text, const char *name);
/* Whether CONFIG_NAME is =y in a .config text. */
bool tree_config_enabled(const char *text, const char *name);
/* The kbuild ARCH of a .config: "x86" (x86-64), "i386", or NULL if neither. */
const char *tree_config_arch(const char *text);
/* The compiler command CONFIG_CC_VERSION_TEXT names ("gcc-12 (Debian ...)"). */
char *tree_cc_from_version_text(const char *text);
/* The config with the certificate file options emptied. */
char *tree_config_clear_certs(const char *text);
/* "VERSION.PATCHLEVEL.SUBLEVEL[EXTRAVERSION]" from a top-level Makefile. */
char *tree_makefile_version(const char *makefile);
/*
 * CONFIG_ lines of NEW that differ from OLD (ignoring the certificate
 * options), one "-old"/"+new" line each; empty string if none.
 */
char *tree_config_diff(const char *old, const char *new);

#endif
