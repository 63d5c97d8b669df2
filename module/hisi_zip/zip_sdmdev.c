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
 *          process fills and polls itself; the kernel never writes it.
 *   DMA  - 1 MiB of request buffers, allocated and mapped by sdmdev: the
 *          fallback without an IOMMU (with one, user memory is mapped into
 *          the function's domain: SDMDEV_MAP_DMA).
 * Behind an IOMMU, user space takes the whole function: claim stops the
 * kernel's acomp transforms from using it (zip_crypto.c).
 * A queue starts out compressing; HISI_QM_SDMDEV_SET_ALG (the uapi header)
 * restarts it as a decompression queue or back, before its first request:
 * the QM takes the direction from the SQC, not from the SQE.
 *
 * SDMDEV_WAIT (SDMDEV_FLAG_WAIT): a user queue's CQC posts an EQE per CQE
 * like a kernel queue's; the EQ handler counts the new CQEs by their phase
 * bits without consuming them (qm.c) and wakes the sleepers. A wait returns
 * at once if CQEs arrived since the last wait returned, or if a CQE the EQ
 * handler has not counted yet is in the ring; otherwise it sleeps. So a
 * completion that lands between the process's last look at its CQ and the
 * wait is never missed, and a wait may return for CQEs the process already
 * took by polling (it looks, finds nothing, and waits again). As with the
 * kernel's own queues, the process re-arms the notification by ringing its
 * CQ doorbell with priority 1 after draining the CQ, before it waits.
 *
 * Gone: when the QM finds the function gone, SDMDEV_WAIT fails with
 * -ENODEV (sdmdev_queue_error) instead of sleeping for completions that
 * cannot come; the stop at close does not wait.
 *
 * Device errors (abnormal/RAS interrupt): the QM cannot say which queue an
 * error hit, so every started queue of the function is reset. A user
 * queue's rings belong to its process, and the kernel does not touch them
 * (nor can it stop a V2 queue behind the process's back: there is no stop
 * command, and the doorbell page is the process's). Instead SDMDEV_WAIT
 * fails with -EIO from then on (sdmdev_queue_error): the process learns
 * that requests it has in flight may be lost or damaged, takes what did
 * complete from its CQ, and closes the instance, whose stop waits for the
 * engine as usual; a new instance is a fresh queue pair with empty rings.
 *
 * Stop: the QM reads the queue's SQ/CQ positions back through the mailbox;
 * only when every SQE the process sent has completed is the queue
 * "drained" (0), else -EBUSY and both sdmdev and the QM keep the memory.
 *
 * Locking: sdmdev serializes the ops of one queue (see sdmdev.h) except
 * driver ioctls, which uq->lock serializes; the QM's locks protect the queue
 * pairs. uq->reported is only changed by is_updated, with a
 * compare-and-exchange since two threads may wait on one queue (one of them
 * then sleeps until the next completion), and when the queue (re)starts.
 * hzip->sdmdev is set in probe and cleared in remove, under the device lock.
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
#include "zip_crypto.h"

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
	atomic64_t reported;	/* qp->completed when the last wait returned */
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

/* EQ hard IRQ: the engine completed requests of this user queue. */
static void hisi_zip_uqueue_event(struct hisi_qp *qp, enum hisi_qp_event ev)
{
	struct hisi_zip_uqueue *uq = qp->priv;

	/*
	 * After a device error the queue is reset: its owner is told and
	 * must open a new one (see the top of the file). A function that is
	 * gone completes nothing. Either way SDMDEV_WAIT fails from now on.
	 */
	if (ev == HISI_QP_EVENT_CQ) {
		sdmdev_queue_notify(&uq->q);
	} else if (ev == HISI_QP_EVENT_GONE) {
		sdmdev_queue_error(&uq->q, -ENODEV);
	} else if (ev == HISI_QP_EVENT_ERROR) {
		atomic64_inc(&qp->errors);
		sdmdev_queue_error(&uq->q, -EIO);
	}
}

static const struct hisi_qp_ops hisi_zip_uqueue_ops = {
	.event = hisi_zip_uqueue_event,
};

/* Start (or restart) the queue pair with empty rings. */
static int hisi_zip_uqueue_start(struct hisi_zip_uqueue *uq)
{
	/* Nothing new for a waiter until the next completion. */
	atomic64_set(&uq->reported, READ_ONCE(uq->qp->completed));
	return hisi_qm_start_qp(uq->qp, &hisi_zip_uqueue_ops, uq);
}

static int hisi_zip_start_queue(struct sdmdev_queue *q)
{
	return hisi_zip_uqueue_start(to_uqueue(q));
}

/* SDMDEV_WAIT's condition; see the top of the file. */
static bool hisi_zip_is_updated(struct sdmdev_queue *q)
{
	struct hisi_zip_uqueue *uq = to_uqueue(q);
	s64 done = READ_ONCE(uq->qp->completed);
	s64 seen = atomic64_read(&uq->reported);

	if (done != seen && atomic64_cmpxchg(&uq->reported, seen, done) == seen)
		return true;
	return hisi_qm_user_cq_pending(uq->qp);
}

/* 0 only when the engine is done with every SQE the process sent. */
static int hisi_zip_stop_queue(struct sdmdev_queue *q)
{
	return hisi_qm_stop_qp(to_uqueue(q)->qp);
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
 * nothing in flight: the stop waits up to a second for the engine to finish
 * what it has; if it does not, -EBUSY and the queue stays stopped (the
 * hardware may still write its rings) until it is closed.
 */
static long hisi_zip_set_alg(struct hisi_zip_uqueue *uq, unsigned long alg)
{
	struct hisi_qp *qp = uq->qp;
	int ret;

	if (alg != HZIP_ALG_TYPE_COMP && alg != HZIP_ALG_TYPE_DECOMP)
		return -EINVAL;
	mutex_lock(&uq->lock);
	ret = hisi_qm_stop_qp(qp);
	if (!ret) {
		qp->alg_type = alg;
		ret = hisi_zip_uqueue_start(uq);
	}
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

static int hisi_zip_claim(struct sdmdev_parent *parent)
{
	return hisi_zip_crypto_claim(parent_to_hzip(parent));
}

static void hisi_zip_release(struct sdmdev_parent *parent)
{
	hisi_zip_crypto_release(parent_to_hzip(parent));
}

static const struct sdmdev_parent_ops hisi_zip_sdmdev_ops = {
	.owner = THIS_MODULE,
	.get_queue = hisi_zip_get_queue,
	.put_queue = hisi_zip_put_queue,
	.start_queue = hisi_zip_start_queue,
	.stop_queue = hisi_zip_stop_queue,
	.mmap = hisi_zip_mmap,
	.ioctl = hisi_zip_ioctl,
	.is_updated = hisi_zip_is_updated,
	.available_instances = hisi_zip_available,
	.claim = hisi_zip_claim,
	.release = hisi_zip_release,
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
