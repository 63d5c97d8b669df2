dnl SPDX-License-Identifier: GPL-2.0
dnl #
dnl # VMA flags, as sdmdev's mmap sets them.
dnl #
dnl # 6.3: vm_flags is read-only; vm_flags_set() is the way to add flags.
dnl #
AC_DEFUN([WD_AC_KERNEL_SRC_MM], [
	WD_LINUX_TEST_SRC([vm_flags_set], [
		#include <linux/mm.h>
	], [
		struct vm_area_struct *vma = NULL;
		vm_flags_set(vma, VM_DONTCOPY);
	])
])

AC_DEFUN([WD_AC_KERNEL_MM], [
	WD_LINUX_PROBE([vm_flags_set], [HAVE_VM_FLAGS_SET],
		[whether vm_flags_set() exists])
])
