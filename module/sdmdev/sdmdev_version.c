// SPDX-License-Identifier: GPL-2.0
/*
 * The package version as modinfo's "version". With it modpost also records
 * "srcversion", a checksum of this module's own sources: an admin can tell
 * which sources a dkms-built module came from, and tests/pkg/run checks
 * that dkms builds what the VM bench builds.
 */
#include <linux/module.h>

#ifndef WD_MODULE_VERSION
#define WD_MODULE_VERSION "unknown"
#endif

MODULE_VERSION(WD_MODULE_VERSION);
