/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wd_queue.h - WarpDrive queues: a hardware queue driven from user space.
 *
 * wd_queue_open() finds an sdmdev instance (wd_dev.h) whose api libwd has a
 * user driver for, opens it the VFIO way (group, container, device), maps
 * its doorbell page and rings, and returns a queue. From then on
 * wd_send()/wd_recv() move descriptors through the rings with plain loads
 * and stores: no system call, no lock, no allocation.
 *
 * Descriptors are the device's own ring entries (wd_queue_desc_size()
 * bytes), e.g. the 128-byte HiSilicon ZIP SQE for api "hisi_qm_v2"; the
 * device writes its results back into the descriptor, and wd_recv() copies
 * the completed one out. Buffers named in descriptors must be device
 * memory: from wd_mem_alloc(), or caller memory made reachable with
 * wd_mem_share() (IOMMU mode only); wd_mem_iova() gives the address the
 * device uses.
 *
 * Memory modes (wd_queue_flags()):
 *  - WD_DEV_NOIOMMU set: nothing translates the device's DMA; wd_mem_alloc()
 *    carves buffers from the instance's DMA region (hisi_zip: 1 MiB per
 *    queue), and opening needs CAP_SYS_RAWIO. wd_mem_share() is not offered.
 *  - clear: caller memory is mapped into the container (VFIO_IOMMU_MAP_DMA)
 *    and made reachable by the device (SDMDEV_MAP_DMA) inside the device's
 *    IOVA window; wd_mem_alloc() allocates pages and shares them.
 *
 * Waiting: wd_queue_wait() sleeps in the kernel (SDMDEV_WAIT) when the
 * device supports it (WD_DEV_WAIT) and the queue was not opened with
 * WD_QUEUE_POLL; otherwise it polls the ring.
 *
 * Device contexts: the instances of one function share its IOMMU domain,
 * so the device addresses of every queue a process has on a function must
 * come from one allocator, or two queues' memory collides there
 * (WD_EBUSY from wd_mem_alloc()/wd_mem_share()). A struct wd_ctx holds
 * that allocator for each function; pass the same one in the setup of
 * every queue a process opens (wd_comp_setup.ctx for sessions). Without
 * one (ctx NULL) a queue has an allocator of its own, which is right only
 * while it is the process's sole queue on its function.
 *
 * Errors: negative WD_E* codes (wd.h). Threads: a queue belongs to one
 * thread at a time; different queues may be used from different threads.
 * A context may be shared by queues used from different threads: it has a
 * lock of its own, taken only while memory is allocated, shared, freed or
 * unshared and at open and close, never by wd_send()/wd_recv(). The
 * library keeps no global state. A queue is not inherited by fork(): the
 * child has no mapping of it.
 */
#ifndef WD_QUEUE_H
#define WD_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "wd.h"

#ifdef __cplusplus
extern "C" {
#endif

enum wd_queue_flag {
	WD_QUEUE_CREATE = 1U << 0, /* no free instance: create one (root);
				    * its UUID ends "-77646175746f" and
				    * the last libwd closer removes it */
	WD_QUEUE_POLL = 1U << 1,   /* never sleep in the kernel */
	WD_QUEUE_SPREAD = 1U << 2, /* one of several queues for throughput:
				    * go where this process has the fewest */
};

struct wd_ctx;

struct wd_queue_setup {
	const char *api;	/* NULL: any api libwd drives */
	const char *dev;	/* NULL: any device; else its name (wd_dev.h) */
	const char *uuid;	/* NULL: any free instance; else this one */
	int numa_node;		/* -1: any; else that node's devices first */
	unsigned int flags;	/* WD_QUEUE_* */
	/*
	 * What the queue does, where the device needs to know before the
	 * first request. "hisi_qm_v2" (ZIP): 0 compress, 1 decompress;
	 * WD_EOPNOTSUPP when the kernel cannot set it.
	 */
	unsigned int alg;
	/* NULL, or the process's device context (above) */
	struct wd_ctx *ctx;
};

struct wd_queue;

/*
 * A device context for the queues of one process: WD_OK or WD_ENOMEM.
 * Free it after the last queue opened with it is closed.
 */
WD_API int wd_ctx_new(struct wd_ctx **ctx);
WD_API void wd_ctx_free(struct wd_ctx *ctx);

/*
 * Open a queue. Devices are tried nearest @numa_node first; then those no
 * other process owns (a function's instances belong to one process at a
 * time); then those where this process already has queues, most first
 * (leaving other functions to other processes), or with WD_QUEUE_SPREAD
 * fewest first (several queues used together for throughput spread over
 * the functions); then by most room. Free instances of all equally near
 * devices are tried before WD_QUEUE_CREATE makes one. Returns WD_ENODEV (no device with a known api),
 * WD_EAGAIN (devices exist, no instance could be had), WD_EPERM (no
 * permission for the VFIO group, or CAP_SYS_RAWIO missing in no-IOMMU
 * mode), WD_EBUSY (the instance named by uuid is in use).
 */
WD_API int wd_queue_open(struct wd_queue **q,
			 const struct wd_queue_setup *setup);
/* Close: requests still in flight are abandoned; shared memory unmapped. */
WD_API void wd_queue_close(struct wd_queue *q);

WD_API const char *wd_queue_api(const struct wd_queue *q);
WD_API const char *wd_queue_dev(const struct wd_queue *q);
WD_API const char *wd_queue_uuid(const struct wd_queue *q);
WD_API unsigned int wd_queue_flags(const struct wd_queue *q); /* WD_DEV_* */
WD_API int wd_queue_numa_node(const struct wd_queue *q);
/* Bytes in one descriptor, and how many can be in flight at once. */
WD_API size_t wd_queue_desc_size(const struct wd_queue *q);
WD_API unsigned int wd_queue_depth(const struct wd_queue *q);

/*
 * Device memory: page aligned, zeroed; NULL when none is left (in no-IOMMU
 * mode the DMA region is the limit, wd_queue_mem_size()).
 */
WD_API void *wd_mem_alloc(struct wd_queue *q, size_t len);
WD_API void wd_mem_free(struct wd_queue *q, void *p);
WD_API size_t wd_queue_mem_size(const struct wd_queue *q);
/*
 * Make caller memory reachable by the device (IOMMU mode; page aligned
 * address and length). WD_EOPNOTSUPP in no-IOMMU mode. Unshare before the
 * memory is freed; close unshares everything.
 */
WD_API int wd_mem_share(struct wd_queue *q, void *addr, size_t len);
WD_API int wd_mem_unshare(struct wd_queue *q, void *addr, size_t len);
/* The device address of [p, p + len), or WD_EINVAL if not device memory. */
WD_API int wd_mem_iova(const struct wd_queue *q, const void *p, size_t len,
		       uint64_t *iova);

/*
 * Put one descriptor on the ring and ring the doorbell. WD_EBUSY: the ring
 * is full (wd_recv() first). Never blocks, never enters the kernel.
 */
WD_API int wd_send(struct wd_queue *q, const void *desc);
/*
 * Take one completed descriptor, in completion order, into @desc.
 * WD_EAGAIN: nothing has completed. Never blocks, never enters the kernel.
 */
WD_API int wd_recv(struct wd_queue *q, void *desc);
/* Requests sent and not yet received. */
WD_API unsigned int wd_queue_inflight(const struct wd_queue *q);
/*
 * Wait until wd_recv() has something, up to @timeout_ms (0: just test,
 * -1: forever). WD_OK, WD_ETIMEDOUT, WD_EAGAIN (nothing in flight).
 * Polls without system calls when @timeout_ms is 0 or -1 in polling mode.
 */
WD_API int wd_queue_wait(struct wd_queue *q, int timeout_ms);
/*
 * Sync helper: send @desc, wait for a completion and receive it into
 * @desc. The queue must have nothing else in flight (WD_EBUSY).
 */
WD_API int wd_queue_sync(struct wd_queue *q, void *desc, int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* WD_QUEUE_H */
