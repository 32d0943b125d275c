// SPDX-License-Identifier: GPL-2.0
/*
 * What the primary and the helper refer to, and how (issue 11, classes 2,
 * 4, 6, 7), on objects compiled from C snippets:
 *  - empty objects (.bss.__key.N of mutex_init without LOCKDEP): no empty
 *    helper section; the helper binds the symbol, the primary gets an
 *    empty piece of its own;
 *  - __func__.N: copied into the primary, never named;
 *  - a local symbol only unchanged code refers to: a witness section;
 *    a function-local static without one: refused, naming it;
 *  - .rodata.cst16: a constant record with its 16 bytes;
 *  - .BTF_ids: lists referred to by name, compared without the __COUNTER__
 *    numbers, a changed list refused naming it.
 * Plus a round trip of such records through ELF, generated C and the
 * module reader.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "create/module-build.h"
#include "create/module-dump.h"
#include "create/module-elf-writer.h"
#include "create/module-stub.h"
#include "tests/lib/check.h"
#include "tests/unit/snippet-compile.h"

#define COMMON                                                               \
	"struct lock_class_key { };\n"                                       \
	"struct mutex { int x; };\n"                                         \
	"extern void __mutex_init(struct mutex *m, const char *n, struct lock_class_key *k);\n" \
	"#define mutex_init(m) do { static struct lock_class_key __key;"     \
	" __mutex_init((m), #m, &__key); } while (0)\n"                      \
	"extern int printk(const char *fmt, ...);\n"                         \
	"struct mutex a, b;\n"                                               \
	"static int shared;\n"

/* GCC numbers statics from the end of the file: other()'s keep theirs. */
#define OTHER                                                                \
	"int other(int x) { mutex_init(&b); printk(\"%s\\n\", __func__); return x + shared++; }\n"

#define PRE_SRC COMMON                                                       \
	"int changed(int x) { mutex_init(&a); printk(\"%s %d\\n\", __func__, x); return x; }\n" \
	"long vec(long *p) { p[0] = 1; p[1] = 2; return 0; }\n" OTHER

#define POST_SRC COMMON                                                      \
	"int changed(int x) { mutex_init(&a); mutex_init(&b);\n"             \
	"  printk(\"%s %d!\\n\", __func__, x); return x + shared; }\n"       \
	"long vec(long *p) { p[0] = 1; p[1] = 2; return 1; }\n" OTHER

struct built {
	struct elf_object *pre, *post;
	struct diff_result *diff;
	struct module_image primary, helper;
	struct ks_error err;
	int ret;
};

/* Diff and build; ret is module_build_images' (or -2 if the diff refused). */
static void build(struct built *b, const char *pre, const char *post)
{
	struct module_object mo;

	memset(b, 0, sizeof(*b));
	b->ret = -3;
	b->pre = snippet_object(pre, NULL);
	b->post = snippet_object(post, NULL);
	if (!b->pre || !b->post)
		return;
	b->diff = section_diff(b->pre, b->post, &b->err);
	if (!b->diff) {
		b->ret = -2;
		return;
	}
	mo = (struct module_object){ b->pre, b->post, b->diff };
	b->ret = module_build_images(NULL, &mo, 1, &b->primary, &b->helper, &b->err);
}

static void unbuild(struct built *b)
{
	module_image_free(&b->primary);
	module_image_free(&b->helper);
	diff_result_free(b->diff);
	elf_object_free(b->pre);
	elf_object_free(b->post);
}

static const struct image_record_reloc *record_prefixed(const struct module_image *img,
							const char *prefix)
{
	size_t i;

	for (i = 0; i < img->nr_relocs; i++)
		if (img->relocs[i].target_kind == KSPLICE_TARGET_SYMBOL &&
		    !strncmp(img->relocs[i].name, prefix, strlen(prefix)))
			return &img->relocs[i];
	return NULL;
}

static const struct image_record_reloc *btf_record(const struct module_image *img,
						   unsigned int kind, const char *name)
{
	size_t i;

	for (i = 0; i < img->nr_relocs; i++)
		if (img->relocs[i].target_kind == kind && !strcmp(img->relocs[i].name, name))
			return &img->relocs[i];
	return NULL;
}

static const struct image_record_reloc *record_of_kind(const struct module_image *img,
						       unsigned int kind)
{
	size_t i;

	for (i = 0; i < img->nr_relocs; i++)
		if (img->relocs[i].target_kind == kind)
			return &img->relocs[i];
	return NULL;
}

static int section_prefixed(const struct module_image *img, const char *prefix)
{
	size_t i;

	for (i = 0; i < img->nr_secs; i++)
		if (!strncmp(img->secs[i].name, prefix, strlen(prefix)))
			return (int)i;
	return -1;
}

static const struct image_record_section *section_record(const struct module_image *img,
							 const char *symbol)
{
	size_t i;

	for (i = 0; i < img->nr_sections; i++)
		if (!strcmp(img->sections[i].symbol, symbol))
			return &img->sections[i];
	return NULL;
}

static void test_empty_objects(void)
{
	const struct image_record_reloc *r;
	struct built b;
	size_t i;
	int sec;

	build(&b, PRE_SRC, POST_SRC);
	CHECK_INT_EQ(b.ret, 0);
	if (b.ret) {
		printf("  %s\n", b.err.msg);
		return;
	}
	/* helper: no empty section record; __key bound as a local symbol */
	for (i = 0; i < b.helper.nr_sections; i++)
		CHECK(b.helper.sections[i].size > 0);
	r = record_prefixed(&b.helper, "__key.");
	CHECK(r && r->scope == 1);
	/* primary: its own empty pieces, no record naming a __key */
	CHECK(record_prefixed(&b.primary, "__key") == NULL);
	sec = section_prefixed(&b.primary, ".bss.__key.");
	CHECK(sec >= 0 && b.primary.secs[sec].size == 0);
	unbuild(&b);
}

static void test_func_names_copied(void)
{
	struct built b;

	build(&b, PRE_SRC, POST_SRC);
	CHECK_INT_EQ(b.ret, 0);
	if (b.ret)
		return;
	CHECK(record_prefixed(&b.primary, "__func__") == NULL);
	CHECK(section_prefixed(&b.primary, ".rodata.__func__.") >= 0);
	unbuild(&b);
}

static void test_witness_binds_a_local(void)
{
	const struct image_record_section *w, *c;
	const struct image_record_reloc *r;
	struct built b;

	build(&b, PRE_SRC, POST_SRC);
	CHECK_INT_EQ(b.ret, 0);
	if (b.ret)
		return;
	r = record_prefixed(&b.primary, "shared");
	CHECK(r && r->scope == 1);
	/* pre changed() does not use "shared"; other() does: it is the witness */
	w = section_record(&b.helper, "other");
	CHECK(w && (w->flags & KSPLICE_SECTION_WITNESS) && w->scope == 0);
	c = section_record(&b.helper, "changed");
	CHECK(c && !(c->flags & KSPLICE_SECTION_WITNESS));
	r = record_prefixed(&b.helper, "shared");
	CHECK(r && r->scope == 1);
	CHECK_INT_EQ(b.primary.nr_patches, 2);	/* changed, vec; never the witness */
	unbuild(&b);
}

#define INIT_PRE                                                             \
	"static inline int once(void) { static int done; return done++; }\n" \
	"__attribute__((section(\".init.text\"))) int a_init(void) { return once(); }\n"

static void test_numbered_static_without_witness_refused(void)
{
	struct built b;

	build(&b, INIT_PRE "int changed(void) { return 1; }\n",
	      INIT_PRE "int changed(void) { return once() + 1; }\n");
	CHECK(b.ret == -1);
	CHECK(strstr(b.err.msg, "done.") && strstr(b.err.msg, "function-local static"));
	if (b.ret != -1)
		printf("  ret %d: %s\n", b.ret, b.err.msg);
	unbuild(&b);
}

#define LONELY "static int lonely; int *lonely_ptr = &lonely;\n"

/* With the target's System.map, a name found twice there is refused. */
static void test_system_map_ambiguity_refused(void)
{
	char map[300];
	struct module_object mo;
	struct module_image p, h;
	struct built b;
	FILE *f;
	int twice;

	build(&b, LONELY "int changed(void) { return 1; }\n",
	      LONELY "int changed(void) { return lonely + 1; }\n");
	CHECK_INT_EQ(b.ret, 0);	/* no map: left to apply's unique-name lookup */
	snprintf(map, sizeof(map), "%s/System.map", snippet_dir());
	for (twice = 0; twice < 2 && b.diff; twice++) {
		f = fopen(map, "w");
		fprintf(f, "ffffffff81000000 T changed\nffffffff82000000 b lonely\n%s",
			twice ? "ffffffff82000040 b lonely\n" : "");
		fclose(f);
		mo = (struct module_object){ b.pre, b.post, b.diff };
		memset(&b.err, 0, sizeof(b.err));
		CHECK_INT_EQ(module_build_images_mapped(NULL, map, &mo, 1, &p, &h, &b.err),
			     twice ? -1 : 0);
		if (twice)
			CHECK(strstr(b.err.msg, "lonely") && strstr(b.err.msg, "2 symbols"));
		module_image_free(&p);
		module_image_free(&h);
	}
	unbuild(&b);
}

static void test_mergeable_constant_record(void)
{
	static const unsigned char want[16] = { 1, 0, 0, 0, 0, 0, 0, 0, 2 };
	const struct image_record_reloc *r;
	struct built b;

	build(&b, PRE_SRC, POST_SRC);
	CHECK_INT_EQ(b.ret, 0);
	if (b.ret)
		return;
	r = record_of_kind(&b.helper, KSPLICE_TARGET_CONST);
	CHECK(r && r->len == 16 && !memcmp(r->name, want, 16) && r->addend == -4);
	/* never the whole section as a helper section */
	CHECK(section_prefixed(&b.helper, ".ksplice_pre.rodata.cst") < 0);
	/* the primary carries its own constants */
	CHECK(section_prefixed(&b.primary, ".rodata.cst16") >= 0);
	unbuild(&b);
}

/* .BTF_ids as include/linux/btf_ids.h lays it out, with chosen numbers. */
#define BTF_LIST(ids)                                                        \
	"typedef unsigned int u32;\n"                                        \
	"asm(\".pushsection .BTF_ids,\\\"a\\\"\\n.local my_list\\nmy_list:\\n\"\n" ids \
	"\".popsection\\n\");\n"                                             \
	"extern u32 my_list[];\n"
#define Q(s) "\"" s "\"\n"
#define ID(kind, name, n) Q(".local __BTF_ID__" #kind "__" #name "__" #n "\\n"  \
	".type __BTF_ID__" #kind "__" #name "__" #n ", STT_OBJECT\\n"          \
	".size __BTF_ID__" #kind "__" #name "__" #n ", 4\\n"                   \
	"__BTF_ID__" #kind "__" #name "__" #n ":\\n.zero 4\\n")

static void test_btf_ids_lists(void)
{
	const char *pre = BTF_LIST(ID(struct, task_struct, 1201) ID(struct, file, 1302))
		"int changed(int x) { return my_list[1] + x; }\n";
	const char *post = BTF_LIST(ID(struct, task_struct, 3201) ID(struct, file, 3302))
		"int changed(int x) { return my_list[1] + x + 1; }\n";
	const char *grown = BTF_LIST(ID(struct, task_struct, 1201) ID(struct, file, 1302)
				     ID(struct, inode, 1403))
		"int changed(int x) { return my_list[1] + x + 1; }\n";
	const struct image_record_reloc *r;
	struct built b;

	build(&b, pre, post);
	CHECK_INT_EQ(b.ret, 0);
	if (!b.ret) {
		r = record_prefixed(&b.primary, "my_list");
		CHECK(r && r->scope == 1);
		r = record_prefixed(&b.helper, "my_list");
		CHECK(r && r->scope == 1);
		CHECK(section_prefixed(&b.primary, ".BTF_ids") < 0);
		CHECK(section_prefixed(&b.helper, ".ksplice_pre.BTF_ids") < 0);
	} else {
		printf("  %s\n", b.err.msg);
	}
	unbuild(&b);

	/* a changed list: copied into the primary, its IDs filled in by ksplice.ko */
	build(&b, pre, grown);
	CHECK_INT_EQ(b.ret, 0);
	CHECK(section_prefixed(&b.primary, ".BTF_ids") >= 0);
	CHECK(!record_prefixed(&b.primary, "my_list"));
	r = btf_record(&b.primary, KSPLICE_TARGET_BTF_ID, "inode");
	CHECK(r && r->len == 4 && r->size == 4 && r->site.offset == 8);
	CHECK(btf_record(&b.primary, KSPLICE_TARGET_BTF_ID, "task_struct") != NULL);
	CHECK(!btf_record(&b.primary, KSPLICE_TARGET_BTF_SET, "my_list"));
	CHECK(!btf_record(&b.helper, KSPLICE_TARGET_BTF_ID, "inode"));
	unbuild(&b);

}

static void test_btf_ids_list_used_by_data(void)
{
	const char *pre = BTF_LIST(ID(struct, task_struct, 1201))
		"u32 *const holder = &my_list[0];\n";
	const char *post = BTF_LIST(ID(struct, task_struct, 1201) ID(struct, file, 1302))
		"u32 *const holder = &my_list[0];\n";
	struct built b;

	build(&b, pre, post);
	CHECK(b.diff && b.diff->nr_unsupported == 1);
	if (b.diff && b.diff->nr_unsupported)
		CHECK(strstr(b.diff->unsupported[0].message,
			     "BTF ID list my_list: the patch changes it, and data holder uses it") != NULL);
	unbuild(&b);
}

/* BTF_SET_START(my_set): the list's name and its header at one place. */
#define BTF_SET(ids)                                                         \
	"typedef unsigned int u32;\n"                                        \
	"asm(\".pushsection .BTF_ids,\\\"a\\\"\\n.local my_set\\nmy_set:\\n\"\n" \
	Q(".local __BTF_ID__set__my_set\\n__BTF_ID__set__my_set:\\n.zero 4\\n") ids \
	Q(".size __BTF_ID__set__my_set, .-my_set\\n") "\".popsection\\n\");\n" \
	"struct btf_id_set { u32 cnt; u32 ids[]; };\n"                      \
	"extern struct btf_id_set my_set;\n"

static void test_btf_ids_set_named(void)
{
	const char *pre = BTF_SET(ID(func, vfs_truncate, 948) ID(func, filp_close, 952))
		"int changed(int x) { return my_set.cnt + x; }\n";
	const char *grown = BTF_SET(ID(func, vfs_truncate, 948) ID(func, filp_close, 952)
				    ID(func, vfs_fsync, 953))
		"int changed(int x) { return my_set.cnt + x; }\n";
	const char *post = BTF_SET(ID(func, vfs_truncate, 949) ID(func, filp_close, 953))
		"int changed(int x) { return my_set.cnt + x + 1; }\n";
	const struct image_record_reloc *r;
	struct built b;

	build(&b, pre, post);
	CHECK_INT_EQ(b.ret, 0);
	r = record_prefixed(&b.primary, "my_set");
	CHECK(r && r->scope == 1);
	unbuild(&b);
	/* one more ID: the function that uses the set is replaced to use a copy */
	build(&b, pre, grown);
	CHECK_INT_EQ(b.ret, 0);
	CHECK(b.diff && b.diff->nr_functions == 1);
	r = btf_record(&b.primary, KSPLICE_TARGET_BTF_SET, "my_set");
	CHECK(r && r->addend == 3 && r->len == 4 && r->site.offset == 0);
	r = btf_record(&b.primary, KSPLICE_TARGET_BTF_ID, "vfs_fsync");
	CHECK(r && r->len == 12 && r->site.offset == 12);
	unbuild(&b);
}

/* A stand-in <linux/module.h>, as test-module.c's. */
static int fake_headers(const char *dir)
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
	return system(cmd);
}

static int round_trip(const struct module_image *img, const char *dir, const char *name,
		      FILE *out)
{
	struct ks_error err = { "" };
	char path[512], cmd[2048];

	snprintf(path, sizeof(path), "%s/%s-code.o", dir, name);
	if (image_write_elf(img, path, &err))
		return printf("  write: %s\n", err.msg), -1;
	snprintf(path, sizeof(path), "%s/%s-stub.c", dir, name);
	if (stub_write(img, "abc123", "vmlinux", path, &err) || stub_write_headers(dir, &err))
		return printf("  stub: %s\n", err.msg), -1;
	snprintf(cmd, sizeof(cmd),
		 "cd %s && gcc -Wall -Werror -I. -Ifake -c -O2 -fno-pie -o %s-stub.o %s-stub.c && "
		 "ld -r -o %s.o %s-stub.o %s-code.o", dir, name, name, name, name, name);
	if (system(cmd))
		return -1;
	snprintf(path, sizeof(path), "%s/%s.o", dir, name);
	if (module_dump(path, out, NULL, &err))
		return printf("  dump: %s\n", err.msg), -1;
	return 0;
}

static void test_records_round_trip(void)
{
	char dir[256], fake[300], text[16384];
	FILE *out;
	struct built b;

	build(&b, PRE_SRC, POST_SRC);
	CHECK_INT_EQ(b.ret, 0);
	snprintf(dir, sizeof(dir), "%s/records", snippet_dir());
	snprintf(fake, sizeof(fake), "%s/fake", dir);
	mkdir(dir, 0700);
	CHECK(fake_headers(fake) == 0);
	if (b.ret) {
		unbuild(&b);
		return;
	}
	memset(text, 0, sizeof(text));
	out = fmemopen(text, sizeof(text) - 1, "w");
	CHECK(round_trip(&b.helper, dir, "helper", out) == 0);
	CHECK(round_trip(&b.primary, dir, "primary", out) == 0);
	fclose(out);
	CHECK(strstr(text, "kind=4 name=\"\"") && strstr(text, "len=16 scope=0"));
	CHECK(strstr(text, "symbol=other flags=33 scope=0") != NULL);	/* text|witness */
	CHECK(strstr(text, "name=\"shared\"") && strstr(text, "scope=1"));
	if (!strstr(text, "len=16"))
		printf("%s", text);
	unbuild(&b);
}

int main(void)
{
	RUN(test_empty_objects);
	RUN(test_func_names_copied);
	RUN(test_witness_binds_a_local);
	RUN(test_numbered_static_without_witness_refused);
	RUN(test_system_map_ambiguity_refused);
	RUN(test_mergeable_constant_record);
	RUN(test_btf_ids_lists);
	RUN(test_btf_ids_set_named);
	RUN(test_btf_ids_list_used_by_data);
	RUN(test_records_round_trip);
	return check_done();
}
