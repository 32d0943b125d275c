// SPDX-License-Identifier: GPL-2.0
/*
 * tools/debug-log.c: reading the kernel's debug log from debugfs, the
 * fallback to the sysfs first page when debugfs is not there, and picking
 * the line that explains an abort cause.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/lib/check.h"
#include "tools/common.h"
#include "tools/debug-log.h"

static char root[] = "/tmp/ksplice-test-debug-log.XXXXXX";

static void put(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_reads_debugfs(void)
{
	const char *note = "x";
	char *log;

	put("debugfs/u1", "vmlinux: ok: 1 sections matched\nwhole log\n");
	put("sys/u1/debug", "first page\n");
	log = debug_log_read("u1", &note);
	CHECK(log && !strcmp(log, "vmlinux: ok: 1 sections matched\nwhole log\n"));
	CHECK(note == NULL);
	free(log);
}

static void test_falls_back_to_sysfs(void)
{
	char path[512];
	const char *note = NULL;
	char *log;

	put("sys/u1/debug", "first page\n");
	snprintf(path, sizeof(path), "%s/nodebugfs", root);
	setenv("KSPLICE_DEBUGFS_DIR", path, 1);
	log = debug_log_read("u1", &note);
	CHECK(log && !strcmp(log, "first page\n"));
	CHECK(note && strstr(note, "debugfs is not mounted"));
	free(log);
	snprintf(path, sizeof(path), "%s/debugfs", root);
	setenv("KSPLICE_DEBUGFS_DIR", path, 1);
	CHECK(debug_log_read("nosuchupdate", &note) == NULL);
}

static void test_reason_line(void)
{
	static const char log[] =
		"prepared in 5 us (match, relocate, plan): no_match\n"
		"  reloc no_match: x\n"
		"vmlinux: no_match: section f at 0x1 offset 0x2: bytes differ: expected 01 found 02\n"
		"unexpected: a kprobe is registered at f+0x0\n";
	char line[256];

	CHECK(!debug_log_reason(log, "no_match", line, sizeof(line)));
	CHECK_STR_EQ(line, "vmlinux: no_match: section f at 0x1 offset 0x2: bytes differ: "
			   "expected 01 found 02");
	CHECK(!debug_log_reason(log, "unexpected", line, sizeof(line)));
	CHECK_STR_EQ(line, "unexpected: a kprobe is registered at f+0x0");
	CHECK(debug_log_reason(log, "code_busy", line, sizeof(line)) == -1);
	CHECK(!debug_log_reason(log, "unexpected", line, 12));
	CHECK_STR_EQ(line, "unexpected:");
}

int main(void)
{
	char path[512];

	if (!mkdtemp(root))
		return 1;
	snprintf(path, sizeof(path), "%s/debugfs", root);
	mkdir(path, 0755);
	setenv("KSPLICE_DEBUGFS_DIR", path, 1);
	snprintf(path, sizeof(path), "%s/sys", root);
	mkdir(path, 0755);
	setenv("KSPLICE_SYSFS_DIR", path, 1);
	snprintf(path, sizeof(path), "%s/sys/u1", root);
	mkdir(path, 0755);
	RUN(test_reads_debugfs);
	RUN(test_falls_back_to_sysfs);
	RUN(test_reason_line);
	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	if (system(path))
		return 1;
	return check_done();
}
