// SPDX-License-Identifier: GPL-2.0
/*
 * User driver for api "hisi_qm_v2": HiSilicon QM V2 queues (Kunpeng 920)
 * with the ZIP engine behind them.
 *
 * The ring region is the queue pair's SQ (1024 x 128 B) followed by its CQ
 * (1024 x 16 B). A request is an SQE written at sq_tail and a V2 doorbell
 * (queue [11:0], cmd [15:12], index [47:32]) with the new tail; the engine
 * writes its results back into the SQE and posts a CQE naming the slot
 * (sq_head) whose phase bit (bit 0 of the last 16-bit word) flips on every
 * lap of the ring; software starts expecting phase 1. Each consumed CQE is
 * released with a CQ doorbell carrying the new head, which is also what
 * lets the QM keep posting. See the QM/ZIP facts in docs/hardware-model.md.
 *
 * Everything here runs without system calls after init, and the queue
 * belongs to one thread at a time (wd_queue.h), so there are no locks.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/vfio.h>
#include <misc/sdmdev.h>

#include "../queue_internal.h"
#include "../sysfs.h"
#include "../wd_comp.h"

#define QM_Q_DEPTH	1024
#define QM_SQE_SIZE	128
#define QM_CQE_SIZE	16
#define QM_DB_CMD_SQ	0ULL
#define QM_DB_CMD_CQ	1ULL

/* ZIP SQE words (dw numbers) and status codes. */
#define SQE_CONSUMED	0
#define SQE_PRODUCED	1
#define SQE_DW3		3
#define SQE_IN_LEN	4
#define SQE_DW7		7
#define SQE_DW9		9
#define SQE_TAG		13
#define SQE_AVAIL_OUT	14
#define SQE_CTX_DW0	15
#define SQE_SRC		18
#define SQE_DST		20
#define SQE_STREAM_CTX	22
#define SQE_ISIZE	30
#define SQE_CKSUM	31

#define DW7_FINISH	(1U << 25)
#define DW7_STATEFUL	(1U << 26)
#define DW7_NEW		(1U << 27)
#define DW3_LAST_BLOCK	(1U << 8)

#define ZIP_ST_OK		0x00
#define ZIP_ST_BAD_REQ		0x01
#define ZIP_ST_AXI		0x02
#define ZIP_ST_DATA		0x08
#define ZIP_ST_NEGACOMP		0x0d
#define ZIP_ST_DSTLEN		0x0e
#define ZIP_ST_CRC		0x10
#define ZIP_ST_CTX		0x11
#define ZIP_ST_DECOMP_END	0x13

struct hisi_qm_ring {
	uint8_t *sq;
	const volatile uint8_t *cq;
	uint32_t sq_tail;
	uint32_t cq_head;
	uint16_t qn;
	uint8_t phase;
};

static struct hisi_qm_ring *ring_of(const struct wd_queue *q)
{
	return q->drv_priv;
}

static int qm_init(struct wd_queue *q)
{
	struct hisi_qm_ring *r;
	size_t need = QM_Q_DEPTH * (QM_SQE_SIZE + QM_CQE_SIZE);

	if (!q->region[SDMDEV_REGION_RING] ||
	    q->region_size[SDMDEV_REGION_RING] < need)
		return WD_ENODEV;
	if (!q->test && (!q->region[SDMDEV_REGION_MMIO] ||
			 q->region_size[SDMDEV_REGION_MMIO] < 8))
		return WD_ENODEV;
	r = calloc(1, sizeof(*r));
	if (!r)
		return WD_ENOMEM;
	r->sq = q->region[SDMDEV_REGION_RING];
	r->cq = r->sq + QM_Q_DEPTH * QM_SQE_SIZE;
	r->qn = (uint16_t)(q->queue_id & 0xfff);
	r->phase = 1;
	q->drv_priv = r;
	q->depth = QM_Q_DEPTH - 1;
	return WD_OK;
}

static void qm_exit(struct wd_queue *q)
{
	free(q->drv_priv);
	q->drv_priv = NULL;
}

static void qm_db(struct wd_queue *q, uint16_t qn, uint64_t cmd,
		  uint32_t index)
{
	wd_queue_doorbell(q, 0, qn | cmd << 12 | (uint64_t)index << 32);
}

static int qm_send(struct wd_queue *q, const void *desc)
{
	struct hisi_qm_ring *r = ring_of(q);

	/* a full ring would have tail == head, which reads as empty */
	if (q->inflight == QM_Q_DEPTH - 1)
		return WD_EBUSY;
	memcpy(r->sq + (size_t)r->sq_tail * QM_SQE_SIZE, desc, QM_SQE_SIZE);
	r->sq_tail = (r->sq_tail + 1) & (QM_Q_DEPTH - 1);
	q->inflight++;
	/* the SQE must reach memory before the device hears of it */
	wd_wmb();
	qm_db(q, r->qn, QM_DB_CMD_SQ, r->sq_tail);
	return WD_OK;
}

static const volatile uint8_t *qm_cqe(const struct hisi_qm_ring *r)
{
	return r->cq + (size_t)r->cq_head * QM_CQE_SIZE;
}

static bool qm_ready(const struct wd_queue *q)
{
	const struct hisi_qm_ring *r = ring_of(q);

	return (qm_cqe(r)[QM_CQE_SIZE - 2] & 1) == r->phase;
}

static int qm_recv(struct wd_queue *q, void *desc)
{
	struct hisi_qm_ring *r = ring_of(q);
	const volatile uint8_t *cqe;
	uint16_t slot;
	bool ours;

	do {
		cqe = qm_cqe(r);
		if ((cqe[QM_CQE_SIZE - 2] & 1) != r->phase)
			return WD_EAGAIN;
		/* the SQE's results were written before the CQE */
		wd_rmb();
		slot = (uint16_t)(cqe[8] | cqe[9] << 8) & (QM_Q_DEPTH - 1);
		/*
		 * Only a slot in flight, [sq_tail - inflight, sq_tail), is
		 * ours: a CQE naming any other (a confused or reset device)
		 * is released and dropped, or inflight would wrap and
		 * wd_queue_sync() wait for ever.
		 */
		ours = ((r->sq_tail - 1u - slot) & (QM_Q_DEPTH - 1)) < q->inflight;
		if (ours)
			memcpy(desc, r->sq + (size_t)slot * QM_SQE_SIZE, QM_SQE_SIZE);
		if (++r->cq_head == QM_Q_DEPTH) {
			r->cq_head = 0;
			r->phase ^= 1;
		}
		qm_db(q, r->qn, QM_DB_CMD_CQ, r->cq_head);
	} while (!ours);
	q->inflight--;
	return WD_OK;
}

static int qm_set_alg(struct wd_queue *q, unsigned int alg)
{
	if (alg > 1)
		return WD_EINVAL;
	if (q->inflight)
		return WD_EBUSY;
	if (q->test)
		return q->test->set_alg ?
		       q->test->set_alg(q->test->opaque, q->queue_id, alg) :
		       WD_EOPNOTSUPP;
	if (!ioctl(q->device, HISI_QM_SDMDEV_SET_ALG, (unsigned long)alg))
		return WD_OK;
	/* a hisi_zip without the ioctl: its queues only compress */
	if (errno == ENOTTY || errno == EINVAL)
		return WD_EOPNOTSUPP;
	return wd_errno_status(errno);
}

/* ---- ZIP requests ------------------------------------------------------- */

static void put32(uint8_t *sqe, unsigned int dw, uint32_t v)
{
	uint8_t *p = sqe + 4 * dw;

	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put64(uint8_t *sqe, unsigned int dw, uint64_t v)
{
	put32(sqe, dw, (uint32_t)v);
	put32(sqe, dw + 1, (uint32_t)(v >> 32));
}

static uint32_t get32(const uint8_t *sqe, unsigned int dw)
{
	const uint8_t *p = sqe + 4 * dw;

	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void zip_fill(void *desc, const struct wd_comp_msg *m)
{
	uint8_t *sqe = desc;
	uint32_t dw7 = 0;

	memset(sqe, 0, QM_SQE_SIZE);
	if (m->stateful) {
		dw7 = DW7_STATEFUL;
		if (m->new_stream)
			dw7 |= DW7_NEW;
		if (m->finish)
			dw7 |= DW7_FINISH;
	}
	put32(sqe, SQE_IN_LEN, m->in_len);
	put32(sqe, SQE_DW7, dw7);
	put32(sqe, SQE_DW9, m->format & 0xff);	/* flat buffers */
	put32(sqe, SQE_TAG, m->tag);
	put32(sqe, SQE_AVAIL_OUT, m->out_cap);
	put64(sqe, SQE_SRC, m->src);
	put64(sqe, SQE_DST, m->dst);
	put64(sqe, SQE_STREAM_CTX, m->ctx);
	put32(sqe, SQE_ISIZE, m->isize);
	put32(sqe, SQE_CKSUM, m->cksum);
}

static int zip_status(unsigned int st)
{
	switch (st) {
	case ZIP_ST_OK:
	case ZIP_ST_NEGACOMP:	/* output longer than input: still valid */
	case ZIP_ST_DECOMP_END:
		return WD_OK;
	case ZIP_ST_DSTLEN:
		return WD_ENOSPC;
	case ZIP_ST_DATA:
	case ZIP_ST_CRC:
		return WD_EBADMSG;
	case ZIP_ST_BAD_REQ:
		return WD_EOPNOTSUPP;
	default:		/* DMA failures, lost stream context, ... */
		return WD_EIO;
	}
}

static void zip_parse(const void *desc, struct wd_comp_msg *m)
{
	const uint8_t *sqe = desc;
	uint32_t dw3 = get32(sqe, SQE_DW3);

	m->hw_status = dw3 & 0xff;
	m->status = zip_status(m->hw_status);
	m->end = m->hw_status == ZIP_ST_DECOMP_END || (dw3 & DW3_LAST_BLOCK);
	m->resend = (get32(sqe, SQE_CTX_DW0) & 0xf) == 1;
	m->consumed = get32(sqe, SQE_CONSUMED);
	m->produced = get32(sqe, SQE_PRODUCED);
	m->tag = get32(sqe, SQE_TAG);
	m->isize = get32(sqe, SQE_ISIZE);
	m->cksum = get32(sqe, SQE_CKSUM);
}

const struct wd_drv wd_drv_hisi_qm_v2 = {
	.api = "hisi_qm_v2",
	.desc_size = QM_SQE_SIZE,
	.init = qm_init,
	.exit = qm_exit,
	.send = qm_send,
	.recv = qm_recv,
	.ready = qm_ready,
	.set_alg = qm_set_alg,
	.comp_fill = zip_fill,
	.comp_parse = zip_parse,
};
