// SPDX-License-Identifier: GPL-2.0
/*
 * zip_crypto.c - the ZIP engine behind the kernel's acomp API.
 *
 * Two algorithms, "deflate" (raw RFC 1951, request type 1) and
 * "zlib-deflate" (RFC 1950, request type 2), driver names
 * hisi-deflate-acomp and hisi-zlib-deflate-acomp, priority 300 (the
 * software deflate is 0 on 6.1/6.12 and below 300 on 7.x). They are
 * registered when the first ZIP function probes and unregistered when the
 * last one goes; if transforms are still alive then (a PCI unbind while
 * zswap holds one), unregistering would trip the crypto core's refcount
 * check, so it waits for module exit. The orphaned transforms go on in
 * software (zip_fallback.c): at unbind each gets a synchronous software
 * transform of the same algorithm, which also serves the requests still in
 * flight or in the backlog (the callers' buffers are intact; only our
 * bounce buffers may still be written by the engine).
 *
 * Design: a transform gets its own pair of queues on the function with the
 * fewest transforms, one compress and one decompress queue (the direction
 * is a property of the queue). Requests are one-shot: the whole input is
 * copied into a DMA bounce buffer and the whole output comes back from one,
 * never chunked. Each queue has HZIP_SLOTS request slots with preallocated
 * 16 KiB + 16 KiB buffers (zswap's page-sized requests never allocate);
 * bigger requests get a coherent buffer of their own, up to HZIP_MAX_LEN
 * (4 MiB, the largest contiguous allocation the page allocator guarantees
 * to consider) each way; larger inputs fail with -E2BIG.
 *
 * compress()/decompress() only queue the request on the queue's backlog
 * and kick the queue's work item: bounce buffers may need a sleeping
 * allocation, and copying a large scatterlist does not belong in the
 * caller's (possibly atomic) context. The work item, on an unbound
 * WQ_MEM_RECLAIM workqueue because zswap calls us from reclaim, finishes
 * completed slots, detects timeouts, and moves backlog into free slots.
 * The EQ interrupt only records the result in the slot and kicks the work
 * item; acomp_request_complete() is called from the work item with bottom
 * halves disabled, the context crypto callers expect.
 *
 * User space first: while sdmdev hands the function to a process in IOMMU
 * mode (its memory then shares the function's IOMMU domain with our bounce
 * buffers), the function is "user owned": claiming it fails with -EBUSY
 * while transforms are attached to it, and new transforms go to other
 * functions (or fail with -ENODEV, so the crypto API user falls back to
 * software) until the process lets go.
 *
 * Backlog: up to HZIP_BACKLOG_MAX waiting requests per queue; beyond that a
 * request without CRYPTO_TFM_REQ_MAY_BACKLOG gets -EBUSY, one with it is
 * queued anyway, gets -EBUSY and later an -EINPROGRESS notification.
 *
 * Timeout: a request the engine has not completed after acomp_timeout_ms
 * fails with -ETIMEDOUT together with every other request in flight on
 * that queue, and the queue is replaced: the old queue pair is released
 * (the QM keeps its rings and number while the hardware may still write
 * them) and the slots' bounce buffers are leaked for the same reason
 * unless the old queue drained when it was stopped.
 *
 * Device errors: after an abnormal interrupt that may have lost or damaged
 * requests, the QM sends HISI_QP_EVENT_ERROR to every queue; the work item
 * then fails the requests in flight with -EIO and replaces the queue the
 * same way. Results that completed before are delivered as they are.
 *
 * Function gone (surprise removal; the QM finds out within a second, or
 * at the next timeout, and sends HISI_QP_EVENT_GONE): the work item gives
 * the transform its software implementation at once (hzip_sw_get, see
 * zip_fallback.c), and the requests in flight, the backlog and every later
 * request run there (hzip_detached_run). No replacement queue is tried.
 * A transform made while every device is gone is a software one from the
 * start.
 *
 * Error mapping: 0x0e (output does not fit) -ENOSPC; 0x08 (bad deflate
 * data) and 0x10 (checksum mismatch) -EINVAL, what zlib-based software
 * deflate returns; anything else -EIO. Zero-length compression is done in
 * software (an empty final block); zero-length decompression is -EINVAL.
 *
 * Locking:
 *   hzip_reg_lock (mutex)    - hzip_reg_devs, hzip_algs_reg, hzip_wq
 *                              creation; held across crypto_(un)register,
 *                              so never taken from a transform's init/exit.
 *   hzip_crypto_lock (mutex) - hzip_crypto_devs, every cdev->tfms and
 *                              ntfms, tctx->cdev, hzip_live_tfms.
 *                              tctx->sw is set once (hzip_sw_install, by
 *                              detach or by the work item of a queue that
 *                              found its function gone) before the queue
 *                              dies; read after seeing a dead queue under
 *                              q->lock; freed with the transform. Its own
 *                              lock is zip_fallback.c's, taken under none
 *                              of ours.
 *                              Held while a transform attaches or detaches
 *                              (sleeps).
 *   q->lock (spinlock)       - q->qp, q->dead, q->error, the backlog and
 *                              every slot's state/req/result. Taken by the
 *                              EQ hard IRQ, hence irqsave everywhere else,
 *                              and by the QM's error event inside its
 *                              qps_lock (so never take qps_lock under it:
 *                              no queue API call with q->lock held).
 * The work item of a queue never runs concurrently with itself; it alone
 * fills, submits and frees slots. Detach stops it (dead, then
 * cancel_delayed_work_sync) before touching the queue pair.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <crypto/acompress.h>
#include <crypto/internal/acompress.h>

#include "wd_compat.h"
#include "zip.h"
#include "zip_crypto.h"

#define HZIP_ALG_PRIORITY	300
#define HZIP_SLOTS		16
#define HZIP_SMALL		SZ_16K		/* preallocated, each way */
#define HZIP_MAX_LEN		SZ_4M		/* per request, each way */
#define HZIP_BACKLOG_MAX	256
#define HZIP_ZLIB_HDR		2
#define HZIP_LAST_BLOCK		BIT(8)		/* dw3: the stream ended */
#define HZIP_STATUS_NO_ROOM	0x0e
#define HZIP_STATUS_BAD_DATA	0x08
#define HZIP_STATUS_BAD_CSUM	0x10

static unsigned int acomp_timeout_ms = 3000;
module_param(acomp_timeout_ms, uint, 0644);
MODULE_PARM_DESC(acomp_timeout_ms,
		 "Fail a crypto request the engine has not completed after this long and reset its queue (ms, default 3000)");

enum hzip_stat {
	HZIP_STAT_COMP,
	HZIP_STAT_DECOMP,
	HZIP_STAT_BYTES_IN,
	HZIP_STAT_BYTES_OUT,
	HZIP_STAT_ERRORS,
	HZIP_STAT_TIMEOUTS,
	HZIP_STAT_RESETS,
	HZIP_STAT_BUSY,
	HZIP_STAT_BIG,
	HZIP_STAT_SOFTWARE,
	HZIP_STAT_NR,
};

static const char *const hzip_stat_names[HZIP_STAT_NR] = {
	"compress requests", "decompress requests", "bytes in", "bytes out",
	"errors", "timeouts", "queue resets", "busy", "large buffers",
	"in flight when gone, done in software",
};

enum hzip_slot_state { HZIP_FREE, HZIP_PREP, HZIP_INFLIGHT, HZIP_DONE };

struct hzip_buf {
	void *va;
	dma_addr_t dma;
	size_t size;
};

struct hzip_slot {
	enum hzip_slot_state state;
	struct acomp_req *req;
	struct hzip_buf small;	/* in: [0, HZIP_SMALL), out: [HZIP_SMALL, 2 * HZIP_SMALL) */
	struct hzip_buf big;	/* this request's own buffer, or none */
	u8 *out;		/* where the output (with its zlib header) starts */
	u32 hdr;		/* zlib header bytes written by software (compress) */
	unsigned long deadline;
	u32 dw3;
	u32 produced;
};

struct hzip_tfm_ctx;

struct hzip_qctx {
	struct hzip_tfm_ctx *t;
	u8 alg_type;
	spinlock_t lock;	/* qp, dead, error, backlog, slot states (see the top) */
	struct hisi_qp *qp;
	bool dead;
	bool error;		/* the QM reported an error: reset */
	struct list_head backlog;
	unsigned int nbacklog;
	struct hzip_slot slots[HZIP_SLOTS];
	struct delayed_work work;
};

struct hzip_cdev {
	struct list_head node;
	struct hisi_zip *hzip;
	struct list_head tfms;
	unsigned int ntfms;
	bool user_owned;	/* sdmdev's process has the function */
	struct dentry *dbg_stats;
	struct dentry *dbg_test;
	struct mutex test_lock;	/* test_result, held, held_alg */
	char test_result[256];
	struct crypto_acomp *held;	/* "hold ALG": reused by the tests */
	char held_alg[16];
	atomic64_t stat[HZIP_STAT_NR];
};

struct hzip_tfm_ctx {
	struct hzip_cdev *cdev;	/* NULL once detached */
	struct hzip_sw *sw;	/* software, once its device goes away or is gone */
	struct list_head node;	/* on cdev->tfms */
	struct device *dev;	/* DMA device while attached */
	atomic64_t *stat;	/* cdev->stat while attached */
	u8 req_type;
	struct hzip_qctx q[2];	/* indexed by enum hisi_zip_alg_type */
};

struct hzip_req {
	struct list_head node;
	struct acomp_req *req;	/* the request this context belongs to */
	bool backlogged;	/* got -EBUSY, owes an -EINPROGRESS */
};

static DEFINE_MUTEX(hzip_reg_lock);
static unsigned int hzip_reg_devs;
static unsigned long hzip_algs_reg;	/* bit i: hzip_algs[i] is registered */
static struct workqueue_struct *hzip_wq;

static DEFINE_MUTEX(hzip_crypto_lock);
static LIST_HEAD(hzip_crypto_devs);
static unsigned int hzip_live_tfms;

static void hzip_stat_add(struct hzip_qctx *q, enum hzip_stat s, u64 n)
{
	atomic64_add(n, &q->t->stat[s]);
}

static void hzip_complete(struct acomp_req *req, int err)
{
	/* Crypto callers expect completions in softirq-like context. */
	local_bh_disable();
	acomp_request_complete(req, err);
	local_bh_enable();
}

/* zlib's compressBound(), plus room for the header. */
static u32 hzip_comp_bound(u32 len)
{
	return len + (len >> 12) + (len >> 14) + 64;
}

/* RFC 1950: deflate, window <= 32 KiB, FCHECK, no preset dictionary. */
static int hzip_zlib_hdr_check(const u8 *p, u32 len)
{
	if (len < HZIP_ZLIB_HDR || (p[0] & 0x0f) != 8 || (p[0] >> 4) > 7 ||
	    ((p[0] << 8) | p[1]) % 31 || (p[1] & 0x20))
		return -EINVAL;
	return 0;
}

/* ---- the EQ interrupt --------------------------------------------------- */

static void hzip_qp_done(struct hisi_qp *qp, void *sqe_slot)
{
	const struct hisi_zip_sqe *sqe = sqe_slot;
	struct hzip_qctx *q = qp->priv;
	u32 tag = le32_to_cpu(sqe->tag);
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	/* A queue replaced after a timeout may still complete: ignore it. */
	if (qp == q->qp && tag < HZIP_SLOTS && q->slots[tag].state == HZIP_INFLIGHT) {
		q->slots[tag].dw3 = le32_to_cpu(sqe->dw3);
		q->slots[tag].produced = le32_to_cpu(sqe->produced);
		q->slots[tag].state = HZIP_DONE;
		if (!q->dead)
			mod_delayed_work(hzip_wq, &q->work, 0);
	}
	spin_unlock_irqrestore(&q->lock, flags);
}

/* The QM reported an error that may have hit this queue, or the function is gone. */
static void hzip_qp_event(struct hisi_qp *qp, enum hisi_qp_event ev)
{
	struct hzip_qctx *q = qp->priv;
	unsigned long flags;

	if (ev != HISI_QP_EVENT_ERROR && ev != HISI_QP_EVENT_GONE)
		return;
	spin_lock_irqsave(&q->lock, flags);
	if (qp == q->qp && !q->dead) {
		q->error = true;
		mod_delayed_work(hzip_wq, &q->work, 0);
	}
	spin_unlock_irqrestore(&q->lock, flags);
}

static const struct hisi_qp_ops hzip_qp_ops = {
	.req_done = hzip_qp_done,
	.event = hzip_qp_event,
};

/* ---- slots --------------------------------------------------------------- */

static int hzip_slot_bufs_alloc(struct hzip_qctx *q)
{
	struct device *dev = q->t->dev;
	int i;

	for (i = 0; i < HZIP_SLOTS; i++) {
		struct hzip_buf *b = &q->slots[i].small;

		if (b->va)
			continue;
		b->size = 2 * HZIP_SMALL;
		b->va = dma_alloc_coherent(dev, b->size, &b->dma, GFP_KERNEL);
		if (!b->va)
			return -ENOMEM;
	}
	return 0;
}

static void hzip_buf_free(struct device *dev, struct hzip_buf *b)
{
	if (b->va)
		dma_free_coherent(dev, b->size, b->va, b->dma);
	b->va = NULL;
}

/* The hardware may still write a slot's buffers: forget them, never free. */
static void hzip_slot_leak(struct hzip_slot *s)
{
	s->small.va = NULL;
	s->big.va = NULL;
}

/* Copy the input in and build the SQE; the slot is ours (HZIP_PREP). */
static int hzip_prepare(struct hzip_qctx *q, unsigned int idx, struct hisi_zip_sqe *sqe)
{
	struct hzip_slot *s = &q->slots[idx];
	struct acomp_req *req = s->req;
	bool decomp = q->alg_type == HZIP_ALG_TYPE_DECOMP;
	bool zlib = q->t->req_type == HZIP_REQ_ZLIB;
	u32 in_len = req->slen, out_len, skip = 0;
	dma_addr_t in_dma, out_dma;
	u8 *in;

	out_len = decomp ? min_t(u32, req->dlen, HZIP_MAX_LEN) :
			   min_t(u32, req->dlen, hzip_comp_bound(in_len));
	if (in_len <= HZIP_SMALL && out_len <= HZIP_SMALL) {
		if (!s->small.va)
			return -ENOMEM;
		in = s->small.va;
		in_dma = s->small.dma;
		s->out = in + HZIP_SMALL;
		out_dma = in_dma + HZIP_SMALL;
	} else {
		size_t in_room = ALIGN(in_len, 64);

		s->big.size = in_room + out_len;
		s->big.va = dma_alloc_coherent(q->t->dev, s->big.size, &s->big.dma,
					       GFP_KERNEL | __GFP_NOWARN);
		if (!s->big.va)
			return -ENOMEM;
		hzip_stat_add(q, HZIP_STAT_BIG, 1);
		in = s->big.va;
		in_dma = s->big.dma;
		s->out = in + in_room;
		out_dma = in_dma + in_room;
	}
	if (sg_copy_to_buffer(req->src, sg_nents(req->src), in, in_len) != in_len)
		return -EINVAL;

	s->hdr = 0;
	if (zlib && decomp) {
		if (hzip_zlib_hdr_check(in, in_len))
			return -EINVAL;
		skip = HZIP_ZLIB_HDR;
	} else if (zlib) {
		/* The engine writes body + Adler-32; the header is ours. */
		if (out_len <= HZIP_ZLIB_HDR)
			return -ENOSPC;
		s->out[0] = 0x78;	/* deflate, 32 KiB window */
		s->out[1] = 0x9c;	/* default level, FCHECK */
		s->hdr = HZIP_ZLIB_HDR;
	}

	memset(sqe, 0, sizeof(*sqe));
	sqe->input_data_length = cpu_to_le32(in_len - skip);
	sqe->dw9 = cpu_to_le32(q->t->req_type);		/* flat buffers */
	sqe->tag = cpu_to_le32(idx);
	sqe->dest_avail_out = cpu_to_le32(out_len - s->hdr);
	sqe->source_addr_l = cpu_to_le32(lower_32_bits(in_dma + skip));
	sqe->source_addr_h = cpu_to_le32(upper_32_bits(in_dma + skip));
	sqe->dest_addr_l = cpu_to_le32(lower_32_bits(out_dma + s->hdr));
	sqe->dest_addr_h = cpu_to_le32(upper_32_bits(out_dma + s->hdr));
	return 0;
}

/* The request's result from the engine's status; on success *len is set. */
static int hzip_result(struct hzip_qctx *q, struct hzip_slot *s, u32 *len)
{
	bool decomp = q->alg_type == HZIP_ALG_TYPE_DECOMP;
	u32 status = s->dw3 & HZIP_STATUS_MASK;

	switch (status) {
	case 0:
		/* A stateless decompression that did not reach the end. */
		if (decomp && !(s->dw3 & HZIP_LAST_BLOCK))
			return -EINVAL;
		break;
	case HZIP_NC_ERR:	/* incompressible: the output is still valid */
		if (decomp)
			return -EIO;
		break;
	case HZIP_DECOMP_END:
		if (!decomp)
			return -EIO;
		break;
	case HZIP_STATUS_NO_ROOM:
		return -ENOSPC;
	case HZIP_STATUS_BAD_DATA:
	case HZIP_STATUS_BAD_CSUM:
		return -EINVAL;
	default:
		dev_err_ratelimited(q->t->dev, "acomp: request failed with status %#x\n",
				    status);
		return -EIO;
	}
	*len = s->produced + s->hdr;
	return *len > s->req->dlen ? -ENOSPC : 0;
}

static void hzip_slot_release(struct hzip_qctx *q, struct hzip_slot *s)
{
	unsigned long flags;

	hzip_buf_free(q->t->dev, &s->big);
	spin_lock_irqsave(&q->lock, flags);
	s->state = HZIP_FREE;
	s->req = NULL;
	spin_unlock_irqrestore(&q->lock, flags);
}

/* Hand every completed slot's result to its caller. */
static void hzip_finish_done(struct hzip_qctx *q)
{
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < HZIP_SLOTS; i++) {
		struct hzip_slot *s = &q->slots[i];
		struct acomp_req *req;
		u32 len = 0;
		int err;

		spin_lock_irqsave(&q->lock, flags);
		req = s->state == HZIP_DONE ? s->req : NULL;
		spin_unlock_irqrestore(&q->lock, flags);
		if (!req)
			continue;

		err = hzip_result(q, s, &len);
		if (!err && sg_copy_from_buffer(req->dst, sg_nents(req->dst), s->out, len) != len)
			err = -ENOSPC;
		if (err) {
			hzip_stat_add(q, HZIP_STAT_ERRORS, 1);
			if (q->qp)
				atomic64_inc(&q->qp->errors);
		} else {
			req->dlen = len;
			hzip_stat_add(q, HZIP_STAT_BYTES_OUT, len);
		}
		hzip_slot_release(q, s);
		hzip_complete(req, err);
	}
}

static const char *hzip_alg_name(const struct hzip_tfm_ctx *t)
{
	return t->req_type == HZIP_REQ_ZLIB ? "zlib-deflate" : "deflate";
}

/*
 * A request for a transform whose queues are gone. After its device was
 * removed, zswap and other holders of the transform keep working through
 * the software implementation: their compressed data is standard deflate.
 * Without one (or before attach, or when no replacement queue could be
 * had after a reset) the request fails with -ENODEV.
 */
static int hzip_detached_run(struct hzip_tfm_ctx *t, struct acomp_req *req, u8 dir)
{
	return hzip_sw_run(READ_ONCE(t->sw), req, dir == HZIP_ALG_TYPE_DECOMP);
}

/*
 * A dead queue's backlog: run in software once the transform has it, else
 * failed with -ENODEV. Nothing joins the backlog of a dead queue.
 */
static void hzip_flush_backlog(struct hzip_qctx *q)
{
	struct hzip_req *rq, *tmp;
	unsigned long flags;
	LIST_HEAD(backlog);

	spin_lock_irqsave(&q->lock, flags);
	WARN_ON_ONCE(!q->dead);
	list_splice_init(&q->backlog, &backlog);
	q->nbacklog = 0;
	spin_unlock_irqrestore(&q->lock, flags);

	list_for_each_entry_safe(rq, tmp, &backlog, node) {
		list_del(&rq->node);
		if (rq->backlogged)
			hzip_complete(rq->req, -EINPROGRESS);
		hzip_complete(rq->req, hzip_detached_run(q->t, rq->req, q->alg_type));
	}
}

/*
 * Fail every request in flight with @err (-ETIMEDOUT: one of them is late;
 * -EIO: the QM reported an error; -ENODEV: the function is gone) and
 * replace the queue pair. The slots' buffers of those requests are only
 * freed if the old queue drains. Without a replacement the queue is dead
 * and its backlog fails.
 */
static void hzip_reset(struct hzip_qctx *q, int err)
{
	struct hzip_buf bufs[2 * HZIP_SLOTS];
	struct acomp_req *reqs[HZIP_SLOTS];
	struct hisi_qm *qm = &q->t->cdev->hzip->qm;
	struct hisi_qp *old, *qp;
	unsigned int i, n = 0;
	unsigned long flags;
	int ret;

	/* A late request may be the first sign that the function is gone. */
	if (hisi_qm_check_gone(qm))
		err = -ENODEV;
	spin_lock_irqsave(&q->lock, flags);
	old = q->qp;
	q->qp = NULL;
	for (i = 0; i < HZIP_SLOTS; i++) {
		struct hzip_slot *s = &q->slots[i];

		if (s->state != HZIP_INFLIGHT)
			continue;
		bufs[2 * n] = s->small;
		bufs[2 * n + 1] = s->big;
		reqs[n++] = s->req;
		hzip_slot_leak(s);
		s->state = HZIP_FREE;
		s->req = NULL;
	}
	spin_unlock_irqrestore(&q->lock, flags);

	if (err == -ENODEV) {
		/* Before the queue dies: the rest goes to software too. */
		hzip_sw_get(&q->t->sw, hzip_alg_name(q->t));
		dev_err(q->t->dev, "acomp: %s queue %u: function gone, %s %u requests in flight and the rest\n",
			q->alg_type == HZIP_ALG_TYPE_DECOMP ? "decompress" : "compress",
			old ? old->qp_id : 0,
			READ_ONCE(q->t->sw) ? "doing in software" : "failing", n);
	} else if (err == -ETIMEDOUT)
		dev_err(q->t->dev, "acomp: %s queue %u: %u requests not completed within %u ms, resetting the queue\n",
			q->alg_type == HZIP_ALG_TYPE_DECOMP ? "decompress" : "compress",
			old ? old->qp_id : 0, n, acomp_timeout_ms);
	else
		dev_err(q->t->dev, "acomp: %s queue %u: device error, failing %u requests in flight and resetting the queue\n",
			q->alg_type == HZIP_ALG_TYPE_DECOMP ? "decompress" : "compress",
			old ? old->qp_id : 0, n);
	if (err == -ENODEV && READ_ONCE(q->t->sw))
		hzip_stat_add(q, HZIP_STAT_SOFTWARE, n);
	else
		hzip_stat_add(q, err == -ETIMEDOUT ? HZIP_STAT_TIMEOUTS : HZIP_STAT_ERRORS, n);
	if (err != -ENODEV)
		hzip_stat_add(q, HZIP_STAT_RESETS, 1);
	/* The callers' buffers are intact: only our bounce buffers are lost. */
	for (i = 0; i < n; i++)
		hzip_complete(reqs[i], err == -ENODEV ?
			      hzip_detached_run(q->t, reqs[i], q->alg_type) : err);

	if (old) {
		if (!hisi_qm_stop_qp(old))
			for (i = 0; i < 2 * n; i++)
				hzip_buf_free(q->t->dev, &bufs[i]);
		hisi_qm_release_qp(old);
	}
	ret = err == -ENODEV ? err : hzip_slot_bufs_alloc(q);
	qp = ret ? ERR_PTR(ret) : hisi_qm_create_qp(qm, q->alg_type, HISI_QP_KERNEL);
	if (!IS_ERR(qp)) {
		ret = hisi_qm_start_qp(qp, &hzip_qp_ops, q);
		if (ret) {
			hisi_qm_release_qp(qp);
			qp = ERR_PTR(ret);
		}
	}
	spin_lock_irqsave(&q->lock, flags);
	if (!IS_ERR(qp) && !q->dead) {
		q->qp = qp;
		qp = NULL;
	} else if (IS_ERR(qp)) {
		/* No queue: later requests fail instead of waiting forever. */
		q->dead = true;
	}
	spin_unlock_irqrestore(&q->lock, flags);
	if (IS_ERR(qp)) {
		if (err != -ENODEV)
			dev_err(q->t->dev, "acomp: no replacement queue (%ld); this transform fails from now on\n",
				PTR_ERR(qp));
		hzip_flush_backlog(q);
	} else if (qp) {
		hisi_qm_release_qp(qp);
	}
}

static bool hzip_timed_out(struct hzip_qctx *q)
{
	unsigned long flags;
	bool late = false;
	unsigned int i;

	spin_lock_irqsave(&q->lock, flags);
	for (i = 0; i < HZIP_SLOTS; i++)
		if (q->slots[i].state == HZIP_INFLIGHT &&
		    time_after_eq(jiffies, q->slots[i].deadline))
			late = true;
	spin_unlock_irqrestore(&q->lock, flags);
	return late;
}

static int hzip_find_free(struct hzip_qctx *q)
{
	unsigned int i;

	for (i = 0; i < HZIP_SLOTS; i++)
		if (q->slots[i].state == HZIP_FREE)
			return i;
	return -1;
}

/* Move backlog into free slots and send it. */
static void hzip_start_backlog(struct hzip_qctx *q)
{
	struct hisi_zip_sqe sqe;
	unsigned long flags;

	for (;;) {
		struct hzip_req *rq;
		struct acomp_req *req;
		struct hzip_slot *s;
		struct hisi_qp *qp;
		bool backlogged;
		int idx, ret;

		spin_lock_irqsave(&q->lock, flags);
		idx = hzip_find_free(q);
		if (q->dead || !q->qp || list_empty(&q->backlog) || idx < 0) {
			spin_unlock_irqrestore(&q->lock, flags);
			return;
		}
		rq = list_first_entry(&q->backlog, struct hzip_req, node);
		list_del(&rq->node);
		q->nbacklog--;
		req = rq->req;
		backlogged = rq->backlogged;
		s = &q->slots[idx];
		s->state = HZIP_PREP;
		s->req = req;
		qp = q->qp;
		spin_unlock_irqrestore(&q->lock, flags);

		if (backlogged)
			hzip_complete(req, -EINPROGRESS);
		hzip_stat_add(q, q->alg_type == HZIP_ALG_TYPE_DECOMP ?
			      HZIP_STAT_DECOMP : HZIP_STAT_COMP, 1);
		hzip_stat_add(q, HZIP_STAT_BYTES_IN, req->slen);
		ret = hzip_prepare(q, idx, &sqe);
		if (!ret) {
			/* In flight before the doorbell: the IRQ may come at once. */
			spin_lock_irqsave(&q->lock, flags);
			s->state = HZIP_INFLIGHT;
			s->deadline = jiffies + msecs_to_jiffies(acomp_timeout_ms);
			spin_unlock_irqrestore(&q->lock, flags);
			ret = hisi_qm_send(qp, &sqe);
		}
		if (ret) {
			hzip_stat_add(q, HZIP_STAT_ERRORS, 1);
			hzip_slot_release(q, s);
			hzip_complete(req, ret);
		}
	}
}

/* Come back at the earliest deadline while anything is in flight. */
static void hzip_rearm(struct hzip_qctx *q)
{
	unsigned long flags, first = 0;
	bool any = false;
	unsigned int i;

	spin_lock_irqsave(&q->lock, flags);
	for (i = 0; i < HZIP_SLOTS; i++) {
		struct hzip_slot *s = &q->slots[i];

		if (s->state != HZIP_INFLIGHT)
			continue;
		if (!any || time_before(s->deadline, first))
			first = s->deadline;
		any = true;
	}
	if (any && !q->dead)
		queue_delayed_work(hzip_wq, &q->work,
				   time_after(first, jiffies) ? first - jiffies : 1);
	spin_unlock_irqrestore(&q->lock, flags);
}

/* Take a device error reported for the queue (hzip_qp_event). */
static bool hzip_take_error(struct hzip_qctx *q)
{
	unsigned long flags;
	bool error;

	spin_lock_irqsave(&q->lock, flags);
	error = q->error;
	q->error = false;
	spin_unlock_irqrestore(&q->lock, flags);
	return error;
}

static void hzip_work(struct work_struct *work)
{
	struct hzip_qctx *q = container_of(to_delayed_work(work), struct hzip_qctx, work);

	hzip_finish_done(q);
	if (hzip_take_error(q)) {
		hzip_reset(q, -EIO);
	} else if (hzip_timed_out(q)) {
		/* Results that arrived meanwhile still count. */
		hzip_finish_done(q);
		hzip_reset(q, -ETIMEDOUT);
	}
	hzip_start_backlog(q);
	hzip_rearm(q);
}

/* ---- acomp entry points -------------------------------------------------- */

/* An empty input compresses to an empty final fixed-Huffman block. */
static int hzip_compress_empty(struct hzip_tfm_ctx *t, struct acomp_req *req)
{
	static const u8 raw[] = { 0x03, 0x00 };
	static const u8 zlib[] = { 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 };
	const u8 *p = t->req_type == HZIP_REQ_ZLIB ? zlib : raw;
	u32 len = t->req_type == HZIP_REQ_ZLIB ? sizeof(zlib) : sizeof(raw);

	if (!req->dst || req->dlen < len)
		return -ENOSPC;
	if (sg_copy_from_buffer(req->dst, sg_nents(req->dst), p, len) != len)
		return -ENOSPC;
	req->dlen = len;
	return 0;
}

static int hzip_acomp_queue(struct acomp_req *req, u8 dir)
{
	struct hzip_tfm_ctx *t = acomp_tfm_ctx(crypto_acomp_reqtfm(req));
	struct hzip_req *rq = acomp_request_ctx(req);
	struct hzip_qctx *q = &t->q[dir];
	unsigned long flags;
	int ret;

	if (wd_acomp_req_wants_alloc(req))
		return -EINVAL;
	if (!req->slen)
		return dir == HZIP_ALG_TYPE_DECOMP ? -EINVAL : hzip_compress_empty(t, req);
	if (!req->src || !req->dst)
		return -EINVAL;
	if (req->slen > HZIP_MAX_LEN)
		return -E2BIG;
	if (!req->dlen)
		return -ENOSPC;

	spin_lock_irqsave(&q->lock, flags);
	if (q->dead) {
		spin_unlock_irqrestore(&q->lock, flags);
		/* t->sw was set before the queue died for good (detach). */
		return hzip_detached_run(t, req, dir);
	} else if (q->nbacklog >= HZIP_BACKLOG_MAX &&
		   !(req->base.flags & CRYPTO_TFM_REQ_MAY_BACKLOG)) {
		ret = -EBUSY;
	} else {
		rq->req = req;
		rq->backlogged = q->nbacklog >= HZIP_BACKLOG_MAX;
		ret = rq->backlogged ? -EBUSY : -EINPROGRESS;
		list_add_tail(&rq->node, &q->backlog);
		q->nbacklog++;
		mod_delayed_work(hzip_wq, &q->work, 0);
	}
	/* Under the lock: t->stat is only cleared after the queue is dead. */
	if (ret == -EBUSY)
		hzip_stat_add(q, HZIP_STAT_BUSY, 1);
	spin_unlock_irqrestore(&q->lock, flags);
	return ret;
}

static int hzip_acomp_compress(struct acomp_req *req)
{
	return hzip_acomp_queue(req, HZIP_ALG_TYPE_COMP);
}

static int hzip_acomp_decompress(struct acomp_req *req)
{
	return hzip_acomp_queue(req, HZIP_ALG_TYPE_DECOMP);
}

/* ---- transforms: attach to a device, detach --------------------------- */

static int hzip_qctx_attach(struct hzip_tfm_ctx *t, struct hzip_qctx *q)
{
	struct hisi_qp *qp;
	int ret;

	ret = hzip_slot_bufs_alloc(q);
	if (ret)
		return ret;
	qp = hisi_qm_create_qp(&t->cdev->hzip->qm, q->alg_type, HISI_QP_KERNEL);
	if (IS_ERR(qp))
		return PTR_ERR(qp);
	ret = hisi_qm_start_qp(qp, &hzip_qp_ops, q);
	if (ret) {
		hisi_qm_release_qp(qp);
		return ret;
	}
	q->qp = qp;
	return 0;
}

/*
 * Stop a queue for good: finish what the engine completes while draining,
 * run the rest in software (or fail it with -ENODEV without a software
 * transform), free everything DMA-able that the hardware no longer owns.
 * Called with hzip_crypto_lock held, device still bound.
 */
static void hzip_qctx_detach(struct hzip_qctx *q)
{
	struct acomp_req *reqs[HZIP_SLOTS];
	unsigned int i, n = 0;
	struct hisi_qp *qp;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	q->dead = true;
	spin_unlock_irqrestore(&q->lock, flags);
	cancel_delayed_work_sync(&q->work);

	/* The work item is gone and nobody queues it again: q->qp is ours. */
	qp = q->qp;
	if (qp)
		hisi_qm_stop_qp(qp);
	hzip_finish_done(q);

	spin_lock_irqsave(&q->lock, flags);
	q->qp = NULL;
	for (i = 0; i < HZIP_SLOTS; i++) {
		struct hzip_slot *s = &q->slots[i];

		if (s->state == HZIP_INFLIGHT) {
			reqs[n++] = s->req;
			hzip_slot_leak(s);
		}
		s->state = HZIP_FREE;
		s->req = NULL;
	}
	spin_unlock_irqrestore(&q->lock, flags);

	if (qp)
		hisi_qm_release_qp(qp);
	for (i = 0; i < HZIP_SLOTS; i++) {
		hzip_buf_free(q->t->dev, &q->slots[i].small);
		hzip_buf_free(q->t->dev, &q->slots[i].big);
	}
	/* The callers still own their buffers: software can serve them. */
	for (i = 0; i < n; i++)
		hzip_complete(reqs[i], hzip_detached_run(q->t, reqs[i], q->alg_type));
	hzip_flush_backlog(q);
}

static void hzip_tfm_detach(struct hzip_tfm_ctx *t, struct hzip_sw *sw)
{
	lockdep_assert_held(&hzip_crypto_lock);
	if (!t->cdev)
		return;
	/*
	 * Before the queues die: a request that finds one dead sees it. A
	 * transform whose function was found gone may have one already.
	 */
	hzip_sw_install(&t->sw, sw);
	hzip_qctx_detach(&t->q[HZIP_ALG_TYPE_COMP]);
	hzip_qctx_detach(&t->q[HZIP_ALG_TYPE_DECOMP]);
	list_del(&t->node);
	t->cdev->ntfms--;
	t->cdev = NULL;
	t->stat = NULL;
}

/*
 * Every device we could use is gone (not yet unbound): a transform that
 * runs in software from the start (its queues stay dead), so that a new
 * user such as a zswap pool still gets a working transform.
 */
static int hzip_tfm_init_sw(struct hzip_tfm_ctx *t)
{
	t->sw = hzip_sw_alloc(hzip_alg_name(t));
	if (!t->sw)
		return -ENODEV;
	mutex_lock(&hzip_crypto_lock);
	hzip_live_tfms++;
	mutex_unlock(&hzip_crypto_lock);
	return 0;
}

static int hzip_tfm_init(struct crypto_acomp *tfm, u8 req_type)
{
	struct hzip_tfm_ctx *t = acomp_tfm_ctx(tfm);
	struct hzip_cdev *c, *best = NULL;
	bool gone = false;
	int i, ret;

	t->req_type = req_type;
	for (i = 0; i < 2; i++) {
		struct hzip_qctx *q = &t->q[i];

		q->t = t;
		q->alg_type = i;
		spin_lock_init(&q->lock);
		INIT_LIST_HEAD(&q->backlog);
		INIT_DELAYED_WORK(&q->work, hzip_work);
		q->dead = true;	/* until attached */
	}

	mutex_lock(&hzip_crypto_lock);
	list_for_each_entry(c, &hzip_crypto_devs, node) {
		if (hisi_qm_gone(&c->hzip->qm))
			gone = true;
		else if (!c->user_owned && (!best || c->ntfms < best->ntfms))
			best = c;
	}
	if (!best) {
		ret = gone ? 0 : -ENODEV;
		goto out;
	}
	t->cdev = best;
	t->dev = &best->hzip->qm.pdev->dev;
	t->stat = best->stat;
	list_add(&t->node, &best->tfms);
	best->ntfms++;
	for (i = 0; i < 2; i++) {
		t->q[i].dead = false;
		ret = hzip_qctx_attach(t, &t->q[i]);
		if (ret)
			break;
	}
	if (ret)
		hzip_tfm_detach(t, NULL);
	else
		hzip_live_tfms++;
out:
	mutex_unlock(&hzip_crypto_lock);
	if (!best && gone)
		ret = hzip_tfm_init_sw(t);
	return ret;
}

static int hzip_tfm_init_deflate(struct crypto_acomp *tfm)
{
	return hzip_tfm_init(tfm, HZIP_REQ_DEFLATE);
}

static int hzip_tfm_init_zlib(struct crypto_acomp *tfm)
{
	return hzip_tfm_init(tfm, HZIP_REQ_ZLIB);
}

static void hzip_tfm_exit(struct crypto_acomp *tfm)
{
	struct hzip_tfm_ctx *t = acomp_tfm_ctx(tfm);

	mutex_lock(&hzip_crypto_lock);
	hzip_tfm_detach(t, NULL);
	hzip_live_tfms--;
	mutex_unlock(&hzip_crypto_lock);
	hzip_sw_free(t->sw);
}

static struct acomp_alg hzip_algs[] = {
	{
		.init = hzip_tfm_init_deflate,
		.exit = hzip_tfm_exit,
		.compress = hzip_acomp_compress,
		.decompress = hzip_acomp_decompress,
		.base = {
			.cra_name = "deflate",
			.cra_driver_name = "hisi-deflate-acomp",
			.cra_flags = CRYPTO_ALG_ASYNC,
			.cra_module = THIS_MODULE,
			.cra_priority = HZIP_ALG_PRIORITY,
			.cra_ctxsize = sizeof(struct hzip_tfm_ctx),
		},
	}, {
		.init = hzip_tfm_init_zlib,
		.exit = hzip_tfm_exit,
		.compress = hzip_acomp_compress,
		.decompress = hzip_acomp_decompress,
		.base = {
			.cra_name = "zlib-deflate",
			.cra_driver_name = "hisi-zlib-deflate-acomp",
			.cra_flags = CRYPTO_ALG_ASYNC,
			.cra_module = THIS_MODULE,
			.cra_priority = HZIP_ALG_PRIORITY,
			.cra_ctxsize = sizeof(struct hzip_tfm_ctx),
		},
	},
};

/* ---- debugfs: counters and a request generator --------------------------- */

static int acomp_show(struct seq_file *s, void *unused)
{
	struct hzip_cdev *c = s->private;
	int i;

	mutex_lock(&hzip_crypto_lock);
	seq_printf(s, "transforms: %u\n", c->ntfms);
	mutex_unlock(&hzip_crypto_lock);
	for (i = 0; i < HZIP_STAT_NR; i++)
		seq_printf(s, "%s: %lld\n", hzip_stat_names[i],
			   (long long)atomic64_read(&c->stat[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(acomp);

/* A vmalloc buffer as a page-by-page scatterlist. */
static int hzip_vsg(struct sg_table *t, void *buf, size_t len)
{
	unsigned int i, n = DIV_ROUND_UP(max_t(size_t, len, 1), PAGE_SIZE);
	struct scatterlist *sg;
	int ret;

	ret = sg_alloc_table(t, n, GFP_KERNEL);
	if (ret)
		return ret;
	for_each_sg(t->sgl, sg, n, i) {
		size_t l = min_t(size_t, len - (size_t)i * PAGE_SIZE, PAGE_SIZE);

		sg_set_page(sg, vmalloc_to_page(buf + (size_t)i * PAGE_SIZE), len ? l : 0, 0);
	}
	return 0;
}

static int hzip_run(struct acomp_req *req, struct crypto_wait *wait, bool decomp,
		    void *src, u32 slen, void *dst, u32 dlen, u32 *out)
{
	struct sg_table ts, td;
	int ret;

	ret = hzip_vsg(&ts, src, slen);
	if (ret)
		return ret;
	ret = hzip_vsg(&td, dst, dlen);
	if (ret)
		goto free_src;
	acomp_request_set_params(req, ts.sgl, td.sgl, slen, dlen);
	ret = crypto_wait_req(decomp ? crypto_acomp_decompress(req) :
			      crypto_acomp_compress(req), wait);
	*out = req->dlen;
	sg_free_table(&td);
free_src:
	sg_free_table(&ts);
	return ret;
}

static void hzip_fill(u8 *p, u32 len, bool random)
{
	char line[64];
	u32 i, n;

	if (random) {
		get_random_bytes(p, len);
		return;
	}
	for (i = 0; i < len; i += n) {
		n = scnprintf(line, sizeof(line), "line %u of the hisi_zip acomp test\n", i);
		n = min(len - i, n);
		memcpy(p + i, line, n);
	}
}

struct hzip_test {
	char mode[8];
	char alg[16];
	u32 len;
	bool random;
};

/*
 * "rt ALG LEN [random]": compress, decompress, compare; then the output too
 * small each way (-ENOSPC expected), corrupt input (-EINVAL/-EBADMSG) and
 * an empty input. "comp ALG LEN": one compression, its result only. Both
 * use the held transform of ALG if there is one, else a new transform.
 */
static int hzip_test_run(struct hzip_cdev *c, const struct hzip_test *p, char *res,
			 size_t rlen)
{
	u32 bound = hzip_comp_bound(p->len), clen = 0, dlen = 0, junk;
	u8 *in = NULL, *comp = NULL, *out = NULL;
	struct crypto_acomp *tfm;
	struct acomp_req *req;
	DECLARE_CRYPTO_WAIT(wait);
	char drv[CRYPTO_MAX_ALG_NAME];
	int ret, enospc_c, enospc_d, corrupt, empty;
	ktime_t t0;
	s64 us_c, us_d;

	snprintf(drv, sizeof(drv), "hisi-%s-acomp", p->alg);
	tfm = c->held && !strcmp(c->held_alg, p->alg) ? c->held : crypto_alloc_acomp(drv, 0, 0);
	if (IS_ERR(tfm)) {
		scnprintf(res, rlen, "%s: no transform: %ld\n", drv, PTR_ERR(tfm));
		return PTR_ERR(tfm);
	}
	ret = -ENOMEM;
	req = acomp_request_alloc(tfm);
	in = vmalloc(max_t(u32, p->len, 1));
	comp = vmalloc(bound);
	out = vmalloc(max_t(u32, p->len, 1));
	if (!req || !in || !comp || !out) {
		scnprintf(res, rlen, "out of memory\n");
		goto out;
	}
	acomp_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG | CRYPTO_TFM_REQ_MAY_SLEEP,
				   crypto_req_done, &wait);
	hzip_fill(in, p->len, p->random);

	t0 = ktime_get();
	ret = hzip_run(req, &wait, false, in, p->len, comp, bound, &clen);
	us_c = ktime_us_delta(ktime_get(), t0);
	if (!strcmp(p->mode, "comp") || ret) {
		scnprintf(res, rlen, "comp %s %u: %d\n", drv, p->len, ret);
		goto out;
	}
	t0 = ktime_get();
	ret = hzip_run(req, &wait, true, comp, clen, out, p->len, &dlen);
	us_d = ktime_us_delta(ktime_get(), t0);
	if (ret || dlen != p->len || memcmp(in, out, p->len)) {
		scnprintf(res, rlen, "decomp %s %u -> %u: %d, %u bytes, %s\n", drv, p->len, clen,
			  ret, dlen, ret ? "-" : memcmp(in, out, p->len) ? "differ" : "same");
		ret = ret ?: -EIO;
		goto out;
	}
	enospc_c = hzip_run(req, &wait, false, in, p->len, comp, clen / 2, &junk);
	enospc_d = p->len > 1 ? hzip_run(req, &wait, true, comp, clen, out, p->len / 2, &junk) :
				-ENOSPC;
	/* BTYPE 11 (reserved) in the first block header: invalid deflate. */
	comp[!strcmp(p->alg, "zlib-deflate") ? HZIP_ZLIB_HDR : 0] |= 0x06;
	corrupt = hzip_run(req, &wait, true, comp, clen, out, p->len, &junk);
	empty = hzip_run(req, &wait, false, in, 0, comp, bound, &junk);
	scnprintf(res, rlen,
		  "rt %s %u -> %u (%lld us) -> %u (%lld us) same; small dst: comp %d decomp %d; corrupt %d; empty %d (%u bytes)\n",
		  drv, p->len, clen, us_c, dlen, us_d, enospc_c, enospc_d, corrupt, empty,
		  empty ? 0 : junk);
	ret = enospc_c == -ENOSPC && enospc_d == -ENOSPC &&
	      (corrupt == -EINVAL || corrupt == -EBADMSG) && !empty ? 0 : -EIO;
out:
	vfree(out);
	vfree(comp);
	vfree(in);
	acomp_request_free(req);
	if (tfm != c->held)
		crypto_free_acomp(tfm);
	return ret;
}

/*
 * "hold ALG": keep one transform of ALG for the following tests, so that
 * they run on the same queue pairs (or their replacements after a reset);
 * "drop": free it. The held transform pins the module like any other.
 */
static int hzip_test_hold(struct hzip_cdev *c, const char *alg, bool hold)
{
	char drv[CRYPTO_MAX_ALG_NAME];
	struct crypto_acomp *tfm;

	if (c->held)
		crypto_free_acomp(c->held);
	c->held = NULL;
	if (!hold)
		return 0;
	if (strcmp(alg, "deflate") && strcmp(alg, "zlib-deflate"))
		return -EINVAL;
	snprintf(drv, sizeof(drv), "hisi-%s-acomp", alg);
	tfm = crypto_alloc_acomp(drv, 0, 0);
	if (IS_ERR(tfm)) {
		scnprintf(c->test_result, sizeof(c->test_result), "%s: no transform: %ld\n",
			  drv, PTR_ERR(tfm));
		return PTR_ERR(tfm);
	}
	c->held = tfm;
	strscpy(c->held_alg, alg, sizeof(c->held_alg));
	scnprintf(c->test_result, sizeof(c->test_result), "holding %s\n", drv);
	return 0;
}

static ssize_t acomp_test_write(struct file *f, const char __user *ubuf, size_t count,
				loff_t *ppos)
{
	struct hzip_cdev *c = file_inode(f)->i_private;
	struct hzip_test p = { 0 };
	char buf[64], rnd[8] = "";
	int ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = 0;
	if (sscanf(buf, "%7s %15s", p.mode, p.alg) >= 1 &&
	    (!strcmp(p.mode, "hold") || !strcmp(p.mode, "drop"))) {
		mutex_lock(&c->test_lock);
		ret = hzip_test_hold(c, p.alg, !strcmp(p.mode, "hold"));
		mutex_unlock(&c->test_lock);
		return ret ?: count;
	}
	if (sscanf(buf, "%7s %15s %u %7s", p.mode, p.alg, &p.len, rnd) < 3 ||
	    (strcmp(p.mode, "rt") && strcmp(p.mode, "comp")) ||
	    (strcmp(p.alg, "deflate") && strcmp(p.alg, "zlib-deflate")) || p.len > HZIP_MAX_LEN)
		return -EINVAL;
	p.random = !strcmp(rnd, "random");

	mutex_lock(&c->test_lock);
	ret = hzip_test_run(c, &p, c->test_result, sizeof(c->test_result));
	mutex_unlock(&c->test_lock);
	return ret ?: count;
}

static ssize_t acomp_test_read(struct file *f, char __user *ubuf, size_t count, loff_t *ppos)
{
	struct hzip_cdev *c = file_inode(f)->i_private;
	char buf[sizeof(c->test_result)];

	mutex_lock(&c->test_lock);
	strscpy(buf, c->test_result, sizeof(buf));
	mutex_unlock(&c->test_lock);
	return simple_read_from_buffer(ubuf, count, ppos, buf, strlen(buf));
}

static const struct file_operations acomp_test_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = acomp_test_read,
	.write = acomp_test_write,
	.llseek = default_llseek,
};

/* ---- registration -------------------------------------------------------- */

/*
 * Registration may return before the self-tests ran (they run in their own
 * thread on newer kernels). A lookup by driver name waits for them, so an
 * unbind right after probe never unregisters under a test's transform.
 */
static void hzip_wait_selftests(struct pci_dev *pdev)
{
	struct crypto_acomp *tfm;
	int i;

	for (i = 0; i < ARRAY_SIZE(hzip_algs); i++) {
		const char *drv = hzip_algs[i].base.cra_driver_name;

		tfm = crypto_alloc_acomp(drv, 0, 0);
		if (!IS_ERR(tfm)) {
			crypto_free_acomp(tfm);
			continue;
		}
		/*
		 * Newer cores give every asynchronous transform a synchronous
		 * software fallback of the same name; without one (no software
		 * zlib-deflate there) the algorithm can never be used.
		 */
		if (PTR_ERR(tfm) == -ENOENT) {
			pci_info(pdev, "acomp: %s needs a software %s fallback this kernel lacks; not offered\n",
				 drv, hzip_algs[i].base.cra_name);
			crypto_unregister_acomp(&hzip_algs[i]);
			clear_bit(i, &hzip_algs_reg);
			continue;
		}
		pci_err(pdev, "acomp: %s is not usable after its self-test: %ld\n", drv,
			PTR_ERR(tfm));
	}
}

static void hzip_unregister_algs(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(hzip_algs); i++)
		if (test_and_clear_bit(i, &hzip_algs_reg))
			crypto_unregister_acomp(&hzip_algs[i]);
}

void hisi_zip_crypto_register(struct hisi_zip *hzip)
{
	struct pci_dev *pdev = hzip->qm.pdev;
	struct hzip_cdev *c;
	int i, ret = 0;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return;
	c->hzip = hzip;
	INIT_LIST_HEAD(&c->tfms);
	mutex_init(&c->test_lock);
	for (i = 0; i < HZIP_STAT_NR; i++)
		atomic64_set(&c->stat[i], 0);

	mutex_lock(&hzip_reg_lock);
	if (!hzip_wq) {
		/* zswap compresses from reclaim: the queue must make progress there. */
		hzip_wq = alloc_workqueue("hisi_zip_acomp", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
		if (!hzip_wq) {
			mutex_unlock(&hzip_reg_lock);
			kfree(c);
			pci_err(pdev, "acomp: no workqueue, no compression offload\n");
			return;
		}
	}
	/* Transforms created by the self-tests below need this device. */
	mutex_lock(&hzip_crypto_lock);
	list_add_tail(&c->node, &hzip_crypto_devs);
	mutex_unlock(&hzip_crypto_lock);
	hzip_reg_devs++;
	if (!hzip_algs_reg) {
		for (i = 0; i < ARRAY_SIZE(hzip_algs); i++)
			wd_acomp_set_reqsize(&hzip_algs[i], sizeof(struct hzip_req));
		ret = crypto_register_acomps(hzip_algs, ARRAY_SIZE(hzip_algs));
		if (!ret) {
			hzip_algs_reg = BIT(ARRAY_SIZE(hzip_algs)) - 1;
			hzip_wait_selftests(pdev);
		}
	}
	mutex_unlock(&hzip_reg_lock);
	if (ret)
		pci_err(pdev, "acomp: registering the algorithms failed: %d\n", ret);
	else
		pci_info(pdev, "acomp: deflate and zlib-deflate offload available\n");

	c->dbg_stats = debugfs_create_file("acomp", 0400, hzip->debug_dir, c, &acomp_fops);
	c->dbg_test = debugfs_create_file("acomp_test", 0600, hzip->debug_dir, c,
					  &acomp_test_fops);
}

static struct hzip_cdev *hzip_cdev_find(struct hisi_zip *hzip)
{
	struct hzip_cdev *c;

	list_for_each_entry(c, &hzip_crypto_devs, node)
		if (c->hzip == hzip)
			return c;
	return NULL;
}

int hisi_zip_crypto_claim(struct hisi_zip *hzip)
{
	struct hzip_cdev *c;
	int ret = 0;

	mutex_lock(&hzip_crypto_lock);
	c = hzip_cdev_find(hzip);
	if (c && c->ntfms)
		ret = -EBUSY;
	else if (c)
		c->user_owned = true;
	mutex_unlock(&hzip_crypto_lock);
	return ret;
}

void hisi_zip_crypto_release(struct hisi_zip *hzip)
{
	struct hzip_cdev *c;

	mutex_lock(&hzip_crypto_lock);
	c = hzip_cdev_find(hzip);
	if (c)
		c->user_owned = false;
	mutex_unlock(&hzip_crypto_lock);
}

void hisi_zip_crypto_unregister(struct hisi_zip *hzip)
{
	struct hzip_sw_pool pool = { };
	struct hzip_tfm_ctx *t, *tmp;
	struct hzip_cdev *c;
	bool unreg = false;

	mutex_lock(&hzip_crypto_lock);
	c = hzip_cdev_find(hzip);
	mutex_unlock(&hzip_crypto_lock);
	if (!c)
		return;
	/* Waits for a test in progress, whose transform may be ours. */
	debugfs_remove(c->dbg_test);
	debugfs_remove(c->dbg_stats);
	hzip_test_hold(c, NULL, false);

	/*
	 * A software transform for each of our transforms that outlives the
	 * device. Allocated without our locks (it may load a module and run
	 * its self-tests); transforms made meanwhile get none and fail.
	 */
	mutex_lock(&hzip_crypto_lock);
	list_for_each_entry(t, &c->tfms, node)
		pool.n[t->req_type == HZIP_REQ_ZLIB]++;
	mutex_unlock(&hzip_crypto_lock);
	hzip_sw_pool_fill(&pool);

	mutex_lock(&hzip_reg_lock);
	mutex_lock(&hzip_crypto_lock);
	list_del(&c->node);
	list_for_each_entry_safe(t, tmp, &c->tfms, node)
		hzip_tfm_detach(t, hzip_sw_pool_take(&pool, t->req_type == HZIP_REQ_ZLIB));
	if (!--hzip_reg_devs && hzip_algs_reg && !hzip_live_tfms)
		unreg = true;
	mutex_unlock(&hzip_crypto_lock);
	if (pool.n[0] + pool.n[1])
		pci_info(hzip->qm.pdev, "acomp: %u of %u transforms outliving the device continue in software\n",
			 hzip_sw_pool_used(&pool), pool.n[0] + pool.n[1]);
	hzip_sw_pool_free(&pool);
	if (unreg) {
		hzip_unregister_algs();
	} else if (!hzip_reg_devs && hzip_algs_reg) {
		pci_info(hzip->qm.pdev, "acomp: %u transforms still alive, algorithms stay registered until they go\n",
			 hzip_live_tfms);
	}
	mutex_unlock(&hzip_reg_lock);
	mutex_destroy(&c->test_lock);
	kfree(c);
}

void hisi_zip_crypto_exit(void)
{
	mutex_lock(&hzip_reg_lock);
	/* No device and, with the module going, no transform is left. */
	hzip_unregister_algs();
	if (hzip_wq)
		destroy_workqueue(hzip_wq);
	hzip_wq = NULL;
	mutex_unlock(&hzip_reg_lock);
}
