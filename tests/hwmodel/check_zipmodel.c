// SPDX-License-Identifier: GPL-2.0
/*
 * check_zipmodel.c - fake bus and driver-sequence helpers for the model core
 * unit tests, and the test runner.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "check_zipmodel.h"

/* ---- fake bus ---------------------------------------------------------- */

static bool in_mem(struct tdev *d, uint64_t iova, size_t len)
{
	return iova >= T_MEM_BASE && iova - T_MEM_BASE <= d->mem_size &&
	       len <= d->mem_size - (iova - T_MEM_BASE);
}

static int fake_dma_read(void *opaque, uint64_t iova, void *buf, size_t len)
{
	struct tdev *d = opaque;
	int ret = 0;

	pthread_mutex_lock(&d->mem_lock);
	if (d->detached)
		d->late_calls++;
	if (in_mem(d, iova, len))
		memcpy(buf, d->mem + (iova - T_MEM_BASE), len);
	else
		ret = -EFAULT;
	pthread_mutex_unlock(&d->mem_lock);
	return ret;
}

static int fake_dma_write(void *opaque, uint64_t iova, const void *buf,
			  size_t len)
{
	struct tdev *d = opaque;
	int ret = 0;

	pthread_mutex_lock(&d->mem_lock);
	if (d->detached)
		d->late_calls++;
	if (in_mem(d, iova, len))
		memcpy(d->mem + (iova - T_MEM_BASE), buf, len);
	else
		ret = -EFAULT;
	pthread_mutex_unlock(&d->mem_lock);
	return ret;
}

static void fake_irq(void *opaque, unsigned int vector)
{
	struct tdev *d = opaque;

	pthread_mutex_lock(&d->mem_lock);
	if (d->detached)
		d->late_calls++;
	pthread_mutex_unlock(&d->mem_lock);
	pthread_mutex_lock(&d->irq_lock);
	if (vector < ZIPM_PF_VECTORS)
		d->irqs[vector]++;
	pthread_cond_broadcast(&d->irq_cv);
	pthread_mutex_unlock(&d->irq_lock);
}

static const struct zipm_bus_ops fake_ops = {
	.dma_read = fake_dma_read,
	.dma_write = fake_dma_write,
	.irq = fake_irq,
};

struct zipm *t_model(unsigned int num_vfs)
{
	struct zipm_params p = { .num_vfs = num_vfs, .engine_threads = 2 };
	struct zipm *m = zipm_new(&p);

	ck_assert_ptr_nonnull(m);
	return m;
}

void t_dev_init(struct tdev *d, struct zipm *m, unsigned int fn,
		size_t mem_size)
{
	memset(d, 0, sizeof(*d));
	pthread_mutex_init(&d->mem_lock, NULL);
	pthread_mutex_init(&d->irq_lock, NULL);
	pthread_cond_init(&d->irq_cv, NULL);
	d->mem_size = mem_size;
	d->mem = calloc(1, mem_size);
	ck_assert_ptr_nonnull(d->mem);
	d->m = m;
	d->fn = fn;
	d->f = zipm_attach(m, fn, &fake_ops, d);
	ck_assert_ptr_nonnull(d->f);
}

void t_reattach(struct tdev *d)
{
	pthread_mutex_lock(&d->mem_lock);
	d->detached = false;
	pthread_mutex_unlock(&d->mem_lock);
	d->f = zipm_attach(d->m, d->fn, &fake_ops, d);
	ck_assert_ptr_nonnull(d->f);
}

void t_dev_fini(struct tdev *d)
{
	if (d->f)
		zipm_detach(d->f);
	d->f = NULL;
	free(d->mem);
	d->mem = NULL;
}

uint64_t t_alloc(struct tdev *d, size_t size, size_t align)
{
	uint64_t at = (d->brk + align - 1) & ~(uint64_t)(align - 1);

	ck_assert_uint_le(at + size, d->mem_size);
	d->brk = at + size;
	return T_MEM_BASE + at;
}

void t_mem_write(struct tdev *d, uint64_t iova, const void *p, size_t n)
{
	ck_assert(in_mem(d, iova, n));
	pthread_mutex_lock(&d->mem_lock);
	memcpy(d->mem + (iova - T_MEM_BASE), p, n);
	pthread_mutex_unlock(&d->mem_lock);
}

void t_mem_read(struct tdev *d, uint64_t iova, void *p, size_t n)
{
	ck_assert(in_mem(d, iova, n));
	pthread_mutex_lock(&d->mem_lock);
	memcpy(p, d->mem + (iova - T_MEM_BASE), n);
	pthread_mutex_unlock(&d->mem_lock);
}

unsigned int t_irqs(struct tdev *d, unsigned int vec)
{
	unsigned int n;

	pthread_mutex_lock(&d->irq_lock);
	n = d->irqs[vec];
	pthread_mutex_unlock(&d->irq_lock);
	return n;
}

static void deadline_in(struct timespec *ts, unsigned int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

bool t_wait_irq(struct tdev *d, unsigned int vec, unsigned int count,
		unsigned int ms)
{
	struct timespec ts;
	bool ok;

	deadline_in(&ts, ms);
	pthread_mutex_lock(&d->irq_lock);
	while (d->irqs[vec] < count)
		if (pthread_cond_timedwait(&d->irq_cv, &d->irq_lock, &ts))
			break;
	ok = d->irqs[vec] >= count;
	pthread_mutex_unlock(&d->irq_lock);
	return ok;
}

/* ---- registers ---------------------------------------------------------- */

uint32_t t_r32(struct tdev *d, uint64_t off)
{
	uint8_t b[4];

	zipm_bar_read(d->f, ZIPM_REG_BAR, off, b, 4);
	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

void t_w32(struct tdev *d, uint64_t off, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };

	zipm_bar_write(d->f, ZIPM_REG_BAR, off, b, 4);
}

void t_w64(struct tdev *d, uint64_t off, uint64_t v)
{
	uint8_t b[8];
	unsigned int i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	zipm_bar_write(d->f, ZIPM_REG_BAR, off, b, 8);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* One 128-bit mailbox store, as the arm64 driver does it. */
uint16_t t_mb(struct tdev *d, unsigned int cmd, unsigned int qn,
	      uint64_t addr, bool read)
{
	uint8_t mb[16] = { 0 };
	uint8_t w0[2];

	ck_assert_uint_eq(t_r32(d, 0x300) & (1u << 13), 0);
	put16(mb, (uint16_t)(cmd | 1u << 13 | (read ? 1u << 14 : 0)));
	put16(mb + 2, (uint16_t)qn);
	put64(mb + 4, addr);
	zipm_bar_write(d->f, ZIPM_REG_BAR, 0x300, mb, 16);
	zipm_bar_read(d->f, ZIPM_REG_BAR, 0x300, w0, 2);
	return (uint16_t)(w0[0] | w0[1] << 8);
}

void t_db(struct tdev *d, unsigned int qn, unsigned int cmd, uint32_t idx,
	  unsigned int prio)
{
	uint64_t v = qn | (uint64_t)cmd << 12 | (uint64_t)idx << 32 |
		     (uint64_t)prio << 48;

	t_w64(d, cmd <= 1 ? 0x1000 : 0x2000, v);
}

/* ---- driver sequences ------------------------------------------------------ */

uint64_t t_vft_word(unsigned int base, unsigned int num)
{
	return (uint64_t)base << 28 | 1ull << 44 | (uint64_t)(num - 1) << 45;
}

static void poll_bit(struct tdev *d, uint64_t off)
{
	unsigned int i;

	for (i = 0; i < 100 && !(t_r32(d, off) & 1); i++)
		usleep(10);
	ck_assert_uint_eq(t_r32(d, off) & 1, 1);
}

void t_set_vft(struct tdev *pf, unsigned int fn, unsigned int base,
	       unsigned int num)
{
	unsigned int type;

	for (type = 0; type < 2; type++) {
		uint64_t w = type ? 1ull << 28 : t_vft_word(base, num);

		poll_bit(pf, 0x10006c);
		t_w32(pf, 0x100058, 0);
		t_w32(pf, 0x10005c, type);
		t_w32(pf, 0x100060, fn);
		t_w32(pf, 0x100064, (uint32_t)w);
		t_w32(pf, 0x100068, (uint32_t)(w >> 32));
		t_w32(pf, 0x10006c, 0);
		t_w32(pf, 0x100054, 1);
		poll_bit(pf, 0x10006c);
	}
}

void t_pf_setup(struct tdev *pf, unsigned int qbase, unsigned int qnum)
{
	t_w32(pf, 0x100088, 0x40001070);	/* AXUSER, as the driver does */
	t_w32(pf, 0x100050, 0x1833);
	t_w32(pf, 0x100040, 1);
	poll_bit(pf, 0x100044);
	t_set_vft(pf, 0, qbase, qnum);
	t_fn_start(pf);
}

static uint64_t ctx_buf(struct tdev *d, const uint8_t *ctx)
{
	uint64_t a = t_alloc(d, 32, 32);

	t_mem_write(d, a, ctx, 32);
	return a;
}

void t_fn_start(struct tdev *d)
{
	uint8_t c[32] = { 0 };

	d->eq = t_alloc(d, 4 * T_DEPTH, 32);
	d->aeq = t_alloc(d, 4 * T_DEPTH, 32);
	d->eq_phase = 1;
	d->aeq_phase = 1;
	put64(c + 4, d->eq);
	put32(c + 0x1c, (T_DEPTH - 1) | 1u << 16);
	ck_assert_uint_eq(t_mb(d, 2, 0, ctx_buf(d, c), false) & 0x3e00, 0);
	put64(c + 4, d->aeq);
	ck_assert_uint_eq(t_mb(d, 3, 0, ctx_buf(d, c), false) & 0x3e00, 0);
	ck_assert_uint_eq(t_mb(d, 4, 0, t_alloc(d, 32 * T_MAXQ, 32), false) &
			  0x3e00, 0);
	ck_assert_uint_eq(t_mb(d, 5, 0, t_alloc(d, 32 * T_MAXQ, 32), false) &
			  0x3e00, 0);
	t_w32(d, 0x00c, 0);
	t_w32(d, 0x004, 0);
}

void t_queue_start_ex(struct tdev *d, unsigned int qn, bool decomp,
		      uint32_t depth, uint32_t cq_depth, bool flag)
{
	struct tq *q = &d->q[qn];
	uint8_t c[32] = { 0 };

	ck_assert_uint_lt(qn, T_MAXQ);
	memset(q, 0, sizeof(*q));
	q->used = true;
	q->depth = depth;
	q->cq_depth = cq_depth;
	q->cq_phase = 1;
	q->flag = flag;
	q->sq = t_alloc(d, 128 * depth, 128);
	q->cq = t_alloc(d, 16 * cq_depth, 32);

	put64(c + 4, q->sq);
	put32(c + 0x0c, (depth - 1) | 7u << 12);
	put16(c + 0x18, (uint16_t)qn);
	put16(c + 0x1a, (uint16_t)(1u << 4 | (decomp ? 1u << 8 : 0)));
	ck_assert_uint_eq(t_mb(d, 0, qn, ctx_buf(d, c), false) & 0x3e00, 0);

	memset(c, 0, sizeof(c));
	put64(c + 4, q->cq);
	put32(c + 0x0c, (cq_depth - 1) | 4u << 12);
	put32(c + 0x18, 1 | (flag ? 2u : 0));
	ck_assert_uint_eq(t_mb(d, 1, qn, ctx_buf(d, c), false) & 0x3e00, 0);
}

void t_queue_start(struct tdev *d, unsigned int qn, bool decomp)
{
	t_queue_start_ex(d, qn, decomp, T_DEPTH, T_DEPTH, true);
}

void t_submit(struct tdev *d, unsigned int qn, const uint8_t *sqe)
{
	struct tq *q = &d->q[qn];

	t_mem_write(d, q->sq + 128ull * q->sq_tail, sqe, 128);
	q->sq_tail = (q->sq_tail + 1) % q->depth;
	t_db(d, qn, 0, q->sq_tail, 0);
}

/* Consume every valid EQE, as the driver's EQ handler does. */
void t_drain_eq(struct tdev *d)
{
	unsigned int n = 0;

	for (;;) {
		uint8_t e[4];
		uint32_t v;

		t_mem_read(d, d->eq + 4ull * d->eq_head, e, 4);
		v = get32(e);
		if (((v >> 16) & 1) != d->eq_phase)
			break;
		if ((v & 0xffff) < T_MAXQ)
			d->eqes[v & 0xffff]++;
		if (++d->eq_head == T_DEPTH) {
			d->eq_head = 0;
			d->eq_phase ^= 1;
		}
		n++;
	}
	if (n)
		t_db(d, 0, 2, d->eq_head, 0);
}

bool t_wait_cqe(struct tdev *d, unsigned int qn, unsigned int ms,
		uint16_t *sq_head)
{
	struct tq *q = &d->q[qn];
	unsigned int waited = 0;
	uint8_t e[16];

	for (;;) {
		t_mem_read(d, q->cq + 16ull * q->cq_head, e, 16);
		if ((e[14] & 1) == q->cq_phase)
			break;
		if (waited++ >= ms * 10)
			return false;
		usleep(100);
	}
	if (sq_head)
		*sq_head = (uint16_t)(e[8] | e[9] << 8);
	ck_assert_uint_eq(e[10] | e[11] << 8, qn);
	if (++q->cq_head == q->cq_depth) {
		q->cq_head = 0;
		q->cq_phase ^= 1;
	}
	t_db(d, qn, 1, q->cq_head, 0);
	if (q->flag)
		t_drain_eq(d);
	return true;
}

void t_fill_sqe(uint8_t *sqe, const struct treq *r)
{
	memset(sqe, 0, 128);
	put32(sqe + 4 * 4, r->in_len);
	put32(sqe + 4 * 7, r->dw7);
	put32(sqe + 4 * 9, r->type | r->dw9_extra);
	put32(sqe + 4 * 13, r->tag);
	put32(sqe + 4 * 14, r->dest_len);
	put64(sqe + 4 * 18, r->src);
	put64(sqe + 4 * 20, r->dst);
	put64(sqe + 4 * 22, r->ctx);
	put32(sqe + 4 * 30, r->isize);
	put32(sqe + 4 * 31, r->cksum);
}

void t_read_result(struct tdev *d, unsigned int qn, uint16_t idx,
		   struct treq *r)
{
	t_mem_read(d, d->q[qn].sq + 128ull * idx, r->sqe, 128);
	r->consumed = get32(r->sqe + 0);
	r->produced = get32(r->sqe + 4);
	r->dw3 = get32(r->sqe + 12);
	r->out_tag = get32(r->sqe + 4 * 13);
	r->ctx_dw0 = get32(r->sqe + 4 * 15);
	r->out_isize = get32(r->sqe + 4 * 30);
	r->out_cksum = get32(r->sqe + 4 * 31);
}

void t_run(struct tdev *d, unsigned int qn, struct treq *r)
{
	uint8_t sqe[128];
	uint16_t idx = (uint16_t)d->q[qn].sq_tail, head;

	t_fill_sqe(sqe, r);
	t_submit(d, qn, sqe);
	ck_assert_msg(t_wait_cqe(d, qn, 10000, &head), "no completion");
	ck_assert_uint_eq(head, idx);
	t_read_result(d, qn, head, r);
}

void t_std_pf(struct tdev *d, struct zipm **m)
{
	*m = t_model(0);
	t_dev_init(d, *m, 0, 64u << 20);
	t_pf_setup(d, 0, 64);
	t_queue_start(d, 0, false);
	t_queue_start(d, 1, true);
}

/* ---- data ---------------------------------------------------------------------- */

void t_gen_text(uint8_t *p, size_t n, unsigned int seed)
{
	static const char *const words[] = {
		"queue", "doorbell", "mailbox", "engine", "deflate", "the",
		"completion", "phase", "interrupt", "context", "of", "a",
		"stream", "buffer", "WarpDrive", "accelerator", "and", "to",
	};
	size_t i = 0;

	while (i < n) {
		const char *w;
		size_t l;

		seed = seed * 1103515245u + 12345u;
		w = words[(seed >> 16) % (sizeof(words) / sizeof(words[0]))];
		l = strlen(w);
		if (l > n - i)
			l = n - i;
		memcpy(p + i, w, l);
		i += l;
		if (i < n)
			p[i++] = (seed >> 8) % 13 ? ' ' : '\n';
	}
}

void t_gen_random(uint8_t *p, size_t n, unsigned int seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
	size_t i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)(x >> 24);
	}
}

size_t t_hdr_len(unsigned int type)
{
	return type == 2 ? 2 : type == 3 ? 10 : 0;
}

void t_put_hdr(unsigned int type, uint8_t *p)
{
	static const uint8_t gz[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };

	if (type == 2) {
		p[0] = 0x78;
		p[1] = 0x9c;
	} else if (type == 3) {
		memcpy(p, gz, sizeof(gz));
	}
}

static int wbits(unsigned int type)
{
	return type == 1 ? -15 : type == 2 ? 15 : 31;
}

size_t t_ref_compress(unsigned int type, const uint8_t *in, size_t n,
		      uint8_t *out, size_t cap)
{
	z_stream zs = { 0 };
	size_t len;

	ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, wbits(type), 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (uint8_t *)in;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	len = zs.total_out;
	deflateEnd(&zs);
	return len;
}

long t_ref_inflate(unsigned int type, const uint8_t *in, size_t n,
		   uint8_t *out, size_t cap)
{
	z_stream zs = { 0 };
	long len;
	int ret;

	if (inflateInit2(&zs, wbits(type)) != Z_OK)
		return -1;
	zs.next_in = (uint8_t *)in;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	ret = inflate(&zs, Z_FINISH);
	len = ret == Z_STREAM_END ? (long)zs.total_out : -1;
	inflateEnd(&zs);
	return len;
}

int main(void)
{
	SRunner *sr = srunner_create(qm_suite());
	int failed;

	srunner_add_suite(sr, zip_suite());
	srunner_add_suite(sr, fault_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
