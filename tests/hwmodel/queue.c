// SPDX-License-Identifier: GPL-2.0
/*
 * queue.c - queue ownership (VFT), the mailbox, doorbells, the EQ/AEQ event
 * rings and completion posting (CQE, EQE, AEQE, interrupts).
 */
#include <string.h>

#include "model_internal.h"

/* ---- ownership --------------------------------------------------------- */

/*
 * V2 SQC VFT word: base in bits [43:28] (the model reads 16 bits, the 5.4
 * driver's read-back only looks at 6 of them), valid bit 44, number - 1 in
 * bits [54:45]. The CQC VFT is stored but ownership follows the SQC VFT.
 */
void fn_qrange(const struct zipm *m, unsigned int fn, unsigned int *base,
	       unsigned int *num)
{
	uint64_t w = m->vft[0][fn];
	unsigned int b = (unsigned int)((w >> 28) & 0xffff);
	unsigned int n = (unsigned int)((w >> 45) & 0x3ff) + 1;

	*base = 0;
	*num = 0;
	if (!(w & (1ull << 44)) || b >= ZIPM_QUEUES)
		return;
	if (n > ZIPM_QUEUES - b)
		n = ZIPM_QUEUES - b;
	*base = b;
	*num = n;
}

struct zq *fn_queue(struct zipm_fn *f, unsigned int qn)
{
	unsigned int base, num;

	fn_qrange(f->m, f->idx, &base, &num);
	return qn < num ? &f->m->q[base + qn] : NULL;
}

/* A queue that has been programmed by @f and is still inside its VFT range. */
static struct zq *fn_live_queue(struct zipm_fn *f, unsigned int qn)
{
	struct zq *q = fn_queue(f, qn);

	return q && q->owner == (int)f->idx ? q : NULL;
}

/* ---- run list ---------------------------------------------------------- */

static bool cpl_space_locked(struct zipm *m, struct zq *q)
{
	struct zipm_fn *f = &m->fn[q->owner];

	if (q->cq_used >= q->cq_depth)
		return false;
	return !q->cq_flag || !f->eq.valid || f->eq.used < f->eq.depth;
}

bool queue_runnable_locked(struct zipm *m, struct zq *q)
{
	struct zipm_fn *f;

	if (q->owner < 0 || q->busy || !q->sqc_ok || !q->cqc_ok)
		return false;
	f = &m->fn[q->owner];
	if (!f->attached || f->stopping)
		return false;
	if (q->cpl_pending)
		return cpl_space_locked(m, q);
	return q->sq_head != q->sq_tail;
}

void queue_kick_locked(struct zipm *m, struct zq *q)
{
	if (q->queued || !queue_runnable_locked(m, q))
		return;
	q->queued = true;
	q->next = NULL;
	if (m->run_tail)
		m->run_tail->next = q;
	else
		m->run_head = q;
	m->run_tail = q;
	pthread_cond_signal(&m->work_cv);
}

/* The run list may hold queues that stopped being runnable; callers skip. */
void queue_clear_locked(struct zq *q)
{
	uint32_t gen = q->gen + 1;
	bool queued = q->queued, busy = q->busy;
	struct zq *next = q->next;

	memset(q, 0, sizeof(*q));
	q->owner = -1;
	q->gen = gen;
	q->queued = queued;
	q->busy = busy;
	q->next = next;
}

void fn_queues_stop_locked(struct zipm_fn *f)
{
	unsigned int i;

	for (i = 0; i < ZIPM_QUEUES; i++)
		if (f->m->q[i].owner == (int)f->idx)
			queue_clear_locked(&f->m->q[i]);
}

void fn_queues_kick_locked(struct zipm_fn *f)
{
	unsigned int i;

	for (i = 0; i < ZIPM_QUEUES; i++)
		if (f->m->q[i].owner == (int)f->idx)
			queue_kick_locked(f->m, &f->m->q[i]);
}

static void fn_kick_stalled_locked(struct zipm_fn *f)
{
	unsigned int i;

	for (i = 0; i < ZIPM_QUEUES; i++) {
		struct zq *q = &f->m->q[i];

		if (q->owner == (int)f->idx && q->cpl_pending)
			queue_kick_locked(f->m, q);
	}
}

/* ---- mailbox ----------------------------------------------------------- */

static bool sqc_apply(struct zq *q, const uint8_t *c)
{
	uint32_t dw3 = get_le32(c + 0x0c);

	/* ZIP SQEs are 128 bytes; the model knows no other engine. */
	if (((dw3 >> 12) & 0xf) != 7)
		return false;
	/* Only the 1:1 SQ/CQ pairing every driver uses is modelled. */
	if (get_le16(c + 0x18) != q->qn)
		return false;
	memcpy(q->sqc, c, ZIPM_CTX_SIZE);
	q->sq_depth = (dw3 & 0xfff) + 1;
	q->sq_head = get_le16(c + 0x00) % q->sq_depth;
	q->sq_tail = get_le16(c + 0x02) % q->sq_depth;
	q->sq_base = get_le64(c + 0x04);
	q->decomp = ((get_le16(c + 0x1a) >> 8) & 0xf) == 1;
	q->sqc_ok = true;
	return true;
}

static bool cqc_apply(struct zq *q, const uint8_t *c)
{
	uint32_t dw3 = get_le32(c + 0x0c);
	uint32_t dw6 = get_le32(c + 0x18);

	if (((dw3 >> 12) & 0xf) != 4)
		return false;
	memcpy(q->cqc, c, ZIPM_CTX_SIZE);
	q->cq_depth = (dw3 & 0xfff) + 1;
	q->cq_head = get_le16(c + 0x00) % q->cq_depth;
	q->cq_tail = get_le16(c + 0x02) % q->cq_depth;
	q->cq_used = (q->cq_tail + q->cq_depth - q->cq_head) % q->cq_depth;
	q->cq_base = get_le64(c + 0x04);
	q->cq_phase = dw6 & 1;
	q->cq_flag = dw6 & 2;
	q->cqc_ok = true;
	return true;
}

static void eqc_apply(struct zring *r, const uint8_t *c)
{
	uint32_t dw6 = get_le32(c + 0x1c);

	r->depth = (dw6 & 0xffff) + 1;
	r->head = get_le16(c + 0x00) % r->depth;
	r->tail = get_le16(c + 0x02) % r->depth;
	r->used = (r->tail + r->depth - r->head) % r->depth;
	r->base = get_le64(c + 0x04);
	r->phase = (dw6 >> 16) & 1;
	r->valid = true;
}

/* Program a queue context; false = reject with mailbox error status. */
static bool mb_queue_ctx(struct zipm_fn *f, unsigned int cmd, unsigned int qn,
			 const uint8_t *ctx, struct irqbatch *b)
{
	struct zq *q = fn_queue(f, qn);
	bool ok;

	if (!q) {
		abnormal_raise_locked(f->m, cmd == MB_SQC ? ABN_SQ_VF_INVALID :
				      ABN_CQ_VF_INVALID, f->idx, b);
		return false;
	}
	if (q->owner != (int)f->idx) {
		/* First context from a new owner: start from a clean queue. */
		queue_clear_locked(q);
		q->owner = (int)f->idx;
		q->qn = qn;
	}
	q->gen++;		/* results of work in flight are dropped */
	q->cpl_pending = false;
	q->ovf_reported = false;
	ok = cmd == MB_SQC ? sqc_apply(q, ctx) : cqc_apply(q, ctx);
	if (!ok) {
		if (cmd == MB_SQC)
			q->sqc_ok = false;
		else
			q->cqc_ok = false;
	}
	queue_kick_locked(f->m, q);
	return ok;
}

/* Context image for a mailbox read, with the live ring pointers filled in. */
static bool mb_ctx_image(struct zipm_fn *f, unsigned int cmd, unsigned int qn,
			 uint8_t *img)
{
	struct zq *q;

	switch (cmd) {
	case MB_SQC:
	case MB_CQC:
		q = fn_live_queue(f, qn);
		if (!q)
			return false;
		memcpy(img, cmd == MB_SQC ? q->sqc : q->cqc, ZIPM_CTX_SIZE);
		put_le16(img, (uint16_t)(cmd == MB_SQC ? q->sq_head :
					 q->cq_head));
		put_le16(img + 2, (uint16_t)(cmd == MB_SQC ? q->sq_tail :
					     q->cq_tail));
		return true;
	case MB_EQC:
		memcpy(img, f->eqc, ZIPM_CTX_SIZE);
		put_le16(img, (uint16_t)f->eq.head);
		put_le16(img + 2, (uint16_t)f->eq.tail);
		return true;
	case MB_AEQC:
		memcpy(img, f->aeqc, ZIPM_CTX_SIZE);
		put_le16(img, (uint16_t)f->aeq.head);
		put_le16(img + 2, (uint16_t)f->aeq.tail);
		return true;
	}
	return false;
}

/* Run a DMA on behalf of the mailbox with zipm.lock dropped. */
static int mb_dma_unlocked(struct zipm_fn *f, bool write, uint64_t addr,
			   uint8_t *buf)
{
	struct zipm *m = f->m;
	int ret;

	if (!fn_get_locked(f))
		return -1;
	pthread_mutex_unlock(&m->lock);
	ret = write ? f->ops.dma_write(f->opaque, addr, buf, ZIPM_CTX_SIZE) :
		      f->ops.dma_read(f->opaque, addr, buf, ZIPM_CTX_SIZE);
	pthread_mutex_lock(&m->lock);
	if (--f->users == 0)
		pthread_cond_broadcast(&m->idle_cv);
	return ret;
}

static bool mb_write_cmd(struct zipm_fn *f, unsigned int cmd, unsigned int qn,
			 uint64_t addr, struct irqbatch *b)
{
	uint8_t ctx[ZIPM_CTX_SIZE];

	switch (cmd) {
	case MB_SQC_BT:
		f->sqc_bt = addr;
		return true;
	case MB_CQC_BT:
		f->cqc_bt = addr;
		return true;
	case MB_SQC:
	case MB_CQC:
	case MB_EQC:
	case MB_AEQC:
		break;
	default:
		return false;
	}
	if (mb_dma_unlocked(f, false, addr, ctx)) {
		abnormal_raise_locked(f->m, ABN_AXI_RRESP, f->idx, b);
		return false;
	}
	if (f->stopping || !f->attached)
		return false;
	if (cmd == MB_EQC) {
		memcpy(f->eqc, ctx, sizeof(ctx));
		eqc_apply(&f->eq, ctx);
		fn_kick_stalled_locked(f);
		return true;
	}
	if (cmd == MB_AEQC) {
		memcpy(f->aeqc, ctx, sizeof(ctx));
		eqc_apply(&f->aeq, ctx);
		return true;
	}
	return mb_queue_ctx(f, cmd, qn, ctx, b);
}

static bool mb_read_cmd(struct zipm_fn *f, unsigned int cmd, unsigned int qn,
			uint64_t addr, struct irqbatch *b)
{
	uint8_t img[ZIPM_CTX_SIZE];
	uint64_t w;

	switch (cmd) {
	case MB_SQC_VFT:
		w = f->m->vft[0][f->idx];
		put_le32(f->mb + 4, (uint32_t)w);
		put_le32(f->mb + 8, (uint32_t)(w >> 32));
		return true;
	case MB_SQC_BT:
	case MB_CQC_BT:
		return true;	/* tables live in guest memory already */
	}
	if (!mb_ctx_image(f, cmd, qn, img))
		return false;
	if (mb_dma_unlocked(f, true, addr, img)) {
		abnormal_raise_locked(f->m, ABN_AXI_BRESP, f->idx, b);
		return false;
	}
	return true;
}

void mailbox_exec_locked(struct zipm_fn *f, struct irqbatch *b)
{
	uint16_t w0 = get_le16(f->mb);
	unsigned int cmd = w0 & MB_CMD_MASK;
	unsigned int qn = get_le16(f->mb + 2);
	uint64_t addr = get_le64(f->mb + 4);
	bool ok;

	if (w0 & MB_OP_READ)
		ok = mb_read_cmd(f, cmd, qn, addr, b);
	else
		ok = mb_write_cmd(f, cmd, qn, addr, b);
	w0 = get_le16(f->mb);	/* the DMA ran unlocked; keep what is there */
	w0 &= ~(MB_BUSY | MB_STATUS_MASK);
	if (!ok)
		w0 |= 1u << MB_STATUS_SHIFT;
	put_le16(f->mb, w0);
}

/* ---- event rings ------------------------------------------------------- */

static void ring_advance(struct zring *r)
{
	r->used++;
	if (++r->tail == r->depth) {
		r->tail = 0;
		r->phase ^= 1;
	}
}

/* Release entries the driver consumed; false if @idx is impossible. */
static bool ring_release(uint32_t *head, uint32_t *used, uint32_t depth,
			 uint32_t idx)
{
	uint32_t freed;

	if (idx >= depth)
		return false;
	freed = (idx + depth - *head) % depth;
	if (freed > *used)
		return false;
	*used -= freed;
	*head = idx;
	return true;
}

/*
 * The source register is "pending entries exist". The vector fires when it
 * becomes pending and again whenever the driver acknowledges with a doorbell
 * while entries remain, so an entry landing during the driver's last scan is
 * never left without an interrupt.
 */
static void ring_doorbell(struct zipm_fn *f, bool aeq, uint32_t idx,
			  struct irqbatch *b)
{
	struct zring *r = aeq ? &f->aeq : &f->eq;
	bool *src = aeq ? &f->aeq_src : &f->eq_src;
	uint32_t mask = aeq ? f->aeq_mask : f->eq_mask;

	if (!r->valid || !ring_release(&r->head, &r->used, r->depth, idx)) {
		abnormal_raise_locked(f->m, ABN_DB_RANDOM_INVALID, f->idx, b);
		return;
	}
	*src = r->used != 0;
	if (*src && !mask)
		irq_defer(b, f, aeq ? ZIPM_VEC_AEQ : ZIPM_VEC_EQ);
	if (!aeq)
		fn_kick_stalled_locked(f);
}

void eq_mask_write_locked(struct zipm_fn *f, bool aeq, uint32_t v,
			  struct irqbatch *b)
{
	uint32_t *mask = aeq ? &f->aeq_mask : &f->eq_mask;
	bool src = aeq ? f->aeq_src : f->eq_src;

	if (*mask && !v && src)
		irq_defer(b, f, aeq ? ZIPM_VEC_AEQ : ZIPM_VEC_EQ);
	*mask = v;
}

static void cq_doorbell(struct zipm_fn *f, struct zq *q, uint32_t idx,
			struct irqbatch *b)
{
	if (!q->cqc_ok ||
	    !ring_release(&q->cq_head, &q->cq_used, q->cq_depth, idx)) {
		abnormal_raise_locked(f->m, ABN_DB_RANDOM_INVALID, f->idx, b);
		return;
	}
	/* Priority 1 ("re-arm") needs nothing: the model always notifies. */
	queue_kick_locked(f->m, q);
}

/* V2 doorbell: qn [11:0], cmd [15:12], rand [31:16], index [47:32]. */
void doorbell_locked(struct zipm_fn *f, uint64_t v, struct irqbatch *b)
{
	unsigned int qn = v & 0xfff;
	unsigned int cmd = (v >> 12) & 0xf;
	uint32_t idx = (v >> 32) & 0xffff;
	struct zq *q;

	switch (cmd) {
	case DB_SQ:
	case DB_CQ:
		q = fn_live_queue(f, qn);
		if (!q) {
			abnormal_raise_locked(f->m, cmd == DB_SQ ?
					      ABN_SQ_VF_INVALID :
					      ABN_CQ_VF_INVALID, f->idx, b);
			return;
		}
		if (cmd == DB_CQ) {
			cq_doorbell(f, q, idx, b);
			return;
		}
		if (!q->sqc_ok || idx >= q->sq_depth) {
			abnormal_raise_locked(f->m, ABN_DB_RANDOM_INVALID,
					      f->idx, b);
			return;
		}
		q->sq_tail = idx;
		queue_kick_locked(f->m, q);
		return;
	case DB_EQ:
		ring_doorbell(f, false, idx, b);
		return;
	case DB_AEQ:
		ring_doorbell(f, true, idx, b);
		return;
	}
	abnormal_raise_locked(f->m, ABN_DB_RANDOM_INVALID, f->idx, b);
}

/* ---- completion ---------------------------------------------------------- */

struct cpl_plan {
	bool cqe, eqe, aeqe;
	uint64_t cqe_addr, eqe_addr, aeqe_addr;
	uint8_t cqe_buf[ZIPM_CQE_SIZE];
	uint8_t eqe_buf[4], aeqe_buf[4];
};

static void plan_aeqe(struct zipm_fn *f, struct zq *q, unsigned int type,
		      struct cpl_plan *p)
{
	struct zring *r = &f->aeq;

	if (!r->valid || r->used >= r->depth)
		return;		/* AEQ full: the event is lost */
	p->aeqe = true;
	p->aeqe_addr = r->base + 4ull * r->tail;
	put_le32(p->aeqe_buf, q->qn | (uint32_t)r->phase << 16 | type << 17);
	ring_advance(r);
}

/* Reserve ring slots under zipm.lock; returns false if the queue stalls. */
static bool plan_completion(struct zipm_fn *f, struct zq *q, uint32_t sq_idx,
			    struct cpl_plan *p)
{
	struct zring *eq = &f->eq;

	if (!cpl_space_locked(f->m, q)) {
		q->cpl_pending = true;
		q->cpl_idx = sq_idx;
		if (!q->ovf_reported) {
			q->ovf_reported = true;
			plan_aeqe(f, q, q->cq_used >= q->cq_depth ?
				  AEQE_CQ_OVERFLOW : AEQE_EQ_OVERFLOW, p);
		}
		return false;
	}
	q->cpl_pending = false;
	q->ovf_reported = false;

	p->cqe = true;
	p->cqe_addr = q->cq_base + (uint64_t)ZIPM_CQE_SIZE * q->cq_tail;
	memset(p->cqe_buf, 0, sizeof(p->cqe_buf));
	put_le16(p->cqe_buf + 0x8, (uint16_t)sq_idx);
	put_le16(p->cqe_buf + 0xa, (uint16_t)q->qn);
	put_le16(p->cqe_buf + 0xe, q->cq_phase);
	q->cq_used++;
	if (++q->cq_tail == q->cq_depth) {
		q->cq_tail = 0;
		q->cq_phase ^= 1;
	}
	if (q->cq_flag && eq->valid) {
		p->eqe = true;
		p->eqe_addr = eq->base + 4ull * eq->tail;
		put_le32(p->eqe_buf, q->qn | (uint32_t)eq->phase << 16);
		ring_advance(eq);
	}
	return true;
}

/* After the entries are in memory: update sources, pick interrupts. */
static void finish_completion(struct zipm_fn *f, const struct cpl_plan *p,
			      struct irqbatch *b)
{
	if (p->cqe)
		f->m->fault.cqe_posted++;
	if (p->eqe && !f->eq_src && f->eq.used) {
		f->eq_src = true;
		if (!f->eq_mask)
			irq_defer(b, f, ZIPM_VEC_EQ);
	}
	if (p->aeqe && !f->aeq_src && f->aeq.used) {
		f->aeq_src = true;
		if (!f->aeq_mask)
			irq_defer(b, f, ZIPM_VEC_AEQ);
	}
}

/*
 * Post the CQE (and EQE) for SQE @sq_idx of @q, or park the completion if the
 * CQ or EQ is full; a CQ/EQ doorbell that frees space requeues it. The caller
 * holds a reference on @f and not zipm.lock.
 */
void complete_request(struct zipm_fn *f, struct zq *q, uint32_t gen,
		      uint32_t sq_idx)
{
	struct zipm *m = f->m;
	struct cpl_plan p = { 0 };
	struct irqbatch b = { 0 };
	int err = 0;

	pthread_mutex_lock(&f->cpl_lock);
	pthread_mutex_lock(&m->lock);
	if (q->gen != gen) {
		pthread_mutex_unlock(&m->lock);
		pthread_mutex_unlock(&f->cpl_lock);
		return;
	}
	plan_completion(f, q, sq_idx, &p);
	pthread_mutex_unlock(&m->lock);

	if (p.cqe)
		err |= f->ops.dma_write(f->opaque, p.cqe_addr, p.cqe_buf,
					sizeof(p.cqe_buf));
	if (p.eqe)
		err |= f->ops.dma_write(f->opaque, p.eqe_addr, p.eqe_buf,
					sizeof(p.eqe_buf));
	if (p.aeqe)
		err |= f->ops.dma_write(f->opaque, p.aeqe_addr, p.aeqe_buf,
					sizeof(p.aeqe_buf));

	pthread_mutex_lock(&m->lock);
	if (err)
		abnormal_raise_locked(m, ABN_AXI_BRESP, f->idx, &b);
	finish_completion(f, &p, &b);
	pthread_mutex_unlock(&m->lock);
	/* Interrupts go out while cpl_lock keeps later entries behind them. */
	irq_flush(m, &b);
	pthread_mutex_unlock(&f->cpl_lock);
}
