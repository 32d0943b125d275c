/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny unit-test harness. Each test program prints one line per case:
 *   ok NAME | not ok NAME: why | skip NAME: reason
 * which tests/run counts. Usage:
 *
 *   static void test_something(void) { CHECK(1 + 1 == 2); CHECK_STR_EQ(a, b); }
 *   int main(void) { RUN(test_something); return check_done(); }
 */
#ifndef KSPLICE_CHECK_H
#define KSPLICE_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed_cases;
static int check_case_failed;
static const char *check_case_skipped;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			printf("  %s:%d: CHECK(%s) failed\n", __FILE__,      \
			       __LINE__, #cond);                             \
			check_case_failed = 1;                               \
		}                                                            \
	} while (0)

#define CHECK_INT_EQ(a, b)                                                   \
	do {                                                                 \
		long long check_a_ = (a), check_b_ = (b);                    \
		if (check_a_ != check_b_) {                                  \
			printf("  %s:%d: %s == %lld, expected %s == %lld\n",  \
			       __FILE__, __LINE__, #a, check_a_, #b, check_b_); \
			check_case_failed = 1;                               \
		}                                                            \
	} while (0)

#define CHECK_STR_EQ(a, b)                                                   \
	do {                                                                 \
		const char *check_a_ = (a), *check_b_ = (b);                 \
		if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_)) {  \
			printf("  %s:%d: %s is \"%s\", expected \"%s\"\n",    \
			       __FILE__, __LINE__, #a,                       \
			       check_a_ ? check_a_ : "(null)",               \
			       check_b_ ? check_b_ : "(null)");              \
			check_case_failed = 1;                               \
		}                                                            \
	} while (0)

/* Mark the running case skipped; the reason is printed with it. */
#define SKIP(reason) (check_case_skipped = (reason))

#define RUN(fn)                                                              \
	do {                                                                 \
		check_case_failed = 0;                                       \
		check_case_skipped = NULL;                                   \
		fn();                                                        \
		if (check_case_failed) {                                     \
			printf("not ok %s\n", #fn);                          \
			check_failed_cases++;                                \
		} else if (check_case_skipped) {                             \
			printf("skip %s: %s\n", #fn, check_case_skipped);    \
		} else {                                                     \
			printf("ok %s\n", #fn);                              \
		}                                                            \
		fflush(stdout);                                              \
	} while (0)

static inline int check_done(void)
{
	return check_failed_cases ? 1 : 0;
}

#endif
