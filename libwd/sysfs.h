/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sysfs.h - libwd's small helpers for reading sdmdev's sysfs files.
 *
 * Paths are relative to the sysfs root, "/sys" unless the environment
 * variable WD_SYSFS_ROOT names another directory. That variable exists for
 * the unit tests (a fake tree in a temporary directory) and is ignored in
 * set-uid/set-gid programs (secure_getenv).
 */
#ifndef WD_SYSFS_H
#define WD_SYSFS_H

#include <stdbool.h>
#include <stddef.h>

/* The sysfs root; never NULL. */
const char *wd_sysfs_root(void);
/* "<root>/<rel>" into buf; WD_EINVAL when it does not fit. */
int wd_sysfs_path(char *buf, size_t len, const char *rel);
/* Read a small attribute, newline stripped. Returns length or WD_E*. */
int wd_sysfs_read(const char *path, char *buf, size_t len);
/* Parse an attribute as a number (any base strtol takes). */
int wd_sysfs_read_long(const char *path, long *val);
/* Write a string to an attribute; the kernel's errno as WD_E*. */
int wd_sysfs_write(const char *path, const char *s);
/* Basename of a symlink's target, or WD_E*. */
int wd_sysfs_link_name(const char *path, char *buf, size_t len);
/* VFIO group of an instance, or WD_E*. */
int wd_sysfs_instance_group(const char *uuid);
/*
 * The instances wd_queue_open() makes for itself carry a random UUID whose
 * last group spells "wdauto" in hex (...-77646175746f), so that whichever
 * libwd process closes one last removes it, not only the one that made it
 * (another may have opened it in between, and then the maker's remove is
 * refused). Instances made by wd_dev_create_instance() or an admin never
 * end that way and are left alone.
 */
int wd_auto_uuid(char *out);
bool wd_uuid_is_auto(const char *uuid);
/* errno value (positive) as the nearest WD_E* code. */
int wd_errno_status(int err);

#endif /* WD_SYSFS_H */
