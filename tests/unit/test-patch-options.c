// SPDX-License-Identifier: GPL-2.0
/*
 * Data-object options of a patch (ksplice-patch.h) in ksplice-create, on
 * objects compiled from C snippets: a same-size change of a variable
 * marked ksplice_assume_rodata is accepted and becomes a KSPLICE_PATCH_DATA
 * record with the new bytes in the primary and the pre bytes in an early,
 * content-matched helper section; a size change or an unmarked change is
 * refused; ksplice_match_data_early puts an unchanged variable's pre bytes
 * into the helper; an option on a function is an error.
 */
#include <string.h>

#include "create/module-build.h"
#include "create/object-units.h"
#include "create/patch-options.h"
#include "tests/lib/check.h"
#include "tests/unit/snippet-compile.h"

/* What ksplice-patch.h expands to, without the kernel headers. */
#define OPTION(kind, obj)                                                     \
	"static const void *const __ksplice_option_" #kind "_" #obj          \
	"  __attribute__((used, section(\".ksplice_option." #kind "\"))) = &" #obj ";\n"

#define TABLE(first) \
	"static const char *const names[] = { " first ", \"two\", \"three\" };\n" \
	"__attribute__((noinline)) const char *name(int i) { return names[i]; }\n"

#define PRE_SRC TABLE("\"one\"")
#define POST_SRC TABLE("\"uno\"") OPTION(assume_rodata, names)
#define UNMARKED_SRC TABLE("\"uno\"")
#define LONGER_SRC \
	"static const char *const names[] = { \"uno\", \"two\", \"three\", \"four\" };\n" \
	"__attribute__((noinline)) const char *name(int i) { return names[i]; }\n" \
	OPTION(assume_rodata, names)

#define EARLY_PRE "static int limits[4] = { 1, 2, 3, 4 };\n" \
	"__attribute__((noinline)) int limit(int i) { return limits[i]; }\n"
#define EARLY_POST "static int limits[4] = { 1, 2, 3, 4 };\n" \
	"__attribute__((noinline)) int limit(int i) { return limits[i] + 1; }\n" \
	OPTION(match_data_early, limits)

static struct diff_result *diff_of(const char *pre_src, const char *post_src,
				   struct elf_object **pre, struct elf_object **post)
{
	struct ks_error err = { "" };
	struct diff_result *d;

	*pre = snippet_object(pre_src, NULL);
	*post = snippet_object(post_src, NULL);
	CHECK(*pre && *post);
	if (!*pre || !*post)
		return NULL;
	d = section_diff(*pre, *post, &err);
	CHECK(d != NULL);
	return d;
}

static void free_objects(struct elf_object *pre, struct elf_object *post)
{
	if (pre)
		elf_object_free(pre);
	if (post)
		elf_object_free(post);
}

static void test_marked_change_is_written_in_place(void)
{
	struct elf_object *pre, *post;
	struct diff_result *d = diff_of(PRE_SRC, POST_SRC, &pre, &post);
	struct module_image primary, helper;
	struct ks_error err = { "" };
	struct module_object mo;
	const struct image_record_patch *p;

	if (!d)
		goto out;
	CHECK_INT_EQ(d->nr_unsupported, 0);
	CHECK_INT_EQ(d->nr_data, 1);
	CHECK(d->nr_data == 1 && d->data[0].in_place);
	mo = (struct module_object){ pre, post, d };
	CHECK_INT_EQ(module_build_images(NULL, &mo, 1, &primary, &helper, &err), 0);
	CHECK_INT_EQ(primary.nr_patches, 1);
	if (primary.nr_patches == 1) {
		p = &primary.patches[0];
		CHECK_INT_EQ(p->kind, KSPLICE_PATCH_DATA);
		CHECK_STR_EQ(p->old_name, "names");
		CHECK(p->new_code.sec >= 0);
		/* The new table, with its pointers left to the loader. */
		CHECK(p->new_code.sec >= 0 && primary.secs[p->new_code.sec].nr_relocs == 3);
		CHECK(p->helper_section < helper.nr_sections);
		if (p->helper_section < helper.nr_sections) {
			const struct image_record_section *s = &helper.sections[p->helper_section];

			CHECK_STR_EQ(s->symbol, "names");
			CHECK(s->flags & KSPLICE_SECTION_EARLY);
			CHECK_INT_EQ(s->size, 3 * sizeof(void *));
		}
	}
	/* The pre table's pointers are matched by the strings' content. */
	CHECK(helper.nr_relocs >= 3);
	module_image_free(&primary);
	module_image_free(&helper);
	diff_result_free(d);
out:
	free_objects(pre, post);
}

static void test_size_change_is_refused(void)
{
	struct elf_object *pre, *post;
	struct diff_result *d = diff_of(PRE_SRC, LONGER_SRC, &pre, &post);

	if (d) {
		CHECK_INT_EQ(d->nr_unsupported, 1);
		if (d->nr_unsupported)
			CHECK(strstr(d->unsupported[0].message, "names: marked ksplice_assume_rodata, "
				     "but the patch changes its size") != NULL);
		diff_result_free(d);
	}
	free_objects(pre, post);
}

static void test_unmarked_change_is_refused(void)
{
	struct elf_object *pre, *post;
	struct diff_result *d = diff_of(PRE_SRC, UNMARKED_SRC, &pre, &post);

	if (d) {
		CHECK_INT_EQ(d->nr_unsupported, 1);
		if (d->nr_unsupported) {
			CHECK(strstr(d->unsupported[0].message,
				     "names: changes the initial value of") != NULL);
			CHECK(strstr(d->unsupported[0].message, "mark it ksplice_assume_rodata") != NULL);
		}
		CHECK(d->nr_data == 1 && !d->data[0].in_place);
		diff_result_free(d);
	}
	free_objects(pre, post);
}

static void test_match_data_early(void)
{
	struct elf_object *pre, *post;
	struct diff_result *d = diff_of(EARLY_PRE, EARLY_POST, &pre, &post);
	struct module_image primary, helper;
	struct ks_error err = { "" };
	struct module_object mo;
	bool early = false;
	size_t i;

	if (!d)
		goto out;
	CHECK_INT_EQ(d->nr_unsupported, 0);
	CHECK_INT_EQ(d->nr_data, 0);
	mo = (struct module_object){ pre, post, d };
	CHECK_INT_EQ(module_build_images(NULL, &mo, 1, &primary, &helper, &err), 0);
	for (i = 0; i < helper.nr_sections; i++)
		if (!strcmp(helper.sections[i].symbol, "limits"))
			early = helper.sections[i].flags & KSPLICE_SECTION_EARLY;
	CHECK(early);
	CHECK_INT_EQ(primary.nr_patches, 1);
	module_image_free(&primary);
	module_image_free(&helper);
	diff_result_free(d);
out:
	free_objects(pre, post);
}

static void test_option_on_a_function_is_an_error(void)
{
	struct elf_object *pre = snippet_object(EARLY_PRE, NULL);
	struct elf_object *post = snippet_object(EARLY_PRE OPTION(assume_rodata, limit), NULL);
	struct ks_error err = { "" };

	CHECK(pre && post);
	if (pre && post) {
		CHECK(section_diff(pre, post, &err) == NULL);
		CHECK(strstr(err.msg, "ksplice_assume_rodata names limit, which is not a "
			     "variable of this file") != NULL);
	}
	free_objects(pre, post);
}

int main(void)
{
	RUN(test_marked_change_is_written_in_place);
	RUN(test_size_change_is_refused);
	RUN(test_unmarked_change_is_refused);
	RUN(test_match_data_early);
	RUN(test_option_on_a_function_is_an_error);
	return check_done();
}
