/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma.h - the client memory a vfio-user client has made visible to one
 * function (VFU_DMA_MAP), and access to it on behalf of the model.
 */
#ifndef WD_TESTS_DMA_H
#define WD_TESTS_DMA_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dma_region {
	uint64_t iova;
	uint64_t size;
	uint32_t prot;		/* VFU_DMA_READABLE | VFU_DMA_WRITABLE */
	uint8_t *host;		/* NULL: reachable only by messages */
	void *map_base;		/* what to munmap() */
	size_t map_len;
};

struct dma_table {
	pthread_rwlock_t lock;	/* readers: DMA in flight; writer: map/unmap */
	struct dma_region *r;	/* sorted by iova, never overlapping */
	unsigned int n, cap;
	unsigned int max;	/* limit announced to the client */
};

/*
 * Transfer to or from memory that has no fd: the server asks the client
 * with VFU_DMA_READ/WRITE. Called without the table lock held.
 */
typedef int (*dma_remote_fn)(void *ctx, uint64_t iova, void *buf, size_t len,
			     bool write);

void dma_init(struct dma_table *t, unsigned int max);
void dma_fini(struct dma_table *t);

/* @fd < 0: no fd came with the request. Takes ownership of @fd. */
int dma_map(struct dma_table *t, uint64_t iova, uint64_t size,
	    uint64_t offset, uint32_t prot, int fd);
int dma_unmap(struct dma_table *t, uint64_t iova, uint64_t size);
void dma_unmap_all(struct dma_table *t);

/* -EFAULT when any byte of the range is unmapped or lacks permission. */
int dma_rw(struct dma_table *t, uint64_t iova, void *buf, size_t len,
	   bool write, dma_remote_fn remote, void *ctx);

#endif /* WD_TESTS_DMA_H */
