/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where an x86-64 instruction ends, seen from a RIP-relative disp32 inside
 * it. GAS writes `cmpb $0, __already_done.3(%rip)` against the section
 * symbol as `.data.once + 3 - 5`: the addend counts from the end of the
 * instruction, which is 4 + the size of an immediate operand after the
 * displacement (0, 1, 2 or 4 bytes). Reading the place meant as S + A + 4
 * would name the object one byte before the right one.
 */
#ifndef KSPLICE_INSN_TAIL_H
#define KSPLICE_INSN_TAIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Bytes of immediate after the disp32 at @disp in @code (@size bytes), for
 * an instruction with a RIP-relative ModRM operand; 0 if the bytes before
 * @disp are not a ModRM byte with RIP-relative addressing (call/jmp rel32,
 * data) or the opcode takes no immediate.
 */
unsigned int x86_64_immediate_after_disp32(const unsigned char *code,
					   uint64_t size, uint64_t disp);

#endif
