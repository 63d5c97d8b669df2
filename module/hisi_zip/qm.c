// SPDX-License-Identifier: GPL-2.0
/*
 * qm.c - HiSilicon queue manager V2: bring-up, mailbox, contexts, doorbells,
 * the EQ/AEQ interrupts and the queue pair API declared in qm.h. Errors
 * (the abnormal interrupt, RAS set-up, err_work) and a function that is
 * gone are qm_error.c's.
 *
 * Locking, in the order they may nest:
 *   qm->mailbox_lock (mutex)  - the mailbox registers and the SQC/CQC/EQC/AEQC
 *                               slots being sent through it. Sleeps while the
 *                               hardware is busy, so process context only.
 *   qm->qps_lock (spinlock)   - qp_array, qp_bitmap, qp_in_use, qm->started
 *                               and every qp->started. Taken in the EQ hard
 *                               IRQ, hence irqsave everywhere else.
 *   qp->sq_lock (spinlock)    - qp->sq_open, sq_tail, the SQ slots and the SQ
 *                               doorbell. irqsave: hisi_qm_send() may run from
 *                               a completion callback in hard IRQ context.
 * Never held across a req_done callback: qps_lock (the callback may send).
 * The event callback is called with qps_lock held (it must not send; it
 * only schedules its owner's work or wakes sleepers).
 *
 * Owned by one context without a lock:
 *   eq_head/eq_phase and every qp's cq_head/cq_phase/completed - the EQ
 *   handler (one vector, not re-entered), and hisi_qm_start/start_qp before
 *   the vector can see them; aeq_head/aeq_phase - the AEQ handler likewise.
 *
 * User queues: the kernel never writes their rings and never rings their
 * CQ doorbell (user space owns the CQ head and re-arms the notification).
 * Their CQC still asks for an EQE per CQE so that the EQ handler can read
 * the CQ phase bits, count new entries and wake SDMDEV_WAIT sleepers.
 *
 * A queue leaves the EQ handler's sight in two steps: qp->started is cleared
 * (or the pointer removed from qp_array) under qps_lock, then
 * synchronize_irq() waits for a handler that looked before the change.
 *
 * The VFT registers are written by the PF at hisi_qm_start/stop (probe,
 * remove) and by SR-IOV enable/disable (the sriov_numvfs store): the PCI
 * core holds the PF's device lock for all of them, so they never overlap.
 *
 * qm_error.c's work items run while the QM is started: hisi_qm_stop() masks
 * the vectors, waits for the handlers and then cancels them (qm_error_stop),
 * so no event follows it. Once the function is found gone (hisi_qm_gone)
 * mailbox commands fail at once with -ENODEV, stopping a queue does not wait
 * (a function that is not there does no DMA) and stop writes no register.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "qm.h"

/* ---- registers (BAR 2) -------------------------------------------------- */

/* Per-function interrupt source/mask: source is "entries pending". */
#define QM_AEQ_INT_SOURCE	0x000
#define QM_AEQ_INT_MASK		0x004
#define QM_EQ_INT_SOURCE	0x008
#define QM_EQ_INT_MASK		0x00c
#define QM_CACHE_WB_START	0x204
#define QM_CACHE_WB_DONE	0x208

#define QM_MB_DATA_L		0x304
#define QM_MB_DATA_H		0x308
#define QM_MB_BUSY		BIT(13)
#define QM_MB_OP_READ		BIT(14)
#define QM_MB_STATUS		GENMASK(12, 9)

#define QM_DB_SQCQ		0x1000
#define QM_DB_EQAEQ		0x2000

/* PF-only registers. */
#define QM_MEM_START_INIT	0x100040
#define QM_MEM_INIT_DONE	0x100044
#define QM_VFT_CFG_OP_ENABLE	0x100054
#define QM_VFT_CFG_OP_WR	0x100058
#define QM_VFT_CFG_TYPE		0x10005c
#define QM_VFT_CFG		0x100060
#define QM_VFT_CFG_DATA_L	0x100064
#define QM_VFT_CFG_DATA_H	0x100068
#define QM_VFT_CFG_RDY		0x10006c

/* Mailbox commands. */
enum {
	QM_MB_CMD_SQC = 0,
	QM_MB_CMD_CQC,
	QM_MB_CMD_EQC,
	QM_MB_CMD_AEQC,
	QM_MB_CMD_SQC_BT,
	QM_MB_CMD_CQC_BT,
	QM_MB_CMD_SQC_VFT_V2,
};

/* Doorbell commands; V2 word: qn [11:0], cmd [15:12], index [47:32], prio [63:48]. */
enum { QM_DB_CMD_SQ, QM_DB_CMD_CQ, QM_DB_CMD_EQ, QM_DB_CMD_AEQ };
#define QM_DB_QN_MASK		GENMASK_ULL(11, 0)
#define QM_DB_CMD_SHIFT		12
#define QM_DB_INDEX_SHIFT	32
#define QM_DB_PRIO_SHIFT	48

/* VFT types and V2 word layout. */
#define QM_VFT_SQC		0
#define QM_VFT_CQC		1
#define QM_SQC_VFT_BASE_SHIFT	28
#define QM_SQC_VFT_BASE_MASK	GENMASK_ULL(15, 0)
#define QM_SQC_VFT_VALID	BIT_ULL(44)
#define QM_SQC_VFT_NUM_SHIFT	45
#define QM_SQC_VFT_NUM_MASK	GENMASK_ULL(9, 0)
#define QM_CQC_VFT_VALID	BIT_ULL(28)

/* Context fields. */
#define QM_SQC_SQE_SIZE_SHIFT	12
#define QM_SQC_ORDERS_SHIFT	4
#define QM_SQC_ALG_SHIFT	8
#define QM_CQC_CQE_SIZE_SHIFT	12
#define QM_CQE_SIZE_LOG2	4
#define QM_CQC_PHASE		BIT(0)
#define QM_CQC_FLAG		BIT(1)	/* post an EQE per CQE */
#define QM_EQC_PHASE_SHIFT	16
#define QM_EQE_PHASE		BIT(16)
#define QM_EQE_CQN		GENMASK(15, 0)
#define QM_AEQE_TYPE_SHIFT	17
#define QM_AEQE_QN		GENMASK(15, 0)

/* Timeouts: the hardware answers in microseconds; be generous, we sleep. */
#define QM_POLL_US		10
#define QM_MB_TIMEOUT_US	100000
#define QM_INIT_TIMEOUT_US	100000
#define QM_QP_DRAIN_MS		1000

/* Ring an EQ doorbell every so many entries so the EQ never fills up. */
#define QM_EQ_DB_BATCH		(QM_Q_DEPTH / 2 - 1)

#define QM_EQ_VECTOR		0
#define QM_AEQ_VECTOR		1
#define QM_ABNORMAL_VECTOR	3
#define QM_PF_VECTORS		4
#define QM_VF_VECTORS		2

/* ---- in-memory contexts (32 bytes, little endian) ------------------------ */

struct qm_sqc {
	__le16 head;
	__le16 tail;
	__le32 base_l;
	__le32 base_h;
	__le32 dw3;
	__le16 w8;
	__le16 rsvd0;
	__le16 pasid;
	__le16 w11;
	__le16 cq_num;
	__le16 w13;
	__le32 rsvd1;
};

struct qm_cqc {
	__le16 head;
	__le16 tail;
	__le32 base_l;
	__le32 base_h;
	__le32 dw3;
	__le16 w8;
	__le16 rsvd0;
	__le16 pasid;
	__le16 w11;
	__le32 dw6;
	__le32 rsvd1;
};

struct qm_eqc {
	__le16 head;
	__le16 tail;
	__le32 base_l;
	__le32 base_h;
	__le32 dw3;
	__le32 rsvd[3];
	__le32 dw6;
};

#define QM_CTX_SIZE		32
static_assert(sizeof(struct qm_sqc) == QM_CTX_SIZE);
static_assert(sizeof(struct qm_cqc) == QM_CTX_SIZE);
static_assert(sizeof(struct qm_eqc) == QM_CTX_SIZE);
static_assert(sizeof(struct qm_cqe) == 16);

/* ---- mailbox --------------------------------------------------------------- */

/*
 * The QM latches a mailbox command from one 128-bit store; a torn command
 * could start with half a context address. The engine only exists on arm64
 * SoCs, where stp writes both halves in one access. Elsewhere (e.g. a device
 * model under an x86 guest) two ordered 64-bit stores, low half first, are
 * the closest the CPU can do; the command runs once its last byte lands.
 */
static void qm_mb_write(struct hisi_qm *qm, u64 lo, u64 hi)
{
	void __iomem *mb = qm->io_base + QM_MB_BASE;

	/* Contexts written to DMA memory must be visible before the command. */
	wmb();
#if IS_ENABLED(CONFIG_ARM64)
	asm volatile("stp %x0, %x1, [%2]\n\tdsb sy"
		     : : "r" (lo), "r" (hi), "r" (mb) : "memory");
#else
	writeq(lo, mb);
	writeq(hi, mb + 8);
#endif
}

/*
 * All ones is no mailbox state (the opcode field has no command 0xf):
 * the function may be gone, and then nobody will clear the busy bit.
 */
static int qm_mb_wait_idle(struct hisi_qm *qm, u32 *w0)
{
	int ret;

	if (hisi_qm_gone(qm))
		return -ENODEV;
	ret = readl_poll_timeout(qm->io_base + QM_MB_BASE, *w0,
				 !(*w0 & QM_MB_BUSY) || *w0 == ~0u, QM_POLL_US,
				 QM_MB_TIMEOUT_US);
	if (!ret && *w0 == ~0u)
		ret = hisi_qm_check_gone(qm) ? -ENODEV : -EIO;
	return ret;
}

/* Run one mailbox command; caller holds mailbox_lock. */
static int qm_mb_locked(struct hisi_qm *qm, u8 cmd, dma_addr_t dma, u16 queue,
			bool op_read)
{
	u64 lo, hi;
	u32 w0;
	int ret;

	lockdep_assert_held(&qm->mailbox_lock);
	ret = qm_mb_wait_idle(qm, &w0);
	if (ret == -ENODEV)
		return ret;
	if (ret) {
		dev_err(qm_dev(qm), "mailbox still busy (%#x) before cmd %u\n", w0, cmd);
		return -EBUSY;
	}

	lo = cmd | QM_MB_BUSY | (op_read ? QM_MB_OP_READ : 0) |
	     (u64)queue << 16 | (u64)lower_32_bits(dma) << 32;
	hi = upper_32_bits(dma);
	qm_mb_write(qm, lo, hi);

	ret = qm_mb_wait_idle(qm, &w0);
	if (ret == -ENODEV)
		return ret;
	if (ret) {
		dev_err(qm_dev(qm), "mailbox cmd %u queue %u %s\n", cmd, queue,
			ret == -EIO ? "read all ones" : "timed out");
		return ret == -EIO ? ret : -ETIMEDOUT;
	}
	if (w0 & QM_MB_STATUS) {
		dev_err(qm_dev(qm), "mailbox cmd %u queue %u failed, status %#lx\n",
			cmd, queue, FIELD_GET(QM_MB_STATUS, w0));
		return -EIO;
	}
	return 0;
}

/* ---- doorbells -------------------------------------------------------------- */

static void qm_db(struct hisi_qm *qm, u16 qn, u8 cmd, u16 index, u8 prio)
{
	u32 reg = (cmd == QM_DB_CMD_SQ || cmd == QM_DB_CMD_CQ) ? QM_DB_SQCQ : QM_DB_EQAEQ;
	u64 v = (qn & QM_DB_QN_MASK) | (u64)cmd << QM_DB_CMD_SHIFT |
		(u64)index << QM_DB_INDEX_SHIFT | (u64)prio << QM_DB_PRIO_SHIFT;

	/* writeq orders the ring entries written before it. */
	writeq(v, qm->io_base + reg);
}

/* ---- PF-only set-up: memory init and the VFT -------------------------------- */

/* Write 1 to a START register and wait for bit 0 of its DONE register. */
static int qm_start_and_wait(struct hisi_qm *qm, u32 start, u32 done, const char *what)
{
	u32 val;
	int ret;

	writel(1, qm->io_base + start);
	ret = readl_poll_timeout(qm->io_base + done, val, val & 1,
				 QM_POLL_US, QM_INIT_TIMEOUT_US);
	if (ret)
		dev_err(qm_dev(qm), "QM %s did not finish within %u us\n", what,
			QM_INIT_TIMEOUT_US);
	return ret;
}

static int qm_mem_init(struct hisi_qm *qm)
{
	return qm_start_and_wait(qm, QM_MEM_START_INIT, QM_MEM_INIT_DONE, "memory init");
}

static int qm_vft_ready(struct hisi_qm *qm)
{
	u32 val;

	return readl_poll_timeout(qm->io_base + QM_VFT_CFG_RDY, val, val & 1,
				  QM_POLL_US, QM_INIT_TIMEOUT_US);
}

static int qm_vft_write(struct hisi_qm *qm, u32 type, u32 fn, u64 word)
{
	void __iomem *base = qm->io_base;

	if (qm_vft_ready(qm))
		return -ETIMEDOUT;
	writel(0, base + QM_VFT_CFG_OP_WR);
	writel(type, base + QM_VFT_CFG_TYPE);
	writel(fn, base + QM_VFT_CFG);
	writel(lower_32_bits(word), base + QM_VFT_CFG_DATA_L);
	writel(upper_32_bits(word), base + QM_VFT_CFG_DATA_H);
	writel(0, base + QM_VFT_CFG_RDY);
	writel(1, base + QM_VFT_CFG_OP_ENABLE);
	return qm_vft_ready(qm) ? -ETIMEDOUT : 0;
}

/* Give function @fn queues [base, base + num); num == 0 takes them away. */
static int qm_set_vft(struct hisi_qm *qm, u32 fn, u32 base, u32 num)
{
	u64 sqc = 0, cqc = 0;
	int ret;

	if (num) {
		sqc = (u64)base << QM_SQC_VFT_BASE_SHIFT | QM_SQC_VFT_VALID |
		      (u64)(num - 1) << QM_SQC_VFT_NUM_SHIFT;
		cqc = QM_CQC_VFT_VALID;
	}
	ret = qm_vft_write(qm, QM_VFT_SQC, fn, sqc);
	if (!ret)
		ret = qm_vft_write(qm, QM_VFT_CQC, fn, cqc);
	if (ret)
		dev_err(qm_dev(qm), "VFT programming for function %u timed out\n", fn);
	return ret;
}

/* ---- SR-IOV (PF) ------------------------------------------------------------ */

/* Take the shares of VFs 1..@num_vfs away again. */
static void qm_clear_vfs_vft(struct hisi_qm *qm, int num_vfs)
{
	int fn;

	for (fn = 1; fn <= num_vfs; fn++)
		qm_set_vft(qm, fn, 0, 0);
}

/*
 * Split the queues the PF does not keep evenly among @num_vfs VFs (VF n
 * gets the n-th share) and enable them. A VF reads its share back through
 * the mailbox when it probes, in this kernel or in a virtual machine.
 * Returns @num_vfs, or a negative errno with nothing left programmed.
 */
int hisi_qm_sriov_enable(struct hisi_qm *qm, int num_vfs)
{
	struct pci_dev *pdev = qm->pdev;
	u32 first = qm->qp_base + qm->qp_num;
	u32 per;
	int fn, ret;

	if (qm->is_vf || num_vfs <= 0)
		return -EINVAL;
	if (num_vfs > pci_sriov_get_totalvfs(pdev) || num_vfs > QM_MAX_VFS_V2)
		return -ERANGE;
	per = (QM_MAX_QP_NUM_V2 - first) / num_vfs;
	if (!per) {
		pci_err(pdev, "no queues left for %d VFs: the PF keeps %u (pf_q_num)\n",
			num_vfs, qm->qp_num);
		return -ENOSPC;
	}
	for (fn = 1; fn <= num_vfs; fn++) {
		ret = qm_set_vft(qm, fn, first + (fn - 1) * per, per);
		if (ret)
			goto err_clear;
	}
	ret = pci_enable_sriov(pdev, num_vfs);
	if (ret) {
		pci_err(pdev, "enabling %d VFs failed: %d\n", num_vfs, ret);
		goto err_clear;
	}
	pci_info(pdev, "%d VFs enabled, %u queues each from queue %u\n", num_vfs, per, first);
	return num_vfs;

err_clear:
	qm_clear_vfs_vft(qm, num_vfs);
	return ret;
}

/*
 * Remove the VFs and take their queues back, unless a VF is assigned to a
 * virtual machine: its guest would be left driving queues that are gone.
 */
int hisi_qm_sriov_disable(struct hisi_qm *qm)
{
	struct pci_dev *pdev = qm->pdev;
	int num_vfs = pci_num_vf(pdev);

	if (!num_vfs)
		return 0;
	if (pci_vfs_assigned(pdev)) {
		pci_err(pdev, "VFs are assigned to virtual machines: not disabling them\n");
		return -EBUSY;
	}
	pci_disable_sriov(pdev);
	if (!hisi_qm_gone(qm))
		qm_clear_vfs_vft(qm, num_vfs);
	pci_info(pdev, "%d VFs disabled\n", num_vfs);
	return 0;
}

/* A VF asks the QM which queues the PF gave it. */
static int qm_get_vft_v2(struct hisi_qm *qm, u32 *base, u32 *num)
{
	u64 w;
	int ret;

	mutex_lock(&qm->mailbox_lock);
	ret = qm_mb_locked(qm, QM_MB_CMD_SQC_VFT_V2, 0, 0, true);
	w = readl(qm->io_base + QM_MB_DATA_L) |
	    (u64)readl(qm->io_base + QM_MB_DATA_H) << 32;
	mutex_unlock(&qm->mailbox_lock);
	if (ret)
		return ret;
	if (!(w & QM_SQC_VFT_VALID))
		return -ENODEV;
	*base = (w >> QM_SQC_VFT_BASE_SHIFT) & QM_SQC_VFT_BASE_MASK;
	*num = ((w >> QM_SQC_VFT_NUM_SHIFT) & QM_SQC_VFT_NUM_MASK) + 1;
	/* A share past the last queue is not ours to trust: refuse it. */
	if (*base >= QM_MAX_QP_NUM_V2 || *num > QM_MAX_QP_NUM_V2 - *base)
		return -ERANGE;
	return 0;
}

/* ---- completion path (EQ vector) -------------------------------------------- */

static void qm_poll_cq(struct hisi_qp *qp)
{
	struct hisi_qm *qm = qp->qm;
	struct qm_cqe *cqe = qp->cqe + qp->cq_head;

	while ((le16_to_cpu(READ_ONCE(cqe->w7)) & 1) == qp->cq_phase) {
		u16 slot;

		/* Read the CQE and the SQE results only after the phase bit. */
		dma_rmb();
		slot = le16_to_cpu(cqe->sq_head);
		qp->completed++;
		if (slot < QM_Q_DEPTH)
			qp->ops->req_done(qp, qp->sqe + (size_t)slot * QM_SQE_SIZE);
		else
			dev_err_ratelimited(qm_dev(qm), "queue %u: CQE %u names SQE %u, outside the ring; dropped\n",
					    qp->qp_id, qp->cq_head, slot);

		if (++qp->cq_head == QM_Q_DEPTH) {
			qp->cq_head = 0;
			qp->cq_phase ^= 1;
		}
		/* Free the CQ slot at once so the hardware never stalls on it. */
		qm_db(qm, qp->qp_id, QM_DB_CMD_CQ, qp->cq_head, 0);
		/* Only now may a sender reuse the SQE slot the callback read. */
		atomic_dec(&qp->used);
		cqe = qp->cqe + qp->cq_head;
	}
	/* Priority 1 re-arms the queue's notification for the next CQE. */
	qm_db(qm, qp->qp_id, QM_DB_CMD_CQ, qp->cq_head, 1);
}

/*
 * A user queue's EQE: count the CQEs written since the last look by their
 * phase bits, read only (the ring is user space's, which also owns the CQ
 * head and re-arms the notification), and tell the owner. Bounded by the
 * depth: user space can write anything into its ring.
 */
static void qm_scan_user_cq(struct hisi_qp *qp)
{
	unsigned int n = 0;

	while (n < QM_Q_DEPTH &&
	       (le16_to_cpu(READ_ONCE(qp->cqe[qp->cq_head].w7)) & 1) == qp->cq_phase) {
		n++;
		if (++qp->cq_head == QM_Q_DEPTH) {
			qp->cq_head = 0;
			qp->cq_phase ^= 1;
		}
	}
	WRITE_ONCE(qp->completed, qp->completed + n);
	if (qp->ops && qp->ops->event)
		qp->ops->event(qp, HISI_QP_EVENT_CQ);
}

/* The started qp for CQ @cqn, or NULL. */
static struct hisi_qp *qm_eq_qp(struct hisi_qm *qm, u32 cqn)
{
	struct hisi_qp *qp;

	if (cqn >= qm->qp_num) {
		dev_err_ratelimited(qm_dev(qm), "EQE for queue %u outside our %u queues; ignored\n",
				    cqn, qm->qp_num);
		return NULL;
	}
	spin_lock(&qm->qps_lock);
	qp = qm->qp_array[cqn];
	if (qp && !qp->started)
		qp = NULL;
	spin_unlock(&qm->qps_lock);
	return qp;
}

static irqreturn_t qm_eq_irq(int irq, void *data)
{
	struct hisi_qm *qm = data;
	unsigned int n = 0, batch = 0;

	if (!readl(qm->io_base + QM_EQ_INT_SOURCE)) {
		/*
		 * Nothing pending: acknowledge so a stale source clears, but
		 * only once the EQ exists (an EQ doorbell before the EQC is
		 * an invalid-doorbell error).
		 */
		if (READ_ONCE(qm->started))
			qm_db(qm, 0, QM_DB_CMD_EQ, qm->eq_head, 0);
		return IRQ_NONE;
	}

	/* Bounded: the QM raises the vector again if entries remain. */
	while (n++ < QM_Q_DEPTH) {
		u32 dw0 = le32_to_cpu(READ_ONCE(qm->eqe[qm->eq_head]));
		struct hisi_qp *qp;

		if (!!(dw0 & QM_EQE_PHASE) != qm->eq_phase)
			break;
		dma_rmb();
		qm->eq_entries++;
		qp = qm_eq_qp(qm, dw0 & QM_EQE_CQN);
		if (qp && qp->owner == HISI_QP_KERNEL)
			qm_poll_cq(qp);
		else if (qp)
			qm_scan_user_cq(qp);
		if (++qm->eq_head == QM_Q_DEPTH) {
			qm->eq_head = 0;
			qm->eq_phase ^= 1;
		}
		if (++batch == QM_EQ_DB_BATCH) {
			batch = 0;
			qm_db(qm, 0, QM_DB_CMD_EQ, qm->eq_head, 0);
		}
	}
	qm_db(qm, 0, QM_DB_CMD_EQ, qm->eq_head, 0);
	return IRQ_HANDLED;
}

/*
 * A user queue has a CQE the EQ handler has not counted yet: its interrupt
 * is on the way. Lock-free and read only, for SDMDEV_WAIT's condition; a
 * torn read of head and phase only makes the answer early or late by one
 * interrupt.
 */
bool hisi_qm_user_cq_pending(struct hisi_qp *qp)
{
	u16 head = READ_ONCE(qp->cq_head);
	u8 phase = READ_ONCE(qp->cq_phase);

	return head < QM_Q_DEPTH &&
	       (le16_to_cpu(READ_ONCE(qp->cqe[head].w7)) & 1) == phase;
}

/* ---- asynchronous events (AEQ vector) ----------------------------------- */

static const char *const qm_aeqe_types[] = {
	"EQ overflow", "CQ overflow", "CQE error",
};

static irqreturn_t qm_aeq_irq(int irq, void *data)
{
	struct hisi_qm *qm = data;
	unsigned int n = 0;

	if (!readl(qm->io_base + QM_AEQ_INT_SOURCE))
		return IRQ_NONE;

	while (n++ < QM_Q_DEPTH) {
		u32 dw0 = le32_to_cpu(READ_ONCE(qm->aeqe[qm->aeq_head]));
		u32 type;

		if (!!(dw0 & QM_EQE_PHASE) != qm->aeq_phase)
			break;
		dma_rmb();
		qm->aeq_events++;
		type = dw0 >> QM_AEQE_TYPE_SHIFT;
		dev_err_ratelimited(qm_dev(qm), "async event: %s (type %u), queue %lu\n",
				    type < ARRAY_SIZE(qm_aeqe_types) ?
				    qm_aeqe_types[type] : "unknown", type,
				    dw0 & QM_AEQE_QN);
		if (++qm->aeq_head == QM_Q_DEPTH) {
			qm->aeq_head = 0;
			qm->aeq_phase ^= 1;
		}
		qm_db(qm, 0, QM_DB_CMD_AEQ, qm->aeq_head, 0);
	}
	return IRQ_HANDLED;
}

/* ---- interrupts ---------------------------------------------------------- */

/*
 * Fallback when the platform cannot give a function several MSI vectors
 * (x86 without interrupt remapping has no multi-message MSI): with one
 * message enabled the function may only send message 0, so one handler looks
 * at every source.
 */
static irqreturn_t qm_shared_irq(int irq, void *data)
{
	struct hisi_qm *qm = data;
	irqreturn_t ret = IRQ_NONE;

	if (readl(qm->io_base + QM_EQ_INT_SOURCE))
		ret |= qm_eq_irq(irq, qm);
	if (readl(qm->io_base + QM_AEQ_INT_SOURCE))
		ret |= qm_aeq_irq(irq, qm);
	if (!qm->is_vf)
		ret |= qm_abnormal_irq(irq, qm);
	return ret;
}

struct qm_vec {
	unsigned int vector;
	irq_handler_t handler;
	const char *name;
	bool pf_only;
};

static const struct qm_vec qm_vecs[] = {
	{ QM_EQ_VECTOR, qm_eq_irq, "hisi_zip-eq", false },
	{ QM_AEQ_VECTOR, qm_aeq_irq, "hisi_zip-aeq", false },
	{ QM_ABNORMAL_VECTOR, qm_abnormal_irq, "hisi_zip-abnormal", true },
};

static const struct qm_vec qm_shared_vec = {
	QM_EQ_VECTOR, qm_shared_irq, "hisi_zip-qm", false
};

static void qm_free_irqs(struct hisi_qm *qm)
{
	while (qm->nr_irqs)
		free_irq(qm->irqs[--qm->nr_irqs], qm);
	if (qm->num_vectors > 0)
		pci_free_irq_vectors(qm->pdev);
	qm->num_vectors = 0;
}

static int qm_request_vec(struct hisi_qm *qm, const struct qm_vec *v)
{
	int irq = pci_irq_vector(qm->pdev, v->vector);
	int ret;

	if (irq < 0)
		return irq;
	ret = request_irq(irq, v->handler, 0, v->name, qm);
	if (ret)
		return ret;
	qm->irqs[qm->nr_irqs++] = irq;
	return 0;
}

/* All vectors the QM defines for this function, or failing that, one. */
static int qm_alloc_vectors(struct hisi_qm *qm)
{
	struct pci_dev *pdev = qm->pdev;
	int want = qm->is_vf ? QM_VF_VECTORS : QM_PF_VECTORS;
	int ret;

	ret = pci_alloc_irq_vectors(pdev, want, want, PCI_IRQ_MSI);
	if (ret == -ENOSPC || ret == -EINVAL) {
		ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
		if (ret > 0)
			pci_info(pdev, "platform gives 1 MSI vector, not %d: EQ, AEQ and errors share it\n",
				 want);
	}
	if (ret < 0) {
		pci_err(pdev, "cannot get MSI vectors: %d\n", ret);
		return ret;
	}
	qm->num_vectors = ret;
	return 0;
}

static int qm_request_irqs(struct hisi_qm *qm)
{
	unsigned int i;
	int ret;

	ret = qm_alloc_vectors(qm);
	if (ret)
		return ret;
	if (qm->num_vectors == 1) {
		ret = qm_request_vec(qm, &qm_shared_vec);
	} else {
		for (i = 0; i < ARRAY_SIZE(qm_vecs) && !ret; i++)
			if (!qm->is_vf || !qm_vecs[i].pf_only)
				ret = qm_request_vec(qm, &qm_vecs[i]);
	}
	if (ret) {
		pci_err(qm->pdev, "cannot request QM interrupts: %d\n", ret);
		qm_free_irqs(qm);
		return ret;
	}
	qm->eq_irq = qm->irqs[0];
	return 0;
}

static void qm_sync_irqs(struct hisi_qm *qm)
{
	unsigned int i;

	for (i = 0; i < qm->nr_irqs; i++)
		synchronize_irq(qm->irqs[i]);
}

/* ---- init / uninit ------------------------------------------------------- */

/*
 * Carve the driver-global block: EQ, AEQ, SQC table, CQC table, EQC, AEQC,
 * and a slot for contexts read back through the mailbox.
 */
static int qm_alloc_global(struct hisi_qm *qm)
{
	size_t eq = sizeof(__le32) * QM_Q_DEPTH;
	size_t tbl = (size_t)QM_CTX_SIZE * qm->qp_num;
	size_t off = 0;

	/* All pieces are multiples of 32 bytes, so each stays 32-B aligned. */
	qm->gdma_size = 2 * eq + 2 * tbl + 3 * QM_CTX_SIZE;
	qm->gdma_va = dma_alloc_coherent(qm_dev(qm), qm->gdma_size, &qm->gdma_dma,
					 GFP_KERNEL);
	if (!qm->gdma_va)
		return -ENOMEM;

#define QM_CARVE(va, dma, len) do {					\
		(va) = qm->gdma_va + off;				\
		(dma) = qm->gdma_dma + off;				\
		off += (len);						\
	} while (0)
	QM_CARVE(qm->eqe, qm->eqe_dma, eq);
	QM_CARVE(qm->aeqe, qm->aeqe_dma, eq);
	QM_CARVE(qm->sqc, qm->sqc_dma, tbl);
	QM_CARVE(qm->cqc, qm->cqc_dma, tbl);
	QM_CARVE(qm->eqc, qm->eqc_dma, QM_CTX_SIZE);
	QM_CARVE(qm->aeqc, qm->aeqc_dma, QM_CTX_SIZE);
	QM_CARVE(qm->rdctx, qm->rdctx_dma, QM_CTX_SIZE);
#undef QM_CARVE
	return 0;
}

static void qm_free_global(struct hisi_qm *qm)
{
	if (qm->gdma_va)
		dma_free_coherent(qm_dev(qm), qm->gdma_size, qm->gdma_va, qm->gdma_dma);
	qm->gdma_va = NULL;
}

/* How many queues this function has, and from which absolute base. */
static int qm_get_qp_range(struct hisi_qm *qm, u32 pf_q_num)
{
	int ret;

	if (!qm->is_vf) {
		if (pf_q_num < 2 || pf_q_num > QM_MAX_QP_NUM_V2)
			return -EINVAL;
		qm->qp_base = 0;
		qm->qp_num = pf_q_num;
		return 0;
	}
	ret = qm_get_vft_v2(qm, &qm->qp_base, &qm->qp_num);
	if (ret == -ENODEV)
		pci_err(qm->pdev, "no queues assigned to this VF by the PF\n");
	else if (ret == -ERANGE)
		pci_err(qm->pdev, "VF queue share %u+%u lies beyond the %u queues\n",
			qm->qp_base, qm->qp_num, QM_MAX_QP_NUM_V2);
	else if (ret)
		pci_err(qm->pdev, "cannot read this VF's queue share (%d)\n", ret);
	return ret;
}

/* Mask everything this function can raise, before its vectors exist. */
static void qm_mask_irqs(struct hisi_qm *qm)
{
	writel(1, qm->io_base + QM_EQ_INT_MASK);
	writel(1, qm->io_base + QM_AEQ_INT_MASK);
	if (!qm->is_vf)
		qm_hw_error_disable(qm);
}

/*
 * Set up @qm for the function @pdev whose BAR 2 is mapped at @io_base: queue
 * range (@pf_q_num for a PF, asked from the QM for a VF), DMA memory and
 * interrupts. The caller has enabled the device and set its DMA mask, and
 * says whether it is a VF: by device ID, since a VF assigned to a virtual
 * machine is not an SR-IOV virtfn there. Nothing is programmed into the QM
 * until hisi_qm_start().
 */
int hisi_qm_init(struct hisi_qm *qm, struct pci_dev *pdev, void __iomem *io_base,
		 bool is_vf, u32 pf_q_num)
{
	int ret;

	qm->pdev = pdev;
	qm->io_base = io_base;
	qm->is_vf = is_vf;
	mutex_init(&qm->mailbox_lock);
	spin_lock_init(&qm->qps_lock);
	qm_error_init(qm);

	ret = qm_get_qp_range(qm, pf_q_num);
	if (ret)
		goto err_mutex;

	ret = -ENOMEM;
	qm->qp_array = kcalloc(qm->qp_num, sizeof(*qm->qp_array), GFP_KERNEL);
	qm->qp_bitmap = bitmap_zalloc(qm->qp_num, GFP_KERNEL);
	if (!qm->qp_array || !qm->qp_bitmap)
		goto err_arrays;
	ret = qm_alloc_global(qm);
	if (ret)
		goto err_arrays;

	qm_mask_irqs(qm);
	ret = qm_request_irqs(qm);
	if (ret)
		goto err_global;
	return 0;

err_global:
	qm_free_global(qm);
err_arrays:
	bitmap_free(qm->qp_bitmap);
	kfree(qm->qp_array);
err_mutex:
	mutex_destroy(&qm->mailbox_lock);
	return ret;
}

/* Undo hisi_qm_init(); the QM must be stopped (hisi_qm_stop). */
void hisi_qm_uninit(struct hisi_qm *qm)
{
	qm_free_irqs(qm);
	qm_free_global(qm);
	bitmap_free(qm->qp_bitmap);
	kfree(qm->qp_array);
	qm->qp_bitmap = NULL;
	qm->qp_array = NULL;
	mutex_destroy(&qm->mailbox_lock);
}

/* ---- start / stop -------------------------------------------------------- */

static void qm_fill_eqc(struct qm_eqc *c, dma_addr_t ring)
{
	memset(c, 0, sizeof(*c));
	c->base_l = cpu_to_le32(lower_32_bits(ring));
	c->base_h = cpu_to_le32(upper_32_bits(ring));
	/* V2: dw3 stays 0; depth and the initial phase (1) live in dw6. */
	c->dw6 = cpu_to_le32((QM_Q_DEPTH - 1) | 1u << QM_EQC_PHASE_SHIFT);
}

static int qm_eq_ctx_cfg(struct hisi_qm *qm)
{
	int ret;

	memset(qm->eqe, 0, sizeof(__le32) * QM_Q_DEPTH);
	memset(qm->aeqe, 0, sizeof(__le32) * QM_Q_DEPTH);
	qm->eq_head = 0;
	qm->eq_phase = 1;
	qm->aeq_head = 0;
	qm->aeq_phase = 1;

	mutex_lock(&qm->mailbox_lock);
	qm_fill_eqc(qm->eqc, qm->eqe_dma);
	ret = qm_mb_locked(qm, QM_MB_CMD_EQC, qm->eqc_dma, 0, false);
	if (!ret) {
		qm_fill_eqc(qm->aeqc, qm->aeqe_dma);
		ret = qm_mb_locked(qm, QM_MB_CMD_AEQC, qm->aeqc_dma, 0, false);
	}
	if (!ret)
		ret = qm_mb_locked(qm, QM_MB_CMD_SQC_BT, qm->sqc_dma, 0, false);
	if (!ret)
		ret = qm_mb_locked(qm, QM_MB_CMD_CQC_BT, qm->cqc_dma, 0, false);
	mutex_unlock(&qm->mailbox_lock);
	return ret;
}

static int qm_cache_writeback(struct hisi_qm *qm)
{
	return qm_start_and_wait(qm, QM_CACHE_WB_START, QM_CACHE_WB_DONE, "cache write-back");
}

/* New queue pairs are only handed out while the QM runs. */
static void qm_set_started(struct hisi_qm *qm, bool started)
{
	unsigned long flags;

	spin_lock_irqsave(&qm->qps_lock, flags);
	qm->started = started;
	spin_unlock_irqrestore(&qm->qps_lock, flags);
}

/*
 * Program the QM: (PF) memory init and our queue range in the VFT, then the
 * event queue contexts and the context base tables, then open the EQ/AEQ and
 * error interrupts.
 */
int hisi_qm_start(struct hisi_qm *qm)
{
	void __iomem *base = qm->io_base;
	int ret;

	if (!qm->is_vf) {
		ret = qm_mem_init(qm);
		if (ret)
			return ret;
		ret = qm_set_vft(qm, 0, qm->qp_base, qm->qp_num);
		if (ret)
			return ret;
	}
	ret = qm_eq_ctx_cfg(qm);
	if (ret)
		goto err_vft;

	if (!qm->is_vf)
		qm_hw_error_enable(qm);
	writel(0, base + QM_EQ_INT_MASK);
	writel(0, base + QM_AEQ_INT_MASK);
	qm_set_started(qm, true);
	qm_error_start(qm);
	pci_info(qm->pdev, "QM started: %u queues from base %u, depth %u\n",
		 qm->qp_num, qm->qp_base, QM_Q_DEPTH);
	return 0;

err_vft:
	if (!qm->is_vf)
		qm_set_vft(qm, 0, 0, 0);
	return ret;
}

/*
 * Quiesce the QM: no more interrupts, hardware-cached contexts written back
 * (they point into memory we are about to free), our queue range withdrawn.
 * Every queue pair must have been released. A function that is gone is
 * not written to: it raises nothing and caches nothing, and each write
 * would only go to a dead link (a hypervisor may log every one).
 */
void hisi_qm_stop(struct hisi_qm *qm)
{
	bool gone = hisi_qm_gone(qm);

	if (!qm->started)
		return;
	if (qm->qp_in_use)
		pci_err(qm->pdev, "stopping the QM with %u queue pairs in use\n",
			qm->qp_in_use);
	if (!gone)
		qm_mask_irqs(qm);
	qm_sync_irqs(qm);
	qm_error_stop(qm);
	if (!gone) {
		qm_cache_writeback(qm);
		if (!qm->is_vf)
			qm_set_vft(qm, 0, 0, 0);
	}
	qm_set_started(qm, false);
}

/* ---- queue pairs ------------------------------------------------------------ */

/*
 * Reserve a queue pair for @owner with its ring memory. @alg_type goes into
 * the SQC and selects what the engine does with every SQE of this queue
 * (ZIP: compress or decompress).
 */
struct hisi_qp *hisi_qm_create_qp(struct hisi_qm *qm, u8 alg_type,
				  enum hisi_qp_owner owner)
{
	size_t sq_size = (size_t)QM_SQE_SIZE * QM_Q_DEPTH;
	struct hisi_qp *qp;
	unsigned long flags;
	u32 id;
	int ret;

	if ((owner != HISI_QP_KERNEL && owner != HISI_QP_USER) || alg_type > 0xf)
		return ERR_PTR(-EINVAL);
	qp = kzalloc(sizeof(*qp), GFP_KERNEL);
	if (!qp)
		return ERR_PTR(-ENOMEM);
	qp->qm = qm;
	qp->alg_type = alg_type;
	qp->owner = owner;
	spin_lock_init(&qp->sq_lock);

	/* SQ then CQ in one block; the coherent allocation is page aligned. */
	qp->qdma_size = sq_size + sizeof(struct qm_cqe) * QM_Q_DEPTH;
	qp->qdma_va = dma_alloc_coherent(qm_dev(qm), qp->qdma_size, &qp->qdma_dma,
					 GFP_KERNEL);
	if (!qp->qdma_va) {
		ret = -ENOMEM;
		goto err_free;
	}
	qp->sqe = qp->qdma_va;
	qp->sqe_dma = qp->qdma_dma;
	qp->cqe = qp->qdma_va + sq_size;
	qp->cqe_dma = qp->qdma_dma + sq_size;

	spin_lock_irqsave(&qm->qps_lock, flags);
	id = qm->started ? find_first_zero_bit(qm->qp_bitmap, qm->qp_num) : qm->qp_num;
	if (id < qm->qp_num) {
		set_bit(id, qm->qp_bitmap);
		qm->qp_array[id] = qp;
		qm->qp_in_use++;
	}
	spin_unlock_irqrestore(&qm->qps_lock, flags);
	if (id >= qm->qp_num) {
		ret = qm->started ? -EBUSY : -ENODEV;
		goto err_dma;
	}
	qp->qp_id = id;
	return qp;

err_dma:
	dma_free_coherent(qm_dev(qm), qp->qdma_size, qp->qdma_va, qp->qdma_dma);
err_free:
	kfree(qp);
	return ERR_PTR(ret);
}

static void qm_fill_sqc(struct hisi_qp *qp, struct qm_sqc *c)
{
	memset(c, 0, sizeof(*c));
	c->base_l = cpu_to_le32(lower_32_bits(qp->sqe_dma));
	c->base_h = cpu_to_le32(upper_32_bits(qp->sqe_dma));
	c->dw3 = cpu_to_le32((QM_Q_DEPTH - 1) |
			     ilog2(QM_SQE_SIZE) << QM_SQC_SQE_SIZE_SHIFT);
	c->cq_num = cpu_to_le16(qp->qp_id);
	c->w13 = cpu_to_le16(1 << QM_SQC_ORDERS_SHIFT |
			     (qp->alg_type & 0xf) << QM_SQC_ALG_SHIFT);
}

static void qm_fill_cqc(struct hisi_qp *qp, struct qm_cqc *c)
{
	/*
	 * Every queue posts EQEs: the kernel consumes its own CQs from the EQ
	 * interrupt, and for a user queue the EQ handler only reads the phase
	 * bits to wake SDMDEV_WAIT sleepers (see the top of the file).
	 */
	u32 dw6 = QM_CQC_PHASE | QM_CQC_FLAG;

	memset(c, 0, sizeof(*c));
	c->base_l = cpu_to_le32(lower_32_bits(qp->cqe_dma));
	c->base_h = cpu_to_le32(upper_32_bits(qp->cqe_dma));
	c->dw3 = cpu_to_le32((QM_Q_DEPTH - 1) | QM_CQE_SIZE_LOG2 << QM_CQC_CQE_SIZE_SHIFT);
	c->dw6 = cpu_to_le32(dw6);
}

/* Give the hardware this queue's SQC and CQC, through their table slots. */
static int qm_qp_ctx_cfg(struct hisi_qp *qp)
{
	struct hisi_qm *qm = qp->qm;
	size_t off = (size_t)QM_CTX_SIZE * qp->qp_id;
	int ret;

	mutex_lock(&qm->mailbox_lock);
	qm_fill_sqc(qp, qm->sqc + off);
	ret = qm_mb_locked(qm, QM_MB_CMD_SQC, qm->sqc_dma + off, qp->qp_id, false);
	if (!ret) {
		qm_fill_cqc(qp, qm->cqc + off);
		ret = qm_mb_locked(qm, QM_MB_CMD_CQC, qm->cqc_dma + off, qp->qp_id,
				   false);
	}
	mutex_unlock(&qm->mailbox_lock);
	return ret;
}

/*
 * Start @qp with empty rings. For a kernel queue, @ops->req_done is called
 * for each completion (see qm.h); a user queue takes no sends, and
 * @ops->event (optional) hears of its completions.
 */
int hisi_qm_start_qp(struct hisi_qp *qp, const struct hisi_qp_ops *ops, void *priv)
{
	struct hisi_qm *qm = qp->qm;
	unsigned long flags;
	int ret;

	if (qp->owner == HISI_QP_KERNEL && (!ops || !ops->req_done))
		return -EINVAL;
	if (qp->started || qp->hw_busy || atomic_read(&qp->used))
		return -EBUSY;	/* the hardware may still write its rings */

	memset(qp->qdma_va, 0, qp->qdma_size);
	qp->sq_tail = 0;
	qp->cq_head = 0;
	qp->cq_phase = 1;
	qp->ops = ops;
	qp->priv = priv;

	ret = qm_qp_ctx_cfg(qp);
	if (ret)
		return ret;

	spin_lock_irqsave(&qm->qps_lock, flags);
	qp->started = true;
	spin_unlock_irqrestore(&qm->qps_lock, flags);
	spin_lock_irqsave(&qp->sq_lock, flags);
	qp->sq_open = true;
	spin_unlock_irqrestore(&qp->sq_lock, flags);
	return 0;
}

/*
 * Queue one SQE (QM_SQE_SIZE bytes) on a started kernel queue and ring the
 * SQ doorbell. -EBUSY when the ring is full: at most depth - 1 SQEs are in
 * flight, because tail == head means "empty" to the hardware.
 */
int hisi_qm_send(struct hisi_qp *qp, const void *sqe)
{
	unsigned long flags;
	int ret = 0;

	if (qp->owner != HISI_QP_KERNEL)
		return -EPERM;

	spin_lock_irqsave(&qp->sq_lock, flags);
	if (!qp->sq_open) {
		ret = -ESHUTDOWN;
	} else if (atomic_read(&qp->used) >= QM_Q_DEPTH - 1) {
		ret = -EBUSY;
	} else {
		memcpy(qp->sqe + (size_t)qp->sq_tail * QM_SQE_SIZE, sqe, QM_SQE_SIZE);
		qp->sq_tail = (qp->sq_tail + 1) % QM_Q_DEPTH;
		qp->sent++;
		atomic_inc(&qp->used);
		qm_db(qp->qm, qp->qp_id, QM_DB_CMD_SQ, qp->sq_tail, 0);
	}
	spin_unlock_irqrestore(&qp->sq_lock, flags);
	return ret;
}

/* Read the QM's live copy of a queue context (with head and tail). */
static int qm_read_ctx(struct hisi_qp *qp, u8 cmd, u16 *head, u16 *tail)
{
	struct hisi_qm *qm = qp->qm;
	struct qm_sqc *c = qm->rdctx;	/* head/tail sit alike in SQC and CQC */
	int ret;

	mutex_lock(&qm->mailbox_lock);
	memset(c, 0, QM_CTX_SIZE);
	ret = qm_mb_locked(qm, cmd, qm->rdctx_dma, qp->qp_id, true);
	/* The QM wrote the context by DMA before it cleared the busy bit. */
	dma_rmb();
	*head = le16_to_cpu(READ_ONCE(c->head));
	*tail = le16_to_cpu(READ_ONCE(c->tail));
	mutex_unlock(&qm->mailbox_lock);
	return ret;
}

/*
 * Whether the hardware is done with a user queue: every SQE taken (SQ head
 * at the tail) and completed (a CQE for each, so the CQ tail is there too:
 * both rings start at 0 and the SQ and CQ are paired 1:1). -EIO when the
 * QM cannot be asked.
 */
static int qm_user_qp_idle(struct hisi_qp *qp, bool *idle)
{
	u16 sq_head, sq_tail, cq_head, cq_tail;
	int ret;

	ret = qm_read_ctx(qp, QM_MB_CMD_SQC, &sq_head, &sq_tail);
	if (!ret)
		ret = qm_read_ctx(qp, QM_MB_CMD_CQC, &cq_head, &cq_tail);
	if (ret)
		return ret;
	*idle = sq_head == sq_tail && cq_tail == sq_tail;
	if (!*idle)
		dev_dbg(qm_dev(qp->qm), "user queue %u: SQ head %u tail %u, CQ tail %u\n",
			qp->qp_id, sq_head, sq_tail, cq_tail);
	return 0;
}

/* True while the hardware may still have work of @qp (see stop_qp). */
static bool qm_qp_busy(struct hisi_qp *qp, int *err)
{
	bool idle = false;

	if (qp->owner == HISI_QP_KERNEL)
		return atomic_read(&qp->used);
	*err = qm_user_qp_idle(qp, &idle);
	return *err || !idle;
}

/*
 * Stop accepting SQEs, let the hardware finish those it has (their results
 * still arrive through the callback), then stop processing the CQ. V2 has no
 * per-queue stop command: the context stays in the QM until reprogrammed.
 * A user queue must have been taken away from user space first; the kernel
 * does not count its requests, so the QM's own SQ/CQ positions are read
 * back through the mailbox.
 *
 * Returns 0 when the hardware is done with the queue's memory, -EBUSY when
 * it may still read or write it after QM_QP_DRAIN_MS (or cannot be asked):
 * hisi_qm_release_qp() then keeps the rings and the queue number for good.
 */
int hisi_qm_stop_qp(struct hisi_qp *qp)
{
	struct hisi_qm *qm = qp->qm;
	unsigned int waited = 0;
	unsigned long flags;
	bool busy = false;
	int err = 0;

	spin_lock_irqsave(&qp->sq_lock, flags);
	qp->sq_open = false;
	spin_unlock_irqrestore(&qp->sq_lock, flags);

	while (!hisi_qm_gone(qm) && (busy = qm_qp_busy(qp, &err)) && !err &&
	       READ_ONCE(qp->started) && waited++ < QM_QP_DRAIN_MS)
		usleep_range(1000, 2000);

	spin_lock_irqsave(&qm->qps_lock, flags);
	qp->started = false;
	spin_unlock_irqrestore(&qm->qps_lock, flags);
	synchronize_irq(qm->eq_irq);

	/* A function that is gone does no DMA: what it had is lost, not busy. */
	if (hisi_qm_gone(qm)) {
		atomic_set(&qp->used, 0);
		return 0;
	}
	/* The EQ handler is done with the queue: its count no longer moves. */
	if (qp->owner == HISI_QP_KERNEL)
		busy = atomic_read(&qp->used);
	if (!busy)
		return 0;
	qp->hw_busy = true;
	if (qp->owner == HISI_QP_KERNEL)
		pci_err(qm->pdev, "queue %u stopped with %d requests still in the hardware\n",
			qp->qp_id, atomic_read(&qp->used));
	else if (err)
		pci_err(qm->pdev, "user queue %u stopped, but the QM did not say whether it is idle (%d)\n",
			qp->qp_id, err);
	else
		pci_err(qm->pdev, "user queue %u stopped with requests still in the hardware after %u ms\n",
			qp->qp_id, QM_QP_DRAIN_MS);
	return -EBUSY;
}

/* Stop @qp if needed and give it back. Its memory is kept if DMA may follow. */
void hisi_qm_release_qp(struct hisi_qp *qp)
{
	struct hisi_qm *qm = qp->qm;
	unsigned long flags;
	bool leak;

	if (qp->started || qp->sq_open)
		hisi_qm_stop_qp(qp);

	/*
	 * The EQ handler stopped looking at this qp. If the hardware still
	 * holds requests (hw_busy, set by the stop), it may write the rings
	 * and post completions for this queue number later: keep both out of
	 * reach (memory leaked, number never handed out again).
	 */
	leak = qp->hw_busy;
	spin_lock_irqsave(&qm->qps_lock, flags);
	qm->qp_array[qp->qp_id] = NULL;
	if (!leak)
		clear_bit(qp->qp_id, qm->qp_bitmap);
	qm->qp_in_use--;
	spin_unlock_irqrestore(&qm->qps_lock, flags);
	synchronize_irq(qm->eq_irq);

	if (leak)
		pci_err(qm->pdev, "queue %u: leaking its rings (%zu bytes) and its number, the hardware may still use them\n",
			qp->qp_id, qp->qdma_size);
	else
		dma_free_coherent(qm_dev(qm), qp->qdma_size, qp->qdma_va, qp->qdma_dma);
	kfree(qp);
}
