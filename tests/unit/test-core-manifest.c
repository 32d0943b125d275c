// SPDX-License-Identifier: GPL-2.0
/* The package manifest: round trip and refusal of bad input. */
#include "core/manifest.h"
#include "tests/lib/check.h"

static int parse(const char *text, struct ksplice_manifest *m, char *why, size_t size)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret = ksplice_manifest_read(m, f, why, size);

	fclose(f);
	return ret;
}

static void test_roundtrip(void)
{
	struct ksplice_manifest m = { .nr_targets = 2 }, back;
	char buf[4096], why[256];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	strcpy(m.id, "ab12cd34");
	strcpy(m.kernel_release, "6.1.0-56-cloud-amd64");
	strcpy(m.kernel_version, "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2");
	strcpy(m.build_identity, "0123abcd");
	strcpy(m.machine, "x86_64");
	strcpy(m.targets[0].name, "vmlinux");
	strcpy(m.targets[0].primary, "p.ko");
	strcpy(m.targets[0].helper, "h.ko");
	strcpy(m.targets[1].name, "minix");
	strcpy(m.targets[1].primary, "p2.ko");
	strcpy(m.targets[1].helper, "h2.ko");
	CHECK_INT_EQ(ksplice_manifest_write(&m, f), 0);
	fclose(f);
	CHECK_INT_EQ(parse(buf, &back, why, sizeof(why)), 0);
	CHECK_STR_EQ(back.id, "ab12cd34");
	CHECK_STR_EQ(back.kernel_version, "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2");
	CHECK_INT_EQ(back.nr_targets, 2);
	CHECK_STR_EQ(back.targets[1].helper, "h2.ko");
}

static void test_rejects_bad_input(void)
{
	struct ksplice_manifest m;
	char why[256];
	const char *base = "format 1\nid abc\nkernel_release r\nmachine x86_64\nbuild_identity x\n";
	char text[512];

	CHECK_INT_EQ(parse("", &m, why, sizeof(why)), -1);
	CHECK_STR_EQ(why, "manifest line 0: missing 'format 1'");
	CHECK_INT_EQ(parse("format 2\n", &m, why, sizeof(why)), -1);
	CHECK_STR_EQ(why, "manifest line 1: bad value for 'format'");
	snprintf(text, sizeof(text), "%s", base);
	CHECK_INT_EQ(parse(text, &m, why, sizeof(why)), -1);	/* no target */
	snprintf(text, sizeof(text), "%starget vmlinux ../../etc/x h.ko\n", base);
	CHECK_INT_EQ(parse(text, &m, why, sizeof(why)), -1);
	CHECK_STR_EQ(why, "manifest line 6: bad value for 'target'");
	snprintf(text, sizeof(text), "%sbogus 1\n", base);
	CHECK_INT_EQ(parse(text, &m, why, sizeof(why)), -1);
	CHECK_STR_EQ(why, "manifest line 6: unknown key 'bogus'");
	CHECK_INT_EQ(parse("format 1\nid ABC\n", &m, why, sizeof(why)), -1);
	snprintf(text, sizeof(text), "%starget vmlinux p.ko h.ko\n", base);
	CHECK_INT_EQ(parse(text, &m, why, sizeof(why)), 0);
}

static void test_valid_ids(void)
{
	CHECK(ksplice_valid_id("abc123"));
	CHECK(!ksplice_valid_id(""));
	CHECK(!ksplice_valid_id("a-b"));
	CHECK(!ksplice_valid_id("Abc"));
	CHECK(!ksplice_valid_id("abcdefghijklmnopqrstuvwxyz0123456"));
}

int main(void)
{
	RUN(test_roundtrip);
	RUN(test_rejects_bad_input);
	RUN(test_valid_ids);
	return check_done();
}
