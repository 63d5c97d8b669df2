// SPDX-License-Identifier: GPL-2.0
/*
 * zip_sdmdev.c - hand hisi_zip queue pairs to user space through sdmdev.
 *
 * Every bound function (PF or VF) registers an sdmdev parent with api
 * "hisi_qm_v2". Opening an instance creates a HISI_QP_USER queue pair and
 * maps two regions for the process:
 *   MMIO - the function's doorbell page, BAR 2 + 0x1000. QM V2 has ONE
 *          doorbell page per function, shared by all its queues: whoever
 *          holds one queue can ring every queue of the function. That is
 *          why a function's instances belong to one process at a time and
 *          why tenants are isolated per function (a VF each), never per
 *          queue (SDMDEV_FLAG_SHARED_MMIO).
 *   RING - the queue pair's coherent SQ + CQ block (qm.h), which the
 *          process fills and polls itself; the QM leaves user CQs alone.
 *   DMA  - 1 MiB of request buffers, allocated and mapped by sdmdev: the
 *          fallback while sdmdev has no shared IOMMU domain.
 * A queue starts out compressing; HISI_QM_SDMDEV_SET_ALG (the uapi header)
 * restarts it as a decompression queue or back, before its first request:
 * the QM takes the direction from the SQC, not from the SQE.
 *
 * Locking: sdmdev serializes the ops of one queue (see sdmdev.h) except
 * driver ioctls, which uq->lock serializes; the QM's locks protect the queue
 * pairs. hzip->sdmdev is set in probe and cleared in remove, under the
 * device lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "sdmdev.h"
#include "zip.h"

#define HZIP_SDMDEV_BAR		2
#define HZIP_SDMDEV_DB_OFFSET	0x1000	/* QM_DB_SQCQ: the V2 doorbell page */
#define HZIP_SDMDEV_DB_SIZE	0x1000
/* Request buffers for user space without an IOMMU, per open queue. */
#define HZIP_SDMDEV_DMA_SIZE	SZ_1M

struct hisi_zip_sdmdev {
	struct sdmdev_parent parent;
	struct hisi_zip *hzip;
};

struct hisi_zip_uqueue {
	struct sdmdev_queue q;
	struct hisi_qp *qp;
	struct mutex lock;	/* driver ioctls */
};

static struct hisi_zip_uqueue *to_uqueue(struct sdmdev_queue *q)
{
	return container_of(q, struct hisi_zip_uqueue, q);
}

static struct hisi_zip *parent_to_hzip(struct sdmdev_parent *parent)
{
	return container_of(parent, struct hisi_zip_sdmdev, parent)->hzip;
}

static struct sdmdev_queue *hisi_zip_get_queue(struct sdmdev_parent *parent)
{
	struct hisi_zip *hzip = parent_to_hzip(parent);
	struct hisi_zip_uqueue *uq;
	struct hisi_qp *qp;

	uq = kzalloc(sizeof(*uq), GFP_KERNEL);
	if (!uq)
		return ERR_PTR(-ENOMEM);
	qp = hisi_qm_create_qp(&hzip->qm, HZIP_ALG_TYPE_COMP, HISI_QP_USER);
	if (IS_ERR(qp)) {
		kfree(uq);
		return ERR_CAST(qp);
	}
	uq->qp = qp;
	uq->q.id = qp->qp_id;
	mutex_init(&uq->lock);
	return &uq->q;
}

static void hisi_zip_put_queue(struct sdmdev_queue *q)
{
	struct hisi_zip_uqueue *uq = to_uqueue(q);

	hisi_qm_release_qp(uq->qp);
	mutex_destroy(&uq->lock);
	kfree(uq);
}

static int hisi_zip_start_queue(struct sdmdev_queue *q)
{
	return hisi_qm_start_qp(to_uqueue(q)->qp, NULL, NULL);
}

/*
 * The QM counts in-flight requests of kernel queues only: for a user queue
 * hisi_qm_stop_qp() cannot tell yet whether the engine still holds SQEs
 * (that needs the SQC/CQC heads read back through the mailbox), so this
 * reports "drained" as the QM does.
 */
static int hisi_zip_stop_queue(struct sdmdev_queue *q)
{
	hisi_qm_stop_qp(to_uqueue(q)->qp);
	return 0;
}

static int hisi_zip_mmap_db(struct hisi_qp *qp, struct vm_area_struct *vma)
{
	struct pci_dev *pdev = qp->qm->pdev;
	phys_addr_t db = pci_resource_start(pdev, HZIP_SDMDEV_BAR) + HZIP_SDMDEV_DB_OFFSET;

	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	return io_remap_pfn_range(vma, vma->vm_start, PHYS_PFN(db),
				  vma->vm_end - vma->vm_start, vma->vm_page_prot);
}

static int hisi_zip_mmap(struct sdmdev_queue *q, unsigned int index, struct vm_area_struct *vma)
{
	struct hisi_qp *qp = to_uqueue(q)->qp;

	switch (index) {
	case SDMDEV_REGION_MMIO:
		return hisi_zip_mmap_db(qp, vma);
	case SDMDEV_REGION_RING:
		return dma_mmap_coherent(&qp->qm->pdev->dev, vma, qp->qdma_va,
					 qp->qdma_dma, qp->qdma_size);
	}
	return -EINVAL;
}

/*
 * The queue's direction. The rings restart empty, so user space must have
 * nothing in flight; whatever it had is lost, never written to freed memory
 * (the ring memory stays the queue's).
 */
static long hisi_zip_set_alg(struct hisi_zip_uqueue *uq, unsigned long alg)
{
	struct hisi_qp *qp = uq->qp;
	int ret;

	if (alg != HZIP_ALG_TYPE_COMP && alg != HZIP_ALG_TYPE_DECOMP)
		return -EINVAL;
	mutex_lock(&uq->lock);
	hisi_qm_stop_qp(qp);
	qp->alg_type = alg;
	ret = hisi_qm_start_qp(qp, NULL, NULL);
	mutex_unlock(&uq->lock);
	return ret;
}

static long hisi_zip_ioctl(struct sdmdev_queue *q, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case HISI_QM_SDMDEV_SET_ALG:
		return hisi_zip_set_alg(to_uqueue(q), arg);
	}
	return -ENOTTY;
}

static int hisi_zip_available(struct sdmdev_parent *parent)
{
	struct hisi_qm *qm = &parent_to_hzip(parent)->qm;

	/* A hint for sysfs; create and open check again. */
	return qm->qp_num - READ_ONCE(qm->qp_in_use);
}

static const struct sdmdev_parent_ops hisi_zip_sdmdev_ops = {
	.owner = THIS_MODULE,
	.get_queue = hisi_zip_get_queue,
	.put_queue = hisi_zip_put_queue,
	.start_queue = hisi_zip_start_queue,
	.stop_queue = hisi_zip_stop_queue,
	.mmap = hisi_zip_mmap,
	.ioctl = hisi_zip_ioctl,
	.available_instances = hisi_zip_available,
};

/*
 * Offer the function's queues to user space. A failure is reported and
 * leaves the kernel path working: it is not a reason to fail the probe.
 */
void hisi_zip_sdmdev_register(struct hisi_zip *hzip)
{
	struct pci_dev *pdev = hzip->qm.pdev;
	struct hisi_zip_sdmdev *zs;
	int ret;

	/* With bigger pages the doorbell mapping would expose other registers. */
	if (PAGE_SIZE != HZIP_SDMDEV_DB_SIZE) {
		pci_info(pdev, "no user-space queues with %lu-byte pages\n", PAGE_SIZE);
		return;
	}
	zs = kzalloc(sizeof(*zs), GFP_KERNEL);
	if (!zs)
		return;
	zs->hzip = hzip;
	zs->parent.dev = &pdev->dev;
	zs->parent.ops = &hisi_zip_sdmdev_ops;
	zs->parent.name = hzip->qm.is_vf ? "hisi_zip VF queue" : "hisi_zip PF queue";
	zs->parent.api = "hisi_qm_v2";
	zs->parent.flags = SDMDEV_FLAG_SHARED_MMIO;
	zs->parent.region_size[SDMDEV_REGION_MMIO] = HZIP_SDMDEV_DB_SIZE;
	zs->parent.region_size[SDMDEV_REGION_RING] =
		(size_t)QM_SQE_SIZE * QM_Q_DEPTH + sizeof(struct qm_cqe) * QM_Q_DEPTH;
	zs->parent.region_size[SDMDEV_REGION_DMA] = HZIP_SDMDEV_DMA_SIZE;
	zs->parent.nr_queues = hzip->qm.qp_num;

	ret = sdmdev_register_parent(&zs->parent);
	if (ret) {
		pci_warn(pdev, "user-space queues not offered: %d\n", ret);
		kfree(zs);
		return;
	}
	hzip->sdmdev = zs;
}

/* Before the QM stops: waits for user space to close open instances. */
void hisi_zip_sdmdev_unregister(struct hisi_zip *hzip)
{
	if (!hzip->sdmdev)
		return;
	sdmdev_unregister_parent(&hzip->sdmdev->parent);
	kfree(hzip->sdmdev);
	hzip->sdmdev = NULL;
}
