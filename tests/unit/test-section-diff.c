// SPDX-License-Identifier: GPL-2.0
/*
 * The section-level diff on objects compiled from C snippets at test time.
 * Every case checks the exact classification, so a wrong answer fails.
 */
#include "tests/lib/check.h"
#include "tests/unit/snippet-compile.h"

/* Diff and print the result on failure so a broken case explains itself. */
static struct diff_result *diff(const char *pre, const char *post,
				const char *flags)
{
	struct ks_error err = { "" };
	struct diff_result *res = snippet_diff(pre, post, flags, &err);

	if (!res)
		printf("  diff failed: %s\n", err.msg);
	return res;
}

static void show(const struct diff_result *res)
{
	if (check_case_failed && res)
		diff_result_print(res, stdout);
}

static void check_function(const struct diff_result *res, const char *name,
			   enum diff_change change)
{
	const struct diff_item *it = diff_find_function(res, name);

	CHECK(it != NULL);
	if (it)
		CHECK_STR_EQ(diff_change_name(it->change),
			     diff_change_name(change));
}

#define TWO_FUNCTIONS(F_BODY)                                              \
	"int scale = 3;\n"                                                 \
	"int f(int x) { " F_BODY " }\n"                                    \
	"int g(int x) { return x * scale - 7; }\n"

static void test_unchanged_file_has_no_changes(void)
{
	const char *src = TWO_FUNCTIONS("return x + 1;")
		"static int helper(int x) { return x ^ 0x55; }\n"
		"int h(int x) { return helper(x) + f(x); }\n";
	struct diff_result *res = diff(src, src, NULL);

	CHECK(res != NULL);
	if (res)
		CHECK(diff_result_is_empty(res));
	show(res);
	diff_result_free(res);
}

static void test_one_line_change_changes_that_function(void)
{
	struct diff_result *res = diff(TWO_FUNCTIONS("return x + 1;"),
				       TWO_FUNCTIONS("return x + 2;"), NULL);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 1);
	check_function(res, "f", DIFF_CHANGED);
	CHECK_INT_EQ(res->nr_data, 0);
	CHECK_INT_EQ(res->nr_unsupported, 0);
	show(res);
	diff_result_free(res);
}

static void test_new_static_function_is_new(void)
{
	const char *pre = "int f(int x) { return x + 1; }\n"
			  "int g(int x) { return x - 1; }\n";
	const char *post =
		"static __attribute__((noinline)) int twice(int x) { return 2 * x; }\n"
		"int f(int x) { return twice(x) + 1; }\n"
		"int g(int x) { return x - 1; }\n";
	struct diff_result *res = diff(pre, post, NULL);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 2);
	check_function(res, "twice", DIFF_NEW);
	check_function(res, "f", DIFF_CHANGED);
	CHECK_INT_EQ(res->nr_unsupported, 0);
	show(res);
	diff_result_free(res);
}

static void test_removed_function_is_deleted(void)
{
	const char *pre = "int f(int x) { return x + 1; }\n"
			  "int gone(int x) { return x - 1; }\n";
	const char *post = "int f(int x) { return x + 1; }\n";
	struct diff_result *res = diff(pre, post, NULL);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 1);
	check_function(res, "gone", DIFF_DELETED);
	show(res);
	diff_result_free(res);
}

/* The old copy of a deleted function stays: only replaced callers may reach it. */
static void check_left_behind(const char *pre, const char *post, const char *want_reason)
{
	struct diff_result *res = diff(pre, post, NULL);

	CHECK(res != NULL);
	if (!res)
		return;
	check_function(res, "h", DIFF_DELETED);
	if (!want_reason) {
		CHECK_INT_EQ(res->nr_unsupported, 0);
	} else {
		CHECK_INT_EQ(res->nr_unsupported, 1);
		if (res->nr_unsupported == 1) {
			CHECK_INT_EQ(res->unsupported[0].klass, REFUSAL_DELETED);
			CHECK(strstr(res->unsupported[0].message, want_reason) != NULL);
		}
	}
	show(res);
	diff_result_free(res);
}

#define CALLS_H(F_BODY)                                                    \
	"extern int other(int);\n"                                          \
	"static __attribute__((noinline)) int h(int x) { return other(x) * 3; }\n" \
	"int f(int x) { " F_BODY " }\n"

static void test_deleted_static_called_by_replaced_code_stays(void)
{
	check_left_behind(CALLS_H("return h(x) + 1;"),
			  "extern int other(int);\n"
			  "int f(int x) { return other(x) * 4 + 1; }\n", NULL);
}

static void test_deleted_global_is_refused(void)
{
	check_left_behind("extern int other(int);\n"
			  "int h(int x) { return other(x) * 3; }\n"
			  "int f(int x) { return x + 1; }\n",
			  "int f(int x) { return x + 1; }\n", "is global");
}

static void test_deleted_static_reached_by_tail_jump_is_refused(void)
{
	check_left_behind(CALLS_H("return h(x + 1);"),
			  "extern int other(int);\n"
			  "int f(int x) { return other(x + 1); }\n", "reached by a jump");
}

static void test_deleted_static_with_address_taken_is_refused(void)
{
	check_left_behind("extern void keep(int (*)(int));\n"
			  "static int h(int x) { return x * 3; }\n"
			  "void f(void) { keep(h); }\n",
			  "extern void keep(int (*)(int));\n"
			  "void f(void) { keep(0); }\n", "address taken");
}

#define PRINTER(F_STR, G_STR)                                              \
	"extern void say(const char *);\n"                                 \
	"void f(void) { say(" F_STR "); say(\"shared\"); }\n"              \
	"void g(void) { say(" G_STR "); say(\"shared\"); }\n"

static void test_changed_string_literal_changes_its_user(void)
{
	struct diff_result *res = diff(PRINTER("\"hello\"", "\"world\""),
				       PRINTER("\"hullo\"", "\"world\""), NULL);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 1);
	check_function(res, "f", DIFF_CHANGED);
	show(res);
	diff_result_free(res);
}

static void test_moved_string_with_same_content_is_unchanged(void)
{
	/* "shared" lives in f's string section; a longer first string in f
	 * moves it, so g's relocation addend changes but not the content. */
	struct diff_result *res =
		diff(PRINTER("\"hello\"", "\"world\""),
		     PRINTER("\"a much longer greeting\"", "\"world\""), NULL);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 1);
	check_function(res, "f", DIFF_CHANGED);
	CHECK(diff_find_function(res, "g") == NULL);
	show(res);
	diff_result_free(res);
}

static void test_moved_constant_with_same_value_is_unchanged(void)
{
	const char *pre = "double f(double d) { return d * 1.25; }\n"
			  "double g(double d) { return d * 3.5; }\n";
	const char *post = "double f(double d) { return d * 7.75 + 0.5; }\n"
			   "double g(double d) { return d * 3.5; }\n";
	struct diff_result *res = diff(pre, post, NULL);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 1);
	check_function(res, "f", DIFF_CHANGED);
	show(res);
	diff_result_free(res);
}

#define FIRST_COUNTER "int first(void) { static int n = 10; return ++n; }\n"
#define SECOND_COUNTER "int second(void) { static int n = 20; return n += 2; }\n"

static void test_static_locals_follow_their_function(void)
{
	/* Reordering renumbers n.0/n.1; each n stays with its function. */
	struct diff_result *res = diff(FIRST_COUNTER SECOND_COUNTER,
				       SECOND_COUNTER FIRST_COUNTER, NULL);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK(diff_result_is_empty(res));
	show(res);
	diff_result_free(res);
}

static void test_changed_static_local_initialiser_is_unsupported(void)
{
	const char *pre = "int tick(void) { static int n = 10; return ++n; }\n";
	const char *post = "int tick(void) { static int n = 11; return ++n; }\n";
	struct diff_result *res = diff(pre, post, NULL);
	const struct diff_unsupported *un;

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 0);
	CHECK_INT_EQ(res->nr_unsupported, 1);
	un = diff_find_unsupported(res, "n");
	CHECK(un != NULL);
	if (un)
		CHECK(strstr(un->message, "initial value") != NULL);
	show(res);
	diff_result_free(res);
}

static void test_changed_global_initialiser_is_unsupported(void)
{
	const char *pre = "int limit = 5;\nint get(void) { return limit; }\n";
	const char *post = "int limit = 6;\nint get(void) { return limit; }\n";
	struct diff_result *res = diff(pre, post, NULL);
	const struct diff_unsupported *un;
	const struct diff_item *it;

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 0);
	CHECK_INT_EQ(res->nr_unsupported, 1);
	un = diff_find_unsupported(res, "limit");
	CHECK(un != NULL);
	if (un) {
		CHECK(strstr(un->message, "limit") != NULL);
		CHECK(strstr(un->message, "hooks") != NULL);
	}
	it = diff_find_data(res, "limit");
	CHECK(it != NULL && it->change == DIFF_CHANGED);
	show(res);
	diff_result_free(res);
}

static void test_new_variable_is_new_data(void)
{
	const char *pre = "int get(void) { return 1; }\n";
	const char *post = "int extra = 9;\nint get(void) { return extra; }\n";
	struct diff_result *res = diff(pre, post, NULL);
	const struct diff_item *it;

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_data, 1);
	it = diff_find_data(res, "extra");
	CHECK(it != NULL && it->change == DIFF_NEW);
	check_function(res, "get", DIFF_CHANGED);
	CHECK_INT_EQ(res->nr_unsupported, 0);
	show(res);
	diff_result_free(res);
}

#define INIT_FN(VAL)                                                       \
	"__attribute__((section(\".init.text\"))) int setup(void) { return " \
	VAL "; }\n"                                                        \
	"int run(void) { return 4; }\n"

static void test_init_text_change_is_unsupported(void)
{
	struct diff_result *res = diff(INIT_FN("1"), INIT_FN("2"), NULL);
	const struct diff_unsupported *un;

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 0);
	CHECK_INT_EQ(res->nr_unsupported, 1);
	un = diff_find_unsupported(res, "setup");
	CHECK(un != NULL);
	if (un)
		CHECK(strstr(un->message, "__init") != NULL);
	show(res);
	diff_result_free(res);
}

#define EXIT_FN(VAL)                                                       \
	"__attribute__((section(\".exit.text\"))) int teardown(void) { return " \
	VAL "; }\n"                                                        \
	"int run(void) { return 4; }\n"

/* __exit code: refused, but only marked exit_only, which a built-in object drops. */
static void test_exit_text_change_is_exit_only(void)
{
	struct diff_result *res = diff(EXIT_FN("1"), EXIT_FN("2"), NULL);
	struct diff_result *init = diff(INIT_FN("1"), INIT_FN("2"), NULL);

	CHECK(res != NULL && init != NULL);
	if (!res || !init)
		return;
	CHECK_INT_EQ(res->nr_unsupported, 1);
	CHECK(res->nr_unsupported == 1 && res->unsupported[0].exit_only);
	CHECK(init->nr_unsupported == 1 && !init->unsupported[0].exit_only);
	CHECK_INT_EQ(diff_drop_builtin_exit(init), 0);
	CHECK_INT_EQ(init->nr_unsupported, 1);
	CHECK_INT_EQ(diff_drop_builtin_exit(res), 1);
	CHECK_INT_EQ(res->nr_unsupported, 0);
	CHECK_INT_EQ(res->nr_functions, 0);
	diff_result_free(res);
	diff_result_free(init);
}

static void test_unknown_section_is_an_error(void)
{
	const char *src =
		"__attribute__((section(\".weird_stuff\"))) int odd = 1;\n"
		"int get(void) { return odd; }\n";
	struct ks_error err = { "" };
	struct diff_result *res = snippet_diff(src, src, NULL, &err);

	CHECK(res == NULL);
	CHECK(strstr(err.msg, ".weird_stuff") != NULL);
	CHECK(strstr(err.msg, "unknown section") != NULL);
	diff_result_free(res);
}

/*
 * A WARN-like macro as x86 Linux 6.1 builds it: ud2 plus a 12-byte
 * __bug_table entry {s32 bug_addr_disp; s32 file_disp; u16 line; u16 flags},
 * and a message embedding "file:line" as FORTIFY-style strings do.
 */
#define BUG_MACROS(FLAGS)                                                  \
	"#define S_(x) #x\n#define S(x) S_(x)\n"                           \
	"extern void say(const char *);\n"                                 \
	"#define MY_WARN() asm volatile(\"1: ud2\\n\"\\\n"                 \
	"  \".pushsection __bug_table,\\\"aw\\\"\\n\"\\\n"                 \
	"  \"2: .long 1b - 2b\\n .long %c0 - 2b\\n\"\\\n"                  \
	"  \" .word %c1\\n .word " FLAGS "\\n .popsection\"\\\n"           \
	"  : : \"i\" (__FILE__), \"i\" (__LINE__))\n"

#define WARNING_FUNCTION                                                   \
	"int checked(int x) {\n"                                           \
	"  if (x < 0) { say(\"bad value at \" __FILE__ \":\" S(__LINE__)); " \
	"MY_WARN(); }\n"                                                   \
	"  return x * 2;\n}\n"

static void test_line_shift_only_is_unchanged(void)
{
	const char *pre = BUG_MACROS("0") "int before(void) { return 1; }\n"
			  WARNING_FUNCTION;
	const char *post = BUG_MACROS("0") "\n\n\n/* moved */\n"
			   "int before(void) { return 1; }\n" WARNING_FUNCTION;
	struct diff_result *res = diff(pre, post, NULL);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK(diff_result_is_empty(res));
	show(res);
	diff_result_free(res);
}

static void test_bug_table_flags_change_is_a_change(void)
{
	/* Only the line field is exempt: the flags word still counts. */
	const char *pre = BUG_MACROS("0") WARNING_FUNCTION;
	const char *post = BUG_MACROS("1") WARNING_FUNCTION;
	struct diff_result *res = diff(pre, post, NULL);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 1);
	check_function(res, "checked", DIFF_CHANGED);
	show(res);
	diff_result_free(res);
}

static void test_line_number_as_immediate_is_a_change(void)
{
	/* __LINE__ as a call argument is not covered by the rule. */
	const char *body = "extern void where(int);\n"
			   "void f(void) { where(__LINE__); }\n";
	char post[256];
	struct diff_result *res;

	snprintf(post, sizeof(post), "\n%s", body);
	res = diff(body, post, NULL);
	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 1);
	check_function(res, "f", DIFF_CHANGED);
	show(res);
	diff_result_free(res);
}

#define EX_TABLE_USER(ENTRY)                                               \
	"int risky(int x) {\n"                                             \
	"  asm volatile(\"1: nop\\n\" " ENTRY ");\n"                       \
	"  return x + 1;\n}\n"                                             \
	"int calm(int x) { return x - 1; }\n"

static void test_new_exception_table_entry_changes_function(void)
{
	const char *entry = "\".pushsection __ex_table,\\\"a\\\"\\n"
			    " .long 1b - ., 1b - ., 0\\n .popsection\\n\"";
	char post[512];
	struct diff_result *res;

	snprintf(post, sizeof(post), EX_TABLE_USER("%s"), entry);
	res = diff(EX_TABLE_USER("\"\""), post, NULL);
	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 1);
	check_function(res, "risky", DIFF_CHANGED);
	show(res);
	diff_result_free(res);
}

#define CLONE(N, BODY)                                                     \
	"static __attribute__((noinline)) int helper(int x) "              \
	"__asm__(\"helper.isra." N "\");\n"                                \
	"static int helper(int x) { " BODY " }\n"                          \
	"int use(int x) { return helper(x) + 1; }\n"

static void test_clone_suffix_renumbering_is_correlated(void)
{
	struct diff_result *res = diff(CLONE("0", "return x * 5;"),
				       CLONE("1", "return x * 5;"), NULL);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK(diff_result_is_empty(res));
	show(res);
	diff_result_free(res);
}

static void test_changed_clone_reports_display_name(void)
{
	struct diff_result *res = diff(CLONE("0", "return x * 5;"),
				       CLONE("2", "return x * 6;"), NULL);
	const struct diff_item *it;

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 1);
	it = diff_find_function(res, "helper");
	CHECK(it != NULL);
	if (it) {
		CHECK_STR_EQ(it->name, "helper.isra.2");
		CHECK_STR_EQ(it->pre_name, "helper.isra.0");
		CHECK_STR_EQ(it->display_name, "helper");
		CHECK(it->change == DIFF_CHANGED);
		CHECK(!it->inlined_into);
	}
	show(res);
	diff_result_free(res);
}

static void test_real_gcc_clone_is_correlated(void)
{
	/* GCC makes helper.constprop.0 (or .isra.0) here by itself. */
	const char *src =
		"static __attribute__((noinline)) int helper(int *p, int k) "
		"{ return *p * k + 3; }\n"
		"int use(int v) { return helper(&v, 7); }\n";
	char post[512];
	struct diff_result *res;

	snprintf(post, sizeof(post), "%s%s", src,
		 "int more(int v) { return v + 100; }\n");
	res = diff(src, post, NULL);
	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 1);
	check_function(res, "more", DIFF_NEW);
	show(res);
	diff_result_free(res);
}

#define EXPORTER(EXTRA)                                                    \
	"int api(int x) { return x + 1; }\n"                               \
	"int api2(int x) { return x + 2; }\n" EXTRA

static void test_new_export_is_unsupported(void)
{
	const char *ksymtab =
		"asm(\".section \\\"___ksymtab+api2\\\", \\\"a\\\"\\n"
		"__ksymtab_api2: .long api2 - ., 0, 0\\n .previous\");\n";
	char post[512];
	struct diff_result *res;
	const struct diff_unsupported *un;

	snprintf(post, sizeof(post), EXPORTER("%s"), ksymtab);
	res = diff(EXPORTER(""), post, NULL);
	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 0);
	CHECK_INT_EQ(res->nr_unsupported, 1);
	un = diff_find_unsupported(res, "api2");
	CHECK(un != NULL);
	if (un)
		CHECK(strstr(un->message, "export") != NULL);
	show(res);
	diff_result_free(res);
}

#define PARAM_USER(EXTRA)                                                  \
	"struct kparam { const char *name; void *arg; };\n"                \
	"int debug;\n" EXTRA                                               \
	"int get(void) { return debug; }\n"

static void test_new_module_param_is_unsupported(void)
{
	const char *param =
		"static const struct kparam __param_debug "
		"__attribute__((section(\"__param\"), used)) = { \"debug\", &debug };\n";
	char post[512];
	struct diff_result *res;
	const struct diff_unsupported *un;

	snprintf(post, sizeof(post), PARAM_USER("%s"), param);
	res = diff(PARAM_USER(""), post, NULL);
	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_unsupported, 1);
	un = diff_find_unsupported(res, "debug");
	CHECK(un != NULL);
	if (un)
		CHECK(strstr(un->message, "module parameter") != NULL);
	show(res);
	diff_result_free(res);
}

static void test_i386_one_line_change(void)
{
	struct diff_result *res = diff(TWO_FUNCTIONS("return x + 1;"),
				       TWO_FUNCTIONS("return x + 2;"), "-m32");

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 1);
	check_function(res, "f", DIFF_CHANGED);
	CHECK_INT_EQ(res->nr_unsupported, 0);
	show(res);
	diff_result_free(res);
}

static void test_i386_moved_string_is_unchanged(void)
{
	struct diff_result *res =
		diff(PRINTER("\"hello\"", "\"world\""),
		     PRINTER("\"a much longer greeting\"", "\"world\""), "-m32");

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 1);
	check_function(res, "f", DIFF_CHANGED);
	show(res);
	diff_result_free(res);
}

int main(void)
{
	RUN(test_unchanged_file_has_no_changes);
	RUN(test_one_line_change_changes_that_function);
	RUN(test_new_static_function_is_new);
	RUN(test_removed_function_is_deleted);
	RUN(test_changed_string_literal_changes_its_user);
	RUN(test_moved_string_with_same_content_is_unchanged);
	RUN(test_moved_constant_with_same_value_is_unchanged);
	RUN(test_static_locals_follow_their_function);
	RUN(test_changed_static_local_initialiser_is_unsupported);
	RUN(test_changed_global_initialiser_is_unsupported);
	RUN(test_new_variable_is_new_data);
	RUN(test_init_text_change_is_unsupported);
	RUN(test_exit_text_change_is_exit_only);
	RUN(test_unknown_section_is_an_error);
	RUN(test_line_shift_only_is_unchanged);
	RUN(test_bug_table_flags_change_is_a_change);
	RUN(test_line_number_as_immediate_is_a_change);
	RUN(test_new_exception_table_entry_changes_function);
	RUN(test_clone_suffix_renumbering_is_correlated);
	RUN(test_changed_clone_reports_display_name);
	RUN(test_real_gcc_clone_is_correlated);
	RUN(test_deleted_static_called_by_replaced_code_stays);
	RUN(test_deleted_global_is_refused);
	RUN(test_deleted_static_reached_by_tail_jump_is_refused);
	RUN(test_deleted_static_with_address_taken_is_refused);
	RUN(test_new_export_is_unsupported);
	RUN(test_new_module_param_is_unsupported);
	RUN(test_i386_one_line_change);
	RUN(test_i386_moved_string_is_unchanged);
	return check_done();
}
