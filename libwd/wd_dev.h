/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wd_dev.h - WarpDrive device discovery: which accelerator functions offer
 * user-space queues through sdmdev, and their instances.
 *
 * A "device" here is an sdmdev parent: one function (a PCI PF or VF) whose
 * driver hands queues to user space. Each queue is reached through an
 * instance (a VFIO device named by a UUID) that root creates on the device;
 * wd_queue.h opens instances. See docs/sdmdev.md for the model.
 *
 * wd_dev_scan() takes a snapshot of sysfs; the snapshot does not change
 * when the system does (scan again for news).
 *
 * Errors: negative WD_E* codes (wd.h). Threads: a snapshot is read-only and
 * may be shared by threads; nothing else is kept between calls.
 */
#ifndef WD_DEV_H
#define WD_DEV_H

#include <stdint.h>

#include "wd.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WD_UUID_LEN	36	/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */
#define WD_NAME_MAX	64

/* Bits of wd_dev.flags: the kernel's SDMDEV_FLAG_* (misc/sdmdev.h). */
#define WD_DEV_SHARED_MMIO	(1U << 0) /* queues share one doorbell page */
#define WD_DEV_NOIOMMU		(1U << 1) /* no IOMMU: needs CAP_SYS_RAWIO */
#define WD_DEV_WAIT		(1U << 2) /* queues can sleep for completions */

struct wd_instance {
	char uuid[WD_UUID_LEN + 1];
	int group;		/* VFIO group number, -1 if unknown */
	int open;		/* 1 open, 0 closed, -1 the kernel does not say */
};

/*
 * One device. The library allocates these; fields may be added at the end
 * in later versions, so never copy or allocate one yourself.
 */
struct wd_dev {
	char name[WD_NAME_MAX];	  /* sdmdev parent, e.g. PCI "0000:00:03.0" */
	char driver[WD_NAME_MAX]; /* kernel driver of the function, "hisi_zip" */
	char api[32];		  /* queue interface, e.g. "hisi_qm_v2" */
	char desc[WD_NAME_MAX];	  /* the driver's words, "hisi_zip PF queue" */
	unsigned int flags;	  /* WD_DEV_* */
	int numa_node;		  /* -1 if none */
	int available_instances;  /* more instances that can be created */
	uint64_t mmio_size, ring_size, dma_size;  /* region sizes, bytes */
	unsigned int num_instances;
	const struct wd_instance *instances;
};

struct wd_dev_list;

/*
 * Read every sdmdev device into a new snapshot. WD_ENODEV when sdmdev is
 * not loaded (no /sys/class/sdmdev); an empty list (count 0) when it is
 * loaded but no driver registered a device.
 */
WD_API int wd_dev_scan(struct wd_dev_list **list);
WD_API void wd_dev_list_free(struct wd_dev_list *list);
/* Devices in the snapshot, sorted by name. */
WD_API unsigned int wd_dev_count(const struct wd_dev_list *list);
/* Device @i (0-based), or NULL past the end. */
WD_API const struct wd_dev *wd_dev_get(const struct wd_dev_list *list,
				       unsigned int i);
/* The device called @name, or NULL. */
WD_API const struct wd_dev *wd_dev_find(const struct wd_dev_list *list,
					const char *name);

/*
 * Create an instance on device @name (root only). @uuid: NULL or "" to let
 * the library make a random one; the UUID used is written to @uuid_out
 * (WD_UUID_LEN + 1 bytes) when that is not NULL. Errors: WD_ENOENT (no such
 * device), WD_EPERM, WD_EAGAIN (no free queue), WD_EBUSY (UUID taken),
 * WD_EINVAL (not a UUID).
 */
WD_API int wd_dev_create_instance(const char *name, const char *uuid,
				  char *uuid_out);
/* Remove an instance (root only). WD_EBUSY while it is open. */
WD_API int wd_dev_remove_instance(const char *uuid);

#ifdef __cplusplus
}
#endif

#endif /* WD_DEV_H */
