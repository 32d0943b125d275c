// SPDX-License-Identifier: GPL-2.0
/*
 * The run-pre matcher against a fake "running kernel": a byte image at a
 * base address with a small symbol table, and helper records built by hand.
 */
#include "core/match.h"
#include "core/site-forms.h"
#include "tests/lib/check.h"
#include "tests/unit/fake-kernel.h"

static struct ksplice_module_desc desc(struct ksplice_section *secs, size_t ns,
				       struct ksplice_reloc *rel, size_t nr,
				       struct ksplice_site *sites, size_t nsites)
{
	struct ksplice_module_desc d = {
		.magic = KSPLICE_MAGIC, .version = KSPLICE_FORMAT_VERSION,
		.kind = KSPLICE_HELPER, .machine = 62, .desc_size = sizeof(d),
		.sections = secs, .nr_sections = ns, .relocs = rel, .nr_relocs = nr,
		.sites = sites, .nr_sites = nsites,
	};
	return d;
}

/* f: push %rbp; call g; pop %rbp; ret  (the call's rel32 is a relocation) */
static u8 f_code[] = { 0x55, 0xe8, 0, 0, 0, 0, 0x5d, 0xc3 };
static u8 g_code[] = { 0x31, 0xc0, 0xc3 };

static void test_exact_match_binds_symbols(void)
{
	struct ksplice_section s[] = { { .address = f_code, .size = sizeof(f_code), .symbol = "f" } };
	struct ksplice_reloc r[] = { { .site = f_code + 2, .name = "g", .addend = -4, .size = 4,
				       .target_kind = KSPLICE_TARGET_SYMBOL,
				       .flags = KSPLICE_RELOC_PCREL | KSPLICE_RELOC_SIGNED } };
	struct ksplice_module_desc d = desc(s, 1, r, 1, NULL, 0);
	struct ksplice_matcher m;
	u64 v = 0;

	reset();
	put(0x40, f_code, sizeof(f_code));
	put_rel32(0x42, BASE + 0x80);
	put(0x80, g_code, sizeof(g_code));
	add_sym("f", 0x40);
	add_sym("g", 0x80);
	CHECK_INT_EQ(ksplice_match_init(&m, &d, &ops, NULL), 0);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_OK);
	CHECK_INT_EQ(ksplice_match_symbol(&m, "g", &v), 0);
	CHECK(v == BASE + 0x80);
	CHECK_INT_EQ(ksplice_match_symbol(&m, "f", &v), 0);
	CHECK(v == BASE + 0x40);
	ksplice_match_free(&m);
}

static void test_byte_difference_is_no_match(void)
{
	struct ksplice_section s[] = { { .address = g_code, .size = sizeof(g_code), .symbol = "g" } };
	struct ksplice_module_desc d = desc(s, 1, NULL, 0, NULL, 0);
	struct ksplice_matcher m;
	u8 other[] = { 0x31, 0xd2, 0xc3 };

	reset();
	put(0x80, other, sizeof(other));
	add_sym("g", 0x80);
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_NO_MATCH);
	CHECK_STR_EQ(m.mismatch.section, "g");
	CHECK_INT_EQ(m.mismatch.offset, 1);
	CHECK_INT_EQ(m.mismatch.expected[0], 0xc0);
	CHECK_INT_EQ(m.mismatch.found[0], 0xd2);
	ksplice_match_free(&m);
}

static void test_missing_symbol_is_not_found(void)
{
	struct ksplice_section s[] = { { .address = g_code, .size = sizeof(g_code), .symbol = "nosuch" } };
	struct ksplice_module_desc d = desc(s, 1, NULL, 0, NULL, 0);
	struct ksplice_matcher m;

	reset();
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_NOT_FOUND);
	ksplice_match_free(&m);
}

/* Two static g's: only one has the right bytes. */
static void test_static_candidates_by_content(void)
{
	struct ksplice_section s[] = { { .address = g_code, .size = sizeof(g_code), .symbol = "g" } };
	struct ksplice_module_desc d = desc(s, 1, NULL, 0, NULL, 0);
	struct ksplice_matcher m;
	u8 other[] = { 0x31, 0xd2, 0xc3 };
	u64 v = 0;

	reset();
	put(0x80, other, sizeof(other));
	put(0xa0, g_code, sizeof(g_code));
	add_sym("g", 0x80);
	add_sym("g", 0xa0);
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_OK);
	CHECK_INT_EQ(ksplice_match_symbol(&m, "g", &v), 0);
	CHECK(v == BASE + 0xa0);
	ksplice_match_free(&m);
}

/*
 * Two identical static g's cannot be told apart by their bytes, but f
 * calls one of them: matching f decides which (flood fill), whatever the
 * order the sections are tried in.
 */
static void test_flood_fill_resolves_ambiguity(void)
{
	struct ksplice_section s[] = {
		{ .address = g_code, .size = sizeof(g_code), .symbol = "g" },
		{ .address = f_code, .size = sizeof(f_code), .symbol = "f" },
	};
	struct ksplice_reloc r[] = { { .site = f_code + 2, .name = "g", .addend = -4, .size = 4,
				       .target_kind = KSPLICE_TARGET_SYMBOL,
				       .flags = KSPLICE_RELOC_PCREL | KSPLICE_RELOC_SIGNED } };
	struct ksplice_module_desc d = desc(s, 2, r, 1, NULL, 0);
	struct ksplice_matcher m;
	u64 v = 0;

	reset();
	put(0x40, f_code, sizeof(f_code));
	put_rel32(0x42, BASE + 0xa0);
	put(0x80, g_code, sizeof(g_code));
	put(0xa0, g_code, sizeof(g_code));
	add_sym("f", 0x40);
	add_sym("g", 0x80);
	add_sym("g", 0xa0);
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_OK);
	CHECK_INT_EQ(ksplice_match_symbol(&m, "g", &v), 0);
	CHECK(v == BASE + 0xa0);
	ksplice_match_free(&m);

	/* Without f, nothing tells the two apart. */
	d = desc(s, 1, NULL, 0, NULL, 0);
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_AMBIGUOUS);
	ksplice_match_free(&m);
}

/* A call to a g that is not one of kallsyms' g's is a mismatch. */
static void test_relocation_must_hit_a_candidate(void)
{
	struct ksplice_section s[] = { { .address = f_code, .size = sizeof(f_code), .symbol = "f" } };
	struct ksplice_reloc r[] = { { .site = f_code + 2, .name = "g", .addend = -4, .size = 4,
				       .target_kind = KSPLICE_TARGET_SYMBOL,
				       .flags = KSPLICE_RELOC_PCREL | KSPLICE_RELOC_SIGNED } };
	struct ksplice_module_desc d = desc(s, 1, r, 1, NULL, 0);
	struct ksplice_matcher m;

	reset();
	put(0x40, f_code, sizeof(f_code));
	put_rel32(0x42, BASE + 0x90);
	add_sym("f", 0x40);
	add_sym("g", 0x80);
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_NO_MATCH);
	CHECK_STR_EQ(m.mismatch.reason, "relocation target inconsistent");
	ksplice_match_free(&m);
}

/* The fentry call may run as a NOP or a call to a tracer, nothing else. */
static void test_fentry_site_forms(void)
{
	static u8 h[] = { 0xe8, 0, 0, 0, 0, 0x31, 0xc0, 0xc3 };
	static const u8 nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	static const u8 junk[] = { 0x90, 0x90, 0x90, 0x90, 0x31 };
	struct ksplice_section s[] = { { .address = h, .size = sizeof(h), .symbol = "t" } };
	struct ksplice_reloc r[] = { { .site = h + 1, .name = "__fentry__", .addend = -4, .size = 4,
				       .target_kind = KSPLICE_TARGET_SYMBOL,
				       .flags = KSPLICE_RELOC_PCREL | KSPLICE_RELOC_SIGNED } };
	struct ksplice_site site[] = { { .address = h, .len = 5, .kind = KSPLICE_SITE_FENTRY } };
	struct ksplice_module_desc d = desc(s, 1, r, 1, site, 1);
	struct ksplice_matcher m;

	reset();
	put(0x40, h, sizeof(h));
	put(0x40, nop5, 5);
	add_sym("t", 0x40);
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_OK);
	ksplice_match_free(&m);

	put(0x40, junk, 5);
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_NO_MATCH);
	CHECK_STR_EQ(m.mismatch.reason, "unexpected bytes at a runtime-patched site");
	ksplice_match_free(&m);
}

/* A string operand is compared by content, wherever the string lives. */
static void test_string_by_content(void)
{
	static u8 h[] = { 0x48, 0xc7, 0xc7, 0, 0, 0, 0, 0xc3 };	/* mov $str, %rdi */
	struct ksplice_section s[] = { { .address = h, .size = sizeof(h), .symbol = "p" } };
	struct ksplice_reloc r[] = { { .site = h + 3, .name = "hello", .addend = 0, .size = 4,
				       .target_kind = KSPLICE_TARGET_STRING,
				       .flags = KSPLICE_RELOC_SIGNED } };
	struct ksplice_module_desc d = desc(s, 1, r, 1, NULL, 0);
	struct ksplice_matcher m;
	s32 addr = (s32)(BASE + 0x100);

	reset();
	put(0x40, h, sizeof(h));
	memcpy(image + 0x43, &addr, 4);
	memcpy(image + 0x100, "hello", 6);
	add_sym("p", 0x40);
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_OK);
	ksplice_match_free(&m);

	memcpy(image + 0x100, "hellO", 6);
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_NO_MATCH);
	ksplice_match_free(&m);
}

static void test_nop_forms(void)
{
	static const u8 p6_8[] = { 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 };
	static const u8 nop2[] = { 0x66, 0x90 };
	static const u8 lea3[] = { 0x8d, 0x76, 0x00 };
	static const u8 notnop[] = { 0x0f, 0x1f, 0x48, 0x00 };	/* reg field 1 */

	CHECK_INT_EQ(ksplice_nop_len(p6_8, 8), 8);
	CHECK_INT_EQ(ksplice_nop_len(nop2, 2), 2);
	CHECK_INT_EQ(ksplice_nop_len(lea3, 3), 3);
	CHECK_INT_EQ(ksplice_nop_len(notnop, 4), 0);
	CHECK(ksplice_is_padding(p6_8, 8));
	CHECK(!ksplice_is_padding(notnop, 4));
}

/* The i386 kernel's NOP table (asm/nops.h without CONFIG_64BIT). */
static void test_i386_nop_forms(void)
{
	static const u8 nops[] = {
		0x90,
		0x89, 0xf6,
		0x8d, 0x76, 0x00,
		0x8d, 0x74, 0x26, 0x00,
		0x3e, 0x8d, 0x74, 0x26, 0x00,
		0x8d, 0xb6, 0x00, 0x00, 0x00, 0x00,
		0x8d, 0xb4, 0x26, 0x00, 0x00, 0x00, 0x00,
		0x3e, 0x8d, 0xb4, 0x26, 0x00, 0x00, 0x00, 0x00,
	};
	static const u8 ftrace_nop[] = { 0x3e, 0x8d, 0x74, 0x26, 0x00 };
	static const u8 mov_esi_edi[] = { 0x89, 0xfe };	/* mov %edi,%esi: not a NOP */
	static const u8 ds_mov[] = { 0x3e, 0x89, 0xf6 };
	static const u8 lea_other[] = { 0x8d, 0x74, 0x27, 0x00 };	/* lea 0(%edi),%esi */
	struct ksplice_site fentry = { .len = 5, .kind = KSPLICE_SITE_FENTRY };
	struct ksplice_site jl2 = { .len = 2, .kind = KSPLICE_SITE_JUMP_LABEL };
	static const u8 call[] = { 0xe8, 0, 0, 0, 0 };

	CHECK_INT_EQ(ksplice_nop_len(nops + 1, 2), 2);
	CHECK_INT_EQ(ksplice_nop_len(nops + 10, 5), 5);
	CHECK_INT_EQ(ksplice_nop_len(nops + 28, 8), 8);
	CHECK(ksplice_is_padding(nops, sizeof(nops)));
	CHECK_INT_EQ(ksplice_nop_len(mov_esi_edi, 2), 0);
	CHECK_INT_EQ(ksplice_nop_len(ds_mov, 3), 0);
	CHECK_INT_EQ(ksplice_nop_len(lea_other, 4), 0);
	CHECK(ksplice_site_accepts(&fentry, call, NULL, ftrace_nop));
	CHECK(ksplice_site_accepts(&jl2, nops + 1, NULL, nops + 1));
}

static void test_return_and_static_call_forms(void)
{
	static const u8 orig[] = { 0xe9, 0, 0, 0, 0 };
	static const u8 ret_int3[] = { 0xc3, 0xcc, 0xcc, 0xcc, 0xcc };
	static const u8 ret0[] = { 0x2e, 0x2e, 0x2e, 0x31, 0xc0 };
	static const u8 mov[] = { 0x48, 0x89, 0xc7, 0x90, 0x90 };
	struct ksplice_site ret = { .len = 5, .kind = KSPLICE_SITE_RETURN };
	struct ksplice_site sc = { .len = 5, .kind = KSPLICE_SITE_STATIC_CALL };

	CHECK(ksplice_site_accepts(&ret, orig, NULL, ret_int3));
	CHECK(!ksplice_site_accepts(&ret, orig, NULL, mov));
	CHECK(ksplice_site_accepts(&sc, orig, NULL, ret0));
	CHECK(!ksplice_site_accepts(&sc, orig, NULL, mov));
}

/* A missing symbol is reported by name. */
static void test_not_found_names_the_section(void)
{
	struct ksplice_section s[] = { { .address = g_code, .size = sizeof(g_code), .symbol = "nosuch" } };
	struct ksplice_module_desc d = desc(s, 1, NULL, 0, NULL, 0);
	struct ksplice_matcher m;

	reset();
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_NOT_FOUND);
	CHECK_STR_EQ(m.mismatch.section, "nosuch");
	ksplice_match_free(&m);
}

/*
 * A constant table known only by section (not in kallsyms) is found
 * through the code that refers to it, even when it is listed first.
 */
static void test_anonymous_section_found_through_relocation(void)
{
	static u8 table[] = { 1, 2, 3, 4 };
	static u8 h[] = { 0x48, 0x8b, 0x05, 0, 0, 0, 0, 0xc3 };	/* mov table(%rip), %rax */
	struct ksplice_section s[] = {
		{ .address = table, .size = sizeof(table), .symbol = ".rodata",
		  .flags = KSPLICE_SECTION_RODATA },
		{ .address = h, .size = sizeof(h), .symbol = "f" },
	};
	struct ksplice_reloc r[] = { { .site = h + 3, .addend = -4, .size = 4,
				       .target_kind = KSPLICE_TARGET_SECTION, .section = 0,
				       .flags = KSPLICE_RELOC_PCREL | KSPLICE_RELOC_SIGNED } };
	struct ksplice_module_desc d = desc(s, 2, r, 1, NULL, 0);
	struct ksplice_matcher m;

	reset();
	put(0x40, h, sizeof(h));
	put_rel32(0x43, BASE + 0x100);
	put(0x100, table, sizeof(table));
	add_sym("f", 0x40);
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_OK);
	CHECK(m.section_addr[0] == BASE + 0x100);
	ksplice_match_free(&m);

	/* The table's bytes are still compared. */
	image[0x102] = 9;
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_NO_MATCH);
	CHECK_STR_EQ(m.mismatch.section, ".rodata");
	CHECK_INT_EQ(m.mismatch.offset, 2);
	ksplice_match_free(&m);
}

/* Writable data is where the code says it is, whatever it holds now. */
static void test_data_section_not_compared(void)
{
	static u8 counter[] = { 0, 0, 0, 0 };
	static u8 h[] = { 0x8b, 0x05, 0, 0, 0, 0, 0xc3 };	/* mov counter(%rip), %eax */
	struct ksplice_section s[] = {
		{ .address = h, .size = sizeof(h), .symbol = "f" },
		{ .address = counter, .size = sizeof(counter), .symbol = ".data",
		  .flags = KSPLICE_SECTION_DATA },
	};
	struct ksplice_reloc r[] = { { .site = h + 2, .addend = -4, .size = 4,
				       .target_kind = KSPLICE_TARGET_SECTION, .section = 1,
				       .flags = KSPLICE_RELOC_PCREL | KSPLICE_RELOC_SIGNED } };
	struct ksplice_module_desc d = desc(s, 2, r, 1, NULL, 0);
	struct ksplice_matcher m;

	reset();
	put(0x40, h, sizeof(h));
	put_rel32(0x42, BASE + 0x100);
	image[0x100] = 42;
	add_sym("f", 0x40);
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_OK);
	CHECK(m.section_addr[1] == BASE + 0x100);
	ksplice_match_free(&m);
}

/*
 * Two files' static g's, both changed: f's call binds the name "g" to the
 * first; the second must still be found among kallsyms' g's by content.
 */
static void test_same_named_sections(void)
{
	static u8 g2_code[] = { 0x31, 0xd2, 0xc3 };
	struct ksplice_section s[] = {
		{ .address = f_code, .size = sizeof(f_code), .symbol = "f" },
		{ .address = g_code, .size = sizeof(g_code), .symbol = "g" },
		{ .address = g2_code, .size = sizeof(g2_code), .symbol = "g" },
	};
	struct ksplice_reloc r[] = { { .site = f_code + 2, .name = "g", .addend = -4, .size = 4,
				       .target_kind = KSPLICE_TARGET_SYMBOL,
				       .flags = KSPLICE_RELOC_PCREL | KSPLICE_RELOC_SIGNED } };
	struct ksplice_module_desc d = desc(s, 3, r, 1, NULL, 0);
	struct ksplice_matcher m;

	reset();
	put(0x40, f_code, sizeof(f_code));
	put_rel32(0x42, BASE + 0x80);
	put(0x80, g_code, sizeof(g_code));
	put(0xa0, g2_code, sizeof(g2_code));
	add_sym("f", 0x40);
	add_sym("g", 0x80);
	add_sym("g", 0xa0);
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_OK);
	CHECK(m.section_addr[1] == BASE + 0x80);
	CHECK(m.section_addr[2] == BASE + 0xa0);
	ksplice_match_free(&m);
}

/* Strings longer than any fixed buffer are compared in full. */
static void test_long_string_by_content(void)
{
	static u8 h[] = { 0x48, 0xc7, 0xc7, 0, 0, 0, 0, 0xc3 };
	static char text[300];
	struct ksplice_section s[] = { { .address = h, .size = sizeof(h), .symbol = "p" } };
	struct ksplice_reloc r[] = { { .site = h + 3, .name = text, .addend = 0, .size = 4,
				       .target_kind = KSPLICE_TARGET_STRING,
				       .flags = KSPLICE_RELOC_SIGNED } };
	struct ksplice_module_desc d = desc(s, 1, r, 1, NULL, 0);
	struct ksplice_matcher m;
	s32 addr = (s32)(BASE + 0xa0);

	memset(text, 'x', sizeof(text) - 1);
	reset();
	put(0x40, h, sizeof(h));
	memcpy(image + 0x43, &addr, 4);
	memcpy(image + 0xa0, text, sizeof(text));
	add_sym("p", 0x40);
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_OK);
	ksplice_match_free(&m);

	image[0xa0 + 290] = 'y';
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_NO_MATCH);
	ksplice_match_free(&m);
}

/* apply_alternatives(): NOP runs re-formed, calls and jmps re-targeted. */
static void test_alternative_forms(void)
{
	static const u8 orig[] = { 0xe8, 0, 0, 0, 0, 0x90, 0x90, 0x90 };
	static const u8 orig_run[] = { 0xe8, 0x12, 0x34, 0x56, 0x78, 0x0f, 0x1f, 0x00 };
	static const u8 jmp_repl[] = { 0xe9, 0, 0, 0, 0 };
	static const u8 short_jmp_run[] = { 0xeb, 0x10, 0x0f, 0x1f, 0x00, 0x0f, 0x1f, 0x00 };
	static const u8 near_jmp_run[] = { 0xe9, 1, 2, 3, 4, 0x66, 0x66, 0x90 };
	static const u8 junk[] = { 0xe8, 1, 2, 3, 4, 0x31, 0xc0, 0x90 };
	struct ksplice_site alt = { .len = 8, .replacement_len = 5, .kind = KSPLICE_SITE_ALTERNATIVE };

	CHECK(ksplice_site_accepts(&alt, orig, jmp_repl, orig_run));
	CHECK(ksplice_site_accepts(&alt, orig, jmp_repl, short_jmp_run));
	CHECK(ksplice_site_accepts(&alt, orig, jmp_repl, near_jmp_run));
	CHECK(!ksplice_site_accepts(&alt, orig, jmp_repl, junk));
}

/* patch_retpoline(): inverted short Jcc over jmp *%reg; CS-prefixed ITS call. */
static void test_retpoline_forms(void)
{
	static const u8 orig[] = { 0x0f, 0x85, 0, 0, 0, 0 };
	static const u8 jncc[] = { 0x74, 0x04, 0xff, 0xe0, 0xcc, 0x90 };
	static const u8 its[] = { 0x2e, 0xe8, 1, 2, 3, 4 };
	static const u8 call_reg[] = { 0x41, 0xff, 0xd3, 0x0f, 0x1f, 0x00 };
	static const u8 bad[] = { 0x74, 0x04, 0xff, 0x20, 0xcc, 0x90 };
	struct ksplice_site rp = { .len = 6, .kind = KSPLICE_SITE_RETPOLINE };

	CHECK(ksplice_site_accepts(&rp, orig, NULL, jncc));
	CHECK(ksplice_site_accepts(&rp, orig, NULL, its));
	CHECK(ksplice_site_accepts(&rp, orig, NULL, call_reg));
	CHECK(!ksplice_site_accepts(&rp, orig, NULL, bad));
}

/*
 * An alternative left in its original form with a relocated operand that
 * is not a call: the operand is checked as a relocation.
 */
static void test_alternative_original_with_relocation(void)
{
	static u8 h[] = { 0x48, 0x8b, 0x05, 0, 0, 0, 0, 0xc3 };	/* mov v(%rip), %rax */
	static const u8 repl[] = { 0x31, 0xc0 };
	struct ksplice_section s[] = { { .address = h, .size = sizeof(h), .symbol = "f" } };
	struct ksplice_reloc r[] = { { .site = h + 3, .name = "v", .addend = -4, .size = 4,
				       .target_kind = KSPLICE_TARGET_SYMBOL,
				       .flags = KSPLICE_RELOC_PCREL | KSPLICE_RELOC_SIGNED } };
	struct ksplice_site site[] = { { .address = h, .replacement = repl, .len = 7,
					 .replacement_len = 2, .kind = KSPLICE_SITE_ALTERNATIVE } };
	struct ksplice_module_desc d = desc(s, 1, r, 1, site, 1);
	struct ksplice_matcher m;
	u64 v = 0;

	reset();
	put(0x40, h, sizeof(h));
	put_rel32(0x43, BASE + 0x100);
	add_sym("f", 0x40);
	add_sym("v", 0x100);
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_OK);
	CHECK_INT_EQ(ksplice_match_symbol(&m, "v", &v), 0);
	CHECK(v == BASE + 0x100);
	ksplice_match_free(&m);

	put_rel32(0x43, BASE + 0x108);	/* not where v is */
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_NO_MATCH);
	ksplice_match_free(&m);
}

/* The first difference in the section is reported, whatever found it. */
static void test_first_difference_reported(void)
{
	static u8 h[] = { 0x31, 0xc0, 0x90, 0xe9, 0, 0, 0, 0 };	/* xor; nop; jmp __x86_return_thunk */
	static const u8 run[] = { 0xb8, 0x01, 0x00, 0x00, 0x00, 0x00, 0x90, 0x90 };
	struct ksplice_section s[] = { { .address = h, .size = sizeof(h), .symbol = "f" } };
	struct ksplice_site site[] = { { .address = h + 3, .len = 5, .kind = KSPLICE_SITE_RETURN } };
	struct ksplice_module_desc d = desc(s, 1, NULL, 0, site, 1);
	struct ksplice_matcher m;

	reset();
	put(0x40, run, sizeof(run));
	add_sym("f", 0x40);
	ksplice_match_init(&m, &d, &ops, NULL);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_NO_MATCH);
	CHECK_INT_EQ(m.mismatch.offset, 0);
	CHECK_STR_EQ(m.mismatch.reason, "bytes differ");
	CHECK_INT_EQ(m.mismatch.found[0], 0xb8);
	ksplice_match_free(&m);
}

/*
 * Two same-named writable statics: only KSPLICE_SECTION_EARLY compares the
 * content, which picks one (and a foreign content is no_match).
 */
static void test_early_data_matched_by_content(void)
{
	u8 mine[] = { 1, 2, 3, 4, 5, 6, 7, 8 }, theirs[] = { 9, 9, 9, 9, 9, 9, 9, 9 };
	struct ksplice_section s[] = { { .address = mine, .size = sizeof(mine), .symbol = "tbl",
					 .flags = KSPLICE_SECTION_DATA | KSPLICE_SECTION_EARLY } };
	struct ksplice_module_desc d = desc(s, 1, NULL, 0, NULL, 0);
	struct ksplice_matcher m;
	u64 v = 0;

	reset();
	put(0x100, theirs, sizeof(theirs));
	put(0x140, mine, sizeof(mine));
	add_sym("tbl", 0x100);
	add_sym("tbl", 0x140);
	CHECK_INT_EQ(ksplice_match_init(&m, &d, &ops, NULL), 0);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_OK);
	CHECK_INT_EQ(ksplice_match_symbol(&m, "tbl", &v), 0);
	CHECK(v == BASE + 0x140);
	ksplice_match_free(&m);

	s[0].flags = KSPLICE_SECTION_DATA;
	CHECK_INT_EQ(ksplice_match_init(&m, &d, &ops, NULL), 0);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_AMBIGUOUS);
	ksplice_match_free(&m);

	s[0].flags = KSPLICE_SECTION_DATA | KSPLICE_SECTION_EARLY;
	put(0x140, theirs, sizeof(theirs));
	CHECK_INT_EQ(ksplice_match_init(&m, &d, &ops, NULL), 0);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_NO_MATCH);
	CHECK_STR_EQ(m.mismatch.section, "tbl");
	ksplice_match_free(&m);
}

int main(void)
{
	RUN(test_early_data_matched_by_content);
	RUN(test_exact_match_binds_symbols);
	RUN(test_byte_difference_is_no_match);
	RUN(test_missing_symbol_is_not_found);
	RUN(test_static_candidates_by_content);
	RUN(test_flood_fill_resolves_ambiguity);
	RUN(test_relocation_must_hit_a_candidate);
	RUN(test_fentry_site_forms);
	RUN(test_string_by_content);
	RUN(test_nop_forms);
	RUN(test_i386_nop_forms);
	RUN(test_return_and_static_call_forms);
	RUN(test_not_found_names_the_section);
	RUN(test_anonymous_section_found_through_relocation);
	RUN(test_data_section_not_compared);
	RUN(test_same_named_sections);
	RUN(test_long_string_by_content);
	RUN(test_alternative_forms);
	RUN(test_retpoline_forms);
	RUN(test_alternative_original_with_relocation);
	RUN(test_first_difference_reported);
	return check_done();
}
