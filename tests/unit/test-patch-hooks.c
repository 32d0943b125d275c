// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks of a patch (ksplice-patch.h) in ksplice-create, on objects compiled
 * from C snippets: the hook sections become ksplice_hook records of the
 * primary pointing at the copied hook functions, a new initial value of an
 * existing variable is accepted only with hooks, a hook that can reach a
 * replaced function is refused, and an unknown hook kind is an error.
 */
#include <string.h>

#include "create/module-build.h"
#include "create/object-units.h"
#include "create/patch-hooks.h"
#include "tests/lib/check.h"
#include "tests/unit/snippet-compile.h"

/* What ksplice-patch.h expands to, without the kernel headers. */
#define HOOK(kind, ret, fn)                                                   \
	"static " #ret " (*const __ksplice_hook_" #kind "_" #fn ")(void)\n"   \
	"  __attribute__((used, section(\".ksplice_hook." #kind "\"))) = " #fn ";\n"

#define PRE_SRC                                                               \
	"int limit = 5;\n"                                                    \
	"__attribute__((noinline)) int changed(int x) { return x + limit; }\n"

#define POST_SRC                                                              \
	"int limit = 6;\n"                                                    \
	"__attribute__((noinline)) int changed(int x) { return x + limit + 1; }\n" \
	"static void set_limit(void) { limit = 6; }\n"                        \
	"static int refuse(void) { return limit > 100; }\n"                   \
	HOOK(apply, void, set_limit) HOOK(pre_apply, int, refuse)

/* A hook that calls the replaced function through a new helper. */
#define REACH_SRC                                                             \
	"int limit = 5;\n"                                                    \
	"__attribute__((noinline)) int changed(int x) { return x + limit + 1; }\n" \
	"__attribute__((noinline)) static int probe(void) { return changed(1); }\n" \
	"static int check(void) { return probe() != 7; }\n"                   \
	HOOK(check_apply, int, check)

#define BAD_KIND_SRC                                                          \
	"int limit = 5;\n"                                                    \
	"int changed(int x) { return x + limit + 1; }\n"                      \
	"static void f(void) { }\n" HOOK(sometime, void, f)

static const char *hook_function(const struct module_image *img, const struct image_record_hook *h)
{
	size_t i;

	if (h->fn.sec < 0)
		return NULL;
	for (i = 0; i < img->secs[h->fn.sec].nr_syms; i++)
		if (img->secs[h->fn.sec].syms[i].value == h->fn.offset)
			return img->secs[h->fn.sec].syms[i].name;
	return img->secs[h->fn.sec].name;
}

static void test_value_change_needs_hooks(void)
{
	struct elf_object *pre = snippet_object(PRE_SRC, NULL);
	struct elf_object *post = snippet_object(PRE_SRC "static int x;\n", NULL);
	struct elf_object *valued = snippet_object("int limit = 6;\n"
		"__attribute__((noinline)) int changed(int x) { return x + limit; }\n", NULL);
	struct ks_error err = { "" };
	struct diff_result *d;

	CHECK(pre && post && valued);
	if (!pre || !valued)
		return;
	d = section_diff(pre, valued, &err);
	CHECK(d != NULL);
	if (d) {
		CHECK_INT_EQ(d->nr_unsupported, 1);
		if (d->nr_unsupported) {
			CHECK(d->unsupported[0].value_only);
			CHECK(strstr(d->unsupported[0].message,
				     "limit: changes the initial value of") != NULL);
			CHECK(strstr(d->unsupported[0].message, "ksplice_apply hook") != NULL);
		}
		CHECK_INT_EQ(patch_hooks_count(valued), 0);
		diff_accept_value_changes(d);
		CHECK_INT_EQ(d->nr_unsupported, 0);
		diff_result_free(d);
	}
	elf_object_free(pre);
	if (post)
		elf_object_free(post);
	elf_object_free(valued);
}

static void test_hooks_become_records(void)
{
	struct elf_object *pre = snippet_object(PRE_SRC, NULL);
	struct elf_object *post = snippet_object(POST_SRC, NULL);
	struct module_image primary, helper;
	struct ks_error err = { "" };
	struct module_object mo;
	struct diff_result *d;
	size_t i;
	bool apply = false, pre_apply = false;

	CHECK(pre && post);
	if (!pre || !post)
		return;
	CHECK_INT_EQ(patch_hooks_count(post), 2);
	d = section_diff(pre, post, &err);
	CHECK(d != NULL);
	if (!d)
		return;
	diff_accept_value_changes(d);
	CHECK_INT_EQ(d->nr_unsupported, 0);
	mo = (struct module_object){ pre, post, d };
	CHECK_INT_EQ(module_build_images(NULL, &mo, 1, &primary, &helper, &err), 0);
	CHECK_INT_EQ(primary.nr_hooks, 2);
	CHECK_INT_EQ(helper.nr_hooks, 0);
	for (i = 0; i < primary.nr_hooks; i++) {
		const char *fn = hook_function(&primary, &primary.hooks[i]);

		if (primary.hooks[i].kind == KSPLICE_HOOK_APPLY)
			apply = fn && strstr(fn, "set_limit");
		if (primary.hooks[i].kind == KSPLICE_HOOK_PRE_APPLY)
			pre_apply = fn && strstr(fn, "refuse");
	}
	CHECK(apply);
	CHECK(pre_apply);
	/* The running kernel's limit is used, not a copy with the new value. */
	for (i = 0; i < primary.nr_secs; i++)
		CHECK(strcmp(primary.secs[i].name, ".data.limit") != 0);
	module_image_free(&primary);
	module_image_free(&helper);
	diff_result_free(d);
	elf_object_free(pre);
	elf_object_free(post);
}

static void test_hook_reaching_replaced_code_is_refused(void)
{
	struct elf_object *pre = snippet_object(PRE_SRC, NULL);
	struct elf_object *post = snippet_object(REACH_SRC, NULL);
	struct build_strlist replaced = { 0 };
	struct ks_error err = { "" };
	struct object_index *idx;
	struct diff_result *d;

	CHECK(pre && post);
	if (!pre || !post)
		return;
	d = section_diff(pre, post, &err);
	idx = object_index_build(post, &err);
	CHECK(d && idx);
	if (d && idx) {
		CHECK_INT_EQ(patch_hooks_check_reach(idx, d, &replaced, &err), -1);
		CHECK(strstr(err.msg, "hook check (check_apply) can reach changed") != NULL);
	}
	/* Through an undefined symbol another object of the update replaces. */
	object_index_free(idx);
	diff_result_free(d);
	elf_object_free(pre);
	elf_object_free(post);
	pre = snippet_object("int other(int);\nint g(void) { return 1; }\n", NULL);
	post = snippet_object("int other(int);\nint g(void) { return 1; }\n"
			      "static int check(void) { return other(1); }\n"
			      HOOK(pre_reverse, int, check), NULL);
	d = pre && post ? section_diff(pre, post, &err) : NULL;
	idx = post ? object_index_build(post, &err) : NULL;
	CHECK(d && idx);
	if (d && idx) {
		CHECK_INT_EQ(patch_hooks_check_reach(idx, d, &replaced, &err), 0);
		build_strlist_add(&replaced, "other");
		build_strlist_sort_unique(&replaced);
		CHECK_INT_EQ(patch_hooks_check_reach(idx, d, &replaced, &err), -1);
		CHECK(strstr(err.msg, "hook check (pre_reverse) can reach other") != NULL);
	}
	build_strlist_free(&replaced);
	object_index_free(idx);
	if (d)
		diff_result_free(d);
	if (pre)
		elf_object_free(pre);
	if (post)
		elf_object_free(post);
}

static void test_unknown_hook_kind_is_an_error(void)
{
	struct elf_object *post = snippet_object(BAD_KIND_SRC, NULL);
	struct ks_error err = { "" };
	struct patch_hook *hooks;
	struct object_index *idx;

	CHECK(post != NULL);
	if (!post)
		return;
	idx = object_index_build(post, &err);
	CHECK(idx != NULL);
	if (idx) {
		CHECK_INT_EQ(patch_hooks_find(idx, &hooks, &err), -1);
		CHECK(strstr(err.msg, "unknown hook section .ksplice_hook.sometime") != NULL);
		object_index_free(idx);
	}
	elf_object_free(post);
}

int main(void)
{
	RUN(test_value_change_needs_hooks);
	RUN(test_hooks_become_records);
	RUN(test_hook_reaching_replaced_code_is_refused);
	RUN(test_unknown_hook_kind_is_an_error);
	return check_done();
}
