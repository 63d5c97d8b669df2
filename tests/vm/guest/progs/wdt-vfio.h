/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdt-vfio - the VFIO side of the bench's guest programs: opening an sdmdev
 * instance the documented way (group, container, VFIO_SET_IOMMU type1v2,
 * device fd), its regions, DMA mapping, and the counters tests compare
 * before and after (pinned pages, locked_vm, available_instances).
 *
 * Every function returns 0 (or a value) on success and -errno on failure;
 * none prints. Not thread safe on one struct wdt_vfio.
 */
#ifndef WDT_VFIO_H
#define WDT_VFIO_H

#include <stddef.h>
#include <stdint.h>

#include <linux/vfio.h>
#include <misc/sdmdev.h>

struct wdt_vfio {
	const char *uuid;
	int container, group, device;	/* -1 when not open */
	const char *failed_step;	/* the step that failed, for messages */
	struct sdmdev_info info;	/* wdt_vfio_info() */
	uint64_t size[SDMDEV_NUM_REGIONS];	/* wdt_vfio_regions() */
	void *map[SDMDEV_NUM_REGIONS];	/* wdt_vfio_mmap(); NULL when not */
	/* called after every system call the helpers make (sdmdev-fuzz counts) */
	void (*step)(void *arg);
	void *step_arg;
};

/* wdt_vfio_open() flags */
#define WDT_VFIO_CHECK		0x1	/* also check API version, type1v2, viability */
#define WDT_VFIO_EARLY_IOMMU	0x2	/* first a VFIO_SET_IOMMU before the group is
					 * in the container (refused; sdmdev-fuzz) */

/* The IOMMU group number of instance @uuid, or -errno. */
int wdt_group_of(const char *uuid);

/*
 * Open @uuid: its group, a container, the group into the container, the
 * type1v2 IOMMU, the device fd. @v's step/step_arg are kept, everything
 * else is reset. On failure everything opened is closed again,
 * v->failed_step names the step and -errno is returned (-EACCES for a
 * group the caller may not open, -EBUSY for a function someone else owns).
 */
int wdt_vfio_open(struct wdt_vfio *v, const char *uuid, unsigned int flags);

/* SDMDEV_GET_INFO into v->info (zeroed on failure). */
int wdt_vfio_info(struct wdt_vfio *v);

/* VFIO_DEVICE_GET_REGION_INFO of every region into v->size[]. */
int wdt_vfio_regions(struct wdt_vfio *v);

/*
 * mmap region @i whole and shared (v->size[i], or @len when v->size[i] is
 * not known), kept in v->map[i] for wdt_vfio_close(); the address or NULL.
 */
void *wdt_vfio_mmap(struct wdt_vfio *v, unsigned int i, size_t len);

/* munmap what wdt_vfio_mmap() mapped, close device, group and container. */
void wdt_vfio_close(struct wdt_vfio *v);

/* VFIO_IOMMU_MAP_DMA (read/write) and UNMAP_DMA on the container. */
int wdt_dma_map(struct wdt_vfio *v, void *va, uint64_t iova, uint64_t size);
int wdt_dma_unmap(struct wdt_vfio *v, uint64_t iova, uint64_t size);

/* SDMDEV_MAP_DMA: give container memory to the function's domain. */
int wdt_sdm_map(struct wdt_vfio *v, uint64_t iova, uint64_t size, uint32_t flags);

/* ---- counters ------------------------------------------------------------- */

/* The number after "@key" (followed by ' ', ':' or tab) in @file, or -1. */
long wdt_read_counter(const char *file, const char *key);

/* FOLL_PIN pages held system wide (vm.stat_refresh folded first). */
long wdt_pins_held(void);

/* This process's locked memory (VmLck) in kB. */
long wdt_locked_kb(void);

/* available_instances of instance @uuid's parent, or -1. */
int wdt_available(const char *uuid);

#endif
