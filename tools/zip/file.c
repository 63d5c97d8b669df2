// SPDX-License-Identifier: GPL-2.0
/*
 * file.c - safe output and plain I/O for wd-zip.
 *
 * Output files are written to a temp file in the target directory, synced,
 * given the input's mode and times, and only then renamed over the final
 * name: a crash, a full disk or ^C never leaves a half-written FILE.gz that
 * looks complete, and never costs the input. The signal handler removes the
 * temp file, which is the only thing it may touch.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wd-zip.h"

static char tmp_path[PATH_MAX];
static volatile sig_atomic_t tmp_live;

static void on_signal(int sig)
{
	if (tmp_live)
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

void wdz_signals_init(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ };
	struct sigaction sa;
	unsigned int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		struct sigaction old;

		/* An ignored signal stays ignored, as for nohup. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

/* tmp_path is only changed with the signals blocked. */
static void block_signals(sigset_t *old)
{
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, old);
}

static void restore_signals(const sigset_t *old)
{
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

double wdz_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int wdz_read_full(int fd, void *buf, size_t len, const char *name, size_t *got)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			wdz_err("%s: read error: %s", name, strerror(errno));
			*got = done;
			return -1;
		}
		if (!n)
			break;
		done += n;
	}
	*got = done;
	return 0;
}

int wdz_write_all(int fd, const void *buf, size_t len, const char *name)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			wdz_err("%s: write error: %s", name, strerror(errno));
			return -1;
		}
		buf = (const char *)buf + n;
		len -= n;
	}
	return 0;
}

/* Open a temp file next to @path (same file system, so rename is atomic). */
int wdz_out_create(const char *path, const struct stat *st)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
	char name[PATH_MAX];
	sigset_t old;
	int fd, len;

	len = snprintf(name, sizeof(name), "%.*s.%s.wdzXXXXXX", (int)dirlen,
		       path, path + dirlen);
	if (len < 0 || (size_t)len >= sizeof(name)) {
		wdz_err("%s: %s", path, strerror(ENAMETOOLONG));
		return -1;
	}
	block_signals(&old);
	fd = mkstemp(name);
	if (fd >= 0) {
		memcpy(tmp_path, name, len + 1);
		tmp_live = 1;
	}
	restore_signals(&old);
	if (fd < 0) {
		wdz_err("%s: %s", path, strerror(errno));
		return -1;
	}
	return fd;
}

void wdz_out_abort(int fd)
{
	sigset_t old;

	close(fd);
	block_signals(&old);
	if (tmp_live)
		unlink(tmp_path);
	tmp_live = 0;
	restore_signals(&old);
}

/*
 * Give the temp file @st's owner and mode and @mtime, make it durable, and
 * rename it to @path. On failure the temp file is gone and @path untouched.
 */
int wdz_out_commit(int fd, const char *path, const struct stat *st,
		   const struct timespec *mtime)
{
	struct timespec times[2];
	sigset_t old;
	int ret = 0;

	if (st) {
		/* chown first: it clears set-id bits that fchmod then restores. */
		if (fchown(fd, st->st_uid, st->st_gid) && errno != EPERM)
			wdz_warn("%s: cannot keep owner: %s", path, strerror(errno));
		if (fchmod(fd, st->st_mode & 07777))
			wdz_warn("%s: cannot keep mode: %s", path, strerror(errno));
	}
	if (mtime) {
		times[0].tv_sec = 0;
		times[0].tv_nsec = UTIME_OMIT;
		times[1] = *mtime;
		if (st)
			times[0] = st->st_atim;
		if (futimens(fd, times))
			wdz_warn("%s: cannot set time stamp: %s", path, strerror(errno));
	}
	/* Write errors of a full disk may only show up here. */
	if (fsync(fd) && errno != EINVAL) {
		wdz_err("%s: write error: %s", path, strerror(errno));
		ret = -1;
	}
	if (close(fd) && !ret) {
		wdz_err("%s: write error: %s", path, strerror(errno));
		ret = -1;
	}
	block_signals(&old);
	if (!ret && rename(tmp_path, path)) {
		wdz_err("%s: %s", path, strerror(errno));
		ret = -1;
	}
	if (ret)
		unlink(tmp_path);
	tmp_live = 0;
	restore_signals(&old);
	return ret;
}

static const char *human(uint64_t v, char *buf, size_t len)
{
	if (v >= 10ULL << 30)
		snprintf(buf, len, "%.1f GiB", v / 1073741824.0);
	else
		snprintf(buf, len, "%.1f MiB", v / 1048576.0);
	return buf;
}

/*
 * Like zstd: a progress line on stderr only when it is a terminal (or
 * --progress) and the job has run for a second, at most 4 times a second.
 */
void wdz_progress(struct wdz_job *job, uint64_t done, bool final)
{
	char a[32], b[32];
	double now;

	if (!opt.progress || opt.verbose < 0)
		return;
	if (opt.progress < 0 && !isatty(STDERR_FILENO))
		return;
	if (final) {
		if (job->t_shown)
			fprintf(stderr, "\r\033[K");
		return;
	}
	now = wdz_now();
	if (now - job->t0 < 1.0 || now - job->t_shown < 0.25)
		return;
	job->t_shown = now;
	if (job->in_size)
		fprintf(stderr, "\r\033[Kwd-zip: %s: %3u%% %s -> %s", job->in_name,
			(unsigned int)(done * 100 / job->in_size),
			human(done, a, sizeof(a)), human(job->bytes_out, b, sizeof(b)));
	else
		fprintf(stderr, "\r\033[Kwd-zip: %s: %s -> %s", job->in_name,
			human(done, a, sizeof(a)), human(job->bytes_out, b, sizeof(b)));
}
