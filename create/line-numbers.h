/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rule that lets a patch shift line numbers without making every
 * function below the change look "changed".
 *
 * A difference is line-number-only when it is confined to:
 *  (a) the `line` field of a __bug_table entry. On x86-64 and i386 Linux 6.1
 *      with CONFIG_DEBUG_BUGVERBOSE an entry is 12 bytes:
 *      { bug_addr (s32 disp / pointer); file (s32 disp / pointer);
 *        u16 line; u16 flags }, so the line is the u16 at offset 8. It is
 *      only read to print "kernel BUG at file:line" / the WARNING banner.
 *  (b) string literals that are identical except for runs of decimal digits
 *      that directly follow "<file>.c:", "<file>.h:" or "<file>.S:", which is
 *      how __FILE__ ":" __stringify(__LINE__) appears in a message.
 *
 * Nothing else is ignored: __LINE__ passed as an instruction immediate (e.g.
 * __might_sleep(__FILE__, __LINE__)) or the lineno of a __dyndbg descriptor
 * still count as changes, which is safe (the function is replaced needlessly).
 */
#ifndef KSPLICE_LINE_NUMBERS_H
#define KSPLICE_LINE_NUMBERS_H

#include <stdbool.h>
#include <stddef.h>

#define BUG_TABLE_ENTRY_SIZE 12
#define BUG_TABLE_LINE_OFFSET 8
#define BUG_TABLE_LINE_SIZE 2

/* Rule (b): the strings @a and @b (not NUL-terminated) differ at most in line numbers. */
bool strings_equal_but_line_numbers(const char *a, size_t alen,
				    const char *b, size_t blen);

#endif
