// SPDX-License-Identifier: GPL-2.0
/*
 * sdmdev-fuzz - random use of sdmdev's user ABI; the kernel log judges.
 *
 *   sdmdev-fuzz [-s SEED] [-n OPS] [-v] PARENT
 *
 * PARENT is the parent's sysfs directory (/sys/class/sdmdev/<device>).
 * Three threads share a handful of instance UUIDs and run until OPS system
 * calls (default 100000) have been made between them:
 *  - main: ioctls on the container, group and device fds with random
 *    commands, sizes, flags, indices and pointers (NULL, kernel, unmapped,
 *    read-only, straddling the end of a mapping), VFIO_IOMMU_MAP_DMA /
 *    UNMAP_DMA and SDMDEV_MAP_DMA with random ranges, mmap of random
 *    offsets, lengths, protections and flags (mappings kept across closes
 *    and unmapped later), read/write/lseek, fork with open fds, closes in
 *    every order;
 *  - sysfs: create and remove instances (good, duplicate and malformed
 *    UUIDs, garbage writes), read every attribute;
 *  - opener: whole open/close cycles racing with those removes.
 * Each thread's sequence comes from the seed, printed on stdout and in the
 * kernel log (so that a splat there names it); -s SEED replays it (thread
 * interleaving aside). Besides the kernel's view (oops, WARN, lockdep: the
 * bench's kernel-log check), user space checks the ABI's promises: calls
 * given unusable pointers or malformed sizes never succeed, mmap takes only
 * whole regions, and at the end every instance can be removed and the
 * parent's available_instances is back where it started.
 * Exit 0 when those checks passed; each failure prints one line.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>
#include <misc/sdmdev.h>

#include "wdt-qm.h"
#include "wdt-vfio.h"

#define NUUID		4	/* instances the threads fight over */
#define NSET		3	/* open instances the main thread holds */
#define NMAP		8	/* mappings kept alive */
#define PAGE		4096UL
#define BUF_PAGES	64	/* user memory for VFIO_IOMMU_MAP_DMA */
#define BAD_KERNEL	((void *)0xffff800000001000UL)

static const char *parent;
/* the threads' instances, then the race threads' own (RACE_UUID) */
static char uuids[NUUID + 1][37];
#define RACE_UUID	uuids[NUUID]
static long ops_max = 100000;
static atomic_long ops;
static atomic_int failures;
static atomic_bool stop;
/* what the run reached: printed at the end, so a run that did nothing shows */
static atomic_long n_open, n_mmap, n_create, n_remove;
static int verbose;

/*
 * Memory with known holes: read-write pages, an inaccessible one, a
 * read-only one. The hole stays mapped PROT_NONE: unmapped, a later mmap
 * (a 4 KiB doorbell page) could land in it and make it readable.
 */
static unsigned char *mem;		/* BUF_PAGES read-write pages */
static unsigned char *hole;		/* right after mem: PROT_NONE */
static unsigned char *ro_page;		/* argsz 256, then zeros; read-only */

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("FAIL ");
	vprintf(fmt, ap);
	printf(" (errno %d %s)\n", errno, strerror(errno));
	va_end(ap);
	fflush(stdout);
	atomic_fetch_add(&failures, 1);
}

/* One system call made; false when the run is over. */
static bool tick(void)
{
	if (atomic_fetch_add(&ops, 1) + 1 >= ops_max)
		atomic_store(&stop, true);
	return !atomic_load(&stop);
}

/* xorshift64*: each thread's own stream, from the seed. */
struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

static unsigned int below(struct rng *r, unsigned int n)
{
	return rnd(r) % n;
}

static bool one_in(struct rng *r, unsigned int n)
{
	return below(r, n) == 0;
}

/* A size around the interesting edges of a structure of @good bytes. */
static uint32_t fuzz_size(struct rng *r, uint32_t good)
{
	switch (below(r, 10)) {
	case 0: return 0;
	case 1: return good - 1;
	case 2: return good + 8;
	case 3: return 4;
	case 4: return 0xffffffff;
	case 5: return rnd(r);
	case 6: return PAGE;
	default: return good;
	}
}

enum ptr_kind { P_GOOD, P_NULL, P_ONE, P_KERNEL, P_HOLE, P_RO, P_EDGE };

/*
 * An argument pointer: usually @good (a buffer of @len bytes in mem), else
 * one the kernel must refuse to use (or, for P_RO, to write through).
 */
static void *fuzz_ptr(struct rng *r, void *good, size_t len, enum ptr_kind *kind)
{
	unsigned int k = below(r, 9 + P_EDGE);

	/* a good pointer 9 times in 15 */
	*kind = k < 9 ? P_GOOD : (enum ptr_kind)(k - 8);
	switch (*kind) {
	case P_NULL: return NULL;
	case P_ONE: return (void *)1;
	case P_KERNEL: return BAD_KERNEL;
	case P_HOLE: return hole + below(r, PAGE);
	case P_RO:
		/* readable, so the kernel gets as far as writing back */
		return ro_page;
	case P_EDGE: {
		/*
		 * The first bytes readable, the rest in the hole: fewer than
		 * the kernel must read (argsz and flags, or an int), so the
		 * copy faults.
		 */
		size_t n = len < 8 ? len : 8;

		return hole - (n > 1 ? 1 + below(r, n - 1) : 1);
	}
	default:
		return good;
	}
}

/* Fill @p with random bytes. */
static void scribble(struct rng *r, void *p, size_t len)
{
	unsigned char *b = p;

	while (len--)
		*b++ = rnd(r);
}

/* --- sysfs ------------------------------------------------------------------ */

static int write_str(const char *path, const char *s, size_t len)
{
	int fd = open(path, O_WRONLY), ret;

	tick();
	if (fd < 0)
		return -errno;
	ret = write(fd, s, len) < 0 ? -errno : 0;
	tick();
	close(fd);
	return ret;
}

static void read_attr(const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY);

	tick();
	if (fd < 0)
		return;
	/* a write-only attribute, or one whose instance just went */
	if (read(fd, buf, sizeof(buf)) < 0 && errno != EIO && errno != ENODEV &&
	    errno != EACCES && errno != EPERM && errno != ENOENT)
		fail("read %s", path);
	tick();
	close(fd);
}

static long read_num(const char *path)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fgets(buf, sizeof(buf), f))
			v = strtol(buf, NULL, 0);
		fclose(f);
	}
	return v;
}

static bool inst_exists(const char *uuid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/sdmdev/devices/%s", uuid);
	return access(path, F_OK) == 0;
}

static void sysfs_step(struct rng *r)
{
	static const char *const pattr[] = {
		"name", "api", "flags", "available_instances", "mmio_size",
		"ring_size", "dma_size", "numa_node",
	};
	static const char *const iattr[] = { "api", "flags", "uevent", "remove" };
	const char *u = uuids[below(r, NUUID)];
	char path[PATH_MAX], buf[PAGE + 64];
	size_t n;

	switch (below(r, 8)) {
	case 0: case 1:		/* create (maybe a duplicate: EEXIST) */
		snprintf(path, sizeof(path), "%s/create", parent);
		n = snprintf(buf, sizeof(buf), "%s%s", u, one_in(r, 2) ? "\n" : "");
		if (!write_str(path, buf, n))
			atomic_fetch_add(&n_create, 1);
		break;
	case 2:			/* create with garbage */
		snprintf(path, sizeof(path), "%s/create", parent);
		switch (below(r, 4)) {
		case 0: n = 0; break;
		case 1: n = snprintf(buf, sizeof(buf), "not-a-uuid"); break;
		case 2: n = PAGE; memset(buf, 'a', n); break;
		default:
			n = 1 + below(r, 40);
			scribble(r, buf, n);
			break;
		}
		/* (a write of 0 bytes never reaches the attribute) */
		if (!write_str(path, buf, n) && n && n != 36 && n != 37)
			fail("create accepted %zu bytes of garbage", n);
		break;
	case 3: case 4:		/* remove */
		snprintf(path, sizeof(path), "/sys/bus/sdmdev/devices/%s/remove", u);
		if (!write_str(path, one_in(r, 4) ? "0" : "1", 1))
			atomic_fetch_add(&n_remove, 1);
		break;
	case 5:			/* remove with garbage */
		snprintf(path, sizeof(path), "/sys/bus/sdmdev/devices/%s/remove", u);
		n = 1 + below(r, 16);
		scribble(r, buf, n);
		write_str(path, buf, n);
		break;
	case 6:
		snprintf(path, sizeof(path), "%s/%s", parent, pattr[below(r, 8)]);
		read_attr(path);
		break;
	default:
		snprintf(path, sizeof(path), "/sys/bus/sdmdev/devices/%s/%s", u,
			 iattr[below(r, 4)]);
		read_attr(path);
		break;
	}
}

/* --- VFIO objects ------------------------------------------------------------- */

/*
 * A struct wdt_vfio (wdt-vfio.h) is one open instance, a "set": container,
 * group and device fd. wdt-vfio's system calls count as operations too.
 */
static void tick_step(void *arg)
{
	(void)arg;
	tick();
}

static void set_close(struct rng *r, struct wdt_vfio *s)
{
	int *fds[] = { &s->container, &s->group, &s->device };
	unsigned int i, first = below(r, 3);

	/* in any order: the kernel keeps what the others still need */
	for (i = 0; i < 3; i++) {
		int *fd = fds[(first + i) % 3];

		if (*fd >= 0) {
			close(*fd);
			tick();
		}
		*fd = -1;
	}
	s->uuid = NULL;
}

/* Open an instance the documented way; false when any step failed. */
static bool set_open(struct rng *r, struct wdt_vfio *s, const char *uuid)
{
	/* sometimes SET_IOMMU out of order first, to be refused */
	unsigned int flags = one_in(r, 8) ? WDT_VFIO_EARLY_IOMMU : 0;

	s->step = tick_step;
	s->step_arg = NULL;
	if (wdt_vfio_open(s, uuid, flags))
		return false;
	atomic_fetch_add(&n_open, 1);
	wdt_vfio_regions(s);
	wdt_vfio_info(s);
	return true;
}

/* --- ioctls ------------------------------------------------------------------- */

/*
 * The result of an ioctl given a pointer of @kind: one the kernel cannot
 * read (anything but P_GOOD and P_RO) must not succeed when @needs_arg.
 */
static void expect_refused(long ret, enum ptr_kind kind, bool needs_arg, const char *what)
{
	if (ret >= 0 && needs_arg && kind != P_GOOD && kind != P_RO)
		fail("%s succeeded with an unusable pointer (kind %d)", what, kind);
}

static void device_ioctl(struct rng *r, struct wdt_vfio *s)
{
	unsigned char *buf = mem + PAGE * below(r, 4);
	unsigned int c = below(r, 13), cmd;
	enum ptr_kind kind;
	void *p;
	long ret;

	scribble(r, buf, 256);
	switch (c) {
	case 0: {
		struct vfio_device_info *i = (void *)buf;

		cmd = VFIO_DEVICE_GET_INFO;
		i->argsz = fuzz_size(r, sizeof(*i));
		break;
	}
	case 1: case 2: {
		struct vfio_region_info *i = (void *)buf;

		cmd = VFIO_DEVICE_GET_REGION_INFO;
		i->argsz = fuzz_size(r, sizeof(*i));
		i->index = one_in(r, 2) ? below(r, SDMDEV_NUM_REGIONS + 2) : rnd(r);
		break;
	}
	case 3: {
		struct vfio_irq_info *i = (void *)buf;

		cmd = VFIO_DEVICE_GET_IRQ_INFO;
		i->argsz = fuzz_size(r, sizeof(*i));
		i->index = below(r, 8);
		break;
	}
	case 4: {
		struct vfio_irq_set *i = (void *)buf;

		cmd = VFIO_DEVICE_SET_IRQS;
		i->argsz = fuzz_size(r, sizeof(*i) + 8);
		i->count = below(r, 3);
		break;
	}
	case 5:
		cmd = VFIO_DEVICE_RESET;
		break;
	case 6: case 7: {
		struct sdmdev_info *i = (void *)buf;

		cmd = SDMDEV_GET_INFO;
		i->argsz = one_in(r, 2) ? 48 : fuzz_size(r, sizeof(*i));
		break;
	}
	case 8: {
		struct sdmdev_wait *w = (void *)buf;

		cmd = SDMDEV_WAIT;
		w->argsz = fuzz_size(r, sizeof(*w));
		w->flags = one_in(r, 2) ? 0 : rnd(r);
		w->timeout_ms = below(r, 3);	/* never a long sleep */
		break;
	}
	case 9: case 10: {
		struct sdmdev_dma_map *m = (void *)buf;

		cmd = SDMDEV_MAP_DMA;
		m->argsz = fuzz_size(r, sizeof(*m));
		m->flags = one_in(r, 4) ? rnd(r) : 0;
		m->iova = s->info.iova_start + PAGE * below(r, 64) +
			  (one_in(r, 8) ? below(r, PAGE) : 0);
		if (one_in(r, 4))
			m->iova = rnd(r);
		m->size = one_in(r, 4) ? rnd(r) : PAGE * below(r, 17);
		break;
	}
	case 11:
		/* the parent driver's range, and ours beyond what exists */
		cmd = _IO(VFIO_TYPE, SDMDEV_BASE + 3 + below(r, 0x60));
		break;
	default:
		/* anything: type, number, direction and size at random */
		cmd = rnd(r);
		break;
	}
	p = fuzz_ptr(r, buf, 256, &kind);
	ret = ioctl(s->device, cmd, p);
	tick();
	if (verbose > 1)
		printf("dev ioctl %#x kind %d -> %ld %d\n", cmd, kind, ret, errno);
	expect_refused(ret, kind, c <= 4 || (c >= 6 && c <= 10), "device ioctl");
	if (c == 8 && ret == 0 && ((struct sdmdev_wait *)buf)->flags && kind == P_GOOD)
		fail("SDMDEV_WAIT took flags %#x", ((struct sdmdev_wait *)buf)->flags);
}

static void group_ioctl(struct rng *r, struct wdt_vfio *s, struct wdt_vfio *sets)
{
	unsigned char *buf = mem + PAGE * 4;
	enum ptr_kind kind;
	unsigned int c = below(r, 5);
	long ret;
	void *p;

	scribble(r, buf, 64);
	switch (c) {
	case 0: {
		struct vfio_group_status *st = (void *)buf;

		st->argsz = fuzz_size(r, sizeof(*st));
		p = fuzz_ptr(r, buf, sizeof(*st), &kind);
		ret = ioctl(s->group, VFIO_GROUP_GET_STATUS, p);
		expect_refused(ret, kind, true, "GROUP_GET_STATUS");
		break;
	}
	case 1: {
		int *fd = (int *)buf;

		/* ours, another set's, not a container, or no fd */
		*fd = one_in(r, 2) ? sets[below(r, NSET)].container :
		      one_in(r, 2) ? s->device : (int)below(r, 1024);
		p = fuzz_ptr(r, buf, sizeof(*fd), &kind);
		ret = ioctl(s->group, VFIO_GROUP_SET_CONTAINER, p);
		expect_refused(ret, kind, true, "GROUP_SET_CONTAINER");
		break;
	}
	case 2:
		ret = ioctl(s->group, VFIO_GROUP_UNSET_CONTAINER);
		break;
	default: {
		/* a device name: ours, another's, garbage, unterminated */
		char *name = (char *)buf;

		switch (below(r, 4)) {
		case 0: strcpy(name, uuids[below(r, NUUID)]); break;
		case 1: strcpy(name, s->uuid ? s->uuid : "x"); break;
		case 2: name[below(r, 40)] = 0; break;
		default:
			p = hole - 36;
			memcpy(p, uuids[0], 36);	/* no NUL: the hole follows */
			ret = ioctl(s->group, VFIO_GROUP_GET_DEVICE_FD, p);
			if (ret >= 0) {
				fail("GET_DEVICE_FD read an unterminated name");
				close(ret);
			}
			tick();
			return;
		}
		p = fuzz_ptr(r, buf, 40, &kind);
		ret = ioctl(s->group, VFIO_GROUP_GET_DEVICE_FD, p);
		expect_refused(ret, kind, true, "GROUP_GET_DEVICE_FD");
		if (ret >= 0) {
			/* a second fd of an open device: use it a little, close */
			struct vfio_device_info di = { .argsz = sizeof(di) };

			ioctl(ret, VFIO_DEVICE_GET_INFO, &di);
			close(ret);
			tick();
		}
		break;
	}
	}
	tick();
	if (verbose > 1)
		printf("group ioctl %u -> %ld %d\n", c, ret, errno);
}

static void container_ioctl(struct rng *r, struct wdt_vfio *s)
{
	unsigned char *buf = mem + PAGE * 5;
	unsigned int c = below(r, 8);
	enum ptr_kind kind = P_GOOD;
	long ret;
	void *p;

	scribble(r, buf, 128);
	switch (c) {
	case 0:
		ret = ioctl(s->container, VFIO_GET_API_VERSION);
		break;
	case 1:
		ret = ioctl(s->container, VFIO_CHECK_EXTENSION, below(r, 20));
		break;
	case 2:
		ret = ioctl(s->container, VFIO_SET_IOMMU, below(r, 20));
		break;
	case 3: {
		struct vfio_iommu_type1_info *i = (void *)buf;

		i->argsz = fuzz_size(r, sizeof(*i));
		p = fuzz_ptr(r, buf, sizeof(*i), &kind);
		ret = ioctl(s->container, VFIO_IOMMU_GET_INFO, p);
		expect_refused(ret, kind, true, "IOMMU_GET_INFO");
		break;
	}
	case 4: case 5: {
		/* user memory into the container: ours, a hole, or not ours */
		struct vfio_iommu_type1_dma_map *m = (void *)buf;
		unsigned int first = below(r, BUF_PAGES / 2);

		m->argsz = fuzz_size(r, sizeof(*m));
		m->flags = one_in(r, 4) ? rnd(r) : VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
		m->vaddr = (uintptr_t)(mem + first * PAGE);
		if (one_in(r, 8))
			m->vaddr = (uintptr_t)(one_in(r, 2) ? hole : BAD_KERNEL);
		m->iova = (s->info.iova_start ? s->info.iova_start : 1UL << 32) +
			  PAGE * below(r, 64);
		if (one_in(r, 8))
			m->iova = rnd(r) & ~(PAGE - 1);
		m->size = PAGE * (1 + below(r, BUF_PAGES / 2));
		if (one_in(r, 8))
			m->size = rnd(r);
		p = fuzz_ptr(r, buf, sizeof(*m), &kind);
		ret = ioctl(s->container, VFIO_IOMMU_MAP_DMA, p);
		expect_refused(ret, kind, true, "IOMMU_MAP_DMA");
		tick();
		/* then the device side, often the same range */
		if (ret == 0 && s->device >= 0 && !one_in(r, 4)) {
			struct sdmdev_dma_map dm = {
				.argsz = sizeof(dm), .iova = m->iova, .size = m->size,
			};

			ioctl(s->device, SDMDEV_MAP_DMA, &dm);
		}
		break;
	}
	case 6: {
		struct vfio_iommu_type1_dma_unmap *u = (void *)buf;

		u->argsz = fuzz_size(r, sizeof(*u));
		u->flags = one_in(r, 4) ? VFIO_DMA_UNMAP_FLAG_ALL : one_in(r, 8) ? rnd(r) : 0;
		u->iova = (s->info.iova_start ? s->info.iova_start : 1UL << 32) +
			  PAGE * below(r, 64);
		u->size = one_in(r, 8) ? rnd(r) : PAGE * (1 + below(r, 64));
		if (u->flags & VFIO_DMA_UNMAP_FLAG_ALL) {
			u->iova = 0;
			u->size = 0;
		}
		p = fuzz_ptr(r, buf, sizeof(*u), &kind);
		ret = ioctl(s->container, VFIO_IOMMU_UNMAP_DMA, p);
		expect_refused(ret, kind, true, "IOMMU_UNMAP_DMA");
		break;
	}
	default:
		ret = ioctl(s->container, rnd(r), fuzz_ptr(r, buf, 128, &kind));
		break;
	}
	tick();
	if (verbose > 1)
		printf("container ioctl %u -> %ld %d\n", c, ret, errno);
}

/* --- mmap ----------------------------------------------------------------------- */

struct mapping {
	void *addr;
	size_t len;
};

static void unmap_one(struct mapping *m)
{
	if (!m->addr)
		return;
	munmap(m->addr, m->len);
	tick();
	m->addr = NULL;
}

static void mmap_step(struct rng *r, struct wdt_vfio *s, struct mapping *maps)
{
	unsigned int idx = below(r, SDMDEV_NUM_REGIONS + 2), k;
	uint64_t off = SDMDEV_REGION_OFFSET(idx), size;
	size_t len;
	int prot, flags;
	void *p;
	bool whole;

	size = idx < SDMDEV_NUM_REGIONS ? s->size[idx] : 0;
	len = (size + PAGE - 1) & ~(PAGE - 1);
	switch (below(r, 8)) {
	case 0: len = 0; break;
	case 1: len = PAGE; break;
	case 2: len += PAGE; break;
	case 3: len = (size_t)1 << (12 + below(r, 20)); break;
	default: break;
	}
	switch (below(r, 8)) {
	case 0: off += PAGE; break;
	case 1: off = rnd(r) & ~(PAGE - 1); break;
	case 2: off += len; break;
	default: break;
	}
	prot = one_in(r, 4) ? (int)below(r, 8) : PROT_READ | PROT_WRITE;
	flags = one_in(r, 4) ? MAP_PRIVATE : MAP_SHARED;
	if (one_in(r, 8))
		flags |= MAP_POPULATE;
	p = mmap(NULL, len, prot, flags, s->device, off);
	tick();
	whole = idx < SDMDEV_NUM_REGIONS && size && off == SDMDEV_REGION_OFFSET(idx) &&
		len == ((size + PAGE - 1) & ~(PAGE - 1));
	if (p == MAP_FAILED)
		return;
	atomic_fetch_add(&n_mmap, 1);
	if (!whole || !(flags & MAP_SHARED))
		fail("mmap of region %u offset %#" PRIx64 " len %zu flags %#x accepted",
		     idx, off, len, flags);
	/* ring and DMA memory may be read; the doorbell page is left alone */
	if (idx != SDMDEV_REGION_MMIO && (prot & PROT_READ) && one_in(r, 2))
		(void)*(volatile unsigned char *)p;
	/* can a mapping grow or move? (VM_DONTEXPAND) */
	if (one_in(r, 16)) {
		void *q = mremap(p, len, len + PAGE, MREMAP_MAYMOVE);

		tick();
		if (q != MAP_FAILED) {
			fail("mremap grew an sdmdev mapping");
			p = q;
			len += PAGE;
		}
	}
	if (one_in(r, 16)) {
		/* a child of fork() must never get the queue (VM_DONTCOPY) */
		if (!madvise(p, len, MADV_DOFORK))
			fail("MADV_DOFORK accepted on region %u: a child would share it", idx);
		tick();
	}
	/* keep it (across closes) or drop it now */
	k = below(r, NMAP);
	if (one_in(r, 2)) {
		unmap_one(&maps[k]);
		maps[k].addr = p;
		maps[k].len = len;
	} else {
		munmap(p, len);
		tick();
	}
}

/* Plain file operations the device does not offer. */
static void fileops_step(struct rng *r, struct wdt_vfio *s)
{
	unsigned char buf[64];
	int fd = (int[]){ s->device, s->group, s->container }[below(r, 3)];
	off_t off = one_in(r, 2) ? (off_t)SDMDEV_REGION_OFFSET(below(r, 4)) : (off_t)rnd(r);

	switch (below(r, 4)) {
	case 0:
		if (pread(fd, buf, sizeof(buf), off < 0 ? 0 : off) > 0 && fd == s->device)
			fail("read() on the device fd returned data");
		break;
	case 1:
		pwrite(fd, buf, sizeof(buf), off < 0 ? 0 : off);
		break;
	case 2:
		lseek(fd, off, below(r, 5));
		break;
	default:
		fcntl(fd, F_SETFL, one_in(r, 2) ? O_NONBLOCK : 0);
		break;
	}
	tick();
}

/* A child with copies of the fds (and no mappings: VM_DONTCOPY). */
static void fork_step(struct rng *r, struct wdt_vfio *s)
{
	struct sdmdev_info si = { .argsz = sizeof(si) };
	int status;
	pid_t pid = fork();

	tick();
	if (pid < 0)
		return;
	if (!pid) {
		ioctl(s->device, SDMDEV_GET_INFO, &si);
		if (one_in(r, 2))
			mmap(NULL, PAGE, PROT_READ, MAP_SHARED, s->device, 0);
		_exit(0);
	}
	waitpid(pid, &status, 0);
}

/* --- threads --------------------------------------------------------------------- */

static void *sysfs_thread(void *arg)
{
	struct rng r = { *(uint64_t *)arg };

	while (!atomic_load(&stop))
		sysfs_step(&r);
	return NULL;
}

static void *opener_thread(void *arg)
{
	struct rng r = { *(uint64_t *)arg };
	struct wdt_vfio s = { 0 };

	while (!atomic_load(&stop)) {
		if (set_open(&r, &s, uuids[below(&r, NUUID)])) {
			struct vfio_device_info di = { .argsz = sizeof(di) };

			ioctl(s.device, VFIO_DEVICE_GET_INFO, &di);
			tick();
			set_close(&r, &s);
		}
		/* open fails fast when nothing exists: do not spin */
		usleep(200 + below(&r, 2000));
	}
	return NULL;
}

/* --- map/unmap racing requests in flight --------------------------------------- */

/*
 * Two threads on one instance of their own (RACE_UUID): the submitter keeps
 * up to RACE_INFLIGHT zlib requests in the queue, each naming pages of
 * RACE_PAGES of user memory (in IOMMU mode, where that memory reaches the
 * device through VFIO_IOMMU_MAP_DMA + SDMDEV_MAP_DMA) or of the DMA region
 * (no-IOMMU mode, where an IOVA would be a physical address), while the
 * mapper maps and unmaps random ranges of that memory. Requests on memory
 * taken away fail with a DMA error (or the RAS error it raises resets the
 * queue: the submitter then stops); nothing may oops, WARN or stay pinned.
 */
#define RACE_PAGES	16
#define RACE_INFLIGHT	16
#define RACE_IOVA_OFF	(1ULL << 30)	/* clear of the main thread's IOVAs */

struct race {
	struct wdt_vfio v;
	uint8_t *ring, *dma, *buf;
	volatile uint64_t *db;
	uint64_t iova;		/* of buf, in IOMMU mode */
	bool iommu;
	uint64_t seed[2];
	/* the submitter's results, printed at the end */
	unsigned long sent, done, ok, dma_err, other_err;
	bool stalled;
};

static bool race_setup(struct race *rc)
{
	char path[PATH_MAX];
	size_t i;

	snprintf(path, sizeof(path), "%s/create", parent);
	if (write_str(path, RACE_UUID, 36) ||
	    wdt_vfio_open(&rc->v, RACE_UUID, 0) || wdt_vfio_info(&rc->v) ||
	    wdt_vfio_regions(&rc->v)) {
		fail("race: instance %s: %s", RACE_UUID,
		     rc->v.failed_step ? rc->v.failed_step : "create/info/regions");
		return false;
	}
	rc->ring = wdt_vfio_mmap(&rc->v, SDMDEV_REGION_RING, 0);
	rc->db = wdt_vfio_mmap(&rc->v, SDMDEV_REGION_MMIO, 0);
	rc->dma = wdt_vfio_mmap(&rc->v, SDMDEV_REGION_DMA, 0);
	rc->iommu = !(rc->v.info.flags & SDMDEV_FLAG_NOIOMMU) && rc->v.info.iova_start;
	rc->iova = rc->v.info.iova_start + RACE_IOVA_OFF;
	rc->buf = mmap(NULL, RACE_PAGES * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (!rc->ring || !rc->db || (!rc->iommu && !rc->dma) || rc->buf == MAP_FAILED) {
		fail("race: mapping the queue or the buffer");
		return false;
	}
	for (i = 0; i < RACE_PAGES * PAGE; i++)
		rc->buf[i] = "racing map and unmap "[i % 21];
	if (rc->dma)
		memcpy(rc->dma, rc->buf, RACE_PAGES * PAGE);
	return true;
}

/* Device address of page @pg of the race memory. */
static uint64_t race_addr(struct race *rc, unsigned int pg)
{
	if (rc->iommu)
		return rc->iova + (uint64_t)pg * PAGE;
	return rc->v.info.dma_addr + (uint64_t)pg * PAGE;
}

static void race_send(struct race *rc, struct rng *r)
{
	uint8_t *sqe = rc->ring + QM_SQE_SIZE * (rc->sent % QM_Q_DEPTH);
	uint64_t src = race_addr(rc, below(r, RACE_PAGES / 2));
	uint64_t dst = race_addr(rc, RACE_PAGES / 2 + below(r, RACE_PAGES / 2));

	memset(sqe, 0, QM_SQE_SIZE);
	wdt_put32(sqe, 4, 1 + below(r, PAGE));		/* input length */
	wdt_put32(sqe, 9, HZIP_REQ_ZLIB);
	wdt_put32(sqe, 13, (uint32_t)rc->sent);		/* tag */
	wdt_put32(sqe, 14, PAGE);			/* room */
	wdt_put32(sqe, 18, (uint32_t)src);
	wdt_put32(sqe, 19, (uint32_t)(src >> 32));
	wdt_put32(sqe, 20, (uint32_t)dst);
	wdt_put32(sqe, 21, (uint32_t)(dst >> 32));
	rc->sent++;
	wdt_qm_db(rc->db, rc->v.info.queue_id, QM_DB_CMD_SQ, rc->sent % QM_Q_DEPTH, 0);
}

/* Take the completions there are; false when none came for 3 s. */
static bool race_reap(struct race *rc, struct timespec *last)
{
	const volatile uint8_t *cq = rc->ring + QM_SQE_SIZE * QM_Q_DEPTH;
	struct timespec ts;

	while (rc->done < rc->sent) {
		unsigned int slot = rc->done % QM_Q_DEPTH;
		unsigned int phase = !((rc->done / QM_Q_DEPTH) & 1);
		unsigned int st;

		if ((cq[QM_CQE_SIZE * slot + QM_CQE_SIZE - 2] & 1) != phase)
			break;
		__sync_synchronize();
		st = wdt_get32(rc->ring + QM_SQE_SIZE * slot, 3) & 0xff;
		if (!st)
			rc->ok++;
		else if (st == ZST_AXI)
			rc->dma_err++;
		else
			rc->other_err++;
		rc->done++;
		wdt_qm_db(rc->db, rc->v.info.queue_id, QM_DB_CMD_CQ, rc->done % QM_Q_DEPTH, 0);
		clock_gettime(CLOCK_MONOTONIC, last);
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return rc->done == rc->sent || ts.tv_sec - last->tv_sec < 3;
}

static void *race_submitter(void *arg)
{
	struct race *rc = arg;
	struct rng r = { rc->seed[0] };
	struct timespec last;

	clock_gettime(CLOCK_MONOTONIC, &last);
	while (!atomic_load(&stop)) {
		if (rc->sent - rc->done < RACE_INFLIGHT)
			race_send(rc, &r);
		if (!race_reap(rc, &last)) {
			/* the queue was reset under us (a RAS error): give up on it */
			rc->stalled = true;
			return NULL;
		}
		usleep(below(&r, 200));
	}
	/* what is in flight lands before the instance closes, if it can */
	while (rc->done < rc->sent && race_reap(rc, &last))
		usleep(1000);
	return NULL;
}

static void *race_mapper(void *arg)
{
	struct race *rc = arg;
	struct rng r = { rc->seed[1] };

	while (!atomic_load(&stop)) {
		unsigned int a = below(&r, RACE_PAGES), n = 1 + below(&r, RACE_PAGES - a);
		uint64_t iova = rc->iova + (uint64_t)a * PAGE;

		switch (below(&r, 8)) {
		case 0: case 1: case 2:		/* map, and give it to the device */
			if (!wdt_dma_map(&rc->v, rc->buf + (size_t)a * PAGE, iova, n * PAGE))
				wdt_sdm_map(&rc->v, iova, n * PAGE, 0);
			break;
		case 3: case 4: case 5:		/* take a range back */
			wdt_dma_unmap(&rc->v, iova, n * PAGE);
			break;
		case 6:				/* all of it */
			wdt_dma_unmap(&rc->v, rc->iova, RACE_PAGES * PAGE);
			break;
		default:			/* device side only (EFAULT/EEXIST often) */
			wdt_sdm_map(&rc->v, iova, n * PAGE, 0);
			break;
		}
		usleep(below(&r, 300));
	}
	return NULL;
}

/* --- main loop ------------------------------------------------------------------ */

static void main_loop(struct rng *r)
{
	struct wdt_vfio sets[NSET] = { { 0 } };
	struct mapping maps[NMAP] = { { 0 } };
	unsigned int i;

	for (i = 0; i < NSET; i++)
		sets[i].container = sets[i].group = sets[i].device = -1;
	while (!atomic_load(&stop)) {
		struct wdt_vfio *s = &sets[below(r, NSET)];
		unsigned int op = below(r, 100);

		if (s->device < 0) {
			const char *u = uuids[below(r, NUUID)];

			if (!set_open(r, s, u)) {
				/* make one to work with */
				char path[PATH_MAX];

				snprintf(path, sizeof(path), "%s/create", parent);
				write_str(path, u, 36);
			}
			continue;
		}
		if (op < 45)
			device_ioctl(r, s);
		else if (op < 55)
			group_ioctl(r, s, sets);
		else if (op < 67)
			container_ioctl(r, s);
		else if (op < 85)
			mmap_step(r, s, maps);
		else if (op < 93)
			fileops_step(r, s);
		else if (op < 94 && one_in(r, 20))
			fork_step(r, s);
		else if (op < 97)
			unmap_one(&maps[below(r, NMAP)]);
		else
			set_close(r, s);
	}
	for (i = 0; i < NMAP; i++)
		unmap_one(&maps[i]);
	for (i = 0; i < NSET; i++)
		set_close(r, &sets[i]);
}

/* Remove what is left; every instance must go once nothing holds it. */
static void cleanup(void)
{
	char path[PATH_MAX];
	int i, tries;

	for (i = 0; i < NUUID + 1; i++) {
		snprintf(path, sizeof(path), "/sys/bus/sdmdev/devices/%s/remove", uuids[i]);
		for (tries = 0; inst_exists(uuids[i]) && tries < 50; tries++) {
			int e = write_str(path, "1", 1);

			if (e && e != -ENOENT)
				usleep(100000);
		}
		if (inst_exists(uuids[i]))
			fail("instance %s cannot be removed after the run", uuids[i]);
	}
}

static void make_uuids(uint64_t seed)
{
	struct rng r = { seed ^ 0x5d1e5eedULL };
	int i;

	for (i = 0; i < NUUID + 1; i++) {
		uint64_t a = rnd(&r), b = rnd(&r);

		snprintf(uuids[i], sizeof(uuids[i]), "%08x-%04x-4%03x-8%03x-%012llx",
			 (unsigned int)(a >> 32), (unsigned int)(a >> 16) & 0xffff,
			 (unsigned int)a & 0xfff, (unsigned int)(b >> 48) & 0xfff,
			 (unsigned long long)(b & 0xffffffffffffULL));
	}
}

static void kmsg(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int fd = open("/dev/kmsg", O_WRONLY);

	if (fd < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (write(fd, buf, strlen(buf)) < 0)
		perror("/dev/kmsg");
	close(fd);
}

int main(int argc, char **argv)
{
	uint64_t seed = 0, tseed[2];
	static struct race rc;
	pthread_t race_tid[2];
	bool racing;
	long pins0, pins1;
	struct timespec t0, t1;
	pthread_t sysfs_tid, opener_tid;
	char avail_path[PATH_MAX];
	long avail0, avail1;
	struct rng r;
	double secs;
	int c;

	while ((c = getopt(argc, argv, "s:n:v")) != -1) {
		switch (c) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': ops_max = strtol(optarg, NULL, 0); break;
		case 'v': verbose++; break;
		default: goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	parent = argv[optind];
	if (!seed) {
		int fd = open("/dev/urandom", O_RDONLY);

		if (fd < 0 || read(fd, &seed, sizeof(seed)) != sizeof(seed) || !seed)
			seed = time(NULL);
		if (fd >= 0)
			close(fd);
	}
	printf("sdmdev-fuzz: seed %" PRIu64 ", %ld operations\n", seed, ops_max);
	fflush(stdout);
	kmsg("sdmdev-fuzz: seed %" PRIu64 " (replay: sdmdev-fuzz -s %" PRIu64 ")\n", seed, seed);

	/* mem: read-write pages, a hole, a read-only page */
	mem = mmap(NULL, (BUF_PAGES + 2) * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	hole = mem + BUF_PAGES * PAGE;
	ro_page = hole + PAGE;
	*(uint32_t *)ro_page = 256;	/* an argsz that covers every structure */
	if (mprotect(hole, PAGE, PROT_NONE) || mprotect(ro_page, PAGE, PROT_READ)) {
		perror("mprotect");
		return 2;
	}

	make_uuids(seed);
	snprintf(avail_path, sizeof(avail_path), "%s/available_instances", parent);
	avail0 = read_num(avail_path);
	pins0 = wdt_pins_held();
	signal(SIGPIPE, SIG_IGN);
	rc.v.step = tick_step;
	rc.v.container = rc.v.group = rc.v.device = -1;
	rc.seed[0] = seed * 7 + 3;
	rc.seed[1] = seed * 11 + 4;
	racing = race_setup(&rc);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r.s = seed;
	tseed[0] = seed * 3 + 1;
	tseed[1] = seed * 5 + 2;
	if (pthread_create(&sysfs_tid, NULL, sysfs_thread, &tseed[0]) ||
	    pthread_create(&opener_tid, NULL, opener_thread, &tseed[1])) {
		perror("pthread_create");
		return 2;
	}
	if (racing && (pthread_create(&race_tid[0], NULL, race_submitter, &rc) ||
		       pthread_create(&race_tid[1], NULL, race_mapper, &rc))) {
		perror("pthread_create");
		return 2;
	}
	main_loop(&r);
	if (racing) {
		pthread_join(race_tid[0], NULL);
		pthread_join(race_tid[1], NULL);
	}
	wdt_vfio_close(&rc.v);
	if (rc.buf && rc.buf != MAP_FAILED)
		munmap(rc.buf, RACE_PAGES * PAGE);
	pthread_join(sysfs_tid, NULL);
	pthread_join(opener_tid, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cleanup();
	avail1 = read_num(avail_path);
	if (avail1 != avail0)
		fail("available_instances %ld after the run, %ld before", avail1, avail0);
	pins1 = wdt_pins_held();
	if (pins1 != pins0)
		fail("%ld pages still pinned after the run", pins1 - pins0);
	printf("sdmdev-fuzz: race (%s): %lu requests sent, %lu completed (%lu ok, %lu DMA "
	       "errors, %lu other errors)%s\n", rc.iommu ? "user memory behind the IOMMU" :
	       "DMA region, no IOMMU", rc.sent, rc.done, rc.ok, rc.dma_err, rc.other_err,
	       rc.stalled ? ", then the queue was reset under it" : "");
	if (racing && !rc.done)
		fail("race: no request completed");
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("sdmdev-fuzz: %ld operations in %.1f s (%ld opens, %ld mappings, %ld creates, "
	       "%ld removes), %d failures (seed %" PRIu64 ")\n",
	       atomic_load(&ops), secs, atomic_load(&n_open), atomic_load(&n_mmap),
	       atomic_load(&n_create), atomic_load(&n_remove), atomic_load(&failures), seed);
	/* a run that never got a device open tested nothing */
	if (!atomic_load(&n_open) || !atomic_load(&n_mmap))
		fail("no instance was ever opened and mapped");
	return atomic_load(&failures) ? 1 : 0;
usage:
	fprintf(stderr, "usage: sdmdev-fuzz [-s SEED] [-n OPS] [-v] /sys/class/sdmdev/<parent>\n");
	return 2;
}
