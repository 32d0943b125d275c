// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 instruction-length decoder: hand-picked encodings, then whole
 * objects checked against objdump's disassembly (the ground truth for
 * lengths): the test kernels' objects (x86-64 and i386) and the host's
 * libc (AVX2/AVX-512 string functions: VEX and EVEX). The objdump part is
 * skipped where objdump or the objects are missing (the i386 guest).
 */
#include <glob.h>
#include <stdlib.h>

#include "core/x86-insn.h"
#include "tests/lib/check.h"

static unsigned int len64(const u8 *p, unsigned int n)
{
	struct ksplice_insn insn;

	return ksplice_insn_decode(p, n, KSPLICE_INSN_64, &insn);
}

static unsigned int len32(const u8 *p, unsigned int n)
{
	struct ksplice_insn insn;

	return ksplice_insn_decode(p, n, KSPLICE_INSN_32, &insn);
}

#define L64(...) ({ static const u8 b_[] = { __VA_ARGS__ }; len64(b_, sizeof(b_)); })
#define L32(...) ({ static const u8 b_[] = { __VA_ARGS__ }; len32(b_, sizeof(b_)); })

static void test_prefixes_rex_modrm(void)
{
	CHECK_INT_EQ(L64(0x90), 1);
	CHECK_INT_EQ(L64(0x48, 0x89, 0xe5), 3);			/* mov %rsp,%rbp */
	CHECK_INT_EQ(L64(0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0), 8);	/* SIB, no base */
	CHECK_INT_EQ(L64(0x48, 0x8b, 0x05, 1, 2, 3, 4), 7);	/* rip-relative */
	CHECK_INT_EQ(L64(0x65, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0), 9);	/* %gs: */
	CHECK_INT_EQ(L64(0x8b, 0x44, 0x24, 0x08), 4);		/* disp8 with SIB */
	CHECK_INT_EQ(L64(0x8b, 0x84, 0x24, 1, 2, 3, 4), 7);	/* disp32 with SIB */
	CHECK_INT_EQ(L64(0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0), 10);	/* nopw */
	CHECK_INT_EQ(L64(0xf3, 0x0f, 0x1e, 0xfa), 4);		/* endbr64 */
	CHECK_INT_EQ(L64(0xf0, 0x48, 0x0f, 0xb1, 0x11), 5);	/* lock cmpxchg */
	CHECK_INT_EQ(L32(0x8b, 0x45, 0x08), 3);
	CHECK_INT_EQ(L32(0x67, 0x8b, 0x46, 0x08), 4);		/* 16-bit addressing */
	CHECK_INT_EQ(L32(0x67, 0x8b, 0x06, 1, 2), 5);		/* [disp16] */
	CHECK_INT_EQ(L32(0x40), 1);				/* inc %eax, not REX */
}

static void test_immediates(void)
{
	CHECK_INT_EQ(L64(0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8), 10);	/* movabs */
	CHECK_INT_EQ(L64(0xb8, 1, 2, 3, 4), 5);
	CHECK_INT_EQ(L64(0x66, 0xb8, 1, 2), 4);
	CHECK_INT_EQ(L64(0x66, 0x81, 0xf9, 1, 2), 5);		/* cmp $imm16,%cx */
	CHECK_INT_EQ(L64(0x48, 0x81, 0xc4, 1, 2, 3, 4), 7);
	CHECK_INT_EQ(L64(0x66, 0xc7, 0x47, 0x08, 1, 2), 6);	/* movw $imm16, 8(%rdi) */
	CHECK_INT_EQ(L64(0xf6, 0x47, 0x08, 0x01), 4);		/* testb $1 */
	CHECK_INT_EQ(L64(0xf7, 0xc7, 1, 2, 3, 4), 6);		/* test $imm32 */
	CHECK_INT_EQ(L64(0xf7, 0xdf), 2);			/* neg: no immediate */
	CHECK_INT_EQ(L64(0xc8, 0x10, 0x00, 0x00), 4);		/* enter */
	CHECK_INT_EQ(L64(0xc2, 0x08, 0x00), 3);			/* ret $8 */
	CHECK_INT_EQ(L64(0x48, 0xa1, 1, 2, 3, 4, 5, 6, 7, 8), 10);	/* mov moffs64 */
	CHECK_INT_EQ(L32(0xa1, 1, 2, 3, 4), 5);
	CHECK_INT_EQ(L64(0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x08), 6);	/* palignr */
	CHECK_INT_EQ(L64(0x66, 0x0f, 0x38, 0x00, 0xc1), 5);	/* pshufb */
	CHECK_INT_EQ(L64(0x0f, 0xba, 0xe0, 0x03), 4);		/* bt $3 */
	CHECK_INT_EQ(L32(0x9a, 1, 2, 3, 4, 5, 6), 7);		/* lcall ptr16:32 */
	CHECK_INT_EQ(L64(0x9a, 1, 2, 3, 4, 5, 6), 0);		/* invalid in 64-bit mode */
}

static void test_vex_evex(void)
{
	CHECK_INT_EQ(L64(0xc5, 0xf8, 0x77), 3);			/* vzeroupper */
	CHECK_INT_EQ(L64(0xc5, 0xfd, 0x6f, 0x06), 4);		/* vmovdqa (%rsi),%ymm0 */
	CHECK_INT_EQ(L64(0xc4, 0xe3, 0x7d, 0x39, 0xc1, 0x01), 6);	/* vextracti128 */
	CHECK_INT_EQ(L64(0x62, 0xf1, 0xfe, 0x48, 0x6f, 0x46, 0x01), 7);	/* vmovdqu64 0x40(%rsi) */
	CHECK_INT_EQ(L32(0xc5, 0xf8, 0x77), 3);			/* VEX in 32-bit mode */
	CHECK_INT_EQ(L32(0xc5, 0x06), 2);			/* lds (%esi),%eax */
}

static void test_branches(void)
{
	static const u8 jmp8[] = { 0xeb, 0xfe }, jne32[] = { 0x0f, 0x85, 0x10, 0, 0, 0 };
	static const u8 jmp16[] = { 0x66, 0xe9, 0x10, 0x00 }, call[] = { 0xe8, 0xfb, 0xff, 0xff, 0xff };
	struct ksplice_insn insn;

	CHECK_INT_EQ(ksplice_insn_decode(jmp8, 2, KSPLICE_INSN_64, &insn), 2);
	CHECK_INT_EQ(insn.branch, KSPLICE_BRANCH_JMP);
	CHECK_INT_EQ(ksplice_insn_rel(&insn, jmp8), -2);
	CHECK_INT_EQ(ksplice_insn_decode(jne32, 6, KSPLICE_INSN_64, &insn), 6);
	CHECK_INT_EQ(insn.branch, KSPLICE_BRANCH_JCC);
	CHECK_INT_EQ(insn.cond, 5);
	CHECK_INT_EQ(ksplice_insn_rel(&insn, jne32), 16);
	CHECK_INT_EQ(ksplice_insn_decode(call, 5, KSPLICE_INSN_32, &insn), 5);
	CHECK_INT_EQ(insn.branch, KSPLICE_BRANCH_CALL);
	CHECK_INT_EQ(ksplice_insn_rel(&insn, call), -5);
	CHECK_INT_EQ(ksplice_insn_decode(jmp16, 4, KSPLICE_INSN_32, &insn), 4);	/* rel16 */
	CHECK_INT_EQ(L64(0x66, 0xe9, 1, 2, 3, 4), 6);		/* still rel32 */
}

static void test_truncated(void)
{
	CHECK_INT_EQ(L64(0xe9, 0, 0), 0);
	CHECK_INT_EQ(L64(0x48), 0);
	CHECK_INT_EQ(L64(0x8b, 0x84, 0x24), 0);
	CHECK_INT_EQ(L64(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
			 0x66, 0x66, 0x90), 15);
	CHECK_INT_EQ(L64(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
			 0x66, 0x66, 0x66, 0x90), 0);		/* 16 bytes */
}

/* One function's instructions as objdump -d -w prints them. */
struct listing {
	u8 bytes[1 << 16];
	unsigned int lens[1 << 15];
	unsigned long addr;
	unsigned int nbytes, ninsns;
	char name[256];
	bool bad;
};

struct tally {
	unsigned long insns, functions, mismatches;
};

static void check_listing(struct listing *l, int mode, struct tally *t)
{
	struct ksplice_insn insn;
	unsigned int i, off = 0, n;

	if (l->bad || !l->ninsns)
		return;	/* objdump could not decode something itself */
	t->functions++;
	for (i = 0; i < l->ninsns; off += l->lens[i++]) {
		n = ksplice_insn_decode(l->bytes + off, l->nbytes - off, mode, &insn);
		t->insns++;
		/* objdump shows fwait (9b) and the x87 instruction after it as one */
		if (n == 1 && l->bytes[off] == 0x9b && l->lens[i] > 1)
			n += ksplice_insn_decode(l->bytes + off + 1, l->nbytes - off - 1, mode, &insn);
		if (n == l->lens[i])
			continue;
		if (t->mismatches++ < 10) {
			unsigned int k;

			printf("  %s+0x%x: decoded %u, objdump %u:", l->name, off, n, l->lens[i]);
			for (k = 0; k < l->lens[i]; k++)
				printf(" %02x", l->bytes[off + k]);
			printf("\n");
		}
		return;	/* the rest of the function is out of step */
	}
}

/* An instruction line: "  1b:\t74 32   \tje ..."; false for other lines. */
static bool parse_insn(const char *line, struct listing *l)
{
	const char *tab = strchr(line, '\t'), *p;
	char *end;
	unsigned int n = 0;

	strtoul(line, &end, 16);
	if (*end != ':' || !tab)
		return false;
	for (p = tab + 1; *p && *p != '\t' && *p != '\n';) {
		unsigned long b = strtoul(p, &end, 16);

		if (end == p)
			break;
		if (l->nbytes + n >= sizeof(l->bytes))
			return l->bad = true;
		l->bytes[l->nbytes + n++] = (u8)b;
		p = end;
		while (*p == ' ')
			p++;
	}
	if (strstr(line, "(bad)") || strstr(line, ".byte") || !n ||
	    l->ninsns >= sizeof(l->lens) / sizeof(l->lens[0]))
		l->bad = true;
	else
		l->lens[l->ninsns++] = n;
	l->nbytes += n;
	return true;
}

static int walk_object(const char *path, struct tally *t)
{
	static struct listing l;
	char cmd[4200], line[4096];
	int mode = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "objdump -d -w '%s' 2>/dev/null", path);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	memset(&l, 0, sizeof(l));
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "file format elf64-x86-64"))
			mode = KSPLICE_INSN_64;
		else if (strstr(line, "file format elf32-i386"))
			mode = KSPLICE_INSN_32;
		if (strchr(line, '<') && strstr(line, ">:\n")) {
			check_listing(&l, mode, t);
			l.nbytes = l.ninsns = 0;
			l.bad = false;
			snprintf(l.name, sizeof(l.name), "%s", strchr(line, '<'));
			l.name[strcspn(l.name, "\n")] = 0;
		} else if (line[0] == ' ') {
			parse_insn(line, &l);
		}
	}
	check_listing(&l, mode, t);
	return pclose(f) == 0 && mode ? 0 : -1;
}

static void walk_glob(const char *pattern, struct tally *t, int *files)
{
	glob_t g;
	size_t i;

	if (glob(pattern, 0, NULL, &g))
		return;
	for (i = 0; i < g.gl_pathc; i++)
		if (!walk_object(g.gl_pathv[i], t))
			(*files)++;
	globfree(&g);
}

static void walk_kernel(const char *arch, struct tally *t, int *files)
{
	static const char *dirs[] = { "kernel", "kernel/sched", "mm", "fs", "fs/proc", "lib",
				      "arch/x86/kernel", "arch/x86/lib", "arch/x86/mm",
				      "arch/x86/entry", "net/core", "drivers/tty" };
	const char *home = getenv("HOME");
	char pattern[512];
	size_t i;

	for (i = 0; home && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(pattern, sizeof(pattern), "%s/.cache/ksplice/kernels/%s-*/%s/*.o", home,
			 arch, dirs[i]);
		walk_glob(pattern, t, files);
	}
}

static void report(const char *what, const struct tally *t, int files)
{
	printf("  %s: %d files, %lu functions, %lu instructions, %lu mismatches\n", what, files,
	       t->functions, t->insns, t->mismatches);
}

static void test_objdump_kernel_x86_64(void)
{
	struct tally t = { 0 };
	int files = 0;

	walk_kernel("x86_64", &t, &files);
	if (!files)
		return (void)SKIP("no x86_64 test kernel objects, or no objdump");
	report("x86_64 kernel", &t, files);
	CHECK(t.insns > 100000);
	CHECK_INT_EQ(t.mismatches, 0);
}

static void test_objdump_kernel_i386(void)
{
	struct tally t = { 0 };
	int files = 0;

	walk_kernel("i386", &t, &files);
	if (!files)
		return (void)SKIP("no i386 test kernel objects, or no objdump");
	report("i386 kernel", &t, files);
	CHECK(t.insns > 100000);
	CHECK_INT_EQ(t.mismatches, 0);
}

static void test_objdump_libc(void)
{
	struct tally t = { 0 };
	int files = 0;

	walk_glob("/usr/lib/x86_64-linux-gnu/libc.so.6", &t, &files);
	walk_glob("/usr/lib/x86_64-linux-gnu/libm.so.6", &t, &files);
	if (!files)
		return (void)SKIP("no host libc, or no objdump");
	report("libc/libm", &t, files);
	CHECK_INT_EQ(t.mismatches, 0);
}

int main(void)
{
	RUN(test_prefixes_rex_modrm);
	RUN(test_immediates);
	RUN(test_vex_evex);
	RUN(test_branches);
	RUN(test_truncated);
	RUN(test_objdump_kernel_x86_64);
	RUN(test_objdump_kernel_i386);
	RUN(test_objdump_libc);
	return check_done();
}
