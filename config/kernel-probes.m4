dnl SPDX-License-Identifier: GPL-2.0
dnl #
dnl # The list of kernel API probes: write them all, compile them in one
dnl # pass, then read every result. Add a new API in all three places.
dnl #
AC_DEFUN([WD_AC_KERNEL_PROBES], [
	wd_probe_dir=build-kprobe
	rm -rf "$wd_probe_dir"
	AS_MKDIR_P([$wd_probe_dir])
	: >"$wd_probe_dir/Kbuild"

	WD_AC_KERNEL_SRC_VFIO
	WD_AC_KERNEL_SRC_IOMMU
	WD_AC_KERNEL_SRC_CLASS
	WD_AC_KERNEL_SRC_MM
	WD_AC_KERNEL_SRC_CRYPTO_ACOMP

	WD_LINUX_TEST_COMPILE_ALL

	WD_AC_KERNEL_VFIO
	WD_AC_KERNEL_IOMMU
	WD_AC_KERNEL_CLASS
	WD_AC_KERNEL_MM
	WD_AC_KERNEL_CRYPTO_ACOMP
])
