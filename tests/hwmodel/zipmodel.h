/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zipmodel.h - register-level model of the HiSilicon QM V2 queue manager and
 * ZIP engine (Hip08 / Kunpeng 920, PCI revision 0x21).
 *
 * The model knows registers, contexts, rings and the engine; it knows nothing
 * about sockets or PCI config space. A transport (the vfio-user server, or the
 * unit tests' fake bus) owns those and hands the model BAR accesses; the model
 * calls back into the transport for DMA and interrupts.
 *
 * One model instance is one physical ZIP device: a PF (function 0) and up to
 * ZIPM_MAX_VFS VFs (functions 1..n) that share the 1024 hardware queues through
 * the VFT the PF programs.
 *
 * Threads: each function's BAR accesses come from one transport thread at a
 * time (different functions may use different threads). The model runs the
 * engine on threads of its own and calls zipm_bus_ops from them, so the
 * callbacks must be thread-safe. zipm_fault() may be called from any thread.
 */
#ifndef WD_TESTS_ZIPMODEL_H
#define WD_TESTS_ZIPMODEL_H

#include <stddef.h>
#include <stdint.h>

#define ZIPM_VENDOR_HUAWEI	0x19e5
#define ZIPM_DEVICE_PF		0xa250
#define ZIPM_DEVICE_VF		0xa251
#define ZIPM_REVISION_V2	0x21
#define ZIPM_CLASS		0x120000	/* processing accelerator */

#define ZIPM_REG_BAR		2
#define ZIPM_REG_BAR_SIZE	(4u << 20)	/* covers 0x0 .. 0x30ffff */
#define ZIPM_MAX_VFS		63
#define ZIPM_QUEUES		1024

/* MSI vectors of the V2 layout */
#define ZIPM_VEC_EQ		0
#define ZIPM_VEC_AEQ		1
#define ZIPM_VEC_ABNORMAL	3
#define ZIPM_PF_VECTORS		4
#define ZIPM_VF_VECTORS		2

struct zipm;
struct zipm_fn;

struct zipm_bus_ops {
	/*
	 * Copy @len bytes of device-visible memory at @iova. Return 0, or a
	 * negative errno when the range is not mapped (the model then reports
	 * an AXI error for the request, as the hardware would).
	 */
	int (*dma_read)(void *opaque, uint64_t iova, void *buf, size_t len);
	int (*dma_write)(void *opaque, uint64_t iova, const void *buf,
			 size_t len);
	/* Raise MSI vector @vector of this function (edge, fire and forget). */
	void (*irq)(void *opaque, unsigned int vector);
};

struct zipm_pci_id {
	uint16_t vendor;
	uint16_t device;
	uint8_t revision;
	uint32_t class_code;	/* 24 bits: base, sub, prog-if */
	uint64_t bar_size[6];	/* 0 = BAR not implemented */
	unsigned int msi_vectors;
};

/* Queues [base, base + num) of the 1024; num == 0: none. */
struct zipm_qrange {
	unsigned int base, num;
};

struct zipm_params {
	unsigned int num_vfs;		/* functions 1..num_vfs are VFs */
	unsigned int engine_threads;	/* 0 = default (2) */
	/*
	 * VF n's queues as a host PF driver would have set them before
	 * handing the VF to a virtual machine: programmed at creation and
	 * again after every PF reset (the host re-programs after an FLR).
	 * vf_queues[n - 1]; all zero = the VF has none until the PF's VFT
	 * registers give it some.
	 */
	struct zipm_qrange vf_queues[ZIPM_MAX_VFS];
};

struct zipm *zipm_new(const struct zipm_params *params);
void zipm_free(struct zipm *m);

/*
 * Connect function @fn (0 = PF, 1..num_vfs = VF) to a transport. Returns NULL
 * if @fn does not exist or is already attached. zipm_detach() stops all
 * engine work of the function and guarantees that no callback runs after it
 * returns (used when a socket closes). While it waits for engine threads,
 * the function's dma_read/dma_write callbacks must keep returning (fail them
 * if the client is gone): they must not wait for the thread that called
 * zipm_detach(). Detach keeps the function's model state; attaching again
 * resumes its queues (see docs/hardware-model.md).
 */
struct zipm_fn *zipm_attach(struct zipm *m, unsigned int fn,
			    const struct zipm_bus_ops *ops, void *opaque);
void zipm_detach(struct zipm_fn *f);

/* Identity and BAR layout of function @fn, for the transport's config space. */
int zipm_pci_id(const struct zipm *m, unsigned int fn, struct zipm_pci_id *id);

/* BAR accesses; @size is 1, 2, 4, 8 or 16 bytes, @buf little-endian. */
void zipm_bar_read(struct zipm_fn *f, unsigned int bar, uint64_t off,
		   void *buf, unsigned int size);
void zipm_bar_write(struct zipm_fn *f, unsigned int bar, uint64_t off,
		    const void *buf, unsigned int size);

/* Function level reset: queues of this function stop, registers reset. */
void zipm_reset(struct zipm_fn *f);

/*
 * Fault injection, one text command per call (the control socket passes its
 * lines here). Commands and replies are documented in docs/hardware-model.md.
 * Returns 0 and a reply in @reply, or -EINVAL with an error text in @reply.
 */
int zipm_fault(struct zipm *m, const char *cmd, char *reply, size_t len);

#endif /* WD_TESTS_ZIPMODEL_H */
