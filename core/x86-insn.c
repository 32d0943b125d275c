// SPDX-License-Identifier: GPL-2.0
/*
 * x86 instruction lengths from the opcode maps (Intel SDM vol. 2, appendix
 * A; AMD APM vol. 3, appendix A): legacy prefixes, REX, the one-byte, 0f,
 * 0f38 and 0f3a maps, VEX and EVEX, ModRM/SIB/displacement and immediates.
 * Only lengths and relative branches are decoded, not operands.
 */
#include "core/x86-insn.h"

#define MAX_INSN_LEN 15

/* What follows an opcode. */
enum {
	A_MODRM = 1 << 0,
	A_IMM8 = 1 << 1,
	A_IMM16 = 1 << 2,
	A_IMMZ = 1 << 3,	/* 16 or 32 bits by operand size */
	A_IMMV = 1 << 4,	/* 16, 32 or 64 bits by operand size (mov r, imm) */
	A_MOFFS = 1 << 5,	/* an address by address size (mov al, moffs) */
	A_FAR = 1 << 6,		/* ptr16:16/32 (far call/jmp): IMMZ + 2 */
	A_GRP3 = 1 << 7,	/* f6/f7: an immediate only for /0 and /1 (test) */
	A_INV64 = 1 << 8,	/* not valid in 64-bit mode */
	A_BAD = 1 << 9,		/* undefined here */
};

static unsigned int one_byte_attr(u8 op)
{
	if (op < 0x40) {
		switch (op & 7) {
		case 0: case 1: case 2: case 3:
			return A_MODRM;
		case 4:
			return A_IMM8;
		case 5:
			return A_IMMZ;
		default:	/* push/pop seg, daa/das/aaa/aas; 26/2e/36/3e are prefixes */
			return op == 0x0f ? 0 : A_INV64;
		}
	}
	switch (op) {
	case 0x40 ... 0x5f: case 0x6c ... 0x6f: case 0x90 ... 0x99: case 0x9b ... 0x9f:
	case 0xa4 ... 0xa7: case 0xaa ... 0xaf: case 0xc3: case 0xc9: case 0xcb: case 0xcc:
	case 0xcf: case 0xd7: case 0xec ... 0xef: case 0xf1: case 0xf4: case 0xf5:
	case 0xf8 ... 0xfd:
		return 0;
	case 0x60: case 0x61: case 0xce: case 0xd6:
		return A_INV64;
	case 0x62:	/* bound (EVEX is handled before) */
		return A_MODRM | A_INV64;
	case 0x63: case 0x84 ... 0x8f: case 0xc4: case 0xc5: case 0xd0 ... 0xd3:
	case 0xd8 ... 0xdf: case 0xfe: case 0xff:
		return A_MODRM;
	case 0x68: case 0xa9: case 0xb8 ... 0xbf:
		return op >= 0xb8 ? A_IMMV : A_IMMZ;
	case 0x69: case 0x81: case 0xc7:
		return A_MODRM | A_IMMZ;
	case 0x6a: case 0x70 ... 0x7f: case 0xa8: case 0xb0 ... 0xb7: case 0xcd:
	case 0xe0 ... 0xe7: case 0xeb:
		return A_IMM8;
	case 0x6b: case 0x80: case 0x83: case 0xc0: case 0xc1: case 0xc6:
		return A_MODRM | A_IMM8;
	case 0x82:
		return A_MODRM | A_IMM8 | A_INV64;
	case 0x9a: case 0xea:
		return A_FAR | A_INV64;
	case 0xa0 ... 0xa3:
		return A_MOFFS;
	case 0xc2: case 0xca:
		return A_IMM16;
	case 0xc8:
		return A_IMM16 | A_IMM8;
	case 0xd4: case 0xd5:
		return A_IMM8 | A_INV64;
	case 0xe8: case 0xe9:
		return A_IMMZ;
	case 0xf6: case 0xf7:
		return A_MODRM | A_GRP3;
	}
	return A_BAD;	/* prefixes never get here */
}

static unsigned int map_0f_attr(u8 op)
{
	switch (op) {
	case 0x04: case 0x0a: case 0x0c: case 0x24 ... 0x27: case 0x36: case 0x39:
	case 0x3b ... 0x3f: case 0x7a: case 0x7b: case 0xa6: case 0xa7:
		return A_BAD;
	case 0x05 ... 0x09: case 0x0b: case 0x0e: case 0x30 ... 0x35: case 0x37: case 0x77:
	case 0xa0 ... 0xa2: case 0xa8 ... 0xaa: case 0xc8 ... 0xcf:
		return 0;
	case 0x0f:	/* 3DNow!: ModRM, then the opcode as a suffix byte */
	case 0x70 ... 0x73: case 0xa4: case 0xac: case 0xba: case 0xc2: case 0xc4 ... 0xc6:
		return A_MODRM | A_IMM8;
	case 0x80 ... 0x8f:
		return A_IMMZ;
	}
	return A_MODRM;
}

/* VEX/EVEX-encoded: every opcode has ModRM but vzeroupper/vzeroall. */
static unsigned int vex_attr(u8 map, u8 op)
{
	if (map == KSPLICE_MAP_0F3A)
		return A_MODRM | A_IMM8;
	if (map == KSPLICE_MAP_0F) {
		if (op == 0x77)
			return 0;
		if ((op >= 0x70 && op <= 0x73) || op == 0xc2 || (op >= 0xc4 && op <= 0xc6))
			return A_MODRM | A_IMM8;
	}
	return A_MODRM;
}

static bool is_legacy_prefix(u8 b)
{
	switch (b) {
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
		return true;
	}
	return false;
}

struct decoder {
	const u8 *p;
	unsigned int avail, pos;
	int mode;
	bool opsize16, addr16, addr32, rex_w;
};

static bool have(const struct decoder *d, unsigned int n)
{
	return d->pos + n <= d->avail && d->pos + n <= MAX_INSN_LEN;
}

/* Length of ModRM's SIB and displacement; false when truncated. */
static bool decode_modrm(struct decoder *d, struct ksplice_insn *insn)
{
	u8 mod, rm;

	if (!have(d, 1))
		return false;
	insn->has_modrm = 1;
	insn->modrm = d->p[d->pos++];
	mod = insn->modrm >> 6;
	rm = insn->modrm & 7;
	if (mod == 3)
		return true;
	if (d->addr16) {
		if (mod == 1)
			insn->disp_len = 1;
		else if (mod == 2 || (mod == 0 && rm == 6))
			insn->disp_len = 2;
	} else {
		if (rm == 4) {
			if (!have(d, 1))
				return false;
			if (mod == 0 && (d->p[d->pos] & 7) == 5)
				insn->disp_len = 4;
			d->pos++;
		}
		if (mod == 1)
			insn->disp_len = 1;
		else if (mod == 2 || (mod == 0 && rm == 5))
			insn->disp_len = 4;
	}
	insn->disp_off = d->pos;
	d->pos += insn->disp_len;
	return have(d, 0);
}

static unsigned int imm_len(const struct decoder *d, unsigned int attr, const struct ksplice_insn *insn)
{
	unsigned int z = d->opsize16 ? 2 : 4, n = 0;

	if (attr & A_IMM8)
		n += 1;
	if (attr & A_IMM16)
		n += 2;
	if (attr & A_IMMZ) {
		/* Near branches in 64-bit mode are rel32 whatever the prefixes. */
		if (d->mode == KSPLICE_INSN_64 && insn->map == KSPLICE_MAP_1 &&
		    (insn->opcode == 0xe8 || insn->opcode == 0xe9))
			z = 4;
		if (d->mode == KSPLICE_INSN_64 && insn->map == KSPLICE_MAP_0F)
			z = 4;
		n += z;
	}
	if (attr & A_IMMV)
		n += d->rex_w ? 8 : z;
	if (attr & A_FAR)
		n += z + 2;
	if (attr & A_MOFFS)
		n += d->mode == KSPLICE_INSN_64 ? (d->addr32 ? 4 : 8) : (d->addr16 ? 2 : 4);
	if ((attr & A_GRP3) && ((insn->modrm >> 3) & 7) < 2)
		n += insn->opcode == 0xf6 ? 1 : z;
	return n;
}

/* VEX (c4/c5) or EVEX (62): the prefix bytes select map and W. */
static bool decode_vex(struct decoder *d, struct ksplice_insn *insn)
{
	u8 b = d->p[d->pos];
	unsigned int n = b == 0xc5 ? 2 : b == 0xc4 ? 3 : 4;

	if (!have(d, n + 1))
		return false;
	insn->vex = n;
	if (n == 2) {
		insn->map = KSPLICE_MAP_0F;
	} else {
		insn->map = d->p[d->pos + 1] & (n == 3 ? 0x1f : 0x07);
		d->rex_w = d->p[d->pos + 2] >> 7;
	}
	d->pos += n;
	insn->opcode = d->p[d->pos++];
	return insn->map >= KSPLICE_MAP_0F && insn->map <= KSPLICE_MAP_0F3A;
}

/*
 * c4, c5 and 62 are VEX/EVEX in 64-bit mode; in 32-bit mode only when the
 * next byte's ModRM.mod would be 11 (les/lds/bound need a memory operand).
 */
static bool vex_escape(const struct decoder *d)
{
	u8 b = d->p[d->pos];

	if (b != 0xc4 && b != 0xc5 && b != 0x62)
		return false;
	if (d->mode == KSPLICE_INSN_64)
		return true;
	return have(d, 2) && (d->p[d->pos + 1] & 0xc0) == 0xc0;
}

static void note_branch(struct ksplice_insn *insn)
{
	u8 op = insn->opcode;

	if (insn->vex)
		return;
	if (insn->map == KSPLICE_MAP_1) {
		if (op == 0xeb || op == 0xe9)
			insn->branch = KSPLICE_BRANCH_JMP;
		else if (op == 0xe8)
			insn->branch = KSPLICE_BRANCH_CALL;
		else if (op >= 0x70 && op <= 0x7f)
			insn->branch = KSPLICE_BRANCH_JCC;
		else if (op >= 0xe0 && op <= 0xe3)
			insn->branch = KSPLICE_BRANCH_LOOP;
	} else if (insn->map == KSPLICE_MAP_0F && op >= 0x80 && op <= 0x8f) {
		insn->branch = KSPLICE_BRANCH_JCC;
	}
	insn->cond = op & 0x0f;
}

unsigned int ksplice_insn_decode(const u8 *p, unsigned int avail, int mode,
				 struct ksplice_insn *insn)
{
	struct decoder d = { .p = p, .avail = avail, .mode = mode };
	unsigned int attr;

	memset(insn, 0, sizeof(*insn));
	for (;;) {
		if (!have(&d, 1))
			return 0;
		if (is_legacy_prefix(p[d.pos])) {
			d.opsize16 |= p[d.pos] == 0x66;
			if (p[d.pos] == 0x67) {
				d.addr16 = mode == KSPLICE_INSN_32;
				d.addr32 = mode == KSPLICE_INSN_64;
			}
			d.rex_w = false;	/* a REX must come last */
			d.pos++;
			continue;
		}
		if (mode == KSPLICE_INSN_64 && (p[d.pos] & 0xf0) == 0x40) {
			d.rex_w = p[d.pos] & 8;
			d.pos++;
			continue;
		}
		break;
	}
	if (d.rex_w)
		d.opsize16 = false;	/* REX.W wins over 66 */
	insn->prefixes = d.pos;
	if (vex_escape(&d)) {
		if (!decode_vex(&d, insn))
			return 0;
		attr = vex_attr(insn->map, insn->opcode);
	} else if (p[d.pos] == 0x0f) {
		if (!have(&d, 2))
			return 0;
		d.pos++;
		insn->map = KSPLICE_MAP_0F;
		if (p[d.pos] == 0x38 || p[d.pos] == 0x3a) {
			insn->map = p[d.pos] == 0x38 ? KSPLICE_MAP_0F38 : KSPLICE_MAP_0F3A;
			d.pos++;
			if (!have(&d, 1))
				return 0;
			attr = A_MODRM | (insn->map == KSPLICE_MAP_0F3A ? A_IMM8 : 0);
		} else {
			attr = map_0f_attr(p[d.pos]);
		}
		insn->opcode = p[d.pos++];
	} else {
		insn->opcode = p[d.pos++];
		attr = one_byte_attr(insn->opcode);
	}
	if ((attr & A_BAD) || ((attr & A_INV64) && mode == KSPLICE_INSN_64))
		return 0;
	if ((attr & A_MODRM) && !decode_modrm(&d, insn))
		return 0;
	insn->imm_off = d.pos;
	insn->imm_len = imm_len(&d, attr, insn);
	d.pos += insn->imm_len;
	if (!have(&d, 0))
		return 0;
	insn->len = d.pos;
	note_branch(insn);
	return insn->len;
}

s64 ksplice_insn_rel(const struct ksplice_insn *insn, const u8 *p)
{
	const u8 *imm = p + insn->imm_off;

	switch (insn->imm_len) {
	case 1:
		return (s8)imm[0];
	case 2:
		return (s16)(imm[0] | imm[1] << 8);
	case 4:
		return (s32)((u32)imm[0] | (u32)imm[1] << 8 | (u32)imm[2] << 16 |
			     (u32)imm[3] << 24);
	}
	return 0;
}
