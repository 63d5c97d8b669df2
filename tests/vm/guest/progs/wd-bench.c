// SPDX-License-Identifier: GPL-2.0
/*
 * wd-bench - the VM bench's measurements of one compression request on
 * hisi_zip: through libwd's queue (descriptor into the ring, doorbell,
 * wait, descriptor out; the payload copied into device memory and the
 * result out again, as wd_comp_oneshot() does), and through the kernel's
 * acomp API, one ioctl of tests/vm/guest/kmod/wd_acomp_bench.ko per
 * request. Numbers, not checks: tests/bench/run collects them.
 *
 *   wd-bench rate SIZE QUEUES poll|irq SECONDS
 *       one thread per queue, each sending raw-deflate requests of SIZE
 *       bytes one at a time for SECONDS; prints requests/s and MB/s
 *   wd-bench acomp SIZE ALG SECONDS
 *       the same payloads through the acomp algorithm ALG (e.g.
 *       hisi-deflate-acomp), one WD_ACOMP_BENCH_RUN ioctl per request
 *   wd-bench syscalls SIZE poll|irq|acomp:ALG N
 *       a child does N requests while this process traces it with
 *       PTRACE_SYSCALL and counts its system calls between two markers
 *       (getppid), which bracket exactly the request loop
 *   wd-bench maxq
 *       how many queues of one function this process can open at once
 *
 * poll: the queue is opened with WD_QUEUE_POLL, so wd_queue_wait() spins on
 * the completion queue; irq: without it, so wd_queue_wait() sleeps in
 * SDMDEV_WAIT until the completion interrupt. Each worker checks its first
 * and last result with zlib's inflate. Exit 0 unless something failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "queue_internal.h"
#include "wd_acomp_bench.h"
#include "wd_comp.h"
#include "wdt-zref.h"

#define MAX_QUEUES	64
#define MAX_SIZE	(64u * 1024)
#define OUT_CAP		(MAX_SIZE * 2)

struct worker {
	struct wd_queue *q;
	uint8_t *in, *out;	/* device memory */
	uint64_t in_iova, out_iova;
	const uint8_t *payload;
	uint8_t *result;
	size_t size;
	unsigned long done;
	size_t produced;
	int err;
	pthread_t thread;
};

static atomic_int go, stop;

/* Words with random stretches (wdt-zref.h): compresses, but not to nothing. */
static void fill(uint8_t *p, size_t n)
{
	wdt_fill(p, n, WDT_FILL_MIXED, 8);
}

static bool inflate_ok(const uint8_t *z, size_t zlen, const uint8_t *want,
		       size_t n)
{
	static _Thread_local uint8_t back[MAX_SIZE + 1];

	return wdt_ref_inflate(WD_FORMAT_RAW, z, zlen, back, sizeof(back)) ==
	       (long)n && !memcmp(back, want, n);
}

static int worker_open(struct worker *w, bool poll, size_t size,
		       const uint8_t *payload)
{
	struct wd_queue_setup qs = {
		.numa_node = -1,
		.flags = WD_QUEUE_CREATE | (poll ? WD_QUEUE_POLL : 0),
		.alg = 0,	/* compress */
	};
	int ret;

	memset(w, 0, sizeof(*w));
	ret = wd_queue_open(&w->q, &qs);
	if (ret)
		return ret;
	if (!w->q->drv->comp_fill || !w->q->drv->comp_parse) {
		ret = WD_EOPNOTSUPP;
		goto err;
	}
	w->in = wd_mem_alloc(w->q, MAX_SIZE);
	w->out = wd_mem_alloc(w->q, OUT_CAP);
	if (!w->in || !w->out) {
		ret = WD_ENOMEM;
		goto err;
	}
	ret = wd_mem_iova(w->q, w->in, MAX_SIZE, &w->in_iova);
	if (!ret)
		ret = wd_mem_iova(w->q, w->out, OUT_CAP, &w->out_iova);
	if (ret)
		goto err;
	w->result = malloc(OUT_CAP);
	if (!w->result) {
		ret = WD_ENOMEM;
		goto err;
	}
	w->payload = payload;
	w->size = size;
	return WD_OK;
err:
	wd_queue_close(w->q);
	w->q = NULL;
	return ret;
}

static void worker_close(struct worker *w)
{
	if (!w->q)
		return;
	wd_mem_free(w->q, w->in);
	wd_mem_free(w->q, w->out);
	wd_queue_close(w->q);
	free(w->result);
	w->q = NULL;
}

/*
 * One request, as wd_comp_oneshot() makes it for raw deflate up to 128 KiB:
 * copy in, one stateless descriptor, wait, take the descriptor back, copy
 * the output out.
 */
static int one_request(struct worker *w)
{
	uint8_t desc[128];
	struct wd_comp_msg m = {
		.format = WD_FORMAT_RAW,
		.src = w->in_iova,
		.dst = w->out_iova,
		.in_len = (uint32_t)w->size,
		.out_cap = OUT_CAP,
	};
	int ret;

	memcpy(w->in, w->payload, w->size);
	w->q->drv->comp_fill(desc, &m);
	ret = wd_send(w->q, desc);
	if (ret)
		return ret;
	do {
		ret = wd_queue_wait(w->q, -1);
		if (ret)
			return ret;
	} while (wd_recv(w->q, desc));
	w->q->drv->comp_parse(desc, &m);
	if (m.status)
		return m.status;
	if (m.consumed != w->size || m.produced > OUT_CAP)
		return WD_EIO;
	memcpy(w->result, w->out, m.produced);
	w->produced = m.produced;
	return WD_OK;
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;

	w->err = one_request(w);
	if (!w->err && !inflate_ok(w->result, w->produced, w->payload, w->size))
		w->err = WD_EBADMSG;
	while (!atomic_load(&go))
		;
	while (!w->err && !atomic_load_explicit(&stop, memory_order_relaxed)) {
		w->err = one_request(w);
		w->done++;
	}
	if (!w->err && !inflate_ok(w->result, w->produced, w->payload, w->size))
		w->err = WD_EBADMSG;
	return NULL;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static size_t parse_size(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (*end == 'k' || *end == 'K')
		v *= 1024;
	return v;
}

static int do_rate(size_t size, unsigned int nq, bool poll, double seconds)
{
	static struct worker w[MAX_QUEUES];
	static uint8_t payload[MAX_SIZE];
	unsigned long total = 0;
	double t0, t;
	unsigned int i, n;
	size_t zsum = 0;
	int ret = 0;

	fill(payload, size);
	for (n = 0; n < nq; n++) {
		ret = worker_open(&w[n], poll, size, payload);
		if (ret) {
			fprintf(stderr, "queue %u: %s\n", n + 1, wd_strerror(ret));
			goto out;
		}
	}
	for (i = 0; i < nq; i++)
		if (pthread_create(&w[i].thread, NULL, worker_run, &w[i])) {
			fprintf(stderr, "pthread_create failed\n");
			atomic_store(&stop, 1);
			atomic_store(&go, 1);
			nq = i;
			ret = 1;
			break;
		}
	t0 = now_s();
	atomic_store(&go, 1);
	if (!ret)
		usleep((useconds_t)(seconds * 1e6));
	atomic_store(&stop, 1);
	for (i = 0; i < nq; i++) {
		pthread_join(w[i].thread, NULL);
		total += w[i].done;
		zsum += w[i].produced;
		if (w[i].err) {
			fprintf(stderr, "queue %u: %s\n", i + 1,
				wd_strerror(w[i].err));
			ret = 1;
		}
	}
	t = now_s() - t0;
	if (!ret)
		printf("hw %s size=%zu queues=%u requests=%lu seconds=%.2f req/s=%.0f MB/s=%.2f ratio=%.2f\n",
		       poll ? "poll" : "irq", size, nq, total, t, total / t,
		       total * (double)size / t / 1e6,
		       (double)size * nq / (double)zsum);
out:
	for (i = 0; i < n; i++)
		worker_close(&w[i]);
	return ret ? 1 : 0;
}

/* ---- the kernel acomp path --------------------------------------------------- */

static int acomp_open(const char *alg, char *driver, size_t len)
{
	struct wd_acomp_bench_bind b = { 0 };
	int fd = open("/dev/" WD_ACOMP_BENCH_NAME, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "/dev/%s: %s\n", WD_ACOMP_BENCH_NAME,
			strerror(errno));
		return -1;
	}
	snprintf(b.alg, sizeof(b.alg), "%s", alg);
	if (ioctl(fd, WD_ACOMP_BENCH_BIND, &b)) {
		fprintf(stderr, "bind %s: %s\n", alg, strerror(errno));
		close(fd);
		return -1;
	}
	snprintf(driver, len, "%.*s", (int)sizeof(b.driver), b.driver);
	return fd;
}

static int acomp_request(int fd, const uint8_t *payload, size_t size,
			 uint8_t *out, size_t *produced)
{
	struct wd_acomp_bench_req r = {
		.src = (uintptr_t)payload,
		.dst = (uintptr_t)out,
		.src_len = (uint32_t)size,
		.dst_len = OUT_CAP,
	};

	if (ioctl(fd, WD_ACOMP_BENCH_RUN, &r))
		return -errno;
	*produced = r.dst_len;
	return 0;
}

static int do_acomp(size_t size, const char *alg, double seconds)
{
	static uint8_t payload[MAX_SIZE], out[OUT_CAP];
	unsigned long n = 0;
	char driver[64];
	size_t produced = 0;
	double t0, t;
	int fd, ret = 0;

	fill(payload, size);
	fd = acomp_open(alg, driver, sizeof(driver));
	if (fd < 0)
		return 1;
	t0 = now_s();
	do {
		ret = acomp_request(fd, payload, size, out, &produced);
		if (!n && !ret && !inflate_ok(out, produced, payload, size))
			ret = -EBADMSG;
		n++;
		/* the clock read is a vDSO call, but only every 64 requests */
	} while (!ret && ((n & 63) || now_s() - t0 < seconds));
	t = now_s() - t0;
	close(fd);
	if (!ret && !inflate_ok(out, produced, payload, size))
		ret = -EBADMSG;
	if (ret) {
		fprintf(stderr, "acomp %s: %s\n", alg, strerror(-ret));
		return 1;
	}
	printf("acomp %s (%s) size=%zu queues=1 requests=%lu seconds=%.2f req/s=%.0f MB/s=%.2f ratio=%.2f\n",
	       alg, driver, size, n, t, n / t, n * (double)size / t / 1e6,
	       (double)size / (double)produced);
	return 0;
}

/* ---- system calls per request ------------------------------------------------ */

static void marker(void)
{
	syscall(SYS_getppid);
}

/* The traced child: set up, then N requests between two markers. */
static void syscall_child(size_t size, const char *mode, unsigned long n)
{
	static uint8_t payload[MAX_SIZE], out[OUT_CAP];
	static struct worker w;
	unsigned long i;
	size_t produced;
	int fd = -1, ret;
	char driver[64];

	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
		_exit(10);
	raise(SIGSTOP);
	fill(payload, size);
	if (!strncmp(mode, "acomp:", 6)) {
		fd = acomp_open(mode + 6, driver, sizeof(driver));
		if (fd < 0)
			_exit(11);
	} else if (worker_open(&w, !strcmp(mode, "poll"), size, payload)) {
		_exit(11);
	}
	/* warm up: first touches of memory and libraries happen here */
	for (i = 0; i < 8; i++) {
		ret = fd >= 0 ? acomp_request(fd, payload, size, out, &produced) :
				one_request(&w);
		if (ret)
			_exit(12);
	}
	marker();
	for (i = 0; i < n; i++) {
		ret = fd >= 0 ? acomp_request(fd, payload, size, out, &produced) :
				one_request(&w);
		if (ret)
			break;
	}
	marker();
	if (fd >= 0)
		close(fd);
	else
		worker_close(&w);
	_exit(ret ? 13 : 0);
}

static const char *sc_name(long nr)
{
	switch (nr) {
	case SYS_ioctl: return "ioctl";
	case SYS_clock_gettime: return "clock_gettime";
	case SYS_futex: return "futex";
	case SYS_sched_yield: return "sched_yield";
	case SYS_nanosleep: return "nanosleep";
	case SYS_write: return "write";
	case SYS_mmap: return "mmap";
	case SYS_munmap: return "munmap";
	case SYS_brk: return "brk";
	default: return NULL;
	}
}

static int do_syscalls(size_t size, const char *mode, unsigned long n)
{
	struct __ptrace_syscall_info info;
	long nrs[16] = { 0 };
	unsigned long cnt[16] = { 0 }, total = 0;
	unsigned int kinds = 0, markers = 0, i;
	int status, sig = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid)
		syscall_child(size, mode, n);
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status)) {
		fprintf(stderr, "child did not stop\n");
		return 1;
	}
	ptrace(PTRACE_SETOPTIONS, pid, NULL,
	       (void *)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL));
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)sig))
			break;
		sig = 0;
		if (waitpid(pid, &status, 0) != pid)
			break;
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		if (WSTOPSIG(status) != (SIGTRAP | 0x80)) {
			sig = WSTOPSIG(status);	/* deliver it */
			if (sig == SIGSTOP || sig == SIGTRAP)
				sig = 0;
			continue;
		}
		if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(info),
			   &info) <= 0 || info.op != PTRACE_SYSCALL_INFO_ENTRY)
			continue;
		if ((long)info.entry.nr == SYS_getppid) {
			markers++;
			continue;
		}
		if (markers != 1)
			continue;
		total++;
		for (i = 0; i < kinds && nrs[i] != (long)info.entry.nr; i++)
			;
		if (i == kinds && kinds < 16)
			nrs[kinds++] = (long)info.entry.nr;
		if (i < 16)
			cnt[i]++;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) || markers != 2) {
		fprintf(stderr, "traced child failed (status %#x, %u markers)\n",
			status, markers);
		return 1;
	}
	printf("syscalls %s size=%zu requests=%lu syscalls=%lu per-request=%.3f",
	       mode, size, n, total, (double)total / (double)n);
	for (i = 0; i < kinds; i++) {
		const char *s = sc_name(nrs[i]);

		if (s)
			printf(" %s:%lu", s, cnt[i]);
		else
			printf(" nr%ld:%lu", nrs[i], cnt[i]);
	}
	printf("\n");
	return 0;
}

static int do_maxq(void)
{
	static struct worker w[MAX_QUEUES];
	static uint8_t payload[64];
	unsigned int n, i;
	int ret = 0;

	for (n = 0; n < MAX_QUEUES; n++) {
		ret = worker_open(&w[n], true, 1, payload);
		if (ret)
			break;
	}
	printf("maxq %u%s%s\n", n, ret ? " stopped by: " : " (the program's limit)",
	       ret ? wd_strerror(ret) : "");
	for (i = 0; i < n; i++)
		worker_close(&w[i]);
	return n ? 0 : 1;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: wd-bench rate SIZE QUEUES poll|irq SECONDS\n"
		"       wd-bench acomp SIZE ALG SECONDS\n"
		"       wd-bench syscalls SIZE poll|irq|acomp:ALG N\n"
		"       wd-bench maxq\n");
	return 2;
}

int main(int argc, char **argv)
{
	size_t size = argc > 2 ? parse_size(argv[2]) : 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "maxq"))
		return do_maxq();
	if (argc != 6 && argc != 5)
		return usage();
	if (!size || size > MAX_SIZE) {
		fprintf(stderr, "SIZE: 1 to %u bytes\n", MAX_SIZE);
		return 2;
	}
	if (argc == 6 && !strcmp(argv[1], "rate")) {
		unsigned int nq = (unsigned int)atoi(argv[3]);

		if (!nq || nq > MAX_QUEUES ||
		    (strcmp(argv[4], "poll") && strcmp(argv[4], "irq")))
			return usage();
		return do_rate(size, nq, !strcmp(argv[4], "poll"),
			       atof(argv[5]));
	}
	if (argc == 5 && !strcmp(argv[1], "acomp"))
		return do_acomp(size, argv[3], atof(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "syscalls") &&
	    (!strcmp(argv[3], "poll") || !strcmp(argv[3], "irq") ||
	     !strncmp(argv[3], "acomp:", 6)))
		return do_syscalls(size, argv[3], strtoul(argv[4], NULL, 0));
	return usage();
}
