/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running the other ksplice tools: `ksplice VERB` is ksplice-VERB, and
 * install/remove/reapply drive ksplice-apply and ksplice-undo rather than
 * repeat them. A tool is looked up next to the running program first (so
 * build/bin and an installed /usr/sbin each use their own set), then in PATH.
 */
#ifndef KSPLICE_TOOLS_RUN_TOOL_H
#define KSPLICE_TOOLS_RUN_TOOL_H

/* Path of ksplice-@verb into @dst; 0, or -1 if there is none. */
int tool_path(const char *verb, char *dst, unsigned long size);

/* Replace this process with ksplice-@verb; returns only on failure. */
void exec_tool(const char *verb, char **argv);

/*
 * Run ksplice-@verb with @argv (argv[0] is ignored; NULL-terminated) and
 * return its exit status (EXIT_SYSTEM if it could not run). If @out is not
 * NULL, its standard output and error are captured there (NUL-terminated, the start of
 * it if longer) instead of passed through.
 */
int run_tool(const char *verb, char **argv, char *out, unsigned long out_size);

#endif
