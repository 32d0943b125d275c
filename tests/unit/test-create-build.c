// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of ksplice-create's build stage: diff parsing, the include
 * graph on a small fake tree, kbuild object classification (records, and
 * the make-based walker on fake Makefiles with kbuild's real helpers), and
 * the config helpers.
 */
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "create/build-objects.h"
#include "create/build-util.h"
#include "create/patch-parse.h"
#include "create/patch-source.h"
#include "create/tree-includes.h"
#include "create/tree-kbuild.h"
#include "create/tree-prepare.h"
#include "tests/lib/check.h"

static char tmp_root[] = "/tmp/test-create-build-XXXXXX";

/* Write TEXT to tmp_root/REL, creating directories. */
static void put(const char *rel, const char *text)
{
	char *path = build_xasprintf("%s/%s", tmp_root, rel);

	build_mkdir_p_parent(path);
	CHECK(!build_write_file(path, text, strlen(text)));
	free(path);
}

static const char simple_diff[] =
	"--- a/kernel/sys.c\t2024-01-01 00:00:00\n"
	"+++ b/kernel/sys.c\t2024-01-02 00:00:00\n"
	"@@ -950,6 +950,7 @@\n"
	"  */\n"
	" SYSCALL_DEFINE0(getpid)\n"
	" {\n"
	"+\tpr_debug(\"getpid\\n\");\n"
	" \treturn task_tgid_vnr(current);\n"
	" }\n"
	" \n";

static void test_parse_simple(void)
{
	struct patch_set set;
	char *err = NULL;

	CHECK(!patch_parse(simple_diff, &set, &err));
	CHECK_INT_EQ(set.nr_files, 1);
	CHECK_STR_EQ(set.files[0].path, "kernel/sys.c");
	CHECK_INT_EQ(set.files[0].change, PATCH_MODIFY);
	CHECK_INT_EQ(set.files[0].kind, PATCH_KIND_C);
	CHECK_INT_EQ(set.files[0].hunks, 1);
	CHECK(!patch_check_supported(&set));
	patch_set_free(&set);
}

static void test_parse_git_format_patch(void)
{
	static const char text[] =
		"From 1234 Mon Sep 17 00:00:00 2001\n"
		"Subject: [PATCH] fix\n"
		"\n"
		"--- a/not/a/header because no plus line follows\n"
		"---\n"
		" include/linux/foo.h | 2 +-\n"
		"\n"
		"diff --git a/include/linux/foo.h b/include/linux/foo.h\n"
		"index 1111..2222 100644\n"
		"--- a/include/linux/foo.h\n"
		"+++ b/include/linux/foo.h\n"
		"@@ -1,3 +1,3 @@\n"
		" a\n"
		"-b\n"
		"+c\n"
		" d\n"
		"@@ -10 +10 @@\n"
		"-x\n"
		"+y\n"
		"\\ No newline at end of file\n"
		"diff --git a/Documentation/foo.rst b/Documentation/foo.rst\n"
		"--- a/Documentation/foo.rst\n"
		"+++ b/Documentation/foo.rst\n"
		"@@ -1 +1 @@\n"
		"-old\n"
		"+new\n"
		"-- \n"
		"2.39.2\n";
	struct patch_set set;
	char *err = NULL;

	CHECK(!patch_parse(text, &set, &err));
	CHECK_INT_EQ(set.nr_files, 2);
	CHECK_STR_EQ(set.files[0].path, "include/linux/foo.h");
	CHECK_INT_EQ(set.files[0].kind, PATCH_KIND_HEADER);
	CHECK_INT_EQ(set.files[0].hunks, 2);
	CHECK_STR_EQ(set.files[1].path, "Documentation/foo.rst");
	CHECK_INT_EQ(set.files[1].kind, PATCH_KIND_IGNORED);
	CHECK(!patch_check_supported(&set));
	patch_set_free(&set);
}

static void test_parse_create_delete_rename(void)
{
	static const char text[] =
		"diff --git a/kernel/new.c b/kernel/new.c\n"
		"new file mode 100644\n"
		"--- /dev/null\n"
		"+++ b/kernel/new.c\n"
		"@@ -0,0 +1 @@\n"
		"+int x;\n"
		"diff --git a/kernel/old.c b/kernel/old.c\n"
		"deleted file mode 100644\n"
		"--- a/kernel/old.c\n"
		"+++ /dev/null\n"
		"@@ -1 +0,0 @@\n"
		"-int y;\n"
		"diff --git a/kernel/a.c b/kernel/b.c\n"
		"similarity index 100%\n"
		"rename from kernel/a.c\n"
		"rename to kernel/b.c\n";
	struct patch_set set;
	char *err = NULL;

	CHECK(!patch_parse(text, &set, &err));
	CHECK_INT_EQ(set.nr_files, 3);
	CHECK_INT_EQ(set.files[0].change, PATCH_CREATE);
	CHECK_INT_EQ(set.files[1].change, PATCH_DELETE);
	CHECK_STR_EQ(set.files[1].path, "kernel/old.c");
	CHECK_INT_EQ(set.files[2].change, PATCH_RENAME);
	CHECK_STR_EQ(set.files[2].old_path, "kernel/a.c");
	CHECK_STR_EQ(set.files[2].path, "kernel/b.c");
	CHECK(patch_check_supported(&set) < 0);
	patch_set_free(&set);
}

static void test_parse_refuses_asm_and_makefile(void)
{
	static const char text[] =
		"--- a/arch/x86/entry/entry_64.S\n"
		"+++ b/arch/x86/entry/entry_64.S\n"
		"@@ -1 +1 @@\n"
		"-\tnop\n"
		"+\tint3\n"
		"--- a/kernel/Makefile\n"
		"+++ b/kernel/Makefile\n"
		"@@ -1 +1 @@\n"
		"-obj-y += a.o\n"
		"+obj-y += b.o\n";
	struct patch_set set;
	char *err = NULL;

	CHECK(!patch_parse(text, &set, &err));
	CHECK_INT_EQ(set.files[0].kind, PATCH_KIND_ASM);
	CHECK_INT_EQ(set.files[1].kind, PATCH_KIND_BUILD);
	CHECK(patch_check_supported(&set) < 0);
	patch_set_free(&set);
	CHECK_INT_EQ(patch_classify("arch/x86/kernel/vmlinux.lds.S"), PATCH_KIND_ASM);
	CHECK_INT_EQ(patch_classify("drivers/Kconfig"), PATCH_KIND_BUILD);
	CHECK_INT_EQ(patch_classify("tools/objtool/check.c"), PATCH_KIND_IGNORED);
	CHECK_INT_EQ(patch_classify("arch/x86/entry/syscalls/syscall_64.tbl"),
		     PATCH_KIND_OTHER);
}

static void expect_malformed(const char *text, const char *what)
{
	struct patch_set set;
	char *err = NULL;

	CHECK(patch_parse(text, &set, &err) < 0);
	CHECK(err && strstr(err, what));
	if (err && !strstr(err, what))
		printf("  error was: %s\n", err);
	free(err);
}

static void test_parse_malformed(void)
{
	expect_malformed("hello\nworld\n", "no file changes");
	expect_malformed("", "no file changes");
	/* The header promises 3 old lines, the hunk has 2. */
	expect_malformed("--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n",
			 "end of patch");
	expect_malformed("--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@\n a\n-b\nXX\n",
			 "line 6");
	expect_malformed("--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,x @@\n",
			 "malformed hunk header");
	expect_malformed("--- a/x.c\n+++ b/x.c\n@@ -1 +1,2 @@\n-a\n+b\n-c\n",
			 "longer than its header");
	expect_malformed("@@ -1 +1 @@\n-a\n+b\n", "without a file header");
	/* -p1 needs a directory to strip. */
	expect_malformed("--- x.c\n+++ x.c\n@@ -1 +1 @@\n-a\n+b\n", "-p1");
	expect_malformed("--- a/../x.c\n+++ b/../x.c\n@@ -1 +1 @@\n-a\n+b\n", "-p1");
	expect_malformed("diff --git a/x.c b/x.c\nold mode 100644\nnew mode 100755\n",
			 "no hunks");
}

static void test_path_normalize(void)
{
	char *p;

	p = build_path_normalize("a/./b//c/../d");
	CHECK_STR_EQ(p, "a/b/d");
	free(p);
	p = build_path_normalize("drivers/gpu/drm/amd/amdgpu/../display/x.o");
	CHECK_STR_EQ(p, "drivers/gpu/drm/amd/display/x.o");
	free(p);
	CHECK(!build_path_normalize("../x"));
	CHECK(!build_path_normalize("/abs"));
	CHECK(!build_path_normalize("a/.."));
}

static void test_scan_includes(void)
{
	static const char text[] =
		"#include <linux/a.h>\n"
		"  #  include   \"local.h\"\n"
		"#include_next <limits.h>\n"
		"#include TRACE_INCLUDE(FOO)\n"
		"/* #include <in/comment.h> */\n"
		"x = 1; #include <not/at/line/start.h>\n"
		"#define include_me\n"
		"#include <unterminated.h\n"
		"#include\t<tab.h>";
	struct build_strlist l = { 0 };

	tree_scan_includes(text, &l);
	CHECK_INT_EQ(l.n, 4);
	if (l.n == 4) {
		CHECK_STR_EQ(l.v[0], "<linux/a.h>");
		CHECK_STR_EQ(l.v[1], "\"local.h\"");
		CHECK_STR_EQ(l.v[2], "next:<limits.h>");
		CHECK_STR_EQ(l.v[3], "<tab.h>");
	}
	build_strlist_free(&l);
}

/* A fake source tree and output tree for the include graph. */
static void make_include_tree(void)
{
	put("src/include/linux/a.h", "#define A 1\n");
	put("src/include/linux/b.h", "#include <linux/a.h>\n");
	put("src/include/linux/c.h", "int c;\n");
	put("src/include/linux/kconfig.h", "#include <generated/autoconf.h>\n");
	put("src/arch/x86/include/asm/a.h", "#include <asm-generic/a.h>\n");
	put("src/include/asm-generic/a.h", "int ga;\n");
	put("src/include/asm-generic/w.h", "int gw;\n");
	/* x.c -> local.h -> linux/b.h -> linux/a.h */
	put("src/drivers/x/x.c", "#include \"local.h\"\n");
	put("src/drivers/x/local.h", "#include <linux/b.h>\n");
	put("src/drivers/y/y.c", "#include <linux/c.h>\n");
	/* "a.h" resolves next to w.c, not to include/linux/a.h. */
	put("src/drivers/w/w.c", "#include \"a.h\"\n#include <asm/w.h>\n");
	put("src/drivers/w/a.h", "int wa;\n");
	/* sub.h is found through a per-directory -I: suffix match. */
	put("src/drivers/z/z.c", "#include \"sub.h\"\n");
	put("src/drivers/z/inc/sub.h", "int s;\n");
	/* .c including a .c */
	put("src/kernel/sched/build.c", "#include \"rt.c\"\n");
	put("src/kernel/sched/rt.c", "#include <asm/a.h>\n");
	put("src/kernel/k.c", "#include <linux/kconfig.h>\n");
	put("src/arch/x86/entry/e.S", "#include <linux/c.h>\n");
	/* Other architectures and tools/ are not scanned. */
	put("src/arch/arm/a.c", "#include <linux/c.h>\n");
	put("src/tools/t.c", "#include <linux/c.h>\n");
	/* Generated wrapper in the output tree. */
	put("obj/arch/x86/include/generated/asm/w.h",
	    "#include <asm-generic/w.h>\n");
	put("obj/include/generated/autoconf.h", "#define CONFIG_X 1\n");
}

static struct build_strlist affected_by(struct tree_includes *ti,
					const char *file, bool *all)
{
	struct build_strlist in = { 0 }, out = { 0 };

	build_strlist_add(&in, file);
	tree_includes_affected(ti, &in, &out, all);
	build_strlist_free(&in);
	return out;
}

static void test_include_graph(void)
{
	char *src = build_xasprintf("%s/src", tmp_root);
	char *obj = build_xasprintf("%s/obj", tmp_root);
	char *idx = build_xasprintf("%s/includes.idx", tmp_root);
	struct tree_includes *ti;
	struct build_strlist out;
	bool all;

	make_include_tree();
	ti = tree_includes_load(src, obj, idx);
	CHECK(build_file_exists(idx));

	out = affected_by(ti, "include/linux/a.h", &all);
	CHECK(!all);
	CHECK(build_strlist_has(&out, "include/linux/a.h"));
	CHECK(build_strlist_has(&out, "include/linux/b.h"));
	CHECK(build_strlist_has(&out, "drivers/x/local.h"));
	CHECK(build_strlist_has(&out, "drivers/x/x.c"));
	CHECK(!build_strlist_has(&out, "drivers/y/y.c"));
	CHECK(!build_strlist_has(&out, "drivers/w/w.c"));
	CHECK_INT_EQ(out.n, 4);
	build_strlist_free(&out);

	out = affected_by(ti, "drivers/w/a.h", &all);
	CHECK(build_strlist_has(&out, "drivers/w/w.c"));
	build_strlist_free(&out);

	out = affected_by(ti, "drivers/z/inc/sub.h", &all);
	CHECK(build_strlist_has(&out, "drivers/z/z.c"));
	build_strlist_free(&out);

	/* Through the arch header and a .c included by a .c. */
	out = affected_by(ti, "include/asm-generic/a.h", &all);
	CHECK(build_strlist_has(&out, "kernel/sched/rt.c"));
	CHECK(build_strlist_has(&out, "kernel/sched/build.c"));
	build_strlist_free(&out);

	/* Through a generated header of the output tree. */
	out = affected_by(ti, "include/asm-generic/w.h", &all);
	CHECK(build_strlist_has(&out, "drivers/w/w.c"));
	build_strlist_free(&out);

	/* Assembly reached; unscanned directories not. */
	out = affected_by(ti, "include/linux/c.h", &all);
	CHECK(build_strlist_has(&out, "arch/x86/entry/e.S"));
	CHECK(build_strlist_has(&out, "drivers/y/y.c"));
	CHECK(!build_strlist_has(&out, "arch/arm/a.c"));
	CHECK(!build_strlist_has(&out, "tools/t.c"));
	build_strlist_free(&out);

	out = affected_by(ti, "include/linux/kconfig.h", &all);
	CHECK(all);
	build_strlist_free(&out);
	tree_includes_free(ti);

	/* The cached index is refreshed for a changed file. */
	sleep(0);
	put("src/drivers/y/y.c", "#include <linux/a.h> /* now a.h */\n");
	ti = tree_includes_load(src, obj, idx);
	out = affected_by(ti, "include/linux/a.h", &all);
	CHECK(build_strlist_has(&out, "drivers/y/y.c"));
	build_strlist_free(&out);
	tree_includes_free(ti);
	free(src);
	free(obj);
	free(idx);
}

static void test_kbuild_records(void)
{
	struct tree_kbuild kb = { 0 };
	const struct tree_object *o;

	CHECK(!tree_kbuild_add_record(&kb,
		"D .\nB 1\nA lib/ arch/x86/lib/\nY \nM \nL \n"
		"S kernel fs lib\n"));
	CHECK(!tree_kbuild_add_record(&kb,
		"D kernel\nB 1\nA \nY kernel/sys.o kernel/fork.o\nM kernel/mod.o\n"
		"L \nS \n"));
	/* A module-only directory: its obj-y is not built. */
	CHECK(!tree_kbuild_add_record(&kb,
		"D fs/mfs\nB \nA \nY fs/mfs/stray.o\n"
		"M fs/mfs/inode.o fs/mfs/super.o fs/mfs/../shared.o\nL \nS \n"
		"C fs/mfs/mfs-fs.o inode.o super.o ../shared.o\n"));
	/*
	 * Several composites in one directory, as make writes them (foreach
	 * joins the lines with a space): drivers/md/dm.o goes into dm-mod.ko.
	 */
	CHECK(!tree_kbuild_add_record(&kb,
		"D drivers/md\nB 1\nA \nY \n"
		"M drivers/md/dm.o drivers/md/dm-table.o drivers/md/dm-crypt.o\nL \nS \n"
		"C drivers/md/dm-mod.o dm.o dm-table.o\n"
		" C drivers/md/dm-crypt-x.o dm-crypt.o\n"));
	CHECK(!tree_kbuild_add_record(&kb,
		"D lib\nB 1\nA \nY lib/bug.o\nM \nL lib/string.o\nS \n"));
	CHECK(!tree_kbuild_add_record(&kb,
		"D drivers/firmware/efi/libstub\nB 1\nA \nY \nM \n"
		"L drivers/firmware/efi/libstub/gop.o\nS \n"));
	CHECK(tree_kbuild_add_record(&kb, "B 1\n") < 0);
	tree_kbuild_finish(&kb);

	o = tree_kbuild_find(&kb, "kernel/sys.c");
	CHECK(o && o->builtin && !o->modules.n);
	o = tree_kbuild_find(&kb, "kernel/mod.c");
	CHECK(o && !o->builtin && o->modules.n == 1);
	if (o && o->modules.n == 1)
		CHECK_STR_EQ(o->modules.v[0], "kernel/mod.ko");
	o = tree_kbuild_find(&kb, "fs/mfs/super.c");
	CHECK(o && !o->builtin && o->modules.n == 1);
	if (o && o->modules.n == 1)
		CHECK_STR_EQ(o->modules.v[0], "fs/mfs/mfs-fs.ko");
	o = tree_kbuild_find(&kb, "fs/shared.c");
	CHECK(o && o->modules.n == 1);
	if (o)
		CHECK_STR_EQ(o->goal, "fs/mfs/../shared.o");
	CHECK(!tree_kbuild_find(&kb, "fs/mfs/stray.c"));
	o = tree_kbuild_find(&kb, "drivers/md/dm.c");
	CHECK(o && o->modules.n == 1);
	if (o && o->modules.n == 1)
		CHECK_STR_EQ(o->modules.v[0], "drivers/md/dm-mod.ko");
	o = tree_kbuild_find(&kb, "drivers/md/dm-crypt.c");
	CHECK(o && o->modules.n == 1);
	if (o && o->modules.n == 1)
		CHECK_STR_EQ(o->modules.v[0], "drivers/md/dm-crypt-x.ko");
	o = tree_kbuild_find(&kb, "lib/string.c");
	CHECK(o && o->builtin);
	CHECK(!tree_kbuild_find(&kb, "drivers/firmware/efi/libstub/gop.c"));
	CHECK(!tree_kbuild_find(&kb, "kernel/sys.h"));
	CHECK(build_strlist_has(&kb.dirs, "fs/mfs"));

	{
		char *n = tree_module_name("fs/mfs/mfs-fs.ko");

		CHECK_STR_EQ(n, "mfs_fs");
		free(n);
	}
	tree_kbuild_free(&kb);
}

/* kbuild's own helpers, from an unpacked linux-source if there is one. */
static char *find_kernel_scripts(void)
{
	const char *cache = getenv("KSPLICE_CACHE"), *home = getenv("HOME");
	char *pattern = cache && *cache
		? build_xasprintf("%s/src/linux-source-*/scripts/Makefile.lib", cache)
		: build_xasprintf("%s/.cache/ksplice/src/linux-source-*/scripts/"
				  "Makefile.lib", home ? home : "/root");
	char *dir = NULL;
	glob_t g;

	if (!glob(pattern, 0, NULL, &g) && g.gl_pathc) {
		dir = build_xstrdup(g.gl_pathv[0]);
		*strrchr(dir, '/') = '\0';
	}
	globfree(&g);
	free(pattern);
	return dir;
}

static void copy_script(const char *scripts, const char *name)
{
	char *from = build_xasprintf("%s/%s", scripts, name);
	char *to = build_xasprintf("%s/ksrc/scripts/%s", tmp_root, name);

	build_mkdir_p_parent(to);
	CHECK(!build_copy_file(from, to));
	free(from);
	free(to);
}

static void test_kbuild_walk_fake_makefiles(void)
{
	char *scripts = find_kernel_scripts();
	struct tree_prepared t = { 0 };
	struct tree_kbuild kb;
	const struct tree_object *o;

	if (!scripts) {
		SKIP("no unpacked linux-source for kbuild's Makefile.lib");
		return;
	}
	copy_script(scripts, "Makefile.lib");
	copy_script(scripts, "Kbuild.include");
	copy_script(scripts, "Makefile.compiler");
	put("ksrc/Kbuild", "obj-y += kernel/ fs/\nobj-y += $(ARCH_LIB)\n");
	put("ksrc/arch/x86/Makefile", "libs-y += arch/x86/lib/\n");
	put("ksrc/kernel/Makefile",
	    "obj-y += sys.o\nobj-$(CONFIG_FOO) += foo.o\nobj-$(CONFIG_BAR) += bar.o\n"
	    "obj-$(CONFIG_MODX) += modx.o\n"
	    "ifdef CONFIG_FOO\nobj-y += iffoo.o\nendif\n");
	put("ksrc/fs/Makefile", "obj-$(CONFIG_MFS) += mfs/\nobj-$(CONFIG_OFF) += off/\n");
	put("ksrc/fs/mfs/Makefile",
	    "obj-$(CONFIG_MFS) += mfs.o\nmfs-y := inode.o super.o\n"
	    "mfs-$(CONFIG_MFS_X) += x.o\nmfs-$(CONFIG_BAR) += nobar.o\n"
	    "obj-y += stray.o\nobj-$(CONFIG_MFS) += mfs2.o\nmfs2-y := two.o\n");
	put("ksrc/fs/off/Makefile", "obj-y += off.o\n");
	put("ksrc/lib/Makefile", "lib-y += string.o\nobj-y += bug.o\n");
	put("ksrc/arch/x86/lib/Makefile", "lib-y += memcpy.o\n");
	put("kobj/include/config/auto.conf",
	    "CONFIG_FOO=y\nCONFIG_MODX=m\nCONFIG_MFS=m\nCONFIG_MFS_X=y\n");

	t.src = build_xasprintf("%s/ksrc", tmp_root);
	t.obj = build_xasprintf("%s/kobj", tmp_root);
	t.cc = build_xstrdup("gcc");
	t.jobs = 2;
	if (tree_kbuild_walk(&kb, &t, tmp_root)) {
		CHECK(!"tree_kbuild_walk failed");
		goto out;
	}
	o = tree_kbuild_find(&kb, "kernel/sys.c");
	CHECK(o && o->builtin);
	CHECK(tree_kbuild_find(&kb, "kernel/foo.c"));
	CHECK(tree_kbuild_find(&kb, "kernel/iffoo.c"));
	CHECK(!tree_kbuild_find(&kb, "kernel/bar.c"));
	o = tree_kbuild_find(&kb, "kernel/modx.c");
	CHECK(o && !o->builtin && o->modules.n == 1);
	o = tree_kbuild_find(&kb, "fs/mfs/x.c");
	CHECK(o && !o->builtin && o->modules.n == 1);
	if (o && o->modules.n == 1)
		CHECK_STR_EQ(o->modules.v[0], "fs/mfs/mfs.ko");
	CHECK(tree_kbuild_find(&kb, "fs/mfs/inode.c"));
	CHECK(!tree_kbuild_find(&kb, "fs/mfs/nobar.c"));
	CHECK(!tree_kbuild_find(&kb, "fs/mfs/stray.c"));
	/* A second composite of the directory (make writes it after a space). */
	o = tree_kbuild_find(&kb, "fs/mfs/two.c");
	CHECK(o && o->modules.n == 1);
	if (o && o->modules.n == 1)
		CHECK_STR_EQ(o->modules.v[0], "fs/mfs/mfs2.ko");
	CHECK(!tree_kbuild_find(&kb, "fs/off/off.c"));
	CHECK(!build_strlist_has(&kb.dirs, "fs/off"));
	o = tree_kbuild_find(&kb, "lib/string.c");
	CHECK(o && o->builtin);
	o = tree_kbuild_find(&kb, "arch/x86/lib/memcpy.c");
	CHECK(o && o->builtin);
	CHECK(tree_kbuild_find(&kb, "lib/bug.c"));

	/* Objects and targets for a patch reaching three of them. */
	{
		struct build_strlist affected = { 0 };
		struct build_result r;

		put("ksrc/kernel/sys.c", "");
		put("ksrc/fs/mfs/x.c", "");
		put("ksrc/fs/mfs/inode.c", "");
		build_strlist_add(&affected, "kernel/sys.c");
		build_strlist_add(&affected, "fs/mfs/x.c");
		build_strlist_add(&affected, "fs/mfs/inode.c");
		build_strlist_add(&affected, "fs/off/off.c");
		build_strlist_add(&affected, "arch/x86/entry/e.S");
		build_map_objects(&r, &kb, &affected, false, t.src, "/w");
		CHECK_INT_EQ(r.nr_objects, 3);
		CHECK_INT_EQ(r.nr_targets, 2);
		if (r.nr_targets == 2) {
			CHECK_STR_EQ(r.targets[0].name, "vmlinux");
			CHECK_INT_EQ(r.targets[0].nr_objs, 1);
			CHECK_STR_EQ(r.targets[1].name, "mfs");
			CHECK_STR_EQ(r.targets[1].ko, "fs/mfs/mfs.ko");
			CHECK_INT_EQ(r.targets[1].nr_objs, 2);
			CHECK_STR_EQ(r.targets[0].objs[0]->pre, "/w/pre/kernel/sys.o");
			CHECK_STR_EQ(r.targets[0].objs[0]->post, "/w/post/kernel/sys.o");
		}
		CHECK(build_strlist_has(&r.unbuilt, "fs/off/off.c"));
		CHECK(build_strlist_has(&r.assembly, "arch/x86/entry/e.S"));
		build_result_free(&r);
		build_strlist_free(&affected);
	}
	tree_kbuild_free(&kb);
out:
	free(t.src);
	free(t.obj);
	free(t.cc);
	free(scripts);
}

static void test_config_helpers(void)
{
	static const char config[] =
		"CONFIG_CC_VERSION_TEXT=\"gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0\"\n"
		"CONFIG_X86_64=y\n"
		"CONFIG_SYSTEM_TRUSTED_KEYS=\"debian/certs/debian-uefi-certs.pem\"\n"
		"# CONFIG_MINIX_FS is not set\n"
		"CONFIG_SYSTEM_REVOCATION_KEYS=\"debian/revoked.pem\"\n";
	static const char makefile[] =
		"# SPDX-License-Identifier: GPL-2.0\nVERSION = 6\nPATCHLEVEL = 1\n"
		"SUBLEVEL = 192\nEXTRAVERSION =\nNAME = Curry Ramen\n";
	char *v, *cc, *cleared, *diff;

	v = tree_config_value(config, "CONFIG_CC_VERSION_TEXT");
	CHECK_STR_EQ(v, "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0");
	cc = tree_cc_from_version_text(v);
	CHECK_STR_EQ(cc, "gcc-12");
	free(v);
	free(cc);
	CHECK(!tree_config_value(config, "CONFIG_MINIX_FS"));
	v = tree_config_value(config, "CONFIG_X86_64");
	CHECK_STR_EQ(v, "y");
	free(v);

	cleared = tree_config_clear_certs(config);
	v = tree_config_value(cleared, "CONFIG_SYSTEM_TRUSTED_KEYS");
	CHECK_STR_EQ(v, "");
	free(v);
	v = tree_config_value(cleared, "CONFIG_SYSTEM_REVOCATION_KEYS");
	CHECK_STR_EQ(v, "");
	free(v);
	CHECK(!strstr(cleared, "debian/"));
	diff = tree_config_diff(config, cleared);
	CHECK_STR_EQ(diff, "");
	free(diff);
	diff = tree_config_diff(config, "CONFIG_X86_64=y\nCONFIG_NEW=m\n");
	CHECK(strstr(diff, "-CONFIG_CC_VERSION_TEXT="));
	CHECK(strstr(diff, "+CONFIG_NEW=m"));
	CHECK(!strstr(diff, "X86_64"));
	free(diff);
	free(cleared);

	v = tree_makefile_version(makefile);
	CHECK_STR_EQ(v, "6.1.192");
	free(v);
	CHECK(!tree_makefile_version("all:\n"));
}

static void test_patch_sources(void)
{
	char *cmd, *text = NULL, *err = NULL, *dir;
	struct patch_set set;

	/* --diffext: FILE.EXT is the new FILE. */
	put("dx/d/f.c", "int a;\nint b;\n");
	put("dx/d/f.c.new", "int a;\nint c;\n");
	dir = build_xasprintf("%s/dx", tmp_root);
	CHECK(!patch_from_diffext(dir, "new", &text));
	CHECK(text && !patch_parse(text, &set, &err));
	if (!err) {
		CHECK_INT_EQ(set.nr_files, 1);
		CHECK_STR_EQ(set.files[0].path, "d/f.c");
		patch_set_free(&set);
	}
	free(text);
	text = NULL;
	CHECK(patch_from_diffext(dir, "nothing", &text) < 0);
	free(dir);

	/* --git COMMIT: the commit's own diff. */
	put("gx/k/g.c", "int a;\n");
	cmd = build_xasprintf(
		"cd %s/gx && git init -q . && git add . && "
		"git -c user.name=t -c user.email=t@t commit -qm one && "
		"echo 'int b;' >>k/g.c && "
		"git -c user.name=t -c user.email=t@t commit -qam two", tmp_root);
	if (system(cmd)) {
		SKIP("git is not usable here");
		free(cmd);
		return;
	}
	free(cmd);
	dir = build_xasprintf("%s/gx", tmp_root);
	CHECK(!patch_from_git(dir, "HEAD", &text));
	CHECK(text && !patch_parse(text, &set, &err));
	if (!err) {
		CHECK_INT_EQ(set.nr_files, 1);
		CHECK_STR_EQ(set.files[0].path, "k/g.c");
		patch_set_free(&set);
	}
	free(text);
	CHECK(patch_from_git(dir, "no-such-commit", &text) < 0);
	free(dir);
}

int main(void)
{
	if (!mkdtemp(tmp_root)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_parse_simple);
	RUN(test_parse_git_format_patch);
	RUN(test_parse_create_delete_rename);
	RUN(test_parse_refuses_asm_and_makefile);
	RUN(test_parse_malformed);
	RUN(test_path_normalize);
	RUN(test_scan_includes);
	RUN(test_include_graph);
	RUN(test_kbuild_records);
	RUN(test_kbuild_walk_fake_makefiles);
	RUN(test_config_helpers);
	RUN(test_patch_sources);
	build_rm_rf(tmp_root);
	return check_done();
}
