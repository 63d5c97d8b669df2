// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's part for libwd on the in-process device model: a fake bus
 * (flat device memory), the PF start sequence of hisi_zip's QM, and per
 * queue the SQC/CQC mailbox commands of hisi_qm_start_qp() with the CQC's
 * interrupt flag off, as for a user queue. The sequences follow
 * tests/hwmodel/check_zipmodel.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wdmodel.h"

#define DEPTH		1024
#define RING_SIZE	(DEPTH * (128 + 16))
#define DMA_SIZE	(1024 * 1024)

static bool in_mem(struct wdm *d, uint64_t a, size_t len)
{
	return a >= WDM_BASE && a - WDM_BASE <= d->size &&
	       len <= d->size - (a - WDM_BASE);
}

static int bus_read(void *opaque, uint64_t a, void *buf, size_t len)
{
	struct wdm *d = opaque;
	int ret = -EFAULT;

	pthread_mutex_lock(&d->lock);
	if (in_mem(d, a, len)) {
		memcpy(buf, d->mem + (a - WDM_BASE), len);
		ret = 0;
	}
	pthread_mutex_unlock(&d->lock);
	return ret;
}

static int bus_write(void *opaque, uint64_t a, const void *buf, size_t len)
{
	struct wdm *d = opaque;
	int ret = -EFAULT;

	pthread_mutex_lock(&d->lock);
	if (in_mem(d, a, len)) {
		memcpy(d->mem + (a - WDM_BASE), buf, len);
		ret = 0;
	}
	pthread_mutex_unlock(&d->lock);
	return ret;
}

static void bus_irq(void *opaque, unsigned int vector)
{
}

static const struct zipm_bus_ops bus_ops = {
	.dma_read = bus_read,
	.dma_write = bus_write,
	.irq = bus_irq,
};

static uint64_t alloc(struct wdm *d, size_t size, size_t align)
{
	size_t at = (d->brk + align - 1) & ~(align - 1);

	if (at + size > d->size)
		return 0;
	d->brk = at + size;
	return WDM_BASE + at;
}

static void *ptr(struct wdm *d, uint64_t a)
{
	return d->mem + (a - WDM_BASE);
}

static void put(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t r32(struct wdm *d, uint64_t off)
{
	uint8_t b[4];

	zipm_bar_read(d->f, ZIPM_REG_BAR, off, b, 4);
	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

static void w32(struct wdm *d, uint64_t off, uint32_t v)
{
	uint8_t b[4];

	put(b, v, 4);
	zipm_bar_write(d->f, ZIPM_REG_BAR, off, b, 4);
}

static int poll1(struct wdm *d, uint64_t off)
{
	unsigned int i;

	for (i = 0; i < 1000 && !(r32(d, off) & 1); i++)
		usleep(10);
	return r32(d, off) & 1 ? 0 : -1;
}

/* One mailbox command with a 32-byte context at a fresh address. */
static int mb(struct wdm *d, unsigned int cmd, unsigned int qn,
	      const uint8_t *ctx)
{
	uint8_t m[16] = { 0 };
	uint64_t a = 0;

	if (ctx) {
		a = alloc(d, 32, 32);
		if (!a)
			return -1;
		pthread_mutex_lock(&d->lock);
		memcpy(ptr(d, a), ctx, 32);
		pthread_mutex_unlock(&d->lock);
	} else {
		a = alloc(d, 32 * 64, 32);
	}
	put(m, cmd | 1u << 13, 2);
	put(m + 2, qn, 2);
	put(m + 4, a, 8);
	zipm_bar_write(d->f, ZIPM_REG_BAR, 0x300, m, 16);
	return r32(d, 0x300) & 0x3e00 ? -1 : 0;
}

static int set_vft(struct wdm *d, unsigned int base, unsigned int num)
{
	unsigned int type;

	for (type = 0; type < 2; type++) {
		uint64_t w = type ? 1ull << 28 :
			     (uint64_t)base << 28 | 1ull << 44 |
			     (uint64_t)(num - 1) << 45;

		if (poll1(d, 0x10006c))
			return -1;
		w32(d, 0x100058, 0);
		w32(d, 0x10005c, type);
		w32(d, 0x100060, 0);
		w32(d, 0x100064, (uint32_t)w);
		w32(d, 0x100068, (uint32_t)(w >> 32));
		w32(d, 0x10006c, 0);
		w32(d, 0x100054, 1);
		if (poll1(d, 0x10006c))
			return -1;
	}
	return 0;
}

int wdm_init(struct wdm *d, size_t mem)
{
	struct zipm_params p = { .engine_threads = 2 };
	uint8_t c[32] = { 0 };
	uint64_t eq, aeq;

	memset(d, 0, sizeof(*d));
	pthread_mutex_init(&d->lock, NULL);
	d->size = mem;
	d->mem = calloc(1, mem);
	d->m = zipm_new(&p);
	if (!d->mem || !d->m)
		return -1;
	d->f = zipm_attach(d->m, 0, &bus_ops, d);
	if (!d->f)
		return -1;
	w32(d, 0x100088, 0x40001070);
	w32(d, 0x100050, 0x1833);
	w32(d, 0x100040, 1);
	if (poll1(d, 0x100044) || set_vft(d, 0, 64))
		return -1;
	eq = alloc(d, 4 * DEPTH, 32);
	aeq = alloc(d, 4 * DEPTH, 32);
	put(c + 4, eq, 8);
	put(c + 0x1c, (DEPTH - 1) | 1u << 16, 4);
	if (mb(d, 2, 0, c))
		return -1;
	put(c + 4, aeq, 8);
	if (mb(d, 3, 0, c) || mb(d, 4, 0, NULL) || mb(d, 5, 0, NULL))
		return -1;
	w32(d, 0x00c, 0);
	w32(d, 0x004, 0);
	return 0;
}

void wdm_fini(struct wdm *d)
{
	if (d->f)
		zipm_detach(d->f);
	if (d->m)
		zipm_free(d->m);
	free(d->mem);
	pthread_mutex_destroy(&d->lock);
	memset(d, 0, sizeof(*d));
}

static int program_sqc(struct wdm *d, unsigned int qn, uint64_t ring,
		       unsigned int alg)
{
	uint8_t c[32] = { 0 };

	put(c + 4, ring, 8);
	put(c + 0x0c, (DEPTH - 1) | 7u << 12, 4);
	put(c + 0x18, qn, 2);
	put(c + 0x1a, 1u << 4 | alg << 8, 2);
	return mb(d, 0, qn, c);
}

static void doorbell(void *opaque, uint64_t off, uint64_t val)
{
	struct wdm_queue *wq = opaque;
	uint8_t b[8];

	put(b, val, 8);
	zipm_bar_write(wq->d->f, ZIPM_REG_BAR, 0x1000 + off, b, 8);
}

static int set_alg(void *opaque, uint32_t qn, unsigned int alg)
{
	struct wdm_queue *wq = opaque;

	return program_sqc(wq->d, qn, wq->ring, alg) ? WD_EIO : WD_OK;
}

int wdm_queue_open(struct wdm *d, struct wdm_queue *wq, unsigned int qn)
{
	uint8_t c[32] = { 0 };
	uint64_t dma;

	memset(wq, 0, sizeof(*wq));
	wq->d = d;
	wq->qn = qn;
	wq->ring = alloc(d, RING_SIZE, 4096);
	dma = alloc(d, DMA_SIZE, 4096);
	if (!wq->ring || !dma || program_sqc(d, qn, wq->ring, 0))
		return WD_ENOMEM;
	put(c + 4, wq->ring + DEPTH * 128, 8);
	put(c + 0x0c, (DEPTH - 1) | 4u << 12, 4);
	put(c + 0x18, 1, 4);	/* phase 1; no EQEs for a user queue */
	if (mb(d, 1, qn, c))
		return WD_EIO;
	wq->t.api = "hisi_qm_v2";
	wq->t.queue_id = qn;
	wq->t.flags = WD_DEV_SHARED_MMIO | WD_DEV_NOIOMMU;
	wq->t.ring = ptr(d, wq->ring);
	wq->t.ring_size = RING_SIZE;
	wq->t.dma = ptr(d, dma);
	wq->t.dma_size = DMA_SIZE;
	wq->t.dma_addr = dma;
	wq->t.opaque = wq;
	wq->t.doorbell = doorbell;
	wq->t.set_alg = set_alg;
	return wd_queue_open_test(&wq->q, &wq->t);
}

void wdm_queue_close(struct wdm_queue *wq)
{
	wd_queue_close(wq->q);
	wq->q = NULL;
}

int wdm_fault(struct wdm *d, const char *cmd)
{
	char reply[256];

	return zipm_fault(d->m, cmd, reply, sizeof(reply));
}
