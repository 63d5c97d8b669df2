// SPDX-License-Identifier: GPL-2.0
/*
 * check_vfio_user.c - protocol test of wd-hwmodel without QEMU.
 *
 * Each test starts the real program as a child with its sockets in a fresh
 * temporary directory, waits for its "ready" line and talks vfio-user to it
 * through a small client written here from the protocol description. The
 * client answers the server's DMA_READ/DMA_WRITE requests from a local
 * buffer while it waits for its own replies, as QEMU does.
 */
#define _GNU_SOURCE	/* memfd_create, mkdtemp */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vfio_user.h"

#ifndef WD_HWMODEL
#define WD_HWMODEL "./wd-hwmodel"
#endif

#define CFG_BAR2		0x18
#define CFG_BAR3		0x1c
#define REG_MB			0x300
#define REG_CACHE_CTL		0x100050
#define MB_BUSY			(1u << 13)
#define MB_OP_READ		(1u << 14)
#define MB_STATUS(w0)		(((w0) >> 9) & 0xf)
#define MB_CMD_EQC		2

#define NOFD_IOVA		0x80000000ull	/* served by DMA_READ/WRITE */
#define NOFD_SIZE		0x10000
#define FD_IOVA			0x40000000ull	/* a memfd, mmap()ed */
#define FD_SIZE			0x100000

struct server {
	char dir[64];
	char sock[2][96];
	char ctl[96];
	pid_t pid;
};

struct client {
	int fd;
	uint16_t next_id;
	uint8_t nofd_mem[NOFD_SIZE];	/* memory reachable only by message */
	unsigned int dma_reads, dma_writes;
	uint64_t last_dma_addr;
	uint32_t last_dma_count;
};

static struct server srv;

/* ---- the server process --------------------------------------------------- */

static void server_start(unsigned int num_vfs)
{
	char *argv[16];
	char line[64] = "";
	int out[2], i = 0;
	FILE *f;

	strcpy(srv.dir, "/tmp/check_vfu.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(srv.dir));
	snprintf(srv.sock[0], sizeof(srv.sock[0]), "%s/pf.sock", srv.dir);
	snprintf(srv.sock[1], sizeof(srv.sock[1]), "%s/vf1.sock", srv.dir);
	snprintf(srv.ctl, sizeof(srv.ctl), "%s/ctl.sock", srv.dir);

	argv[i++] = WD_HWMODEL;
	argv[i++] = "--socket";
	argv[i++] = srv.sock[0];
	if (num_vfs) {
		argv[i++] = "--vf-socket";
		argv[i++] = srv.sock[1];
	}
	argv[i++] = "--control";
	argv[i++] = srv.ctl;
	if (getenv("CHECK_VFU_TRACE"))
		argv[i++] = "-v";
	argv[i] = NULL;

	ck_assert_int_eq(pipe(out), 0);
	srv.pid = fork();
	ck_assert_int_ge(srv.pid, 0);
	if (!srv.pid) {
		dup2(out[1], 1);
		close(out[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(out[1]);
	/* readiness: the server prints "ready <pid>" once it listens */
	f = fdopen(out[0], "r");
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	fclose(f);
	ck_assert_msg(!strncmp(line, "ready ", 6), "server said '%s'", line);
}

static int server_stop(void)
{
	int st;

	kill(srv.pid, SIGTERM);
	ck_assert_int_eq(waitpid(srv.pid, &st, 0), srv.pid);
	rmdir(srv.dir);
	return st;
}

static void setup_pf(void)
{
	server_start(0);
}

static void setup_pf_vf(void)
{
	server_start(1);
}

static void teardown(void)
{
	int st = server_stop();

	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* ---- socket helpers -------------------------------------------------------- */

static int unix_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	strcpy(sa.sun_path, path);
	ck_assert_msg(!connect(fd, (struct sockaddr *)&sa, sizeof(sa)),
		      "connect %s: %s", path, strerror(errno));
	return fd;
}

static void send_fds(int fd, const void *buf, size_t len, const int *fds,
		     unsigned int nfds)
{
	char ctl[CMSG_SPACE(16 * sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (nfds) {
		struct cmsghdr *cm;

		mh.msg_control = ctl;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	ck_assert_int_eq(sendmsg(fd, &mh, MSG_NOSIGNAL), (ssize_t)len);
}

/* Returns 0, or -1 on EOF (the server closed the connection). */
static int recv_full(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static uint8_t *recv_one(struct client *c)
{
	struct vfu_hdr h;
	uint8_t *m;

	if (recv_full(c->fd, &h, sizeof(h)))
		return NULL;
	ck_assert_uint_ge(h.size, sizeof(h));
	m = malloc(h.size);
	memcpy(m, &h, sizeof(h));
	ck_assert_int_eq(recv_full(c->fd, m + sizeof(h), h.size - sizeof(h)),
			 0);
	return m;
}

/* Answer a DMA request of the server from nofd_mem, the way QEMU does. */
static void serve_dma(struct client *c, uint8_t *m)
{
	struct vfu_dma_rw *q = (struct vfu_dma_rw *)m;
	uint64_t off = q->addr - NOFD_IOVA;
	bool ok = q->addr >= NOFD_IOVA && off + q->count <= NOFD_SIZE;
	struct vfu_hdr *r;
	size_t len;

	c->last_dma_addr = q->addr;
	c->last_dma_count = q->count;
	ck_assert_uint_ge(q->hdr.size, VFU_DMA_RW_FIXED);
	if (q->hdr.cmd == VFU_DMA_READ) {
		c->dma_reads++;
		len = VFU_DMA_RW_FIXED + q->count;
		r = calloc(1, len);
		memcpy(r, q, sizeof(*q));
		if (ok)
			memcpy((uint8_t *)r + VFU_DMA_RW_DATA_OFF,
			       c->nofd_mem + off, q->count);
	} else {
		ck_assert_int_eq(q->hdr.cmd, VFU_DMA_WRITE);
		c->dma_writes++;
		if (ok)
			memcpy(c->nofd_mem + off, m + VFU_DMA_RW_DATA_OFF,
			       q->count);
		len = sizeof(*r);
		r = calloc(1, len);
		*r = q->hdr;
	}
	r->flags = VFU_F_REPLY;
	r->size = ok ? len : sizeof(*r);
	if (!ok) {
		r->flags |= VFU_F_ERROR;
		r->error = EFAULT;
	}
	send_fds(c->fd, r, r->size, NULL, 0);
	free(r);
}

/*
 * Send a request and return its reply (caller frees), serving the server's
 * own requests in between. NULL if the request was NO_REPLY or the
 * connection closed.
 */
static uint8_t *xfer(struct client *c, void *msg, size_t len, uint16_t cmd,
		     uint32_t flags, const int *fds, unsigned int nfds)
{
	struct vfu_hdr *h = msg;
	uint8_t *m;

	h->id = c->next_id++;
	h->cmd = cmd;
	h->size = len;
	h->flags = flags;
	h->error = 0;
	send_fds(c->fd, msg, len, fds, nfds);
	if (flags & VFU_F_NO_REPLY)
		return NULL;
	while ((m = recv_one(c))) {
		struct vfu_hdr *r = (struct vfu_hdr *)m;

		if ((r->flags & VFU_F_TYPE_MASK) == VFU_F_REQUEST) {
			serve_dma(c, m);
			free(m);
			continue;
		}
		ck_assert_uint_eq(r->id, h->id);
		ck_assert_uint_eq(r->cmd, cmd);
		return m;
	}
	return NULL;
}

/* Request that must succeed; returns the reply. */
static uint8_t *xfer_ok_fds(struct client *c, void *msg, size_t len,
			    uint16_t cmd, const int *fds, unsigned int nfds)
{
	uint8_t *r = xfer(c, msg, len, cmd, 0, fds, nfds);

	ck_assert_ptr_nonnull(r);
	ck_assert_msg(!(((struct vfu_hdr *)r)->flags & VFU_F_ERROR),
		      "command %u failed: %s", cmd,
		      strerror(((struct vfu_hdr *)r)->error));
	return r;
}

static uint8_t *xfer_ok(struct client *c, void *msg, size_t len, uint16_t cmd)
{
	return xfer_ok_fds(c, msg, len, cmd, NULL, 0);
}

static struct client *client_open(const char *path)
{
	struct client *c = calloc(1, sizeof(*c));
	const char caps[] = "{\"capabilities\":{\"max_msg_fds\":16,"
			    "\"max_data_xfer_size\":1048576}}";
	struct vfu_version *v = calloc(1, sizeof(*v) + sizeof(caps));
	struct vfu_version *r;

	c->fd = unix_connect(path);
	v->major = 0;
	v->minor = 0;
	memcpy(v->caps, caps, sizeof(caps));
	r = (void *)xfer_ok(c, v, sizeof(*v) + sizeof(caps), VFU_VERSION);
	ck_assert_uint_eq(r->major, 0);
	ck_assert_uint_eq(r->minor, 0);
	ck_assert_uint_gt(r->hdr.size, sizeof(*r) + 2);
	ck_assert_int_eq(r->caps[r->hdr.size - sizeof(*r) - 1], '\0');
	ck_assert_ptr_nonnull(strstr(r->caps, "\"max_data_xfer_size\""));
	ck_assert_ptr_nonnull(strstr(r->caps, "\"pgsizes\":4096"));
	ck_assert_ptr_nonnull(strstr(r->caps, "\"write_multiple\":true"));
	free(r);
	free(v);
	return c;
}

static void client_close(struct client *c)
{
	close(c->fd);
	free(c);
}

/* ---- region access ---------------------------------------------------------- */

static int region_read(struct client *c, uint32_t region, uint64_t off,
		       void *buf, uint32_t count)
{
	struct vfu_region_rw q = { .offset = off, .region = region,
				   .count = count };
	struct vfu_region_rw *r;
	int ret = 0;

	r = (void *)xfer(c, &q, sizeof(q), VFU_REGION_READ, 0, NULL, 0);
	ck_assert_ptr_nonnull(r);
	if (r->hdr.flags & VFU_F_ERROR) {
		ret = -(int)r->hdr.error;
	} else {
		ck_assert_uint_eq(r->count, count);
		ck_assert_uint_eq(r->hdr.size, sizeof(*r) + count);
		memcpy(buf, r->data, count);
	}
	free(r);
	return ret;
}

static int region_write(struct client *c, uint32_t region, uint64_t off,
			const void *buf, uint32_t count, uint32_t flags)
{
	struct vfu_region_rw *q = calloc(1, sizeof(*q) + count);
	struct vfu_hdr *r;
	int ret = 0;

	q->offset = off;
	q->region = region;
	q->count = count;
	memcpy(q->data, buf, count);
	r = (void *)xfer(c, q, sizeof(*q) + count, VFU_REGION_WRITE, flags,
			 NULL, 0);
	if (r && (r->flags & VFU_F_ERROR))
		ret = -(int)r->error;
	free(r);
	free(q);
	return ret;
}

static uint32_t rd32(struct client *c, uint32_t region, uint64_t off)
{
	uint32_t v = 0;

	ck_assert_int_eq(region_read(c, region, off, &v, 4), 0);
	return v;
}

static void wr32(struct client *c, uint32_t region, uint64_t off, uint32_t v)
{
	ck_assert_int_eq(region_write(c, region, off, &v, 4, 0), 0);
}

/* ---- control socket ------------------------------------------------------ */

static void ctl(const char *cmd, char *reply, size_t len)
{
	int fd = unix_connect(srv.ctl);
	ssize_t n;

	ck_assert_int_gt(dprintf(fd, "%s\n", cmd), 0);
	n = read(fd, reply, len - 1);
	ck_assert_int_gt(n, 0);
	reply[n] = '\0';
	close(fd);
}

static int run_ctl_helper(const char *cmd)
{
	char buf[256];
	int st;

	snprintf(buf, sizeof(buf), "%s --ctl %s '%s' >/dev/null", WD_HWMODEL,
		 srv.ctl, cmd);
	st = system(buf);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ---- tests ------------------------------------------------------------------ */

START_TEST(test_info)
{
	struct client *c = client_open(srv.sock[0]);
	struct vfu_device_info di = { .argsz = 16 };
	struct vfu_device_info *dr;
	struct vfu_region_info *rr;
	struct vfu_irq_info *ir;
	unsigned int i;

	dr = (void *)xfer_ok(c, &di, sizeof(di), VFU_DEVICE_GET_INFO);
	ck_assert_uint_eq(dr->flags, VFU_DEV_RESET | VFU_DEV_PCI);
	ck_assert_uint_eq(dr->num_regions, VFU_PCI_NUM_REGIONS);
	ck_assert_uint_eq(dr->num_irqs, VFU_IRQ_NUM);
	free(dr);

	for (i = 0; i < VFU_PCI_NUM_REGIONS; i++) {
		struct vfu_region_info q = { .argsz = 32, .index = i };
		uint64_t want = i == 2 ? ZIPM_REG_BAR_SIZE :
				i == VFU_PCI_CONFIG ? 4096 : 0;

		rr = (void *)xfer_ok(c, &q, sizeof(q),
				     VFU_DEVICE_GET_REGION_INFO);
		ck_assert_uint_eq(rr->index, i);
		ck_assert_uint_eq(rr->size, want);
		ck_assert_uint_eq(rr->flags & VFU_REGION_MMAP, 0);
		free(rr);
	}

	{
		struct vfu_irq_info q = { .argsz = 16, .index = VFU_IRQ_MSI };

		ir = (void *)xfer_ok(c, &q, sizeof(q), VFU_DEVICE_GET_IRQ_INFO);
		ck_assert_uint_eq(ir->count, ZIPM_PF_VECTORS);
		ck_assert(ir->flags & VFU_IRQ_INFO_EVENTFD);
		free(ir);
		q.index = VFU_IRQ_MSIX;
		ir = (void *)xfer_ok(c, &q, sizeof(q), VFU_DEVICE_GET_IRQ_INFO);
		ck_assert_uint_eq(ir->count, 0);
		free(ir);
	}
	client_close(c);
}
END_TEST

START_TEST(test_config_space)
{
	struct client *c = client_open(srv.sock[0]);
	uint32_t v, cap;

	ck_assert_uint_eq(rd32(c, VFU_PCI_CONFIG, 0), 0xa25019e5);
	ck_assert_uint_eq(rd32(c, VFU_PCI_CONFIG, 8), 0x12000021);
	ck_assert_uint_eq(rd32(c, VFU_PCI_CONFIG, 0xc) >> 16 & 0x7f, 0);

	/* BAR2: 64-bit memory BAR, sized by writing all ones */
	ck_assert_uint_eq(rd32(c, VFU_PCI_CONFIG, CFG_BAR2) & 0xf, 0x4);
	wr32(c, VFU_PCI_CONFIG, CFG_BAR2, 0xffffffff);
	wr32(c, VFU_PCI_CONFIG, CFG_BAR3, 0xffffffff);
	ck_assert_uint_eq(rd32(c, VFU_PCI_CONFIG, CFG_BAR2),
			  (uint32_t)~(ZIPM_REG_BAR_SIZE - 1) | 0x4);
	ck_assert_uint_eq(rd32(c, VFU_PCI_CONFIG, CFG_BAR3), 0xffffffff);
	wr32(c, VFU_PCI_CONFIG, CFG_BAR2, 0xfe400000);
	wr32(c, VFU_PCI_CONFIG, CFG_BAR3, 0);
	ck_assert_uint_eq(rd32(c, VFU_PCI_CONFIG, CFG_BAR2), 0xfe400004);
	/* unimplemented BAR0 stays 0 */
	wr32(c, VFU_PCI_CONFIG, 0x10, 0xffffffff);
	ck_assert_uint_eq(rd32(c, VFU_PCI_CONFIG, 0x10), 0);

	/* command register: memory + bus master stick */
	wr32(c, VFU_PCI_CONFIG, 4, 0x6);
	ck_assert_uint_eq(rd32(c, VFU_PCI_CONFIG, 4) & 0xffff, 0x6);

	/* capability list: PCIe endpoint, then MSI 64-bit with 4 vectors */
	ck_assert(rd32(c, VFU_PCI_CONFIG, 4) & (0x10 << 16));
	cap = rd32(c, VFU_PCI_CONFIG, 0x34) & 0xff;
	v = rd32(c, VFU_PCI_CONFIG, cap);
	ck_assert_uint_eq(v & 0xff, 0x10);
	ck_assert_uint_eq((v >> 20) & 0xf, 0);		/* endpoint */
	cap = (v >> 8) & 0xff;
	v = rd32(c, VFU_PCI_CONFIG, cap);
	ck_assert_uint_eq(v & 0xff, 0x05);
	ck_assert_uint_eq((v >> 8) & 0xff, 0);		/* last */
	ck_assert(v & (0x80 << 16));			/* 64-bit */
	ck_assert_uint_eq((v >> 17) & 0x7, 2);		/* 4 vectors */

	ck_assert_int_eq(region_read(c, VFU_PCI_CONFIG, 4096, &v, 4), -EINVAL);
	client_close(c);
}
END_TEST

START_TEST(test_vf)
{
	struct client *c = client_open(srv.sock[1]);
	struct vfu_irq_info q = { .argsz = 16, .index = VFU_IRQ_MSI };
	struct vfu_irq_info *ir;
	uint32_t cap;

	ck_assert_uint_eq(rd32(c, VFU_PCI_CONFIG, 0), 0xa25119e5);
	ir = (void *)xfer_ok(c, &q, sizeof(q), VFU_DEVICE_GET_IRQ_INFO);
	ck_assert_uint_eq(ir->count, ZIPM_VF_VECTORS);
	free(ir);
	cap = rd32(c, VFU_PCI_CONFIG, 0x34) & 0xff;
	cap = (rd32(c, VFU_PCI_CONFIG, cap) >> 8) & 0xff;
	ck_assert_uint_eq((rd32(c, VFU_PCI_CONFIG, cap) >> 17) & 0x7, 1);
	client_close(c);
}
END_TEST

START_TEST(test_bar_rw)
{
	struct client *c = client_open(srv.sock[0]);
	uint64_t v64 = 0;

	wr32(c, 2, REG_CACHE_CTL, 0x1);
	ck_assert_uint_eq(rd32(c, 2, REG_CACHE_CTL), 0x1);
	/* a posted write gets no reply but is ordered before the read */
	ck_assert_int_eq(region_write(c, 2, REG_CACHE_CTL, &(uint32_t){ 0 }, 4,
				      VFU_F_NO_REPLY), 0);
	ck_assert_uint_eq(rd32(c, 2, REG_CACHE_CTL), 0);
	/* 8-byte access goes through */
	ck_assert_int_eq(region_read(c, 2, REG_CACHE_CTL, &v64, 8), 0);
	/* outside the BAR, or a BAR that does not exist */
	ck_assert_int_eq(region_read(c, 2, ZIPM_REG_BAR_SIZE, &v64, 4),
			 -EINVAL);
	ck_assert_int_eq(region_read(c, 0, 0, &v64, 4), -EINVAL);
	client_close(c);
}
END_TEST

START_TEST(test_write_multi)
{
	struct client *c = client_open(srv.sock[0]);
	size_t len = sizeof(struct vfu_write_multi) +
		     2 * sizeof(struct vfu_write_one);
	struct vfu_write_multi *w = calloc(1, len);
	uint32_t v = 1;

	w->count = 2;
	w->wr[0] = (struct vfu_write_one){ .offset = REG_CACHE_CTL,
					   .region = 2, .count = 4 };
	memcpy(w->wr[0].data, &v, 4);
	w->wr[1] = (struct vfu_write_one){ .offset = 4, .region =
					   VFU_PCI_CONFIG, .count = 2 };
	memcpy(w->wr[1].data, &(uint16_t){ 0x2 }, 2);
	ck_assert_ptr_null(xfer(c, w, len, VFU_REGION_WRITE_MULTI,
				VFU_F_NO_REPLY, NULL, 0));
	ck_assert_uint_eq(rd32(c, 2, REG_CACHE_CTL), 1);
	ck_assert_uint_eq(rd32(c, VFU_PCI_CONFIG, 4) & 0xffff, 0x2);
	free(w);
	client_close(c);
}
END_TEST

static void dma_map(struct client *c, uint64_t iova, uint64_t size, int fd,
		    uint64_t off)
{
	struct vfu_dma_map q = {
		.argsz = 32, .offset = off, .iova = iova, .size = size,
		.flags = VFU_DMA_READABLE | VFU_DMA_WRITABLE,
	};

	free(xfer(c, &q, sizeof(q), VFU_DMA_MAP, 0, &fd, fd >= 0));
}

/* Issue a mailbox command as one 16-byte write, wait for busy to clear. */
static unsigned int mailbox(struct client *c, uint32_t cmd, bool read,
			    uint16_t queue, uint64_t base)
{
	uint8_t mb[16] = { 0 };
	uint32_t w0 = cmd | MB_BUSY | (read ? MB_OP_READ : 0);
	struct timespec ts = { 0, 1000000 };
	int i;

	memcpy(mb, &w0, 2);
	memcpy(mb + 2, &queue, 2);
	memcpy(mb + 4, &(uint32_t){ (uint32_t)base }, 4);
	memcpy(mb + 8, &(uint32_t){ (uint32_t)(base >> 32) }, 4);
	ck_assert_int_eq(region_write(c, 2, REG_MB, mb, 16, 0), 0);
	for (i = 0; i < 2000; i++) {
		w0 = rd32(c, 2, REG_MB);
		if (!(w0 & MB_BUSY))
			return MB_STATUS(w0);
		nanosleep(&ts, NULL);
	}
	ck_abort_msg("mailbox stays busy");
	return 0;
}

/*
 * An EQ context: the model takes it from memory with a mailbox write and
 * gives it back with a mailbox read, bytes 0-3 replaced by the live ring
 * head and tail. Nothing else in the model depends on it until an event.
 */
static void fill_eqc(uint8_t *eqc)
{
	unsigned int i;

	for (i = 0; i < 32; i++)
		eqc[i] = 0x40 + i;
}

/* Compare what came back with what went in, past the live pointers */
#define EQC_SAME(a, b)	ck_assert_mem_eq((a) + 4, (b) + 4, 28)

START_TEST(test_dma_fd)
{
	struct client *c = client_open(srv.sock[0]);
	int mfd = memfd_create("check_vfu", MFD_CLOEXEC);
	uint8_t *mem;

	ck_assert_int_ge(mfd, 0);
	ck_assert_int_eq(ftruncate(mfd, FD_SIZE), 0);
	mem = mmap(NULL, FD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	ck_assert_ptr_ne(mem, MAP_FAILED);
	/* map the second half only, at an fd offset */
	dma_map(c, FD_IOVA, FD_SIZE / 2, mfd, FD_SIZE / 2);
	close(mfd);

	/* EQC from mapped memory, then read it back to other memory */
	fill_eqc(mem + FD_SIZE / 2 + 0x1000);
	ck_assert_uint_eq(mailbox(c, MB_CMD_EQC, false, 0, FD_IOVA + 0x1000),
			  0);
	ck_assert_uint_eq(mailbox(c, MB_CMD_EQC, true, 0, FD_IOVA + 0x2000),
			  0);
	EQC_SAME(mem + FD_SIZE / 2 + 0x2000, mem + FD_SIZE / 2 + 0x1000);
	ck_assert_uint_eq(c->dma_reads + c->dma_writes, 0);
	munmap(mem, FD_SIZE);
	client_close(c);
}
END_TEST

START_TEST(test_dma_nofd)
{
	struct client *c = client_open(srv.sock[0]);
	struct vfu_dma_unmap u = { .argsz = 24, .iova = NOFD_IOVA,
				   .size = NOFD_SIZE };
	struct vfu_dma_unmap *ur;

	dma_map(c, NOFD_IOVA, NOFD_SIZE, -1, 0);
	fill_eqc(c->nofd_mem + 0x100);
	ck_assert_uint_eq(mailbox(c, MB_CMD_EQC, false, 0, NOFD_IOVA + 0x100),
			  0);
	ck_assert_uint_ge(c->dma_reads, 1);
	ck_assert_uint_eq(c->last_dma_addr, NOFD_IOVA + 0x100);
	ck_assert_uint_eq(c->last_dma_count, 32);

	ck_assert_uint_eq(mailbox(c, MB_CMD_EQC, true, 0, NOFD_IOVA + 0x200),
			  0);
	ck_assert_uint_ge(c->dma_writes, 1);
	EQC_SAME(c->nofd_mem + 0x200, c->nofd_mem + 0x100);

	/* unmap echoes the entry; then the memory is gone */
	ur = (void *)xfer_ok(c, &u, sizeof(u), VFU_DMA_UNMAP);
	ck_assert_uint_eq(ur->iova, NOFD_IOVA);
	ck_assert_uint_eq(ur->size, NOFD_SIZE);
	free(ur);
	ur = (void *)xfer(c, &u, sizeof(u), VFU_DMA_UNMAP, 0, NULL, 0);
	ck_assert(ur->hdr.flags & VFU_F_ERROR);
	free(ur);
	/* the same mapping twice is refused */
	dma_map(c, NOFD_IOVA, NOFD_SIZE, -1, 0);
	{
		struct vfu_dma_map q = { .argsz = 32, .iova = NOFD_IOVA,
					 .size = NOFD_SIZE, .flags = 3 };
		struct vfu_hdr *r = (void *)xfer(c, &q, sizeof(q), VFU_DMA_MAP,
						 0, NULL, 0);

		ck_assert(r->flags & VFU_F_ERROR);
		ck_assert_uint_eq(r->error, EEXIST);
		free(r);
	}
	client_close(c);
}
END_TEST

/* DMA_UNMAP of [iova, iova + size): 0 or the server's errno. */
static uint32_t dma_unmap(struct client *c, uint64_t iova, uint64_t size)
{
	struct vfu_dma_unmap u = { .argsz = 24, .iova = iova, .size = size };
	struct vfu_hdr *r = (void *)xfer(c, &u, sizeof(u), VFU_DMA_UNMAP, 0,
					 NULL, 0);
	uint32_t err = (r->flags & VFU_F_ERROR) ? r->error : 0;

	free(r);
	return err;
}

/*
 * Behind a virtual IOMMU one unmap may cover many maps (an invalidation of
 * a whole freed page table); it must take all of them, and never half of one.
 */
START_TEST(test_dma_unmap_range)
{
	struct client *c = client_open(srv.sock[0]);
	uint64_t base = NOFD_IOVA + 0x100000;
	unsigned int i;

	for (i = 0; i < 8; i++)
		dma_map(c, base + i * 0x1000, 0x1000, -1, 0);
	/* splitting the first or the last map is refused, nothing changes */
	ck_assert_uint_eq(dma_unmap(c, base + 0x800, 0x2000), EINVAL);
	ck_assert_uint_eq(dma_unmap(c, base - 0x1000, 0x1800), EINVAL);
	ck_assert_uint_eq(dma_unmap(c, base + 0x7000, 0x800), EINVAL);
	/* a 2 MiB invalidation takes all eight */
	ck_assert_uint_eq(dma_unmap(c, base & ~0x1fffffull, 0x200000), 0);
	ck_assert_uint_eq(dma_unmap(c, base, 0x1000), ENOENT);
	ck_assert_uint_eq(dma_unmap(c, base + 0x7000, 0x1000), ENOENT);
	/* and the range is free for new maps */
	dma_map(c, base, 0x8000, -1, 0);
	ck_assert_uint_eq(dma_unmap(c, base, 0x8000), 0);
	client_close(c);
}
END_TEST

static void set_msi(struct client *c, uint32_t flags, uint32_t start,
		    uint32_t count, const int *fds, unsigned int nfds)
{
	struct vfu_irq_set q = { .argsz = 20, .flags = flags,
				 .index = VFU_IRQ_MSI, .start = start,
				 .count = count };

	free(xfer_ok_fds(c, &q, sizeof(q), VFU_DEVICE_SET_IRQS, fds, nfds));
}

static bool fired(int efd, int timeout_ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t v;

	if (poll(&p, 1, timeout_ms) != 1)
		return false;
	ck_assert_int_eq(read(efd, &v, sizeof(v)), sizeof(v));
	return true;
}

START_TEST(test_irqs)
{
	struct client *c = client_open(srv.sock[0]);
	int efd[ZIPM_PF_VECTORS], i;
	char reply[256];

	for (i = 0; i < ZIPM_PF_VECTORS; i++)
		efd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	set_msi(c, VFU_IRQ_DATA_EVENTFD | VFU_IRQ_ACT_TRIGGER, 0,
		ZIPM_PF_VECTORS, efd, ZIPM_PF_VECTORS);

	/* loopback trigger, masking holds it back until unmask */
	set_msi(c, VFU_IRQ_DATA_NONE | VFU_IRQ_ACT_TRIGGER, 1, 1, NULL, 0);
	ck_assert(fired(efd[1], 1000));
	ck_assert(!fired(efd[0], 0));

	/* the model's abnormal interrupt, vector 3, once unmasked */
	wr32(c, 2, 0x100004, 0);		/* QM_ABNORMAL_INT_MASK */
	ctl("abnormal 1", reply, sizeof(reply));
	ck_assert_msg(!strncmp(reply, "ok", 2), "abnormal: %s", reply);
	ck_assert(fired(efd[ZIPM_VEC_ABNORMAL], 2000));

	/* disable: count 0 */
	set_msi(c, VFU_IRQ_DATA_NONE | VFU_IRQ_ACT_TRIGGER, 0, 0, NULL, 0);
	set_msi(c, VFU_IRQ_DATA_NONE | VFU_IRQ_ACT_TRIGGER, 1, 1, NULL, 0);
	ck_assert(!fired(efd[1], 50));

	/* one granted message: the abnormal vector aliases onto vector 0 */
	set_msi(c, VFU_IRQ_DATA_EVENTFD | VFU_IRQ_ACT_TRIGGER, 0, 1, efd, 1);
	wr32(c, 2, 0x100000, 0x1fff);	/* clear the earlier event (W1C) */
	ctl("abnormal 2", reply, sizeof(reply));
	ck_assert_msg(!strncmp(reply, "ok", 2), "abnormal: %s", reply);
	ck_assert(fired(efd[0], 2000));
	set_msi(c, VFU_IRQ_DATA_NONE | VFU_IRQ_ACT_TRIGGER, 0, 0, NULL, 0);

	/* out of range */
	{
		struct vfu_irq_set q = { .argsz = 20, .flags =
			VFU_IRQ_DATA_NONE | VFU_IRQ_ACT_TRIGGER,
			.index = VFU_IRQ_MSI, .start = 3, .count = 2 };
		struct vfu_hdr *r = (void *)xfer(c, &q, sizeof(q),
						 VFU_DEVICE_SET_IRQS, 0, NULL,
						 0);

		ck_assert(r->flags & VFU_F_ERROR);
		ck_assert_uint_eq(r->error, EINVAL);
		free(r);
	}
	for (i = 0; i < ZIPM_PF_VECTORS; i++)
		close(efd[i]);
	client_close(c);
}
END_TEST

START_TEST(test_reset)
{
	struct client *c = client_open(srv.sock[0]);
	struct vfu_hdr h = { 0 };

	wr32(c, 2, REG_CACHE_CTL, 1);
	free(xfer_ok(c, &h, sizeof(h), VFU_DEVICE_RESET));
	ck_assert_uint_eq(rd32(c, 2, REG_CACHE_CTL), 0);
	client_close(c);
}
END_TEST

START_TEST(test_errors)
{
	struct client *c = client_open(srv.sock[0]);
	struct vfu_hdr h = { 0 };
	struct vfu_hdr *r;

	r = (void *)xfer(c, &h, sizeof(h), 99, 0, NULL, 0);
	ck_assert(r->flags & VFU_F_ERROR);
	ck_assert_uint_eq(r->error, ENOSYS);
	free(r);
	/* a region read without its payload */
	r = (void *)xfer(c, &h, sizeof(h), VFU_REGION_READ, 0, NULL, 0);
	ck_assert(r->flags & VFU_F_ERROR);
	ck_assert_uint_eq(r->error, EINVAL);
	free(r);
	/* still alive */
	ck_assert_uint_eq(rd32(c, VFU_PCI_CONFIG, 0), 0xa25019e5);
	client_close(c);
}
END_TEST

START_TEST(test_control_and_drop)
{
	struct client *c = client_open(srv.sock[0]);
	struct client *c2;
	char reply[256];
	uint8_t b;

	ctl("clients", reply, sizeof(reply));
	ck_assert_str_eq(reply, "ok fn0=connected\n");
	ctl("no-such-command", reply, sizeof(reply));
	ck_assert_msg(!strncmp(reply, "err ", 4), "got %s", reply);
	ctl("drop 7", reply, sizeof(reply));
	ck_assert_msg(!strncmp(reply, "err ", 4), "got %s", reply);
	ck_assert_int_eq(run_ctl_helper("clients"), 0);
	ck_assert_int_eq(run_ctl_helper("no-such-command"), 1);

	/* a second client on the same socket is turned away */
	c2 = calloc(1, sizeof(*c2));
	c2->fd = unix_connect(srv.sock[0]);
	ck_assert_int_eq(read(c2->fd, &b, 1), 0);
	client_close(c2);

	/* drop: the device vanishes under the client */
	ctl("drop 0", reply, sizeof(reply));
	ck_assert_str_eq(reply, "ok fn0 dropped\n");
	ck_assert_int_eq(read(c->fd, &b, 1), 0);
	client_close(c);

	/* ... and a new client can attach again, state retained */
	c = client_open(srv.sock[0]);
	ck_assert_uint_eq(rd32(c, VFU_PCI_CONFIG, 0), 0xa25019e5);
	client_close(c);
}
END_TEST

START_TEST(test_socket_in_use)
{
	char cmd[256];
	int st;

	/* a live server's socket is not stolen */
	snprintf(cmd, sizeof(cmd), "%s --socket %s 2>/dev/null", WD_HWMODEL,
		 srv.sock[0]);
	st = system(cmd);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	/* quit over the control socket: exits 0, sockets removed */
	ck_assert_int_eq(run_ctl_helper("quit"), 0);
	ck_assert_int_eq(waitpid(srv.pid, &st, 0), srv.pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_int_ne(access(srv.sock[0], F_OK), 0);
	ck_assert_int_ne(access(srv.ctl, F_OK), 0);
	rmdir(srv.dir);
}
END_TEST

static Suite *vfio_user_suite(void)
{
	Suite *s = suite_create("vfio_user");
	TCase *tc = tcase_create("pf");
	TCase *vf = tcase_create("pf+vf");
	TCase *life = tcase_create("lifecycle");

	tcase_add_checked_fixture(tc, setup_pf, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_info);
	tcase_add_test(tc, test_config_space);
	tcase_add_test(tc, test_bar_rw);
	tcase_add_test(tc, test_write_multi);
	tcase_add_test(tc, test_dma_fd);
	tcase_add_test(tc, test_dma_nofd);
	tcase_add_test(tc, test_dma_unmap_range);
	tcase_add_test(tc, test_irqs);
	tcase_add_test(tc, test_reset);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_control_and_drop);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(vf, setup_pf_vf, teardown);
	tcase_add_test(vf, test_vf);
	suite_add_tcase(s, vf);

	tcase_add_checked_fixture(life, setup_pf, NULL);
	tcase_add_test(life, test_socket_in_use);
	suite_add_tcase(s, life);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(vfio_user_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
