/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio_user.h - wire format of the vfio-user protocol (version 0.0) as far
 * as wd-hwmodel speaks it, and the interface of our server.
 *
 * Written from the protocol description (QEMU docs/interop/vfio-user.rst)
 * and checked against what QEMU's vfio-user-pci client actually sends. All
 * fields are little-endian; we only run on little-endian hosts.
 *
 * Every message starts with struct vfu_hdr. A request's reply carries the
 * same id and command, the REPLY type and, on failure, the ERROR flag with a
 * positive errno in error. Requests flagged NO_REPLY get no reply at all.
 */
#ifndef WD_TESTS_VFIO_USER_H
#define WD_TESTS_VFIO_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zipmodel.h"

struct vfu_hdr {
	uint16_t id;
	uint16_t cmd;
	uint32_t size;		/* whole message, header included */
	uint32_t flags;
	uint32_t error;		/* errno when VFU_F_ERROR is set */
};

enum vfu_cmd {
	VFU_VERSION = 1,
	VFU_DMA_MAP = 2,
	VFU_DMA_UNMAP = 3,
	VFU_DEVICE_GET_INFO = 4,
	VFU_DEVICE_GET_REGION_INFO = 5,
	VFU_DEVICE_GET_REGION_IO_FDS = 6,
	VFU_DEVICE_GET_IRQ_INFO = 7,
	VFU_DEVICE_SET_IRQS = 8,
	VFU_REGION_READ = 9,
	VFU_REGION_WRITE = 10,
	VFU_DMA_READ = 11,
	VFU_DMA_WRITE = 12,
	VFU_DEVICE_RESET = 13,
	VFU_DIRTY_PAGES = 14,
	VFU_REGION_WRITE_MULTI = 15,
	VFU_CMD_MAX,
};

/* vfu_hdr.flags */
#define VFU_F_TYPE_MASK		0xf
#define VFU_F_REQUEST		0x0
#define VFU_F_REPLY		0x1
#define VFU_F_NO_REPLY		0x10
#define VFU_F_ERROR		0x20

/* VFU_VERSION: followed by a NUL-terminated JSON object */
struct vfu_version {
	struct vfu_hdr hdr;
	uint16_t major;
	uint16_t minor;
	char caps[];
};

#define VFU_MAJOR		0
#define VFU_MINOR		0

/* What we announce; the client may lower nothing of ours, only its own. */
#define VFU_SRV_MAX_FDS		16
#define VFU_SRV_MAX_XFER	(1u << 20)
#define VFU_SRV_PGSIZES		4096
#define VFU_SRV_MAX_DMA_MAPS	65535
/* Defaults that apply to the client when its capabilities omit them */
#define VFU_DEF_MAX_FDS		8
#define VFU_DEF_MAX_XFER	(1u << 20)

/* VFU_DMA_MAP; the region's fd (if any) travels as SCM_RIGHTS */
struct vfu_dma_map {
	struct vfu_hdr hdr;
	uint32_t argsz;
	uint32_t flags;		/* VFU_DMA_READABLE | VFU_DMA_WRITABLE */
	uint64_t offset;	/* into the fd */
	uint64_t iova;
	uint64_t size;
};

#define VFU_DMA_READABLE	0x1
#define VFU_DMA_WRITABLE	0x2

/* VFU_DMA_UNMAP; the reply echoes the request */
struct vfu_dma_unmap {
	struct vfu_hdr hdr;
	uint32_t argsz;
	uint32_t flags;
	uint64_t iova;
	uint64_t size;
};

#define VFU_UNMAP_GET_DIRTY	0x1
#define VFU_UNMAP_ALL		0x2

/* VFU_DEVICE_GET_INFO */
struct vfu_device_info {
	struct vfu_hdr hdr;
	uint32_t argsz;
	uint32_t flags;
	uint32_t num_regions;
	uint32_t num_irqs;
};

#define VFU_DEV_RESET		0x1
#define VFU_DEV_PCI		0x2

/* VFU_DEVICE_GET_REGION_INFO, layout of struct vfio_region_info */
struct vfu_region_info {
	struct vfu_hdr hdr;
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t cap_offset;
	uint64_t size;
	uint64_t offset;
};

#define VFU_REGION_READ_OK	0x1
#define VFU_REGION_WRITE_OK	0x2
#define VFU_REGION_MMAP		0x4
#define VFU_REGION_CAPS		0x8

/* Region indexes of a PCI device (same as the kernel's VFIO_PCI_*) */
enum vfu_pci_region {
	VFU_PCI_BAR0 = 0,
	VFU_PCI_BAR5 = 5,
	VFU_PCI_ROM = 6,
	VFU_PCI_CONFIG = 7,
	VFU_PCI_VGA = 8,
	VFU_PCI_NUM_REGIONS = 9,
};

/* VFU_DEVICE_GET_IRQ_INFO, layout of struct vfio_irq_info */
struct vfu_irq_info {
	struct vfu_hdr hdr;
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t count;
};

#define VFU_IRQ_INFO_EVENTFD	0x1
#define VFU_IRQ_INFO_MASKABLE	0x2
#define VFU_IRQ_INFO_AUTOMASKED	0x4
#define VFU_IRQ_INFO_NORESIZE	0x8

enum vfu_pci_irq {
	VFU_IRQ_INTX = 0,
	VFU_IRQ_MSI = 1,
	VFU_IRQ_MSIX = 2,
	VFU_IRQ_ERR = 3,
	VFU_IRQ_REQ = 4,
	VFU_IRQ_NUM = 5,
};

/*
 * VFU_DEVICE_SET_IRQS, layout of struct vfio_irq_set. With DATA_EVENTFD the
 * eventfds come as SCM_RIGHTS (none attached = unassign); DATA_BOOL carries
 * @count bytes after the struct.
 */
struct vfu_irq_set {
	struct vfu_hdr hdr;
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t start;
	uint32_t count;
	uint8_t data[];
};

#define VFU_IRQ_DATA_NONE	0x01
#define VFU_IRQ_DATA_BOOL	0x02
#define VFU_IRQ_DATA_EVENTFD	0x04
#define VFU_IRQ_DATA_MASK	0x07
#define VFU_IRQ_ACT_MASK	0x08
#define VFU_IRQ_ACT_UNMASK	0x10
#define VFU_IRQ_ACT_TRIGGER	0x20
#define VFU_IRQ_ACT_MASK_ALL	0x38

/* VFU_REGION_READ / VFU_REGION_WRITE (reads carry no data, replies do) */
struct vfu_region_rw {
	struct vfu_hdr hdr;
	uint64_t offset;
	uint32_t region;
	uint32_t count;
	uint8_t data[];
};

/*
 * VFU_DMA_READ / VFU_DMA_WRITE (server to client). QEMU lays this out as a
 * C struct with a flexible array after a u32, so the data starts at byte 28
 * while the "fixed part" it checks message sizes against is 32 bytes. We
 * follow the client: requests are 32 bytes plus data at byte 28.
 */
#define VFU_DMA_RW_DATA_OFF	28
#define VFU_DMA_RW_FIXED	32

struct vfu_dma_rw {
	struct vfu_hdr hdr;
	uint64_t addr;
	uint32_t count;
} __attribute__((packed));

/* VFU_REGION_WRITE_MULTI: up to 200 small writes, always NO_REPLY */
#define VFU_MULTI_DATA		8
#define VFU_MULTI_MAX		200

struct vfu_write_one {
	uint64_t offset;
	uint32_t region;
	uint32_t count;
	uint8_t data[VFU_MULTI_DATA];
};

struct vfu_write_multi {
	struct vfu_hdr hdr;
	uint64_t count;
	struct vfu_write_one wr[];
};

_Static_assert(sizeof(struct vfu_hdr) == 16, "vfu_hdr");
_Static_assert(sizeof(struct vfu_dma_map) == 48, "vfu_dma_map");
_Static_assert(sizeof(struct vfu_dma_unmap) == 40, "vfu_dma_unmap");
_Static_assert(sizeof(struct vfu_region_info) == 48, "vfu_region_info");
_Static_assert(sizeof(struct vfu_irq_set) == 36, "vfu_irq_set");
_Static_assert(sizeof(struct vfu_region_rw) == 32, "vfu_region_rw");
_Static_assert(sizeof(struct vfu_dma_rw) == VFU_DMA_RW_DATA_OFF, "dma_rw");
_Static_assert(sizeof(struct vfu_write_one) == 24, "vfu_write_one");

/* ---- the server (vfio_user_server.c) ----------------------------------- */

struct vfu_server;

struct vfu_server_opts {
	unsigned int num_vfs;		/* sockets[0] is the PF, then VFs */
	const char *const *sockets;	/* num_vfs + 1 paths */
	bool trace;			/* log every message to stderr */
	/* VF n's queues preset as by a host PF driver (zipm_params), or NULL */
	const struct zipm_qrange *vf_queues;
};

/*
 * Create the model and bind one listening socket per function. On failure
 * returns NULL with a message in @err. Stale socket files are replaced; a
 * socket some live server still listens on is an error.
 */
struct vfu_server *vfu_server_new(const struct vfu_server_opts *o,
				  char *err, size_t errlen);

/* Listening fds, for the caller's poll loop. */
unsigned int vfu_server_num_fns(const struct vfu_server *s);
int vfu_server_listen_fd(const struct vfu_server *s, unsigned int fn);

/*
 * Accept a client on function @fn's socket. A second client while one is
 * connected is turned away (the protocol has one client per socket).
 */
void vfu_server_accept(struct vfu_server *s, unsigned int fn);

/* Cut function @fn's client off as if the device vanished. */
int vfu_server_drop(struct vfu_server *s, unsigned int fn);

/* Is a client connected to @fn? */
bool vfu_server_connected(struct vfu_server *s, unsigned int fn);

/* Fault injection passthrough to the model. */
int vfu_server_fault(struct vfu_server *s, const char *cmd, char *reply,
		     size_t len);

/*
 * Listening UNIX stream socket at @path (non-blocking, close-on-exec). A
 * stale socket file is replaced, one a live process answers on is not.
 * Returns the fd, or -1 with a message in @err.
 */
int vfu_listen_unix(const char *path, char *err, size_t errlen);

/* Disconnect everybody, remove the sockets, free the model. */
void vfu_server_free(struct vfu_server *s);

#endif /* WD_TESTS_VFIO_USER_H */
