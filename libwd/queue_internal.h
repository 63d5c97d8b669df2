/* SPDX-License-Identifier: GPL-2.0 */
/*
 * queue_internal.h - what wd_queue.c shares with the user drivers (drv/)
 * and the hardware compression engine.
 *
 * wd_queue.c owns set-up: choosing and opening an instance, VFIO, regions,
 * memory. A user driver (struct wd_drv, one per sysfs "api") owns the ring
 * protocol: where descriptors go, the doorbell format, how a completion is
 * recognised, and, for compression, how a request is written into a
 * descriptor and its result read back.
 */
#ifndef WD_QUEUE_INTERNAL_H
#define WD_QUEUE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "iova.h"

#include "wd_dev.h"
#include "wd_queue.h"

#define WD_QUEUE_MAX_SHARES	64

/* One hardware compression request, in the driver's neutral terms. */
struct wd_comp_msg {
	/* in */
	unsigned int format;	/* enum wd_comp_format */
	bool stateful;		/* part of a stream the device keeps state of */
	bool new_stream;	/* first request of that stream */
	bool finish;		/* compress: end the stream (else sync flush) */
	uint64_t src, dst, ctx;	/* device addresses */
	uint32_t in_len, out_cap;
	uint32_t tag;
	uint32_t isize, cksum;	/* stream totals carried between requests */
	/* out */
	int status;		/* WD_OK, WD_ENOSPC, WD_EBADMSG, WD_EIO, ... */
	bool end;		/* decompress: the stream (with trailer) ended */
	bool resend;		/* decompress: output full, send the rest again */
	uint32_t consumed, produced;
	unsigned int hw_status;	/* the device's own code, for messages */
};

struct wd_queue;

struct wd_drv {
	const char *api;
	size_t desc_size;
	/* Check the regions and set up ring state in q->drv_priv. */
	int (*init)(struct wd_queue *q);
	void (*exit)(struct wd_queue *q);
	int (*send)(struct wd_queue *q, const void *desc);
	int (*recv)(struct wd_queue *q, void *desc);
	/* A completion is waiting (wd_recv would succeed). */
	bool (*ready)(const struct wd_queue *q);
	/* Tell the kernel what the queue does (wd_queue_setup.alg). */
	int (*set_alg)(struct wd_queue *q, unsigned int alg);
	/* Compression; NULL when the device does not compress. */
	void (*comp_fill)(void *desc, const struct wd_comp_msg *m);
	void (*comp_parse)(const void *desc, struct wd_comp_msg *m);
};

/* The user drivers, by api. NULL when libwd has none for @api. */
const struct wd_drv *wd_drv_find(const char *api);
extern const struct wd_drv wd_drv_hisi_qm_v2;

/*
 * The unit tests play the kernel: they hand a queue its "regions" (memory
 * of an in-process device model) and take the doorbell stores and the
 * kernel's work instead of the MMIO page and ioctls.
 */
struct wd_queue_test {
	const char *api;
	uint32_t queue_id;
	uint32_t flags;			/* WD_DEV_* */
	void *ring;			/* SDMDEV_REGION_RING */
	size_t ring_size;
	void *dma;			/* SDMDEV_REGION_DMA */
	size_t dma_size;
	uint64_t dma_addr;
	void *opaque;
	/* a doorbell store of @val at @off in the MMIO region */
	void (*doorbell)(void *opaque, uint64_t off, uint64_t val);
	/* the parent driver's work for set_alg; 0 or a WD_E* code */
	int (*set_alg)(void *opaque, uint32_t queue_id, unsigned int alg);
};

int wd_queue_open_test(struct wd_queue **q, const struct wd_queue_test *t);

/* wd_queue.h's device context: one IOVA space per function. */
struct wd_ctx {
	pthread_mutex_t lock;	/* everything below */
	struct wd_iova_space **spaces;
	unsigned int nspaces;
};

/* The space of function @dev, made on first use; NULL without memory. */
struct wd_iova_space *wd_ctx_space_locked(struct wd_ctx *ctx, const char *dev,
					  uint64_t start, uint64_t end);

struct wd_share {
	uintptr_t va;
	uint64_t iova;
	size_t len;
	bool alloc;		/* from wd_mem_alloc: munmap at free */
};

struct wd_queue {
	const struct wd_drv *drv;
	void *drv_priv;			/* the ring protocol's state */
	unsigned int depth;		/* set by the driver's init */
	unsigned int inflight;		/* sent, not received */
	/* set-up */
	int container, group, device;
	uint32_t queue_id;
	unsigned int flags;		/* WD_DEV_* */
	unsigned int qflags;		/* WD_QUEUE_* */
	int numa_node;
	char api[32];
	char dev[WD_NAME_MAX];
	char uuid[WD_UUID_LEN + 1];
	bool created;			/* we created the instance */
	bool opened;			/* open_instance() succeeded */
	void *region[3];
	size_t region_size[3];
	bool region_mapped[3];		/* munmap at close */
	/* memory: the DMA region (no IOMMU) or the IOVA window */
	uint64_t dma_addr;
	uint64_t iova_start, iova_end;
	struct wd_ctx *ctx;		/* NULL: the queue's own space */
	struct wd_iova_space *space;	/* where its IOVAs come from */
	struct wd_iova_space own;
	uint8_t *page_used;		/* DMA region pages, no-IOMMU mode */
	size_t npages;
	struct wd_share share[WD_QUEUE_MAX_SHARES];
	unsigned int nshare;
	/* test mode */
	const struct wd_queue_test *test;
};

/* The doorbell store at @off of the MMIO region. */
static inline void wd_queue_doorbell(struct wd_queue *q, uint64_t off,
				     uint64_t val)
{
	if (__builtin_expect(q->test != NULL, 0)) {
		q->test->doorbell(q->test->opaque, off, val);
		return;
	}
	*(volatile uint64_t *)((char *)q->region[0] + off) = val;
}

/*
 * Barriers between memory the device reads (ring, buffers) and the
 * doorbell store, and between a completion seen and the data it covers.
 */
static inline void wd_wmb(void)
{
#if defined(__aarch64__)
	__asm__ __volatile__("dmb oshst" ::: "memory");
#elif defined(__x86_64__) || defined(__i386__)
	/* x86 keeps stores in order, uncached ones included */
	__asm__ __volatile__("" ::: "memory");
#else
	__sync_synchronize();
#endif
}

static inline void wd_rmb(void)
{
#if defined(__aarch64__)
	__asm__ __volatile__("dmb oshld" ::: "memory");
#elif defined(__x86_64__) || defined(__i386__)
	__asm__ __volatile__("" ::: "memory");
#else
	__sync_synchronize();
#endif
}

static inline void wd_cpu_relax(void)
{
#if defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#elif defined(__x86_64__) || defined(__i386__)
	__asm__ __volatile__("pause" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

#endif /* WD_QUEUE_INTERNAL_H */
