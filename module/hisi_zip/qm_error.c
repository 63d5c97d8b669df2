// SPDX-License-Identifier: GPL-2.0
/*
 * qm_error.c - the QM's error side: RAS set-up, the abnormal interrupt,
 * err_work that tells the queues' owners, and finding out that the function
 * is gone. The rest of the QM (mailbox, rings, EQ/AEQ) is in qm.c.
 *
 * Errors: the abnormal IRQ logs and clears an error (and asks the engine,
 * qm->engine_error), then schedules err_work, which sends
 * HISI_QP_EVENT_ERROR to every started queue's owner.
 *
 * A function that is gone (surprise removal, link down) reads all ones and
 * never completes anything. Whoever reads all ones where a register cannot
 * hold it (the mailbox in qm.c, the once-a-second look of gone_work) asks
 * config space: if the function is not present, the QM_GONE bit is set for
 * good and err_work sends HISI_QP_EVENT_GONE instead. qm.c then fails
 * mailbox commands at once, does not wait for queues to drain, and writes
 * no register at stop (remove looks once more before it starts).
 *
 * Locking (qm.c's locks are described there):
 *   qm->qps_lock (spinlock)   - taken by err_work, irqsave, to walk the
 *                               started queues; their owners' event
 *                               callbacks run under it (they must not send,
 *                               sleep or stop a queue).
 *   qm->status QM_GONE        - atomic bitops, no lock: set once (the
 *                               test_and_set_bit winner logs and schedules
 *                               err_work), never cleared while bound.
 * Owned by one context without a lock: abnormal_errors - the abnormal
 * handler (one vector, or the shared one, not re-entered); error_resets and
 * user_errors - err_work (one work item, not re-entered). Readers use
 * READ_ONCE.
 * err_work and gone_work are only scheduled while qm->started; hisi_qm_stop()
 * masks the vectors and waits for the handlers, then qm_error_stop() cancels
 * gone_work (which can schedule err_work) and then err_work, so no event
 * follows the stop. The RAS registers are written at hisi_qm_start (probe,
 * under the device lock) and by the abnormal handler (clearing sources).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/workqueue.h>

#include "qm.h"

/* PF-only registers (BAR 2). */
#define QM_ABNORMAL_INT_SOURCE	0x100000
#define QM_ABNORMAL_INT_MASK	0x100004
#define QM_ABNORMAL_INT_STATUS	0x100008
#define QM_ABNORMAL_INF00	0x100010
#define QM_ABNORMAL_INF01	0x100014
#define QM_ABNORMAL_ALL		GENMASK(12, 0)
#define QM_RAS_CE_ENABLE	0x1000ec
#define QM_RAS_FE_ENABLE	0x1000f0
#define QM_RAS_NFE_ENABLE	0x1000f4
#define QM_RAS_CE_THRESHOLD	0x1000f8
#define QM_RAS_MSI_INT_SEL	0x1040f4

/* ---- the abnormal vector (PF) ------------------------------------------- */

static const char *const qm_abnormal_names[] = {
	"AXI read response error", "AXI write response error",
	"ECC multi-bit error", "ECC 1-bit error",
	"accelerator get-task timeout", "accelerator do-task timeout",
	"write-back not ready timeout", "SQ/CQ not in function's VFT",
	"CQ not in function's VFT", "SQ not in function's VFT",
	"doorbell timeout", "FIFO overflow", "invalid doorbell",
};

/* Corrected in hardware: reported, no request was harmed. */
#define QM_ABNORMAL_CORRECTED	BIT(3)	/* ECC 1-bit */

/* Report and clear QM errors; *fatal says whether requests may be lost. */
static bool qm_abnormal_handle(struct hisi_qm *qm, bool *fatal)
{
	u32 st = readl(qm->io_base + QM_ABNORMAL_INT_STATUS);
	u32 inf00, inf01;
	unsigned long bit, bits;

	/* A function that is gone reads all ones: nothing to clear there. */
	if (st == ~0u)
		return false;
	st &= QM_ABNORMAL_ALL;
	if (!st)
		return false;
	bits = st;
	inf00 = readl(qm->io_base + QM_ABNORMAL_INF00);
	inf01 = readl(qm->io_base + QM_ABNORMAL_INF01);
	for_each_set_bit(bit, &bits, ARRAY_SIZE(qm_abnormal_names))
		dev_err_ratelimited(qm_dev(qm), "QM error: %s (INF00 %#x INF01 %#x, function %u)\n",
				    qm_abnormal_names[bit], inf00, inf01,
				    inf01 & 0x3f);
	writel(st, qm->io_base + QM_ABNORMAL_INT_SOURCE);
	qm->abnormal_errors += hweight32(st);
	if (st & ~QM_ABNORMAL_CORRECTED)
		*fatal = true;
	return true;
}

irqreturn_t qm_abnormal_irq(int irq, void *data)
{
	struct hisi_qm *qm = data;
	bool fatal = false;
	bool handled = qm_abnormal_handle(qm, &fatal);

	if (qm->engine_error && qm->engine_error(qm, &fatal))
		handled = true;
	/* Requests may be lost or damaged: their owners reset their queues. */
	if (fatal && READ_ONCE(qm->started))
		schedule_work(&qm->err_work);
	return handled ? IRQ_HANDLED : IRQ_NONE;
}

/* ---- telling the queues' owners (err_work) ------------------------------ */

/*
 * After an error that may have lost or damaged requests: every started
 * queue's owner is asked to reset it. Which queue an error hit is not
 * recorded by the QM V2 (INF00/INF01 name a function at most), so all
 * queues of the function are.
 */
static void qm_err_work(struct work_struct *work)
{
	struct hisi_qm *qm = container_of(work, struct hisi_qm, err_work);
	bool gone = hisi_qm_gone(qm);
	enum hisi_qp_event ev = gone ? HISI_QP_EVENT_GONE : HISI_QP_EVENT_ERROR;
	unsigned int i, n = 0, nuser = 0;
	unsigned long flags;

	spin_lock_irqsave(&qm->qps_lock, flags);
	for (i = 0; i < qm->qp_num; i++) {
		struct hisi_qp *qp = qm->qp_array[i];

		if (!qp || !qp->started || !qp->ops || !qp->ops->event)
			continue;
		qp->ops->event(qp, ev);
		n++;
		if (qp->owner == HISI_QP_USER)
			nuser++;
	}
	spin_unlock_irqrestore(&qm->qps_lock, flags);
	if (gone) {
		dev_err(qm_dev(qm), "function gone: told the owners of %u started queues\n", n);
		return;
	}
	WRITE_ONCE(qm->error_resets, qm->error_resets + 1);
	WRITE_ONCE(qm->user_errors, qm->user_errors + nuser);
	/* A user queue can raise these at will (bad DMA): debugfs counts all. */
	dev_err_ratelimited(qm_dev(qm), "QM error: asked the owners of %u started queues to reset them (%u of them user queues, told through SDMDEV_WAIT)\n",
			    n, nuser);
}

/* ---- a function that is gone -------------------------------------------- */

/**
 * hisi_qm_gone() - whether the function was found gone
 * @qm: the QM
 *
 * Any context. Once true, stays true until the driver unbinds.
 */
bool hisi_qm_gone(struct hisi_qm *qm)
{
	return test_bit(QM_GONE, &qm->status);
}

/**
 * hisi_qm_check_gone() - after reading all ones: is the function still there?
 * @qm: the QM
 *
 * Asks config space. The first caller that finds the function gone logs it
 * and has every started queue's owner told (HISI_QP_EVENT_GONE). Process
 * or atomic context (a config read, no sleep).
 *
 * Return: true if the function is gone.
 */
bool hisi_qm_check_gone(struct hisi_qm *qm)
{
	if (hisi_qm_gone(qm))
		return true;
	if (pci_device_is_present(qm->pdev))
		return false;
	if (test_and_set_bit(QM_GONE, &qm->status))
		return true;
	pci_err(qm->pdev, "function gone (reads all ones, config space too): failing its queues\n");
	if (READ_ONCE(qm->started))
		schedule_work(&qm->err_work);
	return true;
}

/**
 * hisi_qm_look_gone() - look now whether the function is gone
 * @qm: the QM
 *
 * One MMIO read; config space only when it reads all ones (the mailbox
 * register never does). Any context.
 *
 * Return: true if the function is gone.
 */
bool hisi_qm_look_gone(struct hisi_qm *qm)
{
	return hisi_qm_gone(qm) ||
	       (readl(qm->io_base + QM_MB_BASE) == ~0u && hisi_qm_check_gone(qm));
}

/*
 * No interrupt says that a function went away, and a hot-unplug event
 * (which unbinds us) may never come: look once a second.
 */
#define QM_GONE_CHECK_MS	1000

static void qm_gone_work(struct work_struct *work)
{
	struct hisi_qm *qm = container_of(to_delayed_work(work), struct hisi_qm, gone_work);

	if (hisi_qm_look_gone(qm))
		return;
	schedule_delayed_work(&qm->gone_work, msecs_to_jiffies(QM_GONE_CHECK_MS));
}

/* ---- RAS set-up (PF) ---------------------------------------------------- */

/*
 * Route every QM error to our abnormal MSI vector: this driver has no
 * platform RAS (APEI) side, so none go to the CE/NFE/FE RAS signals. The
 * selection register's meaning (a 1 picks MSI for that error) is inferred
 * from the 5.4 driver's use of it, not documented.
 */
void qm_hw_error_enable(struct hisi_qm *qm)
{
	void __iomem *base = qm->io_base;

	writel(0, base + QM_RAS_CE_ENABLE);
	writel(0, base + QM_RAS_NFE_ENABLE);
	writel(0, base + QM_RAS_FE_ENABLE);
	writel(1, base + QM_RAS_CE_THRESHOLD);
	writel(QM_ABNORMAL_ALL, base + QM_RAS_MSI_INT_SEL);
	/* Errors left from an earlier user of the device are stale. */
	writel(QM_ABNORMAL_ALL, base + QM_ABNORMAL_INT_SOURCE);
	writel(0, base + QM_ABNORMAL_INT_MASK);
}

/* Mask every QM error source (PF), before the vectors exist or at stop. */
void qm_hw_error_disable(struct hisi_qm *qm)
{
	writel(QM_ABNORMAL_ALL, qm->io_base + QM_ABNORMAL_INT_MASK);
}

/* ---- lifetime of the work items (hisi_qm_init/start/stop) ---------------- */

void qm_error_init(struct hisi_qm *qm)
{
	INIT_WORK(&qm->err_work, qm_err_work);
	INIT_DELAYED_WORK(&qm->gone_work, qm_gone_work);
	clear_bit(QM_GONE, &qm->status);
}

/* The QM runs: look once a second whether the function is gone. */
void qm_error_start(struct hisi_qm *qm)
{
	schedule_delayed_work(&qm->gone_work, msecs_to_jiffies(QM_GONE_CHECK_MS));
}

/*
 * The handlers are quiet (vectors masked and synchronized): no new error
 * work after this one. gone_work first, it may schedule err_work.
 */
void qm_error_stop(struct hisi_qm *qm)
{
	cancel_delayed_work_sync(&qm->gone_work);
	cancel_work_sync(&qm->err_work);
}
