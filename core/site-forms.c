// SPDX-License-Identifier: GPL-2.0
#include "core/site-forms.h"

/*
 * The NOPs x86 kernels write: 0x90, the 0f 1f /0 family (with or without
 * 66 prefixes, any ModRM/SIB/displacement form), and the i386 kernel's own
 * table (arch/x86/include/asm/nops.h without CONFIG_64BIT, also what GAS
 * pads 32-bit code with): `mov %esi,%esi` and `lea 0(%esi[,%eiz]),%esi`
 * forms, the 5- and 8-byte ones with a DS (3e) prefix.
 */
static unsigned int modrm_nop_len(const u8 *p, unsigned int avail)
{
	u8 modrm, mod, rm;
	unsigned int len = 1;

	if (avail < 1)
		return 0;
	modrm = p[0];
	mod = modrm >> 6;
	rm = modrm & 7;
	if (mod == 3)
		return 1;
	if (rm == 4)
		len++;		/* SIB byte */
	if (mod == 1)
		len += 1;
	else if (mod == 2 || (mod == 0 && rm == 5))
		len += 4;
	return len <= avail ? len : 0;
}

/* lea 0(%esi),%esi and friends (8d 76 00, 8d 74 26 00, 8d b6/b4 ...). */
static unsigned int lea_nop_len(const u8 *p, unsigned int avail)
{
	u8 reg, rm;
	unsigned int len;

	if (avail < 2 || p[0] != 0x8d || (p[1] >> 6) == 3)
		return 0;
	reg = (p[1] >> 3) & 7;
	rm = p[1] & 7;
	if (rm != reg && !(rm == 4 && avail >= 3 && (p[2] & 7) == reg))
		return 0;
	len = modrm_nop_len(p + 1, avail - 1);
	return len ? 1 + len : 0;
}

unsigned int ksplice_nop_len(const u8 *p, unsigned int avail)
{
	unsigned int prefixes = 0, len;

	if (avail >= 1 && p[0] == 0x90)
		return 1;
	while (prefixes < avail && p[prefixes] == 0x66)
		prefixes++;
	if (prefixes && prefixes < avail && p[prefixes] == 0x90)
		return prefixes + 1;
	/* 0f 1f /0: the multi-byte NOP, whose ModRM reg field must be 0. */
	if (prefixes + 3 <= avail && p[prefixes] == 0x0f && p[prefixes + 1] == 0x1f &&
	    ((p[prefixes + 2] >> 3) & 7) == 0) {
		len = modrm_nop_len(p + prefixes + 2, avail - prefixes - 2);
		return len ? prefixes + 2 + len : 0;
	}
	if (prefixes)
		return 0;
	/* mov %esi,%esi: the i386 2-byte NOP. */
	if (avail >= 2 && p[0] == 0x89 && p[1] == 0xf6)
		return 2;
	if (avail >= 2 && p[0] == 0x3e && p[1] == 0x8d) {
		len = lea_nop_len(p + 1, avail - 1);
		return len ? 1 + len : 0;
	}
	return lea_nop_len(p, avail);
}

bool ksplice_is_padding(const u8 *p, unsigned int len)
{
	unsigned int off = 0, n;

	while (off < len) {
		if (p[off] == 0xcc) {
			off++;
			continue;
		}
		n = ksplice_nop_len(p + off, len - off);
		if (!n)
			return false;
		off += n;
	}
	return true;
}

static bool is_rel32_call_or_jmp(const u8 *p)
{
	return p[0] == 0xe8 || p[0] == 0xe9;
}

/* ftrace: the 5-byte NOP, or a call into whatever tracer is attached. */
static bool fentry_ok(const u8 *run, unsigned int len)
{
	return len == 5 && (run[0] == 0xe8 || ksplice_is_padding(run, 5));
}

static bool jump_label_ok(const u8 *run, unsigned int len)
{
	if (ksplice_is_padding(run, len))
		return true;
	return (len == 2 && run[0] == 0xeb) || (len == 5 && run[0] == 0xe9);
}

/* `jmp __x86_return_thunk` may run as `ret; int3...` or jump to another thunk. */
static bool return_ok(const u8 *run, unsigned int len)
{
	if (run[0] == 0xc3)
		return ksplice_is_padding(run + 1, len - 1);
	return len == 5 && run[0] == 0xe9;
}

/*
 * A retpoline thunk call may run as a call to another thunk (ITS; with a
 * CS prefix when the site is 6 bytes), or as `[lfence;] call/jmp *%reg`
 * padded with NOPs; a conditional jump to a thunk may become an inverted
 * short jump over `[lfence;] jmp *%reg` (see patch_retpoline()).
 */
static bool retpoline_ok(const u8 *orig, const u8 *run, unsigned int len)
{
	unsigned int off = 0;

	if (len >= 5 && is_rel32_call_or_jmp(run))
		return true;
	if (len >= 6 && run[0] == 0x2e && is_rel32_call_or_jmp(run + 1))
		return true;
	if (len >= 6 && run[0] == 0x0f && (run[1] & 0xf0) == 0x80)
		return true;	/* conditional jump to a thunk */
	if (len >= 6 && (run[0] & 0xf0) == 0x70 && run[1] == len - 2)
		off = 2;	/* Jncc.d8 over the indirect jump */
	if (off + 3 <= len && run[off] == 0x0f && run[off + 1] == 0xae && run[off + 2] == 0xe8)
		off += 3;	/* lfence */
	if (off < len && (run[off] & 0xf0) == 0x40)
		off++;		/* REX prefix for r8-r15 */
	if (off + 2 > len || run[off] != 0xff)
		return false;
	/* ModRM: register direct, /2 (call) or /4 (jmp). */
	if ((run[off + 1] >> 6) != 3 || (((run[off + 1] >> 3) & 7) != 2 && ((run[off + 1] >> 3) & 7) != 4))
		return false;
	return ksplice_is_padding(run + off + 2, len - off - 2);
}

/* Inline static calls: see arch/x86/kernel/static_call.c for the forms. */
static bool static_call_ok(const u8 *run, unsigned int len)
{
	static const u8 ret0[5] = { 0x2e, 0x2e, 0x2e, 0x31, 0xc0 };

	if (len != 5)
		return false;
	if (is_rel32_call_or_jmp(run) || ksplice_is_padding(run, 5))
		return true;
	if (!memcmp(run, ret0, 5))
		return true;
	return run[0] == 0xc3 && ksplice_is_padding(run + 1, 4);
}

static u8 byte_or_nop(const u8 *p, unsigned int len, unsigned int i)
{
	return i < len ? p[i] : 0x90;
}

/*
 * Does @run (@len bytes) hold @want (@wlen bytes, padded with 0x90 to
 * @len) as apply_alternatives() leaves it? optimize_nops() turns every run
 * of 0x90 into other NOPs of the same length; a relative call or jmp got a
 * displacement recomputed for its new place (or, for relocated calls in
 * the original, one we do not know), and a 5-byte jmp may have become a
 * 2-byte one plus a 3-byte NOP (recompute_jump()).
 */
static bool alt_form_matches(const u8 *want, unsigned int wlen, const u8 *run, unsigned int len)
{
	unsigned int i = 0, j;
	u8 w;

	if (wlen > len)
		return false;
	while (i < len) {
		w = byte_or_nop(want, wlen, i);
		if (w == 0x90) {
			for (j = i; j < len && byte_or_nop(want, wlen, j) == 0x90; j++)
				;
			if (!ksplice_is_padding(run + i, j - i))
				return false;
			i = j;
		} else if (is_rel32_call_or_jmp(&w) && i + 5 <= wlen && run[i] == w) {
			i += 5;
		} else if (w == 0xe9 && i + 5 <= wlen && run[i] == 0xeb) {
			if (!ksplice_is_padding(run + i + 2, 3))
				return false;
			i += 5;
		} else if (run[i] == w) {
			i++;
		} else {
			return false;
		}
	}
	return true;
}

/* Alternatives: the original, or the replacement followed by NOPs. */
static bool alternative_ok(const u8 *orig, const u8 *repl, unsigned int rlen,
			   const u8 *run, unsigned int len)
{
	if (alt_form_matches(orig, len, run, len) || ksplice_is_padding(run, len))
		return true;
	return repl && alt_form_matches(repl, rlen, run, len);
}

/*
 * Paravirt: the indirect call through pv_ops, a direct call, or native
 * instructions padded with NOPs. The native forms are too many to list;
 * the site is at most a few bytes and everything around it is compared.
 */
static bool paravirt_ok(const u8 *orig, const u8 *run, unsigned int len)
{
	return true;
}

bool ksplice_site_accepts(const struct ksplice_site *site, const u8 *orig,
			  const u8 *repl, const u8 *run)
{
	unsigned int len = site->len;

	switch (site->kind) {
	case KSPLICE_SITE_FENTRY:
		return fentry_ok(run, len);
	case KSPLICE_SITE_JUMP_LABEL:
		return jump_label_ok(run, len);
	case KSPLICE_SITE_RETURN:
		return return_ok(run, len);
	case KSPLICE_SITE_RETPOLINE:
		return retpoline_ok(orig, run, len);
	case KSPLICE_SITE_STATIC_CALL:
		return static_call_ok(run, len);
	case KSPLICE_SITE_ALTERNATIVE:
		return alternative_ok(orig, repl, site->replacement_len, run, len);
	case KSPLICE_SITE_PARAVIRT:
		return paravirt_ok(orig, run, len);
	case KSPLICE_SITE_SMP_LOCK:
		return len == 1 && (run[0] == 0xf0 || run[0] == 0x3e);
	}
	return false;
}
