// SPDX-License-Identifier: GPL-2.0
/*
 * hisi_zip - PCI driver for the HiSilicon ZIP engine (Hip08 / Kunpeng 920).
 *
 * Binds the ZIP physical and virtual functions with a V2 (revision 0x21)
 * queue manager, sets up the engine's AXI user domain and caches (PF), and
 * starts the QM (qm.c) so that its queues can be handed out.
 *
 * Locking: probe/remove run under the device lock and own struct hisi_zip;
 * the QM's own locks are described in qm.c. The engine error callback runs
 * in the abnormal IRQ and only touches engine error registers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "sdmdev.h"
#include "zip.h"
#include "zip_crypto.h"

#define HZIP_PCI_DEVICE_PF	0xa250
#define HZIP_PCI_DEVICE_VF	0xa251
#define HZIP_REG_BAR		2
/* The highest engine register we touch lives below this. */
#define HZIP_MIN_BAR_SIZE	0x30a000

/* AXI user fields: snoop, cmd type 1, NS, NO, FP. */
#define HZIP_AXUSER_BASE		0x40001070

/* QM registers the engine driver programs (PF). */
#define QM_ARUSER_M_CFG_1		0x100088
#define QM_ARUSER_M_CFG_ENABLE		0x100090
#define QM_AWUSER_M_CFG_1		0x100098
#define QM_AWUSER_M_CFG_ENABLE		0x1000a0
#define QM_WUSER_M_CFG_ENABLE		0x1000a8
#define QM_CACHE_CTL			0x100050
#define QM_AXI_M_CFG			0x1000ac
#define QM_AXI_M_CFG_ENABLE		0x1000b0
#define QM_PEH_AXUSER_CFG		0x1000cc
#define QM_PEH_AXUSER_CFG_ENABLE	0x1000d0

#define QM_SQC_CACHE_EN			BIT(0)
#define QM_CQC_CACHE_EN			BIT(1)
#define QM_SQC_WB_EN			BIT(4)
#define QM_SQC_WB_THRD_1		FIELD_PREP(GENMASK(10, 5), 1)
#define QM_CQC_WB_EN			BIT(11)
#define QM_CQC_WB_THRD_1		FIELD_PREP(GENMASK(17, 12), 1)
/* Keeps a PCIe FLR from being triggered by clearing bus mastering. */
#define QM_PEH_AXUSER_VAL		0x401001

/* ZIP engine registers (PF). */
#define HZIP_CLOCK_GATE_CTRL		0x301004
#define HZIP_DECOMP_CHECK_EN		BIT(16)
#define HZIP_ALL_CORES			GENMASK(7, 0)	/* 2 compress + 6 decompress */
#define HZIP_PORT_ARCA_CHE_0		0x301040
#define HZIP_PORT_ARCA_CHE_1		0x301044
#define HZIP_PORT_AWCA_CHE_0		0x301060
#define HZIP_PORT_AWCA_CHE_1		0x301064
#define HZIP_BD_RUSER_32_63		0x301110
#define HZIP_SGL_RUSER_32_63		0x30111c
#define HZIP_DATA_RUSER_32_63		0x301128
#define HZIP_DATA_WUSER_32_63		0x301134
#define HZIP_BD_WUSER_32_63		0x301140
#define HZIP_CORE_INT_SOURCE		0x3010a0
#define HZIP_CORE_INT_MASK		0x3010a4
#define HZIP_CORE_INT_ALL		GENMASK(10, 0)

static int pf_q_num_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (ret)
		return ret;
	if (n < 2 || n > QM_MAX_QP_NUM_V2) {
		pr_err("pf_q_num=%u is out of range 2..%u\n", n, QM_MAX_QP_NUM_V2);
		return -EINVAL;
	}
	return param_set_uint(val, kp);
}

static const struct kernel_param_ops pf_q_num_ops = {
	.set = pf_q_num_set,
	.get = param_get_uint,
};

static unsigned int pf_q_num = 64;
module_param_cb(pf_q_num, &pf_q_num_ops, &pf_q_num, 0444);
MODULE_PARM_DESC(pf_q_num, "Queues of the PF (2-1024, default 64)");

static bool selftest = true;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "Compress and decompress a small buffer at probe (default on)");

/* AXI user domain and context caches; the QM is not running yet. */
static void hisi_zip_set_user_domain_and_cache(struct hisi_zip *hzip)
{
	void __iomem *base = hzip->qm.io_base;

	writel(HZIP_AXUSER_BASE, base + QM_ARUSER_M_CFG_1);
	writel(0xfffffffe, base + QM_ARUSER_M_CFG_ENABLE);
	writel(HZIP_AXUSER_BASE, base + QM_AWUSER_M_CFG_1);
	writel(0xfffffffe, base + QM_AWUSER_M_CFG_ENABLE);
	writel(0xffffffff, base + QM_WUSER_M_CFG_ENABLE);

	writel(QM_SQC_CACHE_EN | QM_CQC_CACHE_EN | QM_SQC_WB_EN | QM_SQC_WB_THRD_1 |
	       QM_CQC_WB_EN | QM_CQC_WB_THRD_1, base + QM_CACHE_CTL);
	writel(0xffff, base + QM_AXI_M_CFG);
	writel(0xffffffff, base + QM_AXI_M_CFG_ENABLE);
	writel(QM_PEH_AXUSER_VAL, base + QM_PEH_AXUSER_CFG);
	writel(0xffffffff, base + QM_PEH_AXUSER_CFG_ENABLE);

	writel(0xffffffff, base + HZIP_PORT_ARCA_CHE_0);
	writel(0xffffffff, base + HZIP_PORT_ARCA_CHE_1);
	writel(0xffffffff, base + HZIP_PORT_AWCA_CHE_0);
	writel(0xffffffff, base + HZIP_PORT_AWCA_CHE_1);

	/* No SVA: buffers are DMA addresses, so no SSV bit on the data users. */
	writel(HZIP_AXUSER_BASE, base + HZIP_BD_RUSER_32_63);
	writel(HZIP_AXUSER_BASE, base + HZIP_SGL_RUSER_32_63);
	writel(HZIP_AXUSER_BASE, base + HZIP_BD_WUSER_32_63);
	writel(HZIP_AXUSER_BASE, base + HZIP_DATA_RUSER_32_63);
	writel(HZIP_AXUSER_BASE, base + HZIP_DATA_WUSER_32_63);

	writel(HZIP_DECOMP_CHECK_EN | HZIP_ALL_CORES, base + HZIP_CLOCK_GATE_CTRL);
}

static const char *const hzip_core_errors[] = {
	"ECC 1-bit error", "ECC 2-bit error", "AXI read response error",
	"AXI write response error", "source address parse error",
	"destination address parse error", "pre-in address error",
	"pre-in data error", "compress info error", "encrypt info error",
	"pre-out error",
};

/* Corrected by the engine: reported, no request was harmed. */
#define HZIP_CORE_INT_CORRECTED		BIT(0)	/* ECC 1-bit */

/* Abnormal IRQ: report and clear the engine's core errors. */
static bool hisi_zip_engine_error(struct hisi_qm *qm, bool *fatal)
{
	void __iomem *base = qm->io_base;
	u32 src = readl(base + HZIP_CORE_INT_SOURCE);
	unsigned long bit, bits;

	if (src == ~0u)		/* the function is gone */
		return false;
	src &= HZIP_CORE_INT_ALL & ~readl(base + HZIP_CORE_INT_MASK);
	if (!src)
		return false;
	bits = src;
	for_each_set_bit(bit, &bits, ARRAY_SIZE(hzip_core_errors))
		dev_err_ratelimited(&qm->pdev->dev, "ZIP core error: %s\n",
				    hzip_core_errors[bit]);
	writel(src, base + HZIP_CORE_INT_SOURCE);
	if (src & ~HZIP_CORE_INT_CORRECTED)
		*fatal = true;
	return true;
}

static void hisi_zip_hw_err_enable(struct hisi_zip *hzip)
{
	void __iomem *base = hzip->qm.io_base;

	writel(HZIP_CORE_INT_ALL, base + HZIP_CORE_INT_SOURCE);
	writel(0, base + HZIP_CORE_INT_MASK);
}

static void hisi_zip_hw_err_disable(struct hisi_zip *hzip)
{
	writel(HZIP_CORE_INT_ALL, hzip->qm.io_base + HZIP_CORE_INT_MASK);
}

static int hisi_zip_map_bar(struct pci_dev *pdev, void __iomem **io_base)
{
	if (pci_resource_len(pdev, HZIP_REG_BAR) < HZIP_MIN_BAR_SIZE) {
		pci_err(pdev, "BAR%d is %llu bytes, the engine needs %#x\n", HZIP_REG_BAR,
			(unsigned long long)pci_resource_len(pdev, HZIP_REG_BAR),
			HZIP_MIN_BAR_SIZE);
		return -ENODEV;
	}
	*io_base = pci_ioremap_bar(pdev, HZIP_REG_BAR);
	return *io_base ? 0 : -ENOMEM;
}

static int hisi_zip_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	bool is_vf = pdev->device == HZIP_PCI_DEVICE_VF;
	struct hisi_zip *hzip;
	void __iomem *io_base;
	int ret;

	if (pdev->revision != QM_HW_V2) {
		pci_err(pdev, "QM revision %#x is not supported (only V2, %#x)\n",
			pdev->revision, QM_HW_V2);
		return -ENODEV;
	}

	hzip = kzalloc(sizeof(*hzip), GFP_KERNEL);
	if (!hzip)
		return -ENOMEM;

	ret = pci_enable_device_mem(pdev);
	if (ret)
		goto err_free;
	ret = pci_request_mem_regions(pdev, KBUILD_MODNAME);
	if (ret)
		goto err_disable;
	/* Behind an IOMMU, below sdmdev's window for user memory. */
	ret = dma_set_mask_and_coherent(&pdev->dev, sdmdev_parent_dma_mask(&pdev->dev));
	if (ret) {
		pci_err(pdev, "DMA mask refused: %d\n", ret);
		goto err_regions;
	}
	ret = hisi_zip_map_bar(pdev, &io_base);
	if (ret)
		goto err_regions;
	pci_set_master(pdev);

	if (!is_vf)
		hzip->qm.engine_error = hisi_zip_engine_error;
	ret = hisi_qm_init(&hzip->qm, pdev, io_base, is_vf, pf_q_num);
	if (ret)
		goto err_unmap;
	if (!is_vf) {
		hisi_zip_set_user_domain_and_cache(hzip);
		hisi_zip_hw_err_enable(hzip);
	}
	ret = hisi_qm_start(&hzip->qm);
	if (ret)
		goto err_qm_uninit;

	pci_set_drvdata(pdev, hzip);
	/* A failed self-test is reported; the device stays bound for debugging. */
	if (selftest)
		hisi_zip_selftest(hzip);
	hisi_zip_debugfs_init(hzip);
	hisi_zip_crypto_register(hzip);
	hisi_zip_sdmdev_register(hzip);
	return 0;

err_qm_uninit:
	if (!is_vf)
		hisi_zip_hw_err_disable(hzip);
	hisi_qm_uninit(&hzip->qm);
err_unmap:
	pci_clear_master(pdev);
	iounmap(io_base);
err_regions:
	pci_release_mem_regions(pdev);
err_disable:
	pci_disable_device(pdev);
err_free:
	kfree(hzip);
	return ret;
}

static void hisi_zip_remove(struct pci_dev *pdev)
{
	struct hisi_zip *hzip = pci_get_drvdata(pdev);
	void __iomem *io_base = hzip->qm.io_base;

	/*
	 * A surprise removal may unbind us before the QM noticed: then the
	 * transforms go to software and no register is written (below).
	 */
	hisi_qm_look_gone(&hzip->qm);
	/* VFs first: their queues live in this PF's QM. */
	if (!hzip->qm.is_vf && hisi_qm_sriov_disable(&hzip->qm))
		pci_warn(pdev, "removing the PF under VFs assigned to virtual machines\n");

	/* Finishes or fails the crypto requests on this device's queues. */
	hisi_zip_crypto_unregister(hzip);
	/* Waits for user space to close its queues. */
	hisi_zip_sdmdev_unregister(hzip);
	/* Waits for debugfs readers, which may be running the self-test. */
	hisi_zip_debugfs_exit(hzip);
	hisi_qm_stop(&hzip->qm);
	/* No register writes to a function that is gone (hisi_qm_stop). */
	if (!hzip->qm.is_vf && !hisi_qm_gone(&hzip->qm))
		hisi_zip_hw_err_disable(hzip);
	hisi_qm_uninit(&hzip->qm);
	pci_clear_master(pdev);
	iounmap(io_base);
	pci_release_mem_regions(pdev);
	pci_disable_device(pdev);
	pci_set_drvdata(pdev, NULL);
	kfree(hzip);
}

/* echo N > sriov_numvfs: N VFs sharing the queues the PF does not keep. */
static int hisi_zip_sriov_configure(struct pci_dev *pdev, int num_vfs)
{
	struct hisi_zip *hzip = pci_get_drvdata(pdev);

	if (hzip->qm.is_vf)
		return -EINVAL;
	if (!num_vfs)
		return hisi_qm_sriov_disable(&hzip->qm);
	return hisi_qm_sriov_enable(&hzip->qm, num_vfs);
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
	.sriov_configure = hisi_zip_sriov_configure,
};

static int __init hisi_zip_init(void)
{
	int ret;

	hisi_zip_debugfs_register();
	ret = pci_register_driver(&hisi_zip_driver);
	if (ret)
		hisi_zip_debugfs_unregister();
	return ret;
}

static void __exit hisi_zip_exit(void)
{
	pci_unregister_driver(&hisi_zip_driver);
	hisi_zip_crypto_exit();
	hisi_zip_debugfs_unregister();
}

module_init(hisi_zip_init);
module_exit(hisi_zip_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("HiSilicon ZIP engine (QM V2) driver");
