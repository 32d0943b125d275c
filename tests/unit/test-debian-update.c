// SPDX-License-Identifier: GPL-2.0
/*
 * The pure parts of --kernel/--to: Debian versions from uname and apt,
 * apt's offline errors, diff -rq lines, cutting a patch per file, the
 * per-file report's JSON.
 */
#include <stdlib.h>
#include <unistd.h>

#include "create/build-util.h"
#include "create/change-set.h"
#include "create/debian-fetch.h"
#include "create/debian-kernel.h"
#include "create/tree-delta.h"
#include "create/update-report.h"
#include "tests/lib/check.h"

static void test_version_from_uts(void)
{
	char *v = debian_version_from_uts("#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2025-11-16)");

	CHECK_STR_EQ(v, "6.1.192-2");
	free(v);
	CHECK(!debian_version_from_uts("#1 SMP PREEMPT_DYNAMIC Thu Jan  1 00:00:00 UTC 2025"));
	CHECK(!debian_version_from_uts("#1 Debian (custom)"));
}

static void test_split_release(void)
{
	char *abi = NULL, *series = NULL;

	CHECK_INT_EQ(debian_split_release("6.1.0-56-cloud-amd64", &abi, &series), 0);
	CHECK_STR_EQ(abi, "6.1.0-56");
	CHECK_STR_EQ(series, "6.1");
	free(abi);
	free(series);
	CHECK_INT_EQ(debian_split_release("6.1.192", &abi, &series), -1);
	CHECK_INT_EQ(debian_split_release("6.1.0-56", &abi, &series), -1);
	CHECK_INT_EQ(debian_split_release("6.8.0-generic", &abi, &series), -1);
	series = debian_version_series("6.1.192-3");
	CHECK_STR_EQ(series, "6.1");
	free(series);
	CHECK(!debian_version_series("banana"));
}

static void test_versions_in(void)
{
	char **v = NULL;
	int n = debian_versions_in("Package: x\nVersion: 6.1.176-1\n\nPackage: x\nVersion: 6.1.176-1\n\n"
				   "Package: x\nVersion: 6.1.187-1\n", &v);

	CHECK_INT_EQ(n, 2);
	if (n == 2) {
		CHECK_STR_EQ(v[0], "6.1.176-1");
		CHECK_STR_EQ(v[1], "6.1.187-1");
		free(v[0]);
		free(v[1]);
	}
	free(v);
	CHECK_INT_EQ(debian_versions_in("", &v), 0);
}

static void test_apt_offline(void)
{
	CHECK(debian_apt_offline("Err:1 http://deb.debian.org/debian bookworm/main amd64 x 1\n"
				 "  Temporary failure resolving 'deb.debian.org'\n"
				 "E: Failed to fetch http://deb.debian.org/x.deb\n"));
	CHECK(!debian_apt_offline("E: Version '6.1.100-1' for 'linux-source-6.1' was not found\n"));
}

static void test_delta_lines(void)
{
	enum patch_change c;
	char *path = NULL;

	CHECK_INT_EQ(tree_delta_parse_line("Files /a/fs/x.c and /b/fs/x.c differ", "/a", "/b", &path, &c), 0);
	CHECK_STR_EQ(path, "fs/x.c");
	CHECK_INT_EQ(c, PATCH_MODIFY);
	free(path);
	CHECK_INT_EQ(tree_delta_parse_line("Only in /b/fs: new.c", "/a", "/b", &path, &c), 0);
	CHECK_STR_EQ(path, "fs/new.c");
	CHECK_INT_EQ(c, PATCH_CREATE);
	free(path);
	CHECK_INT_EQ(tree_delta_parse_line("Only in /a: CREDITS", "/a", "/b", &path, &c), 0);
	CHECK_STR_EQ(path, "CREDITS");
	CHECK_INT_EQ(c, PATCH_DELETE);
	free(path);
	/* /ab is not under /a */
	CHECK_INT_EQ(tree_delta_parse_line("Only in /ab: x", "/a", "/b2", &path, &c), -1);
	CHECK_INT_EQ(tree_delta_parse_line("Binary files differ", "/a", "/b", &path, &c), -1);
}

static const char two_files[] =
	"From: someone\nSubject: fix\n\n"
	"diff --git a/kernel/sys.c b/kernel/sys.c\nindex 1..2 100644\n--- a/kernel/sys.c\n+++ b/kernel/sys.c\n"
	"@@ -1 +1 @@\n-a\n+b\n"
	"--- a/fs/x.h\n+++ b/fs/x.h\n@@ -1,2 +1,2 @@\n-c\n+d\n e\n";

static void test_split_patch(void)
{
	struct patch_set set = { 0 };
	struct change_set cs = { 0 };
	char *err = NULL, *text;

	CHECK_INT_EQ(patch_parse(two_files, &set, &err), 0);
	CHECK_INT_EQ(change_set_split_patch(&cs, two_files, &set), 0);
	CHECK_INT_EQ(cs.nr_files, 2);
	if (cs.nr_files == 2) {
		CHECK_STR_EQ(cs.files[0].path, "kernel/sys.c");
		CHECK(build_has_prefix(cs.files[0].diff, "diff --git a/kernel/sys.c"));
		CHECK(build_has_suffix(cs.files[0].diff, "+b\n"));
		CHECK_STR_EQ(cs.files[1].path, "fs/x.h");
		CHECK(build_has_prefix(cs.files[1].diff, "--- a/fs/x.h"));
		cs.files[0].in = false;
		text = change_set_text(&cs);
		CHECK_STR_EQ(text, "--- a/fs/x.h\n+++ b/fs/x.h\n@@ -1,2 +1,2 @@\n-c\n+d\n e\n");
		free(text);
		CHECK_INT_EQ(change_set_count(&cs), 1);
	}
	change_set_free(&cs);
	patch_set_free(&set);
}

static void test_report_json(void)
{
	struct update_report r = { 0 };
	struct report_file *f;
	char path[] = "/tmp/ksplice-report-XXXXXX", *text = NULL;
	int fd = mkstemp(path);

	r.release = build_xstrdup("6.1.0-56-cloud-amd64");
	f = report_add(&r, "fs/nfsd/nfs4state.c", PATCH_MODIFY);
	f->outcome = REPORT_IN_UPDATE;
	build_strlist_add(&f->targets, "nfsd");
	build_strlist_add(&f->functions, "nfsd4_sequence");
	f = report_add(&r, "fs/x.c", PATCH_MODIFY);
	report_leave_out(f, REFUSAL_INIT, "x: the patch changes an \"__init\" function");
	report_leave_out(f, REFUSAL_DATA, "second reason is ignored");
	CHECK(report_find(&r, "fs/x.c") == f);
	CHECK_INT_EQ(report_count(&r, REPORT_LEFT_OUT), 1);
	CHECK(fd >= 0);
	close(fd);
	CHECK_INT_EQ(report_write_json(&r, path), 0);
	CHECK_INT_EQ(build_read_file(path, &text, NULL), 0);
	CHECK(text && strstr(text, "\"release\": \"6.1.0-56-cloud-amd64\""));
	CHECK(text && strstr(text, "{\"path\": \"fs/nfsd/nfs4state.c\", \"change\": \"modified\""));
	CHECK(text && strstr(text, "\"targets\": [\"nfsd\"], \"functions\": [\"nfsd4_sequence\"], \"reaches\": [], "
			     "\"outcome\": \"in-update\", \"class\": null"));
	CHECK(text && strstr(text, "\"outcome\": \"left-out\", \"class\": \"init\", \"reason\": "
			     "\"x: the patch changes an \\\"__init\\\" function\"}"));
	free(text);
	unlink(path);
	report_free(&r);
}

int main(void)
{
	RUN(test_version_from_uts);
	RUN(test_split_release);
	RUN(test_versions_in);
	RUN(test_apt_offline);
	RUN(test_delta_lines);
	RUN(test_split_patch);
	RUN(test_report_json);
	return check_done();
}
