/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sdmdev.h - the parent API of sdmdev (Share Domain Mediated Device).
 *
 * A parent driver fills a struct sdmdev_parent (device, ops, api, flags,
 * region sizes) and calls sdmdev_register_parent(). User space then creates
 * instances through sysfs; each instance is a VFIO device. An instance has
 * no queue until user space opens it: open takes a queue (get_queue +
 * start_queue), the last close gives it back (stop_queue + put_queue).
 *
 * Rules for the driver:
 *  - every op may sleep except notify-side calls noted below;
 *  - get_queue/put_queue/start/stop/reset/mmap/ioctl for one queue are
 *    serialized by the core (the VFIO device's open/close lock, or the
 *    queue's own lock);
 *  - is_updated may run concurrently with everything else on the queue and
 *    must only read;
 *  - sdmdev_queue_notify() and sdmdev_queue_error() may be called from any
 *    context, including hard IRQ, while the queue is started;
 *  - sdmdev_unregister_parent() stops and puts every queue before it
 *    returns; it waits for user space to close open instances (as VFIO
 *    does for any device), so call it before tearing the queues' hardware
 *    down. While an instance is open, the parent's module is pinned: rmmod
 *    of the parent driver is refused with EBUSY.
 *  - behind a translating IOMMU, set the DMA mask sdmdev_parent_dma_mask()
 *    returns before any DMA mapping: user memory is mapped into the
 *    device's own domain above it (docs/sdmdev.md, "Memory").
 */
#ifndef SDMDEV_H
#define SDMDEV_H

#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <misc/sdmdev.h>

struct module;
struct pid;
struct vm_area_struct;
struct sdmdev_parent;

/*
 * Behind an IOMMU the parent's kernel DMA stays below this many bits; the
 * IOVA window for user memory starts above it.
 */
#define SDMDEV_KERNEL_DMA_BITS	40

/* One hardware queue as the driver hands it out; embed it in your own. */
struct sdmdev_queue {
	u32 id;				/* driver's: the queue's number */
	/* core's, set before start_queue */
	struct sdmdev_parent *parent;
	wait_queue_head_t wait;		/* SDMDEV_WAIT sleepers */
	int error;			/* sdmdev_queue_error(); READ/WRITE_ONCE */
};

struct sdmdev_parent_ops {
	struct module *owner;
	/* Take a free queue (-EBUSY when none) and give it back (stopped). */
	struct sdmdev_queue *(*get_queue)(struct sdmdev_parent *parent);
	void (*put_queue)(struct sdmdev_queue *q);
	/* Hand the queue to user space empty. */
	int (*start_queue)(struct sdmdev_queue *q);
	/*
	 * Take it back: 0 when the device no longer touches memory of this
	 * open (requests drained), -EBUSY when it still may. Then the core
	 * leaks the queue's DMA region instead of freeing memory the device
	 * can write, and put_queue must keep the driver's own queue memory
	 * the same way.
	 */
	int (*stop_queue)(struct sdmdev_queue *q);
	/*
	 * Map region @index of @q into @vma. The core has checked the size
	 * (the whole region), MAP_SHARED, and set VM_DONTCOPY/VM_DONTEXPAND.
	 */
	int (*mmap)(struct sdmdev_queue *q, unsigned int index, struct vm_area_struct *vma);
	/* Optional: true when the queue has completions to look at (wait). */
	bool (*is_updated)(struct sdmdev_queue *q);
	/* Optional: empty the queue's rings again (VFIO_DEVICE_RESET). */
	int (*reset_queue)(struct sdmdev_queue *q);
	/* Optional: how many more queues get_queue can give (default: 1). */
	int (*available_instances)(struct sdmdev_parent *parent);
	/* Optional: ioctls SDMDEV_DRIVER_BASE..0xff of the device fd. */
	long (*ioctl)(struct sdmdev_queue *q, unsigned int cmd, unsigned long arg);
	/*
	 * IOMMU mode, optional but needed for isolation: user space takes
	 * the function (first open; user memory joins the domain the
	 * kernel's own buffers are in) and gives it back (last close, every
	 * user mapping gone). claim must stop the kernel's own requests on
	 * the function and wait for those in flight, or fail (-EBUSY): while
	 * claimed, no kernel buffer may be mapped for the device except the
	 * function's own queue structures.
	 */
	int (*claim)(struct sdmdev_parent *parent);
	void (*release)(struct sdmdev_parent *parent);
};

struct sdmdev_parent {
	/* Filled by the driver before sdmdev_register_parent(). */
	struct device *dev;		/* bound to the driver; instances' parent */
	const struct sdmdev_parent_ops *ops;
	const char *name;		/* human-readable, e.g. "hisi_zip PF queue" */
	const char *api;		/* what libwd matches on, e.g. "hisi_qm_v2" */
	u32 flags;			/* SDMDEV_FLAG_* the driver knows of */
	/*
	 * 0: no such region. MMIO and RING are the driver's to map (ops->mmap);
	 * for DMA the core allocates that much coherent memory on @dev per
	 * open and maps it itself.
	 */
	size_t region_size[SDMDEV_NUM_REGIONS];
	/* Optional: queues the driver has for user space in all (0: unknown). */
	unsigned int nr_queues;

	/* The core's; see the lock story in sdmdev_main.c. */
	struct device *class_dev;	/* /sys/class/sdmdev/<dev_name(dev)> */
	struct mutex lock;
	struct list_head instances;
	unsigned int nr_instances;
	unsigned int nr_open;		/* open instances */
	struct pid *owner;		/* the process owning them, if nr_open */
	/* IOMMU mode (sdmdev_iommu.c); domain NULL: no IOMMU. */
	struct iommu_domain *domain;	/* the parent's own DMA domain */
	u64 iova_start, iova_end;	/* user window, inclusive */
	struct mutex dma_lock;
	struct list_head dmas;		/* user ranges mapped in domain */
};

int sdmdev_register_parent(struct sdmdev_parent *parent);
void sdmdev_unregister_parent(struct sdmdev_parent *parent);
void sdmdev_queue_notify(struct sdmdev_queue *q);
void sdmdev_queue_error(struct sdmdev_queue *q, int err);
u64 sdmdev_parent_dma_mask(struct device *dev);

#endif /* SDMDEV_H */
