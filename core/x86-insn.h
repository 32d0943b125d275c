/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 instruction-length decoding, for x86-64 and i386 code: enough to walk
 * a function instruction by instruction and to recognise relative branches
 * (the matcher compares a short `jmp rel8` with a long `jmp rel32` by
 * target). Shared by ksplice.ko and the userspace tools.
 */
#ifndef KSPLICE_X86_INSN_H
#define KSPLICE_X86_INSN_H

#include "core/compat.h"

enum ksplice_insn_mode {
	KSPLICE_INSN_32 = 32,	/* i386 (protected mode, 32-bit code) */
	KSPLICE_INSN_64 = 64,	/* x86-64 (long mode, 64-bit code) */
};

/* Opcode maps. */
enum ksplice_insn_map {
	KSPLICE_MAP_1 = 0,	/* one-byte opcodes */
	KSPLICE_MAP_0F = 1,
	KSPLICE_MAP_0F38 = 2,
	KSPLICE_MAP_0F3A = 3,
};

enum ksplice_branch_kind {
	KSPLICE_BRANCH_NONE = 0,
	KSPLICE_BRANCH_JMP,	/* eb rel8, e9 rel32 */
	KSPLICE_BRANCH_JCC,	/* 7x rel8, 0f 8x rel32: cond is x */
	KSPLICE_BRANCH_CALL,	/* e8 rel32 */
	KSPLICE_BRANCH_LOOP,	/* e0-e3 rel8 (loop*, jcxz): no long form */
};

struct ksplice_insn {
	u8 len;		/* total length */
	u8 prefixes;	/* legacy prefix bytes (and REX) before the opcode */
	u8 map;		/* enum ksplice_insn_map (VEX/EVEX: the map they select) */
	u8 opcode;	/* the opcode byte within its map */
	u8 vex;		/* 0, 2 or 3 (VEX c5/c4), 4 (EVEX) */
	u8 has_modrm;
	u8 modrm;
	u8 disp_len, disp_off;
	u8 imm_len, imm_off;
	u8 branch;	/* enum ksplice_branch_kind (relative: target = end + imm) */
	u8 cond;	/* JCC condition code, 0..15 */
};

/*
 * Decode the instruction at @p (at most @avail bytes readable). Returns its
 * length, 0 when the bytes are not a valid instruction in @mode or it does
 * not fit in @avail (or exceeds 15 bytes).
 */
unsigned int ksplice_insn_decode(const u8 *p, unsigned int avail, int mode,
				 struct ksplice_insn *insn);

/* The displacement of a relative branch (sign-extended immediate). */
s64 ksplice_insn_rel(const struct ksplice_insn *insn, const u8 *p);

#endif
