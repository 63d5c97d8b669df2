// SPDX-License-Identifier: GPL-2.0
/*
 * sdmdev-iommu - sdmdev's shared IOMMU domain, seen from user space.
 *
 *   sdmdev-iommu abi UUID1 UUID2   the IOVA window, SDMDEV_MAP_DMA's errors,
 *       locked_vm and FOLL_PIN accounting, a compression through user memory
 *       mapped with VFIO_IOMMU_MAP_DMA + SDMDEV_MAP_DMA, the same buffer
 *       used from the second instance's queue (one domain per function),
 *       and VFIO_IOMMU_UNMAP_DMA taking memory away from the device: a
 *       request naming it afterwards fails and the memory stays untouched
 *   sdmdev-iommu kill UUID N       N times: a child opens UUID, maps memory,
 *       submits requests and is killed with SIGKILL while they run; after
 *       each: no page left pinned, available_instances back to baseline;
 *       then one compression in the parent (the device still works)
 *   sdmdev-iommu hold UUID         open, map, submit, print "holding N" (N of
 *       the requests already done) and sleep
 *   sdmdev-iommu noaccess UUID     as uid/gid 65534: the group is refused
 *
 * Exit 0 when every check passed; each failure prints one line.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/vfio.h>
#include <misc/sdmdev.h>
#include <zlib.h>

static int failed;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("FAIL %s:%d: ", __func__, __LINE__);		\
		printf(__VA_ARGS__);					\
		printf(" (errno %d %s)\n", errno, strerror(errno));	\
		failed = 1;						\
	}								\
} while (0)

/* HiSilicon QM V2 / ZIP as user space sees them (module/hisi_zip/qm.h). */
#define QM_SQE_SIZE	128
#define QM_Q_DEPTH	1024
#define QM_CQE_SIZE	16
#define HZIP_REQ_ZLIB	0x02
#define ZST_AXI		0x02	/* the engine's DMA failed (tests/hwmodel) */

struct inst {
	const char *uuid;
	int container, group, device;
	uint8_t *ring;
	volatile uint64_t *db;
	size_t ring_size;
	struct sdmdev_info info;
	unsigned int tail;	/* next SQE */
	unsigned int cq_head;
};

static int group_of(const char *uuid)
{
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/bus/sdmdev/devices/%s/iommu_group", uuid);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = '\0';
	return atoi(basename(target));
}

static long read_counter(const char *file, const char *key)
{
	char line[256];
	size_t len = strlen(key);
	long v = -1;
	FILE *f = fopen(file, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && (line[len] == ' ' || line[len] == ':' ||
						 line[len] == '\t')) {
			v = strtol(line + len + 1 + strspn(line + len + 1, " \t"), NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/*
 * Pages pinned with FOLL_PIN and not yet released, system wide. The
 * counters are per CPU with batched folding: vm.stat_refresh folds them
 * first, or the difference drifts by a few pages.
 */
static long pins_held(void)
{
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "1", 1) != 1)
			perror("stat_refresh");
		close(fd);
	}
	return read_counter("/proc/vmstat", "nr_foll_pin_acquired") -
	       read_counter("/proc/vmstat", "nr_foll_pin_released");
}

static long locked_kb(void)
{
	return read_counter("/proc/self/status", "VmLck:");
}

static int available(const char *uuid)
{
	char path[PATH_MAX], buf[32] = "";
	char pbdf[PATH_MAX], target[PATH_MAX];
	ssize_t n;
	FILE *f;

	/* The instance is a child of the parent's device: ../ of its sysfs dir. */
	snprintf(pbdf, sizeof(pbdf), "/sys/bus/sdmdev/devices/%s", uuid);
	n = readlink(pbdf, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = '\0';
	*strrchr(target, '/') = '\0';
	snprintf(path, sizeof(path), "/sys/class/sdmdev/%s/available_instances", basename(target));
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return atoi(buf);
}

/* Container + group + type1v2 + device fd; 0 or -errno (checks say why). */
static int inst_open(struct inst *in, const char *uuid)
{
	char path[64];
	int g = group_of(uuid);

	memset(in, 0, sizeof(*in));
	in->uuid = uuid;
	in->container = in->group = in->device = -1;
	if (g < 0)
		return -ENOENT;
	snprintf(path, sizeof(path), "/dev/vfio/%d", g);
	in->group = open(path, O_RDWR);
	if (in->group < 0)
		return -errno;
	in->container = open("/dev/vfio/vfio", O_RDWR);
	if (in->container < 0)
		return -errno;
	if (ioctl(in->group, VFIO_GROUP_SET_CONTAINER, &in->container) ||
	    ioctl(in->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return -errno;
	in->device = ioctl(in->group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	if (in->device < 0)
		return -errno;
	in->info.argsz = sizeof(in->info);
	if (ioctl(in->device, SDMDEV_GET_INFO, &in->info))
		return -errno;
	in->ring_size = 128 * 1024 + 16 * 1024;
	in->ring = mmap(NULL, in->ring_size, PROT_READ | PROT_WRITE, MAP_SHARED, in->device,
			SDMDEV_REGION_OFFSET(SDMDEV_REGION_RING));
	if (in->ring == MAP_FAILED)
		return -errno;
	in->db = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, in->device,
		      SDMDEV_REGION_OFFSET(SDMDEV_REGION_MMIO));
	if (in->db == MAP_FAILED)
		return -errno;
	return 0;
}

static void inst_close(struct inst *in)
{
	if (in->ring && in->ring != MAP_FAILED)
		munmap(in->ring, in->ring_size);
	if (in->db && in->db != MAP_FAILED)
		munmap((void *)in->db, 4096);
	close(in->device);
	close(in->group);
	close(in->container);
}

static int vfio_map(struct inst *in, void *va, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)va, .iova = iova, .size = size,
	};

	return ioctl(in->container, VFIO_IOMMU_MAP_DMA, &m) ? -errno : 0;
}

static int vfio_unmap(struct inst *in, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof(u), .iova = iova, .size = size };

	return ioctl(in->container, VFIO_IOMMU_UNMAP_DMA, &u) ? -errno : 0;
}

static int sdm_map(struct inst *in, uint64_t iova, uint64_t size, uint32_t flags)
{
	struct sdmdev_dma_map m = { .argsz = sizeof(m), .flags = flags, .iova = iova, .size = size };

	return ioctl(in->device, SDMDEV_MAP_DMA, &m) ? -errno : 0;
}

static void put32(uint8_t *p, unsigned int dw, uint32_t v)
{
	memcpy(p + 4 * dw, &v, 4);	/* both our targets are little endian */
}

static uint32_t get32(const volatile uint8_t *p, unsigned int dw)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)p + 4 * dw, 4);
	return v;
}

static void ring_db(struct inst *in, uint64_t cmd, uint16_t index)
{
	__sync_synchronize();
	*in->db = (in->info.queue_id & 0xfff) | cmd << 12 | (uint64_t)index << 32;
}

/* Queue a zlib compression of [src, +len) into [dst, +room) (IOVAs). */
static void submit(struct inst *in, uint64_t src, uint32_t len, uint64_t dst, uint32_t room,
		   bool ring_now)
{
	uint8_t *sqe = in->ring + QM_SQE_SIZE * (in->tail % QM_Q_DEPTH);

	memset(sqe, 0, QM_SQE_SIZE);
	put32(sqe, 4, len);
	put32(sqe, 9, HZIP_REQ_ZLIB);
	put32(sqe, 13, in->tail);
	put32(sqe, 14, room);
	put32(sqe, 18, (uint32_t)src);
	put32(sqe, 19, (uint32_t)(src >> 32));
	put32(sqe, 20, (uint32_t)dst);
	put32(sqe, 21, (uint32_t)(dst >> 32));
	in->tail++;
	if (ring_now)
		ring_db(in, 0, in->tail % QM_Q_DEPTH);
}

/* Completions so far (CQEs with the current phase), without waiting. */
static unsigned int completed(struct inst *in)
{
	volatile uint8_t *cq = in->ring + QM_SQE_SIZE * QM_Q_DEPTH;
	unsigned int n = in->cq_head;

	while (n < in->tail && n < QM_Q_DEPTH && (cq[QM_CQE_SIZE * n + QM_CQE_SIZE - 2] & 1))
		n++;
	return n;
}

/* Wait for request @idx (first pass of the ring only); its SQE status. */
static int wait_done(struct inst *in, unsigned int idx, uint32_t *produced)
{
	volatile uint8_t *cqe = in->ring + QM_SQE_SIZE * QM_Q_DEPTH + QM_CQE_SIZE * idx;
	const uint8_t *sqe = in->ring + QM_SQE_SIZE * idx;
	int i;

	for (i = 0; i < 10000 && !(cqe[QM_CQE_SIZE - 2] & 1); i++)
		usleep(1000);
	if (!(cqe[QM_CQE_SIZE - 2] & 1))
		return -1;
	__sync_synchronize();
	in->cq_head = idx + 1;
	ring_db(in, 1, in->cq_head % QM_Q_DEPTH);
	if (produced)
		*produced = get32(sqe, 1);
	return get32(sqe, 3) & 0xff;
}

static const char text[] = "WarpDrive: user memory in the function's own IOMMU domain. ";

static void fill(uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = text[i % (sizeof(text) - 1)];
}

/* Compress @len bytes at buf+src_off with @in's queue and check the result. */
static void zip_check(struct inst *in, uint8_t *buf, uint64_t iova, size_t src_off, uint32_t len,
		      size_t dst_off, const char *what)
{
	static uint8_t back[1 << 20];
	uLongf back_len = sizeof(back);
	unsigned int idx = in->tail;
	uint32_t produced = 0;
	int st, zret;

	fill(buf + src_off, len);
	buf[dst_off] = 0x78;
	buf[dst_off + 1] = 0x9c;
	submit(in, iova + src_off, len, iova + dst_off + 2, 256 * 1024, true);
	st = wait_done(in, idx, &produced);
	CHECK(st == 0, "%s: status %d", what, st);
	if (st)
		return;
	zret = uncompress(back, &back_len, buf + dst_off, produced + 2);
	CHECK(zret == Z_OK && back_len == len && !memcmp(back, buf + src_off, len),
	      "%s: inflate %d, %lu bytes", what, zret, (unsigned long)back_len);
	if (!failed)
		printf("%s: %u -> %u bytes\n", what, len, produced);
}

static void *alloc_buf(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0, size);	/* populate: VFIO pins what is there */
	return p;
}

static void check_info(struct inst *in)
{
	struct sdmdev_info old;
	unsigned char raw[sizeof(struct sdmdev_info) + 16];
	size_t minsz = offsetof(struct sdmdev_info, iova_start);

	CHECK(!(in->info.flags & SDMDEV_FLAG_NOIOMMU), "NOIOMMU set behind an IOMMU (flags %#x)",
	      in->info.flags);
	CHECK(in->info.iova_start && in->info.iova_end > in->info.iova_start &&
	      !(in->info.iova_start & 4095) && (in->info.iova_end & 4095) == 4095,
	      "window %#llx-%#llx", (unsigned long long)in->info.iova_start,
	      (unsigned long long)in->info.iova_end);
	/* An older caller's smaller struct: filled up to its end, not beyond. */
	memset(raw, 0xee, sizeof(raw));
	memcpy(raw, &(uint32_t){ (uint32_t)minsz }, 4);
	CHECK(ioctl(in->device, SDMDEV_GET_INFO, raw) == 0, "GET_INFO with the old size");
	memcpy(&old, raw, minsz);
	CHECK(!strcmp(old.api, "hisi_qm_v2") && raw[minsz] == 0xee,
	      "old-size GET_INFO: api '%s', byte after it %#x", old.api, raw[minsz]);
	memcpy(raw, &(uint32_t){ 8 }, 4);
	CHECK(ioctl(in->device, SDMDEV_GET_INFO, raw) < 0 && errno == EINVAL, "GET_INFO argsz 8");
	printf("window %#llx-%#llx\n", (unsigned long long)in->info.iova_start,
	       (unsigned long long)in->info.iova_end);
}

/* SDMDEV_MAP_DMA's argument checks and errnos (include/uapi/misc/sdmdev.h). */
static void check_map_errors(struct inst *in, uint64_t iova, uint64_t size)
{
	uint64_t s = in->info.iova_start, e = in->info.iova_end;
	struct sdmdev_dma_map small = { .argsz = 8, .iova = iova, .size = size };

	CHECK(ioctl(in->device, SDMDEV_MAP_DMA, &small) < 0 && errno == EINVAL, "argsz 8");
	CHECK(sdm_map(in, iova, size, 1) == -EINVAL, "flags 1");
	CHECK(sdm_map(in, iova, 0, 0) == -EINVAL, "size 0");
	CHECK(sdm_map(in, iova + 1, size, 0) == -EINVAL, "unaligned iova");
	CHECK(sdm_map(in, iova, 100, 0) == -EINVAL, "unaligned size");
	CHECK(sdm_map(in, s - 4096, 4096, 0) == -EINVAL, "page below the window");
	CHECK(sdm_map(in, s - 4096, 8192, 0) == -EINVAL, "range starting below the window");
	CHECK(sdm_map(in, e + 1, 4096, 0) == -EINVAL, "page above the window");
	CHECK(sdm_map(in, e + 1 - 4096, 8192, 0) == -EINVAL, "range ending above the window");
	CHECK(sdm_map(in, s, UINT64_MAX & ~4095ULL, 0) == -EINVAL, "wrapping range");
	CHECK(sdm_map(in, iova, size, 0) == -EFAULT, "range not in the container");
	CHECK(ioctl(in->device, SDMDEV_MAP_DMA, (void *)16) < 0 && errno == EFAULT,
	      "bad argument pointer");
	CHECK(ioctl(in->device, _IO(VFIO_TYPE, SDMDEV_BASE + 0x1f), 0) < 0 && errno == ENOTTY,
	      "unknown sdmdev ioctl");
}

static int do_abi(const char *u1, const char *u2)
{
	const size_t size = 4 << 20;
	struct inst a, b;
	long lk0, lk1, pins0, pins1;
	uint64_t iova;
	uint8_t *buf, *src2;
	int ret, st;

	ret = inst_open(&a, u1);
	CHECK(ret == 0, "open %s: %d", u1, ret);
	if (ret)
		return 1;
	check_info(&a);
	if (failed)
		return 1;
	iova = a.info.iova_start;
	check_map_errors(&a, iova, size);
	buf = alloc_buf(size);
	src2 = alloc_buf(4096);
	CHECK(buf && src2, "buffers");
	if (!buf || !src2)
		return 1;

	lk0 = locked_kb();
	pins0 = pins_held();
	CHECK(vfio_map(&a, buf, iova, size) == 0, "VFIO_IOMMU_MAP_DMA");
	/* Half of it in the container is still not all of it: nothing pinned. */
	CHECK(sdm_map(&a, iova, 2 * size, 0) == -EFAULT, "range only partly in the container");
	CHECK(pins_held() == pins0, "pins left by a failed SDMDEV_MAP_DMA: %ld", pins_held() - pins0);
	CHECK(sdm_map(&a, iova, size, 0) == 0, "SDMDEV_MAP_DMA");
	lk1 = locked_kb();
	pins1 = pins_held();
	CHECK(lk1 - lk0 == (long)(size >> 10), "locked_vm grew %ld kB, want %zu", lk1 - lk0,
	      size >> 10);
	CHECK(pins1 - pins0 == (long)(size >> 12), "FOLL_PIN pins grew %ld, want %zu",
	      pins1 - pins0, size >> 12);
	CHECK(sdm_map(&a, iova, size, 0) == -EEXIST, "SDMDEV_MAP_DMA twice");
	CHECK(sdm_map(&a, iova + 4096, 4096, 0) == -EEXIST, "SDMDEV_MAP_DMA inside a mapped range");

	zip_check(&a, buf, iova, 0, 64 * 1024, 1 << 20, "user memory, queue A");

	/* The second instance shares the function's domain: A's mapping serves B. */
	ret = inst_open(&b, u2);
	CHECK(ret == 0, "open %s: %d", u2, ret);
	if (!ret) {
		CHECK(b.info.iova_start == a.info.iova_start && b.info.iova_end == a.info.iova_end,
		      "instances of one function with different windows");
		CHECK(vfio_map(&b, buf, iova, size) == 0, "VFIO_IOMMU_MAP_DMA in B's container");
		CHECK(sdm_map(&b, iova, size, 0) == -EEXIST, "B mapping A's range in the one domain");
		zip_check(&b, buf, iova, 128 * 1024, 32 * 1024, 2 << 20, "A's memory, queue B");
		CHECK(vfio_unmap(&b, iova, size) == 0, "B's UNMAP_DMA");
	}

	/*
	 * UNMAP_DMA takes the memory from the device before it returns. The
	 * source of the next request stays mapped (a second range), so the
	 * engine gets as far as writing to the taken memory.
	 */
	CHECK(vfio_map(&a, src2, iova + size, 4096) == 0 && sdm_map(&a, iova + size, 4096, 0) == 0,
	      "second range");
	fill(src2, 4096);
	CHECK(vfio_unmap(&a, iova, size) == 0, "VFIO_IOMMU_UNMAP_DMA");
	CHECK(locked_kb() == lk0 + 4, "locked_vm %ld kB after UNMAP_DMA, want %ld", locked_kb(),
	      lk0 + 4);
	CHECK(pins_held() == pins0 + 1, "%ld pins left after UNMAP_DMA, want 1",
	      pins_held() - pins0);
	memset(buf + (3 << 20), 0xa5, 4096);
	{
		unsigned int idx = a.tail;

		submit(&a, iova + size, 4096, iova + (3 << 20), 4096, true);
		st = wait_done(&a, idx, NULL);
		CHECK(st == ZST_AXI, "request on unmapped memory: status %d, want %d (DMA error)",
		      st, ZST_AXI);
		CHECK(buf[3 << 20] == 0xa5 && buf[(3 << 20) + 4095] == 0xa5,
		      "the device wrote memory taken from it");
	}
	/* Mapped again, the range can be given to the device again. */
	CHECK(vfio_map(&a, buf, iova, size) == 0, "MAP_DMA again");
	CHECK(sdm_map(&a, iova, size, 0) == 0, "SDMDEV_MAP_DMA after UNMAP_DMA");
	if (!ret)
		inst_close(&b);
	inst_close(&a);
	/* The last close unpins what was still mapped. */
	CHECK(locked_kb() == lk0, "locked_vm %ld kB after close, want %ld", locked_kb(), lk0);
	CHECK(pins_held() == pins0, "%ld pins left after close", pins_held() - pins0);
	munmap(buf, size);
	munmap(src2, 4096);
	if (!failed)
		printf("sdmdev-iommu abi: all checks passed\n");
	return failed;
}

#define KILL_BUF	(128 * 1024)
#define KILL_REQS	16

/*
 * Open, map KILL_BUF, queue KILL_REQS compressions, write "holding N" (N:
 * how many finished already) to @out and sleep until killed.
 */
static int busy_child(const char *uuid, int out)
{
	struct inst in;
	unsigned int i, done;
	uint8_t *buf = alloc_buf(KILL_BUF);
	uint64_t iova;
	char msg[32];

	if (!buf || inst_open(&in, uuid))
		return 1;
	iova = in.info.iova_start;
	if (vfio_map(&in, buf, iova, KILL_BUF) || sdm_map(&in, iova, KILL_BUF, 0))
		return 1;
	fill(buf, KILL_BUF / 2);
	for (i = 0; i < KILL_REQS; i++)
		submit(&in, iova + i * 4096, 4096, iova + KILL_BUF / 2 + i * 4096, 4096, false);
	ring_db(&in, 0, in.tail);
	done = completed(&in);
	snprintf(msg, sizeof(msg), "holding %u\n", done);
	if (write(out, msg, strlen(msg)) < 0)
		return 1;
	for (;;)
		pause();
}

static int do_kill(const char *uuid, int n)
{
	long pins0 = pins_held();
	int avail0 = available(uuid), i, inflight_kills = 0;
	struct inst in;

	CHECK(avail0 > 0, "available_instances %d", avail0);
	for (i = 0; i < n && !failed; i++) {
		int pfd[2], status;
		char msg[32] = "";
		ssize_t got;
		pid_t pid;

		if (pipe(pfd))
			return 1;
		pid = fork();
		if (pid == 0) {
			close(pfd[0]);
			_exit(busy_child(uuid, pfd[1]));
		}
		close(pfd[1]);
		got = read(pfd[0], msg, sizeof(msg) - 1);
		close(pfd[0]);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		CHECK(got > 0, "iteration %d: the child failed (status %#x)", i, status);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		      "iteration %d: status %#x", i, status);
		if (got > 8 && atoi(msg + 8) < KILL_REQS)
			inflight_kills++;
		/* Its files were closed before it became a zombie. */
		CHECK(pins_held() == pins0, "iteration %d: %ld pages still pinned", i,
		      pins_held() - pins0);
		CHECK(available(uuid) == avail0, "iteration %d: available_instances %d, want %d", i,
		      available(uuid), avail0);
	}
	printf("kill -9: %d iterations, %d with requests in flight at the kill\n", i,
	       inflight_kills);
	CHECK(inflight_kills > 0, "no kill hit requests in flight");
	if (failed)
		return 1;
	/* The device still works. */
	if (inst_open(&in, uuid) == 0) {
		uint8_t *buf = alloc_buf(1 << 20);
		uint64_t iova = in.info.iova_start;

		CHECK(buf && vfio_map(&in, buf, iova, 1 << 20) == 0 &&
		      sdm_map(&in, iova, 1 << 20, 0) == 0, "map after the kills");
		if (!failed)
			zip_check(&in, buf, iova, 0, 64 * 1024, 512 * 1024, "after the kills");
		inst_close(&in);
	} else {
		CHECK(0, "open after the kills");
	}
	CHECK(pins_held() == pins0, "%ld pages pinned at the end", pins_held() - pins0);
	if (!failed)
		printf("sdmdev-iommu kill: all checks passed\n");
	return failed;
}

static int do_noaccess(const char *uuid)
{
	struct inst in;
	int ret;

	CHECK(setgroups(0, NULL) == 0 && setgid(65534) == 0 && setuid(65534) == 0, "drop to 65534");
	if (failed)
		return 1;
	ret = inst_open(&in, uuid);
	CHECK(ret == -EACCES, "open as uid 65534: %d, want -EACCES", ret);
	return failed;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "abi"))
		return do_abi(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "kill"))
		return do_kill(argv[2], atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "hold"))
		return busy_child(argv[2], STDOUT_FILENO);
	if (argc == 3 && !strcmp(argv[1], "noaccess"))
		return do_noaccess(argv[2]);
	fprintf(stderr, "usage: %s abi UUID1 UUID2 | kill UUID N | hold UUID | noaccess UUID\n",
		argv[0]);
	return 2;
}
