// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice-inspect PACKAGE|MODULE: print the records of an update for
 * debugging. A package (ksplice-ID.tar.gz) shows its manifest, description
 * and the files its patch touches, then every target's primary and helper
 * module; a module (.ko) shows its descriptor and records.
 *
 * ksplice-inspect --match VMLINUX --kallsyms FILE [--sections FILE
 * --module KO...] PACKAGE: would the package apply to that kernel?
 * (create/inspect-match.h)
 *
 * Exit status: 0 success (--match: would apply), 1 bad input (one line on
 * stderr), 2 usage, 3 (--match) would not apply.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "create/build-util.h"
#include "create/inspect-match.h"
#include "create/inspect-module.h"
#include "create/inspect-package.h"

static const char usage_text[] =
	"usage: ksplice-inspect [--records LIST] PACKAGE|MODULE\n"
	"       ksplice-inspect --match VMLINUX --kallsyms FILE\n"
	"                       [--sections FILE --module KO...] PACKAGE\n"
	"\n"
	"Print the records of an update: for a package (ksplice-ID.tar.gz) its\n"
	"manifest, description, patched files and every target's primary and\n"
	"helper module; for a module (.ko) its descriptor and records.\n"
	"\n"
	"  --records LIST  only these record lists (comma-separated, or repeat):\n"
	"                  relocs, sections, sites, patches (default: all)\n"
	"  --match VMLINUX run-pre matching offline: would PACKAGE apply to the\n"
	"                  kernel booted from VMLINUX (an uncompressed ELF image),\n"
	"                  whose /proc/kallsyms, read as root, is saved in FILE\n"
	"                  (--kallsyms)? Prints each helper section as matched or\n"
	"                  not, then a verdict line: ok, no_match, failed_to_find,\n"
	"                  target_not_loaded.\n"
	"  --kallsyms FILE the kallsyms dump for --match\n"
	"  --sections FILE for module targets: `grep -r . /sys/module/*/sections`\n"
	"                  from that kernel, as root\n"
	"  --module KO     for module targets: the .ko file the kernel loaded\n"
	"                  (repeat per module); module targets without one are\n"
	"                  not checked\n"
	"  -h, --help      this text\n"
	"\n"
	"Exit status: 0 success (--match: would apply), 1 bad or malformed input,\n"
	"2 usage, 3 (--match) would not apply.\n";

static int usage(FILE *out, int status)
{
	fputs(usage_text, out);
	return status;
}

/* Interrupts unwind (so the temporary directory goes); a closed pipe is no crash. */
static void setup_signals(void)
{
	build_catch_signals();
	signal(SIGPIPE, SIG_IGN);
}

/* An ELF file, or a name ending in .ko or .o, is a module; else a package. */
static bool is_module(const char *path)
{
	unsigned char magic[4];
	FILE *f;
	bool elf;

	if (build_has_suffix(path, ".ko") || build_has_suffix(path, ".o"))
		return true;
	f = fopen(path, "rb");
	if (!f)
		return false;
	elf = fread(magic, 1, sizeof(magic), f) == sizeof(magic) &&
	      !memcmp(magic, "\177ELF", 4);
	fclose(f);
	return elf;
}

static int inspect(const char *path, const struct inspect_opts *o)
{
	struct ks_error err = { "" };
	int ret;

	if (is_module(path))
		ret = inspect_module(path, o, NULL, &err);
	else
		ret = inspect_package(path, o, &err);
	fflush(o->out);
	if (ret) {
		fprintf(stderr, "ksplice-inspect: %s: %s\n", path, err.msg);
		return build_interrupted ? 130 : 1;
	}
	if (ferror(o->out) && errno != EPIPE) {
		fprintf(stderr, "ksplice-inspect: write error: %s\n", strerror(errno));
		return 1;
	}
	return build_interrupted ? 130 : 0;
}

static int match(const char *package, const struct inspect_match_opts *mo)
{
	struct ks_error err = { "" };
	int ret = inspect_match(package, mo, stdout, &err);

	fflush(stdout);
	if (ret == INSPECT_MATCH_ERROR) {
		fprintf(stderr, "ksplice-inspect: %s\n", err.msg);
		return build_interrupted ? 130 : 1;
	}
	return ret == INSPECT_MATCH_APPLIES ? 0 : 3;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "records", required_argument, NULL, 'r' },
		{ "match", required_argument, NULL, 'm' },
		{ "kallsyms", required_argument, NULL, 'k' },
		{ "sections", required_argument, NULL, 's' },
		{ "module", required_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	struct inspect_match_opts mo = { NULL };
	struct inspect_opts o = { .out = stdout, .indent = "", .records = 0 };
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			return usage(stdout, 0);
		case 'r':
			if (inspect_parse_records(optarg, &o.records)) {
				fprintf(stderr, "ksplice-inspect: --records: unknown list '%s'\n",
					optarg);
				return usage(stderr, 2);
			}
			break;
		case 'm':
			mo.vmlinux = optarg;
			break;
		case 'k':
			mo.kallsyms = optarg;
			break;
		case 's':
			mo.sections = optarg;
			break;
		case 'M':
			if (mo.nr_modules == INSPECT_MATCH_MAX_MODULES) {
				fprintf(stderr, "ksplice-inspect: at most %d --module\n",
					INSPECT_MATCH_MAX_MODULES);
				return 2;
			}
			mo.modules[mo.nr_modules++] = optarg;
			break;
		default:
			return usage(stderr, 2);
		}
	}
	if (optind != argc - 1 || !mo.vmlinux != !mo.kallsyms ||
	    (!mo.vmlinux && (mo.sections || mo.nr_modules)))
		return usage(stderr, 2);
	setup_signals();
	if (mo.vmlinux)
		return match(argv[optind], &mo);
	if (!o.records)
		o.records = INSPECT_ALL_RECORDS;
	return inspect(argv[optind], &o);
}
