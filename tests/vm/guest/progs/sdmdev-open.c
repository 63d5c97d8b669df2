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
 *
 * Exit 0 when every check passed; each failure prints one line.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
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

struct inst {
	int container, group, device;
	void *map[SDMDEV_NUM_REGIONS];
	size_t size[SDMDEV_NUM_REGIONS];
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

/* Container + group + type1v2 + device fd; returns the device fd or -errno. */
static int vfio_open(struct inst *in, const char *uuid)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[64];
	int g = group_of(uuid);

	CHECK(g >= 0, "no iommu_group link for %s", uuid);
	if (g < 0)
		return -ENOENT;
	in->container = open("/dev/vfio/vfio", O_RDWR);
	CHECK(in->container >= 0, "open /dev/vfio/vfio");
	CHECK(ioctl(in->container, VFIO_GET_API_VERSION) == VFIO_API_VERSION, "API version");
	CHECK(ioctl(in->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) == 1,
	      "no type1v2 extension");
	snprintf(path, sizeof(path), "/dev/vfio/%d", g);
	in->group = open(path, O_RDWR);
	CHECK(in->group >= 0, "open %s", path);
	CHECK(ioctl(in->group, VFIO_GROUP_GET_STATUS, &status) == 0, "GROUP_GET_STATUS");
	CHECK(status.flags & VFIO_GROUP_FLAGS_VIABLE, "group %d not viable", g);
	CHECK(ioctl(in->group, VFIO_GROUP_SET_CONTAINER, &in->container) == 0, "SET_CONTAINER");
	CHECK(ioctl(in->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) == 0, "SET_IOMMU type1v2");
	if (failed)
		return -EIO;
	in->device = ioctl(in->group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	return in->device < 0 ? -errno : in->device;
}

static void check_info(struct inst *in)
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
	CHECK(in->size[SDMDEV_REGION_MMIO] == 4096, "mmio size %zu", in->size[SDMDEV_REGION_MMIO]);
	CHECK(in->size[SDMDEV_REGION_RING] == 128 * 1024 + 16 * 1024, "ring size %zu",
	      in->size[SDMDEV_REGION_RING]);
	CHECK(in->size[SDMDEV_REGION_DMA] == 1024 * 1024, "dma size %zu",
	      in->size[SDMDEV_REGION_DMA]);

	CHECK(ioctl(in->device, SDMDEV_GET_INFO, &si) == 0, "SDMDEV_GET_INFO");
	CHECK(strcmp(si.api, "hisi_qm_v2") == 0, "api '%s'", si.api);
	CHECK(si.flags & SDMDEV_FLAG_SHARED_MMIO, "flags %#x lack SHARED_MMIO", si.flags);
	CHECK(si.dma_addr != 0, "no DMA address");
	printf("queue %u api %s flags %#x node %d\n", si.queue_id, si.api, si.flags, si.numa_node);
	/* hisi_zip offers no wait (user CQs raise no interrupt). */
	CHECK(ioctl(in->device, SDMDEV_WAIT, &w) < 0 && errno == EOPNOTSUPP, "SDMDEV_WAIT");
	CHECK(ioctl(in->device, _IO(VFIO_TYPE, SDMDEV_DRIVER_BASE + 1), 0) < 0 && errno == ENOTTY,
	      "driver ioctl the driver does not know");
	CHECK(ioctl(in->device, HISI_QM_SDMDEV_SET_ALG, 2UL) < 0 && errno == EINVAL,
	      "HISI_QM_SDMDEV_SET_ALG with a bad direction");
	/* back and forth: the queue restarts compressing (check_zip below) */
	CHECK(ioctl(in->device, HISI_QM_SDMDEV_SET_ALG, 1UL) == 0, "SET_ALG decompress");
	CHECK(ioctl(in->device, HISI_QM_SDMDEV_SET_ALG, 0UL) == 0, "SET_ALG compress");
}

static void *map_region(struct inst *in, unsigned int i, size_t len, int flags)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, flags, in->device,
		    SDMDEV_REGION_OFFSET(i));
}

static void check_mmap(struct inst *in)
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
static void check_fork(struct inst *in)
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

/* HiSilicon QM V2 / ZIP, as user space sees them (module/hisi_zip/qm.h, zip.h). */
#define QM_SQE_SIZE	128
#define QM_Q_DEPTH	1024
#define QM_CQE_SIZE	16
#define QM_DB_CMD_SQ	0ULL
#define QM_DB_CMD_CQ	1ULL
#define HZIP_REQ_ZLIB	0x02
#define ZIP_IN_LEN	16384
#define ZIP_OUT_OFF	(256 * 1024)
#define ZIP_OUT_LEN	(64 * 1024)

static void qm_db(struct inst *in, uint32_t qn, uint64_t cmd, uint16_t index)
{
	volatile uint64_t *db = in->map[SDMDEV_REGION_MMIO];

	/* The ring entries written before must be visible to the device first. */
	__sync_synchronize();
	*db = (qn & 0xfff) | cmd << 12 | (uint64_t)index << 32;
}

static void put32(uint8_t *sqe, unsigned int dw, uint32_t v)
{
	memcpy(sqe + 4 * dw, &v, 4);	/* both our targets are little endian */
}

static uint32_t get32(const volatile uint8_t *sqe, unsigned int dw)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)sqe + 4 * dw, 4);
	return v;
}

static void check_zip(struct inst *in)
{
	static const char text[] = "WarpDrive: a user-space queue, no syscall per request. ";
	struct sdmdev_info si = { .argsz = sizeof(si) };
	uint8_t *ring = in->map[SDMDEV_REGION_RING], *dma = in->map[SDMDEV_REGION_DMA];
	volatile uint8_t *cqe = ring + QM_SQE_SIZE * QM_Q_DEPTH;
	uint8_t sqe[QM_SQE_SIZE] = { 0 };
	static uint8_t back[ZIP_IN_LEN];
	uLongf back_len = sizeof(back);
	uint32_t status, produced;
	int i, zret;

	if (!ring || !dma || !in->map[SDMDEV_REGION_MMIO] || failed)
		return;
	CHECK(ioctl(in->device, SDMDEV_GET_INFO, &si) == 0, "SDMDEV_GET_INFO");
	for (i = 0; i < ZIP_IN_LEN; i++)
		dma[i] = text[i % (sizeof(text) - 1)];

	put32(sqe, 4, ZIP_IN_LEN);			/* input_data_length */
	put32(sqe, 9, HZIP_REQ_ZLIB);			/* flat buffers */
	put32(sqe, 13, 0x5d3d);				/* tag */
	put32(sqe, 14, ZIP_OUT_LEN);			/* dest_avail_out */
	put32(sqe, 18, (uint32_t)si.dma_addr);
	put32(sqe, 19, (uint32_t)(si.dma_addr >> 32));
	/* The engine writes the deflate body and the trailer; the header is ours. */
	dma[ZIP_OUT_OFF] = 0x78;
	dma[ZIP_OUT_OFF + 1] = 0x9c;
	put32(sqe, 20, (uint32_t)(si.dma_addr + ZIP_OUT_OFF + 2));
	put32(sqe, 21, (uint32_t)((si.dma_addr + ZIP_OUT_OFF + 2) >> 32));
	memcpy(ring, sqe, sizeof(sqe));
	qm_db(in, si.queue_id, QM_DB_CMD_SQ, 1);

	/* CQE 0's phase bit (bit 0 of its last 16-bit word) turns 1. */
	for (i = 0; i < 5000 && !(cqe[QM_CQE_SIZE - 2] & 1); i++)
		usleep(1000);
	CHECK(cqe[QM_CQE_SIZE - 2] & 1, "no completion in 5 s");
	if (!(cqe[QM_CQE_SIZE - 2] & 1))
		return;
	__sync_synchronize();
	qm_db(in, si.queue_id, QM_DB_CMD_CQ, 1);

	status = get32(ring, 3) & 0xff;
	produced = get32(ring, 1);
	CHECK(status == 0, "status %#x", status);
	CHECK(get32(ring, 0) == ZIP_IN_LEN, "consumed %u", get32(ring, 0));
	CHECK(produced > 0 && produced < ZIP_OUT_LEN, "produced %u", produced);
	CHECK(get32(ring, 13) == 0x5d3d, "tag %#x", get32(ring, 13));
	if (failed)
		return;
	zret = uncompress(back, &back_len, dma + ZIP_OUT_OFF, produced + 2);
	CHECK(zret == Z_OK && back_len == ZIP_IN_LEN && !memcmp(back, dma, ZIP_IN_LEN),
	      "inflate: %d, %lu bytes", zret, (unsigned long)back_len);
	printf("zip: %d -> %u bytes through user queue %u\n", ZIP_IN_LEN, produced, si.queue_id);
}

static void inst_close(struct inst *in)
{
	unsigned int i;

	for (i = 0; i < SDMDEV_NUM_REGIONS; i++)
		if (in->map[i])
			munmap(in->map[i], in->size[i]);
	close(in->device);
	close(in->group);
	close(in->container);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 2 ? argv[2] : "";
	struct inst in = { 0 };
	int ret;

	if (argc < 2) {
		fprintf(stderr, "usage: %s UUID [hold|busy|zip]\n", argv[0]);
		return 2;
	}
	ret = vfio_open(&in, argv[1]);
	if (!strcmp(mode, "busy")) {
		CHECK(ret == -EBUSY, "open returned %d, want -EBUSY", ret);
		return failed;
	}
	CHECK(ret >= 0, "GET_DEVICE_FD %s: %d", argv[1], ret);
	if (ret < 0)
		return 1;
	check_info(&in);
	check_mmap(&in);
	check_fork(&in);
	if (!strcmp(mode, "zip"))
		check_zip(&in);
	if (!strcmp(mode, "hold")) {
		printf("holding\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	inst_close(&in);
	if (!failed)
		printf("sdmdev-open: all checks passed\n");
	return failed;
}
