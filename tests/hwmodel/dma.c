// SPDX-License-Identifier: GPL-2.0
/*
 * dma.c - DMA map table of one vfio-user connection.
 *
 * Regions that come with an fd are mmap()ed once at map time, so a model
 * DMA is a memcpy under the read lock; unmap takes the write lock, which is
 * how "release all references before replying" is met. Regions without an
 * fd are forwarded to the client as messages *outside* the lock: holding it
 * across a round trip to QEMU could deadlock against an unmap that QEMU
 * sends while it holds its big lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dma.h"
#include "vfio_user.h"

void dma_init(struct dma_table *t, unsigned int max)
{
	memset(t, 0, sizeof(*t));
	pthread_rwlock_init(&t->lock, NULL);
	t->max = max;
}

static void region_release(struct dma_region *r)
{
	if (r->map_base)
		munmap(r->map_base, r->map_len);
}

void dma_unmap_all(struct dma_table *t)
{
	unsigned int i;

	pthread_rwlock_wrlock(&t->lock);
	for (i = 0; i < t->n; i++)
		region_release(&t->r[i]);
	t->n = 0;
	pthread_rwlock_unlock(&t->lock);
}

void dma_fini(struct dma_table *t)
{
	dma_unmap_all(t);
	free(t->r);
	t->r = NULL;
	t->cap = 0;
	pthread_rwlock_destroy(&t->lock);
}

/* Index of the first region that ends above @iova (may be t->n). */
static unsigned int find_slot(const struct dma_table *t, uint64_t iova)
{
	unsigned int lo = 0, hi = t->n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct dma_region *r = &t->r[mid];

		if (r->iova + r->size <= iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int map_fd(struct dma_region *r, uint64_t offset, int fd)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t skew = offset % (uint64_t)pg;
	int prot = 0;
	void *p;

	if (r->prot & VFU_DMA_READABLE)
		prot |= PROT_READ;
	if (r->prot & VFU_DMA_WRITABLE)
		prot |= PROT_WRITE;
	r->map_len = r->size + skew;
	p = mmap(NULL, r->map_len, prot ? prot : PROT_READ, MAP_SHARED, fd,
		 offset - skew);
	if (p == MAP_FAILED)
		return -errno;
	r->map_base = p;
	r->host = (uint8_t *)p + skew;
	return 0;
}

int dma_map(struct dma_table *t, uint64_t iova, uint64_t size,
	    uint64_t offset, uint32_t prot, int fd)
{
	struct dma_region r = { .iova = iova, .size = size, .prot = prot };
	unsigned int slot;
	int ret = 0;

	if (!size || iova + size < iova) {
		ret = -EINVAL;
		goto out_close;
	}
	if (fd >= 0) {
		ret = map_fd(&r, offset, fd);
		if (ret)
			goto out_close;
	}

	pthread_rwlock_wrlock(&t->lock);
	slot = find_slot(t, iova);
	if (slot < t->n && t->r[slot].iova < iova + size)
		ret = -EEXIST;
	else if (t->n >= t->max)
		ret = -ENOSPC;
	else if (t->n == t->cap) {
		unsigned int cap = t->cap ? 2 * t->cap : 16;
		struct dma_region *n = realloc(t->r, cap * sizeof(*n));

		if (!n) {
			ret = -ENOMEM;
		} else {
			t->r = n;
			t->cap = cap;
		}
	}
	if (!ret) {
		memmove(&t->r[slot + 1], &t->r[slot],
			(t->n - slot) * sizeof(r));
		t->r[slot] = r;
		t->n++;
	}
	pthread_rwlock_unlock(&t->lock);
	if (ret)
		region_release(&r);

out_close:
	if (fd >= 0)
		close(fd);	/* the mapping keeps the memory alive */
	return ret;
}

/*
 * Unmap every region that lies wholly inside [iova, iova + size). The range
 * need not match one map: behind a virtual IOMMU, QEMU sends one unmap per
 * IOTLB invalidation, and a guest that freed a whole page table (Linux 6.1's
 * VT-d driver does) invalidates, say, 2 MiB at once, covering hundreds of
 * 4 KiB maps. Like VFIO type1 v2, a range that would split a region is
 * refused and nothing is unmapped; a range holding no region is -ENOENT.
 */
int dma_unmap(struct dma_table *t, uint64_t iova, uint64_t size)
{
	uint64_t end = iova + size;
	unsigned int first, last, i;
	int ret = 0;

	if (!size || end < iova)
		return -EINVAL;
	pthread_rwlock_wrlock(&t->lock);
	first = find_slot(t, iova);
	for (last = first; last < t->n && t->r[last].iova < end; last++)
		if (t->r[last].iova < iova ||
		    t->r[last].iova + t->r[last].size > end)
			ret = -EINVAL;
	if (!ret && last == first)
		ret = -ENOENT;
	if (!ret) {
		for (i = first; i < last; i++)
			region_release(&t->r[i]);
		memmove(&t->r[first], &t->r[last],
			(t->n - last) * sizeof(t->r[0]));
		t->n -= last - first;
	}
	pthread_rwlock_unlock(&t->lock);
	return ret;
}

int dma_rw(struct dma_table *t, uint64_t iova, void *buf, size_t len,
	   bool write, dma_remote_fn remote, void *ctx)
{
	uint32_t need = write ? VFU_DMA_WRITABLE : VFU_DMA_READABLE;
	uint8_t *p = buf;

	while (len) {
		struct dma_region *r;
		unsigned int slot;
		size_t n;
		int ret;

		pthread_rwlock_rdlock(&t->lock);
		slot = find_slot(t, iova);
		r = slot < t->n ? &t->r[slot] : NULL;
		if (!r || r->iova > iova || !(r->prot & need)) {
			pthread_rwlock_unlock(&t->lock);
			return -EFAULT;
		}
		n = r->iova + r->size - iova;
		if (n > len)
			n = len;
		if (r->host) {
			uint8_t *h = r->host + (iova - r->iova);

			if (write)
				memcpy(h, p, n);
			else
				memcpy(p, h, n);
			pthread_rwlock_unlock(&t->lock);
		} else {
			pthread_rwlock_unlock(&t->lock);
			ret = remote(ctx, iova, p, n, write);
			if (ret)
				return ret;
		}
		iova += n;
		p += n;
		len -= n;
	}
	return 0;
}
