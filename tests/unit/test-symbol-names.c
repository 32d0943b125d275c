// SPDX-License-Identifier: GPL-2.0
/* Clone-suffix handling and the line-number-only string rule. */
#include <elf.h>
#include <stdlib.h>

#include "tests/lib/check.h"
#include "create/line-numbers.h"
#include "create/section-kinds.h"
#include "create/symbol-names.h"

static void check_canonical(const char *name, const char *expected)
{
	char *c = symbol_canonical_name(name);

	CHECK_STR_EQ(c, expected);
	free(c);
}

static void check_display(const char *name, const char *expected)
{
	char *d = symbol_display_name(name);

	CHECK_STR_EQ(d, expected);
	free(d);
}

static void check_base(const char *name, const char *expected)
{
	char *b = symbol_numbered_base(name);

	if (!expected)
		CHECK(b == NULL);
	else
		CHECK_STR_EQ(b, expected);
	free(b);
}

static void test_canonical_names_drop_clone_numbers(void)
{
	check_canonical("foo", "foo");
	check_canonical("foo.isra.0", "foo.isra");
	check_canonical("foo.isra.12", "foo.isra");
	check_canonical("foo.constprop.3.isra.0", "foo.constprop.isra");
	check_canonical("foo.part.1", "foo.part");
	check_canonical("foo.cold", "foo.cold");
	check_canonical("foo.part.0.cold", "foo.part.cold");
	check_canonical("count.7", "count.7");	/* not a clone number */
	check_canonical(".text.foo.isra.0", ".text.foo.isra");
	check_canonical("__initcall__kmod_exit__552_104_kernel_exit_sysctls_init7",
			"__initcall__kmod_exit___kernel_exit_sysctls_init7");
	check_canonical("__initcall__kmod_x__9_fn7", "__initcall__kmod_x__9_fn7");
}

static void test_display_names_strip_suffixes(void)
{
	check_display("foo.constprop.0.isra.0", "foo");
	check_display("foo.cold", "foo");
	check_display("count.7", "count");
	check_display("plain", "plain");
}

static void test_numbered_locals(void)
{
	check_base("count.7", "count");
	check_base("__func__.12", "__func__");
	check_base("__UNIQUE_ID_ddebug345", "__UNIQUE_ID_ddebug");
	check_base("__UNIQUE_ID_ddebug342.22", "__UNIQUE_ID_ddebug");
	check_base("__UNIQUE_ID___addressable_foo451", "__UNIQUE_ID___addressable_foo");
	check_base("CSWTCH.103", "CSWTCH");
	check_base("foo.isra.0", NULL);
	check_base("foo", NULL);
	check_base("__UNIQUE_ID_", NULL);
}

#define SAME(a, b) strings_equal_but_line_numbers(a, strlen(a), b, strlen(b))

static void test_line_numbers_in_strings(void)
{
	CHECK(SAME("at kernel/sys.c:123 oops", "at kernel/sys.c:1234 oops"));
	CHECK(SAME("x.h:1", "x.h:99"));
	CHECK(SAME("a.c:1 and b.c:2", "a.c:3 and b.c:4"));
	CHECK(SAME("same", "same"));
	CHECK(!SAME("value 123", "value 124"));		/* no file: */
	CHECK(!SAME("sys.c:12a", "sys.c:12b"));
	CHECK(!SAME("sys.c:12", "sys.c:"));
	CHECK(!SAME("sys.c:12", "sys.x:13"));
	CHECK(!SAME("sys.c:12 x", "sys.c:12 y"));
	CHECK(!SAME("sys.c:12", "sys.c:12 "));
}

static void test_section_kinds(void)
{
	struct elf_section sec = { .name = ".text.foo", .type = SHT_PROGBITS };

	CHECK_INT_EQ(classify_section(&sec, 2).kind, SEC_TEXT);
	sec.name = "__bug_table";
	CHECK_INT_EQ(classify_section(&sec, 2).kind, SEC_TABLE);
	CHECK_INT_EQ(classify_section(&sec, 2).line_offset, BUG_TABLE_LINE_OFFSET);
	sec.name = "__jump_table";
	CHECK_INT_EQ(classify_section(&sec, 2).entsize, 16);
	CHECK_INT_EQ(classify_section(&sec, 1).entsize, 12);
	sec.name = ".init.text";
	CHECK_INT_EQ(classify_section(&sec, 2).kind, SEC_INIT);
	sec.name = ".initcall6.init";
	CHECK_INT_EQ(classify_section(&sec, 2).kind, SEC_INIT);
	sec.name = "___ksymtab+foo";
	CHECK_INT_EQ(classify_section(&sec, 2).kind, SEC_EXPORT);
	sec.name = ".data..once";
	CHECK_INT_EQ(classify_section(&sec, 2).kind, SEC_DATA);
	sec.name = ".textual";
	CHECK_INT_EQ(classify_section(&sec, 2).kind, SEC_UNKNOWN);
	sec.name = ".rodata.str1.1";
	sec.flags = SHF_MERGE | SHF_STRINGS;
	CHECK_INT_EQ(classify_section(&sec, 2).kind, SEC_STRINGS);
	sec.name = ".rodata.cst8";
	sec.flags = SHF_MERGE;
	CHECK_INT_EQ(classify_section(&sec, 2).kind, SEC_CONSTS);
}

int main(void)
{
	RUN(test_canonical_names_drop_clone_numbers);
	RUN(test_display_names_strip_suffixes);
	RUN(test_numbered_locals);
	RUN(test_line_numbers_in_strings);
	RUN(test_section_kinds);
	return check_done();
}
