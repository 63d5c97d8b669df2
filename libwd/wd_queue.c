// SPDX-License-Identifier: GPL-2.0
/*
 * Queues (wd_queue.h): choosing an sdmdev instance, VFIO set-up, regions,
 * device memory, and the calls that hand descriptors to the user driver.
 *
 * Set-up may block and make system calls; wd_send(), wd_recv() and
 * wd_queue_wait() in polling mode make none.
 */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>
#include <misc/sdmdev.h>

#include "queue_internal.h"
#include "sysfs.h"

#define WD_PAGE_SIZE	4096UL

static const struct wd_drv *const wd_drivers[] = {
	&wd_drv_hisi_qm_v2,
};

const struct wd_drv *wd_drv_find(const char *api)
{
	size_t i;

	if (!api)
		return NULL;
	for (i = 0; i < sizeof(wd_drivers) / sizeof(wd_drivers[0]); i++)
		if (!strcmp(wd_drivers[i]->api, api))
			return wd_drivers[i];
	return NULL;
}

static struct wd_queue *queue_new(void)
{
	struct wd_queue *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->container = -1;
	q->group = -1;
	q->device = -1;
	q->numa_node = -1;
	return q;
}

/* ---- device memory ------------------------------------------------------- */

static int mem_init_dma_region(struct wd_queue *q)
{
	size_t size = q->region_size[SDMDEV_REGION_DMA];

	if (!q->region[SDMDEV_REGION_DMA] || !size)
		return WD_OK;	/* no buffers: wd_mem_alloc() says NULL */
	q->npages = size / WD_PAGE_SIZE;
	q->page_used = calloc(q->npages ? q->npages : 1, 1);
	return q->page_used ? WD_OK : WD_ENOMEM;
}

static bool iommu_mode(const struct wd_queue *q)
{
	return !(q->flags & WD_DEV_NOIOMMU);
}

static struct wd_share *share_find(const struct wd_queue *q, uintptr_t va,
				   size_t len)
{
	unsigned int i;

	for (i = 0; i < q->nshare; i++) {
		const struct wd_share *s = &q->share[i];

		if (va >= s->va && len <= s->len && va - s->va <= s->len - len)
			return (struct wd_share *)s;
	}
	return NULL;
}

/*
 * The queue's IOVA space, bound at first use: by then wd_queue_open() has
 * named the queue's device, the key of the context's spaces.
 */
static struct wd_iova_space *space_get_locked(struct wd_queue *q)
{
	if (q->space)
		return q->space;
	if (q->ctx && q->dev[0])
		q->space = wd_ctx_space_locked(q->ctx, q->dev, q->iova_start,
					       q->iova_end);
	else
		q->space = &q->own;	/* no context, or no device name */
	return q->space;
}

static void space_lock(struct wd_queue *q)
{
	if (q->ctx)
		pthread_mutex_lock(&q->ctx->lock);
}

static void space_unlock(struct wd_queue *q)
{
	if (q->ctx)
		pthread_mutex_unlock(&q->ctx->lock);
}

static int iova_get(struct wd_queue *q, uint64_t len, uint64_t *iova)
{
	struct wd_iova_space *s;
	int ret = WD_ENOMEM;

	space_lock(q);
	s = space_get_locked(q);
	if (s)
		ret = wd_iova_alloc(s, len, iova);
	space_unlock(q);
	return ret;
}

static void iova_put(struct wd_queue *q, uint64_t iova)
{
	space_lock(q);
	if (q->space)
		wd_iova_free(q->space, iova);
	space_unlock(q);
}

static int share_map(struct wd_queue *q, void *addr, size_t len, bool alloc)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
	};
	struct sdmdev_dma_map dmap = { .argsz = sizeof(dmap) };
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
	struct wd_share *s;
	uint64_t iova;
	int ret;

	if (!iommu_mode(q) || q->test)
		return WD_EOPNOTSUPP;
	if (((uintptr_t)addr | len) & (WD_PAGE_SIZE - 1) || !len)
		return WD_EINVAL;
	if (q->nshare == WD_QUEUE_MAX_SHARES)
		return WD_ENOMEM;
	ret = iova_get(q, len, &iova);
	if (ret)
		return ret;	/* the window is used up */
	map.iova = iova;
	map.vaddr = (uintptr_t)addr;
	map.size = len;
	if (ioctl(q->container, VFIO_IOMMU_MAP_DMA, &map)) {
		ret = wd_errno_status(errno);
		iova_put(q, map.iova);
		return ret;
	}
	dmap.iova = map.iova;
	dmap.size = len;
	if (ioctl(q->device, SDMDEV_MAP_DMA, &dmap)) {
		/* EEXIST: another queue of the function, without our ctx */
		ret = errno == EEXIST ? WD_EBUSY : wd_errno_status(errno);
		unmap.iova = map.iova;
		unmap.size = len;
		ioctl(q->container, VFIO_IOMMU_UNMAP_DMA, &unmap);
		iova_put(q, map.iova);
		return ret;
	}
	s = &q->share[q->nshare++];
	s->va = (uintptr_t)addr;
	s->iova = map.iova;
	s->len = len;
	s->alloc = alloc;
	return WD_OK;
}

static void share_unmap(struct wd_queue *q, struct wd_share *s)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap), .iova = s->iova, .size = s->len,
	};

	/* sdmdev unmaps from the device and unpins before this returns */
	ioctl(q->container, VFIO_IOMMU_UNMAP_DMA, &unmap);
	iova_put(q, s->iova);
	if (s->alloc)
		munmap((void *)s->va, s->len);
	*s = q->share[--q->nshare];
}

void *wd_mem_alloc(struct wd_queue *q, size_t len)
{
	size_t n, i, j;
	void *p;

	if (!q || !len)
		return NULL;
	n = (len + WD_PAGE_SIZE - 1) / WD_PAGE_SIZE;
	if (iommu_mode(q) && !q->test) {
		p = mmap(NULL, n * WD_PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		if (share_map(q, p, n * WD_PAGE_SIZE, true)) {
			munmap(p, n * WD_PAGE_SIZE);
			return NULL;
		}
		return p;
	}
	/* first fit over the DMA region's pages; page_used marks run heads */
	for (i = 0; i + n <= q->npages; i++) {
		for (j = 0; j < n && !q->page_used[i + j]; j++)
			;
		if (j < n) {
			i += j;
			continue;
		}
		q->page_used[i] = 2;	/* head of a run */
		for (j = 1; j < n; j++)
			q->page_used[i + j] = 1;
		p = (char *)q->region[SDMDEV_REGION_DMA] + i * WD_PAGE_SIZE;
		memset(p, 0, n * WD_PAGE_SIZE);
		return p;
	}
	return NULL;
}

void wd_mem_free(struct wd_queue *q, void *p)
{
	uintptr_t base;
	size_t i;
	struct wd_share *s;

	if (!q || !p)
		return;
	if (iommu_mode(q) && !q->test) {
		s = share_find(q, (uintptr_t)p, 1);
		if (s && s->alloc && s->va == (uintptr_t)p)
			share_unmap(q, s);
		return;
	}
	base = (uintptr_t)q->region[SDMDEV_REGION_DMA];
	if ((uintptr_t)p < base || ((uintptr_t)p - base) % WD_PAGE_SIZE)
		return;
	i = ((uintptr_t)p - base) / WD_PAGE_SIZE;
	if (i >= q->npages || q->page_used[i] != 2)
		return;
	q->page_used[i++] = 0;
	while (i < q->npages && q->page_used[i] == 1)
		q->page_used[i++] = 0;
}

size_t wd_queue_mem_size(const struct wd_queue *q)
{
	if (!q)
		return 0;
	if (iommu_mode(q) && !q->test)
		return q->iova_end > q->iova_start ?
		       (size_t)(q->iova_end - q->iova_start + 1) : 0;
	return q->npages * WD_PAGE_SIZE;
}

int wd_mem_share(struct wd_queue *q, void *addr, size_t len)
{
	if (!q || !addr)
		return WD_EINVAL;
	return share_map(q, addr, len, false);
}

int wd_mem_unshare(struct wd_queue *q, void *addr, size_t len)
{
	struct wd_share *s;

	if (!q || !addr)
		return WD_EINVAL;
	s = share_find(q, (uintptr_t)addr, len);
	if (!s || s->va != (uintptr_t)addr || s->len != len || s->alloc)
		return WD_EINVAL;
	share_unmap(q, s);
	return WD_OK;
}

int wd_mem_iova(const struct wd_queue *q, const void *p, size_t len,
		uint64_t *iova)
{
	const struct wd_share *s;
	uintptr_t base, va = (uintptr_t)p;

	if (!q || !p || !iova)
		return WD_EINVAL;
	if (iommu_mode(q) && !q->test) {
		s = share_find(q, va, len);
		if (!s)
			return WD_EINVAL;
		*iova = s->iova + (va - s->va);
		return WD_OK;
	}
	base = (uintptr_t)q->region[SDMDEV_REGION_DMA];
	if (!base || va < base || len > q->region_size[SDMDEV_REGION_DMA] ||
	    va - base > q->region_size[SDMDEV_REGION_DMA] - len)
		return WD_EINVAL;
	*iova = q->dma_addr + (va - base);
	return WD_OK;
}

/* ---- VFIO set-up ------------------------------------------------------------ */

static int vfio_open_device(struct wd_queue *q, const char *uuid)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[64];
	int g, ret;

	g = wd_sysfs_instance_group(uuid);
	if (g < 0)
		return g == WD_ENOENT ? WD_ENOENT : g;
	q->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (q->container < 0)
		return wd_errno_status(errno);
	if (ioctl(q->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
	    ioctl(q->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) != 1)
		return WD_ENODEV;
	snprintf(path, sizeof(path), "/dev/vfio/%d", g);
	q->group = open(path, O_RDWR | O_CLOEXEC);
	if (q->group < 0)
		return wd_errno_status(errno);	/* EBUSY: someone has it */
	if (ioctl(q->group, VFIO_GROUP_GET_STATUS, &status))
		return wd_errno_status(errno);
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		return WD_EBUSY;
	if (ioctl(q->group, VFIO_GROUP_SET_CONTAINER, &q->container) ||
	    ioctl(q->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return wd_errno_status(errno);
	ret = ioctl(q->group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	if (ret < 0)
		return wd_errno_status(errno);
	q->device = ret;
	return WD_OK;
}

static int map_regions(struct wd_queue *q)
{
	unsigned int i;

	for (i = 0; i < SDMDEV_NUM_REGIONS; i++) {
		struct vfio_region_info r = { .argsz = sizeof(r), .index = i };
		size_t len;
		void *p;

		if (ioctl(q->device, VFIO_DEVICE_GET_REGION_INFO, &r))
			return wd_errno_status(errno);
		if (!r.size || !(r.flags & VFIO_REGION_INFO_FLAG_MMAP))
			continue;
		/* DMA memory is the no-IOMMU fallback (and needs RAWIO) */
		if (i == SDMDEV_REGION_DMA && iommu_mode(q))
			continue;
		len = (r.size + WD_PAGE_SIZE - 1) & ~(WD_PAGE_SIZE - 1);
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
			 q->device, (off_t)r.offset);
		if (p == MAP_FAILED)
			return wd_errno_status(errno);
		q->region[i] = p;
		q->region_size[i] = r.size;
		q->region_mapped[i] = true;
	}
	return WD_OK;
}

static void queue_release(struct wd_queue *q)
{
	unsigned int i;

	while (q->nshare)
		share_unmap(q, &q->share[q->nshare - 1]);
	if (q->drv_priv && q->drv)
		q->drv->exit(q);
	for (i = 0; i < SDMDEV_NUM_REGIONS; i++)
		if (q->region_mapped[i])
			munmap(q->region[i], (q->region_size[i] + WD_PAGE_SIZE - 1) &
			       ~(WD_PAGE_SIZE - 1));
	if (q->device >= 0)
		close(q->device);
	if (q->group >= 0)
		close(q->group);
	if (q->container >= 0)
		close(q->container);
	/*
	 * Only a real user's close removes an automatic instance (refused,
	 * EBUSY, while another process has it: that one removes it); a failed
	 * open must not take one from under the process that just made it.
	 */
	if (q->created || (q->opened && wd_uuid_is_auto(q->uuid)))
		wd_dev_remove_instance(q->uuid);
	wd_iova_fini(&q->own);
	free(q->page_used);
	free(q);
}

/* Open one instance into a fresh queue. */
static int open_instance(struct wd_queue **qp, const char *uuid,
			 const struct wd_queue_setup *setup)
{
	struct sdmdev_info info = { .argsz = sizeof(info) };
	struct wd_queue *q = queue_new();
	int ret;

	if (!q)
		return WD_ENOMEM;
	snprintf(q->uuid, sizeof(q->uuid), "%s", uuid);
	q->qflags = setup->flags;
	q->ctx = setup->ctx;
	ret = vfio_open_device(q, uuid);
	if (ret)
		goto fail;
	if (ioctl(q->device, SDMDEV_GET_INFO, &info)) {
		ret = wd_errno_status(errno);
		goto fail;
	}
	info.api[sizeof(info.api) - 1] = '\0';
	q->drv = wd_drv_find(info.api);
	if (!q->drv) {
		ret = WD_ENODEV;
		goto fail;
	}
	snprintf(q->api, sizeof(q->api), "%s", info.api);
	q->flags = info.flags;
	q->queue_id = info.queue_id;
	q->numa_node = info.numa_node;
	q->dma_addr = info.dma_addr;
	if (info.argsz >= sizeof(info)) {
		q->iova_start = info.iova_start;
		q->iova_end = info.iova_end;
	}
	wd_iova_init(&q->own, "", q->iova_start, q->iova_end);
	ret = map_regions(q);
	if (!ret)
		ret = mem_init_dma_region(q);
	if (!ret)
		ret = q->drv->init(q);
	if (!ret && setup->alg)
		ret = q->drv->set_alg(q, setup->alg);
	if (ret)
		goto fail;
	q->opened = true;
	*qp = q;
	return WD_OK;
fail:
	queue_release(q);
	return ret;
}

/* Is the instance still there? Others remove theirs at any time. */
static bool instance_exists(const char *uuid)
{
	char rel[WD_UUID_LEN + 32], path[PATH_MAX];

	snprintf(rel, sizeof(rel), "bus/sdmdev/devices/%s", uuid);
	return !wd_sysfs_path(path, sizeof(path), rel) && !access(path, F_OK);
}

/* ---- choosing an instance -------------------------------------------------- */

static bool dev_usable(const struct wd_dev *d, const struct wd_queue_setup *s)
{
	if (!wd_drv_find(d->api))
		return false;
	if (s->api && strcmp(s->api, d->api))
		return false;
	return !s->dev || !strcmp(s->dev, d->name);
}

/* A device as queue_acquire() weighs it. */
struct dev_choice {
	const struct wd_dev *d;
	bool far;		/* not on the caller's NUMA node */
	bool foreign;		/* another process owns the function */
	unsigned int mine;	/* queues this process has open on it */
	int room;		/* free instances plus ones that may be made */
};

/*
 * The parent's owner (sysfs "owner", 0 when none) decides whose the
 * function is: its instances belong to one process at a time.
 */
static long dev_owner(const struct wd_dev *d)
{
	char rel[WD_NAME_MAX + 32], path[PATH_MAX];
	long owner;

	snprintf(rel, sizeof(rel), "class/sdmdev/%s/owner", d->name);
	if (wd_sysfs_path(path, sizeof(path), rel) ||
	    wd_sysfs_read_long(path, &owner))
		owner = 0;
	return owner;
}

static void dev_weigh(struct dev_choice *c, const struct wd_dev *d, int node)
{
	unsigned int i, open = 0, free_inst = 0;
	long owner = dev_owner(d);

	c->d = d;
	c->far = node >= 0 && d->numa_node != node;
	for (i = 0; i < d->num_instances; i++) {
		if (d->instances[i].open == 1)
			open++;
		else
			free_inst++;
	}
	c->foreign = owner > 0 && owner != (long)getpid();
	c->mine = owner > 0 && !c->foreign ? open : 0;
	c->room = (int)free_inst + (d->available_instances > 0 ?
				    d->available_instances : 0);
}

/*
 * Nearer devices first; then those this process can have at all; then
 * those where it has the most queues (it keeps to its functions) or, with
 * WD_QUEUE_SPREAD, the fewest (several queues used together, wd-zip -p N,
 * spread over the functions); then more room.
 */
static int dev_rank_cmp(const struct dev_choice *a, const struct dev_choice *b,
			bool spread)
{
	if (a->far != b->far)
		return a->far - b->far;
	if (a->foreign != b->foreign)
		return a->foreign - b->foreign;
	if (a->mine != b->mine)
		return (a->mine < b->mine) == spread ? -1 : 1;
	return b->room - a->room;
}

/* An existing free instance of @d. */
static int try_instances(struct wd_queue **qp, const struct wd_dev *d,
			 const struct wd_queue_setup *s, int *last)
{
	unsigned int i;
	int ret;

	for (i = 0; i < d->num_instances; i++) {
		if (d->instances[i].open == 1)
			continue;
		ret = open_instance(qp, d->instances[i].uuid, s);
		if (!ret)
			return WD_OK;
		/* gone since the scan: as good as taken (WD_EAGAIN in the end) */
		if (!instance_exists(d->instances[i].uuid))
			ret = WD_EBUSY;
		*last = ret;
	}
	return *last;
}

/*
 * A new instance on @d, removed again when the queue closes.
 *
 * Between its creation and our open, the instance is free for anyone to
 * take: another thread of this process scanning at that moment opens it
 * (the VFIO group is exclusive, so our open fails with WD_EBUSY). That
 * thread has its queue then; make another instance for us. Each retry
 * follows someone else's success, and they are bounded. WD_EBUSY on a
 * function another process owns is final.
 */
#define WD_CREATE_TRIES	16

static int try_create(struct wd_queue **qp, const struct wd_dev *d,
		      const struct wd_queue_setup *s, int *last)
{
	char uuid[WD_UUID_LEN + 1];
	unsigned int tries;
	long owner;
	int ret;

	if (!(s->flags & WD_QUEUE_CREATE) || d->available_instances <= 0)
		return *last;
	for (tries = 0; tries < WD_CREATE_TRIES; tries++) {
		ret = wd_auto_uuid(uuid);
		if (!ret)
			ret = wd_dev_create_instance(d->name, uuid, uuid);
		if (ret)
			return *last = ret;
		ret = open_instance(qp, uuid, s);
		if (!ret) {
			(*qp)->created = true;
			return WD_OK;
		}
		/* refused while the one who took it has it open: theirs to remove */
		wd_dev_remove_instance(uuid);
		*last = ret;
		if (ret != WD_EBUSY)
			break;
		owner = dev_owner(d);
		if (owner > 0 && owner != (long)getpid())
			break;
	}
	return *last;
}

static int queue_acquire(struct wd_queue **qp, const struct wd_queue_setup *s)
{
	struct dev_choice *order, c;
	struct wd_dev_list *l;
	unsigned int n = 0, i, j, k, pass;
	int ret, last = WD_EAGAIN;

	ret = wd_dev_scan(&l);
	if (ret)
		return ret;
	order = calloc(wd_dev_count(l) + 1, sizeof(*order));
	if (!order) {
		wd_dev_list_free(l);
		return WD_ENOMEM;
	}
	for (i = 0; i < wd_dev_count(l); i++) {
		const struct wd_dev *d = wd_dev_get(l, i);

		if (!dev_usable(d, s))
			continue;
		dev_weigh(&c, d, s->numa_node);
		/* insertion sort: a handful of devices */
		for (j = n; j > 0 && dev_rank_cmp(&c, &order[j - 1],
						  s->flags & WD_QUEUE_SPREAD) < 0;
		     j--)
			order[j] = order[j - 1];
		order[j] = c;
		n++;
	}
	ret = n ? WD_EAGAIN : WD_ENODEV;
	/*
	 * Per NUMA class (near, then far): free instances of every device
	 * before making new ones, so that threads opening queues at the same
	 * time take the instances that exist rather than creating more.
	 */
	for (i = 0; i < n && ret; i = j) {
		for (j = i; j < n && order[j].far == order[i].far; j++)
			;
		for (pass = 0; pass < 2 && ret; pass++) {
			for (k = i; k < j; k++) {
				ret = pass ? try_create(qp, order[k].d, s, &last) :
				      try_instances(qp, order[k].d, s, &last);
				if (!ret)
					break;
			}
		}
	}
	/* EBUSY from one instance means "taken": to the caller, none free */
	if (ret == WD_EBUSY)
		ret = WD_EAGAIN;
	if (!ret)
		snprintf((*qp)->dev, sizeof((*qp)->dev), "%s", order[k].d->name);
	free(order);
	wd_dev_list_free(l);
	return ret;
}

int wd_queue_open(struct wd_queue **qp, const struct wd_queue_setup *setup)
{
	struct wd_dev_list *l;
	const struct wd_dev *d;
	unsigned int i, j;
	int ret;

	if (!qp || !setup || setup->numa_node < -1)
		return WD_EINVAL;
	if (!setup->uuid)
		return queue_acquire(qp, setup);

	/* a named instance: find its device for the name, then open it */
	ret = open_instance(qp, setup->uuid, setup);
	if (ret)
		return ret;
	if (!wd_dev_scan(&l)) {
		for (i = 0; i < wd_dev_count(l); i++) {
			d = wd_dev_get(l, i);
			for (j = 0; j < d->num_instances; j++)
				if (!strcmp(d->instances[j].uuid, setup->uuid))
					snprintf((*qp)->dev, sizeof((*qp)->dev),
						 "%s", d->name);
		}
		wd_dev_list_free(l);
	}
	return WD_OK;
}

int wd_queue_open_test(struct wd_queue **qp, const struct wd_queue_test *t)
{
	struct wd_queue *q = queue_new();
	int ret;

	if (!q)
		return WD_ENOMEM;
	q->test = t;
	q->drv = wd_drv_find(t->api);
	if (!q->drv) {
		free(q);
		return WD_ENODEV;
	}
	snprintf(q->api, sizeof(q->api), "%s", t->api);
	snprintf(q->dev, sizeof(q->dev), "model");
	q->flags = t->flags;
	q->queue_id = t->queue_id;
	q->qflags = WD_QUEUE_POLL;
	q->region[SDMDEV_REGION_RING] = t->ring;
	q->region_size[SDMDEV_REGION_RING] = t->ring_size;
	q->region[SDMDEV_REGION_DMA] = t->dma;
	q->region_size[SDMDEV_REGION_DMA] = t->dma_size;
	q->dma_addr = t->dma_addr;
	ret = mem_init_dma_region(q);
	if (!ret)
		ret = q->drv->init(q);
	if (ret) {
		queue_release(q);
		return ret;
	}
	*qp = q;
	return WD_OK;
}

void wd_queue_close(struct wd_queue *q)
{
	if (q)
		queue_release(q);
}

/* ---- accessors ----------------------------------------------------------------- */

const char *wd_queue_api(const struct wd_queue *q)
{
	return q ? q->api : "";
}

const char *wd_queue_dev(const struct wd_queue *q)
{
	return q ? q->dev : "";
}

const char *wd_queue_uuid(const struct wd_queue *q)
{
	return q ? q->uuid : "";
}

unsigned int wd_queue_flags(const struct wd_queue *q)
{
	return q ? q->flags : 0;
}

int wd_queue_numa_node(const struct wd_queue *q)
{
	return q ? q->numa_node : -1;
}

size_t wd_queue_desc_size(const struct wd_queue *q)
{
	return q ? q->drv->desc_size : 0;
}

unsigned int wd_queue_depth(const struct wd_queue *q)
{
	return q ? q->depth : 0;
}

unsigned int wd_queue_inflight(const struct wd_queue *q)
{
	return q ? q->inflight : 0;
}

/* ---- the data path ---------------------------------------------------------------- */

int wd_send(struct wd_queue *q, const void *desc)
{
	return q->drv->send(q, desc);
}

int wd_recv(struct wd_queue *q, void *desc)
{
	return q->drv->recv(q, desc);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Sleep in the kernel; WD_EOPNOTSUPP sends the caller back to polling. */
static int wait_kernel(struct wd_queue *q, int timeout_ms)
{
	struct sdmdev_wait w = { .argsz = sizeof(w) };
	uint64_t end = timeout_ms > 0 ? now_ms() + (uint64_t)timeout_ms : 0;
	uint64_t t;

	for (;;) {
		if (q->drv->ready(q))
			return WD_OK;
		if (timeout_ms < 0) {
			w.timeout_ms = 1000;	/* re-check now and then */
		} else {
			t = now_ms();
			if (t >= end)
				return WD_ETIMEDOUT;
			w.timeout_ms = (uint32_t)(end - t);
		}
		if (!ioctl(q->device, SDMDEV_WAIT, &w))
			continue;
		switch (errno) {
		case ETIMEDOUT:
		case EINTR:
			continue;
		case EOPNOTSUPP:
		case ENOTTY:
			return WD_EOPNOTSUPP;
		default:
			return wd_errno_status(errno);
		}
	}
}

int wd_queue_wait(struct wd_queue *q, int timeout_ms)
{
	uint64_t end = 0;
	unsigned int spins = 0;
	int ret;

	if (!q || timeout_ms < -1)
		return WD_EINVAL;
	if (q->drv->ready(q))
		return WD_OK;
	if (!q->inflight)
		return WD_EAGAIN;
	if (!timeout_ms)
		return WD_ETIMEDOUT;
	if (!(q->qflags & WD_QUEUE_POLL) && (q->flags & WD_DEV_WAIT) &&
	    !q->test) {
		ret = wait_kernel(q, timeout_ms);
		if (ret != WD_EOPNOTSUPP)
			return ret;
		q->qflags |= WD_QUEUE_POLL;	/* don't ask again */
	}
	if (timeout_ms > 0)
		end = now_ms() + (uint64_t)timeout_ms;
	while (!q->drv->ready(q)) {
		wd_cpu_relax();
		/* the clock only now and then: polling stays syscall-free */
		if (timeout_ms > 0 && !(++spins & 1023) && now_ms() >= end)
			return q->drv->ready(q) ? WD_OK : WD_ETIMEDOUT;
	}
	return WD_OK;
}

int wd_queue_sync(struct wd_queue *q, void *desc, int timeout_ms)
{
	int ret;

	if (!q || !desc)
		return WD_EINVAL;
	if (q->inflight)
		return WD_EBUSY;
	ret = wd_send(q, desc);
	if (ret)
		return ret;
	ret = wd_queue_wait(q, timeout_ms);
	if (ret)
		return ret;	/* still in flight: wd_recv() it later */
	return wd_recv(q, desc);
}
