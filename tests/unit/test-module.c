// SPDX-License-Identifier: GPL-2.0
/*
 * Update module generation on objects compiled from C snippets: what goes
 * into the primary and the helper, how each relocation is resolved, and a
 * full round trip (object written with libelf + generated C compiled
 * against stand-in kernel headers + ld -r) read back by module_dump.
 *
 * Also a small tool for tests/create/t-module.sh:
 *   test-module --tool build PRE.o POST.o KDIR ARCH ID TARGET OUT_DIR
 *   test-module --tool dump MODULE.ko
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ksplice-api.h"
#include "create/module-build.h"
#include "create/module-dump.h"
#include "create/module-elf-writer.h"
#include "create/module-kbuild.h"
#include "create/module-stub.h"
#include "tests/lib/check.h"
#include "tests/unit/snippet-compile.h"

#define PRE_SRC                                                              \
	"extern int exported_counter, hidden_counter;\n"                     \
	"extern int printk(const char *fmt, ...);\n"                         \
	"static int state;\n"                                                \
	"__attribute__((noinline)) static int helper(int x) { return x * 3 + state; }\n" \
	"int changed(int x) { printk(\"old %d\\n\", x); return helper(x) + hidden_counter; }\n" \
	"int same(int x) { return x - 1; }\n"

#define POST_SRC                                                             \
	"extern int exported_counter, hidden_counter;\n"                     \
	"extern int printk(const char *fmt, ...);\n"                         \
	"static int state;\n"                                                \
	"static int fresh[4] = { 1, 2, 3, 4 };\n"                            \
	"__attribute__((noinline)) static int helper(int x) { return x * 3 + state; }\n" \
	"int changed(int x) { printk(\"new %d\\n\", x); fresh[x & 3]++;\n"   \
	"  return helper(x) + hidden_counter + exported_counter + fresh[1]; }\n" \
	"int same(int x) { return x - 1; }\n"

struct fixture {
	struct elf_object *pre, *post;
	struct diff_result *diff;
	struct module_image primary, helper;
	char symvers[256];
	bool ok;
};

static void fixture_setup(struct fixture *fx)
{
	struct module_object mo;
	struct ks_error err = { "" };
	FILE *f;

	memset(fx, 0, sizeof(*fx));
	fx->pre = snippet_object(PRE_SRC, NULL);
	fx->post = snippet_object(POST_SRC, NULL);
	snprintf(fx->symvers, sizeof(fx->symvers), "%s/Module.symvers",
		 snippet_dir());
	f = fopen(fx->symvers, "w");
	if (f) {
		fprintf(f, "0x12345678\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n"
			   "0x12345679\texported_counter\tvmlinux\tEXPORT_SYMBOL_GPL\tTESTNS\n");
		fclose(f);
	}
	if (!fx->pre || !fx->post)
		return;
	fx->diff = section_diff(fx->pre, fx->post, &err);
	if (!fx->diff) {
		printf("  diff failed: %s\n", err.msg);
		return;
	}
	mo = (struct module_object){ fx->pre, fx->post, fx->diff };
	if (module_build_images(fx->symvers, &mo, 1, &fx->primary, &fx->helper,
				&err)) {
		printf("  module_build_images failed: %s\n", err.msg);
		return;
	}
	fx->ok = true;
}

static void fixture_teardown(struct fixture *fx)
{
	module_image_free(&fx->primary);
	module_image_free(&fx->helper);
	if (fx->diff)
		diff_result_free(fx->diff);
	elf_object_free(fx->pre);
	elf_object_free(fx->post);
}

static const struct image_record_reloc *find_record(const struct module_image *img,
						    const char *name)
{
	size_t i;

	for (i = 0; i < img->nr_relocs; i++)
		if (img->relocs[i].name && !strcmp(img->relocs[i].name, name))
			return &img->relocs[i];
	return NULL;
}

static const struct image_reloc *find_loader_reloc(const struct module_image *img,
						   const char *symbol,
						   const char *section)
{
	size_t i, k;

	for (i = 0; i < img->nr_secs; i++)
		for (k = 0; k < img->secs[i].nr_relocs; k++) {
			const struct image_reloc *r = &img->secs[i].relocs[k];

			if (symbol && r->target < 0 && !strcmp(r->symbol, symbol))
				return r;
			if (section && r->target >= 0 &&
			    strstr(img->secs[r->target].name, section))
				return r;
		}
	return NULL;
}

static int find_section(const struct module_image *img, const char *name)
{
	size_t i;

	for (i = 0; i < img->nr_secs; i++)
		if (!strcmp(img->secs[i].name, name))
			return (int)i;
	return -1;
}

static bool field_is_zero(const struct module_image *img,
			  const struct image_record_reloc *r)
{
	const unsigned char *p = img->secs[r->site.sec].data + r->site.offset;
	int i;

	for (i = 0; i < r->size; i++)
		if (p[i])
			return false;
	return true;
}

static void test_primary_copies_changed_and_new(void)
{
	struct fixture fx;

	fixture_setup(&fx);
	CHECK(fx.ok);
	if (fx.ok) {
		const struct module_image *p = &fx.primary;

		CHECK(find_section(p, ".text.changed") >= 0);
		CHECK(find_section(p, ".data.fresh") >= 0);
		/* unchanged code stays in the running kernel */
		CHECK(find_section(p, ".text.same") < 0);
		CHECK(find_section(p, ".text.helper") < 0);
		CHECK_INT_EQ(p->nr_patches, 1);
		if (p->nr_patches) {
			CHECK_STR_EQ(p->patches[0].old_name, "changed");
			CHECK_INT_EQ(p->patches[0].kind, KSPLICE_PATCH_JUMP);
			CHECK(p->patches[0].new_code.sec ==
			      find_section(p, ".text.changed"));
		}
		CHECK_INT_EQ(p->nr_sections, 1);
	}
	fixture_teardown(&fx);
}

static void test_primary_resolves_each_relocation_kind(void)
{
	struct fixture fx;

	fixture_setup(&fx);
	CHECK(fx.ok);
	if (fx.ok) {
		const struct module_image *p = &fx.primary;
		const struct image_record_reloc *r;

		/* exported: left to the module loader, namespace imported */
		CHECK(find_loader_reloc(p, "printk", NULL) != NULL);
		CHECK(find_loader_reloc(p, "exported_counter", NULL) != NULL);
		CHECK(p->nr_namespaces == 1 && !strcmp(p->namespaces[0], "TESTNS"));
		/* new data and string literals: copied, relocated normally */
		CHECK(find_loader_reloc(p, NULL, ".data.fresh") != NULL);
		CHECK(find_loader_reloc(p, NULL, ".str1.") != NULL);
		/* the rest lives in the running kernel: ksplice records */
		r = find_record(p, "hidden_counter");
		CHECK(r && r->target_kind == KSPLICE_TARGET_SYMBOL && field_is_zero(p, r));
		r = find_record(p, "helper");
		CHECK(r && r->target_kind == KSPLICE_TARGET_SYMBOL && field_is_zero(p, r));
		if (r)
			CHECK(r->flags == (KSPLICE_RELOC_PCREL | KSPLICE_RELOC_SIGNED));
		CHECK(find_record(p, "printk") == NULL);
	}
	fixture_teardown(&fx);
}

static void test_helper_holds_pre_code_with_records_only(void)
{
	struct fixture fx;
	size_t i;

	fixture_setup(&fx);
	CHECK(fx.ok);
	if (fx.ok) {
		const struct module_image *h = &fx.helper;
		const struct image_record_reloc *r;
		int sec = find_section(h, ".ksplice_pre.text.changed");

		CHECK(sec >= 0);
		CHECK_INT_EQ(h->nr_sections, 1);
		CHECK_INT_EQ(h->nr_patches, 0);
		for (i = 0; i < h->nr_secs; i++) {
			CHECK_INT_EQ(h->secs[i].nr_relocs, 0);
			CHECK(!(h->secs[i].flags & (SHF_EXECINSTR | SHF_WRITE)));
		}
		r = find_record(h, "old %d\n");
		CHECK(r && r->target_kind == KSPLICE_TARGET_STRING && field_is_zero(h, r));
		CHECK(find_record(h, "printk") != NULL);
		CHECK(find_record(h, "helper") != NULL);
		CHECK(find_record(h, "hidden_counter") != NULL);
		/* only relocation fields differ from the object's bytes */
		if (sec >= 0) {
			const struct elf_section *src =
				elf_object_find_section(fx.pre, ".text.changed");
			unsigned char *copy = xmalloc(src->size);

			memcpy(copy, src->data, src->size);
			for (i = 0; i < src->nr_relocs; i++)
				memset(copy + src->relocs[i].offset, 0,
				       src->relocs[i].size);
			CHECK(h->secs[sec].size == src->size &&
			      !memcmp(copy, h->secs[sec].data, src->size));
			free(copy);
		}
	}
	fixture_teardown(&fx);
}

/* A stand-in <linux/module.h>; core/ headers take their userspace branch. */
static void write_fake_kernel_headers(const char *dir)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/linux && cd %s/linux && "
		 "printf '#define __used __attribute__((used))\\n#define __section(s) __attribute__((section(s)))\\n"
		 "#define __aligned(n) __attribute__((aligned(n)))\\n#define __init\\n#define __exit\\n"
		 "#define module_init(f) int (*init_ptr)(void) = f;\\n#define module_exit(f) void (*exit_ptr)(void) = f;\\n"
		 "#define MODULE_LICENSE(x)\\n#define MODULE_DESCRIPTION(x)\\n#define MODULE_IMPORT_NS(x)\\n"
		 "#define THIS_MODULE ((struct module *)0)\\n' >module.h",
		 dir, dir);
	if (system(cmd))
		printf("  cannot write fake headers\n");
}

static int build_fake_module(const struct module_image *img, const char *dir,
			     const char *name, char *out, size_t len)
{
	struct ks_error err = { "" };
	char path[512], cmd[2048];

	snprintf(path, sizeof(path), "%s/%s-code.o", dir, name);
	if (image_write_elf(img, path, &err)) {
		printf("  write: %s\n", err.msg);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s-stub.c", dir, name);
	if (stub_write(img, "abc123", "vmlinux", path, &err) ||
	    stub_write_headers(dir, &err)) {
		printf("  stub: %s\n", err.msg);
		return -1;
	}
	snprintf(out, len, "%s/%s.o", dir, name);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && gcc -Wall -Werror -I. -Ifake -c -O2 -fno-pie -o %s-stub.o %s-stub.c && "
		 "ld -r -o %s %s-stub.o %s-code.o",
		 dir, name, name, out, name, name);
	return system(cmd) ? -1 : 0;
}

static void test_round_trip_through_elf_and_generated_c(void)
{
	struct module_dump_counts c;
	struct ks_error err = { "" };
	char dir[256], fake[300], obj[512];
	struct fixture fx;

	fixture_setup(&fx);
	CHECK(fx.ok);
	snprintf(dir, sizeof(dir), "%s/roundtrip", snippet_dir());
	snprintf(fake, sizeof(fake), "%s/fake", dir);
	mkdir(dir, 0700);
	write_fake_kernel_headers(fake);
	if (fx.ok) {
		CHECK(build_fake_module(&fx.primary, dir, "primary", obj, sizeof(obj)) == 0);
		if (module_dump(obj, NULL, &c, &err)) {
			printf("  primary: %s\n", err.msg);
			CHECK(0);
		} else {
			CHECK_INT_EQ(c.kind, KSPLICE_PRIMARY);
			CHECK_INT_EQ(c.nr_patches, 1);
			CHECK_INT_EQ(c.nr_relocs, fx.primary.nr_relocs);
		}
		CHECK(build_fake_module(&fx.helper, dir, "helper", obj, sizeof(obj)) == 0);
		if (module_dump(obj, NULL, &c, &err)) {
			printf("  helper: %s\n", err.msg);
			CHECK(0);
		} else {
			CHECK_INT_EQ(c.kind, KSPLICE_HELPER);
			CHECK_INT_EQ(c.nr_relocs, fx.helper.nr_relocs);
			CHECK_INT_EQ(c.nr_sections, 1);
		}
	}
	fixture_teardown(&fx);
}

static void test_stub_strings_are_escaped(void)
{
	char buf[128] = "";
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	stub_print_string(f, "a\"b\\c\n\x01?");
	fclose(f);
	CHECK_STR_EQ(buf, "\"a\\042b\\134c\\012\\001\\077\"");
}

/* Read a whole file into a static buffer ("" if unreadable). */
static const char *slurp(const char *path)
{
	static char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

/* The source tree: this program is TOP/build/tests/unit/test-module. */
static const char *top_dir(void)
{
	static char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	int up;

	path[n > 0 ? n : 0] = '\0';
	for (up = 0; up < 4; up++) {
		char *slash = strrchr(path, '/');

		if (slash)
			*slash = '\0';
	}
	return path;
}

/*
 * The generated modules register with ksplice.ko, and their build dir
 * holds a stand-in ksplice module whose exporting file is ksplice.ko's
 * own, so modpost records the real CRCs (see core/ksplice-api.h).
 */
static void test_modules_register_with_the_core(void)
{
	struct ks_error err = { "" };
	char dir[256], path[4200];
	struct fixture fx;

	snprintf(path, sizeof(path), "%s/kmodule/exports.c", top_dir());
	CHECK_STR_EQ(slurp(path), KSPLICE_EXPORTS_C);
	fixture_setup(&fx);
	snprintf(dir, sizeof(dir), "%s/register", snippet_dir());
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/stub.c", dir);
	CHECK(fx.ok && !stub_write(&fx.helper, "abc123", "vmlinux", path, &err));
	CHECK(strstr(slurp(path), "return ksplice_register_module(&ksplice_desc, THIS_MODULE);"));
	CHECK(strstr(slurp(path), "ksplice_unregister_module(&ksplice_desc, THIS_MODULE);"));
	CHECK(!kbuild_write_makefile(dir, "ksplice-abc123-vmlinux", &err));
	snprintf(path, sizeof(path), "%s/Kbuild", dir);
	CHECK(strstr(slurp(path), "obj-m := ksplice-abc123-vmlinux.o ksplice.o\n"));
	CHECK(strstr(slurp(path), "ksplice-y := ksplice-exports.o ksplice-standin.o\n"));
	snprintf(path, sizeof(path), "%s/ksplice-exports.c", dir);
	CHECK_STR_EQ(slurp(path), KSPLICE_EXPORTS_C);
	snprintf(path, sizeof(path), "%s/ksplice-standin.c", dir);
	CHECK(strstr(slurp(path), "MODULE_LICENSE(\"GPL\")"));
	fixture_teardown(&fx);
}

static int tool_build(char **argv)
{
	struct module_build_opts o = { .kdir = argv[2], .arch = argv[3],
				       .id = argv[4], .target = argv[5],
				       .out_dir = argv[6], .keep_build_dirs = true };
	struct ks_error err = { "" };
	struct elf_object *pre = elf_object_load(argv[0], &err);
	struct elf_object *post = pre ? elf_object_load(argv[1], &err) : NULL;
	struct diff_result *diff = post ? section_diff(pre, post, &err) : NULL;
	struct module_build_result res;
	struct module_object mo = { pre, post, diff };
	size_t i;

	if (!diff || module_build_target(&o, &mo, 1, &res, &err)) {
		fprintf(stderr, "test-module: %s\n", err.msg);
		return 1;
	}
	diff_result_print(diff, stderr);
	for (i = 0; i < res.nr_notes; i++)
		fprintf(stderr, "note: %s\n", res.notes[i]);
	printf("%s\n%s\n", res.primary_ko, res.helper_ko);
	module_build_result_free(&res);
	diff_result_free(diff);
	elf_object_free(pre);
	elf_object_free(post);
	return 0;
}

static int tool(int argc, char **argv)
{
	struct ks_error err = { "" };

	if (argc == 10 && !strcmp(argv[2], "build"))
		return tool_build(argv + 3);
	if (argc == 4 && !strcmp(argv[2], "dump")) {
		if (!module_dump(argv[3], stdout, NULL, &err))
			return 0;
		fprintf(stderr, "test-module: %s: %s\n", argv[3], err.msg);
		return 1;
	}
	fprintf(stderr, "usage: test-module --tool build PRE POST KDIR ARCH ID TARGET OUT_DIR\n"
			"       test-module --tool dump MODULE\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--tool"))
		return tool(argc, argv);
	RUN(test_primary_copies_changed_and_new);
	RUN(test_primary_resolves_each_relocation_kind);
	RUN(test_helper_holds_pre_code_with_records_only);
	RUN(test_round_trip_through_elf_and_generated_c);
	RUN(test_stub_strings_are_escaped);
	RUN(test_modules_register_with_the_core);
	return check_done();
}
