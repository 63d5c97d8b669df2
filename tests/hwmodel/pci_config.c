// SPDX-License-Identifier: GPL-2.0
/*
 * pci_config.c - type 0 configuration space of a model function.
 *
 * The layout is what a HiSilicon ZIP function needs for a Linux guest to
 * bind hisi_zip: identity from the model, memory BARs sized from the model
 * (64-bit, non-prefetchable, with the usual write-all-ones sizing), a PCI
 * Express endpoint capability so the guest treats it as PCIe (and may use
 * FLR), and an MSI capability with 64-bit addresses and as many vectors as
 * the function has. No MSI-X, no INTx pin: the QM V2 only does MSI.
 *
 * QEMU's vfio-user-pci virtualises BARs and the MSI capability itself and
 * only forwards the remaining writes, so the emulation below matters for
 * clients that are not QEMU (our protocol test) and for the bits QEMU
 * passes through (command, device control).
 */
#include <errno.h>
#include <string.h>

#include "pci_config.h"

/* Standard header offsets */
#define CFG_VENDOR		0x00
#define CFG_DEVICE		0x02
#define CFG_COMMAND		0x04
#define CFG_STATUS		0x06
#define CFG_REVISION		0x08
#define CFG_CLASS		0x09
#define CFG_CACHE_LINE		0x0c
#define CFG_LATENCY		0x0d
#define CFG_HEADER_TYPE		0x0e
#define CFG_BAR0		0x10
#define CFG_SUBSYS_VENDOR	0x2c
#define CFG_SUBSYS_ID		0x2e
#define CFG_CAP_PTR		0x34
#define CFG_INT_LINE		0x3c

#define CMD_WRITABLE		0x0547	/* IO, MEM, MASTER, PARITY, SERR, INTX_DIS */
#define STATUS_CAP_LIST		0x0010
#define STATUS_W1C		0xf900	/* error bits */

#define BAR_MEM_64		0x4

/* PCI Express capability (version 2, endpoint) */
#define CAP_ID_PCIE		0x10
#define PCIE_FLAGS		0x02
#define PCIE_DEVCAP		0x04
#define PCIE_DEVCTL		0x08
#define PCIE_DEVSTA		0x0a
#define PCIE_LNKCAP		0x0c
#define PCIE_LNKCTL		0x10
#define PCIE_LNKSTA		0x12
#define PCIE_DEVCTL2		0x28
#define PCIE_LNKCAP2		0x2c
#define PCIE_LNKCTL2		0x30
#define PCIE_CAP_LEN		0x3c

#define PCIE_FLAGS_V2_ENDPOINT	0x0002
#define PCIE_DEVCAP_MPS256	0x00000001
#define PCIE_DEVCAP_RBER	0x00008000
#define PCIE_DEVCAP_FLR		0x10000000
#define PCIE_DEVCTL_BCR_FLR	0x8000
#define PCIE_DEVCTL_DEFAULT	0x2810	/* relaxed ordering, no snoop, MRRS 512 */
#define PCIE_LNK_2_5GT_X1	0x0011
#define PCIE_LNKCAP2_2_5GT	0x0002

/* MSI capability, 64-bit address, no per-vector masking */
#define CAP_ID_MSI		0x05
#define MSI_FLAGS		0x02
#define MSI_ADDR_LO		0x04
#define MSI_ADDR_HI		0x08
#define MSI_DATA		0x0c
#define MSI_FLAGS_ENABLE	0x0001
#define MSI_FLAGS_QMASK		0x000e	/* multiple message capable */
#define MSI_FLAGS_QSIZE		0x0070	/* multiple message enable */
#define MSI_FLAGS_64BIT		0x0080

static void put8(uint8_t *p, unsigned int off, uint8_t v)
{
	p[off] = v;
}

static void put16(uint8_t *p, unsigned int off, uint16_t v)
{
	p[off] = v & 0xff;
	p[off + 1] = v >> 8;
}

static void put32(uint8_t *p, unsigned int off, uint32_t v)
{
	put16(p, off, v & 0xffff);
	put16(p, off + 2, v >> 16);
}

static uint16_t get16(const uint8_t *p, unsigned int off)
{
	return p[off] | (p[off + 1] << 8);
}

static uint64_t pow2_roundup(uint64_t v)
{
	uint64_t r = 16;	/* smallest memory BAR the spec allows */

	while (r < v)
		r <<= 1;
	return r;
}

/*
 * Every implemented BAR becomes a 64-bit memory BAR and takes the next slot
 * as its upper half. The writable bits are exactly the address bits above
 * the size, which is what makes "write ~0, read back" return the size mask.
 */
static void init_bars(struct pcicfg *c, const struct zipm_pci_id *id)
{
	unsigned int i;

	for (i = 0; i < 6; i++) {
		unsigned int off = CFG_BAR0 + 4 * i;
		uint64_t size, mask;

		if (!id->bar_size[i] || i == 5)
			continue;
		size = pow2_roundup(id->bar_size[i]);
		mask = ~(size - 1);
		put32(c->cfg, off, BAR_MEM_64);
		put32(c->wmask, off, (uint32_t)mask & ~0xfu);
		put32(c->wmask, off + 4, (uint32_t)(mask >> 32));
		i++;	/* upper half */
	}
}

static void init_pcie(struct pcicfg *c, unsigned int cap, unsigned int next)
{
	put8(c->cfg, cap, CAP_ID_PCIE);
	put8(c->cfg, cap + 1, next);
	put16(c->cfg, cap + PCIE_FLAGS, PCIE_FLAGS_V2_ENDPOINT);
	put32(c->cfg, cap + PCIE_DEVCAP,
	      PCIE_DEVCAP_MPS256 | PCIE_DEVCAP_RBER | PCIE_DEVCAP_FLR);
	put16(c->cfg, cap + PCIE_DEVCTL, PCIE_DEVCTL_DEFAULT);
	put16(c->wmask, cap + PCIE_DEVCTL, 0xffff);
	put16(c->w1c, cap + PCIE_DEVSTA, 0x000f);
	put32(c->cfg, cap + PCIE_LNKCAP, PCIE_LNK_2_5GT_X1);
	put16(c->wmask, cap + PCIE_LNKCTL, 0x01c3);
	put16(c->cfg, cap + PCIE_LNKSTA, PCIE_LNK_2_5GT_X1);
	put16(c->wmask, cap + PCIE_DEVCTL2, 0x041f);
	put32(c->cfg, cap + PCIE_LNKCAP2, PCIE_LNKCAP2_2_5GT);
	put16(c->cfg, cap + PCIE_LNKCTL2, 0x0001);
	put16(c->wmask, cap + PCIE_LNKCTL2, 0x000f);
}

static void init_msi(struct pcicfg *c, unsigned int cap, unsigned int vectors)
{
	uint16_t flags = MSI_FLAGS_64BIT;
	unsigned int mmc = 0;

	/* Multiple Message Capable is log2 of the vector count, rounded up */
	while ((1u << mmc) < vectors && mmc < 5)
		mmc++;
	flags |= (mmc << 1) & MSI_FLAGS_QMASK;
	put8(c->cfg, cap, CAP_ID_MSI);
	put8(c->cfg, cap + 1, 0);
	put16(c->cfg, cap + MSI_FLAGS, flags);
	put16(c->wmask, cap + MSI_FLAGS, MSI_FLAGS_ENABLE | MSI_FLAGS_QSIZE);
	put32(c->wmask, cap + MSI_ADDR_LO, 0xfffffffc);
	put32(c->wmask, cap + MSI_ADDR_HI, 0xffffffff);
	put16(c->wmask, cap + MSI_DATA, 0xffff);
}

void pcicfg_init(struct pcicfg *c, const struct zipm_pci_id *id)
{
	memset(c, 0, sizeof(*c));

	put16(c->cfg, CFG_VENDOR, id->vendor);
	put16(c->cfg, CFG_DEVICE, id->device);
	put16(c->wmask, CFG_COMMAND, CMD_WRITABLE);
	put16(c->cfg, CFG_STATUS, STATUS_CAP_LIST);
	put16(c->w1c, CFG_STATUS, STATUS_W1C);
	put8(c->cfg, CFG_REVISION, id->revision);
	put8(c->cfg, CFG_CLASS, id->class_code & 0xff);
	put16(c->cfg, CFG_CLASS + 1, (id->class_code >> 8) & 0xffff);
	put8(c->wmask, CFG_CACHE_LINE, 0xff);
	put8(c->wmask, CFG_LATENCY, 0xff);
	put8(c->cfg, CFG_HEADER_TYPE, 0);
	init_bars(c, id);
	put16(c->cfg, CFG_SUBSYS_VENDOR, id->vendor);
	put16(c->cfg, CFG_SUBSYS_ID, id->device);
	put8(c->cfg, CFG_CAP_PTR, PCICFG_CAP_PCIE);
	put8(c->wmask, CFG_INT_LINE, 0xff);	/* pin stays 0: no INTx */

	init_pcie(c, PCICFG_CAP_PCIE, PCICFG_CAP_MSI);
	init_msi(c, PCICFG_CAP_MSI, id->msi_vectors);

	memcpy(c->init, c->cfg, sizeof(c->cfg));
}

void pcicfg_reset(struct pcicfg *c)
{
	memcpy(c->cfg, c->init, sizeof(c->cfg));
}

int pcicfg_read(const struct pcicfg *c, uint64_t off, void *buf, uint32_t len)
{
	if (off > PCICFG_SIZE || len > PCICFG_SIZE - off)
		return -EINVAL;
	memcpy(buf, c->cfg + off, len);
	return 0;
}

int pcicfg_write(struct pcicfg *c, uint64_t off, const void *buf,
		 uint32_t len, unsigned int *events)
{
	const uint8_t *v = buf;
	unsigned int devctl = PCICFG_CAP_PCIE + PCIE_DEVCTL;
	uint32_t i;

	*events = 0;
	if (off > PCICFG_SIZE || len > PCICFG_SIZE - off)
		return -EINVAL;

	for (i = 0; i < len; i++) {
		unsigned int o = off + i;
		uint8_t cur = c->cfg[o];

		cur = (cur & ~c->wmask[o]) | (v[i] & c->wmask[o]);
		cur &= ~(v[i] & c->w1c[o]);
		c->cfg[o] = cur;
	}

	/* "Initiate FLR" is a command, it always reads back as 0. */
	if (get16(c->cfg, devctl) & PCIE_DEVCTL_BCR_FLR) {
		put16(c->cfg, devctl,
		      get16(c->cfg, devctl) & ~PCIE_DEVCTL_BCR_FLR);
		*events |= PCICFG_EV_FLR;
	}
	return 0;
}
