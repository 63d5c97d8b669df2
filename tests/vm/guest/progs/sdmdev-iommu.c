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
 *   sdmdev-iommu outside UUID [UID]  (as UID, when given) requests naming
 *       addresses the process never mapped: in the window, above it, and
 *       a destination outside while the source is mapped; each fails with
 *       a DMA error, the process's memory stays as it was, and a fresh
 *       open compresses again
 *
 * Exit 0 when every check passed; each failure prints one line.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
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

#include "wdt-qm.h"
#include "wdt-vfio.h"

static int failed;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("FAIL %s:%d: ", __func__, __LINE__);		\
		printf(__VA_ARGS__);					\
		printf(" (errno %d %s)\n", errno, strerror(errno));	\
		failed = 1;						\
	}								\
} while (0)

struct inst {
	struct wdt_vfio v;	/* fds, info (SDMDEV_GET_INFO) */
	uint8_t *ring;
	volatile uint64_t *db;
	unsigned int tail;	/* next SQE */
	unsigned int cq_head;
};

/* Open, SDMDEV_GET_INFO, ring and doorbell mapped; 0 or -errno. */
static int inst_open(struct inst *in, const char *uuid)
{
	int ret;

	memset(in, 0, sizeof(*in));
	ret = wdt_vfio_open(&in->v, uuid, 0);
	if (!ret)
		ret = wdt_vfio_info(&in->v);
	if (ret)
		return ret;
	in->ring = wdt_vfio_mmap(&in->v, SDMDEV_REGION_RING, 128 * 1024 + 16 * 1024);
	in->db = wdt_vfio_mmap(&in->v, SDMDEV_REGION_MMIO, 4096);
	return in->ring && in->db ? 0 : -errno;
}

static void inst_close(struct inst *in)
{
	wdt_vfio_close(&in->v);
}

static void ring_db(struct inst *in, uint64_t cmd, uint16_t index)
{
	wdt_qm_db(in->db, in->v.info.queue_id, cmd, index, 0);
}

/* Queue a zlib compression of [src, +len) into [dst, +room) (IOVAs). */
static void submit(struct inst *in, uint64_t src, uint32_t len, uint64_t dst, uint32_t room,
		   bool ring_now)
{
	uint8_t *sqe = in->ring + QM_SQE_SIZE * (in->tail % QM_Q_DEPTH);

	memset(sqe, 0, QM_SQE_SIZE);
	wdt_put32(sqe, 4, len);
	wdt_put32(sqe, 9, HZIP_REQ_ZLIB);
	wdt_put32(sqe, 13, in->tail);
	wdt_put32(sqe, 14, room);
	wdt_put32(sqe, 18, (uint32_t)src);
	wdt_put32(sqe, 19, (uint32_t)(src >> 32));
	wdt_put32(sqe, 20, (uint32_t)dst);
	wdt_put32(sqe, 21, (uint32_t)(dst >> 32));
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
		*produced = wdt_get32(sqe, 1);
	return wdt_get32(sqe, 3) & 0xff;
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

	CHECK(!(in->v.info.flags & SDMDEV_FLAG_NOIOMMU), "NOIOMMU set behind an IOMMU (flags %#x)",
	      in->v.info.flags);
	CHECK(in->v.info.iova_start && in->v.info.iova_end > in->v.info.iova_start &&
	      !(in->v.info.iova_start & 4095) && (in->v.info.iova_end & 4095) == 4095,
	      "window %#llx-%#llx", (unsigned long long)in->v.info.iova_start,
	      (unsigned long long)in->v.info.iova_end);
	/* An older caller's smaller struct: filled up to its end, not beyond. */
	memset(raw, 0xee, sizeof(raw));
	memcpy(raw, &(uint32_t){ (uint32_t)minsz }, 4);
	CHECK(ioctl(in->v.device, SDMDEV_GET_INFO, raw) == 0, "GET_INFO with the old size");
	memcpy(&old, raw, minsz);
	CHECK(!strcmp(old.api, "hisi_qm_v2") && raw[minsz] == 0xee,
	      "old-size GET_INFO: api '%s', byte after it %#x", old.api, raw[minsz]);
	memcpy(raw, &(uint32_t){ 8 }, 4);
	CHECK(ioctl(in->v.device, SDMDEV_GET_INFO, raw) < 0 && errno == EINVAL, "GET_INFO argsz 8");
	printf("window %#llx-%#llx\n", (unsigned long long)in->v.info.iova_start,
	       (unsigned long long)in->v.info.iova_end);
}

/* SDMDEV_MAP_DMA's argument checks and errnos (include/uapi/misc/sdmdev.h). */
static void check_map_errors(struct inst *in, uint64_t iova, uint64_t size)
{
	uint64_t s = in->v.info.iova_start, e = in->v.info.iova_end;
	struct sdmdev_dma_map small = { .argsz = 8, .iova = iova, .size = size };

	CHECK(ioctl(in->v.device, SDMDEV_MAP_DMA, &small) < 0 && errno == EINVAL, "argsz 8");
	CHECK(wdt_sdm_map(&in->v, iova, size, 1) == -EINVAL, "flags 1");
	CHECK(wdt_sdm_map(&in->v, iova, 0, 0) == -EINVAL, "size 0");
	CHECK(wdt_sdm_map(&in->v, iova + 1, size, 0) == -EINVAL, "unaligned iova");
	CHECK(wdt_sdm_map(&in->v, iova, 100, 0) == -EINVAL, "unaligned size");
	CHECK(wdt_sdm_map(&in->v, s - 4096, 4096, 0) == -EINVAL, "page below the window");
	CHECK(wdt_sdm_map(&in->v, s - 4096, 8192, 0) == -EINVAL, "range starting below the window");
	CHECK(wdt_sdm_map(&in->v, e + 1, 4096, 0) == -EINVAL, "page above the window");
	CHECK(wdt_sdm_map(&in->v, e + 1 - 4096, 8192, 0) == -EINVAL, "range ending above the window");
	CHECK(wdt_sdm_map(&in->v, s, UINT64_MAX & ~4095ULL, 0) == -EINVAL, "wrapping range");
	CHECK(wdt_sdm_map(&in->v, iova, size, 0) == -EFAULT, "range not in the container");
	CHECK(ioctl(in->v.device, SDMDEV_MAP_DMA, (void *)16) < 0 && errno == EFAULT,
	      "bad argument pointer");
	CHECK(ioctl(in->v.device, _IO(VFIO_TYPE, SDMDEV_BASE + 0x1f), 0) < 0 && errno == ENOTTY,
	      "unknown sdmdev ioctl");
}

/*
 * No region may reach a child: madvise(MADV_DOFORK), which would undo
 * VM_DONTCOPY, is refused on each (the DMA region too, mapped here when the
 * parent offers one).
 */
static void check_no_fork(struct inst *in)
{
	unsigned int i;

	CHECK(wdt_vfio_regions(&in->v) == 0, "region info");
	if (in->v.size[SDMDEV_REGION_DMA])
		wdt_vfio_mmap(&in->v, SDMDEV_REGION_DMA, in->v.size[SDMDEV_REGION_DMA]);
	for (i = 0; i < SDMDEV_NUM_REGIONS; i++) {
		if (!in->v.map[i])
			continue;
		errno = 0;
		CHECK(madvise(in->v.map[i], in->v.size[i], MADV_DOFORK) == -1 && errno == EINVAL,
		      "MADV_DOFORK on region %u: %s (a child would share it)", i,
		      errno ? strerror(errno) : "accepted");
	}
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
	check_no_fork(&a);
	if (failed)
		return 1;
	iova = a.v.info.iova_start;
	check_map_errors(&a, iova, size);
	buf = alloc_buf(size);
	src2 = alloc_buf(4096);
	CHECK(buf && src2, "buffers");
	if (!buf || !src2)
		return 1;

	lk0 = wdt_locked_kb();
	pins0 = wdt_pins_held();
	CHECK(wdt_dma_map(&a.v, buf, iova, size) == 0, "VFIO_IOMMU_MAP_DMA");
	/* Half of it in the container is still not all of it: nothing pinned. */
	CHECK(wdt_sdm_map(&a.v, iova, 2 * size, 0) == -EFAULT, "range only partly in the container");
	CHECK(wdt_pins_held() == pins0, "pins left by a failed SDMDEV_MAP_DMA: %ld",
	      wdt_pins_held() - pins0);
	CHECK(wdt_sdm_map(&a.v, iova, size, 0) == 0, "SDMDEV_MAP_DMA");
	lk1 = wdt_locked_kb();
	pins1 = wdt_pins_held();
	CHECK(lk1 - lk0 == (long)(size >> 10), "locked_vm grew %ld kB, want %zu", lk1 - lk0,
	      size >> 10);
	CHECK(pins1 - pins0 == (long)(size >> 12), "FOLL_PIN pins grew %ld, want %zu",
	      pins1 - pins0, size >> 12);
	CHECK(wdt_sdm_map(&a.v, iova, size, 0) == -EEXIST, "SDMDEV_MAP_DMA twice");
	CHECK(wdt_sdm_map(&a.v, iova + 4096, 4096, 0) == -EEXIST,
	      "SDMDEV_MAP_DMA inside a mapped range");

	zip_check(&a, buf, iova, 0, 64 * 1024, 1 << 20, "user memory, queue A");

	/* The second instance shares the function's domain: A's mapping serves B. */
	ret = inst_open(&b, u2);
	CHECK(ret == 0, "open %s: %d", u2, ret);
	if (!ret) {
		CHECK(b.v.info.iova_start == a.v.info.iova_start && b.v.info.iova_end == a.v.info.iova_end,
		      "instances of one function with different windows");
		CHECK(wdt_dma_map(&b.v, buf, iova, size) == 0, "VFIO_IOMMU_MAP_DMA in B's container");
		CHECK(wdt_sdm_map(&b.v, iova, size, 0) == -EEXIST, "B mapping A's range in the one domain");
		zip_check(&b, buf, iova, 128 * 1024, 32 * 1024, 2 << 20, "A's memory, queue B");
		CHECK(wdt_dma_unmap(&b.v, iova, size) == 0, "B's UNMAP_DMA");
	}

	/*
	 * UNMAP_DMA takes the memory from the device before it returns. The
	 * source of the next request stays mapped (a second range), so the
	 * engine gets as far as writing to the taken memory.
	 */
	CHECK(wdt_dma_map(&a.v, src2, iova + size, 4096) == 0 &&
	      wdt_sdm_map(&a.v, iova + size, 4096, 0) == 0,
	      "second range");
	fill(src2, 4096);
	CHECK(wdt_dma_unmap(&a.v, iova, size) == 0, "VFIO_IOMMU_UNMAP_DMA");
	CHECK(wdt_locked_kb() == lk0 + 4, "locked_vm %ld kB after UNMAP_DMA, want %ld",
	      wdt_locked_kb(), lk0 + 4);
	CHECK(wdt_pins_held() == pins0 + 1, "%ld pins left after UNMAP_DMA, want 1",
	      wdt_pins_held() - pins0);
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
	CHECK(wdt_dma_map(&a.v, buf, iova, size) == 0, "MAP_DMA again");
	CHECK(wdt_sdm_map(&a.v, iova, size, 0) == 0, "SDMDEV_MAP_DMA after UNMAP_DMA");
	if (!ret)
		inst_close(&b);
	inst_close(&a);
	/* The last close unpins what was still mapped. */
	CHECK(wdt_locked_kb() == lk0, "locked_vm %ld kB after close, want %ld", wdt_locked_kb(), lk0);
	CHECK(wdt_pins_held() == pins0, "%ld pins left after close", wdt_pins_held() - pins0);
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
	iova = in.v.info.iova_start;
	if (wdt_dma_map(&in.v, buf, iova, KILL_BUF) || wdt_sdm_map(&in.v, iova, KILL_BUF, 0))
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
	long pins0 = wdt_pins_held();
	int avail0 = wdt_available(uuid), i, inflight_kills = 0;
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
		CHECK(wdt_pins_held() == pins0, "iteration %d: %ld pages still pinned", i,
		      wdt_pins_held() - pins0);
		CHECK(wdt_available(uuid) == avail0, "iteration %d: available_instances %d, want %d", i,
		      wdt_available(uuid), avail0);
	}
	printf("kill -9: %d iterations, %d with requests in flight at the kill\n", i,
	       inflight_kills);
	CHECK(inflight_kills > 0, "no kill hit requests in flight");
	if (failed)
		return 1;
	/* The device still works. */
	if (inst_open(&in, uuid) == 0) {
		uint8_t *buf = alloc_buf(1 << 20);
		uint64_t iova = in.v.info.iova_start;

		CHECK(buf && wdt_dma_map(&in.v, buf, iova, 1 << 20) == 0 &&
		      wdt_sdm_map(&in.v, iova, 1 << 20, 0) == 0, "map after the kills");
		if (!failed)
			zip_check(&in, buf, iova, 0, 64 * 1024, 512 * 1024, "after the kills");
		inst_close(&in);
	} else {
		CHECK(0, "open after the kills");
	}
	CHECK(wdt_pins_held() == pins0, "%ld pages pinned at the end", wdt_pins_held() - pins0);
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

/*
 * One request on a fresh open of @uuid, user memory @buf mapped at the
 * window's start: compress @len bytes from @src into @dst (IOVAs); its
 * status, or -1 (no completion, or the set-up failed).
 */
static int outside_req(const char *uuid, uint8_t *buf, size_t size, uint64_t src, uint64_t dst,
		       uint32_t len)
{
	struct inst in;
	uint64_t iova;
	int st = -1;

	if (inst_open(&in, uuid)) {
		CHECK(0, "open %s", uuid);
		return -1;
	}
	iova = in.v.info.iova_start;
	CHECK(wdt_dma_map(&in.v, buf, iova, size) == 0 && wdt_sdm_map(&in.v, iova, size, 0) == 0,
	      "map %zu bytes", size);
	if (!failed) {
		submit(&in, iova + src, len, iova + dst, len + 64, true);
		st = wait_done(&in, 0, NULL);
	}
	inst_close(&in);
	return st;
}

static int do_outside(const char *uuid, long uid)
{
	const size_t size = 1 << 20;
	uint8_t *buf = alloc_buf(size), *copy = alloc_buf(size);
	struct inst in;
	uint64_t start, end, far;
	int st;

	if (uid >= 0)
		CHECK(setgroups(0, NULL) == 0 && setgid((gid_t)uid) == 0 && setuid((uid_t)uid) == 0,
		      "drop to uid %ld", uid);
	CHECK(buf && copy, "buffers");
	if (failed || inst_open(&in, uuid)) {
		CHECK(0, "open %s as uid %d", uuid, (int)getuid());
		return 1;
	}
	start = in.v.info.iova_start;
	end = in.v.info.iova_end;
	inst_close(&in);
	fill(buf, size);
	memset(buf + size / 2, 0xa5, size / 2);
	memcpy(copy, buf, size);
	/* Offsets from the window's start (where buf is mapped): */
	far = 256ULL << 20;	/* in the window, never mapped by anyone */
	st = outside_req(uuid, buf, size, far, size / 2, 4096);
	CHECK(st == ZST_AXI, "source never mapped: status %d, want %d (DMA error)", st, ZST_AXI);
	st = outside_req(uuid, buf, size, 0, far, 4096);
	CHECK(st == ZST_AXI, "destination never mapped: status %d, want %d", st, ZST_AXI);
	if (end < UINT64_MAX - (1ULL << 21)) {
		st = outside_req(uuid, buf, size, 0, end + 1 - start, 4096);
		CHECK(st == ZST_AXI, "destination above the window: status %d, want %d", st,
		      ZST_AXI);
	}
	CHECK(!memcmp(buf, copy, size), "the device wrote the process's memory");
	/* output running off the end of the mapping (its last 16 bytes are ours) */
	st = outside_req(uuid, buf, size, 0, size - 16, 4096);
	CHECK(st != 0, "a destination running past the mapping succeeded");
	CHECK(!memcmp(buf, copy, size - 16), "the device wrote the process's memory");
	printf("outside: source, destination, above the window, past the end: refused\n");
	/* the device still works for this user */
	if (!failed && !inst_open(&in, uuid)) {
		CHECK(wdt_dma_map(&in.v, buf, start, size) == 0 &&
		      wdt_sdm_map(&in.v, start, size, 0) == 0, "map after the refusals");
		if (!failed)
			zip_check(&in, buf, start, 0, 64 * 1024, size / 2, "after the refusals");
		inst_close(&in);
	}
	if (!failed)
		printf("sdmdev-iommu outside: all checks passed\n");
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
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "outside"))
		return do_outside(argv[2], argc == 4 ? atol(argv[3]) : -1);
	fprintf(stderr, "usage: %s abi UUID1 UUID2 | kill UUID N | hold UUID | noaccess UUID | "
		"outside UUID [UID]\n",
		argv[0]);
	return 2;
}
