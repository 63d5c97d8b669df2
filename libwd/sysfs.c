// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs access for discovery (wd_dev.c) and queue set-up (wd_queue.c).
 */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysfs.h"
#include "wd.h"

const char *wd_sysfs_root(void)
{
	const char *root = secure_getenv("WD_SYSFS_ROOT");

	return root && *root ? root : "/sys";
}

int wd_sysfs_path(char *buf, size_t len, const char *rel)
{
	int n = snprintf(buf, len, "%s/%s", wd_sysfs_root(), rel);

	return n < 0 || (size_t)n >= len ? WD_EINVAL : WD_OK;
}

int wd_errno_status(int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
		return WD_EPERM;
	case ENOENT:
		return WD_ENOENT;
	case ENODEV:
	case ENXIO:
		return WD_ENODEV;
	case EAGAIN:
	case ENOSPC:	/* sysfs create: no queue left */
		return WD_EAGAIN;
	case ENOMEM:
		return WD_ENOMEM;
	case EBUSY:
	case EEXIST:
		return WD_EBUSY;
	case EINVAL:
		return WD_EINVAL;
	case ETIMEDOUT:
		return WD_ETIMEDOUT;
	case EOPNOTSUPP:
		return WD_EOPNOTSUPP;
	default:
		return WD_EIO;
	}
}

int wd_sysfs_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	if (len < 2)
		return WD_EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wd_errno_status(errno);
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = wd_errno_status(errno);
		close(fd);
		return (int)n;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return (int)n;
}

int wd_sysfs_read_long(const char *path, long *val)
{
	char buf[64], *end;
	int ret;

	ret = wd_sysfs_read(path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	errno = 0;
	*val = strtol(buf, &end, 0);
	if (errno || end == buf || *end)
		return WD_EIO;
	return WD_OK;
}

int wd_sysfs_write(const char *path, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd, ret = WD_OK;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return wd_errno_status(errno);
	n = write(fd, s, len);
	if (n < 0)
		ret = wd_errno_status(errno);
	else if ((size_t)n != len)
		ret = WD_EIO;
	close(fd);
	return ret;
}

int wd_sysfs_link_name(const char *path, char *buf, size_t len)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return wd_errno_status(errno);
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= len)
		return WD_EINVAL;
	strcpy(buf, base);
	return WD_OK;
}

int wd_sysfs_instance_group(const char *uuid)
{
	char rel[128], path[PATH_MAX], name[32], *end;
	long g;
	int ret;

	snprintf(rel, sizeof(rel), "bus/sdmdev/devices/%s/iommu_group", uuid);
	ret = wd_sysfs_path(path, sizeof(path), rel);
	if (ret)
		return ret;
	ret = wd_sysfs_link_name(path, name, sizeof(name));
	if (ret)
		return ret;
	g = strtol(name, &end, 10);
	if (end == name || *end || g < 0 || g > INT_MAX)
		return WD_EIO;
	return (int)g;
}
