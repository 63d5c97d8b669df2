dnl SPDX-License-Identifier: GPL-2.0
dnl #
dnl # IOMMU domain API, used by sdmdev to map user memory into the parent
dnl # device's own DMA domain (module/sdmdev/sdmdev_iommu.c). sdmdev does not
dnl # allocate domains, so iommu_domain_alloc(bus) (gone in 6.17) versus
dnl # iommu_paging_domain_alloc(dev) (6.11) does not matter to it.
dnl #
dnl # 6.3:  iommu_map() takes a gfp_t.
dnl #
AC_DEFUN([WD_AC_KERNEL_SRC_IOMMU], [
	WD_LINUX_TEST_SRC([iommu_map_gfp], [
		#include <linux/iommu.h>
	], [
		int ret = iommu_map(NULL, 0, 0, 0, IOMMU_READ, GFP_KERNEL);
		(void)ret;
	])
])

AC_DEFUN([WD_AC_KERNEL_IOMMU], [
	WD_LINUX_PROBE([iommu_map_gfp], [HAVE_IOMMU_MAP_GFP],
		[whether iommu_map() takes a gfp_t])
])
