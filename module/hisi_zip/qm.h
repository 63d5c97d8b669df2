/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qm.h - HiSilicon queue manager (QM V2) and the in-module queue API.
 *
 * The QM owns a range of hardware queue pairs (SQ + CQ). Two consumers use
 * them through this API: the kernel compression path, which submits SQEs and
 * gets completions from the EQ interrupt, and sdmdev, which hands whole
 * queues to user space. A queue pair is created for exactly one owner and
 * the kernel path never touches a queue whose owner is user space.
 *
 * Lifecycle:   hisi_qm_init -> hisi_qm_start -> ... -> hisi_qm_stop -> hisi_qm_uninit
 * Queue pair:  hisi_qm_create_qp -> hisi_qm_start_qp -> hisi_qm_send ... ->
 *              hisi_qm_stop_qp -> hisi_qm_release_qp
 *
 * Context rules (details at the top of qm.c and qm_error.c):
 *  - everything except hisi_qm_send() may sleep;
 *  - hisi_qm_send() may be called from any context, including the
 *    completion callback;
 *  - the callbacks of struct hisi_qp_ops run in atomic context (hard IRQ
 *    of the EQ vector, or under a spinlock), must not sleep and must not
 *    stop or release any queue pair.
 */
#ifndef HISI_ZIP_QM_H
#define HISI_ZIP_QM_H

#include <linux/atomic.h>
#include <linux/irqreturn.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#define QM_HW_V2		0x21	/* PCI revision of a QM V2 */
#define QM_SQE_SIZE		128	/* ZIP SQEs */
#define QM_Q_DEPTH		1024	/* SQ/CQ/EQ/AEQ entries */
#define QM_MAX_QP_NUM_V2	1024
#define QM_MAX_VFS_V2		63
#define QM_GONE			0	/* bit of hisi_qm.status: reads all ones */

enum hisi_qp_owner {
	HISI_QP_KERNEL = 1,	/* kernel submits and completes requests */
	HISI_QP_USER,		/* rings belong to a user-space process */
};

/* ZIP SQC alg_type: the direction is a property of the queue, not the SQE. */
enum hisi_zip_alg_type {
	HZIP_ALG_TYPE_COMP = 0,
	HZIP_ALG_TYPE_DECOMP = 1,
};

struct hisi_qp;

enum hisi_qp_event {
	/* User queue: the hardware wrote CQEs the EQ handler had not seen. */
	HISI_QP_EVENT_CQ,
	/*
	 * The QM or the engine reported an error (abnormal interrupt) that
	 * may have lost or damaged requests of any queue: the owner should
	 * fail what it has in flight and replace the queue pair.
	 */
	HISI_QP_EVENT_ERROR,
	/*
	 * The function is gone (surprise removal, link down: its registers
	 * read all ones): nothing in flight will complete and no queue can be
	 * started again. The owner fails what it has and stops using the
	 * queue; stop and release then free its memory at once.
	 */
	HISI_QP_EVENT_GONE,
};

struct hisi_qp_ops {
	/*
	 * Kernel queues (required): called once per completed SQE with a
	 * pointer to the SQE slot in the ring, where the hardware wrote its
	 * results (status, consumed, produced). The slot is reused as soon as
	 * the callback returns: copy what is needed.
	 */
	void (*req_done)(struct hisi_qp *qp, void *sqe);
	/* Optional, any queue. */
	void (*event)(struct hisi_qp *qp, enum hisi_qp_event ev);
};

/* One 16-byte completion queue entry. */
struct qm_cqe {
	__le32 rsvd0;
	__le16 cmd_id;
	__le16 rsvd1;
	__le16 sq_head;
	__le16 sq_num;
	__le16 rsvd2;
	__le16 w7;		/* bit 0: phase */
};

struct hisi_qp {
	struct hisi_qm *qm;
	u32 qp_id;		/* function-relative queue number */
	u8 alg_type;
	enum hisi_qp_owner owner;

	/* One coherent block: SQ (QM_SQE_SIZE * depth) then CQ. */
	void *qdma_va;
	dma_addr_t qdma_dma;
	size_t qdma_size;
	void *sqe;
	dma_addr_t sqe_dma;
	struct qm_cqe *cqe;
	dma_addr_t cqe_dma;

	spinlock_t sq_lock;	/* sq_tail, SQ slots, the SQ doorbell */
	u16 sq_tail;
	/*
	 * Kernel queue: the next CQE to consume. User queue: the next CQE the
	 * EQ handler has not seen yet (user space keeps its own head).
	 * EQ handler only (and start, before use).
	 */
	u16 cq_head;
	u8 cq_phase;
	atomic_t used;		/* kernel queue: SQEs sent and not yet completed */
	bool sq_open;		/* sends accepted; under sq_lock */
	bool started;		/* CQ is processed; under qps_lock */
	bool hw_busy;		/* stopped while the hardware may still use it */

	/* Counters for debugfs; each written by one context. */
	u64 sent;		/* under sq_lock */
	u64 completed;		/* EQ handler: CQEs seen */
	atomic64_t errors;	/* requests the owner saw fail */

	const struct hisi_qp_ops *ops;
	void *priv;		/* for the owner */
};

struct hisi_qm {
	struct pci_dev *pdev;
	void __iomem *io_base;
	bool is_vf;
	u32 qp_base;
	u32 qp_num;

	/* Driver-global coherent block: EQ, AEQ, SQC table, CQC table, EQC, AEQC. */
	void *gdma_va;
	dma_addr_t gdma_dma;
	size_t gdma_size;
	__le32 *eqe;
	dma_addr_t eqe_dma;
	__le32 *aeqe;
	dma_addr_t aeqe_dma;
	void *sqc;
	dma_addr_t sqc_dma;
	void *cqc;
	dma_addr_t cqc_dma;
	void *eqc;
	dma_addr_t eqc_dma;
	void *aeqc;
	dma_addr_t aeqc_dma;
	void *rdctx;		/* where mailbox reads put a context */
	dma_addr_t rdctx_dma;

	u16 eq_head;		/* EQ handler only */
	u8 eq_phase;
	u16 aeq_head;		/* AEQ handler only */
	u8 aeq_phase;

	/* Statistics, each written by one handler only; read with READ_ONCE. */
	u64 eq_entries;
	u64 aeq_events;
	u64 abnormal_errors;
	u64 error_resets;	/* err_work only */
	u64 user_errors;	/* err_work only: user queues told of errors */

	/* Asks the queues' owners to reset after an abnormal interrupt. */
	struct work_struct err_work;
	/* While started: looks once a second whether the function is gone. */
	struct delayed_work gone_work;
	unsigned long status;	/* QM_GONE: atomic bitops */

	struct mutex mailbox_lock;	/* the mailbox registers and ctx slots */
	spinlock_t qps_lock;		/* qp_array, qp_bitmap, qp_in_use, started */
	struct hisi_qp **qp_array;
	unsigned long *qp_bitmap;
	u32 qp_in_use;

	int num_vectors;		/* MSI vectors allocated */
	unsigned int nr_irqs;		/* entries of irqs[] requested */
	int irqs[3];
	bool started;			/* queue pairs may be created */

	int eq_irq;		/* Linux IRQ number of the EQ vector */

	/*
	 * Engine-specific error report (PF), called from the abnormal IRQ;
	 * returns true if it found and cleared an error, and sets *fatal when
	 * requests may have been lost or damaged.
	 */
	bool (*engine_error)(struct hisi_qm *qm, bool *fatal);
};

int hisi_qm_init(struct hisi_qm *qm, struct pci_dev *pdev, void __iomem *io_base,
		 bool is_vf, u32 pf_q_num);
void hisi_qm_uninit(struct hisi_qm *qm);
int hisi_qm_start(struct hisi_qm *qm);
void hisi_qm_stop(struct hisi_qm *qm);
int hisi_qm_sriov_enable(struct hisi_qm *qm, int num_vfs);
int hisi_qm_sriov_disable(struct hisi_qm *qm);

struct hisi_qp *hisi_qm_create_qp(struct hisi_qm *qm, u8 alg_type,
				  enum hisi_qp_owner owner);
int hisi_qm_start_qp(struct hisi_qp *qp, const struct hisi_qp_ops *ops, void *priv);
int hisi_qm_send(struct hisi_qp *qp, const void *sqe);
int hisi_qm_stop_qp(struct hisi_qp *qp);
bool hisi_qm_user_cq_pending(struct hisi_qp *qp);
void hisi_qm_release_qp(struct hisi_qp *qp);
bool hisi_qm_gone(struct hisi_qm *qm);
bool hisi_qm_check_gone(struct hisi_qm *qm);
bool hisi_qm_look_gone(struct hisi_qm *qm);

/*
 * Between qm.c and qm_error.c only, not for the engine driver: the error
 * side of the QM (qm_error.c) and what it needs of the rest.
 */
#define QM_MB_BASE		0x300	/* mailbox; never reads all ones */

static inline struct device *qm_dev(struct hisi_qm *qm)
{
	return &qm->pdev->dev;
}

irqreturn_t qm_abnormal_irq(int irq, void *data);
void qm_hw_error_enable(struct hisi_qm *qm);
void qm_hw_error_disable(struct hisi_qm *qm);
void qm_error_init(struct hisi_qm *qm);
void qm_error_start(struct hisi_qm *qm);
void qm_error_stop(struct hisi_qm *qm);

#endif /* HISI_ZIP_QM_H */
