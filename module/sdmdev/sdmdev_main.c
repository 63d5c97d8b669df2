// SPDX-License-Identifier: GPL-2.0
/*
 * sdmdev - Share Domain Mediated Device.
 *
 * A parent driver registers its hardware queues; each sdmdev instance is a
 * VFIO device that user space opens through the VFIO group and container
 * ioctls, and all instances share the parent's IOMMU domain.
 *
 * This file holds the module entry points and the sysfs class under which
 * parents and instances appear.
 *
 * Locking: module init/exit only; nothing is shared yet.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "wd_compat.h"

static struct class *sdmdev_class;

static int __init sdmdev_init(void)
{
	sdmdev_class = wd_class_create("sdmdev");
	if (IS_ERR(sdmdev_class))
		return PTR_ERR(sdmdev_class);
	return 0;
}

static void __exit sdmdev_exit(void)
{
	class_destroy(sdmdev_class);
}

module_init(sdmdev_init);
module_exit(sdmdev_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Share Domain Mediated Device: user-space accelerator queues over VFIO");
