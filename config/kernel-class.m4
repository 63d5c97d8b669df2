dnl SPDX-License-Identifier: GPL-2.0
dnl #
dnl # 6.4: class_create() lost its owner argument.
dnl # 6.4: the driver core takes const struct bus_type (bus_register, dev->bus).
dnl #
AC_DEFUN([WD_AC_KERNEL_SRC_CLASS], [
	WD_LINUX_TEST_SRC([class_create_1arg], [
		#include <linux/device.h>
	], [
		struct class *c = class_create("wd_probe");
		(void)c;
	])
	WD_LINUX_TEST_SRC([bus_type_const], [
		#include <linux/device.h>
		static const struct bus_type wd_probe_bus = { .name = "wd_probe" };
	], [
		struct device dev = {};
		int ret = bus_register(&wd_probe_bus);

		dev.bus = &wd_probe_bus;
		bus_unregister(&wd_probe_bus);
		(void)ret;
	])
])

AC_DEFUN([WD_AC_KERNEL_CLASS], [
	WD_LINUX_PROBE([class_create_1arg], [HAVE_CLASS_CREATE_NO_OWNER],
		[whether class_create() takes only a name])
	WD_LINUX_PROBE([bus_type_const], [HAVE_BUS_TYPE_CONST],
		[whether the driver core takes a const struct bus_type])
])
