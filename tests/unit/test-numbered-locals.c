// SPDX-License-Identifier: GPL-2.0
/*
 * The section diff on statics whose names carry numbers that a patch
 * elsewhere in the unit shifts (GCC's "name.N", __COUNTER__ in
 * __UNIQUE_ID_nameN), and on the line field of dynamic debug descriptors.
 * The snippets emulate Linux 6.1's macros: DEFINE_DYNAMIC_DEBUG_METADATA
 * (a block-scope static struct _ddebug in __dyndbg, named with __COUNTER__,
 * pointing at __func__), and mutex_init's block-scope lock_class_key, an
 * empty struct without lockdep. Each case fails with the pairing by number.
 */
#include "tests/lib/check.h"
#include "tests/unit/snippet-compile.h"

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

static void check_empty(const char *pre, const char *post, const char *flags)
{
	struct diff_result *res = diff(pre, post, flags);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK(diff_result_is_empty(res));
	show(res);
	diff_result_free(res);
}

/* struct _ddebug and pr_debug as include/linux/dynamic_debug.h has them. */
#define DYNDBG(FLAGS)                                                      \
	"struct _ddebug { const char *modname, *function, *filename, *format;\n" \
	"  unsigned int lineno:18, class_id:6, flags:8; } __attribute__((aligned(8)));\n" \
	"#define UID3(p, c) __UNIQUE_ID_##p##c\n"                          \
	"#define UID2(p, c) UID3(p, c)\n"                                  \
	"#define UID(p) UID2(p, __COUNTER__)\n"                            \
	"extern void __dynamic_pr_debug(struct _ddebug *, const char *, ...);\n" \
	"#define dbg_(id, fmt, ...) do { static struct _ddebug\\\n"        \
	"  __attribute__((aligned(8), section(\"__dyndbg\"))) id = {\\\n"  \
	"  \"mod\", __func__, __FILE__, fmt, __LINE__, 63, " FLAGS " };\\\n" \
	"  if (id.flags & 1) __dynamic_pr_debug(&id, fmt, ##__VA_ARGS__); } while (0)\n" \
	"#define pr_debug(fmt, ...) dbg_(UID(ddebug), fmt, ##__VA_ARGS__)\n"

#define DEBUGGED_FUNCTIONS                                                 \
	"int opened(int x) { pr_debug(\"open %d\\n\", x); return x + 1; }\n" \
	"int closed(int x) { pr_debug(\"close %d\\n\", x); return x - 1; }\n" \
	"int moved(int x) { pr_debug(\"move %d\\n\", x); pr_debug(\"to %d\\n\", x);" \
	" return x * 3; }\n"

static void test_dyndbg_line_shift_is_unchanged(void)
{
	check_empty(DYNDBG("0") DEBUGGED_FUNCTIONS,
		    DYNDBG("0") "\n\n/* moved down */\n" DEBUGGED_FUNCTIONS, NULL);
}

static void test_i386_dyndbg_line_shift_is_unchanged(void)
{
	check_empty(DYNDBG("0") DEBUGGED_FUNCTIONS,
		    DYNDBG("0") "\n\n/* moved down */\n" DEBUGGED_FUNCTIONS,
		    "-m32");
}

static void check_flags_change(const char *flags)
{
	/* Only lineno is exempt: the flags bits of the same word still count. */
	struct diff_result *res = diff(DYNDBG("0") DEBUGGED_FUNCTIONS,
				       DYNDBG("1") DEBUGGED_FUNCTIONS, flags);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 3);
	check_function(res, "opened", DIFF_CHANGED);
	check_function(res, "moved", DIFF_CHANGED);
	show(res);
	diff_result_free(res);
}

static void test_dyndbg_flags_change_is_a_change(void)
{
	check_flags_change(NULL);
	check_flags_change("-m32");
}

static void test_counter_shift_is_unchanged(void)
{
	/* An added header's __COUNTER__ uses renumber every descriptor. */
	check_empty(DYNDBG("0") DEBUGGED_FUNCTIONS,
		    DYNDBG("0") "enum { used_by_a_header = __COUNTER__ + __COUNTER__ };\n"
		    DEBUGGED_FUNCTIONS, NULL);
}

static void test_new_debugged_function_leaves_others_alone(void)
{
	/*
	 * The new function's __func__ and descriptor renumber those of the
	 * others (__func__.N is used by the descriptors only, not by code).
	 */
	struct diff_result *res =
		diff(DYNDBG("0") DEBUGGED_FUNCTIONS,
		     DYNDBG("0") DEBUGGED_FUNCTIONS
		     "int added(int x) { pr_debug(\"add %d\\n\", x); return x; }\n",
		     NULL);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 1);
	check_function(res, "added", DIFF_NEW);
	CHECK_INT_EQ(res->nr_unsupported, 0);
	show(res);
	diff_result_free(res);
}

/* mutex_init without lockdep: a zero-size static per use. */
#define LOCKS                                                              \
	"struct lock_class_key { };\n"                                     \
	"struct mutex { int owner; };\n"                                   \
	"extern void __mutex_init(struct mutex *, const char *, struct lock_class_key *);\n" \
	"#define mutex_init(m) do { static struct lock_class_key __key;\\\n" \
	"  __mutex_init((m), #m, &__key); } while (0)\n"                   \
	"struct mutex a, b, c;\n"

#define LOCK_USERS(CHANGED)                                                \
	"__attribute__((section(\".init.text\"))) void setup(void)"       \
	" { mutex_init(&a); mutex_init(&b); }\n"                           \
	"void reset(void) { " CHANGED " }\n"                               \
	"void again(void) { mutex_init(&b); mutex_init(&c); }\n"

static void test_renumbered_keys_leave_users_alone(void)
{
	/*
	 * reset() gains a __key: the __key.N of setup() (an __init function)
	 * and again() are renumbered, they are not changed.
	 */
	struct diff_result *res =
		diff(LOCKS LOCK_USERS("a.owner = 0;"),
		     LOCKS LOCK_USERS("a.owner = 0; mutex_init(&c);"), NULL);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 1);
	check_function(res, "reset", DIFF_CHANGED);
	CHECK_INT_EQ(res->nr_unsupported, 0);
	show(res);
	diff_result_free(res);
}

/* DO_ONCE_LITE: a bool per use, all packed into one .data.once section. */
#define ONCE                                                               \
	"extern void say(const char *);\n"                                \
	"#define say_once(m) do { static _Bool __already_done\\\n"       \
	"  __attribute__((section(\".data.once\")));\\\n"                 \
	"  if (!__already_done) { __already_done = 1; say(m); } } while (0)\n"

#define ONCE_USERS(EXTRA)                                                  \
	"void first(void) { say_once(\"first\"); }\n"                       \
	"void second(void) { " EXTRA " say_once(\"second\"); }\n"           \
	"void third(void) { say_once(\"third\"); }\n"

static void test_shifted_once_flags_leave_users_alone(void)
{
	/*
	 * A new flag in second() moves the others within .data.once; the code
	 * reaches them as `cmpb $0, .data.once+N-5(%rip)`, whose addend counts
	 * from the end of the instruction (after the imm8), not of the field.
	 */
	struct diff_result *res =
		diff(ONCE ONCE_USERS(""), ONCE ONCE_USERS("say_once(\"again\");"),
		     NULL);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 1);
	check_function(res, "second", DIFF_CHANGED);
	CHECK_INT_EQ(res->nr_unsupported, 0);
	show(res);
	diff_result_free(res);
}

#define TABLE_USER(VALUES)                                                 \
	"extern void use(const int *);\n"                                  \
	"void first(void) { static const int steps[] = { 1, 2, 4 }; use(steps); }\n" \
	"void second(void) { static const int steps[] = { " VALUES " }; use(steps); }\n"

static void test_new_read_only_table_content_changes_its_user(void)
{
	/* A read-only local pairs by content: new bytes are a new object. */
	struct diff_result *res = diff(TABLE_USER("8, 16, 32"),
				       TABLE_USER("8, 16, 33"), NULL);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 1);
	check_function(res, "second", DIFF_CHANGED);
	CHECK_INT_EQ(res->nr_unsupported, 0);
	show(res);
	diff_result_free(res);
}

static void test_writable_locals_with_equal_bytes_stay_apart(void)
{
	/*
	 * Two counters with the same initial value: pairing them by content
	 * would mix up their state. Swapping which function counts which is
	 * a change of both.
	 */
	const char *pre = "int hits(void) { static int n = 5; return ++n; }\n"
			  "int misses(void) { static int m = 5; return m += 2; }\n";
	const char *post = "int hits(void) { static int n = 5; return n += 2; }\n"
			   "int misses(void) { static int m = 5; return ++m; }\n";
	struct diff_result *res = diff(pre, post, NULL);

	CHECK(res != NULL);
	if (!res)
		return;
	CHECK_INT_EQ(res->nr_functions, 2);
	check_function(res, "hits", DIFF_CHANGED);
	check_function(res, "misses", DIFF_CHANGED);
	show(res);
	diff_result_free(res);
}

int main(void)
{
	RUN(test_dyndbg_line_shift_is_unchanged);
	RUN(test_i386_dyndbg_line_shift_is_unchanged);
	RUN(test_dyndbg_flags_change_is_a_change);
	RUN(test_counter_shift_is_unchanged);
	RUN(test_new_debugged_function_leaves_others_alone);
	RUN(test_renumbered_keys_leave_users_alone);
	RUN(test_shifted_once_flags_leave_users_alone);
	RUN(test_new_read_only_table_content_changes_its_user);
	RUN(test_writable_locals_with_equal_bytes_stay_apart);
	return check_done();
}
