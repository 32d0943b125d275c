// SPDX-License-Identifier: GPL-2.0
/*
 * Jump relaxation in run-pre matching (core/match-insn.c): the helper has
 * long jumps with relocations, the fake running kernel the short forms an
 * assembler picks when the target is near in the same section.
 */
#include "core/match.h"
#include "tests/lib/check.h"
#include "tests/unit/fake-kernel.h"

/*
 * The helper's f (built with -ffunction-sections):
 *   00 push %rbp; 01 test %edi,%edi; 03 je g (0f 84 rel32, reloc @05)
 *   09 je .+7 (to 12, within f); 0b call h (reloc @0c); 10 pop %rbp; 11 ret
 *   12 pop %rbp; 13 jmp g (e9 rel32, reloc @14)
 */
static u8 pre_f[] = {
	0x55, 0x85, 0xff, 0x0f, 0x84, 0, 0, 0, 0, 0x74, 0x07, 0xe8, 0, 0, 0, 0,
	0x5d, 0xc3, 0x5d, 0xe9, 0, 0, 0, 0,
};

#define PCREL(off, sym) { .site = pre_f + (off), .name = (sym), .addend = -4, .size = 4, \
			  .target_kind = KSPLICE_TARGET_SYMBOL,				\
			  .flags = KSPLICE_RELOC_PCREL | KSPLICE_RELOC_SIGNED }

static struct ksplice_reloc relocs[] = { PCREL(0x05, "g"), PCREL(0x0c, "h"), PCREL(0x14, "g") };
static struct ksplice_section sections[] = {
	{ .address = pre_f, .size = sizeof(pre_f), .symbol = "f", .flags = KSPLICE_SECTION_TEXT },
};

static struct ksplice_module_desc desc(u16 machine)
{
	struct ksplice_module_desc d = {
		.magic = KSPLICE_MAGIC, .version = KSPLICE_FORMAT_VERSION,
		.kind = KSPLICE_HELPER, .machine = machine, .desc_size = sizeof(d),
		.sections = sections, .nr_sections = 1, .relocs = relocs, .nr_relocs = 3,
	};
	return d;
}

static void put_rel8(u64 at, u64 end, u64 target)
{
	image[at] = (u8)(s8)(s64)(target - end);
}

/*
 * The running f, in one section with g (assembler relaxation):
 *   00 push; 01 test; 03 je g (74 rel8); 05 je .+7 (to 0e); 07 call h;
 *   0c pop; 0d ret; 0e pop; 0f jmp g (eb rel8); 11 end
 */
static void running_f(void)
{
	static const u8 code[] = { 0x55, 0x85, 0xff, 0x74, 0, 0x74, 0x07, 0xe8, 0, 0, 0, 0,
				   0x5d, 0xc3, 0x5d, 0xeb, 0 };

	reset();
	add_sym("f", 0x40);
	add_sym("g", 0x20);	/* before f: short jumps reach it */
	add_sym("h", 0x100);
	memcpy(image + 0x40, code, sizeof(code));
	put_rel8(0x44, 0x45, 0x20);
	put_rel32(0x48, BASE + 0x100);
	put_rel8(0x50, 0x51, 0x20);
	image[0x20] = 0xc3;
	image[0x100] = 0xc3;
}

static int run_match(u16 machine, struct ksplice_matcher *m)
{
	struct ksplice_module_desc d = desc(machine);
	static struct ksplice_module_desc keep;

	keep = d;
	if (ksplice_match_init(m, &keep, &ops, NULL))
		return -1;
	return ksplice_match_run(m);
}

static void test_short_jumps_match_long(void)
{
	struct ksplice_matcher m;
	u64 v = 0, pre = 0;

	running_f();
	CHECK_INT_EQ(run_match(62, &m), KSPLICE_MATCH_OK);
	CHECK_INT_EQ(ksplice_match_symbol(&m, "g", &v), 0);
	CHECK(v == BASE + 0x20);
	CHECK_INT_EQ(ksplice_match_symbol(&m, "h", &v), 0);
	CHECK(v == BASE + 0x100);
	CHECK_INT_EQ(ksplice_match_run_size(&m, 0), 0x11);
	CHECK_INT_EQ(ksplice_match_run_offset(&m, 0, 0x03), 0x03);
	CHECK_INT_EQ(ksplice_match_run_offset(&m, 0, 0x09), 0x05);
	CHECK_INT_EQ(ksplice_match_run_offset(&m, 0, 0x0c), 0x08);	/* call h's field */
	CHECK_INT_EQ(ksplice_match_run_offset(&m, 0, 0x13), 0x0f);
	CHECK_INT_EQ(ksplice_match_run_offset(&m, 0, 0x18), 0x11);	/* the end */
	CHECK(ksplice_match_pre_offset(&m, 0, 0x0c, &pre) && pre == 0x10);
	CHECK(ksplice_match_pre_offset(&m, 0, 0x01, &pre) && pre == 0x01);
	CHECK(!ksplice_match_pre_offset(&m, 0, 0x04, &pre));	/* inside the short je */
	ksplice_match_free(&m);
}

static void test_short_jumps_i386(void)
{
	struct ksplice_matcher m;

	running_f();
	CHECK_INT_EQ(run_match(3, &m), KSPLICE_MATCH_OK);
	CHECK_INT_EQ(ksplice_match_run_size(&m, 0), 0x11);
	ksplice_match_free(&m);
}

static void test_wrong_target_is_no_match(void)
{
	struct ksplice_matcher m;

	running_f();
	put_rel8(0x50, 0x51, 0x22);	/* jmp g+2 */
	CHECK_INT_EQ(run_match(62, &m), KSPLICE_MATCH_NO_MATCH);
	CHECK_INT_EQ(m.mismatch.offset, 0x13);
	CHECK_STR_EQ(m.mismatch.reason, "a shorter jump whose target is not the relocation's");
	ksplice_match_free(&m);
}

static void test_other_condition_is_no_match(void)
{
	struct ksplice_matcher m;

	running_f();
	image[0x43] = 0x75;	/* jne g where the helper has je g */
	CHECK_INT_EQ(run_match(62, &m), KSPLICE_MATCH_NO_MATCH);
	CHECK_INT_EQ(m.mismatch.offset, 0x03);
	ksplice_match_free(&m);
}

static void test_local_branch_target_checked(void)
{
	struct ksplice_matcher m;

	running_f();
	image[0x46] = 0x08;	/* je .+8: to pop+ret's middle, not the mapped 0e */
	CHECK_INT_EQ(run_match(62, &m), KSPLICE_MATCH_NO_MATCH);
	CHECK_INT_EQ(m.mismatch.offset, 0x09);
	CHECK_STR_EQ(m.mismatch.reason, "a branch within the function whose target differs");
	ksplice_match_free(&m);
}

/* The call after the relaxed je is checked at its shifted place. */
static void test_reloc_after_relaxed_jump(void)
{
	struct ksplice_matcher m;

	running_f();
	put_rel32(0x48, BASE + 0x108);	/* call h+8 */
	CHECK_INT_EQ(run_match(62, &m), KSPLICE_MATCH_NO_MATCH);
	CHECK_INT_EQ(m.mismatch.offset, 0x0b);
	CHECK_STR_EQ(m.mismatch.reason, "relocation target inconsistent");
	ksplice_match_free(&m);
}

/* Without relaxation the byte comparison decides and the layout is the helper's. */
static void test_exact_copy_keeps_layout(void)
{
	struct ksplice_matcher m;

	running_f();
	memcpy(image + 0x40, pre_f, sizeof(pre_f));
	put_rel32(0x45, BASE + 0x20);
	put_rel32(0x4c, BASE + 0x100);
	put_rel32(0x54, BASE + 0x20);
	CHECK_INT_EQ(run_match(62, &m), KSPLICE_MATCH_OK);
	CHECK_INT_EQ(ksplice_match_run_size(&m, 0), sizeof(pre_f));
	CHECK_INT_EQ(ksplice_match_run_offset(&m, 0, 0x13), 0x13);
	CHECK_INT_EQ(m.layout[0].nr_edits, 0);
	ksplice_match_free(&m);
}

/* A running copy that goes on differently after the short jump. */
static void test_other_code_after_is_no_match(void)
{
	struct ksplice_matcher m;

	running_f();
	image[0x4c] = 0x5b;	/* pop %rbx */
	CHECK_INT_EQ(run_match(62, &m), KSPLICE_MATCH_NO_MATCH);
	CHECK_INT_EQ(m.mismatch.offset, 0x10);
	CHECK_STR_EQ(m.mismatch.reason, "bytes differ");
	ksplice_match_free(&m);
}

/*
 * The other way round: the running copy has the long form of a branch within
 * the function where the helper has the short one (the assembler's choice
 * depends on the distance, which the relaxed jumps before it changed):
 *   00 push; 01 test; 03 je g (74 rel8); 05 je (0f 84 rel32, to 12); 0b call h;
 *   10 pop; 11 ret; 12 pop; 13 jmp g (eb rel8); 15 end
 * Its target, mapped through the shifts (-4, then +4), must be the running one.
 */
static void running_f_long_local(void)
{
	static const u8 code[] = { 0x55, 0x85, 0xff, 0x74, 0, 0x0f, 0x84, 0x07, 0, 0, 0,
				   0xe8, 0, 0, 0, 0, 0x5d, 0xc3, 0x5d, 0xeb, 0 };

	running_f();
	memset(image + 0x40, 0, 0x20);
	memcpy(image + 0x40, code, sizeof(code));
	put_rel8(0x44, 0x45, 0x20);
	put_rel32(0x4c, BASE + 0x100);
	put_rel8(0x54, 0x55, 0x20);
}

static void test_long_local_branch_where_helper_is_short(void)
{
	struct ksplice_matcher m;

	running_f_long_local();
	CHECK_INT_EQ(run_match(62, &m), KSPLICE_MATCH_OK);
	CHECK_INT_EQ(ksplice_match_run_size(&m, 0), 0x15);
	CHECK_INT_EQ(ksplice_match_run_offset(&m, 0, 0x09), 0x05);
	CHECK_INT_EQ(ksplice_match_run_offset(&m, 0, 0x0c), 0x0c);	/* call h's field */
	CHECK_INT_EQ(ksplice_match_run_offset(&m, 0, 0x13), 0x13);
	ksplice_match_free(&m);
}

static void test_long_local_branch_wrong_target(void)
{
	struct ksplice_matcher m;

	running_f_long_local();
	image[0x47] = 0x06;	/* to 11 (ret), not the mapped 12 */
	CHECK_INT_EQ(run_match(62, &m), KSPLICE_MATCH_NO_MATCH);
	CHECK_INT_EQ(m.mismatch.offset, 0x09);
	CHECK_STR_EQ(m.mismatch.reason, "a branch within the function whose target differs");
	ksplice_match_free(&m);
}

int main(void)
{
	RUN(test_short_jumps_match_long);
	RUN(test_short_jumps_i386);
	RUN(test_wrong_target_is_no_match);
	RUN(test_other_condition_is_no_match);
	RUN(test_local_branch_target_checked);
	RUN(test_reloc_after_relaxed_jump);
	RUN(test_exact_copy_keeps_layout);
	RUN(test_other_code_after_is_no_match);
	RUN(test_long_local_branch_where_helper_is_short);
	RUN(test_long_local_branch_wrong_target);
	return check_done();
}
