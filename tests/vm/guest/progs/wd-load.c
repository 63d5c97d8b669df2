// SPDX-License-Identifier: GPL-2.0
/*
 * wd-load - N processes x M threads on every hardware queue through libwd,
 * every result checked.
 *
 *   wd-load [-p PROCS] [-t THREADS] [-s SECONDS] [-S SEED] [-f FUNCS] [-k] [-c] [-o] [-E]
 *
 * sdmdev gives a function's instances to one process at a time (a function
 * is one tenant's, docs/sdmdev.md), so the processes take turns: FUNCS
 * tokens (default: every hisi_qm_v2 function present) go round the PROCS
 * processes; a process holding one opens hardware sessions on THREADS
 * threads, each its own queues (a compressing and a decompressing session),
 * runs a turn of requests, closes everything and passes the token on.
 * A turn's threads open their sessions at the same moment (a barrier).
 * Holding a token, a process must get the hardware: an open answering
 * WD_EAGAIN is retried for up to 5 s (another process may have spread
 * over more functions than its token), and with -E (one process: nobody
 * else wants the queues) it is an error at once.
 *
 * Requests: raw, zlib and gzip; 0 B to 1 MiB; one-shot, streaming in random
 * pieces, and async batches of up to 8; compressed output is inflated by
 * zlib and compared, decompression reads what zlib wrote, streams go round
 * trip through the hardware both ways.
 *
 * Afterwards: each process's locked memory (VmLck) is back to what it was
 * once its sessions are closed, and (parent) the FOLL_PIN pages held system
 * wide are back to the start. -k (fault runs, wd-faults-user.sh) counts
 * requests failing with a libwd error instead of failing the run, prints
 * them by error, and still fails on a wrong result reported as success;
 * -c (runs with corrupt output injected) counts those too, as "caught".
 * "wd-load: running" is printed when the first request has completed; -o
 * makes a process's first turn last to the end (no moment without queues
 * open, for faults injected from outside).
 * The seed (printed) makes each thread's sequence of requests repeatable.
 * Exit 0 when every check passed; each failure prints one line.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wd_comp.h"
#include "wd_dev.h"
#include "wdt-vfio.h"
#include "wdt-zref.h"

#define MAX_PROCS	16
#define MAX_THREADS	16
#define MAX_LEN		(1u << 20)
#define ASYNC_MAX	8
#define ASYNC_IN	(16u * 1024)
#define ASYNC_OUT	(48u * 1024)
#define NERR		8	/* error kinds counted with -k */

static const int err_codes[NERR] = {
	WD_EIO, WD_ETIMEDOUT, WD_EBADMSG, WD_ENOSPC, WD_EAGAIN, WD_EBUSY, WD_ENOMEM, 0,
};

/* Shared by every process (MAP_SHARED before fork). */
struct shared {
	/*
	 * FUNCS tokens handed out first come, first served: ticket N may go
	 * once fewer than FUNCS of the tickets before it are still out.
	 */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned long next_ticket, released;
	atomic_long requests, bytes, turns, failures, errors[NERR];
	atomic_long turns_of[MAX_PROCS];
	atomic_long wrong;	/* -c: results zlib or the comparison rejected */
	atomic_long open_retries;	/* wd_comp_open() answered WD_EAGAIN */
	atomic_bool running;	/* a request has completed */
};

struct opts {
	unsigned int procs, threads, funcs;
	double seconds;
	uint64_t seed;
	bool keep_going;	/* -k: libwd errors are counted, not failures */
	bool wrong_ok;		/* -c: so are wrong results (corrupt output injected) */
	bool one_turn;		/* -o: a process's turn lasts to the end */
	bool strict_open;	/* -E: WD_EAGAIN from an open is a failure */
};

struct thread {
	const struct opts *o;
	struct shared *sh;
	unsigned int proc, id, turn;
	double deadline;
	pthread_barrier_t *start;	/* the turn's threads open together */
	uint64_t rs;
	uint8_t *src, *z, *out;
	long requests;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* xorshift64 per thread */
static uint32_t rnd(struct thread *t)
{
	t->rs ^= t->rs << 13;
	t->rs ^= t->rs >> 7;
	t->rs ^= t->rs << 17;
	return (uint32_t)(t->rs >> 16);
}

#define FAIL(t, ...) do {						\
	printf("FAIL proc %u thread %u turn %u: ", (t)->proc, (t)->id, (t)->turn); \
	printf(__VA_ARGS__);						\
	printf("\n");							\
	fflush(stdout);							\
	atomic_fetch_add(&(t)->sh->failures, 1);			\
} while (0)

/*
 * A result that is not what went in: a failure, or with -c (the device
 * model corrupts output on purpose) a count; the line is printed anyway.
 */
#define WRONG(t, ...) do {						\
	if ((t)->o->wrong_ok) {						\
		printf("caught: ");					\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		atomic_fetch_add(&(t)->sh->wrong, 1);			\
	} else {							\
		FAIL(t, __VA_ARGS__);					\
	}								\
} while (0)

static const char *const fname[4] = { "", "raw", "zlib", "gzip" };

/*
 * A libwd call failed with @ret: with -k a counted error (the request
 * failed cleanly: a WD_E* code), else a failure. False ends the turn.
 */
static bool lib_error(struct thread *t, int ret, const char *what, enum wd_comp_format f,
		      size_t n)
{
	unsigned int i;

	if (!t->o->keep_going) {
		FAIL(t, "%s %s %zu B: %s", what, fname[f], n, wd_strerror(ret));
		return false;
	}
	for (i = 0; i < NERR - 1 && err_codes[i] != ret; i++)
		;
	atomic_fetch_add(&t->sh->errors[i], 1);
	if (i == NERR - 1)
		FAIL(t, "%s %s %zu B: unexpected error %d (%s)", what, fname[f], n, ret,
		     wd_strerror(ret));
	return false;
}

/* Sizes from 0 B to 1 MiB, most of them small. */
static size_t pick_size(struct thread *t)
{
	static const size_t sizes[] = { 0, 1, 100, 4096, 16384, 65536, 200000, MAX_LEN };
	unsigned int r = rnd(t) % 100;

	if (r < 50)
		return rnd(t) % 16385;
	if (r < 85)
		return sizes[rnd(t) % 6];
	return sizes[6 + rnd(t) % 2] - rnd(t) % 64;
}

static void count(struct thread *t, size_t n)
{
	t->requests++;
	if (!atomic_exchange(&t->sh->running, true))
		printf("wd-load: running\n");
	atomic_fetch_add(&t->sh->requests, 1);
	atomic_fetch_add(&t->sh->bytes, (long)n);
}

/* Compressed @zlen bytes must inflate to src[0..n). */
static bool check_inflate(struct thread *t, enum wd_comp_format f, size_t n, size_t zlen,
			  const char *what)
{
	long got = wdt_ref_inflate(f, t->z, zlen, t->out, MAX_LEN + 1);

	if (got != (long)n || memcmp(t->out, t->src, n)) {
		WRONG(t, "%s %s %zu B: %zu B out that zlib inflates to %ld B%s", what, fname[f], n,
		     zlen, got, got == (long)n ? " of other data" : "");
		return false;
	}
	return true;
}

static bool do_oneshot_compress(struct thread *t, struct wd_comp_sess *c,
				enum wd_comp_format f, size_t n)
{
	size_t zlen = wd_comp_bound(f, n);
	int ret = wd_comp_oneshot(c, t->src, n, t->z, &zlen);

	if (ret)
		return lib_error(t, ret, "one-shot compress", f, n);
	count(t, n);
	return check_inflate(t, f, n, zlen, "one-shot compress");
}

static bool do_oneshot_decompress(struct thread *t, struct wd_comp_sess *d,
				  enum wd_comp_format f, size_t n)
{
	size_t zlen = wdt_ref_deflate(f, 1 + rnd(t) % 9, t->src, n, t->z, wd_comp_bound(f, n),
				      NULL);
	size_t olen = MAX_LEN + 1;
	int ret;

	if (!zlen) {
		FAIL(t, "zlib could not deflate %zu B", n);
		return false;
	}
	ret = wd_comp_oneshot(d, t->z, zlen, t->out, &olen);
	if (ret)
		return lib_error(t, ret, "one-shot decompress", f, n);
	count(t, n);
	if (olen != n || memcmp(t->out, t->src, n)) {
		WRONG(t, "one-shot decompress %s %zu B: %zu B of %s", fname[f], n, olen,
		     olen == n ? "other data" : "output");
		return false;
	}
	return true;
}

/* Feed @in in random pieces through @s into @out; the stream's length or -1. */
static long stream_all(struct thread *t, struct wd_comp_sess *s, const uint8_t *in, size_t n,
		       uint8_t *out, size_t cap, bool compress, enum wd_comp_format f)
{
	struct wd_comp_buf b = { .next_in = in, .next_out = out, .avail_out = cap };
	size_t fed = 0;
	unsigned int idle = 0;
	int ret;

	wd_comp_reset(s);
	for (;;) {
		uint64_t before = b.total_in + b.total_out;
		size_t piece = 1 + rnd(t) % (rnd(t) % 2 ? 4096 : 300000);

		if (piece > n - fed)
			piece = n - fed;
		b.avail_in += piece;
		fed += piece;
		ret = wd_comp_stream(s, &b, compress && fed == n ? WD_FLUSH_FINISH : WD_FLUSH_NONE);
		if (ret == WD_STREAM_END)
			return (long)b.total_out;
		if (ret) {
			lib_error(t, ret, compress ? "stream compress" : "stream decompress", f, n);
			return -1;
		}
		if (fed == n && !compress && !b.avail_in) {
			/* all fed, stream not ended: only more output room could help */
			if (!b.avail_out) {
				FAIL(t, "stream decompress %s %zu B: no end in %zu B", fname[f], n,
				     cap);
				return -1;
			}
		}
		if (fed == n && compress && !b.avail_out) {
			FAIL(t, "stream compress %s %zu B: over %zu B", fname[f], n, cap);
			return -1;
		}
		idle = b.total_in + b.total_out == before ? idle + 1 : 0;
		if (idle > 100) {
			FAIL(t, "stream %s %s %zu B: no progress at %llu in, %llu out",
			     compress ? "compress" : "decompress", fname[f], n,
			     (unsigned long long)b.total_in, (unsigned long long)b.total_out);
			return -1;
		}
	}
}

/* Compress in pieces on @c, decompress that in pieces on @d, compare. */
static bool do_stream(struct thread *t, struct wd_comp_sess *c, struct wd_comp_sess *d,
		      enum wd_comp_format f, size_t n)
{
	long zlen, olen;

	zlen = stream_all(t, c, t->src, n, t->z, wd_comp_bound(f, MAX_LEN), true, f);
	if (zlen < 0)
		return false;
	count(t, n);
	if (!check_inflate(t, f, n, (size_t)zlen, "stream compress"))
		return false;
	olen = stream_all(t, d, t->z, (size_t)zlen, t->out, MAX_LEN + 1, false, f);
	if (olen < 0)
		return false;
	count(t, n);
	if (olen != (long)n || memcmp(t->out, t->src, n)) {
		WRONG(t, "stream round trip %s %zu B: %ld B back", fname[f], n, olen);
		return false;
	}
	return true;
}

struct areq {
	int status;
	size_t produced;
	bool done;
};

static void async_cb(void *opaque, int status, size_t consumed, size_t produced)
{
	struct areq *a = opaque;

	(void)consumed;
	a->status = status;
	a->produced = produced;
	a->done = true;
}

/* Up to ASYNC_MAX compressions of pieces of src in flight at once. */
static bool do_async(struct thread *t, struct wd_comp_sess *c, enum wd_comp_format f)
{
	struct areq a[ASYNC_MAX] = { { 0 } };
	size_t len[ASYNC_MAX];
	unsigned int i, k = 1 + rnd(t) % ASYNC_MAX, done = 0;
	bool ok = true;
	int ret;

	wd_comp_reset(c);
	for (i = 0; i < k; i++) {
		len[i] = rnd(t) % (ASYNC_IN + 1);
		ret = wd_comp_submit(c, t->src + i * ASYNC_IN, len[i], t->z + i * ASYNC_OUT,
				     ASYNC_OUT, async_cb, &a[i]);
		if (ret) {
			k = i;
			ok = lib_error(t, ret, "submit", f, len[i]);
			break;
		}
	}
	while (done < k) {
		/* as long as libwd waits for a synchronous request */
		ret = wd_comp_poll(c, ASYNC_MAX, 20000);
		if (ret <= 0) {
			if (ret == 0)
				ret = WD_ETIMEDOUT;
			lib_error(t, ret, "poll", f, 0);
			return false;
		}
		done += (unsigned int)ret;
	}
	for (i = 0; i < k; i++) {
		long got;

		if (!a[i].done) {
			FAIL(t, "async %u of %u: no callback", i, k);
			return false;
		}
		if (a[i].status) {
			ok = lib_error(t, a[i].status, "async compress", f, len[i]) && ok;
			continue;
		}
		count(t, len[i]);
		got = wdt_ref_inflate(f, t->z + i * ASYNC_OUT, a[i].produced, t->out, ASYNC_IN + 1);
		if (got != (long)len[i] || memcmp(t->out, t->src + i * ASYNC_IN, len[i])) {
			WRONG(t, "async compress %s %zu B: zlib inflates to %ld B", fname[f],
			      len[i], got);
			ok = false;
		}
	}
	return ok;
}

static int open_hw(struct thread *t, struct wd_comp_sess **s, enum wd_comp_format f,
		   enum wd_comp_dir dir)
{
	struct wd_comp_setup st = {
		.format = f, .dir = dir, .engine = WD_ENGINE_HW, .numa_node = -1,
	};
	unsigned int tries = 0;
	int ret;

	/*
	 * WD_EAGAIN: no queue free right now (another process's threads have
	 * spread over this function too): retry, as the API says, for up to
	 * 5 s; with -E a failure.
	 */
	while ((ret = wd_comp_open(s, &st)) == WD_EAGAIN && !t->o->strict_open &&
	       ++tries < 250) {
		atomic_fetch_add(&t->sh->open_retries, 1);
		usleep(20000);
	}
	if (ret) {
		FAIL(t, "wd_comp_open(%s, %s) while holding a token: %s", fname[f],
		     dir ? "decompress" : "compress", wd_strerror(ret));
		*s = NULL;
	}
	return ret;
}

/* One turn: both sessions on this thread's queues, requests until the turn ends. */
static void *turn_thread(void *arg)
{
	struct thread *t = arg;
	enum wd_comp_format f = (enum wd_comp_format)(1 + rnd(t) % 3);
	struct wd_comp_sess *c, *d;
	double end = now() + 1.0 + rnd(t) % 2000 / 1000.0;

	if (end > t->deadline || t->o->one_turn)
		end = t->deadline;
	pthread_barrier_wait(t->start);
	if (open_hw(t, &c, f, WD_DIR_COMPRESS))
		return NULL;
	if (open_hw(t, &d, f, WD_DIR_DECOMPRESS)) {
		wd_comp_close(c);
		return NULL;
	}
	do {
		size_t n = pick_size(t);
		unsigned int op = rnd(t) % 10;
		bool ok;

		wdt_fill(t->src, n > ASYNC_MAX * ASYNC_IN ? n : ASYNC_MAX * ASYNC_IN,
			 (enum wdt_fill_kind)(rnd(t) % 3), rnd(t));
		/* one-shot, streaming and async do not mix without a reset */
		if (wd_comp_reset(c) || wd_comp_reset(d)) {
			FAIL(t, "wd_comp_reset");
			break;
		}
		if (op < 3)
			ok = do_oneshot_compress(t, c, f, n);
		else if (op < 6)
			ok = do_oneshot_decompress(t, d, f, n);
		else if (op < 8)
			ok = do_stream(t, c, d, f, n);
		else
			ok = do_async(t, c, f);
		/* a failed call leaves the session for reset or close only: a
		 * session the device broke (a timeout) ends this thread's turn */
		if (!ok && (wd_comp_reset(c) || wd_comp_reset(d)))
			break;
	} while (now() < end);
	wd_comp_close(c);
	wd_comp_close(d);
	return NULL;
}

/* Wait for a token until @deadline (CLOCK_MONOTONIC seconds); false: none. */
static bool take_token(const struct opts *o, struct shared *sh, double deadline)
{
	struct timespec ts;
	unsigned long me;
	bool got;

	ts.tv_sec = (time_t)deadline;
	ts.tv_nsec = (long)((deadline - (double)ts.tv_sec) * 1e9);
	pthread_mutex_lock(&sh->lock);
	me = sh->next_ticket++;
	while (me >= sh->released + o->funcs &&
	       pthread_cond_timedwait(&sh->cond, &sh->lock, &ts) != ETIMEDOUT)
		;
	/* a ticket given up at the deadline is never released: the run is over */
	got = me < sh->released + o->funcs;
	pthread_mutex_unlock(&sh->lock);
	return got;
}

static void put_token(struct shared *sh)
{
	pthread_mutex_lock(&sh->lock);
	sh->released++;
	pthread_mutex_unlock(&sh->lock);
	pthread_cond_broadcast(&sh->cond);
}

static int run_proc(const struct opts *o, struct shared *sh, unsigned int proc)
{
	struct thread t[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	double deadline = now() + o->seconds;
	long lk0 = wdt_locked_kb();
	pthread_barrier_t start;
	unsigned int i, turn = 0;

	for (i = 0; i < o->threads; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].o = o;
		t[i].sh = sh;
		t[i].proc = proc;
		t[i].id = i;
		t[i].deadline = deadline;
		t[i].start = &start;
		t[i].src = malloc(MAX_LEN + 1);
		t[i].z = malloc(wd_comp_bound(WD_FORMAT_GZIP, MAX_LEN));
		t[i].out = malloc(MAX_LEN + 1);
		if (!t[i].src || !t[i].z || !t[i].out)
			return 1;
	}
	if (pthread_barrier_init(&start, NULL, o->threads))
		return 1;
	while (now() < deadline) {
		if (!take_token(o, sh, deadline))
			break;
		for (i = 0; i < o->threads; i++) {
			t[i].turn = turn;
			t[i].rs = (o->seed * 0x9e3779b97f4a7c15ULL + proc * 1000003ULL +
				   i * 10007ULL + turn * 101ULL) | 1;
			if (pthread_create(&tid[i], NULL, turn_thread, &t[i])) {
				printf("FAIL proc %u: pthread_create\n", proc);
				return 1;
			}
		}
		for (i = 0; i < o->threads; i++)
			pthread_join(tid[i], NULL);
		/* every session closed: nothing of ours pinned any more */
		if (wdt_locked_kb() != lk0) {
			printf("FAIL proc %u turn %u: VmLck %ld kB after closing, was %ld kB\n",
			       proc, turn, wdt_locked_kb(), lk0);
			atomic_fetch_add(&sh->failures, 1);
		}
		atomic_fetch_add(&sh->turns, 1);
		atomic_fetch_add(&sh->turns_of[proc], 1);
		turn++;
		put_token(sh);
	}
	pthread_barrier_destroy(&start);
	for (i = 0; i < o->threads; i++) {
		free(t[i].src);
		free(t[i].z);
		free(t[i].out);
	}
	return 0;
}

/* Process-shared lock and condition, the condition on CLOCK_MONOTONIC. */
static int shared_init(struct shared *sh)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;

	memset(sh, 0, sizeof(*sh));
	if (pthread_mutexattr_init(&ma) || pthread_condattr_init(&ca) ||
	    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED) ||
	    pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED) ||
	    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) ||
	    pthread_mutex_init(&sh->lock, &ma) || pthread_cond_init(&sh->cond, &ca))
		return -1;
	return 0;
}

static unsigned int count_functions(void)
{
	struct wd_dev_list *list;
	unsigned int i, n = 0;

	if (wd_dev_scan(&list))
		return 0;
	for (i = 0; i < wd_dev_count(list); i++)
		if (!strcmp(wd_dev_get(list, i)->api, "hisi_qm_v2"))
			n++;
	wd_dev_list_free(list);
	return n;
}

int main(int argc, char **argv)
{
	struct opts o = { .procs = 3, .threads = 3, .seconds = 60 };
	struct shared *sh;
	long pins0, pins1;
	unsigned int i;
	int c, bad = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	o.seed = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid();
	while ((c = getopt(argc, argv, "p:t:s:S:f:kcoE")) != -1) {
		switch (c) {
		case 'p': o.procs = (unsigned int)atoi(optarg); break;
		case 't': o.threads = (unsigned int)atoi(optarg); break;
		case 's': o.seconds = atof(optarg); break;
		case 'S': o.seed = strtoull(optarg, NULL, 0); break;
		case 'f': o.funcs = (unsigned int)atoi(optarg); break;
		case 'k': o.keep_going = true; break;
		case 'c': o.keep_going = o.wrong_ok = true; break;
		case 'o': o.one_turn = true; break;
		case 'E': o.strict_open = true; break;
		default:
			fprintf(stderr, "usage: %s [-p PROCS] [-t THREADS] [-s SECONDS] [-S SEED] "
				"[-f FUNCS] [-k] [-c] [-o] [-E]\n", argv[0]);
			return 2;
		}
	}
	if (!o.procs || o.procs > MAX_PROCS || !o.threads || o.threads > MAX_THREADS) {
		fprintf(stderr, "wd-load: 1..%d processes, 1..%d threads\n", MAX_PROCS,
			MAX_THREADS);
		return 2;
	}
	if (!o.funcs)
		o.funcs = count_functions();
	if (!o.funcs) {
		printf("FAIL no hisi_qm_v2 function\n");
		return 1;
	}
	printf("wd-load: %u processes x %u threads, %u function(s), %.0f s, seed %llu\n",
	       o.procs, o.threads, o.funcs, o.seconds, (unsigned long long)o.seed);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || shared_init(sh)) {
		perror("wd-load: shared state");
		return 1;
	}
	pins0 = wdt_pins_held();
	for (i = 0; i < o.procs; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(run_proc(&o, sh, i));
		if (pid < 0) {
			perror("fork");
			bad = 1;
		}
	}
	for (;;) {
		int status;
		pid_t pid = wait(&status);

		if (pid < 0)
			break;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("FAIL process %d: status %#x\n", (int)pid, status);
			bad = 1;
		}
	}
	pins1 = wdt_pins_held();
	printf("wd-load: %ld requests, %ld MiB, %ld turns (", atomic_load(&sh->requests),
	       atomic_load(&sh->bytes) >> 20, atomic_load(&sh->turns));
	for (i = 0; i < o.procs; i++)
		printf("%s%ld", i ? " " : "", atomic_load(&sh->turns_of[i]));
	printf(" per process), %ld opens retried after WD_EAGAIN\n",
	       atomic_load(&sh->open_retries));
	if (o.keep_going) {
		printf("wd-load: failed cleanly:");
		for (i = 0; i < NERR; i++)
			if (atomic_load(&sh->errors[i]))
				printf(" %s %ld", err_codes[i] ? wd_strerror(err_codes[i]) : "other",
				       atomic_load(&sh->errors[i]));
		printf("; wrong results caught: %ld\n", atomic_load(&sh->wrong));
	}
	for (i = 0; i < o.procs; i++)
		if (!atomic_load(&sh->turns_of[i])) {
			printf("FAIL process %u never had a turn on the hardware\n", i);
			bad = 1;
		}
	if (!atomic_load(&sh->requests)) {
		printf("FAIL no request completed\n");
		bad = 1;
	}
	if (pins1 != pins0) {
		printf("FAIL %ld FOLL_PIN pages still held after every process exited\n",
		       pins1 - pins0);
		bad = 1;
	}
	if (atomic_load(&sh->failures))
		bad = 1;
	printf("wd-load: %s (%ld failures)\n", bad ? "FAILED" : "ok", atomic_load(&sh->failures));
	return bad;
}
