// SPDX-License-Identifier: GPL-2.0
/*
 * sdmdev_iommu.c - the shared IOMMU domain of a parent function.
 *
 * When the parent device sits in a translating DMA-API domain, sdmdev maps
 * user memory into THAT domain (the parent's own, shared by all instances
 * of the function: "share domain"), in an IOVA window the kernel's DMA API
 * never uses: the parent driver keeps its DMA mask at SDMDEV_KERNEL_DMA_BITS
 * (sdmdev_parent_dma_mask()), iommu-dma allocates below the mask, and the
 * window runs from the mask + 1 to the domain's aperture end.
 *
 * User space maps memory into its VFIO container (VFIO_IOMMU_MAP_DMA) at an
 * IOVA inside the window and then asks for it with SDMDEV_MAP_DMA: the
 * pages are pinned through VFIO (vfio_pin_pages, accounted to the mapping
 * process's locked_vm) and mapped at the same IOVA into the domain. They
 * leave the domain, IOTLB flushed, before they are unpinned: on
 * VFIO_IOMMU_UNMAP_DMA of any part of them (type1 calls our dma_unmap
 * callback and does not return until we unpinned) and at the last close
 * of the instance. Identity and blocked domains, and no domain, are
 * "no IOMMU" (SDMDEV_FLAG_NOIOMMU).
 *
 * Locking:
 *   parent->dma_lock (mutex) - parent->dmas, the domain's user mappings of
 *	every instance. Held across vfio_pin_pages/vfio_unpin_pages (which
 *	take type1's iommu->lock): type1 calls dma_unmap with that lock
 *	dropped, so the order is always dma_lock -> iommu->lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "wd_compat.h"
#include "sdmdev_internal.h"

/* vfio_pin_pages()/vfio_unpin_pages() take at most this many pages a call. */
#define SDMDEV_PIN_CHUNK	(PAGE_SIZE / sizeof(unsigned long))

/* One SDMDEV_MAP_DMA range, pinned through @svdev's container. */
struct sdmdev_dma {
	struct list_head node;		/* parent->dmas */
	struct sdmdev_vdev *svdev;
	u64 iova;
	u64 size;
};

/* The parent's DMA-API domain if it translates, else NULL. */
static struct iommu_domain *sdmdev_dma_domain(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	if (!domain || !iommu_is_dma_domain(domain))
		return NULL;
	return domain;
}

/**
 * sdmdev_parent_dma_mask() - the DMA mask a parent driver should set
 * @dev: the parent device, before its first DMA allocation
 *
 * Behind a translating IOMMU whose aperture reaches above
 * SDMDEV_KERNEL_DMA_BITS, the kernel's own DMA stays below that many bits
 * so that sdmdev's user window above it never collides with it. Otherwise
 * (no IOMMU, identity mapping) the device's full 64 bits.
 *
 * Return: the mask for dma_set_mask_and_coherent().
 */
u64 sdmdev_parent_dma_mask(struct device *dev)
{
	struct iommu_domain *domain = sdmdev_dma_domain(dev);

	if (domain && domain->geometry.aperture_end > DMA_BIT_MASK(SDMDEV_KERNEL_DMA_BITS))
		return DMA_BIT_MASK(SDMDEV_KERNEL_DMA_BITS);
	return DMA_BIT_MASK(64);
}
EXPORT_SYMBOL_GPL(sdmdev_parent_dma_mask);

/*
 * At registration: use the parent's domain if it translates and leaves a
 * window above everything the DMA API may hand out for the device.
 */
void sdmdev_iommu_init(struct sdmdev_parent *parent)
{
	struct device *dev = parent->dev;
	struct iommu_domain *domain = sdmdev_dma_domain(dev);
	u64 limit;

	mutex_init(&parent->dma_lock);
	INIT_LIST_HEAD(&parent->dmas);
	parent->domain = NULL;
	parent->iova_start = 0;
	parent->iova_end = 0;
	if (!domain)
		return;
	limit = max(dma_get_mask(dev), dev->coherent_dma_mask);
	if (dev->bus_dma_limit)
		limit = max(limit, dev->bus_dma_limit);
	if (limit >= domain->geometry.aperture_end ||
	    domain->geometry.aperture_end - limit < SZ_1G) {
		dev_info(dev, "sdmdev: IOMMU aperture leaves no room above the %llx DMA mask: no user IOVA window, no-IOMMU mode\n",
			 limit);
		return;
	}
	parent->domain = domain;
	parent->iova_start = limit + 1;
	parent->iova_end = domain->geometry.aperture_end;
	dev_info(dev, "sdmdev: shared IOMMU domain, user IOVA window %#llx-%#llx\n",
		 parent->iova_start, parent->iova_end);
}

void sdmdev_iommu_fini(struct sdmdev_parent *parent)
{
	WARN_ON(!list_empty(&parent->dmas));
	mutex_destroy(&parent->dma_lock);
}

/*
 * The first open of a function in IOMMU mode: user mappings will share the
 * domain with whatever the kernel still has mapped there, so the parent
 * driver must first stop the kernel's own requests on the function
 * (ops->claim), and IOTLB entries of buffers it unmapped lazily must go.
 */
int sdmdev_iommu_claim(struct sdmdev_parent *parent)
{
	int ret = 0;

	if (!parent->domain)
		return 0;
	if (parent->ops->claim)
		ret = parent->ops->claim(parent);
	if (!ret)
		iommu_flush_iotlb_all(parent->domain);
	return ret;
}

void sdmdev_iommu_release(struct sdmdev_parent *parent)
{
	if (parent->domain && parent->ops->release)
		parent->ops->release(parent);
}

static void sdmdev_unpin(struct sdmdev_vdev *svdev, u64 iova, unsigned long npage)
{
	while (npage) {
		unsigned long n = min_t(unsigned long, npage, SDMDEV_PIN_CHUNK);

		vfio_unpin_pages(&svdev->vdev, iova, n);
		iova += n << PAGE_SHIFT;
		npage -= n;
	}
}

/* Off the device first (iommu_unmap() syncs the IOTLB), then unpinned. */
static void sdmdev_dma_free(struct sdmdev_parent *parent, struct sdmdev_dma *dma)
{
	size_t unmapped;

	lockdep_assert_held(&parent->dma_lock);
	unmapped = iommu_unmap(parent->domain, dma->iova, dma->size);
	WARN_ON(unmapped != dma->size);
	sdmdev_unpin(dma->svdev, dma->iova, dma->size >> PAGE_SHIFT);
	list_del(&dma->node);
	kfree(dma);
}

/* Map @n pinned pages at @iova, merging physically contiguous runs. */
static int sdmdev_map_pages(struct sdmdev_parent *parent, u64 iova, struct page **pages,
			    unsigned long n, int prot)
{
	unsigned long i = 0, run;
	int ret;

	while (i < n) {
		phys_addr_t pa = page_to_phys(pages[i]);

		for (run = 1; i + run < n; run++)
			if (page_to_phys(pages[i + run]) != pa + (run << PAGE_SHIFT))
				break;
		ret = wd_iommu_map(parent->domain, iova + (i << PAGE_SHIFT), pa,
				   run << PAGE_SHIFT, prot);
		if (ret) {
			if (i)
				iommu_unmap(parent->domain, iova, i << PAGE_SHIFT);
			return ret;
		}
		i += run;
	}
	return 0;
}

/*
 * Pin and map [dma->iova, + dma->size) chunk by chunk; on failure undo
 * what was done. type1 answers -EINVAL for an IOVA outside the container's
 * mappings: to the caller that is EFAULT ("not mapped"), EINVAL being for
 * arguments outside the window.
 */
static int sdmdev_dma_pin_map(struct sdmdev_parent *parent, struct sdmdev_dma *dma)
{
	unsigned long npage = dma->size >> PAGE_SHIFT, done = 0;
	int prot = IOMMU_READ | IOMMU_WRITE;
	struct page **pages;
	int ret = 0;

	if (dev_is_dma_coherent(parent->dev))
		prot |= IOMMU_CACHE;
	pages = kmalloc_array(SDMDEV_PIN_CHUNK, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	while (done < npage) {
		unsigned long n = min_t(unsigned long, npage - done, SDMDEV_PIN_CHUNK);
		u64 iova = dma->iova + (done << PAGE_SHIFT);

		ret = vfio_pin_pages(&dma->svdev->vdev, iova, n, IOMMU_READ | IOMMU_WRITE, pages);
		if (ret >= 0 && ret != n) {
			/* Never seen: type1 pins all or nothing. */
			if (ret)
				sdmdev_unpin(dma->svdev, iova, ret);
			ret = -EFAULT;
		}
		if (ret < 0)
			break;
		ret = sdmdev_map_pages(parent, iova, pages, n, prot);
		if (ret) {
			sdmdev_unpin(dma->svdev, iova, n);
			break;
		}
		done += n;
	}
	kfree(pages);
	if (ret < 0 && done) {
		iommu_unmap(parent->domain, dma->iova, done << PAGE_SHIFT);
		sdmdev_unpin(dma->svdev, dma->iova, done);
	}
	if (ret == -EINVAL)
		ret = -EFAULT;
	return ret < 0 ? ret : 0;
}

static bool sdmdev_dma_overlaps(struct sdmdev_parent *parent, u64 iova, u64 size)
{
	struct sdmdev_dma *dma;

	list_for_each_entry(dma, &parent->dmas, node)
		if (iova < dma->iova + dma->size && dma->iova < iova + size)
			return true;
	return false;
}

/* SDMDEV_MAP_DMA */
long sdmdev_ioctl_map_dma(struct sdmdev_vdev *svdev, void __user *arg)
{
	struct sdmdev_parent *parent = svdev->inst->parent;
	struct sdmdev_dma_map map;
	struct sdmdev_dma *dma;
	long ret;

	if (copy_from_user(&map, arg, sizeof(map)))
		return -EFAULT;
	if (map.argsz < sizeof(map) || map.flags)
		return -EINVAL;
	if (!parent->domain)
		return -EOPNOTSUPP;
	if (!map.size || !PAGE_ALIGNED(map.iova) || !PAGE_ALIGNED(map.size) ||
	    map.iova < parent->iova_start || map.iova > parent->iova_end ||
	    map.size - 1 > parent->iova_end - map.iova)
		return -EINVAL;

	dma = kzalloc(sizeof(*dma), GFP_KERNEL);
	if (!dma)
		return -ENOMEM;
	dma->svdev = svdev;
	dma->iova = map.iova;
	dma->size = map.size;

	mutex_lock(&parent->dma_lock);
	if (sdmdev_dma_overlaps(parent, map.iova, map.size)) {
		ret = -EEXIST;
		goto err;
	}
	ret = sdmdev_dma_pin_map(parent, dma);
	if (ret)
		goto err;
	list_add_tail(&dma->node, &parent->dmas);
	mutex_unlock(&parent->dma_lock);
	return 0;

err:
	mutex_unlock(&parent->dma_lock);
	kfree(dma);
	return ret;
}

/*
 * VFIO_IOMMU_UNMAP_DMA of [iova, iova + length) in @svdev's container: every
 * range of ours that touches it leaves the device whole and is unpinned;
 * type1 waits for that before it unmaps.
 */
void sdmdev_iommu_dma_unmap(struct sdmdev_vdev *svdev, u64 iova, u64 length)
{
	struct sdmdev_parent *parent = svdev->inst->parent;
	struct sdmdev_dma *dma, *tmp;

	if (!parent->domain || !length)
		return;
	mutex_lock(&parent->dma_lock);
	list_for_each_entry_safe(dma, tmp, &parent->dmas, node)
		if (dma->svdev == svdev && iova < dma->iova + dma->size &&
		    dma->iova <= iova + (length - 1))
			sdmdev_dma_free(parent, dma);
	mutex_unlock(&parent->dma_lock);
}

/* Last close of @svdev, its queue stopped: drop all it mapped. */
void sdmdev_iommu_unmap_all(struct sdmdev_vdev *svdev)
{
	struct sdmdev_parent *parent = svdev->inst->parent;
	struct sdmdev_dma *dma, *tmp;

	if (!parent->domain)
		return;
	mutex_lock(&parent->dma_lock);
	list_for_each_entry_safe(dma, tmp, &parent->dmas, node)
		if (dma->svdev == svdev)
			sdmdev_dma_free(parent, dma);
	mutex_unlock(&parent->dma_lock);
}
