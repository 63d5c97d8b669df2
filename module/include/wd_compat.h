/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wd_compat.h - the one place where kernel API differences are handled.
 *
 * configure compiles a probe module per API against the target kernel and
 * records the result as HAVE_* in wd_kconfig.h (see config/kernel-*.m4).
 * Driver code calls the wd_* wrappers below and never tests kernel versions.
 */
#ifndef WD_COMPAT_H
#define WD_COMPAT_H

#include <linux/device.h>
#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/vfio.h>
#include <crypto/internal/acompress.h>

#include "wd_kconfig.h"

/* class_create() lost its owner argument in 6.4. */
static inline struct class *wd_class_create(const char *name)
{
#ifdef HAVE_CLASS_CREATE_NO_OWNER
	return class_create(name);
#else
	return class_create(THIS_MODULE, name);
#endif
}

/*
 * 6.4 made the driver core take buses const. Before that a const bus does
 * not fit struct device's bus pointer: use exactly that pointer's type.
 */
#ifdef HAVE_BUS_TYPE_CONST
#define wd_bus_type const struct bus_type
#else
#define wd_bus_type typeof(*((struct device *)NULL)->bus)
#endif

/* iommu_map() gained a gfp_t in 6.3; we always map from sleepable context. */
static inline int wd_iommu_map(struct iommu_domain *domain, unsigned long iova,
			       phys_addr_t paddr, size_t size, int prot)
{
#ifdef HAVE_IOMMU_MAP_GFP
	return iommu_map(domain, iova, paddr, size, prot, GFP_KERNEL);
#else
	return iommu_map(domain, iova, paddr, size, prot);
#endif
}

/*
 * 6.1's VFIO core leaves freeing to ops->release, which must end with
 * vfio_free_device(); later kernels free the device themselves.
 */
static inline void wd_vfio_release_done(struct vfio_device *vdev)
{
#ifdef HAVE_VFIO_FREE_DEVICE
	vfio_free_device(vdev);
#endif
}

/* 6.3 made vma->vm_flags read-only behind vm_flags_set(). */
static inline void wd_vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
#ifdef HAVE_VM_FLAGS_SET
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/* The acomp request context size moved from acomp_alg into crypto_alg. */
static inline void wd_acomp_set_reqsize(struct acomp_alg *alg, unsigned int size)
{
#ifdef HAVE_ACOMP_ALG_REQSIZE
	alg->reqsize = size;
#else
	alg->base.cra_reqsize = size;
#endif
}

/*
 * Older kernels let a caller pass no destination and ask the driver to
 * allocate one; we do not offer that (nor does any in-tree user need it).
 */
static inline bool wd_acomp_req_wants_alloc(struct acomp_req *req)
{
#ifdef HAVE_ACOMP_REQ_ALLOC_OUTPUT
	return req->flags & CRYPTO_ACOMP_ALLOC_OUTPUT;
#else
	return false;
#endif
}

#endif /* WD_COMPAT_H */
