/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A record, outside the source tree, of a patch applied to it: written
 * before the patch touches the tree and removed once the tree is restored.
 * A run killed in between (SIGKILL, a crash, power loss: signals are
 * caught and restore the tree themselves) leaves it behind, and the next
 * run on the same tree puts every file back from its saved copy before
 * doing anything else, or refuses to build from a tree it cannot vouch
 * for: a pre build from a patched tree would describe the wrong kernel.
 */
#ifndef KSPLICE_PATCH_JOURNAL_H
#define KSPLICE_PATCH_JOURNAL_H

#include "create/patch-apply.h"

/* Record ST's tree and saved files in JOURNAL (flushed to disk). */
int patch_journal_write(const struct patch_state *st, const char *journal);
/*
 * If JOURNAL exists, a run was killed with the tree maybe patched: restore
 * each file from its saved copy and remove JOURNAL. -1 (with a message
 * naming the files and what to do) if a file cannot be vouched for.
 */
int patch_journal_recover(const char *journal);

#endif
