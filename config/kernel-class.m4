dnl SPDX-License-Identifier: GPL-2.0
dnl #
dnl # 6.4: class_create() lost its owner argument.
dnl #
AC_DEFUN([WD_AC_KERNEL_SRC_CLASS], [
	WD_LINUX_TEST_SRC([class_create_1arg], [
		#include <linux/device.h>
	], [
		struct class *c = class_create("wd_probe");
		(void)c;
	])
])

AC_DEFUN([WD_AC_KERNEL_CLASS], [
	WD_LINUX_PROBE([class_create_1arg], [HAVE_CLASS_CREATE_NO_OWNER],
		[whether class_create() takes only a name])
])
