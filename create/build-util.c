// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the build stage of ksplice-create. */
#include "create/build-util.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int build_verbosity;
volatile sig_atomic_t build_interrupted;

static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void build_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("ksplice-create: error: ", fmt, ap);
	va_end(ap);
}

static void on_signal(int sig)
{
	build_interrupted = sig;
}

void build_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int build_lock_file(const char *path, const char *waiting_for)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);

	if (fd < 0) {
		build_error("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (!flock(fd, LOCK_EX | LOCK_NB))
		return fd;
	build_stage("Waiting for another ksplice-create %s...", waiting_for);
	while (flock(fd, LOCK_EX)) {
		if (errno != EINTR || build_interrupted) {
			build_error("cannot lock %s", path);
			close(fd);
			return -1;
		}
	}
	return fd;
}

void build_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("ksplice-create: warning: ", fmt, ap);
	va_end(ap);
}

void build_stage(const char *fmt, ...)
{
	va_list ap;

	if (build_verbosity < 0)
		return;
	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
}

void build_info(const char *fmt, ...)
{
	va_list ap;

	if (build_verbosity < 1)
		return;
	va_start(ap, fmt);
	vmessage("  ", fmt, ap);
	va_end(ap);
}

void build_strlist_add_owned(struct build_strlist *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = build_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = s;
}

void build_strlist_add(struct build_strlist *l, const char *s)
{
	build_strlist_add_owned(l, build_xstrdup(s));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void build_strlist_sort_unique(struct build_strlist *l)
{
	size_t i, out = 0;

	if (!l->n)
		return;
	qsort(l->v, l->n, sizeof(*l->v), cmp_str);
	for (i = 0; i < l->n; i++) {
		if (out && !strcmp(l->v[out - 1], l->v[i]))
			free(l->v[i]);
		else
			l->v[out++] = l->v[i];
	}
	l->n = out;
}

bool build_strlist_has(const struct build_strlist *l, const char *s)
{
	return l->n && bsearch(&s, l->v, l->n, sizeof(*l->v), cmp_str);
}

void build_strlist_free(struct build_strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

bool build_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

bool build_has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

char *build_path_normalize(const char *path)
{
	char *out = build_xmalloc(strlen(path) + 1);
	size_t len = 0;
	const char *p = path;

	if (*path == '/')
		goto fail;
	while (*p) {
		const char *end = strchrnul(p, '/');
		size_t n = end - p;

		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* skip "" and "." */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (!len)
				goto fail;
			while (len && out[len - 1] != '/')
				len--;
			if (len)
				len--;
		} else {
			if (len)
				out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p = *end ? end + 1 : end;
	}
	if (!len)
		goto fail;
	out[len] = '\0';
	return out;
fail:
	free(out);
	return NULL;
}

bool build_file_exists(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

bool build_dir_exists(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int build_mkdir_p(const char *path)
{
	char *p = build_xstrdup(path), *s;
	int ret = 0;

	for (s = p + 1; ; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0777) && errno != EEXIST) {
			build_error("cannot create %s: %s", p, strerror(errno));
			ret = -1;
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return ret;
}

int build_mkdir_p_parent(const char *path)
{
	char *dir = build_xstrdup(path), *slash = strrchr(dir, '/');
	int ret = 0;

	if (slash && slash != dir) {
		*slash = '\0';
		ret = build_mkdir_p(dir);
	}
	free(dir);
	return ret;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int build_rm_rf(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

int build_read_file(const char *path, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 8192, n = 0;
	char *b;

	if (fd < 0)
		return -1;
	b = build_xmalloc(cap);
	for (;;) {
		ssize_t r;

		if (n + 1 >= cap) {
			cap *= 2;
			b = build_xrealloc(b, cap);
		}
		r = read(fd, b + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			free(b);
			errno = e;
			return -1;
		}
		if (!r)
			break;
		n += r;
	}
	close(fd);
	b[n] = '\0';
	*buf = b;
	if (len)
		*len = n;
	return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		len -= w;
	}
	return 0;
}

int build_write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

	if (fd < 0)
		return -1;
	if (write_all(fd, buf, len)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

int build_copy_file(const char *src, const char *dst)
{
	struct timespec times[2];
	struct stat st;
	size_t len;
	char *buf;
	int ret;

	if (stat(src, &st) || build_read_file(src, &buf, &len))
		return -1;
	unlink(dst);
	ret = build_write_file(dst, buf, len);
	free(buf);
	if (ret)
		return -1;
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	if (chmod(dst, st.st_mode & 07777) || utimensat(AT_FDCWD, dst, times, 0))
		return -1;
	return 0;
}

uint64_t build_hash(const void *buf, size_t len, uint64_t h)
{
	const unsigned char *p = buf;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

int build_hash_file(const char *path, uint64_t *hash)
{
	size_t len;
	char *buf;

	if (build_read_file(path, &buf, &len))
		return -1;
	*hash = build_hash(buf, len, BUILD_HASH_INIT);
	free(buf);
	return 0;
}

char *build_argv_string(char *const argv[])
{
	size_t len = 1, i;
	char *s;

	for (i = 0; argv[i]; i++)
		len += strlen(argv[i]) + 1;
	s = build_xmalloc(len);
	s[0] = '\0';
	for (i = 0; argv[i]; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static void child_setup(const struct build_run_opts *o, int out_fd)
{
	int null_fd;

	if (o->ignore_signals) {
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
	} else {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
	}
	if (o->dir && chdir(o->dir)) {
		fprintf(stderr, "cannot enter %s: %s\n", o->dir, strerror(errno));
		_exit(127);
	}
	null_fd = open("/dev/null", O_RDWR);
	if (null_fd >= 0)
		dup2(null_fd, STDIN_FILENO);
	if (o->log) {
		int fd = open(o->log, O_WRONLY | O_CREAT | O_APPEND, 0666);

		if (fd < 0)
			_exit(127);
		if (out_fd < 0)
			dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	} else if (o->quiet_stderr && null_fd >= 0) {
		dup2(null_fd, STDERR_FILENO);
	}
	if (out_fd >= 0)
		dup2(out_fd, STDOUT_FILENO);
}

/* Read the child's stdout until EOF. */
static char *slurp_fd(int fd)
{
	size_t cap = 4096, n = 0;
	char *b = build_xmalloc(cap);

	for (;;) {
		ssize_t r;

		if (n + 1 >= cap) {
			cap *= 2;
			b = build_xrealloc(b, cap);
		}
		r = read(fd, b + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += r;
	}
	b[n] = '\0';
	return b;
}

static int wait_child(pid_t pid)
{
	bool killed = false;
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
		if (build_interrupted && !killed) {
			kill(pid, SIGTERM);
			killed = true;
		}
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int build_run(char *const argv[], const struct build_run_opts *opts)
{
	static const struct build_run_opts none;
	const struct build_run_opts *o = opts ? opts : &none;
	int pipefd[2] = { -1, -1 };
	pid_t pid;
	int ret;

	if (build_verbosity > 0) {
		char *cmd = build_argv_string(argv);

		build_info("run: %s", cmd);
		free(cmd);
	}
	fflush(NULL);
	if (o->capture && pipe2(pipefd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		build_error("fork: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		child_setup(o, pipefd[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "ksplice-create: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	if (o->capture) {
		close(pipefd[1]);
		*o->capture = slurp_fd(pipefd[0]);
		close(pipefd[0]);
	}
	ret = wait_child(pid);
	if (ret == 127)
		build_info("%s: exit status 127 (not found?)", argv[0]);
	return ret;
}
