/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sdmdev_internal.h - what sdmdev_main.c (bus, parents, sysfs) and
 * sdmdev_vfio.c (the VFIO device of an instance) share.
 *
 * Locking (the story in full is at the top of sdmdev_main.c):
 *   sdmdev_lock   - instance names, parent->instances, inst->claimed,
 *                   parent->nr_instances; held while instances are added and
 *                   deleted (which may wait for VFIO users to close).
 *   parent->lock  - parent->nr_open, parent->owner, inst->open,
 *                   inst->removing. Taken inside sdmdev_lock, never around it.
 *   parent->dma_lock - parent->dmas (sdmdev_iommu.c); taken alone.
 */
#ifndef SDMDEV_INTERNAL_H
#define SDMDEV_INTERNAL_H

#include <linux/device.h>
#include <linux/list.h>
#include <linux/uuid.h>
#include <linux/vfio.h>

#include "sdmdev.h"

struct sdmdev_vdev;

/* One instance: a device on the sdmdev bus, child of the parent's device. */
struct sdmdev_instance {
	struct device dev;
	struct sdmdev_parent *parent;
	struct list_head node;		/* parent->instances; sdmdev_lock */
	bool claimed;			/* being deleted; sdmdev_lock */
	bool removing;			/* no more opens; parent->lock */
	bool open;			/* parent->lock */
	u32 queue_id;			/* of the last open; parent->lock */
	unsigned long opens;		/* times opened; parent->lock */
	struct sdmdev_vdev *vdev;	/* set by probe, cleared by remove */
};

/* The VFIO device of an instance, allocated by vfio_alloc_device(). */
struct sdmdev_vdev {
	struct vfio_device vdev;
	struct sdmdev_instance *inst;
	struct sdmdev_queue *q;		/* between open_device and close_device */
	unsigned long mapped;		/* bit per region mmap()ed since open */
	void *dma_va;			/* SDMDEV_REGION_DMA, for this open */
	dma_addr_t dma_addr;
};

static inline struct sdmdev_instance *to_sdmdev_instance(struct device *dev)
{
	return container_of(dev, struct sdmdev_instance, dev);
}

int sdmdev_vfio_add(struct sdmdev_instance *inst);
void sdmdev_vfio_del(struct sdmdev_instance *inst);
bool sdmdev_parent_has_iommu(struct sdmdev_parent *parent);

void sdmdev_iommu_init(struct sdmdev_parent *parent);
void sdmdev_iommu_fini(struct sdmdev_parent *parent);
int sdmdev_iommu_claim(struct sdmdev_parent *parent);
void sdmdev_iommu_release(struct sdmdev_parent *parent);
long sdmdev_ioctl_map_dma(struct sdmdev_vdev *svdev, void __user *arg);
void sdmdev_iommu_dma_unmap(struct sdmdev_vdev *svdev, u64 iova, u64 length);
void sdmdev_iommu_unmap_all(struct sdmdev_vdev *svdev);

#endif /* SDMDEV_INTERNAL_H */
