/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci_config.h - PCI configuration space of one model function, as the
 * vfio-user client sees it through region VFU_PCI_CONFIG.
 */
#ifndef WD_TESTS_PCI_CONFIG_H
#define WD_TESTS_PCI_CONFIG_H

#include <stdint.h>

#include "zipmodel.h"

#define PCICFG_SIZE		4096	/* PCIe: extended space included */
#define PCICFG_CAP_PCIE		0x40
#define PCICFG_CAP_MSI		0x80

/* Side effects of a config write that the transport has to act on */
#define PCICFG_EV_FLR		0x1	/* function level reset initiated */

struct pcicfg {
	uint8_t cfg[PCICFG_SIZE];
	uint8_t wmask[PCICFG_SIZE];	/* bits software may change */
	uint8_t w1c[PCICFG_SIZE];	/* bits cleared by writing 1 */
	uint8_t init[PCICFG_SIZE];	/* power-on values, for resets */
};

void pcicfg_init(struct pcicfg *c, const struct zipm_pci_id *id);

/* Registers that a reset returns to their power-on values. */
void pcicfg_reset(struct pcicfg *c);

/* Accesses of any size within the 4 KiB; out of range returns -EINVAL. */
int pcicfg_read(const struct pcicfg *c, uint64_t off, void *buf,
		uint32_t len);
int pcicfg_write(struct pcicfg *c, uint64_t off, const void *buf,
		 uint32_t len, unsigned int *events);

#endif /* WD_TESTS_PCI_CONFIG_H */
