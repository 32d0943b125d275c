// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "create/module-stub.h"

/*
 * The record format (core/update-format.h and the core/compat.h it
 * includes) and ksplice.ko's interface (core/ksplice-api.h), embedded when
 * this file is compiled (from the top of the source tree, as the Makefile
 * does).
 */
__asm__(".pushsection .rodata\n"
	"ksplice_embedded_format_h:\n"
	".incbin \"core/update-format.h\"\n"
	".byte 0\n"
	"ksplice_embedded_compat_h:\n"
	".incbin \"core/compat.h\"\n"
	".byte 0\n"
	"ksplice_embedded_api_h:\n"
	".incbin \"core/ksplice-api.h\"\n"
	".byte 0\n"
	".popsection\n");
extern const char ksplice_embedded_format_h[] __asm__("ksplice_embedded_format_h");
extern const char ksplice_embedded_compat_h[] __asm__("ksplice_embedded_compat_h");
extern const char ksplice_embedded_api_h[] __asm__("ksplice_embedded_api_h");

/* Names and strings of the records, each emitted once. */
struct names {
	const char **v;
	size_t n, cap;
};

static size_t name_index(struct names *nm, const char *s)
{
	size_t i;

	for (i = 0; i < nm->n; i++)
		if (!strcmp(nm->v[i], s))
			return i;
	module_grow((void **)&nm->v, &nm->cap, nm->n + 1, sizeof(char *));
	nm->v[nm->n] = s;
	return nm->n++;
}

void stub_print_string(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' &&
		    *p != '?')
			fputc(*p, f);
		else
			fprintf(f, "\\%03o", *p);
	}
	fputc('"', f);
}

static void collect_names(const struct module_image *img, struct names *nm)
{
	size_t i;

	for (i = 0; i < img->nr_relocs; i++)
		if (img->relocs[i].name && img->relocs[i].target_kind != KSPLICE_TARGET_CONST)
			name_index(nm, img->relocs[i].name);
	for (i = 0; i < img->nr_sections; i++)
		if (img->sections[i].symbol)
			name_index(nm, img->sections[i].symbol);
	for (i = 0; i < img->nr_patches; i++)
		name_index(nm, img->patches[i].old_name);
}

static void print_place(FILE *f, const struct module_image *img,
			const struct image_place *p)
{
	if (p->sec < 0)
		fprintf(f, "NULL");
	else
		fprintf(f, "%s + 0x%llx", img->secs[p->sec].global,
			(unsigned long long)p->offset);
}

static void print_name(FILE *f, struct names *nm, const char *s)
{
	if (s)
		fprintf(f, "ksplice_name_%zu", name_index(nm, s));
	else
		fprintf(f, "NULL");
}

/* The bytes of each constant a relocation refers to (they may hold NULs). */
static void print_consts(FILE *f, const struct module_image *img)
{
	size_t i;
	uint32_t k;

	for (i = 0; i < img->nr_relocs; i++) {
		const struct image_record_reloc *r = &img->relocs[i];

		if (r->target_kind != KSPLICE_TARGET_CONST)
			continue;
		fprintf(f, "static const unsigned char ksplice_const_%zu[%u] = {", i, r->len);
		for (k = 0; k < r->len; k++)
			fprintf(f, "%s0x%02x", k ? ", " : " ", (unsigned char)r->name[k]);
		fprintf(f, " };\n");
	}
}

static void print_relocs(FILE *f, const struct module_image *img,
			 struct names *nm)
{
	size_t i;

	if (!img->nr_relocs)
		return;
	print_consts(f, img);
	fprintf(f, "\nstatic const struct ksplice_reloc ksplice_relocs[] = {\n");
	for (i = 0; i < img->nr_relocs; i++) {
		const struct image_record_reloc *r = &img->relocs[i];

		fprintf(f, "\t{ .site = ");
		print_place(f, img, &r->site);
		fprintf(f, ", .name = ");
		if (r->target_kind == KSPLICE_TARGET_CONST)
			fprintf(f, "(const char *)ksplice_const_%zu", i);
		else
			print_name(f, nm, r->name);
		fprintf(f, ", .addend = %lldLL, .type = %u, .size = %u, .target_kind = %u, .flags = %u, .section = %u, .len = %u, .scope = %u },\n",
			(long long)r->addend, r->type, r->size, r->target_kind,
			r->flags, r->section, r->len, r->scope);
	}
	fprintf(f, "};\n");
}

static void print_sections(FILE *f, const struct module_image *img,
			   struct names *nm)
{
	size_t i;

	if (!img->nr_sections)
		return;
	fprintf(f, "\nstatic const struct ksplice_section ksplice_sections[] = {\n");
	for (i = 0; i < img->nr_sections; i++) {
		const struct image_record_section *s = &img->sections[i];

		fprintf(f, "\t{ .address = ");
		print_place(f, img, &s->start);
		fprintf(f, ", .size = 0x%llx, .symbol = ",
			(unsigned long long)s->size);
		print_name(f, nm, s->symbol);
		fprintf(f, ", .flags = %u, .scope = %u },\n", s->flags, s->scope);
	}
	fprintf(f, "};\n");
}

static void print_replacements(FILE *f, const struct module_image *img)
{
	size_t i, k;

	for (i = 0; i < img->nr_sites; i++) {
		const struct image_record_site *s = &img->sites[i];

		if (!s->replacement_len)
			continue;
		fprintf(f, "static const u8 ksplice_repl_%zu[] = {", i);
		for (k = 0; k < s->replacement_len; k++)
			fprintf(f, "%s0x%02x", k ? ", " : " ", s->replacement[k]);
		fprintf(f, " };\n");
	}
}

static void print_sites(FILE *f, const struct module_image *img)
{
	size_t i;

	if (!img->nr_sites)
		return;
	fprintf(f, "\n");
	print_replacements(f, img);
	fprintf(f, "\nstatic const struct ksplice_site ksplice_sites[] = {\n");
	for (i = 0; i < img->nr_sites; i++) {
		const struct image_record_site *s = &img->sites[i];

		fprintf(f, "\t{ .address = ");
		print_place(f, img, &s->site);
		if (s->replacement_len)
			fprintf(f, ", .replacement = ksplice_repl_%zu", i);
		fprintf(f, ", .len = %u, .replacement_len = %u, .kind = %u },\n",
			s->len, s->replacement_len, s->kind);
	}
	fprintf(f, "};\n");
}

static void print_patches(FILE *f, const struct module_image *img,
			  struct names *nm)
{
	size_t i;

	if (!img->nr_patches)
		return;
	fprintf(f, "\nstatic const struct ksplice_patch ksplice_patches[] = {\n");
	for (i = 0; i < img->nr_patches; i++) {
		const struct image_record_patch *p = &img->patches[i];

		fprintf(f, "\t{ .old_name = ");
		print_name(f, nm, p->old_name);
		fprintf(f, ", .helper_section = %llu, .new_address = ",
			(unsigned long long)p->helper_section);
		print_place(f, img, &p->new_code);
		fprintf(f, ", .kind = %u },\n", p->kind);
	}
	fprintf(f, "};\n");
}

static void print_hooks(FILE *f, const struct module_image *img)
{
	size_t i;

	if (!img->nr_hooks)
		return;
	fprintf(f, "\nstatic const struct ksplice_hook ksplice_hooks[] = {\n");
	for (i = 0; i < img->nr_hooks; i++) {
		fprintf(f, "\t{ .fn = ");
		print_place(f, img, &img->hooks[i].fn);
		fprintf(f, ", .kind = %u },\n", img->hooks[i].kind);
	}
	fprintf(f, "};\n");
}

static void print_array_field(FILE *f, const char *field, const char *array,
			      size_t n)
{
	if (n)
		fprintf(f, "\t.%s = %s,\n\t.nr_%s = %zu,\n", field, array,
			field, n);
}

static void print_desc(FILE *f, const struct module_image *img)
{
	fprintf(f, "\nstatic const struct ksplice_module_desc ksplice_desc\n"
		   "\t__used __section(KSPLICE_DESC_SECTION) __aligned(8) = {\n"
		   "\t.magic = KSPLICE_MAGIC,\n"
		   "\t.version = KSPLICE_FORMAT_VERSION,\n"
		   "\t.kind = %s,\n"
		   "\t.machine = %u,\n"
		   "\t.desc_size = sizeof(struct ksplice_module_desc),\n"
		   "\t.id = ksplice_id,\n"
		   "\t.target = ksplice_target,\n",
		img->kind == KSPLICE_PRIMARY ? "KSPLICE_PRIMARY" : "KSPLICE_HELPER",
		img->machine);
	print_array_field(f, "relocs", "ksplice_relocs", img->nr_relocs);
	print_array_field(f, "sections", "ksplice_sections", img->nr_sections);
	print_array_field(f, "sites", "ksplice_sites", img->nr_sites);
	print_array_field(f, "patches", "ksplice_patches", img->nr_patches);
	print_array_field(f, "hooks", "ksplice_hooks", img->nr_hooks);
	fprintf(f, "};\n");
}

static void print_module_boilerplate(FILE *f, const struct module_image *img,
				     const char *id, const char *target)
{
	size_t i;

	/* ksplice.ko validates the records and groups the modules by update. */
	fprintf(f, "\nstatic int __init ksplice_update_init(void)\n{\n"
		   "\treturn ksplice_register_module(&ksplice_desc, THIS_MODULE);\n}\n"
		   "\nstatic void __exit ksplice_update_exit(void)\n{\n"
		   "\tksplice_unregister_module(&ksplice_desc, THIS_MODULE);\n}\n\n"
		   "module_init(ksplice_update_init);\n"
		   "module_exit(ksplice_update_exit);\n"
		   "MODULE_LICENSE(\"GPL\");\n"
		   "MODULE_DESCRIPTION(\"ksplice update %s: %s module for %s\");\n",
		id, img->kind == KSPLICE_PRIMARY ? "primary" : "helper", target);
	for (i = 0; i < img->nr_namespaces; i++)
		fprintf(f, "MODULE_IMPORT_NS(%s);\n", img->namespaces[i]);
}

static void print_source(FILE *f, const struct module_image *img,
			 const char *id, const char *target)
{
	struct names nm = { 0 };
	size_t i;

	fprintf(f, "// SPDX-License-Identifier: GPL-2.0\n"
		   "/* Generated by ksplice-create. Do not edit. */\n"
		   "#include <linux/module.h>\n"
		   "#include \"core/ksplice-api.h\"\n\n");
	for (i = 0; i < img->nr_secs; i++)
		fprintf(f, "extern u8 %s[];\n", img->secs[i].global);
	fprintf(f, "\nstatic const char ksplice_id[] = ");
	stub_print_string(f, id);
	fprintf(f, ";\nstatic const char ksplice_target[] = ");
	stub_print_string(f, target);
	fprintf(f, ";\n");
	collect_names(img, &nm);
	for (i = 0; i < nm.n; i++) {
		fprintf(f, "static const char ksplice_name_%zu[] = ", i);
		stub_print_string(f, nm.v[i]);
		fprintf(f, ";\n");
	}
	print_relocs(f, img, &nm);
	print_sections(f, img, &nm);
	print_sites(f, img);
	print_patches(f, img, &nm);
	print_hooks(f, img);
	print_desc(f, img);
	print_module_boilerplate(f, img, id, target);
	free(nm.v);
}

int stub_write(const struct module_image *img, const char *id,
	       const char *target, const char *path, struct ks_error *err)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return ks_fail(err, "cannot write %s: %s", path, strerror(errno));
	print_source(f, img, id, target);
	if (ferror(f) | fclose(f))
		return ks_fail(err, "writing %s failed", path);
	return 0;
}

static int write_text(const char *path, const char *text, struct ks_error *err)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return ks_fail(err, "cannot write %s: %s", path, strerror(errno));
	fputs(text, f);
	if (ferror(f) | fclose(f))
		return ks_fail(err, "writing %s failed", path);
	return 0;
}

int stub_write_headers(const char *dir, struct ks_error *err)
{
	char *core = xasprintf("%s/core", dir);
	char *format = xasprintf("%s/update-format.h", core);
	char *compat = xasprintf("%s/compat.h", core);
	char *api = xasprintf("%s/ksplice-api.h", core);
	int ret;

	if (mkdir(core, 0755) && errno != EEXIST)
		ret = ks_fail(err, "cannot create %s: %s", core, strerror(errno));
	else
		ret = write_text(format, ksplice_embedded_format_h, err) ?:
		      write_text(compat, ksplice_embedded_compat_h, err) ?:
		      write_text(api, ksplice_embedded_api_h, err);
	free(api);
	free(core);
	free(format);
	free(compat);
	return ret;
}
