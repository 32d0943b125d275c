// SPDX-License-Identifier: GPL-2.0
/*
 * Type layouts read from DWARF (create/type-layout.h), on objects compiled
 * from C snippets with -g, for both architectures: a removed, moved,
 * widened or added member and a grown size are changes naming the type and
 * the member; an unchanged layout, a type only post uses and a changed
 * qualifier are not; anonymous members are compared as members; a global
 * variable's changed type is a change; so is an enumerator whose value
 * changes or that goes away (one added is not).
 */
#include <string.h>

#include "create/elf-object.h"
#include "create/layout-check.h"
#include "create/patch-layouts.h"
#include "create/type-layout.h"
#include "tests/lib/check.h"
#include "tests/unit/snippet-compile.h"

/* CHECK with a message saying what was wanted and what came out. */
#define check(cond, ...)                                                    \
	do {                                                                \
		if (!(cond)) {                                              \
			printf("  %s:%d: ", __FILE__, __LINE__);            \
			printf(__VA_ARGS__);                                \
			printf("\n");                                       \
			check_case_failed = 1;                              \
		}                                                           \
	} while (0)

#define USE(type) "int use(" type " *p) { return sizeof(*p) + (p != 0); }\n"

static const char *arch_flags = "-g";

static struct type_layouts *layouts_of(const char *src)
{
	struct ks_error err = { "" };
	const char *path = snippet_build(src, arch_flags);
	struct type_layouts *l = path ? type_layouts_read(path, &err) : NULL;

	if (path && !l)
		fprintf(stderr, "read failed: %s\n", err.msg);
	return l;
}

/* The changes' messages joined by " | ", or "" for none. */
static char *changes(const char *pre_src, const char *post_src)
{
	struct type_layouts *pre = layouts_of(pre_src), *post = layouts_of(post_src);
	struct layout_change *c;
	char *out = xstrdup(""), *next;
	size_t i, n;

	if (!pre || !post)
		return xstrdup("<unreadable>");
	n = type_layouts_compare(pre, post, &c);
	for (i = 0; i < n; i++) {
		next = xasprintf("%s%s%s", out, i ? " | " : "", c[i].message);
		free(out);
		out = next;
	}
	layout_changes_free(c, n);
	type_layouts_free(pre);
	type_layouts_free(post);
	return out;
}

static void expect_change(const char *what, const char *pre, const char *post,
			  const char *substring)
{
	char *got = changes(pre, post);

	check(strstr(got, substring) != NULL, "%s (%s): '%s' in '%s'", what, arch_flags, substring,
	      got);
	free(got);
}

static void expect_none(const char *what, const char *pre, const char *post)
{
	char *got = changes(pre, post);

	check(!*got, "%s (%s): no change, got '%s'", what, arch_flags, got);
	free(got);
}

#define FOO3 "struct foo { long long a; long long bar; long long c; };\n" USE("struct foo")
#define FOO2 "struct foo { long long a; long long c; };\n" USE("struct foo")

static void test_member_removed(void)
{
	expect_change("removed", FOO3, FOO2, "struct foo changes layout: member bar removed");
	expect_change("moved", FOO3, FOO2, "member c moved from offset 16 to 8");
	expect_change("size", FOO3, FOO2, "size 24 -> 16");
}

static void test_member_widened(void)
{
	expect_change("widened", "struct s { int x; int y; };\n" USE("struct s"),
		      "struct s { long long x; int y; };\n" USE("struct s"),
		      "member x changes type from int to long long int");
}

static void test_member_added_at_end(void)
{
	expect_change("grown", "union u { int x; };\n" USE("union u"),
		      "union u { int x; long long y; };\n" USE("union u"),
		      "union u changes layout: member y added; size 4 -> 8");
}

static void test_same_layout(void)
{
	expect_none("same", FOO3, FOO3 "int more(void) { return 1; }\n");
	expect_none("qualifier", "struct q { int x; };\n" USE("struct q"),
		    "struct q { const int x; };\n" USE("struct q"));
	expect_none("new type", "int f(void) { return 0; }\n", FOO3);
	expect_none("dropped type", FOO3, "int f(void) { return 0; }\n");
}

static void test_anonymous_members(void)
{
	expect_change("anonymous union", "struct a { int k; union { int x; short y; }; };\n"
		      USE("struct a"),
		      "struct a { int k; union { int x; long long y; }; };\n" USE("struct a"),
		      "member y changes type from short int to long long int");
	expect_change("named anonymous struct", "struct b { struct { int x; int y; } in; };\n"
		      USE("struct b"),
		      "struct b { struct { int y; int x; } in; };\n" USE("struct b"),
		      "member in.x moved from offset 0 to 4");
	expect_change("typedef'd", "typedef struct { int x; } tt;\n" USE("tt"),
		      "typedef struct { int x; int y; } tt;\n" USE("tt"),
		      "tt changes layout: member y added");
}

static void test_bit_fields(void)
{
	expect_change("bit field", "struct f { unsigned a:3, b:5; };\n" USE("struct f"),
		      "struct f { unsigned a:4, b:5; };\n" USE("struct f"),
		      "member b moved from bit 3 to 4");
}

static void test_variable_type(void)
{
	expect_change("variable", "int counter;\nint get(void) { return counter; }\n",
		      "unsigned int counter;\nint get(void) { return counter; }\n",
		      "variable counter changes type: from int to unsigned int");
	expect_change("extern array", "extern int t[4];\nint get(void) { return t[1]; }\n",
		      "extern int t[5];\nint get(void) { return t[1]; }\n",
		      "variable t changes type: from int[4] to int[5]");
}

static void test_enum_values(void)
{
	expect_change("enumerator inserted", "enum st { IDLE, BUSY, DONE };\n" USE("enum st"),
		      "enum st { IDLE, WAIT, BUSY, DONE };\n" USE("enum st"),
		      "enum st changes values: BUSY changes value from 1 to 2; DONE changes "
		      "value from 2 to 3");
	expect_change("enumerator removed", "typedef enum { A, B = 4 } et;\n" USE("et"),
		      "typedef enum { B = 4 } et;\n" USE("et"),
		      "et changes values: enumerator A removed");
	expect_none("enumerator appended", "enum st { IDLE, BUSY };\n" USE("enum st"),
		    "enum st { IDLE, BUSY, DONE };\n" USE("enum st"));
}

static void test_no_debug_info(void)
{
	struct ks_error err = { "" };
	const char *path = snippet_build("int f(void) { return 0; }\n", "");

	check(path && !type_layouts_read(path, &err) && strstr(err.msg, "no debug information"),
	      "an object without -g is an error: '%s'", err.msg);
}

/* What ksplice_layout_handled(type) expands to, without the kernel headers. */
#define HANDLED(type, line)                                                  \
	"static const char __ksplice_layout_" #line "[] __attribute__((used, " \
	"section(\".ksplice_layout\"), aligned(1))) = \"" type "\";\n"

/* How many layout changes layout_check_object refuses, with the post object's markers. */
static size_t check_with_markers(const char *pre_src, const char *post_src, char **first_message,
				 size_t *nr_used)
{
	char *pre = xstrdup(snippet_build(pre_src, arch_flags));
	char *post = xstrdup(snippet_build(post_src, arch_flags));
	struct ks_error err = { "" };
	struct build_strlist handled = { 0 }, used = { 0 };
	struct elf_object *obj = elf_object_load(post, &err);
	struct diff_result res = { 0 };
	size_t n;

	patch_layouts_find(obj, &handled);
	build_strlist_sort_unique(&handled);
	check(!layout_check_object("snippet.o", pre, post, &handled, &used, &res, &err),
	      "layout_check_object: %s", err.msg);
	n = res.nr_unsupported;
	*first_message = n ? xstrdup(res.unsupported[0].message) : NULL;
	check(!n || res.unsupported[0].klass == REFUSAL_STRUCT, "class struct-layout");
	*nr_used = used.n;
	while (res.nr_unsupported--) {
		free(res.unsupported[res.nr_unsupported].name);
		free(res.unsupported[res.nr_unsupported].display_name);
		free(res.unsupported[res.nr_unsupported].message);
	}
	free(res.unsupported);
	build_strlist_free(&handled);
	build_strlist_free(&used);
	elf_object_free(obj);
	free(pre);
	free(post);
	return n;
}

static void test_marker_accepts_its_type(void)
{
	char *msg = NULL;
	size_t used;

	check(check_with_markers(FOO3, FOO2, &msg, &used) == 1 && msg &&
	      strstr(msg, "ksplice_layout_handled(struct foo)"), "unmarked: refused with the hint");
	free(msg);
	msg = NULL;
	check(check_with_markers(FOO3, FOO2 HANDLED("struct foo", 1), &msg, &used) == 0 &&
	      used == 1, "marked: accepted");
	free(msg);
	msg = NULL;
	check(check_with_markers(FOO3, FOO2 HANDLED("struct other", 1), &msg, &used) == 1 &&
	      used == 0, "another type's marker does not accept it");
	free(msg);
}

int main(void)
{
	static const char *const flags[] = { "-g", "-g -m32" };
	size_t i;

	for (i = 0; i < 2; i++) {
		arch_flags = flags[i];
		RUN(test_member_removed);
		RUN(test_member_widened);
		RUN(test_member_added_at_end);
		RUN(test_same_layout);
		RUN(test_anonymous_members);
		RUN(test_bit_fields);
		RUN(test_variable_type);
		RUN(test_enum_values);
		RUN(test_marker_accepts_its_type);
	}
	RUN(test_no_debug_info);
	return check_done();
}
