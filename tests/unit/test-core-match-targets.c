// SPDX-License-Identifier: GPL-2.0
/*
 * The matcher's relocation targets added for issue 11: mergeable constants
 * by content (KSPLICE_TARGET_CONST, bytes with NULs), string references
 * into the middle of a string, symbols bound per scope (two objects' local
 * symbols of one name), and witness sections that bind nothing when they
 * stay ambiguous. A fake "running kernel" as in test-core-match.c.
 */
#include "core/match.h"
#include "core/update-validate.h"
#include "tests/lib/check.h"
#include "tests/unit/fake-kernel.h"

static struct ksplice_module_desc desc(struct ksplice_section *secs, size_t ns,
				       struct ksplice_reloc *rel, size_t nr)
{
	struct ksplice_module_desc d = {
		.magic = KSPLICE_MAGIC, .version = KSPLICE_FORMAT_VERSION,
		.kind = KSPLICE_HELPER, .machine = 62, .desc_size = sizeof(d),
		.sections = secs, .nr_sections = ns, .relocs = rel, .nr_relocs = nr,
	};
	return d;
}

#define PCREL (KSPLICE_RELOC_PCREL | KSPLICE_RELOC_SIGNED)

/* f: movdqa CONST(%rip), %xmm0; ret  (66 0f 6f 05 rel32; c3) */
static u8 f_code[] = { 0x66, 0x0f, 0x6f, 0x05, 0, 0, 0, 0, 0xc3 };
static const u8 cst16[16] = { 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0 };

static int match_const_at(u64 where, const u8 *running)
{
	struct ksplice_section s[] = { { .address = f_code, .size = sizeof(f_code), .symbol = "f" } };
	struct ksplice_reloc r[] = { { .site = f_code + 4, .name = (const char *)cst16,
				       .len = sizeof(cst16), .addend = -4, .size = 4,
				       .target_kind = KSPLICE_TARGET_CONST, .flags = PCREL } };
	struct ksplice_module_desc d = desc(s, 1, r, 1);
	struct ksplice_matcher m;
	int ret;

	reset();
	put(0x40, f_code, sizeof(f_code));
	put_rel32(0x44, BASE + where);
	put(where, running, 16);
	add_sym("f", 0x40);
	CHECK(!ksplice_validate_reloc(&r[0], 1));
	if (ksplice_match_init(&m, &d, &ops, NULL))
		return -1;
	ret = ksplice_match_run(&m);
	ksplice_match_free(&m);
	return ret;
}

static void test_constant_matched_by_content(void)
{
	u8 other[16];

	CHECK_INT_EQ(match_const_at(0x100, cst16), KSPLICE_MATCH_OK);
	/* The linker may have put the entry anywhere: only the bytes count. */
	CHECK_INT_EQ(match_const_at(0x1f0, cst16), KSPLICE_MATCH_OK);
	memcpy(other, cst16, sizeof(other));
	other[9] = 1;	/* a byte after the first NUL differs */
	CHECK_INT_EQ(match_const_at(0x100, other), KSPLICE_MATCH_NO_MATCH);
}

static void test_constant_record_validated(void)
{
	struct ksplice_reloc r = { .site = f_code, .name = "x", .size = 4,
				   .target_kind = KSPLICE_TARGET_CONST };

	CHECK(ksplice_validate_reloc(&r, 0) != NULL);	/* no length */
	r.len = KSPLICE_MAX_CONST_LEN + 1;
	CHECK(ksplice_validate_reloc(&r, 0) != NULL);
	r.len = 8;
	CHECK(ksplice_validate_reloc(&r, 0) == NULL);
	r.scope = 1;	/* only symbols have a scope */
	CHECK(ksplice_validate_reloc(&r, 0) != NULL);
}

/* lea STR(%rip), %rdi; ret: the field points 3 bytes into "foobar". */
static u8 g_code[] = { 0x48, 0x8d, 0x3d, 0, 0, 0, 0, 0xc3 };

static int match_string_tail(const char *running, u64 where, s64 into)
{
	struct ksplice_section s[] = { { .address = g_code, .size = sizeof(g_code), .symbol = "g" } };
	/* create writes the containing string and the offset into it in the addend */
	struct ksplice_reloc r[] = { { .site = g_code + 3, .name = "foobar", .addend = -4 + 3,
				       .size = 4, .target_kind = KSPLICE_TARGET_STRING,
				       .flags = PCREL } };
	struct ksplice_module_desc d = desc(s, 1, r, 1);
	struct ksplice_matcher m;
	int ret;

	reset();
	put(0x40, g_code, sizeof(g_code));
	put(where, running, strlen(running) + 1);
	put_rel32(0x43, BASE + where + into);
	add_sym("g", 0x40);
	if (ksplice_match_init(&m, &d, &ops, NULL))
		return -1;
	ret = ksplice_match_run(&m);
	ksplice_match_free(&m);
	return ret;
}

static void test_string_reference_into_the_middle(void)
{
	CHECK_INT_EQ(match_string_tail("foobar", 0x100, 3), KSPLICE_MATCH_OK);
	/* "foobar" is the tail of a longer string in the running kernel */
	CHECK_INT_EQ(match_string_tail("xyfoobar", 0x100, 5), KSPLICE_MATCH_OK);
	/* what the code reads from is "bar", but the string is not "foobar" */
	CHECK_INT_EQ(match_string_tail("zzzbar", 0x100, 3), KSPLICE_MATCH_NO_MATCH);
}

/* h1 and h2 (two objects) each use their own local "count". */
static u8 h1_code[] = { 0x8b, 0x05, 0, 0, 0, 0, 0xc3 };
static u8 h2_code[] = { 0x8b, 0x05, 0, 0, 0, 0, 0x90, 0xc3 };

static void test_local_symbols_bound_per_scope(void)
{
	struct ksplice_section s[] = {
		{ .address = h1_code, .size = sizeof(h1_code), .symbol = "h1" },
		{ .address = h2_code, .size = sizeof(h2_code), .symbol = "h2" },
	};
	struct ksplice_reloc r[] = {
		{ .site = h1_code + 2, .name = "count", .addend = -4, .size = 4,
		  .target_kind = KSPLICE_TARGET_SYMBOL, .flags = PCREL, .scope = 1 },
		{ .site = h2_code + 2, .name = "count", .addend = -4, .size = 4,
		  .target_kind = KSPLICE_TARGET_SYMBOL, .flags = PCREL, .scope = 2 },
	};
	struct ksplice_module_desc d = desc(s, 2, r, 2);
	struct ksplice_matcher m;
	u64 v = 0;

	reset();
	put(0x40, h1_code, sizeof(h1_code));
	put_rel32(0x42, BASE + 0x180);
	put(0x60, h2_code, sizeof(h2_code));
	put_rel32(0x62, BASE + 0x1a0);
	add_sym("h1", 0x40);
	add_sym("h2", 0x60);
	add_sym("count", 0x180);
	add_sym("count", 0x1a0);
	CHECK_INT_EQ(ksplice_match_init(&m, &d, &ops, NULL), 0);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_OK);
	CHECK_INT_EQ(ksplice_match_scoped_symbol(&m, "count", 1, &v), 0);
	CHECK(v == BASE + 0x180);
	CHECK_INT_EQ(ksplice_match_scoped_symbol(&m, "count", 2, &v), 0);
	CHECK(v == BASE + 0x1a0);
	CHECK(ksplice_match_symbol(&m, "count", &v) != 0);	/* no global of that name */
	ksplice_match_free(&m);

	/* Without scopes, the second use contradicts the first binding. */
	r[1].scope = 1;
	CHECK_INT_EQ(ksplice_match_init(&m, &d, &ops, NULL), 0);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_NO_MATCH);
	ksplice_match_free(&m);
}

static void test_witness_binds_or_is_left_alone(void)
{
	struct ksplice_section s[] = {
		{ .address = h1_code, .size = sizeof(h1_code), .symbol = "w",
		  .flags = KSPLICE_SECTION_TEXT | KSPLICE_SECTION_WITNESS, .scope = 1 },
	};
	struct ksplice_reloc r[] = {
		{ .site = h1_code + 2, .name = "count", .addend = -4, .size = 4,
		  .target_kind = KSPLICE_TARGET_SYMBOL, .flags = PCREL, .scope = 1 },
	};
	struct ksplice_module_desc d = desc(s, 1, r, 1);
	struct ksplice_matcher m;
	u64 v = 0;

	reset();
	put(0x40, h1_code, sizeof(h1_code));
	put_rel32(0x42, BASE + 0x180);
	put(0x60, h1_code, sizeof(h1_code));
	put_rel32(0x62, BASE + 0x1a0);
	add_sym("w", 0x40);
	add_sym("count", 0x180);
	add_sym("count", 0x1a0);
	CHECK_INT_EQ(ksplice_match_init(&m, &d, &ops, NULL), 0);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_OK);
	CHECK_INT_EQ(ksplice_match_scoped_symbol(&m, "count", 1, &v), 0);
	CHECK(v == BASE + 0x180);
	ksplice_match_free(&m);

	/* Two identical candidates: the witness binds nothing, and that is no failure. */
	add_sym("w", 0x60);
	CHECK_INT_EQ(ksplice_match_init(&m, &d, &ops, NULL), 0);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_OK);
	CHECK(ksplice_match_scoped_symbol(&m, "count", 1, &v) != 0);
	ksplice_match_free(&m);

	/* An ordinary section in the same spot is ambiguous. */
	s[0].flags = KSPLICE_SECTION_TEXT;
	CHECK_INT_EQ(ksplice_match_init(&m, &d, &ops, NULL), 0);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_AMBIGUOUS);
	ksplice_match_free(&m);

	/* A witness whose bytes match nowhere is no_match like any section. */
	s[0].flags = KSPLICE_SECTION_TEXT | KSPLICE_SECTION_WITNESS;
	image[0x46] = 0x90;
	image[0x66] = 0x90;
	CHECK_INT_EQ(ksplice_match_init(&m, &d, &ops, NULL), 0);
	CHECK_INT_EQ(ksplice_match_run(&m), KSPLICE_MATCH_NO_MATCH);
	ksplice_match_free(&m);
}

int main(void)
{
	RUN(test_constant_matched_by_content);
	RUN(test_constant_record_validated);
	RUN(test_string_reference_into_the_middle);
	RUN(test_local_symbols_bound_per_scope);
	RUN(test_witness_binds_or_is_left_alone);
	return check_done();
}
