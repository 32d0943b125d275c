// SPDX-License-Identifier: GPL-2.0
/* Relocation arithmetic and record validation of core/. */
#include "core/reloc-math.h"
#include "core/update-validate.h"
#include "tests/lib/check.h"

static void test_field_read_sign_extends(void)
{
	const u8 neg[4] = { 0xfc, 0xff, 0xff, 0xff };
	const u8 pos[2] = { 0x34, 0x12 };

	CHECK_INT_EQ(ksplice_field_read(neg, 4, true), -4);
	CHECK_INT_EQ(ksplice_field_read(neg, 4, false), 0xfffffffcLL);
	CHECK_INT_EQ(ksplice_field_read(pos, 2, true), 0x1234);
}

static void test_pcrel_roundtrip(void)
{
	/* A call at 0xffffffff81000010 to 0xffffffff81234560, addend -4. */
	u64 site = 0xffffffff81000010ULL, sym = 0xffffffff81234560ULL;
	s64 v = ksplice_field_value(sym, -4, site, KSPLICE_RELOC_PCREL);

	CHECK_INT_EQ(v, 0x234550 - 4);
	CHECK(ksplice_field_symbol(v, -4, site, KSPLICE_RELOC_PCREL) == sym);
}

static void test_absolute_roundtrip(void)
{
	u64 sym = 0xffffffff82000000ULL;
	s64 v = ksplice_field_value(sym, 8, 0, 0);

	CHECK(ksplice_field_symbol(v, 8, 0x1234, 0) == sym);
}

static void test_write_refuses_overflow(void)
{
	u8 buf[8] = { 0 };

	CHECK_INT_EQ(ksplice_field_write(buf, 4, true, 0x7fffffff), 0);
	CHECK_INT_EQ(buf[3], 0x7f);
	CHECK_INT_EQ(ksplice_field_write(buf, 4, true, 0x80000000LL), -1);
	CHECK_INT_EQ(ksplice_field_write(buf, 4, true, -0x80000000LL), 0);
	CHECK_INT_EQ(ksplice_field_write(buf, 4, false, -1), -1);
	CHECK_INT_EQ(ksplice_field_write(buf, 3, false, 1), -1);
	/* A failed write leaves the field alone. */
	CHECK_INT_EQ(ksplice_field_read(buf, 4, true), -0x80000000LL);
}

static struct ksplice_module_desc valid_desc(void)
{
	struct ksplice_module_desc d = {
		.magic = KSPLICE_MAGIC, .version = KSPLICE_FORMAT_VERSION,
		.kind = KSPLICE_PRIMARY, .machine = 62, .desc_size = sizeof(d),
		.id_raw = 1, .target_raw = 2,
	};
	return d;
}

static void test_validate_desc(void)
{
	struct ksplice_module_desc d = valid_desc();

	CHECK(ksplice_validate_desc(&d) == NULL);
	d.magic = 0;
	CHECK_STR_EQ(ksplice_validate_desc(&d), "bad magic: not a ksplice update module");
	d = valid_desc();
	d.version = 99;
	CHECK_STR_EQ(ksplice_validate_desc(&d), "unsupported update format version");
	d = valid_desc();
	d.nr_relocs = 3;
	CHECK_STR_EQ(ksplice_validate_desc(&d), "records counted but missing");
	d = valid_desc();
	d.kind = KSPLICE_HELPER;
	d.nr_patches = 1, d.patches_raw = 5;
	CHECK_STR_EQ(ksplice_validate_desc(&d), "a helper module cannot carry patches");
}

/* The layout is part of the format: the same on x86-64 and i386. */
static void test_record_sizes_are_fixed(void)
{
	CHECK_INT_EQ(sizeof(struct ksplice_reloc), 48);
	CHECK_INT_EQ(sizeof(struct ksplice_section), 32);
	CHECK_INT_EQ(sizeof(struct ksplice_site), 24);
	CHECK_INT_EQ(sizeof(struct ksplice_patch), 32);
	CHECK_INT_EQ(sizeof(struct ksplice_hook), 16);
	CHECK_INT_EQ(sizeof(struct ksplice_module_desc), 112);
}

static void test_validate_records(void)
{
	struct ksplice_reloc r = { .site_raw = 1, .name_raw = 2, .size = 4,
				   .target_kind = KSPLICE_TARGET_SYMBOL,
				   .flags = KSPLICE_RELOC_PCREL };
	struct ksplice_site s = { .address_raw = 1, .len = 5, .kind = KSPLICE_SITE_FENTRY };
	struct ksplice_patch p = { .old_name_raw = 1, .new_address_raw = 2, .kind = KSPLICE_PATCH_JUMP };

	CHECK(ksplice_validate_reloc(&r, 0) == NULL);
	r.size = 3;
	CHECK(ksplice_validate_reloc(&r, 0) != NULL);
	r.size = 4, r.target_kind = KSPLICE_TARGET_SECTION, r.section = 2;
	CHECK_STR_EQ(ksplice_validate_reloc(&r, 2), "relocation to a section index out of range");
	CHECK(ksplice_validate_site(&s) == NULL);
	s.kind = 42;
	CHECK(ksplice_validate_site(&s) != NULL);
	CHECK(ksplice_validate_patch(&p) == NULL);
	p.new_address_raw = 0;
	CHECK(ksplice_validate_patch(&p) != NULL);
}

static void test_validate_hooks(void)
{
	struct ksplice_module_desc d = {
		.magic = KSPLICE_MAGIC, .version = KSPLICE_FORMAT_VERSION,
		.kind = KSPLICE_PRIMARY, .machine = 62, .desc_size = sizeof(d),
		.id_raw = 1, .target_raw = 2,
	};
	struct ksplice_hook h = { .fn_raw = 1, .kind = KSPLICE_HOOK_APPLY };

	CHECK(ksplice_validate_hook(&h) == NULL);
	h.kind = KSPLICE_HOOK_FAIL_REVERSE + 1;
	CHECK_STR_EQ(ksplice_validate_hook(&h), "unknown hook kind");
	h.kind = KSPLICE_HOOK_PRE_APPLY, h.fn_raw = 0;
	CHECK_STR_EQ(ksplice_validate_hook(&h), "hook without a function");
	d.nr_hooks = 1;
	CHECK_STR_EQ(ksplice_validate_desc(&d), "records counted but missing");
	d.hooks_raw = 3;
	CHECK(ksplice_validate_desc(&d) == NULL);
	d.kind = KSPLICE_HELPER;
	CHECK_STR_EQ(ksplice_validate_desc(&d), "a helper module cannot carry hooks");
}

int main(void)
{
	RUN(test_field_read_sign_extends);
	RUN(test_pcrel_roundtrip);
	RUN(test_absolute_roundtrip);
	RUN(test_write_refuses_overflow);
	RUN(test_validate_desc);
	RUN(test_record_sizes_are_fixed);
	RUN(test_validate_records);
	RUN(test_validate_hooks);
	return check_done();
}
