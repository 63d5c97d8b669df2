// SPDX-License-Identifier: GPL-2.0
/*
 * hisi_zip - PCI driver for the HiSilicon ZIP engine (Hip08 / Kunpeng 920).
 *
 * Binds the ZIP physical and virtual functions and checks that the queue
 * manager is the V2 (revision 0x21) this driver speaks.
 *
 * Locking: probe/remove run under the device lock; no other shared state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>

#define HZIP_PCI_DEVICE_PF	0xa250
#define HZIP_PCI_DEVICE_VF	0xa251
#define HZIP_QM_REV_V2		0x21
#define HZIP_REG_BAR		2

static int hisi_zip_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	void __iomem *regs;
	int ret;

	if (pdev->revision != HZIP_QM_REV_V2) {
		pci_err(pdev, "QM revision %#x is not supported (only V2, %#x)\n",
			pdev->revision, HZIP_QM_REV_V2);
		return -ENODEV;
	}

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;

	regs = pcim_iomap(pdev, HZIP_REG_BAR, 0);
	if (!regs)
		return -ENOMEM;

	pci_set_drvdata(pdev, regs);
	pci_info(pdev, "QM V2, register BAR %pR\n", &pdev->resource[HZIP_REG_BAR]);
	return 0;
}

static void hisi_zip_remove(struct pci_dev *pdev)
{
	pci_set_drvdata(pdev, NULL);
}

static const struct pci_device_id hisi_zip_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_HUAWEI, HZIP_PCI_DEVICE_PF) },
	{ PCI_DEVICE(PCI_VENDOR_ID_HUAWEI, HZIP_PCI_DEVICE_VF) },
	{ }
};
MODULE_DEVICE_TABLE(pci, hisi_zip_ids);

static struct pci_driver hisi_zip_driver = {
	.name = "hisi_zip",
	.id_table = hisi_zip_ids,
	.probe = hisi_zip_probe,
	.remove = hisi_zip_remove,
};
module_pci_driver(hisi_zip_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("HiSilicon ZIP engine (QM V2) driver");
