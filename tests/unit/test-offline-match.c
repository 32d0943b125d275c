// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-inspect --match's pieces without a kernel: the kallsyms dump
 * parser, the vmlinux reader on a small ELF image written here, and the
 * matcher run through them across a KASLR displacement (an absolute
 * address field in the image holds the link-time address, kallsyms the
 * running one).
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <unistd.h>

#include "create/kallsyms-dump.h"
#include "create/module-place.h"
#include "create/offline-match.h"
#include "create/vmlinux-image.h"
#include "tests/lib/check.h"
#include "tests/unit/snippet-compile.h"

#define LINK_TEXT 0xffffffff81000000ULL
#define SHIFT 0x2a00000ULL	/* the KASLR displacement of the fake boot */

static char image_path[] = "/tmp/ksplice-unit-vmlinux-XXXXXX";

/*
 * f at .text+0: movabs $g, %rax; call g; ret  (g absolute, then pc-relative)
 * g at .text+0x20: xor %eax, %eax; ret
 */
static u8 f_code[] = { 0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
		       0xe8, 0, 0, 0, 0, 0xc3 };
static u8 g_code[] = { 0x31, 0xc0, 0xc3 };
static u8 text[0x40];

static void build_text(void)
{
	u64 g = LINK_TEXT + 0x20;
	s32 rel = (s32)(g - (LINK_TEXT + 15));

	memset(text, 0xcc, sizeof(text));
	memcpy(text, f_code, sizeof(f_code));
	memcpy(text + 2, &g, 8);
	memcpy(text + 11, &rel, 4);
	memcpy(text + 0x20, g_code, sizeof(g_code));
}

static void add_section(Elf *elf, const char *data, size_t size, u32 type, u64 flags,
			u64 addr, u32 name)
{
	Elf_Scn *scn = elf_newscn(elf);
	Elf_Data *d = elf_newdata(scn);
	GElf_Shdr sh;

	d->d_buf = (void *)data;
	d->d_size = size;
	d->d_type = ELF_T_BYTE;
	d->d_align = 1;
	gelf_getshdr(scn, &sh);
	sh.sh_name = name;
	sh.sh_type = type;
	sh.sh_flags = flags;
	sh.sh_addr = addr;
	sh.sh_addralign = 1;
	gelf_update_shdr(scn, &sh);
}

/* An ET_EXEC like an extracted vmlinux: sections, no symbols. */
static void write_elf(int class, u16 machine, u16 type, const u8 *code, size_t size, u64 link)
{
	static const char names[] = "\0.text\0.data..percpu\0.bss\0.shstrtab";
	static const char percpu[16] = "percpu";
	int fd = mkstemp(image_path);
	Elf *elf;
	GElf_Ehdr eh;

	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_WRITE, NULL);
	gelf_newehdr(elf, class);
	gelf_getehdr(elf, &eh);
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = type;
	eh.e_machine = machine;
	eh.e_version = EV_CURRENT;
	add_section(elf, (const char *)code, size, SHT_PROGBITS,
		    SHF_ALLOC | SHF_EXECINSTR, link, 1);
	add_section(elf, percpu, sizeof(percpu), SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 0, 7);
	add_section(elf, NULL, 0x100, SHT_NOBITS, SHF_ALLOC | SHF_WRITE, link + 0x1000, 21);
	add_section(elf, names, sizeof(names), SHT_STRTAB, 0, 0, 26);
	eh.e_shstrndx = 4;
	gelf_update_ehdr(elf, &eh);
	elf_update(elf, ELF_C_WRITE);
	elf_end(elf);
	close(fd);
}

static void write_image(u16 type)
{
	build_text();
	write_elf(ELFCLASS64, EM_X86_64, type, text, sizeof(text), LINK_TEXT);
}

static char *dup_text(const char *s)
{
	char *p = malloc(strlen(s) + 1);

	return strcpy(p, s);
}

/* The running kernel's kallsyms: f and g displaced, a per-CPU and a module symbol. */
static const char kallsyms_text[] =
	"0000000000001000 A fixed_percpu_data\n"
	"ffffffff83a00000 T _text\n"
	"ffffffff83a00000 T f\n"
	"ffffffff83a00020 t g\n"
	"ffffffff83a00030 t g\n"
	"ffffffff83a00040 T _etext\n"
	"ffffffffc0002000 t g\t[dummy]\n";

static void test_kallsyms_parse(void)
{
	struct kallsyms_dump d;
	struct ks_error err = { "" };
	u64 a[4] = { 0 };

	CHECK_INT_EQ(kallsyms_parse(dup_text(kallsyms_text), &d, &err), 0);
	CHECK(d.text_addr == LINK_TEXT + SHIFT);
	CHECK(d.etext_addr == LINK_TEXT + SHIFT + 0x40);
	CHECK_INT_EQ(d.nr_module_syms, 1);
	CHECK_INT_EQ(kallsyms_lookup(&d, "g", a, 4), 2);	/* not the module's */
	CHECK(a[0] != a[1] && (a[0] == LINK_TEXT + SHIFT + 0x20 || a[1] == LINK_TEXT + SHIFT + 0x20));
	CHECK_INT_EQ(kallsyms_lookup(&d, "g", a, 1), 2);	/* count beyond max */
	CHECK_INT_EQ(kallsyms_lookup(&d, "nosuch", a, 4), 0);
	kallsyms_free(&d);
}

static void test_kallsyms_bad_input(void)
{
	struct kallsyms_dump d;
	struct ks_error err = { "" };

	CHECK_INT_EQ(kallsyms_parse(dup_text("hello world\n"), &d, &err), -1);
	CHECK(strstr(err.msg, "not a kallsyms dump"));
	kallsyms_free(&d);
	CHECK_INT_EQ(kallsyms_parse(dup_text("0000000000000000 T _text\n"
					     "0000000000000000 T f\n"), &d, &err), -1);
	CHECK(strstr(err.msg, "as root"));
	kallsyms_free(&d);
	CHECK_INT_EQ(kallsyms_parse(dup_text("ffffffff81000000 T f\n"), &d, &err), -1);
	CHECK(strstr(err.msg, "_text"));
	kallsyms_free(&d);
	CHECK_INT_EQ(kallsyms_load("/nonexistent/kallsyms", &d, &err), -1);
	kallsyms_free(&d);
}

static void test_vmlinux_reader(void)
{
	struct vmlinux_image img;
	struct ks_error err = { "" };
	u8 buf[8];

	write_image(ET_EXEC);
	CHECK_INT_EQ(vmlinux_open(image_path, &img, &err), 0);
	CHECK(img.text == LINK_TEXT && img.etext == LINK_TEXT + sizeof(text));
	CHECK_INT_EQ(vmlinux_read(&img, LINK_TEXT + 0x20, buf, 3), 0);
	CHECK(!memcmp(buf, g_code, 3));
	CHECK_INT_EQ(vmlinux_read(&img, LINK_TEXT + 0x1000, buf, 8), 0);	/* .bss: zeros */
	CHECK_INT_EQ(buf[0] | buf[7], 0);
	CHECK_INT_EQ(vmlinux_read(&img, LINK_TEXT + 0x3c, buf, 8), -1);	/* past .text */
	CHECK_INT_EQ(vmlinux_read(&img, 0, buf, 4), -1);	/* per-CPU: not mapped there */
	vmlinux_close(&img);
	unlink(image_path);
}

static void test_vmlinux_bad_input(void)
{
	struct vmlinux_image img;
	struct ks_error err = { "" };

	strcpy(image_path, "/tmp/ksplice-unit-vmlinux-XXXXXX");
	write_image(ET_REL);
	CHECK_INT_EQ(vmlinux_open(image_path, &img, &err), -1);
	CHECK(strstr(err.msg, "not an executable"));
	vmlinux_close(&img);
	unlink(image_path);
	CHECK_INT_EQ(vmlinux_open("/etc/hostname", &img, &err), -1);
	vmlinux_close(&img);
	CHECK_INT_EQ(vmlinux_open("/proc/self/exe", &img, &err), -1);	/* a PIE, not ET_EXEC */
	vmlinux_close(&img);
}

static struct ksplice_module_desc helper_desc(struct ksplice_section *s, size_t ns,
					      struct ksplice_reloc *r, size_t nr)
{
	struct ksplice_module_desc d = {
		.magic = KSPLICE_MAGIC, .version = KSPLICE_FORMAT_VERSION,
		.kind = KSPLICE_HELPER, .machine = EM_X86_64, .desc_size = sizeof(d),
		.sections = s, .nr_sections = ns, .relocs = r, .nr_relocs = nr,
	};
	return d;
}

/* The helper's f, with both relocation fields zeroed as ksplice-create leaves them. */
static void match_f(const struct offline_kernel *k, const u8 *code, int want)
{
	struct offline_target t = { k, NULL };
	struct ksplice_section s[] = { { .address = code, .size = sizeof(f_code), .symbol = "f" } };
	struct ksplice_reloc r[] = {
		{ .site = (u8 *)code + 2, .name = "g", .size = 8,
		  .target_kind = KSPLICE_TARGET_SYMBOL },
		{ .site = (u8 *)code + 11, .name = "g", .addend = -4, .size = 4,
		  .target_kind = KSPLICE_TARGET_SYMBOL,
		  .flags = KSPLICE_RELOC_PCREL | KSPLICE_RELOC_SIGNED },
	};
	struct ksplice_module_desc d = helper_desc(s, 1, r, 2);
	struct ksplice_matcher m;
	u64 v = 0;

	CHECK_INT_EQ(ksplice_match_init(&m, &d, &offline_match_ops, &t), 0);
	CHECK_INT_EQ(ksplice_match_run(&m), want);
	if (want == KSPLICE_MATCH_OK) {
		CHECK_INT_EQ(ksplice_match_symbol(&m, "g", &v), 0);
		CHECK(offline_to_running(k, v) == LINK_TEXT + SHIFT + 0x20);
	}
	ksplice_match_free(&m);
}

static void test_match_across_displacement(void)
{
	struct vmlinux_image img;
	struct kallsyms_dump ks;
	struct offline_kernel k;
	struct ks_error err = { "" };
	u8 code[sizeof(f_code)];

	strcpy(image_path, "/tmp/ksplice-unit-vmlinux-XXXXXX");
	write_image(ET_EXEC);
	CHECK_INT_EQ(vmlinux_open(image_path, &img, &err), 0);
	CHECK_INT_EQ(kallsyms_parse(dup_text(kallsyms_text), &ks, &err), 0);
	CHECK_INT_EQ(offline_kernel_init(&k, &img, &ks, &err), 0);
	CHECK(k.displacement == SHIFT);
	CHECK(offline_to_link(&k, LINK_TEXT + SHIFT + 0x20) == LINK_TEXT + 0x20);
	CHECK(offline_to_link(&k, 0x1000) == 0x1000);	/* per-CPU stays */
	memcpy(code, f_code, sizeof(code));
	match_f(&k, code, KSPLICE_MATCH_OK);
	code[15] = 0xc2;	/* the helper's code differs from the image's */
	match_f(&k, code, KSPLICE_MATCH_NO_MATCH);

	/* A dump whose text has another size is of another kernel. */
	ks.etext_addr += 0x1000;
	CHECK_INT_EQ(offline_kernel_init(&k, &img, &ks, &err), -1);
	CHECK(strstr(err.msg, "not of a kernel booted from this vmlinux"));
	kallsyms_free(&ks);
	vmlinux_close(&img);
	unlink(image_path);
}

/*
 * i386, a kernel linked at 0xc1000000 and booted 2 MiB higher:
 * f at .text+0: mov $g, %eax; call h; ret  (g in .text, h an absolute
 * symbol at 0x1000, which the call reaches across 4 GiB: its target is
 * right only modulo 2^32).
 */
#define LINK32 0xc1000000ULL
#define SHIFT32 0x200000ULL

static u8 f32_code[] = { 0xb8, 0, 0, 0, 0, 0xe8, 0, 0, 0, 0, 0xc3 };
static u8 text32[0x40];

static void build_text32(void)
{
	u32 g = LINK32 + 0x20, rel = (u32)(0x1000 - (LINK32 + 10));

	memset(text32, 0xcc, sizeof(text32));
	memcpy(text32, f32_code, sizeof(f32_code));
	memcpy(text32 + 1, &g, 4);
	memcpy(text32 + 6, &rel, 4);
	memcpy(text32 + 0x20, g_code, sizeof(g_code));
}

static const char kallsyms32_text[] =
	"00001000 A h\n"
	"c1200000 T _text\n"
	"c1200000 T f\n"
	"c1200020 t g\n"
	"c1200040 T _etext\n";

static void match_f32(const struct offline_kernel *k, const u8 *code, int want)
{
	struct offline_target t = { k, NULL };
	struct ksplice_section s[] = { { .address = code, .size = sizeof(f32_code), .symbol = "f" } };
	struct ksplice_reloc r[] = {
		{ .site = (u8 *)code + 1, .name = "g", .size = 4,
		  .target_kind = KSPLICE_TARGET_SYMBOL },
		{ .site = (u8 *)code + 6, .name = "h", .addend = -4, .size = 4,
		  .target_kind = KSPLICE_TARGET_SYMBOL,
		  .flags = KSPLICE_RELOC_PCREL | KSPLICE_RELOC_SIGNED },
	};
	struct ksplice_module_desc d = helper_desc(s, 1, r, 2);
	struct ksplice_matcher m;
	u64 v = 0;

	d.machine = EM_386;
	CHECK_INT_EQ(ksplice_match_init(&m, &d, &offline_match_ops, &t), 0);
	CHECK_INT_EQ(ksplice_match_run(&m), want);
	if (want == KSPLICE_MATCH_OK) {
		CHECK_INT_EQ(ksplice_match_symbol(&m, "g", &v), 0);
		CHECK(offline_to_running(k, v) == LINK32 + SHIFT32 + 0x20);
		CHECK_INT_EQ(ksplice_match_symbol(&m, "h", &v), 0);
		CHECK(v == 0x1000);
	}
	ksplice_match_free(&m);
}

static void test_match_i386(void)
{
	struct vmlinux_image img;
	struct kallsyms_dump ks;
	struct offline_kernel k;
	struct ks_error err = { "" };
	u8 code[sizeof(f32_code)];

	strcpy(image_path, "/tmp/ksplice-unit-vmlinux-XXXXXX");
	build_text32();
	write_elf(ELFCLASS32, EM_386, ET_EXEC, text32, sizeof(text32), LINK32);
	CHECK_INT_EQ(vmlinux_open(image_path, &img, &err), 0);
	CHECK_INT_EQ(img.machine, EM_386);
	CHECK(img.text == LINK32 && img.etext == LINK32 + sizeof(text32));
	CHECK_INT_EQ(kallsyms_parse(dup_text(kallsyms32_text), &ks, &err), 0);
	CHECK_INT_EQ(offline_kernel_init(&k, &img, &ks, &err), 0);
	CHECK(k.displacement == SHIFT32);
	memcpy(code, f32_code, sizeof(code));
	match_f32(&k, code, KSPLICE_MATCH_OK);
	code[10] = 0xc2;
	match_f32(&k, code, KSPLICE_MATCH_NO_MATCH);
	kallsyms_free(&ks);
	vmlinux_close(&img);
	unlink(image_path);
}

static void test_module_name(void)
{
	char name[64];

	module_name_of("/lib/modules/x/kernel/drivers/net/dummy.ko", name, sizeof(name));
	CHECK_STR_EQ(name, "dummy");
	module_name_of("snd-hda-intel.ko", name, sizeof(name));
	CHECK_STR_EQ(name, "snd_hda_intel");
}

/*
 * A module object placed by a sections dump: its call to an exported
 * function is relocated to where kallsyms says that function is, and
 * bytes outside the placed sections are not served.
 */
static void test_module_place(void)
{
	static const char sections[] =
		"/sys/module/other/sections/.text.f:0xffffffffc0009000\n"
		"/sys/module/snip/sections/.text.f:0xffffffffc0001000\n"
		"/sys/module/snip/sections/.note.gnu.property:0xffffffffc0002000\n";
	const char *ko = snippet_build("extern int ext(int);\n"
				       "int f(int x) { return ext(x) + 1; }\n", NULL);
	struct kallsyms_dump ks;
	struct placed_module pm;
	struct ks_error err = { "" };
	u64 site = 0xffffffffc0001000ULL, ext = 0xffffffff81234560ULL;
	u8 code[64];
	s32 rel;
	int i;

	CHECK(ko != NULL);
	CHECK_INT_EQ(kallsyms_parse(dup_text("ffffffff81000000 T _text\n"
					     "ffffffff81234560 T ext\n"
					     "ffffffffc0001000 t f\t[snip]\n"), &ks, &err), 0);
	CHECK(sections_dump_has(sections, "snip") && !sections_dump_has(sections, "nosuch"));
	CHECK(kallsyms_has_module(&ks, "snip") && !kallsyms_has_module(&ks, "other"));
	CHECK_INT_EQ(module_place(&pm, "snip", ko, EM_X86_64, sections, &ks, &err), 0);
	CHECK_INT_EQ(pm.nr_unresolved, 0);
	CHECK_INT_EQ(module_place_read(&pm, site, code, 16), 0);
	for (i = 0; i < 12 && code[i] != 0xe8; i++)
		;
	CHECK(code[i] == 0xe8);		/* the call to ext */
	memcpy(&rel, code + i + 1, 4);
	CHECK(site + i + 5 + (s64)rel == ext);
	CHECK_INT_EQ(module_place_read(&pm, 0xffffffffc0009000ULL, code, 1), -1);
	module_place_free(&pm);
	CHECK_INT_EQ(module_place(&pm, "other2", ko, EM_X86_64, sections, &ks, &err), -1);
	CHECK(strstr(err.msg, "none of its sections"));
	module_place_free(&pm);
	kallsyms_free(&ks);
}

/*
 * An i386 module object (REL: addends in the section bytes): the call to
 * ext is pc-relative, the address of arr[3] absolute with addend 12.
 */
static void test_module_place_i386(void)
{
	static const char sections[] =
		"/sys/module/snip/sections/.text.f:0xf8001000\n"
		"/sys/module/snip/sections/.text.q:0xf8002000\n";
	const char *ko = snippet_build("extern int ext(int);\n"
				       "extern int arr[];\n"
				       "int f(int x) { return ext(x) + 1; }\n"
				       "int *q(void) { return &arr[3]; }\n", "-m32");
	struct kallsyms_dump ks;
	struct placed_module pm;
	struct ks_error err = { "" };
	u32 site = 0xf8001000, ext = 0xc1234560, arr = 0xc1400000, v;
	u8 code[64];
	int i;

	CHECK(ko != NULL);
	CHECK_INT_EQ(kallsyms_parse(dup_text("c1000000 T _text\n"
					     "c1234560 T ext\n"
					     "c1400000 D arr\n"
					     "f8001000 t f\t[snip]\n"), &ks, &err), 0);
	CHECK_INT_EQ(module_place(&pm, "snip", ko, EM_X86_64, sections, &ks, &err), -1);
	CHECK(strstr(err.msg, "not an x86-64 module"));
	module_place_free(&pm);
	CHECK_INT_EQ(module_place(&pm, "snip", ko, EM_386, sections, &ks, &err), 0);
	CHECK_INT_EQ(pm.nr_unresolved, 0);
	CHECK_INT_EQ(module_place_read(&pm, site, code, 12), 0);
	for (i = 0; i < 7 && code[i] != 0xe8; i++)
		;
	CHECK(code[i] == 0xe8);		/* the call to ext */
	memcpy(&v, code + i + 1, 4);
	CHECK((u32)(site + i + 5 + v) == ext);
	CHECK_INT_EQ(module_place_read(&pm, 0xf8002000, code, 5), 0);
	CHECK(code[0] == 0xb8);		/* mov $arr+12, %eax */
	memcpy(&v, code + 1, 4);
	CHECK(v == arr + 12);
	module_place_free(&pm);
	kallsyms_free(&ks);
}

int main(void)
{
	RUN(test_kallsyms_parse);
	RUN(test_kallsyms_bad_input);
	RUN(test_vmlinux_reader);
	RUN(test_vmlinux_bad_input);
	RUN(test_match_across_displacement);
	RUN(test_match_i386);
	RUN(test_module_name);
	RUN(test_module_place);
	RUN(test_module_place_i386);
	return check_done();
}
