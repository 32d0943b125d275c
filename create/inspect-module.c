// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <string.h>

#include "create/inspect-escape.h"
#include "create/inspect-module.h"
#include "create/inspect-names.h"
#include "create/module-dump.h"

struct printer {
	const struct inspect_opts *o;
	struct inspect_module_info *info;
	u64 nr_relocs, nr_sections, nr_sites, nr_patches, nr_hooks;	/* seen so far */
};

/* Start a record line: indent, then "NAME[INDEX]". */
static FILE *start_line(struct printer *p, const char *name, u64 index)
{
	fprintf(p->o->out, "%s%s[%" PRIu64 "]", p->o->indent, name, index);
	return p->o->out;
}

static void print_place(FILE *out, const char *key, struct module_dump_place at)
{
	char buf[160];

	fprintf(out, " %s=", key);
	inspect_print_escaped(out, module_dump_place_string(at, buf, sizeof(buf)));
}

static void save_info(struct inspect_module_info *info,
		      const struct ksplice_module_desc *d, const char *id,
		      const char *target)
{
	info->kind = d->kind;
	info->machine = d->machine;
	snprintf(info->id, sizeof(info->id), "%s", id);
	snprintf(info->target, sizeof(info->target), "%s", target);
}

static void on_desc(void *ctx, const struct ksplice_module_desc *d,
		    const char *id, const char *target)
{
	struct printer *p = ctx;
	FILE *out = p->o->out;

	if (p->info)
		save_info(p->info, d, id, target);
	fprintf(out, "%smodule kind=%s machine=%s id=", p->o->indent,
		inspect_module_kind_name(d->kind),
		inspect_machine_name(d->machine));
	inspect_print_escaped(out, id);
	fputs(" target=", out);
	inspect_print_escaped(out, target);
	fprintf(out, " version=%u relocs=%" PRIu64 " sections=%" PRIu64
		" sites=%" PRIu64 " patches=%" PRIu64, d->version,
		d->nr_relocs, d->nr_sections, d->nr_sites, d->nr_patches);
	if (d->nr_hooks)
		fprintf(out, " hooks=%" PRIu64, d->nr_hooks);
	fputc('\n', out);
}

/* What a relocation points at: a symbol, a string's bytes or a section. */
static void print_reloc_target(FILE *out, const struct ksplice_reloc *r,
			       const char *name)
{
	u32 i;

	switch (r->target_kind) {
	case KSPLICE_TARGET_SYMBOL:
		fputs(" symbol=", out);
		inspect_print_escaped(out, name);
		break;
	case KSPLICE_TARGET_STRING:
		fputs(" string=", out);
		inspect_print_quoted(out, name);
		break;
	case KSPLICE_TARGET_CONST:
		fputs(" const=", out);
		for (i = 0; i < r->len; i++)
			fprintf(out, "%02x", (unsigned char)name[i]);
		break;
	case KSPLICE_TARGET_BTF_ID:
	case KSPLICE_TARGET_BTF_SET:
		fprintf(out, " %s=", inspect_target_kind_name(r->target_kind));
		inspect_print_escaped(out, name);
		fprintf(out, "/%u", r->len);
		break;
	default:
		fprintf(out, " %s=%u", inspect_target_kind_name(r->target_kind),
			r->section);
		break;
	}
}

static void on_reloc(void *ctx, const struct ksplice_reloc *r,
		     struct module_dump_place site, const char *name)
{
	struct printer *p = ctx;
	u64 index = p->nr_relocs++;
	FILE *out;

	if (!(p->o->records & INSPECT_RELOCS))
		return;
	out = start_line(p, "reloc", index);
	print_place(out, "site", site);
	print_reloc_target(out, r, name);
	fprintf(out, " addend=%" PRId64 " type=%s size=%u flags=", r->addend,
		inspect_reloc_type_name(p->info->machine, r->type),
		r->size);
	inspect_print_reloc_flags(out, r->flags);
	if (r->scope)
		fprintf(out, " scope=%u", r->scope);
	fputc('\n', out);
}

static void on_section(void *ctx, const struct ksplice_section *s,
		       struct module_dump_place address, const char *symbol)
{
	struct printer *p = ctx;
	u64 index = p->nr_sections++;
	FILE *out;

	if (!(p->o->records & INSPECT_SECTIONS))
		return;
	out = start_line(p, "section", index);
	fputs(" symbol=", out);
	inspect_print_escaped(out, symbol);
	print_place(out, "at", address);
	fprintf(out, " size=0x%" PRIx64 " flags=", s->size);
	inspect_print_section_flags(out, s->flags);
	if (s->scope)
		fprintf(out, " scope=%u", s->scope);
	fputc('\n', out);
}

static void on_site(void *ctx, const struct ksplice_site *s,
		    struct module_dump_place address,
		    struct module_dump_place replacement)
{
	struct printer *p = ctx;
	u64 index = p->nr_sites++;
	FILE *out;

	if (!(p->o->records & INSPECT_SITES))
		return;
	out = start_line(p, "site", index);
	fprintf(out, " kind=%s", inspect_site_kind_name(s->kind));
	print_place(out, "at", address);
	fprintf(out, " len=%u replacement_len=%u", s->len, s->replacement_len);
	if (s->replacement_len)
		print_place(out, "replacement", replacement);
	fputc('\n', out);
}

static void on_patch(void *ctx, const struct ksplice_patch *pa,
		     const char *old_name, struct module_dump_place new_address)
{
	struct printer *p = ctx;
	u64 index = p->nr_patches++;
	FILE *out;

	if (!(p->o->records & INSPECT_PATCHES))
		return;
	out = start_line(p, "patch", index);
	fputs(" old=", out);
	inspect_print_escaped(out, old_name);
	if (pa->new_address_raw)
		print_place(out, "new", new_address);
	else
		fputs(" new=none", out);
	fprintf(out, " kind=%s helper_section=%" PRIu64 "\n",
		inspect_patch_kind_name(pa->kind), pa->helper_section);
}

static void on_hook(void *ctx, const struct ksplice_hook *h, struct module_dump_place fn)
{
	struct printer *p = ctx;
	u64 index = p->nr_hooks++;
	FILE *out;

	if (!(p->o->records & INSPECT_HOOKS))
		return;
	out = start_line(p, "hook", index);
	fprintf(out, " kind=%s", inspect_hook_kind_name(h->kind));
	print_place(out, "fn", fn);
	fputc('\n', out);
}

/* Messages of the ELF reader start with "PATH: "; the caller names the file. */
static void strip_path(struct ks_error *err, const char *path)
{
	size_t n = strlen(path);

	if (!strncmp(err->msg, path, n) && !strncmp(err->msg + n, ": ", 2))
		memmove(err->msg, err->msg + n + 2, strlen(err->msg + n + 2) + 1);
}

int inspect_module(const char *path, const struct inspect_opts *o,
		   struct inspect_module_info *info, struct ks_error *err)
{
	struct inspect_module_info local;
	struct printer p = { .o = o, .info = info ? info : &local };
	const struct module_dump_visitor v = {
		.desc = on_desc, .reloc = on_reloc, .section = on_section,
		.site = on_site, .patch = on_patch, .hook = on_hook, .ctx = &p,
	};

	memset(p.info, 0, sizeof(*p.info));
	if (!module_dump_visit(path, &v, NULL, err))
		return 0;
	strip_path(err, path);
	return -1;
}

int inspect_parse_records(const char *list, unsigned int *records)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} names[] = {
		{ "relocs", INSPECT_RELOCS },
		{ "sections", INSPECT_SECTIONS },
		{ "sites", INSPECT_SITES },
		{ "patches", INSPECT_PATCHES },
		{ "hooks", INSPECT_HOOKS },
	};
	const char *p = list;
	size_t i, n;

	while (*p) {
		n = strcspn(p, ",");
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == n && !strncmp(p, names[i].name, n))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return -1;
		*records |= names[i].bit;
		p += n;
		if (*p == ',')
			p++;
	}
	return *records ? 0 : -1;
}
