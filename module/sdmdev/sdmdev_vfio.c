// SPDX-License-Identifier: GPL-2.0
/*
 * sdmdev_vfio.c - the VFIO device of an sdmdev instance.
 *
 * Registered as an emulated-IOMMU VFIO device when the instance binds to
 * the sdmdev driver, so it gets its own VFIO group and user space reaches
 * it through a type1 container. Opening it takes one of the parent's
 * queues, the last close gives it back.
 *
 * Locking:
 *   open_device/close_device are serialized by the VFIO core (the device
 *   set's lock) and take parent->lock for the parent's owner rule.
 *   ioctl and mmap run between them: a mapping holds the device file, so
 *   close_device only runs once every mapping is gone and no ioctl is in
 *   progress. svdev->q is stable there; svdev->mapped is changed with
 *   atomic bit operations because two threads may mmap at once.
 *   dma_unmap (type1, on VFIO_IOMMU_UNMAP_DMA) may run at any time while
 *   the device is open, concurrently with ioctls: it and SDMDEV_MAP_DMA
 *   only touch the parent's user ranges, under parent->dma_lock
 *   (sdmdev_iommu.c). The parent's claim/release ops run under
 *   parent->lock.
 *   q->error goes once from 0 to an errno (cmpxchg in sdmdev_queue_error,
 *   any context) and is read with READ_ONCE by SDMDEV_WAIT; it is reset
 *   only before start_queue, when nobody can wait on the queue.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "wd_compat.h"
#include "sdmdev_internal.h"

#define SDMDEV_PGOFF_SHIFT	(SDMDEV_REGION_SHIFT - PAGE_SHIFT)
#define SDMDEV_PGOFF_MASK	((1UL << SDMDEV_PGOFF_SHIFT) - 1)

static struct sdmdev_vdev *to_svdev(struct vfio_device *vdev)
{
	return container_of(vdev, struct sdmdev_vdev, vdev);
}

/*
 * Whether the parent's own DMA domain translates and has a user window
 * (sdmdev_iommu.c); fixed while the parent is registered.
 */
bool sdmdev_parent_has_iommu(struct sdmdev_parent *parent)
{
	return parent->domain;
}

/*
 * One process at a time owns a parent's instances: they share the
 * function's DMA space (and, on HiSilicon V2, its doorbell page), so two
 * tenants on one function would not be isolated from each other.
 */
static int sdmdev_claim_parent(struct sdmdev_parent *parent)
{
	struct pid *me = task_tgid(current);
	int ret;

	lockdep_assert_held(&parent->lock);
	if (parent->nr_open && parent->owner != me)
		return -EBUSY;
	if (!parent->nr_open) {
		/* The function becomes user space's: the kernel's stops using it. */
		ret = sdmdev_iommu_claim(parent);
		if (ret)
			return ret;
		parent->owner = get_pid(me);
	}
	parent->nr_open++;
	return 0;
}

/* After the last close has dropped every user mapping of the function. */
static void sdmdev_release_parent(struct sdmdev_parent *parent)
{
	lockdep_assert_held(&parent->lock);
	if (!--parent->nr_open) {
		put_pid(parent->owner);
		parent->owner = NULL;
		sdmdev_iommu_release(parent);
	}
}

/*
 * The no-IOMMU fallback: coherent memory on the parent device that the
 * queue's owner maps and names in its requests. Zeroed: it may hold a
 * previous owner's data.
 */
static int sdmdev_alloc_dma(struct sdmdev_vdev *svdev)
{
	struct sdmdev_parent *parent = svdev->inst->parent;
	size_t size = PAGE_ALIGN(parent->region_size[SDMDEV_REGION_DMA]);

	svdev->dma_va = NULL;
	svdev->dma_addr = 0;
	if (!size)
		return 0;
	svdev->dma_va = dma_alloc_coherent(parent->dev, size, &svdev->dma_addr, GFP_KERNEL);
	if (!svdev->dma_va)
		return -ENOMEM;
	memset(svdev->dma_va, 0, size);
	return 0;
}

static void sdmdev_free_dma(struct sdmdev_vdev *svdev)
{
	struct sdmdev_parent *parent = svdev->inst->parent;

	if (svdev->dma_va)
		dma_free_coherent(parent->dev, PAGE_ALIGN(parent->region_size[SDMDEV_REGION_DMA]),
				  svdev->dma_va, svdev->dma_addr);
	svdev->dma_va = NULL;
}

/* Called with parent->lock held: take and start a queue for @svdev. */
static int sdmdev_get_queue(struct sdmdev_vdev *svdev)
{
	struct sdmdev_parent *parent = svdev->inst->parent;
	const struct sdmdev_parent_ops *ops = parent->ops;
	struct sdmdev_queue *q;
	int ret;

	ret = sdmdev_alloc_dma(svdev);
	if (ret)
		return ret;
	q = ops->get_queue(parent);
	if (IS_ERR(q)) {
		ret = PTR_ERR(q);
		goto err_dma;
	}
	q->parent = parent;
	init_waitqueue_head(&q->wait);
	WRITE_ONCE(q->error, 0);
	ret = ops->start_queue(q);
	if (ret)
		goto err_put;
	svdev->q = q;
	svdev->mapped = 0;
	return 0;

err_put:
	ops->put_queue(q);
err_dma:
	sdmdev_free_dma(svdev);
	return ret;
}

static int sdmdev_vfio_open(struct vfio_device *vdev)
{
	struct sdmdev_vdev *svdev = to_svdev(vdev);
	struct sdmdev_instance *inst = svdev->inst;
	struct sdmdev_parent *parent = inst->parent;
	bool noiommu = !sdmdev_parent_has_iommu(parent);
	int ret;

	/* Without an IOMMU the queue's owner can DMA anywhere: VFIO noiommu's rule. */
	if (noiommu && !capable(CAP_SYS_RAWIO))
		return -EPERM;

	mutex_lock(&parent->lock);
	if (inst->removing) {
		ret = -ENODEV;
		goto out_unlock;
	}
	ret = sdmdev_claim_parent(parent);
	if (ret)
		goto out_unlock;
	/* rmmod of the parent driver is refused while its queues are in use. */
	if (!try_module_get(parent->ops->owner)) {
		ret = -ENODEV;
		goto err_release;
	}
	ret = sdmdev_get_queue(svdev);
	if (ret)
		goto err_module;
	inst->open = true;
	inst->queue_id = svdev->q->id;
	inst->opens++;
	mutex_unlock(&parent->lock);

	if (noiommu) {
		add_taint(TAINT_USER, LOCKDEP_STILL_OK);
		dev_notice(&inst->dev, "queue %u opened without IOMMU protection by %s (%d); kernel tainted\n",
			   svdev->q->id, current->comm, task_pid_nr(current));
	}
	return 0;

err_module:
	module_put(parent->ops->owner);
err_release:
	sdmdev_release_parent(parent);
out_unlock:
	mutex_unlock(&parent->lock);
	return ret;
}

/* Every mapping is gone (each held the file): stop and give back the queue. */
static void sdmdev_vfio_close(struct vfio_device *vdev)
{
	struct sdmdev_vdev *svdev = to_svdev(vdev);
	struct sdmdev_instance *inst = svdev->inst;
	struct sdmdev_parent *parent = inst->parent;
	const struct sdmdev_parent_ops *ops = parent->ops;
	struct module *owner = ops->owner;

	if (ops->stop_queue(svdev->q)) {
		/* The device may still write it: never hand it out again. */
		dev_err(&inst->dev, "queue %u stopped with requests in flight: leaking its DMA region\n",
			svdev->q->id);
		svdev->dma_va = NULL;
	}
	ops->put_queue(svdev->q);
	svdev->q = NULL;
	sdmdev_free_dma(svdev);
	/* Off the device even if it may still write: it faults, never hits. */
	sdmdev_iommu_unmap_all(svdev);

	mutex_lock(&parent->lock);
	inst->open = false;
	sdmdev_release_parent(parent);
	mutex_unlock(&parent->lock);
	module_put(owner);
}

static void sdmdev_region_info(struct sdmdev_parent *parent, struct vfio_region_info *info)
{
	size_t size = parent->region_size[info->index];

	info->offset = SDMDEV_REGION_OFFSET(info->index);
	info->size = PAGE_ALIGN(size);
	/* mmap() only: read() and write() on the device fd are not offered. */
	info->flags = size ? VFIO_REGION_INFO_FLAG_MMAP : 0;
	info->cap_offset = 0;
}

static long sdmdev_ioctl_get_info(void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = 0;
	info.num_regions = SDMDEV_NUM_REGIONS;
	info.num_irqs = 0;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static long sdmdev_ioctl_region_info(struct sdmdev_parent *parent, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= SDMDEV_NUM_REGIONS)
		return -EINVAL;
	sdmdev_region_info(parent, &info);
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

#ifdef HAVE_VFIO_OPS_REGION_INFO_CAPS
/* 7.x: the VFIO core copies the region info in and out itself. */
static int sdmdev_vfio_region_info_caps(struct vfio_device *vdev, struct vfio_region_info *info,
					struct vfio_info_cap *caps)
{
	if (info->index >= SDMDEV_NUM_REGIONS)
		return -EINVAL;
	sdmdev_region_info(to_svdev(vdev)->inst->parent, info);
	return 0;
}
#endif

static long sdmdev_ioctl_sdmdev_info(struct sdmdev_vdev *svdev, void __user *arg)
{
	struct sdmdev_parent *parent = svdev->inst->parent;
	unsigned long minsz = offsetofend(struct sdmdev_info, dma_addr);
	struct sdmdev_info info = {};
	u32 argsz;

	if (get_user(argsz, (u32 __user *)arg))
		return -EFAULT;
	if (argsz < minsz)
		return -EINVAL;
	/* Callers built before the IOVA window get what they know of. */
	argsz = min_t(u32, argsz, sizeof(info));
	info.argsz = sizeof(info);
	info.flags = parent->flags;
	if (!sdmdev_parent_has_iommu(parent))
		info.flags |= SDMDEV_FLAG_NOIOMMU;
	if (parent->ops->is_updated)
		info.flags |= SDMDEV_FLAG_WAIT;
	info.queue_id = svdev->q->id;
	info.numa_node = dev_to_node(parent->dev);
	info.dma_addr = svdev->dma_addr;
	strscpy(info.api, parent->api, sizeof(info.api));
	info.iova_start = parent->iova_start;
	info.iova_end = parent->iova_end;
	return copy_to_user(arg, &info, argsz) ? -EFAULT : 0;
}

/* Sleep until the driver says the queue has news, or the timeout. */
static long sdmdev_ioctl_wait(struct sdmdev_vdev *svdev, void __user *arg)
{
	const struct sdmdev_parent_ops *ops = svdev->inst->parent->ops;
	struct sdmdev_queue *q = svdev->q;
	struct sdmdev_wait wait;
	long ret;

	if (!ops->is_updated)
		return -EOPNOTSUPP;
	if (copy_from_user(&wait, arg, sizeof(wait)))
		return -EFAULT;
	if (wait.argsz < sizeof(wait) || wait.flags)
		return -EINVAL;
	ret = wait_event_interruptible_timeout(q->wait,
					       READ_ONCE(q->error) || ops->is_updated(q),
					       msecs_to_jiffies(wait.timeout_ms));
	if (ret < 0)
		return -EINTR;	/* not restarted: the timeout would start again */
	if (READ_ONCE(q->error))
		return READ_ONCE(q->error);
	return ret ? 0 : -ETIMEDOUT;
}

static long sdmdev_vfio_ioctl(struct vfio_device *vdev, unsigned int cmd, unsigned long arg)
{
	struct sdmdev_vdev *svdev = to_svdev(vdev);
	struct sdmdev_parent *parent = svdev->inst->parent;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return sdmdev_ioctl_get_info(uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return sdmdev_ioctl_region_info(parent, uarg);
	case SDMDEV_GET_INFO:
		return sdmdev_ioctl_sdmdev_info(svdev, uarg);
	case SDMDEV_WAIT:
		return sdmdev_ioctl_wait(svdev, uarg);
	case SDMDEV_MAP_DMA:
		return sdmdev_ioctl_map_dma(svdev, uarg);
	}
	if (_IOC_TYPE(cmd) == VFIO_TYPE && _IOC_NR(cmd) >= SDMDEV_DRIVER_BASE &&
	    parent->ops->ioctl)
		return parent->ops->ioctl(svdev->q, cmd, arg);
	return -ENOTTY;
}

/*
 * A region is mapped whole, shared, once per open, and never into a child:
 * with VM_DONTCOPY no fork() can leave a copy-on-write view of a queue or
 * a second writer behind. VM_IO keeps it that way: madvise(MADV_DOFORK)
 * clears VM_DONTCOPY except on VM_IO mappings, and behind an IOMMU
 * dma_mmap_coherent() inserts pages without setting VM_IO itself.
 */
static int sdmdev_vfio_mmap(struct vfio_device *vdev, struct vm_area_struct *vma)
{
	struct sdmdev_vdev *svdev = to_svdev(vdev);
	struct sdmdev_parent *parent = svdev->inst->parent;
	unsigned long index = vma->vm_pgoff >> SDMDEV_PGOFF_SHIFT;
	size_t size;
	int ret;

	if (index >= SDMDEV_NUM_REGIONS || (vma->vm_pgoff & SDMDEV_PGOFF_MASK))
		return -EINVAL;
	size = parent->region_size[index];
	if (!size || vma->vm_end - vma->vm_start != PAGE_ALIGN(size))
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (index == SDMDEV_REGION_DMA && !sdmdev_parent_has_iommu(parent) &&
	    !capable(CAP_SYS_RAWIO))
		return -EPERM;
	if (test_and_set_bit(index, &svdev->mapped))
		return -EBUSY;

	wd_vm_flags_set(vma, VM_IO | VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP);
	/* Offsets relative to the region: dma_mmap_coherent() wants that. */
	vma->vm_pgoff = 0;
	if (index == SDMDEV_REGION_DMA)
		ret = dma_mmap_coherent(parent->dev, vma, svdev->dma_va, svdev->dma_addr,
					PAGE_ALIGN(size));
	else
		ret = parent->ops->mmap(svdev->q, index, vma);
	if (ret)
		clear_bit(index, &svdev->mapped);
	return ret;
}

/* VFIO_IOMMU_UNMAP_DMA on the container: off the device, then unpinned. */
static void sdmdev_vfio_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length)
{
	sdmdev_iommu_dma_unmap(to_svdev(vdev), iova, length);
}

static void sdmdev_vfio_release(struct vfio_device *vdev)
{
	wd_vfio_release_done(vdev);
}

static const struct vfio_device_ops sdmdev_vfio_ops = {
	.name = "sdmdev",
	.release = sdmdev_vfio_release,
	.open_device = sdmdev_vfio_open,
	.close_device = sdmdev_vfio_close,
	.ioctl = sdmdev_vfio_ioctl,
	.mmap = sdmdev_vfio_mmap,
	.dma_unmap = sdmdev_vfio_dma_unmap,
#ifdef HAVE_VFIO_OPS_REGION_INFO_CAPS
	.get_region_info_caps = sdmdev_vfio_region_info_caps,
#endif
#ifdef HAVE_VFIO_OPS_BIND_IOMMUFD
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
#endif
#ifdef HAVE_VFIO_OPS_DETACH_IOAS
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
#endif
};

/* Bus probe: register @inst's VFIO device (its own emulated-IOMMU group). */
int sdmdev_vfio_add(struct sdmdev_instance *inst)
{
	struct sdmdev_vdev *svdev;
	int ret;

	svdev = vfio_alloc_device(sdmdev_vdev, vdev, &inst->dev, &sdmdev_vfio_ops);
	if (IS_ERR(svdev))
		return PTR_ERR(svdev);
	svdev->inst = inst;
	ret = vfio_register_emulated_iommu_dev(&svdev->vdev);
	if (ret) {
		vfio_put_device(&svdev->vdev);
		return ret;
	}
	inst->vdev = svdev;
	return 0;
}

/* Bus remove: waits, inside the VFIO core, until user space closed the device. */
void sdmdev_vfio_del(struct sdmdev_instance *inst)
{
	struct sdmdev_vdev *svdev = inst->vdev;

	vfio_unregister_group_dev(&svdev->vdev);
	inst->vdev = NULL;
	vfio_put_device(&svdev->vdev);
}

/**
 * sdmdev_queue_notify() - wake SDMDEV_WAIT sleepers of @q
 * @q: a started queue
 *
 * Any context, including hard IRQ.
 */
void sdmdev_queue_notify(struct sdmdev_queue *q)
{
	wake_up_interruptible(&q->wait);
}
EXPORT_SYMBOL_GPL(sdmdev_queue_notify);

/**
 * sdmdev_queue_error() - the queue is unusable for good: fail its waiters
 * @q: a started queue
 * @err: negative errno SDMDEV_WAIT returns from now on (-ENODEV: the
 *	 device is gone)
 *
 * Any context, including hard IRQ. The first error stays; the queue's
 * process learns it from SDMDEV_WAIT and should close the instance.
 */
void sdmdev_queue_error(struct sdmdev_queue *q, int err)
{
	if (WARN_ON_ONCE(err >= 0))
		return;
	cmpxchg(&q->error, 0, err);
	wake_up_interruptible(&q->wait);
}
EXPORT_SYMBOL_GPL(sdmdev_queue_error);
