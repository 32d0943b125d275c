/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the build stage of ksplice-create: messages,
 * memory, string lists, files, child processes and hashing.
 */
#ifndef KSPLICE_BUILD_UTIL_H
#define KSPLICE_BUILD_UTIL_H

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "create/create-util.h"

/* -1 quiet, 0 normal (one line per stage), 1 verbose. */
extern int build_verbosity;

/* Set by the SIGINT/SIGTERM handler; long operations check it and unwind. */
extern volatile sig_atomic_t build_interrupted;

/*
 * Route SIGINT, SIGTERM and SIGHUP to build_interrupted. No SA_RESTART: a
 * blocked waitpid returns, so the caller can restore what it changed.
 */
void build_catch_signals(void);

void build_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void build_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A progress line: printed unless quiet. */
void build_stage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A detail line: printed when verbose. */
void build_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Allocation that cannot fail: the create library's (create-util.h). */
#define build_xmalloc xmalloc
#define build_xcalloc xcalloc
#define build_xrealloc xrealloc
#define build_xstrdup xstrdup
#define build_xstrndup xstrndup
#define build_xasprintf xasprintf

/* A growable list of owned strings. */
struct build_strlist {
	char **v;
	size_t n, cap;
};

void build_strlist_add(struct build_strlist *l, const char *s);
void build_strlist_add_owned(struct build_strlist *l, char *s);
/* Sort and drop duplicates, so build_strlist_has can bsearch. */
void build_strlist_sort_unique(struct build_strlist *l);
bool build_strlist_has(const struct build_strlist *l, const char *s);
void build_strlist_free(struct build_strlist *l);

bool build_has_suffix(const char *s, const char *suffix);
bool build_has_prefix(const char *s, const char *prefix);
/*
 * Normalise a relative path lexically: drop "." components and fold
 * "dir/..". Returns NULL if the path escapes its root or is absolute.
 */
char *build_path_normalize(const char *path);

bool build_file_exists(const char *path);
bool build_dir_exists(const char *path);
int build_mkdir_p(const char *path);
/* mkdir -p of the directory part of PATH. */
int build_mkdir_p_parent(const char *path);
int build_rm_rf(const char *path);
/* Read a whole file, NUL-terminated; *len (optional) excludes the NUL. */
int build_read_file(const char *path, char **buf, size_t *len);
int build_write_file(const char *path, const void *buf, size_t len);
/* Copy contents, permission bits and timestamps. */
int build_copy_file(const char *src, const char *dst);

/*
 * Open (creating) @path and take an exclusive flock on it, saying
 * "Waiting for another ksplice-create @waiting_for..." while another run
 * holds it. Returns the fd (the lock lives until it is closed), or -1 after
 * printing why.
 */
int build_lock_file(const char *path, const char *waiting_for);

/* FNV-1a, 64 bits: for cache keys and change detection, not security. */
uint64_t build_hash(const void *buf, size_t len, uint64_t h);
#define BUILD_HASH_INIT 0xcbf29ce484222325ULL
int build_hash_file(const char *path, uint64_t *hash);

struct build_run_opts {
	const char *dir;	/* chdir here first (optional) */
	const char *log;	/* append stdout+stderr here (optional) */
	char **capture;		/* store stdout here, NUL-terminated (optional) */
	bool ignore_signals;	/* the child ignores SIGINT/SIGTERM */
	bool quiet_stderr;	/* send stderr to /dev/null if no log */
};

/*
 * Run argv[0] (searched in PATH) and wait. Returns its exit status, 128+N
 * when killed by signal N, -1 if it could not run. If we are interrupted
 * while waiting, the child is sent SIGTERM and waited for.
 */
int build_run(char *const argv[], const struct build_run_opts *opts);
/* The command line as one string, for messages. */
char *build_argv_string(char *const argv[]);

#endif
