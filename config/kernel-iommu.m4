dnl SPDX-License-Identifier: GPL-2.0
dnl #
dnl # IOMMU domain API, used by sdmdev to map user memory into the parent
dnl # device's domain.
dnl #
dnl # 6.3:  iommu_map() takes a gfp_t.
dnl # 6.11: iommu_paging_domain_alloc(dev) replaces iommu_domain_alloc(bus),
dnl #       which 6.17 removes.
dnl #
AC_DEFUN([WD_AC_KERNEL_SRC_IOMMU], [
	WD_LINUX_TEST_SRC([iommu_map_gfp], [
		#include <linux/iommu.h>
	], [
		int ret = iommu_map(NULL, 0, 0, 0, IOMMU_READ, GFP_KERNEL);
		(void)ret;
	])
	WD_LINUX_TEST_SRC([iommu_domain_alloc_bus], [
		#include <linux/iommu.h>
		#include <linux/pci.h>
	], [
		struct iommu_domain *d = iommu_domain_alloc(&pci_bus_type);
		(void)d;
	])
	WD_LINUX_TEST_SRC([iommu_paging_domain_alloc], [
		#include <linux/iommu.h>
	], [
		struct iommu_domain *d = iommu_paging_domain_alloc(NULL);
		(void)d;
	])
])

AC_DEFUN([WD_AC_KERNEL_IOMMU], [
	WD_LINUX_PROBE([iommu_map_gfp], [HAVE_IOMMU_MAP_GFP],
		[whether iommu_map() takes a gfp_t])
	WD_LINUX_PROBE([iommu_paging_domain_alloc], [HAVE_IOMMU_PAGING_DOMAIN_ALLOC],
		[whether iommu_paging_domain_alloc() exists])
	WD_LINUX_PROBE([iommu_domain_alloc_bus], [HAVE_IOMMU_DOMAIN_ALLOC_BUS],
		[whether iommu_domain_alloc(bus) exists])
])
