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
 *  (b) the `lineno` bits of a __dyndbg descriptor (CONFIG_DYNAMIC_DEBUG,
 *      struct _ddebug of include/linux/dynamic_debug.h): four pointers
 *      (modname, function, filename, format), then one unsigned int holding
 *      lineno:18, class_id:6, flags:8. GCC allocates bit-fields from the
 *      least significant bit on x86, so lineno is the low 18 bits of the
 *      little-endian word at offset 32 (x86-64) or 16 (i386); class_id and
 *      flags (bits 18..31) still count. The line is only printed and matched
 *      by "line N" queries of <debugfs>/dynamic_debug/control.
 *  (c) string literals that are identical except for runs of decimal digits
 *      that directly follow "<file>.c:", "<file>.h:" or "<file>.S:", which is
 *      how __FILE__ ":" __stringify(__LINE__) appears in a message.
 *
 * Nothing else is ignored: __LINE__ passed as an instruction immediate (e.g.
 * __might_sleep(__FILE__, __LINE__)) still counts as a change, which is safe
 * (the function is replaced needlessly).
 */
#ifndef KSPLICE_LINE_NUMBERS_H
#define KSPLICE_LINE_NUMBERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BUG_TABLE_ENTRY_SIZE 12
#define BUG_TABLE_LINE_OFFSET 8
#define BUG_TABLE_LINE_BITS 16

#define DYNDBG_LINE_OFFSET_64 32
#define DYNDBG_LINE_OFFSET_32 16
#define DYNDBG_LINE_BITS 18

/*
 * Bits of byte @off of an entry to ignore, for a line field of @bits low
 * bits of the little-endian word at @line_offset (-1: no line field).
 */
unsigned char line_field_mask(int line_offset, int bits, uint64_t off);

/* Rule (b): the strings @a and @b (not NUL-terminated) differ at most in line numbers. */
bool strings_equal_but_line_numbers(const char *a, size_t alen,
				    const char *b, size_t blen);

#endif
