// SPDX-License-Identifier: GPL-2.0
/*
 * Device discovery (wd_dev.h): a snapshot of /sys/class/sdmdev and of the
 * instances on /sys/bus/sdmdev, and instance creation and removal.
 *
 * An instance belongs to the parent device it is a child of: the directory
 * its bus link resolves to sits inside the directory the parent's "device"
 * link resolves to (docs/ABI/sysfs-bus-sdmdev).
 */
#include "config.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "sysfs.h"
#include "wd_dev.h"

struct wd_dev_list {
	unsigned int count;
	struct wd_dev *devs;
	struct wd_instance *insts;	/* all instances, grouped by device */
};

/* An instance found on the bus, before it is given to its device. */
struct bus_inst {
	struct wd_instance inst;
	char parent[PATH_MAX];		/* real path of its parent device */
};

static bool is_uuid(const char *s)
{
	static const char hex[] = "0123456789abcdefABCDEF";
	unsigned int i;

	if (strlen(s) != WD_UUID_LEN)
		return false;
	for (i = 0; i < WD_UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!strchr(hex, s[i]) || !s[i]) {
			return false;
		}
	}
	return true;
}

static void attr_path(char *buf, size_t len, const char *dir,
		      const char *name, const char *attr)
{
	char rel[PATH_MAX];

	snprintf(rel, sizeof(rel), "%s/%s/%s", dir, name, attr);
	if (wd_sysfs_path(buf, len, rel))
		buf[0] = '\0';
}

static long read_long_or(const char *dir, const char *name, const char *attr,
			 long dflt)
{
	char path[PATH_MAX];
	long v;

	attr_path(path, sizeof(path), dir, name, attr);
	return wd_sysfs_read_long(path, &v) ? dflt : v;
}

static void read_str(const char *dir, const char *name, const char *attr,
		     char *buf, size_t len)
{
	char path[PATH_MAX];

	attr_path(path, sizeof(path), dir, name, attr);
	if (wd_sysfs_read(path, buf, len) < 0)
		buf[0] = '\0';
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct wd_dev *)a)->name,
		      ((const struct wd_dev *)b)->name);
}

static int inst_cmp(const void *a, const void *b)
{
	return strcmp(((const struct bus_inst *)a)->inst.uuid,
		      ((const struct bus_inst *)b)->inst.uuid);
}

/* Every instance on the sdmdev bus; *out is malloc()ed, count returned. */
static int scan_bus(struct bus_inst **out)
{
	struct bus_inst *v = NULL, *nv;
	char dir[PATH_MAX], path[PATH_MAX];
	unsigned int n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	*out = NULL;
	if (wd_sysfs_path(dir, sizeof(dir), "bus/sdmdev/devices"))
		return WD_EINVAL;
	d = opendir(dir);
	if (!d)
		return 0;	/* no instance yet */
	while ((de = readdir(d))) {
		struct bus_inst *bi;
		char *slash;
		int g;

		if (!is_uuid(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				closedir(d);
				free(v);
				return WD_ENOMEM;
			}
			v = nv;
		}
		bi = &v[n];
		memset(bi, 0, sizeof(*bi));
		strcpy(bi->inst.uuid, de->d_name);
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(path) || !realpath(path, bi->parent))
			continue;	/* removed while we looked */
		slash = strrchr(bi->parent, '/');
		if (slash)
			*slash = '\0';
		g = wd_sysfs_instance_group(de->d_name);
		bi->inst.group = g < 0 ? -1 : g;
		bi->inst.open = (int)read_long_or("bus/sdmdev/devices",
						  de->d_name, "open", -1);
		n++;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), inst_cmp);
	*out = v;
	return (int)n;
}

static void fill_dev(struct wd_dev *dev, const char *name)
{
	const char *cls = "class/sdmdev";
	char path[PATH_MAX];

	snprintf(dev->name, sizeof(dev->name), "%s", name);
	read_str(cls, name, "api", dev->api, sizeof(dev->api));
	read_str(cls, name, "name", dev->desc, sizeof(dev->desc));
	attr_path(path, sizeof(path), cls, name, "device/driver");
	if (wd_sysfs_link_name(path, dev->driver, sizeof(dev->driver)))
		dev->driver[0] = '\0';
	dev->flags = (unsigned int)read_long_or(cls, name, "flags", 0);
	dev->numa_node = (int)read_long_or(cls, name, "numa_node", -1);
	dev->available_instances =
		(int)read_long_or(cls, name, "available_instances", 0);
	dev->mmio_size = (uint64_t)read_long_or(cls, name, "mmio_size", 0);
	dev->ring_size = (uint64_t)read_long_or(cls, name, "ring_size", 0);
	dev->dma_size = (uint64_t)read_long_or(cls, name, "dma_size", 0);
}

/* Give each device its instances, in UUID order. */
static int attach_instances(struct wd_dev_list *l, struct bus_inst *bi,
			    unsigned int nbi)
{
	char path[PATH_MAX], real[PATH_MAX];
	unsigned int i, j, k = 0;

	if (nbi) {
		l->insts = calloc(nbi, sizeof(*l->insts));
		if (!l->insts)
			return WD_ENOMEM;
	}
	for (i = 0; i < l->count; i++) {
		struct wd_dev *dev = &l->devs[i];

		dev->instances = l->insts + k;
		attr_path(path, sizeof(path), "class/sdmdev", dev->name,
			  "device");
		if (!realpath(path, real))
			continue;
		for (j = 0; j < nbi; j++) {
			if (strcmp(bi[j].parent, real))
				continue;
			l->insts[k++] = bi[j].inst;
			dev->num_instances++;
		}
	}
	return WD_OK;
}

int wd_dev_scan(struct wd_dev_list **listp)
{
	struct wd_dev_list *l;
	struct bus_inst *bi = NULL;
	char dir[PATH_MAX];
	struct dirent *de;
	unsigned int cap = 0;
	int nbi, ret;
	DIR *d;

	if (!listp)
		return WD_EINVAL;
	if (wd_sysfs_path(dir, sizeof(dir), "class/sdmdev"))
		return WD_EINVAL;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? WD_ENODEV : wd_errno_status(errno);
	l = calloc(1, sizeof(*l));
	if (!l) {
		closedir(d);
		return WD_ENOMEM;
	}
	ret = WD_OK;
	while ((de = readdir(d))) {
		struct wd_dev *nv;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= WD_NAME_MAX)
			continue;
		if (l->count == cap) {
			cap = cap ? 2 * cap : 8;
			nv = realloc(l->devs, cap * sizeof(*nv));
			if (!nv) {
				ret = WD_ENOMEM;
				break;
			}
			l->devs = nv;
		}
		memset(&l->devs[l->count], 0, sizeof(l->devs[0]));
		fill_dev(&l->devs[l->count], de->d_name);
		l->count++;
	}
	closedir(d);
	if (!ret && l->count)
		qsort(l->devs, l->count, sizeof(l->devs[0]), name_cmp);
	if (!ret) {
		nbi = scan_bus(&bi);
		ret = nbi < 0 ? nbi : attach_instances(l, bi, (unsigned int)nbi);
		free(bi);
	}
	if (ret) {
		wd_dev_list_free(l);
		return ret;
	}
	*listp = l;
	return WD_OK;
}

void wd_dev_list_free(struct wd_dev_list *l)
{
	if (!l)
		return;
	free(l->devs);
	free(l->insts);
	free(l);
}

unsigned int wd_dev_count(const struct wd_dev_list *l)
{
	return l ? l->count : 0;
}

const struct wd_dev *wd_dev_get(const struct wd_dev_list *l, unsigned int i)
{
	return l && i < l->count ? &l->devs[i] : NULL;
}

const struct wd_dev *wd_dev_find(const struct wd_dev_list *l,
				 const char *name)
{
	unsigned int i;

	if (!l || !name)
		return NULL;
	for (i = 0; i < l->count; i++)
		if (!strcmp(l->devs[i].name, name))
			return &l->devs[i];
	return NULL;
}

/* A random (version 4) UUID. */
#define WD_AUTO_SUFFIX	"-77646175746f"	/* "wdauto" */

static int make_uuid_marked(char *out, bool mark)
{
	unsigned char b[16];
	size_t got = 0;
	ssize_t n;

	while (got < sizeof(b)) {
		n = getrandom(b + got, sizeof(b) - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return wd_errno_status(errno);
		}
		got += (size_t)n;
	}
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	if (mark)
		memcpy(b + 10, "wdauto", 6);
	else if (!memcmp(b + 10, "wdauto", 6))
		b[15] ^= 1;	/* 2^-48: but never one that looks automatic */
	snprintf(out, WD_UUID_LEN + 1,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
	return WD_OK;
}

static int make_uuid(char *out)
{
	return make_uuid_marked(out, false);
}

int wd_auto_uuid(char *out)
{
	return make_uuid_marked(out, true);
}

bool wd_uuid_is_auto(const char *uuid)
{
	size_t n = uuid ? strlen(uuid) : 0;

	return n == WD_UUID_LEN && is_uuid(uuid) &&
	       !strcasecmp(uuid + n - strlen(WD_AUTO_SUFFIX), WD_AUTO_SUFFIX);
}

int wd_dev_create_instance(const char *name, const char *uuid,
			   char *uuid_out)
{
	char u[WD_UUID_LEN + 1], path[PATH_MAX], dir[PATH_MAX];
	int ret;

	if (!name || !*name || strchr(name, '/') || strlen(name) >= WD_NAME_MAX)
		return WD_EINVAL;
	if (uuid && *uuid) {
		if (!is_uuid(uuid))
			return WD_EINVAL;
		strcpy(u, uuid);
	} else {
		ret = make_uuid(u);
		if (ret)
			return ret;
	}
	snprintf(dir, sizeof(dir), "class/sdmdev/%s/create", name);
	ret = wd_sysfs_path(path, sizeof(path), dir);
	if (ret)
		return ret;
	ret = wd_sysfs_write(path, u);
	if (ret)
		return ret;
	if (uuid_out)
		strcpy(uuid_out, u);
	return WD_OK;
}

int wd_dev_remove_instance(const char *uuid)
{
	char path[PATH_MAX], rel[128];
	int ret;

	if (!uuid || !is_uuid(uuid))
		return WD_EINVAL;
	snprintf(rel, sizeof(rel), "bus/sdmdev/devices/%s/remove", uuid);
	ret = wd_sysfs_path(path, sizeof(path), rel);
	if (ret)
		return ret;
	return wd_sysfs_write(path, "1");
}
