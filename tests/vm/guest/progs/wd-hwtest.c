// SPDX-License-Identifier: GPL-2.0
/*
 * wd-hwtest - libwd's hardware path in the VM bench, on hisi_zip.
 *
 *   wd-hwtest formats MAXMB   raw/zlib/gzip both ways through WD_ENGINE_HW,
 *                             one-shot and streaming, sizes 0 B to MAXMB
 *                             MiB; every result checked with zlib
 *   wd-hwtest seccomp N       in a child: open a session, install a seccomp
 *                             filter that kills on any system call but
 *                             exit/exit_group, run N async requests in
 *                             polling mode, check them, exit 0
 *   wd-hwtest hold SECONDS    compress and decompress on the hardware for
 *                             that long (two queues), every round checked
 *                             with zlib, for a second process to run beside
 *   wd-hwtest irq N           N async requests completed through
 *                             wd_comp_poll() waiting in the kernel
 *                             (SDMDEV_WAIT, libwd's interrupt mode), each
 *                             checked; a poll with nothing pending returns
 *                             at once
 *   wd-hwtest irq-hung MS     the caller has hung the engine: one request,
 *                             a poll of MS ms times out (0 done) no sooner
 *                             than MS and within MS + 2 s, having slept in
 *                             the kernel; then "waiting" is printed and a
 *                             poll of 60 s must complete the request once
 *                             the caller releases the engine
 *   wd-hwtest irq-ras         the caller has hung the engine: one request,
 *                             "waiting", and a 60 s poll, during which the
 *                             caller raises an abnormal (RAS) interrupt:
 *                             the poll fails with WD_EIO, and so does the
 *                             next poll at once; "errored"; then, on
 *                             SIGUSR1 (the caller released the engine),
 *                             the session closes and a new one on a fresh
 *                             queue compresses, checked
 *   wd-hwtest twoq            two hardware sessions of one process on one
 *                             function, sharing a device context (one IOVA
 *                             space for the function): requests on both at
 *                             once, checked; without the context the second
 *                             session's memory collides and it cannot open
 *   wd-hwtest busy UUID       wd_queue_open() of that instance must fail
 *                             with WD_EBUSY (another process owns its
 *                             function)
 *   wd-hwtest list            print what wd_dev_scan() sees
 *
 * Exit 0 when every check passed; each failure prints one line.
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <zlib.h>

#include "wd_comp.h"
#include "wd_dev.h"
#include "wd_queue.h"
#include "wdt-zref.h"

static int failed;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("FAIL %s:%d: ", __func__, __LINE__);		\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		failed = 1;						\
	}								\
} while (0)

static const enum wd_comp_format formats[3] = {
	WD_FORMAT_RAW, WD_FORMAT_ZLIB, WD_FORMAT_GZIP,
};
static const char *const fname[4] = { "", "raw", "zlib", "gzip" };

/* level 1: the guest is slow, the referee need not be thorough */
static size_t ref_deflate(enum wd_comp_format f, const uint8_t *in, size_t n,
			  uint8_t *out, size_t cap)
{
	return wdt_ref_deflate(f, 1, in, n, out, cap, NULL);
}

static struct wd_comp_sess *hw_open(enum wd_comp_format f,
				    enum wd_comp_dir dir)
{
	struct wd_comp_setup s = {
		.format = f, .dir = dir, .engine = WD_ENGINE_HW,
		.numa_node = -1,
	};
	struct wd_comp_sess *sess = NULL;
	int ret = wd_comp_open(&sess, &s);

	CHECK(!ret, "wd_comp_open(%s, %s, hw): %s", fname[f],
	      dir ? "decompress" : "compress", wd_strerror(ret));
	if (sess)
		CHECK(wd_comp_engine(sess) == WD_ENGINE_HW, "engine %s",
		      wd_engine_name(wd_comp_engine(sess)));
	return sess;
}

/* Stream @n bytes through in pieces of @step, FINISH on the last. */
static long stream_all(struct wd_comp_sess *s, const uint8_t *in, size_t n,
		       uint8_t *out, size_t cap, size_t step, bool compress)
{
	struct wd_comp_buf b = { .next_in = in, .next_out = out };
	size_t left = n;
	int ret;

	for (;;) {
		size_t give = left < step ? left : step;
		size_t room = (size_t)((out + cap) - (uint8_t *)b.next_out);

		b.avail_in = give;
		b.avail_out = room < step ? room : step;
		size_t before_out = (size_t)b.total_out;

		ret = wd_comp_stream(s, &b, compress && give == left ?
				     WD_FLUSH_FINISH : WD_FLUSH_NONE);
		if (ret < 0)
			return ret;
		left -= give - b.avail_in;
		if (ret == WD_STREAM_END)
			break;
		/* room and nothing moved: the stream cannot end */
		if (b.avail_in == give && b.total_out == before_out &&
		    b.avail_out)
			return WD_EBADMSG;
	}
	return left ? WD_EBADMSG : (long)b.total_out;
}

static void one_size(struct wd_comp_sess *c, struct wd_comp_sess *d,
		     enum wd_comp_format f, size_t n, uint8_t *in, uint8_t *z,
		     uint8_t *out)
{
	size_t cap = wd_comp_bound(f, n), clen, dlen;
	long r;
	int ret;

	wdt_fill(in, n, WDT_FILL_MIXED, n * 7 + f);
	/* one-shot: hardware compresses, zlib and hardware read it back */
	clen = cap;
	ret = wd_comp_oneshot(c, in, n, z, &clen);
	CHECK(!ret, "%s %zu: compress: %s", fname[f], n, wd_strerror(ret));
	if (ret)
		return;
	r = wdt_ref_inflate(f, z, clen, out, n + 1);
	CHECK(r == (long)n && !memcmp(out, in, n), "%s %zu: zlib inflate: %ld",
	      fname[f], n, r);
	dlen = n + 1;
	ret = wd_comp_oneshot(d, z, clen, out, &dlen);
	CHECK(!ret && dlen == n && !memcmp(out, in, n),
	      "%s %zu: decompress own: %s, %zu", fname[f], n, wd_strerror(ret),
	      dlen);
	/* zlib compresses, hardware reads */
	clen = ref_deflate(f, in, n, z, cap);
	dlen = n + 1;
	ret = wd_comp_oneshot(d, z, clen, out, &dlen);
	CHECK(!ret && dlen == n && !memcmp(out, in, n),
	      "%s %zu: decompress zlib's: %s, %zu", fname[f], n,
	      wd_strerror(ret), dlen);
	/* streaming, in odd pieces */
	wd_comp_reset(c);
	wd_comp_reset(d);
	r = stream_all(c, in, n, z, cap, 300000 + n % 4099, true);
	CHECK(r >= 0, "%s %zu: stream compress: %s", fname[f], n,
	      wd_strerror((int)r));
	if (r < 0)
		return;
	clen = (size_t)r;
	r = wdt_ref_inflate(f, z, clen, out, n + 1);
	CHECK(r == (long)n && !memcmp(out, in, n),
	      "%s %zu: zlib inflate of the stream: %ld", fname[f], n, r);
	r = stream_all(d, z, clen, out, n + 1, 65521, false);
	CHECK(r == (long)n && !memcmp(out, in, n),
	      "%s %zu: stream decompress: %ld", fname[f], n, r);
	wd_comp_reset(c);
	wd_comp_reset(d);
}

static int do_formats(size_t max_mb)
{
	static const size_t sizes[] = {
		0, 1, 100, 4096, 65536, 131072, 131073, 1 << 20,
		(1 << 20) * 3 + 5, 8 << 20, 64 << 20,
	};
	size_t max = max_mb << 20, i, top = 0;
	uint8_t *in, *z, *out;
	unsigned int k;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (sizes[i] <= max)
			top = sizes[i];
	in = malloc(top + 1);
	z = malloc(wd_comp_bound(WD_FORMAT_GZIP, top));
	out = malloc(top + 1);
	if (!in || !z || !out) {
		printf("FAIL out of memory\n");
		return 1;
	}
	for (k = 0; k < 3; k++) {
		enum wd_comp_format f = formats[k];
		struct wd_comp_sess *c = hw_open(f, WD_DIR_COMPRESS);
		struct wd_comp_sess *d = hw_open(f, WD_DIR_DECOMPRESS);
		unsigned int n = 0;

		if (!c || !d)
			return 1;
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			if (sizes[i] > max)
				continue;
			one_size(c, d, f, sizes[i], in, z, out);
			n++;
		}
		printf("%s: %u sizes up to %zu bytes, both ways, one-shot and streaming\n",
		       fname[f], n, top);
		wd_comp_close(c);
		wd_comp_close(d);
	}
	free(in);
	free(z);
	free(out);
	return failed;
}

/* ---- zero system calls per request ------------------------------------------ */

static int install_seccomp(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit_group, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

#define SC_SLOTS	32
#define SC_IN		2048
#define SC_OUT		4096

struct sc_req {
	uint8_t out[SC_OUT];
	size_t produced;
	int status;
	unsigned int id;
	bool busy;
};

static uint8_t sc_in[SC_SLOTS][SC_IN];
static uint8_t sc_back[SC_IN];
static struct sc_req sc_req[SC_SLOTS];
static unsigned int sc_done, sc_bad;

static void sc_cb(void *opaque, int status, size_t consumed,
		  size_t produced)
{
	struct sc_req *r = opaque;
	uLongf n = sizeof(sc_back);

	r->busy = false;
	sc_done++;
	/* check it here: zlib's inflate makes no system call either */
	if (status || consumed != SC_IN ||
	    uncompress(sc_back, &n, r->out, produced) != Z_OK ||
	    n != SC_IN || memcmp(sc_back, sc_in[r - sc_req], SC_IN))
		sc_bad++;
}

static void sc_child(unsigned int total)
{
	struct wd_comp_sess *c = hw_open(WD_FORMAT_ZLIB, WD_DIR_COMPRESS);
	unsigned int sent = 0, i;
	int ret;

	if (!c)
		_exit(2);
	for (i = 0; i < SC_SLOTS; i++)
		wdt_fill(sc_in[i], SC_IN, WDT_FILL_MIXED, i + 1);
	/*
	 * The checks in the callback use zlib, which allocates: warm the heap
	 * up now and never give memory back, so malloc needs no brk/mmap
	 * later. Nothing buffered in stdio may need a write() either.
	 */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	{
		uLongf n = sizeof(sc_back);
		uint8_t z[SC_OUT];
		uLongf zn = sizeof(z);

		compress(z, &zn, sc_in[0], SC_IN);
		uncompress(sc_back, &n, z, zn);
	}
	fflush(NULL);
	if (install_seccomp()) {
		printf("FAIL seccomp: %s\n", strerror(errno));
		_exit(3);
	}
	/* from here on, any system call kills the process */
	while (sc_done < total) {
		for (i = 0; i < SC_SLOTS && sent < total; i++) {
			if (sc_req[i].busy)
				continue;
			ret = wd_comp_submit(c, sc_in[i], SC_IN, sc_req[i].out,
					     SC_OUT, sc_cb, &sc_req[i]);
			if (ret == WD_EAGAIN)
				break;
			if (ret)
				_exit(4);
			sc_req[i].busy = true;
			sent++;
		}
		ret = wd_comp_poll(c, SC_SLOTS, 0);
		if (ret < 0)
			_exit(5);
	}
	_exit(sc_bad ? 6 : 0);
}

static int do_seccomp(unsigned int n)
{
	char uuid[WD_UUID_LEN + 1] = "";
	struct wd_dev_list *l;
	int status, ret;
	pid_t pid;

	/*
	 * The child cannot clean up after itself (no system call allowed):
	 * give it an instance to take, and remove it here afterwards.
	 */
	ret = wd_dev_scan(&l);
	CHECK(!ret && wd_dev_count(l), "no device: %s", wd_strerror(ret));
	if (ret || !wd_dev_count(l))
		return 1;
	ret = wd_dev_create_instance(wd_dev_get(l, 0)->name, NULL, uuid);
	wd_dev_list_free(l);
	CHECK(!ret, "create an instance: %s", wd_strerror(ret));
	if (ret)
		return 1;
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		sc_child(n);
	CHECK(pid > 0, "fork");
	if (pid <= 0)
		return 1;
	waitpid(pid, &status, 0);
	ret = wd_dev_remove_instance(uuid);
	CHECK(!ret, "remove %s: %s", uuid, wd_strerror(ret));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child: %s %d (SIGSYS %d: a system call)",
	      WIFEXITED(status) ? "exit" : "signal",
	      WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
	      SIGSYS);
	if (!failed)
		printf("seccomp: %u requests, no system call, exit 0\n", n);
	return failed;
}

/* ---- a second process ------------------------------------------------------- */

static int do_hold(unsigned int seconds)
{
	struct wd_comp_sess *c = hw_open(WD_FORMAT_GZIP, WD_DIR_COMPRESS);
	struct wd_comp_sess *d = hw_open(WD_FORMAT_GZIP, WD_DIR_DECOMPRESS);
	static uint8_t in[100000], z[110000], out[100001];
	time_t end = time(NULL) + seconds;
	unsigned int rounds = 0;
	size_t clen, dlen;
	int ret;

	if (!c || !d)
		return 1;
	printf("holding\n");
	fflush(stdout);
	while (time(NULL) < end && !failed) {
		/* other data every round, so a stale output cannot pass */
		wdt_fill(in, sizeof(in), WDT_FILL_MIXED, 99 + rounds);
		clen = sizeof(z);
		ret = wd_comp_oneshot(c, in, sizeof(in), z, &clen);
		CHECK(!ret, "compress: %s", wd_strerror(ret));
		CHECK(wdt_ref_inflate(WD_FORMAT_GZIP, z, clen, out, sizeof(out)) ==
		      sizeof(in) && !memcmp(in, out, sizeof(in)), "round %u",
		      rounds);
		dlen = sizeof(out);
		ret = wd_comp_oneshot(d, z, clen, out, &dlen);
		CHECK(!ret && dlen == sizeof(in) && !memcmp(in, out, dlen),
		      "decompress round %u: %s, %zu bytes", rounds,
		      wd_strerror(ret), dlen);
		rounds++;
	}
	wd_comp_close(c);
	wd_comp_close(d);
	printf("hold: %u rounds\n", rounds);
	return failed;
}

struct irq_req {
	uint8_t in[8192], out[16384];
	size_t produced;
	int status;
	bool done, busy;
};

static void irq_cb(void *opaque, int status, size_t consumed,
		   size_t produced)
{
	struct irq_req *r = opaque;
	uint8_t back[8192];

	r->done = true;
	r->busy = false;
	r->status = status;
	r->produced = produced;
	CHECK(!status && consumed == sizeof(r->in), "request: %s, %zu consumed",
	      wd_strerror(status), consumed);
	CHECK(wdt_ref_inflate(WD_FORMAT_GZIP, r->out, produced, back,
			  sizeof(back)) == sizeof(r->in) &&
	      !memcmp(back, r->in, sizeof(r->in)), "output does not inflate back");
}

static uint64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static long vol_switches(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_nvcsw;
}

static int do_irq(unsigned int n)
{
	struct wd_comp_sess *c = hw_open(WD_FORMAT_GZIP, WD_DIR_COMPRESS);
	static struct irq_req r[4];
	unsigned int sent = 0, done = 0, i;
	uint64_t t0;
	int ret;

	if (!c)
		return 1;
	/* nothing pending: no wait at all */
	t0 = ms_now();
	ret = wd_comp_poll(c, 1, 5000);
	CHECK(ret == 0 && ms_now() - t0 < 1000, "idle poll: %d after %llu ms",
	      ret, (unsigned long long)(ms_now() - t0));
	while (done < n && !failed) {
		for (i = 0; i < 4 && sent < n; i++) {
			if (r[i].busy)
				continue;
			wdt_fill(r[i].in, sizeof(r[i].in), WDT_FILL_MIXED, sent + 1);
			ret = wd_comp_submit(c, r[i].in, sizeof(r[i].in), r[i].out,
					     sizeof(r[i].out), irq_cb, &r[i]);
			CHECK(!ret, "submit: %s", wd_strerror(ret));
			if (ret)
				break;
			r[i].busy = true;
			r[i].done = false;
			sent++;
		}
		/* at most 4 in flight, so the wait is for the first of them */
		ret = wd_comp_poll(c, 4, 10000);
		CHECK(ret > 0, "poll: %s", ret ? wd_strerror(ret) : "timed out");
		if (ret <= 0)
			break;
		done += (unsigned int)ret;
	}
	wd_comp_close(c);
	if (!failed)
		printf("irq: %u requests completed through the kernel wait\n", n);
	return failed;
}

static int do_irq_hung(unsigned int ms)
{
	struct wd_comp_sess *c = hw_open(WD_FORMAT_GZIP, WD_DIR_COMPRESS);
	static struct irq_req r;
	uint64_t t0, t;
	long sw0;
	int ret;

	if (!c)
		return 1;
	wdt_fill(r.in, sizeof(r.in), WDT_FILL_MIXED, 7);
	ret = wd_comp_submit(c, r.in, sizeof(r.in), r.out, sizeof(r.out),
			     irq_cb, &r);
	CHECK(!ret, "submit: %s", wd_strerror(ret));
	if (ret)
		goto out;
	sw0 = vol_switches();
	t0 = ms_now();
	ret = wd_comp_poll(c, 1, (int)ms);
	t = ms_now() - t0;
	CHECK(ret == 0 && !r.done, "poll on a hung engine: %d", ret);
	CHECK(t >= ms && t < ms + 2000, "timed out after %llu ms, want %u",
	      (unsigned long long)t, ms);
	/* it slept in SDMDEV_WAIT rather than spinning */
	CHECK(vol_switches() > sw0, "no voluntary context switch while waiting");
	printf("timeout: %llu ms for %u\n", (unsigned long long)t, ms);
	printf("waiting\n");
	fflush(stdout);
	ret = wd_comp_poll(c, 1, 60000);
	CHECK(ret == 1 && r.done && !r.status, "after release: %d, %s", ret,
	      r.done ? wd_strerror(r.status) : "not done");
	if (!failed)
		printf("irq-hung: completed after the release\n");
out:
	wd_comp_close(c);
	return failed;
}

static volatile sig_atomic_t usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1 = 1;
}

static int do_irq_ras(void)
{
	struct wd_comp_sess *c = hw_open(WD_FORMAT_GZIP, WD_DIR_COMPRESS);
	static struct irq_req r;
	sigset_t mask, old;
	uint64_t t0, t;
	int ret;

	if (!c)
		return 1;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, &old);
	signal(SIGUSR1, on_usr1);
	wdt_fill(r.in, sizeof(r.in), WDT_FILL_MIXED, 9);
	ret = wd_comp_submit(c, r.in, sizeof(r.in), r.out, sizeof(r.out),
			     irq_cb, &r);
	CHECK(!ret, "submit: %s", wd_strerror(ret));
	if (ret)
		goto out;
	printf("waiting\n");
	fflush(stdout);
	t0 = ms_now();
	ret = wd_comp_poll(c, 1, 60000);
	t = ms_now() - t0;
	CHECK(ret == WD_EIO && !r.done, "poll across a device error: %d (%s), %s",
	      ret, wd_strerror(ret), r.done ? "done" : "not done");
	printf("poll: %s (%d) after %llu ms\n", wd_strerror(ret), ret,
	       (unsigned long long)t);
	ret = wd_comp_poll(c, 1, 60000);
	CHECK(ret == WD_EIO, "second poll: %d (%s)", ret, wd_strerror(ret));
	printf("errored\n");
	fflush(stdout);
	while (!usr1)
		sigsuspend(&old);
out:
	wd_comp_close(c);
	if (failed)
		return failed;
	/* a fresh session, so a fresh queue: it works */
	c = hw_open(WD_FORMAT_GZIP, WD_DIR_COMPRESS);
	if (!c)
		return 1;
	memset(&r, 0, sizeof(r));
	wdt_fill(r.in, sizeof(r.in), WDT_FILL_MIXED, 10);
	ret = wd_comp_submit(c, r.in, sizeof(r.in), r.out, sizeof(r.out),
			     irq_cb, &r);
	CHECK(!ret, "submit on a new session: %s", wd_strerror(ret));
	if (!ret) {
		ret = wd_comp_poll(c, 1, 60000);
		CHECK(ret == 1 && r.done && !r.status, "new session: %d, %s", ret,
		      r.done ? wd_strerror(r.status) : "not done");
	}
	wd_comp_close(c);
	if (!failed)
		printf("irq-ras: a new session completed its request\n");
	return failed;
}

static struct wd_comp_sess *ctx_open(enum wd_comp_format f,
				     enum wd_comp_dir dir, struct wd_ctx *ctx,
				     int *ret)
{
	struct wd_comp_setup s = {
		.format = f, .dir = dir, .engine = WD_ENGINE_HW,
		.numa_node = -1, .ctx = ctx,
	};
	struct wd_comp_sess *sess = NULL;

	*ret = wd_comp_open(&sess, &s);
	return sess;
}

/* The one device with @n open instances, or NULL. */
static int dev_with_open(unsigned int n, char *name, size_t len)
{
	struct wd_dev_list *l;
	unsigned int i, j, k, hits = 0;

	if (wd_dev_scan(&l))
		return 0;
	for (i = 0; i < wd_dev_count(l); i++) {
		const struct wd_dev *d = wd_dev_get(l, i);

		for (j = k = 0; j < d->num_instances; j++)
			k += d->instances[j].open == 1;
		if (k == n) {
			snprintf(name, len, "%s", d->name);
			hits++;
		}
	}
	wd_dev_list_free(l);
	return hits;
}

static int do_twoq(void)
{
	static struct irq_req r[2][4];
	struct wd_comp_sess *s[2], *x;
	struct wd_ctx *ctx = NULL;
	unsigned int i, k, done[2] = { 0, 0 };
	char dev[WD_NAME_MAX] = "";
	int ret;

	ret = wd_ctx_new(&ctx);
	CHECK(!ret, "wd_ctx_new: %s", wd_strerror(ret));
	if (ret)
		return 1;
	s[0] = ctx_open(WD_FORMAT_GZIP, WD_DIR_COMPRESS, ctx, &ret);
	CHECK(!ret, "first session: %s", wd_strerror(ret));
	s[1] = ctx_open(WD_FORMAT_GZIP, WD_DIR_COMPRESS, ctx, &ret);
	CHECK(!ret, "second session: %s", wd_strerror(ret));
	if (failed)
		goto out;
	CHECK(dev_with_open(2, dev, sizeof(dev)) == 1,
	      "the two queues are not on one function");
	printf("two queues on %s\n", dev);
	/* a third queue there without the context: its memory collides */
	x = ctx_open(WD_FORMAT_GZIP, WD_DIR_COMPRESS, NULL, &ret);
	CHECK(!x && ret == WD_ENOMEM,
	      "a session without the context opened: %s", wd_strerror(ret));
	if (x)
		wd_comp_close(x);
	else
		printf("without the context: %s\n", wd_strerror(ret));
	/* requests on both queues at once */
	for (k = 0; k < 2; k++)
		for (i = 0; i < 4; i++) {
			wdt_fill(r[k][i].in, sizeof(r[k][i].in), WDT_FILL_MIXED,
				 100 * k + i + 1);
			ret = wd_comp_submit(s[k], r[k][i].in, sizeof(r[k][i].in),
					     r[k][i].out, sizeof(r[k][i].out),
					     irq_cb, &r[k][i]);
			CHECK(!ret, "submit %u/%u: %s", k, i, wd_strerror(ret));
		}
	while (!failed && (done[0] < 4 || done[1] < 4)) {
		for (k = 0; k < 2; k++) {
			if (done[k] == 4)
				continue;
			ret = wd_comp_poll(s[k], 4, 10000);
			CHECK(ret > 0, "poll %u: %s", k,
			      ret ? wd_strerror(ret) : "timed out");
			if (ret > 0)
				done[k] += (unsigned int)ret;
		}
	}
	if (!failed)
		printf("twoq: 4 requests on each queue, checked\n");
out:
	for (k = 0; k < 2; k++)
		if (s[k])
			wd_comp_close(s[k]);
	wd_ctx_free(ctx);
	return failed;
}

static int do_busy(const char *uuid)
{
	struct wd_queue_setup s = { .uuid = uuid, .numa_node = -1 };
	struct wd_queue *q = NULL;
	int ret = wd_queue_open(&q, &s);

	CHECK(ret == WD_EBUSY, "wd_queue_open(%s): %s, want %s", uuid,
	      wd_strerror(ret), wd_strerror(WD_EBUSY));
	if (!ret)
		wd_queue_close(q);
	else
		printf("busy: %s\n", wd_strerror(ret));
	return failed;
}

static int do_list(void)
{
	struct wd_dev_list *l;
	unsigned int i, j;
	int ret = wd_dev_scan(&l);

	if (ret) {
		printf("wd_dev_scan: %s\n", wd_strerror(ret));
		return 1;
	}
	for (i = 0; i < wd_dev_count(l); i++) {
		const struct wd_dev *d = wd_dev_get(l, i);

		printf("%s driver=%s api=%s flags=%#x node=%d avail=%d instances=%u\n",
		       d->name, d->driver, d->api, d->flags, d->numa_node,
		       d->available_instances, d->num_instances);
		for (j = 0; j < d->num_instances; j++)
			printf("  %s group=%d open=%d\n", d->instances[j].uuid,
			       d->instances[j].group, d->instances[j].open);
	}
	wd_dev_list_free(l);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "formats"))
		return do_formats(n ? n : 64);
	if (!strcmp(mode, "seccomp"))
		return do_seccomp(n ? (unsigned int)n : 10000);
	if (!strcmp(mode, "hold"))
		return do_hold(n ? (unsigned int)n : 10);
	if (!strcmp(mode, "irq"))
		return do_irq(n ? (unsigned int)n : 200);
	if (!strcmp(mode, "irq-hung"))
		return do_irq_hung(n ? (unsigned int)n : 500);
	if (!strcmp(mode, "irq-ras"))
		return do_irq_ras();
	if (!strcmp(mode, "twoq"))
		return do_twoq();
	if (!strcmp(mode, "busy") && argc > 2)
		return do_busy(argv[2]);
	if (!strcmp(mode, "list"))
		return do_list();
	fprintf(stderr, "usage: %s formats MAXMB | seccomp N | hold SECONDS | irq N |\n"
		"       irq-hung MS | irq-ras | twoq | busy UUID | list\n",
		argv[0]);
	return 2;
}
