dnl SPDX-License-Identifier: GPL-2.0
dnl #
dnl # VFIO device core, as sdmdev uses it: an emulated-IOMMU vfio_device
dnl # allocated with vfio_alloc_device() and registered with
dnl # vfio_register_emulated_iommu_dev().
dnl #
dnl # 6.1:  vfio_free_device() exists and ops->release must call it.
dnl # 6.2+: the core frees the device itself; vfio_free_device() is gone.
dnl # 6.2+: vfio_device_ops grows bind_iommufd/unbind_iommufd/attach_ioas.
dnl # 6.6+: vfio_device_ops grows detach_ioas.
dnl # 7.x:  vfio_device_ops grows get_region_info_caps.
dnl #
AC_DEFUN([WD_AC_KERNEL_SRC_VFIO], [
	WD_LINUX_TEST_SRC([vfio_register_emulated], [
		#include <linux/vfio.h>
	], [
		struct vfio_device *vdev = NULL;
		int ret = vfio_register_emulated_iommu_dev(vdev);
		vfio_unregister_group_dev(vdev);
		(void)ret;
	])
	WD_LINUX_TEST_SRC([vfio_alloc_device], [
		#include <linux/vfio.h>
		struct wd_probe_dev { struct vfio_device vdev; };
		static const struct vfio_device_ops wd_probe_ops;
	], [
		struct wd_probe_dev *d = vfio_alloc_device(wd_probe_dev, vdev,
							   NULL, &wd_probe_ops);
		vfio_put_device(&d->vdev);
	])
	WD_LINUX_TEST_SRC([vfio_pin_pages_iova], [
		#include <linux/vfio.h>
	], [
		struct page *page = NULL;
		int n = vfio_pin_pages(NULL, (dma_addr_t)0, 1,
				       IOMMU_READ | IOMMU_WRITE, &page);
		vfio_unpin_pages(NULL, (dma_addr_t)0, 1);
		(void)n;
	])
	WD_LINUX_TEST_SRC([vfio_dma_rw], [
		#include <linux/vfio.h>
	], [
		char b = 0;
		int n = vfio_dma_rw(NULL, (dma_addr_t)0, &b, sizeof(b), false);
		(void)n;
	])
	WD_LINUX_TEST_SRC([vfio_ops_bind_iommufd], [
		#include <linux/vfio.h>
		static const struct vfio_device_ops wd_probe_ops __maybe_unused = {
			.bind_iommufd = NULL,
		};
	], [])
	WD_LINUX_TEST_SRC([vfio_ops_detach_ioas], [
		#include <linux/vfio.h>
		static const struct vfio_device_ops wd_probe_ops __maybe_unused = {
			.detach_ioas = NULL,
		};
	], [])
	WD_LINUX_TEST_SRC([vfio_ops_region_info_caps], [
		#include <linux/vfio.h>
		static const struct vfio_device_ops wd_probe_ops __maybe_unused = {
			.get_region_info_caps = NULL,
		};
	], [])
])

AC_DEFUN([WD_AC_KERNEL_VFIO], [
	WD_LINUX_TEST_RESULT([vfio_register_emulated], [], [
		AC_MSG_ERROR([
	*** vfio_register_emulated_iommu_dev() is missing from $LINUX_VERSION.
	*** sdmdev needs a kernel with the VFIO device core of Linux 6.1 or later.])
	])
	WD_LINUX_TEST_RESULT([vfio_alloc_device], [], [
		AC_MSG_ERROR([*** vfio_alloc_device() is missing from $LINUX_VERSION (need 6.1 or later).])
	])
	WD_LINUX_TEST_RESULT([vfio_pin_pages_iova], [], [
		AC_MSG_ERROR([*** vfio_pin_pages(vdev, iova, npage, prot, pages) is missing from $LINUX_VERSION (need 6.1 or later).])
	])
	WD_LINUX_TEST_RESULT([vfio_dma_rw], [], [
		AC_MSG_ERROR([*** vfio_dma_rw() is missing from $LINUX_VERSION.])
	])
	AC_MSG_CHECKING([whether vfio_free_device() is exported])
	WD_LINUX_SYMBOL_EXPORTED([vfio_free_device], [
		AC_MSG_RESULT([yes])
		WD_KDEFINE([HAVE_VFIO_FREE_DEVICE], [6.1: ops->release must call vfio_free_device()])
	], [AC_MSG_RESULT([no])])
	WD_LINUX_PROBE([vfio_ops_bind_iommufd], [HAVE_VFIO_OPS_BIND_IOMMUFD],
		[whether vfio_device_ops has bind_iommufd])
	WD_LINUX_PROBE([vfio_ops_detach_ioas], [HAVE_VFIO_OPS_DETACH_IOAS],
		[whether vfio_device_ops has detach_ioas])
	WD_LINUX_PROBE([vfio_ops_region_info_caps], [HAVE_VFIO_OPS_REGION_INFO_CAPS],
		[whether vfio_device_ops has get_region_info_caps])
])
