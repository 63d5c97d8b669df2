/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * sdmdev.h - user-space ABI of sdmdev (Share Domain Mediated Device).
 *
 * Shared by the kernel module and libwd. An sdmdev instance is a VFIO
 * device: open its group (/dev/vfio/<group>), attach the group to a
 * container with VFIO_TYPE1v2_IOMMU, then VFIO_GROUP_GET_DEVICE_FD with the
 * instance's UUID. Everything below applies to that device fd. The sysfs
 * side is documented in docs/ABI/sysfs-bus-sdmdev, the model in
 * docs/sdmdev.md.
 */
#ifndef _UAPI_MISC_SDMDEV_H
#define _UAPI_MISC_SDMDEV_H

#include <linux/ioctl.h>
#include <linux/types.h>
#include <linux/vfio.h>

/*
 * VFIO regions of an instance, by index (VFIO_DEVICE_GET_REGION_INFO).
 * A region of size 0 is absent. Each region is mmap()ed whole, MAP_SHARED,
 * at offset SDMDEV_REGION_OFFSET(index), at most once per open of the
 * device; mappings are not inherited across fork() (VM_DONTCOPY).
 *
 * SDMDEV_REGION_DMA is coherent memory allocated for this open on the
 * parent device; the device reaches it at sdmdev_info.dma_addr, so user
 * space can put request buffers there when no IOMMU maps its own memory.
 * Without an IOMMU (SDMDEV_FLAG_NOIOMMU) mapping it needs CAP_SYS_RAWIO.
 */
enum sdmdev_region {
	SDMDEV_REGION_MMIO = 0,	/* the queue's doorbell page (uncached MMIO) */
	SDMDEV_REGION_RING = 1,	/* the queue's rings, e.g. SQ then CQ */
	SDMDEV_REGION_DMA = 2,	/* DMA memory for requests (no-IOMMU fallback) */
	SDMDEV_NUM_REGIONS
};

#define SDMDEV_REGION_SHIFT	40
#define SDMDEV_REGION_OFFSET(index)	((__u64)(index) << SDMDEV_REGION_SHIFT)

/*
 * Bits of the parent's "flags" sysfs attribute and of sdmdev_info.flags.
 *
 * SHARED_MMIO: the doorbell page is shared by every queue of the function
 *	(HiSilicon QM V2), so a process holding one queue can ring any queue of
 *	that function; isolation is per function.
 * NOIOMMU: the device DMAs to bus addresses nobody translates: opening an
 *	instance needs CAP_SYS_RAWIO and taints the kernel, as VFIO noiommu.
 * WAIT: SDMDEV_WAIT can sleep until the queue completes requests.
 */
#define SDMDEV_FLAG_SHARED_MMIO	(1U << 0)
#define SDMDEV_FLAG_NOIOMMU	(1U << 1)
#define SDMDEV_FLAG_WAIT	(1U << 2)

/* sdmdev ioctls on the VFIO device fd; numbers above VFIO's own. */
#define SDMDEV_BASE		0xa0
#define SDMDEV_DRIVER_BASE	0xc0	/* 0xc0-0xff: the parent driver's */

/*
 * SDMDEV_GET_INFO - what this queue is, filled by the kernel.
 * argsz: in, sizeof(struct sdmdev_info) as the caller knows it.
 */
struct sdmdev_info {
	__u32 argsz;
	__u32 flags;		/* SDMDEV_FLAG_* */
	__u32 queue_id;		/* the parent's number for this queue */
	__s32 numa_node;	/* of the parent device; -1 if none */
	char api[32];		/* NUL-terminated, e.g. "hisi_qm_v2" */
	__u64 dma_addr;		/* device address of SDMDEV_REGION_DMA, or 0 */
	/*
	 * Without SDMDEV_FLAG_NOIOMMU: the IOVA window (inclusive, page
	 * aligned) where user memory may be mapped for the device with
	 * VFIO_IOMMU_MAP_DMA + SDMDEV_MAP_DMA; the same for every instance of
	 * a function. Both 0 in no-IOMMU mode. (argsz may stop before these
	 * fields: the kernel then fills only what argsz covers.)
	 */
	__u64 iova_start;
	__u64 iova_end;
};

#define SDMDEV_GET_INFO		_IO(VFIO_TYPE, SDMDEV_BASE + 0)

/*
 * SDMDEV_WAIT - sleep until the queue has news (a completion) or
 * timeout_ms passes (0: do not sleep, just test). Returns 0 when there is
 * news, -1/ETIMEDOUT on timeout, -1/EINTR on a signal, -1/EOPNOTSUPP when
 * the parent has no SDMDEV_FLAG_WAIT, and -1/ENODEV (at once, every time)
 * once the device is gone (surprise removal): nothing in flight will
 * complete; close the instance. -1/EIO (at once, every time) after the
 * device reported an error that may have lost or damaged requests of this
 * queue (an abnormal/RAS interrupt): the queue is reset; take what did
 * complete from the CQ, close the instance and open a new one.
 */
struct sdmdev_wait {
	__u32 argsz;
	__u32 flags;		/* must be 0 */
	__u32 timeout_ms;
	__u32 pad;
};

#define SDMDEV_WAIT		_IO(VFIO_TYPE, SDMDEV_BASE + 1)

/*
 * SDMDEV_MAP_DMA - make [iova, iova + size) reachable by the device.
 *
 * The range must lie inside sdmdev_info's IOVA window and be mapped in the
 * container with VFIO_IOMMU_MAP_DMA (read and write) first; sdmdev pins
 * those pages through VFIO (they count in the process's locked memory,
 * RLIMIT_MEMLOCK) and maps them at the same IOVA into the parent function's
 * IOMMU domain, which all instances of that function share: a range mapped
 * through one instance serves every queue of the function, and no two
 * ranges may overlap there. VFIO_IOMMU_UNMAP_DMA on the container of any
 * part of a range takes the whole range off the device (requests naming it
 * then fail with a DMA error) and unpins it before it returns; so does the
 * last close of the instance it was mapped through, including at exit.
 * iova and size are page aligned; flags must be 0. Errors:
 *   EINVAL      flags, argsz, alignment, size 0, or the range not wholly
 *               inside [iova_start, iova_end]
 *   EFAULT      the range is not wholly mapped in the container, or the
 *               argument pointer is bad
 *   EPERM       the container mapping is not writable
 *   ENOMEM      over RLIMIT_MEMLOCK, or out of memory
 *   EEXIST      overlaps a range already mapped for the function
 *   EOPNOTSUPP  no-IOMMU mode: use SDMDEV_REGION_DMA
 */
struct sdmdev_dma_map {
	__u32 argsz;
	__u32 flags;
	__u64 iova;
	__u64 size;
};

#define SDMDEV_MAP_DMA		_IO(VFIO_TYPE, SDMDEV_BASE + 2)

/*
 * Parent drivers' ioctls (SDMDEV_DRIVER_BASE..0xff), by api.
 *
 * "hisi_qm_v2" (hisi_zip): HISI_QM_SDMDEV_SET_ALG - what the queue does,
 * the argument by value: 0 compress, 1 decompress (the QM takes the
 * direction from the queue, not the request). The rings restart empty:
 * call it with nothing in flight, before the first request. A new open
 * starts compressing. Errors: EINVAL (other values), ENOTTY (an older
 * hisi_zip, whose queues only compress).
 */
#define HISI_QM_SDMDEV_SET_ALG	_IO(VFIO_TYPE, SDMDEV_DRIVER_BASE + 0)

#endif /* _UAPI_MISC_SDMDEV_H */
