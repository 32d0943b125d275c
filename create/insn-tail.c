// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>

#include "create/insn-tail.h"

#define ESCAPE 0x0f
#define OPERAND_SIZE_PREFIX 0x66

/* ModRM with mod=00 and r/m=101: disp32(%rip) in 64-bit mode. */
static bool is_rip_relative_modrm(unsigned char modrm)
{
	return (modrm & 0xc7) == 0x05;
}

static bool is_rex(unsigned char b)
{
	return b >= 0x40 && b <= 0x4f;
}

/* imm32 of the one-byte opcodes that have one, imm16 under a 0x66 prefix. */
static unsigned int full_immediate(const unsigned char *code, uint64_t opcode)
{
	uint64_t p = opcode;

	if (p > 0 && is_rex(code[p - 1]))
		p--;
	return p > 0 && code[p - 1] == OPERAND_SIZE_PREFIX ? 2 : 4;
}

static unsigned int one_byte_opcode_immediate(const unsigned char *code,
					      uint64_t opcode,
					      unsigned char modrm)
{
	unsigned int reg = (modrm >> 3) & 7;

	switch (code[opcode]) {
	case 0x80: case 0x83: case 0xc0: case 0xc1: case 0xc6: case 0x6b:
		return 1;	/* group 1/2 imm8, mov imm8, imul imm8 */
	case 0x81: case 0xc7: case 0x69:
		return full_immediate(code, opcode);
	case 0xf6:
		return reg <= 1 ? 1 : 0;	/* test imm8; not/neg/mul/div */
	case 0xf7:
		return reg <= 1 ? full_immediate(code, opcode) : 0;
	}
	return 0;
}

static unsigned int two_byte_opcode_immediate(unsigned char opcode)
{
	switch (opcode) {
	case 0xba: case 0xa4: case 0xac:	/* bt* imm8, shld/shrd imm8 */
	case 0x70: case 0x71: case 0x72: case 0x73:
	case 0xc2: case 0xc4: case 0xc5: case 0xc6:
		return 1;
	}
	return 0;
}

unsigned int x86_64_immediate_after_disp32(const unsigned char *code,
					   uint64_t size, uint64_t disp)
{
	unsigned char modrm;

	if (!code || disp < 2 || disp > size)
		return 0;
	modrm = code[disp - 1];
	if (!is_rip_relative_modrm(modrm))
		return 0;
	if (disp >= 4 && code[disp - 4] == ESCAPE && code[disp - 3] == 0x3a)
		return 1;	/* 0f 3a xx: all take imm8 */
	if (disp >= 3 && code[disp - 3] == ESCAPE)
		return two_byte_opcode_immediate(code[disp - 2]);
	return one_byte_opcode_immediate(code, disp - 2, modrm);
}
