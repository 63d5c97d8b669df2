// SPDX-License-Identifier: GPL-2.0
/*
 * sdmdev-open - open an sdmdev instance the VFIO way and check its ABI.
 *
 *   sdmdev-open UUID            open, check info/regions/mmap rules, close
 *   sdmdev-open UUID hold       the same, then print "holding" and sleep
 *                               with the queue open and mapped (for kill -9,
 *                               remove and unbind tests)
 *   sdmdev-open UUID busy       expect the open to fail with EBUSY
 *   sdmdev-open UUID zip        the checks, then one zlib compression through
 *                               the queue from user space alone: SQE in the
 *                               ring, buffers in the DMA region, a doorbell
 *                               store, CQ polling; the output is inflated
 *                               with zlib and compared
 *   sdmdev-open UUID wait       SDMDEV_WAIT: on an idle queue it times out
 *                               after its timeout; then one request is sent
 *                               (the caller has hung the engine), the line
 *                               "waiting" printed, and SDMDEV_WAIT must
 *                               return 0 with the CQE in the ring once the
 *                               caller releases the engine; a wait after
 *                               that times out again; a second request
 *                               wakes the next wait at once
 *   sdmdev-open UUID inflight   send one request (the caller has hung the
 *                               engine) and close the queue with it in
 *                               flight
 *   sdmdev-open UUID eperm      expect the open to fail with EPERM at
 *                               VFIO_GROUP_GET_DEVICE_FD (no IOMMU and no
 *                               CAP_SYS_RAWIO)
 *   sdmdev-open UUID eacces     expect EACCES opening the VFIO group
 *   sdmdev-open UUID ras        send one request (the caller has hung the
 *                               engine), print "waiting"; the caller then
 *                               raises an abnormal (RAS) interrupt:
 *                               SDMDEV_WAIT must fail with EIO, and a second
 *                               wait at once; print "errored"; once the
 *                               caller releases the engine the request
 *                               completes (the kernel left the rings alone)
 *                               and is checked; then close
 *   sdmdev-open UUID gone       send one request (the caller has hung the
 *                               engine), print "waiting"; the caller then
 *                               removes the function: SDMDEV_WAIT must fail
 *                               with ENODEV, and a second wait at once;
 *                               then close
 *
 * Options, before UUID (security tests, sdmdev-security*.sh):
 *   -u UID   run as uid and gid UID, with no supplementary groups
 *   -K       with -u: keep CAP_SYS_RAWIO (and only it)
 *   -R       drop CAP_SYS_RAWIO (stay root otherwise)
 *
 * Exit 0 when every check passed; each failure prints one line.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
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

/* Container + group + type1v2 + device fd, checking each step; 0 or -errno. */
static int vfio_open(struct wdt_vfio *in, const char *uuid)
{
	int ret = wdt_vfio_open(in, uuid, WDT_VFIO_CHECK);

	if (ret && strcmp(in->failed_step, "VFIO_GROUP_GET_DEVICE_FD"))
		CHECK(0, "%s: %s", in->failed_step, strerror(-ret));
	return ret;
}

static void check_info(struct wdt_vfio *in)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct sdmdev_info si = { .argsz = sizeof(si) };
	struct sdmdev_wait w = { .argsz = sizeof(w), .timeout_ms = 10 };
	unsigned int i;

	CHECK(ioctl(in->device, VFIO_DEVICE_GET_INFO, &info) == 0, "DEVICE_GET_INFO");
	CHECK(info.num_regions == SDMDEV_NUM_REGIONS, "num_regions %u", info.num_regions);
	CHECK(info.num_irqs == 0, "num_irqs %u", info.num_irqs);

	for (i = 0; i < SDMDEV_NUM_REGIONS; i++) {
		struct vfio_region_info r = { .argsz = sizeof(r), .index = i };

		CHECK(ioctl(in->device, VFIO_DEVICE_GET_REGION_INFO, &r) == 0, "REGION_INFO %u", i);
		CHECK(r.offset == SDMDEV_REGION_OFFSET(i), "region %u offset %#llx", i,
		      (unsigned long long)r.offset);
		CHECK(!r.size == !(r.flags & VFIO_REGION_INFO_FLAG_MMAP),
		      "region %u size %llu flags %#x", i, (unsigned long long)r.size, r.flags);
		in->size[i] = r.size;
	}
	{
		struct vfio_region_info r = { .argsz = sizeof(r), .index = SDMDEV_NUM_REGIONS };

		CHECK(ioctl(in->device, VFIO_DEVICE_GET_REGION_INFO, &r) < 0 && errno == EINVAL,
		      "REGION_INFO past the last region");
	}
	CHECK(in->size[SDMDEV_REGION_MMIO] == 4096, "mmio size %zu",
	      (size_t)in->size[SDMDEV_REGION_MMIO]);
	CHECK(in->size[SDMDEV_REGION_RING] == 128 * 1024 + 16 * 1024, "ring size %zu",
	      (size_t)in->size[SDMDEV_REGION_RING]);
	CHECK(in->size[SDMDEV_REGION_DMA] == 1024 * 1024, "dma size %zu",
	      (size_t)in->size[SDMDEV_REGION_DMA]);

	CHECK(ioctl(in->device, SDMDEV_GET_INFO, &si) == 0, "SDMDEV_GET_INFO");
	CHECK(strcmp(si.api, "hisi_qm_v2") == 0, "api '%s'", si.api);
	CHECK(si.flags & SDMDEV_FLAG_SHARED_MMIO, "flags %#x lack SHARED_MMIO", si.flags);
	CHECK(si.dma_addr != 0, "no DMA address");
	printf("queue %u api %s flags %#x node %d\n", si.queue_id, si.api, si.flags, si.numa_node);
	/* hisi_zip wakes waiters from the EQ; nothing was sent, so no news. */
	CHECK(si.flags & SDMDEV_FLAG_WAIT, "flags %#x lack WAIT", si.flags);
	CHECK(ioctl(in->device, SDMDEV_WAIT, &w) < 0 && errno == ETIMEDOUT,
	      "SDMDEV_WAIT on an idle queue");
	w.flags = 1;
	CHECK(ioctl(in->device, SDMDEV_WAIT, &w) < 0 && errno == EINVAL, "SDMDEV_WAIT flags 1");
	CHECK(ioctl(in->device, _IO(VFIO_TYPE, SDMDEV_DRIVER_BASE + 1), 0) < 0 && errno == ENOTTY,
	      "driver ioctl the driver does not know");
	CHECK(ioctl(in->device, HISI_QM_SDMDEV_SET_ALG, 2UL) < 0 && errno == EINVAL,
	      "HISI_QM_SDMDEV_SET_ALG with a bad direction");
	/* back and forth: the queue restarts compressing (check_zip below) */
	CHECK(ioctl(in->device, HISI_QM_SDMDEV_SET_ALG, 1UL) == 0, "SET_ALG decompress");
	CHECK(ioctl(in->device, HISI_QM_SDMDEV_SET_ALG, 0UL) == 0, "SET_ALG compress");
}

static void *map_region(struct wdt_vfio *in, unsigned int i, size_t len, int flags)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, flags, in->device,
		    SDMDEV_REGION_OFFSET(i));
}

static void check_mmap(struct wdt_vfio *in)
{
	size_t ring = in->size[SDMDEV_REGION_RING];
	volatile uint8_t *cq;
	void *p;
	size_t i;

	CHECK(map_region(in, SDMDEV_REGION_RING, ring, MAP_PRIVATE) == MAP_FAILED,
	      "MAP_PRIVATE of the ring accepted");
	CHECK(map_region(in, SDMDEV_REGION_RING, 4096, MAP_SHARED) == MAP_FAILED,
	      "partial mapping of the ring accepted");
	CHECK(map_region(in, SDMDEV_REGION_DMA, 4096, MAP_SHARED) == MAP_FAILED,
	      "partial mapping of the DMA region accepted");
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, in->device,
		   SDMDEV_REGION_OFFSET(SDMDEV_NUM_REGIONS)) == MAP_FAILED,
	      "mapping past the last region accepted");

	for (i = 0; i < SDMDEV_NUM_REGIONS; i++) {
		in->map[i] = map_region(in, i, in->size[i], MAP_SHARED);
		CHECK(in->map[i] != MAP_FAILED, "mmap region %zu", i);
		if (in->map[i] == MAP_FAILED)
			in->map[i] = NULL;
	}
	p = map_region(in, SDMDEV_REGION_MMIO, in->size[0], MAP_SHARED);
	CHECK(p == MAP_FAILED && errno == EBUSY, "second mapping of the doorbell page");
	if (p != MAP_FAILED)
		munmap(p, in->size[0]);
	if (!in->map[SDMDEV_REGION_RING])
		return;

	/* A started queue has empty rings: the CQ (after 128 KiB of SQ) is zero. */
	cq = (uint8_t *)in->map[SDMDEV_REGION_RING] + 128 * 1024;
	for (i = 0; i < 16 * 1024; i++)
		if (cq[i])
			break;
	CHECK(i == 16 * 1024, "CQ byte %zu is %#x, not 0", i, cq[i]);
	/* The SQ is ours to write. */
	memset(in->map[SDMDEV_REGION_RING], 0x5a, 128);
	CHECK(((uint8_t *)in->map[SDMDEV_REGION_RING])[127] == 0x5a, "SQ write lost");
}

/*
 * VM_DONTCOPY: a child has no queue mapping. The child hands the kernel the
 * ring's address (write() to a pipe), which fails with EFAULT when nothing
 * is mapped there; a plain load would fault and log a segfault.
 */
static void check_fork(struct wdt_vfio *in)
{
	void *ring = in->map[SDMDEV_REGION_RING], *db = in->map[SDMDEV_REGION_MMIO];
	int status, pfd[2];
	pid_t pid;

	if (!ring || !db || pipe(pfd))
		return;
	/* The parent can: the same probe succeeds on a real mapping. */
	CHECK(write(pfd[1], ring, 1) == 1, "write() from the ring in the parent");
	pid = fork();
	if (pid == 0) {
		int bad = write(pfd[1], ring, 1) != -1 || errno != EFAULT;

		bad |= write(pfd[1], db, 1) != -1 || errno != EFAULT;
		_exit(bad);
	}
	CHECK(pid > 0, "fork");
	if (pid <= 0)
		return;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the child of fork() still has the queue mapped (status %#x)", status);
	close(pfd[0]);
	close(pfd[1]);
}

/* one zlib request through the queue (wdt-qm.h) */
#define ZIP_IN_LEN	16384
#define ZIP_OUT_OFF	(256 * 1024)
#define ZIP_OUT_LEN	(64 * 1024)

static void qm_db(struct wdt_vfio *in, uint32_t qn, uint64_t cmd, uint16_t index, uint64_t prio)
{
	wdt_qm_db(in->map[SDMDEV_REGION_MMIO], qn, cmd, index, prio);
}

/*
 * Queue one zlib compression of the DMA region's first ZIP_IN_LEN bytes in
 * SQE @slot (the first request is slot 0, the next 1, ...) and ring the SQ
 * doorbell. Returns the queue id, or -1.
 */
static int zip_send(struct wdt_vfio *in, unsigned int slot)
{
	static const char text[] = "WarpDrive: a user-space queue, no syscall per request. ";
	struct sdmdev_info si = { .argsz = sizeof(si) };
	uint8_t *ring = in->map[SDMDEV_REGION_RING], *dma = in->map[SDMDEV_REGION_DMA];
	uint64_t out = ZIP_OUT_OFF + (uint64_t)slot * ZIP_OUT_LEN;
	uint8_t sqe[QM_SQE_SIZE] = { 0 };
	int i;

	if (!ring || !dma || !in->map[SDMDEV_REGION_MMIO] || failed)
		return -1;
	CHECK(ioctl(in->device, SDMDEV_GET_INFO, &si) == 0, "SDMDEV_GET_INFO");
	for (i = 0; i < ZIP_IN_LEN; i++)
		dma[i] = text[i % (sizeof(text) - 1)];

	wdt_put32(sqe, 4, ZIP_IN_LEN);			/* input_data_length */
	wdt_put32(sqe, 9, HZIP_REQ_ZLIB);			/* flat buffers */
	wdt_put32(sqe, 13, 0x5d3d + slot);			/* tag */
	wdt_put32(sqe, 14, ZIP_OUT_LEN - 2);		/* dest_avail_out */
	wdt_put32(sqe, 18, (uint32_t)si.dma_addr);
	wdt_put32(sqe, 19, (uint32_t)(si.dma_addr >> 32));
	/* The engine writes the deflate body and the trailer; the header is ours. */
	dma[out] = 0x78;
	dma[out + 1] = 0x9c;
	wdt_put32(sqe, 20, (uint32_t)(si.dma_addr + out + 2));
	wdt_put32(sqe, 21, (uint32_t)((si.dma_addr + out + 2) >> 32));
	memcpy(ring + (size_t)slot * QM_SQE_SIZE, sqe, sizeof(sqe));
	qm_db(in, si.queue_id, QM_DB_CMD_SQ, slot + 1, 0);
	return (int)si.queue_id;
}

/* CQE @slot's phase bit (bit 0 of its last 16-bit word) is 1 on the first lap. */
static int zip_cqe_ready(struct wdt_vfio *in, unsigned int slot)
{
	volatile uint8_t *cqe = (uint8_t *)in->map[SDMDEV_REGION_RING] +
				QM_SQE_SIZE * QM_Q_DEPTH + QM_CQE_SIZE * slot;

	return cqe[QM_CQE_SIZE - 2] & 1;
}

/*
 * Take CQE @slot: free it and re-arm the notification (CQ doorbell with the
 * new head, then again with priority 1, as the kernel does for its queues),
 * then check the result in SQE @slot and inflate it.
 */
static void zip_check(struct wdt_vfio *in, int qid, unsigned int slot)
{
	uint8_t *ring = in->map[SDMDEV_REGION_RING], *dma = in->map[SDMDEV_REGION_DMA];
	uint8_t *sqe = ring + (size_t)slot * QM_SQE_SIZE;
	uint64_t out = ZIP_OUT_OFF + (uint64_t)slot * ZIP_OUT_LEN;
	static uint8_t back[ZIP_IN_LEN];
	uLongf back_len = sizeof(back);
	uint32_t status, produced;
	int zret;

	__sync_synchronize();
	qm_db(in, qid, QM_DB_CMD_CQ, slot + 1, 0);
	qm_db(in, qid, QM_DB_CMD_CQ, slot + 1, 1);

	status = wdt_get32(sqe, 3) & 0xff;
	produced = wdt_get32(sqe, 1);
	CHECK(status == 0, "status %#x", status);
	CHECK(wdt_get32(sqe, 0) == ZIP_IN_LEN, "consumed %u", wdt_get32(sqe, 0));
	CHECK(produced > 0 && produced < ZIP_OUT_LEN - 2, "produced %u", produced);
	CHECK(wdt_get32(sqe, 13) == 0x5d3d + slot, "tag %#x", wdt_get32(sqe, 13));
	if (failed)
		return;
	zret = uncompress(back, &back_len, dma + out, produced + 2);
	CHECK(zret == Z_OK && back_len == ZIP_IN_LEN && !memcmp(back, dma, ZIP_IN_LEN),
	      "inflate: %d, %lu bytes", zret, (unsigned long)back_len);
	printf("zip: %d -> %u bytes through user queue %d\n", ZIP_IN_LEN, produced, qid);
}

static void check_zip(struct wdt_vfio *in)
{
	int i, qid = zip_send(in, 0);

	if (qid < 0)
		return;
	for (i = 0; i < 5000 && !zip_cqe_ready(in, 0); i++)
		usleep(1000);
	CHECK(zip_cqe_ready(in, 0), "no completion in 5 s");
	if (zip_cqe_ready(in, 0))
		zip_check(in, qid, 0);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SDMDEV_WAIT for up to @ms; returns 0 or errno, and how long it took. */
static int sdm_wait(struct wdt_vfio *in, unsigned int ms, long *took)
{
	struct sdmdev_wait w = { .argsz = sizeof(w), .timeout_ms = ms };
	long t0 = now_ms();
	int ret = ioctl(in->device, SDMDEV_WAIT, &w) ? errno : 0;

	*took = now_ms() - t0;
	return ret;
}

static void check_wait(struct wdt_vfio *in)
{
	long took;
	int ret, qid;

	/* Nothing sent: the wait sleeps for its whole timeout. */
	ret = sdm_wait(in, 300, &took);
	CHECK(ret == ETIMEDOUT && took >= 290, "idle wait: %s after %ld ms", strerror(ret), took);
	printf("idle wait: %s after %ld ms\n", strerror(ret), took);

	/* The engine is hung: the completion comes when the caller releases it. */
	qid = zip_send(in, 0);
	if (qid < 0)
		return;
	CHECK(!zip_cqe_ready(in, 0), "completion although the engine is hung");
	printf("waiting\n");
	fflush(stdout);
	ret = sdm_wait(in, 60000, &took);
	CHECK(ret == 0, "wait for the completion: %s after %ld ms", strerror(ret), took);
	CHECK(zip_cqe_ready(in, 0), "wait returned 0 after %ld ms without a CQE", took);
	printf("woken after %ld ms\n", took);
	if (failed)
		return;
	zip_check(in, qid, 0);

	/* Drained and re-armed: no news, so the next wait times out. */
	ret = sdm_wait(in, 300, &took);
	CHECK(ret == ETIMEDOUT && took >= 290, "wait after draining: %s after %ld ms",
	      strerror(ret), took);

	/* A completion between "CQ empty" and the wait is not missed. */
	qid = zip_send(in, 1);
	ret = sdm_wait(in, 10000, &took);
	CHECK(ret == 0 && zip_cqe_ready(in, 1), "wait for a second request: %s after %ld ms",
	      strerror(ret), took);
	if (!failed)
		zip_check(in, qid, 1);
}

/* CAP_SYS_RAWIO in the effective and permitted sets: on or off. */
static int set_rawio(int on)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	if (on) {
		memset(d, 0, sizeof(d));
		d[0].effective = d[0].permitted = 1u << CAP_SYS_RAWIO;
	} else {
		d[0].effective &= ~(1u << CAP_SYS_RAWIO);
		d[0].permitted &= ~(1u << CAP_SYS_RAWIO);
	}
	return syscall(SYS_capset, &h, d) ? -1 : 0;
}

/* Become @uid (gid the same, no groups), keeping CAP_SYS_RAWIO if @rawio. */
static int become(long uid, int rawio)
{
	if (rawio && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		return -1;
	if (setgroups(0, NULL) || setgid((gid_t)uid) || setuid((uid_t)uid))
		return -1;
	return rawio ? set_rawio(1) : 0;
}

/* Modes in which the open must be refused: with what, at which step. */
static const struct {
	const char *mode;
	int err;
	const char *step;
} refusals[] = {
	{ "busy", EBUSY, "VFIO_GROUP_GET_DEVICE_FD" },
	{ "eperm", EPERM, "VFIO_GROUP_GET_DEVICE_FD" },
	{ "eacces", EACCES, "open group" },
};

static void check_gone(struct wdt_vfio *in)
{
	long took;
	int ret;

	CHECK(zip_send(in, 0) >= 0, "send");
	CHECK(!zip_cqe_ready(in, 0), "completion although the engine is hung");
	printf("waiting\n");
	fflush(stdout);
	/* The function goes while this sleeps: the wait must end, not time out. */
	ret = sdm_wait(in, 120000, &took);
	CHECK(ret == ENODEV, "wait on a gone function: %s after %ld ms", strerror(ret), took);
	printf("wait: %s after %ld ms\n", strerror(ret), took);
	ret = sdm_wait(in, 120000, &took);
	CHECK(ret == ENODEV && took < 10000, "second wait: %s after %ld ms", strerror(ret), took);
	CHECK(!zip_cqe_ready(in, 0), "a completion from a gone function");
}

static void check_ras(struct wdt_vfio *in)
{
	long took;
	int i, ret, qid = zip_send(in, 0);

	if (qid < 0)
		return;
	CHECK(!zip_cqe_ready(in, 0), "completion although the engine is hung");
	printf("waiting\n");
	fflush(stdout);
	ret = sdm_wait(in, 120000, &took);
	CHECK(ret == EIO, "wait after a device error: %s after %ld ms", strerror(ret), took);
	printf("wait: %s after %ld ms\n", strerror(ret), took);
	ret = sdm_wait(in, 120000, &took);
	CHECK(ret == EIO && took < 10000, "second wait: %s after %ld ms", strerror(ret), took);
	printf("errored\n");
	fflush(stdout);
	for (i = 0; i < 20000 && !zip_cqe_ready(in, 0); i++)
		usleep(1000);
	CHECK(zip_cqe_ready(in, 0), "no completion within 20 s of the error");
	if (!failed)
		zip_check(in, qid, 0);
}

int main(int argc, char **argv)
{
	const char *mode, *uuid;
	struct wdt_vfio in = { 0 };
	long uid = -1;
	int ret, c, keep_rawio = 0, drop_rawio = 0;
	unsigned int i;

	while ((c = getopt(argc, argv, "u:KR")) != -1) {
		switch (c) {
		case 'u': uid = atol(optarg); break;
		case 'K': keep_rawio = 1; break;
		case 'R': drop_rawio = 1; break;
		default: optind = argc; break;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: %s [-u UID [-K]] [-R] UUID "
			"[hold|busy|zip|wait|inflight|ras|gone|eperm|eacces]\n", argv[0]);
		return 2;
	}
	uuid = argv[optind];
	mode = optind + 1 < argc ? argv[optind + 1] : "";
	CHECK(!drop_rawio || set_rawio(0) == 0, "dropping CAP_SYS_RAWIO");
	CHECK(uid < 0 || become(uid, keep_rawio) == 0, "becoming uid %ld", uid);
	if (failed)
		return 1;
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		if (strcmp(mode, refusals[i].mode))
			continue;
		ret = wdt_vfio_open(&in, uuid, WDT_VFIO_CHECK);
		CHECK(ret == -refusals[i].err && !strcmp(in.failed_step, refusals[i].step),
		      "open: %s at %s, want %s at %s", ret ? strerror(-ret) : "success",
		      ret ? in.failed_step : "the end", strerror(refusals[i].err),
		      refusals[i].step);
		if (!failed)
			printf("refused: %s at %s\n", strerror(-ret), in.failed_step);
		if (!ret)
			wdt_vfio_close(&in);
		return failed;
	}
	ret = vfio_open(&in, uuid);
	CHECK(ret >= 0, "GET_DEVICE_FD %s: %d", uuid, ret);
	if (ret < 0)
		return 1;
	check_info(&in);
	check_mmap(&in);
	check_fork(&in);
	if (!strcmp(mode, "zip"))
		check_zip(&in);
	if (!strcmp(mode, "wait"))
		check_wait(&in);
	if (!strcmp(mode, "ras"))
		check_ras(&in);
	if (!strcmp(mode, "gone"))
		check_gone(&in);
	if (!strcmp(mode, "inflight")) {
		CHECK(zip_send(&in, 0) >= 0, "send");
		CHECK(!zip_cqe_ready(&in, 0), "completion although the engine is hung");
	}
	if (!strcmp(mode, "hold")) {
		printf("holding\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	wdt_vfio_close(&in);
	if (!failed)
		printf("sdmdev-open: all checks passed\n");
	return failed;
}
