// SPDX-License-Identifier: GPL-2.0
/* The per-file report: text and JSON. */
#include "create/update-report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const outcome_names[] = {
	[REPORT_PENDING] = "candidate",
	[REPORT_IN_UPDATE] = "in-update",
	[REPORT_NO_CODE] = "no-code-change",
	[REPORT_NOT_BUILT] = "not-built",
	[REPORT_IGNORED] = "ignored",
	[REPORT_LEFT_OUT] = "left-out",
};

/* "modified", "added", "removed", ... for the table and JSON. */
static const char *change_word(enum patch_change c)
{
	switch (c) {
	case PATCH_MODIFY: return "modified";
	case PATCH_CREATE: return "added";
	case PATCH_DELETE: return "removed";
	case PATCH_RENAME: return "renamed";
	default: return "binary";
	}
}

const char *report_outcome_name(enum report_outcome o)
{
	return outcome_names[o];
}

struct report_file *report_add(struct update_report *r, const char *path,
			       enum patch_change change)
{
	struct report_file *f = report_find(r, path);

	if (f)
		return f;
	r->files = build_xrealloc(r->files, (r->nr_files + 1) * sizeof(*r->files));
	f = &r->files[r->nr_files++];
	memset(f, 0, sizeof(*f));
	f->path = build_xstrdup(path);
	f->change = change;
	f->kind = patch_classify(path);
	return f;
}

struct report_file *report_find(struct update_report *r, const char *path)
{
	size_t i;

	for (i = 0; i < r->nr_files; i++)
		if (!strcmp(r->files[i].path, path))
			return &r->files[i];
	return NULL;
}

void report_leave_out(struct report_file *f, enum refusal_class klass, const char *reason)
{
	if (f->outcome == REPORT_LEFT_OUT)
		return;
	f->outcome = REPORT_LEFT_OUT;
	f->klass = klass;
	free(f->reason);
	f->reason = build_xstrdup(reason ? reason : refusal_description(klass));
}

size_t report_count(const struct update_report *r, enum report_outcome o)
{
	size_t i, n = 0;

	for (i = 0; i < r->nr_files; i++)
		n += r->files[i].outcome == o;
	return n;
}

static void print_list(FILE *out, const char *label, const struct build_strlist *l)
{
	size_t i;

	if (!l->n)
		return;
	fprintf(out, "    %s:", label);
	for (i = 0; i < l->n; i++)
		fprintf(out, "%s %s", i ? "," : "", l->v[i]);
	fputc('\n', out);
}

void report_print(const struct update_report *r, FILE *out)
{
	size_t i, c, n;

	fprintf(out, "Per-file report");
	if (r->release)
		fprintf(out, " for %s", r->release);
	if (r->from && r->to)
		fprintf(out, " (%s -> %s)", r->from, r->to);
	fprintf(out, ":\n");
	for (i = 0; i < r->nr_files; i++) {
		const struct report_file *f = &r->files[i];

		fprintf(out, "  %-14s %s", report_outcome_name(f->outcome), f->path);
		if (f->change != PATCH_MODIFY)
			fprintf(out, " (%s)", change_word(f->change));
		if (f->outcome == REPORT_LEFT_OUT)
			fprintf(out, " [%s]", refusal_name(f->klass));
		fputc('\n', out);
		if (f->nr_objects > 1)
			fprintf(out, "    reaches %zu objects\n", f->nr_objects);
		print_list(out, "targets", &f->targets);
		print_list(out, "functions", &f->functions);
		if (f->outcome == REPORT_LEFT_OUT && f->reason)
			fprintf(out, "    reason: %s\n", f->reason);
	}
	fprintf(out, "%zu file%s in the update, %zu left out", report_count(r, REPORT_IN_UPDATE),
		report_count(r, REPORT_IN_UPDATE) == 1 ? "" : "s", report_count(r, REPORT_LEFT_OUT));
	for (c = 1; c < REFUSAL_NR; c++) {
		for (i = 0, n = 0; i < r->nr_files; i++)
			n += r->files[i].outcome == REPORT_LEFT_OUT && r->files[i].klass == c;
		if (n)
			fprintf(out, ", %s %zu", refusal_name(c), n);
	}
	fprintf(out, "; %zu not built, %zu without code change, %zu ignored\n",
		report_count(r, REPORT_NOT_BUILT), report_count(r, REPORT_NO_CODE),
		report_count(r, REPORT_IGNORED));
	print_list(out, "modules the update needs loaded", &r->modules);
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", out);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static void json_list(FILE *out, const struct build_strlist *l)
{
	size_t i;

	fputc('[', out);
	for (i = 0; i < l->n; i++) {
		if (i)
			fputs(", ", out);
		json_string(out, l->v[i]);
	}
	fputc(']', out);
}

static void json_field(FILE *out, const char *name, const char *value)
{
	fprintf(out, "  \"%s\": ", name);
	if (value)
		json_string(out, value);
	else
		fputs("null", out);
	fputs(",\n", out);
}

static void json_file(FILE *out, const struct report_file *f)
{
	fputs("    {\"path\": ", out);
	json_string(out, f->path);
	fprintf(out, ", \"change\": \"%s\", \"built\": %s, \"objects\": %zu, \"targets\": ",
		change_word(f->change), f->built ? "true" : "false", f->nr_objects);
	json_list(out, &f->targets);
	fputs(", \"functions\": ", out);
	json_list(out, &f->functions);
	fputs(", \"reaches\": ", out);
	json_list(out, &f->reaches);
	fprintf(out, ", \"outcome\": \"%s\", \"class\": ", report_outcome_name(f->outcome));
	if (f->outcome == REPORT_LEFT_OUT) {
		json_string(out, refusal_name(f->klass));
		fputs(", \"reason\": ", out);
		json_string(out, f->reason);
	} else {
		fputs("null, \"reason\": null", out);
	}
	fputc('}', out);
}

int report_write_json(const struct update_report *r, const char *path)
{
	FILE *out = fopen(path, "w");
	size_t i;

	if (!out) {
		build_error("cannot write the report %s: %s", path, strerror(errno));
		return -1;
	}
	fputs("{\n", out);
	json_field(out, "release", r->release);
	json_field(out, "from", r->from);
	json_field(out, "to", r->to);
	json_field(out, "package", r->written ? r->package : NULL);
	fputs("  \"modules\": ", out);
	json_list(out, &r->modules);
	fputs(",\n  \"files\": [\n", out);
	for (i = 0; i < r->nr_files; i++) {
		json_file(out, &r->files[i]);
		fputs(i + 1 < r->nr_files ? ",\n" : "\n", out);
	}
	fputs("  ]\n}\n", out);
	if (fclose(out)) {
		build_error("cannot write the report %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

void report_free(struct update_report *r)
{
	size_t i;

	for (i = 0; i < r->nr_files; i++) {
		free(r->files[i].path);
		free(r->files[i].reason);
		build_strlist_free(&r->files[i].targets);
		build_strlist_free(&r->files[i].functions);
		build_strlist_free(&r->files[i].reaches);
	}
	free(r->files);
	free(r->release);
	free(r->from);
	free(r->to);
	free(r->package);
	build_strlist_free(&r->modules);
	memset(r, 0, sizeof(*r));
}
