/* SPDX-License-Identifier: GPL-2.0 */
/* Compiling objects again with the command kbuild recorded for them. */
#ifndef KSPLICE_BUILD_REPLAY_H
#define KSPLICE_BUILD_REPLAY_H

#include <stdbool.h>

struct build_result;
struct tree_prepared;

/* build_replay's answer when it cannot stand in for kbuild. */
#define BUILD_REPLAY_UNAVAILABLE (-2)

/*
 * The command kbuild recorded for object PATH ("kernel/sys.o") in the
 * O= tree OBJ, in make syntax; NULL if there is none.
 */
char *build_recorded_command(const char *obj, const char *path);

/*
 * Compile the TODO objects of R in T's O= tree with the commands kbuild
 * recorded for them, output to LOG. A command is used if it contains
 * KCFLAGS and was recorded after WALK_STAMP (the kbuild walk's fingerprint:
 * the Makefiles are as they were then). Returns make's exit status, or
 * BUILD_REPLAY_UNAVAILABLE (nothing run) when an object has no such
 * command or the config needs more than the command (recordmcount).
 */
int build_replay(const struct build_result *r, const struct tree_prepared *t,
		 const bool *todo, const char *kcflags, const char *walk_stamp,
		 bool keep_going, const char *log);

#endif
