// SPDX-License-Identifier: GPL-2.0
/*
 * wdt-vfio - opening sdmdev instances the VFIO way, for the bench's guest
 * programs (see wdt-vfio.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wdt-vfio.h"

/* One system call made: tell the caller (errno kept for the result). */
static void step(struct wdt_vfio *v)
{
	int e = errno;

	if (v->step)
		v->step(v->step_arg);
	errno = e;
}

int wdt_group_of(const char *uuid)
{
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/bus/sdmdev/devices/%s/iommu_group", uuid);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	return atoi(basename(target));
}

/* Fail step @what with errno @e (or errno): close what is open. */
static int fail(struct wdt_vfio *v, const char *what, int e)
{
	v->failed_step = what;
	wdt_vfio_close(v);
	return -(e ? e : errno ? errno : EIO);
}

static int check_container(struct wdt_vfio *v)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	int ret;

	ret = ioctl(v->container, VFIO_GET_API_VERSION);
	step(v);
	if (ret != VFIO_API_VERSION)
		return fail(v, "VFIO_GET_API_VERSION", ret < 0 ? errno : EPROTO);
	ret = ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU);
	step(v);
	if (ret != 1)
		return fail(v, "VFIO_CHECK_EXTENSION type1v2", ret < 0 ? errno : ENOTSUP);
	ret = ioctl(v->group, VFIO_GROUP_GET_STATUS, &status);
	step(v);
	if (ret)
		return fail(v, "VFIO_GROUP_GET_STATUS", errno);
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		return fail(v, "group not viable", EBUSY);
	return 0;
}

int wdt_vfio_open(struct wdt_vfio *v, const char *uuid, unsigned int flags)
{
	void (*cb)(void *) = v->step;
	void *arg = v->step_arg;
	char path[64];
	int g, ret;

	memset(v, 0, sizeof(*v));
	v->step = cb;
	v->step_arg = arg;
	v->uuid = uuid;
	v->container = v->group = v->device = -1;
	g = wdt_group_of(uuid);
	if (g < 0)
		return fail(v, "iommu_group link", -g);
	snprintf(path, sizeof(path), "/dev/vfio/%d", g);
	v->group = open(path, O_RDWR);
	step(v);
	if (v->group < 0)
		return fail(v, "open group", errno);
	v->container = open("/dev/vfio/vfio", O_RDWR);
	step(v);
	if (v->container < 0)
		return fail(v, "open /dev/vfio/vfio", errno);
	if (flags & WDT_VFIO_CHECK) {
		ret = check_container(v);
		if (ret)
			return ret;
	}
	if (flags & WDT_VFIO_EARLY_IOMMU) {
		ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU);
		step(v);
	}
	ret = ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container);
	step(v);
	if (ret)
		return fail(v, "VFIO_GROUP_SET_CONTAINER", errno);
	ret = ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU);
	step(v);
	if (ret)
		return fail(v, "VFIO_SET_IOMMU type1v2", errno);
	v->device = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	step(v);
	if (v->device < 0)
		return fail(v, "VFIO_GROUP_GET_DEVICE_FD", errno);
	return 0;
}

int wdt_vfio_info(struct wdt_vfio *v)
{
	int ret;

	memset(&v->info, 0, sizeof(v->info));
	v->info.argsz = sizeof(v->info);
	ret = ioctl(v->device, SDMDEV_GET_INFO, &v->info) ? -errno : 0;
	step(v);
	if (ret)
		memset(&v->info, 0, sizeof(v->info));
	return ret;
}

int wdt_vfio_regions(struct wdt_vfio *v)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < SDMDEV_NUM_REGIONS; i++) {
		struct vfio_region_info ri = { .argsz = sizeof(ri), .index = i };

		if (!ioctl(v->device, VFIO_DEVICE_GET_REGION_INFO, &ri))
			v->size[i] = ri.size;
		else if (!ret)
			ret = -errno;
		step(v);
	}
	return ret;
}

void *wdt_vfio_mmap(struct wdt_vfio *v, unsigned int i, size_t len)
{
	void *p;

	if (i >= SDMDEV_NUM_REGIONS)
		return NULL;
	if (v->size[i])
		len = v->size[i];
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, v->device,
		 SDMDEV_REGION_OFFSET(i));
	step(v);
	if (p == MAP_FAILED)
		return NULL;
	v->size[i] = len;
	v->map[i] = p;
	return p;
}

void wdt_vfio_close(struct wdt_vfio *v)
{
	int *fds[] = { &v->device, &v->group, &v->container };
	unsigned int i;

	for (i = 0; i < SDMDEV_NUM_REGIONS; i++)
		if (v->map[i]) {
			munmap(v->map[i], v->size[i]);
			v->map[i] = NULL;
		}
	for (i = 0; i < 3; i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			step(v);
			*fds[i] = -1;
		}
}

int wdt_dma_map(struct wdt_vfio *v, void *va, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)va, .iova = iova, .size = size,
	};
	int ret = ioctl(v->container, VFIO_IOMMU_MAP_DMA, &m) ? -errno : 0;

	step(v);
	return ret;
}

int wdt_dma_unmap(struct wdt_vfio *v, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof(u), .iova = iova, .size = size };
	int ret = ioctl(v->container, VFIO_IOMMU_UNMAP_DMA, &u) ? -errno : 0;

	step(v);
	return ret;
}

int wdt_sdm_map(struct wdt_vfio *v, uint64_t iova, uint64_t size, uint32_t flags)
{
	struct sdmdev_dma_map m = { .argsz = sizeof(m), .flags = flags, .iova = iova, .size = size };
	int ret = ioctl(v->device, SDMDEV_MAP_DMA, &m) ? -errno : 0;

	step(v);
	return ret;
}

long wdt_read_counter(const char *file, const char *key)
{
	char line[256];
	size_t len = strlen(key);
	long val = -1;
	FILE *f = fopen(file, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && (line[len] == ' ' || line[len] == ':' ||
						 line[len] == '\t')) {
			val = strtol(line + len + 1 + strspn(line + len + 1, " \t"), NULL, 10);
			break;
		}
	fclose(f);
	return val;
}

/*
 * The FOLL_PIN counters are per CPU with batched folding: vm.stat_refresh
 * folds them first, or the difference drifts by a few pages.
 */
long wdt_pins_held(void)
{
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "1", 1) != 1)
			perror("stat_refresh");
		close(fd);
	}
	return wdt_read_counter("/proc/vmstat", "nr_foll_pin_acquired") -
	       wdt_read_counter("/proc/vmstat", "nr_foll_pin_released");
}

long wdt_locked_kb(void)
{
	return wdt_read_counter("/proc/self/status", "VmLck:");
}

int wdt_available(const char *uuid)
{
	char path[PATH_MAX], buf[32] = "";
	char inst[PATH_MAX], target[PATH_MAX];
	char *slash;
	ssize_t n;
	FILE *f;

	/* The instance is a child of the parent's device: ../ of its sysfs dir. */
	snprintf(inst, sizeof(inst), "/sys/bus/sdmdev/devices/%s", uuid);
	n = readlink(inst, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = '\0';
	slash = strrchr(target, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	snprintf(path, sizeof(path), "/sys/class/sdmdev/%s/available_instances", basename(target));
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return atoi(buf);
}
