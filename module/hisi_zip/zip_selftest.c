// SPDX-License-Identifier: GPL-2.0
/*
 * zip_selftest.c - prove the rings end to end at probe: compress a small
 * static buffer on a compress queue, decompress the result on a decompress
 * queue, each completion arriving through the EQ interrupt, and compare.
 *
 * zlib requests (type 2) rather than raw deflate: V2 kernels only ever used
 * zlib/gzip, raw deflate looks like a V3 feature. The engine emits the
 * deflate body and the Adler-32 trailer; the 2-byte header is software's, so
 * the body + trailer is exactly what the decompress request takes back.
 *
 * hisi_zip_burst() (debugfs only) keeps one queue full for several laps of
 * every ring.
 *
 * Locking: each run owns its queue pairs and buffers, so runs may overlap.
 * The completion callbacks (EQ hard IRQ) only copy results, count, and wake
 * the waiter; the burst callback's order check is only touched by the EQ
 * handler, and read by the waiter after the last completion.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "zip.h"

#define HZIP_ST_LEN		4096
#define HZIP_ST_OUT_LEN		(2 * HZIP_ST_LEN)
#define HZIP_ST_TIMEOUT_MS	5000
#define HZIP_ST_TAG		0x5e1f7e57

struct hzip_st_result {
	struct completion done;
	u32 status;
	u32 consumed;
	u32 produced;
	u32 tag;
};

/* One coherent block: input, compressed, decompressed. */
struct hzip_st_bufs {
	u8 *va;
	dma_addr_t dma;
	size_t size;
};

static void hzip_st_cb(struct hisi_qp *qp, void *sqe_slot)
{
	const struct hisi_zip_sqe *sqe = sqe_slot;
	struct hzip_st_result *res = qp->priv;

	res->status = le32_to_cpu(sqe->dw3) & HZIP_STATUS_MASK;
	res->consumed = le32_to_cpu(sqe->consumed);
	res->produced = le32_to_cpu(sqe->produced);
	res->tag = le32_to_cpu(sqe->tag);
	complete(&res->done);
}

static const struct hisi_qp_ops hzip_st_ops = {
	.req_done = hzip_st_cb,
};

static void hzip_st_fill(u8 *p, size_t len)
{
	static const char text[] = "WarpDrive hisi_zip self-test: the quick brown fox ";
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = text[i % (sizeof(text) - 1)];
}

static void hzip_st_sqe(struct hisi_zip_sqe *sqe, dma_addr_t src, u32 len,
			dma_addr_t dst, u32 avail)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->input_data_length = cpu_to_le32(len);
	sqe->dw9 = cpu_to_le32(HZIP_REQ_ZLIB);		/* flat buffers */
	sqe->tag = cpu_to_le32(HZIP_ST_TAG);
	sqe->dest_avail_out = cpu_to_le32(avail);
	sqe->source_addr_l = cpu_to_le32(lower_32_bits(src));
	sqe->source_addr_h = cpu_to_le32(upper_32_bits(src));
	sqe->dest_addr_l = cpu_to_le32(lower_32_bits(dst));
	sqe->dest_addr_h = cpu_to_le32(upper_32_bits(dst));
}

/*
 * Run one request on a fresh queue of @alg_type. Returns 0 with @res filled,
 * -ETIMEDOUT if no completion came (the caller must then leak the buffers:
 * the engine may still write them).
 */
static int hzip_st_run(struct hisi_zip *hzip, u8 alg_type, struct hisi_zip_sqe *sqe,
		       struct hzip_st_result *res)
{
	struct hisi_qp *qp;
	int ret;

	qp = hisi_qm_create_qp(&hzip->qm, alg_type, HISI_QP_KERNEL);
	if (IS_ERR(qp))
		return PTR_ERR(qp);
	init_completion(&res->done);
	ret = hisi_qm_start_qp(qp, &hzip_st_ops, res);
	if (ret)
		goto out;
	ret = hisi_qm_send(qp, sqe);
	if (ret)
		goto out;
	if (!wait_for_completion_timeout(&res->done,
					 msecs_to_jiffies(HZIP_ST_TIMEOUT_MS)))
		ret = -ETIMEDOUT;
out:
	hisi_qm_release_qp(qp);
	return ret;
}

static int hzip_st_check(struct pci_dev *pdev, const char *what,
			 const struct hzip_st_result *res, u32 in_len)
{
	bool ok_status = res->status == 0 || res->status == HZIP_NC_ERR ||
			 res->status == HZIP_DECOMP_END;

	if (ok_status && res->consumed == in_len && res->produced &&
	    res->tag == HZIP_ST_TAG)
		return 0;
	pci_err(pdev, "selftest: %s: status %#x consumed %u/%u produced %u tag %#x\n",
		what, res->status, res->consumed, in_len, res->produced, res->tag);
	return -EIO;
}

static int hzip_st_both(struct hisi_zip *hzip, struct hzip_st_bufs *b, u32 *clen)
{
	struct pci_dev *pdev = hzip->qm.pdev;
	u8 *in = b->va, *comp = in + HZIP_ST_LEN, *out = comp + HZIP_ST_OUT_LEN;
	dma_addr_t in_dma = b->dma, comp_dma = in_dma + HZIP_ST_LEN;
	dma_addr_t out_dma = comp_dma + HZIP_ST_OUT_LEN;
	struct hzip_st_result res;
	struct hisi_zip_sqe sqe;
	int ret;

	hzip_st_fill(in, HZIP_ST_LEN);
	hzip_st_sqe(&sqe, in_dma, HZIP_ST_LEN, comp_dma, HZIP_ST_OUT_LEN);
	ret = hzip_st_run(hzip, HZIP_ALG_TYPE_COMP, &sqe, &res);
	if (ret)
		return ret;
	ret = hzip_st_check(pdev, "compress", &res, HZIP_ST_LEN);
	if (ret)
		return ret;
	*clen = res.produced;

	hzip_st_sqe(&sqe, comp_dma, *clen, out_dma, HZIP_ST_OUT_LEN);
	ret = hzip_st_run(hzip, HZIP_ALG_TYPE_DECOMP, &sqe, &res);
	if (ret)
		return ret;
	ret = hzip_st_check(pdev, "decompress", &res, *clen);
	if (ret)
		return ret;
	if (res.produced != HZIP_ST_LEN || memcmp(in, out, HZIP_ST_LEN)) {
		pci_err(pdev, "selftest: decompressed data (%u bytes) differs from the input\n",
			res.produced);
		return -EIO;
	}
	return 0;
}

int hisi_zip_selftest(struct hisi_zip *hzip)
{
	struct pci_dev *pdev = hzip->qm.pdev;
	struct hzip_st_bufs b = { .size = HZIP_ST_LEN + 2 * HZIP_ST_OUT_LEN };
	ktime_t t0 = ktime_get();
	u32 clen = 0;
	int ret;

	b.va = dma_alloc_coherent(&pdev->dev, b.size, &b.dma, GFP_KERNEL);
	if (!b.va)
		return -ENOMEM;
	ret = hzip_st_both(hzip, &b, &clen);
	if (ret == -ETIMEDOUT) {
		pci_err(pdev, "selftest: no completion within %d ms; keeping its buffers\n",
			HZIP_ST_TIMEOUT_MS);
		return ret;
	}
	dma_free_coherent(&pdev->dev, b.size, b.va, b.dma);
	if (ret) {
		pci_err(pdev, "selftest failed: %d\n", ret);
		return ret;
	}
	pci_info(pdev, "selftest passed: zlib %u -> %u bytes and back in %lld us\n",
		 HZIP_ST_LEN, clen, ktime_us_delta(ktime_get(), t0));
	return 0;
}

/* ---- burst: many requests in flight, rings wrapping -------------------- */

#define HZIP_BURST_IN_LEN	256
#define HZIP_BURST_OUT_LEN	512
#define HZIP_BURST_TIMEOUT_MS	30000

struct hzip_burst {
	wait_queue_head_t wq;
	atomic_t done;
	u32 next_tag;		/* completion order check; EQ handler only */
	u32 bad;		/* first bad completion + 1, or 0 */
	u32 bad_status;
	u32 produced;		/* every request compresses the same input */
};

static void hzip_burst_cb(struct hisi_qp *qp, void *sqe_slot)
{
	const struct hisi_zip_sqe *sqe = sqe_slot;
	struct hzip_burst *b = qp->priv;
	u32 tag = le32_to_cpu(sqe->tag);
	u32 status = le32_to_cpu(sqe->dw3) & HZIP_STATUS_MASK;

	/* One queue completes in order: a gap means a lost or doubled CQE. */
	if (!b->bad && (tag != b->next_tag || status ||
			le32_to_cpu(sqe->consumed) != HZIP_BURST_IN_LEN ||
			le32_to_cpu(sqe->produced) != b->produced)) {
		b->bad = b->next_tag + 1;
		b->bad_status = status;
	}
	b->next_tag++;
	/* The waiter reads bad/next_tag once it sees the count. */
	smp_mb__before_atomic();
	atomic_inc(&b->done);
	wake_up(&b->wq);
}

static const struct hisi_qp_ops hzip_burst_ops = {
	.req_done = hzip_burst_cb,
};

/* Submit @sqe, waiting for completions to make room while the SQ is full. */
static int hzip_burst_send(struct hisi_qp *qp, struct hzip_burst *b,
			   struct hisi_zip_sqe *sqe, unsigned int *busy)
{
	int ret;

	for (;;) {
		int seen = atomic_read(&b->done);

		ret = hisi_qm_send(qp, sqe);
		if (ret != -EBUSY)
			return ret;
		(*busy)++;
		if (!wait_event_timeout(b->wq, atomic_read(&b->done) != seen,
					msecs_to_jiffies(HZIP_ST_TIMEOUT_MS)))
			return -ETIMEDOUT;
	}
}

static int hzip_burst_run(struct hisi_zip *hzip, struct hisi_qp *qp, struct hzip_burst *b,
			  dma_addr_t dma, u32 n, unsigned int *busy)
{
	dma_addr_t out = dma + HZIP_BURST_IN_LEN;
	struct hisi_zip_sqe sqe;
	u32 i;
	int ret;

	for (i = 0; i < n; i++) {
		/* Each slot of the ring writes its own output buffer. */
		hzip_st_sqe(&sqe, dma, HZIP_BURST_IN_LEN,
			    out + (dma_addr_t)(i % QM_Q_DEPTH) * HZIP_BURST_OUT_LEN,
			    HZIP_BURST_OUT_LEN);
		sqe.tag = cpu_to_le32(i);
		ret = hzip_burst_send(qp, b, &sqe, busy);
		if (ret)
			return ret;
	}
	if (!wait_event_timeout(b->wq, atomic_read(&b->done) == n,
				msecs_to_jiffies(HZIP_BURST_TIMEOUT_MS)))
		return -ETIMEDOUT;
	/* Pairs with the callback's barrier before its count. */
	smp_rmb();
	if (b->bad) {
		pci_err(hzip->qm.pdev, "burst: request %u completed wrongly (status %#x)\n",
			b->bad - 1, b->bad_status);
		return -EIO;
	}
	return 0;
}

/*
 * Push @n compress requests through one queue, keeping the SQ full, so the
 * SQ, CQ and EQ all wrap several times (phase flips, batched EQ doorbells,
 * -EBUSY back-pressure). @produced is the size one request yields, known
 * from a single run first.
 */
int hisi_zip_burst(struct hisi_zip *hzip, u32 n)
{
	struct pci_dev *pdev = hzip->qm.pdev;
	size_t size = HZIP_BURST_IN_LEN + (size_t)QM_Q_DEPTH * HZIP_BURST_OUT_LEN;
	struct hzip_st_result one;
	struct hisi_zip_sqe sqe;
	struct hzip_burst b = { 0 };
	unsigned int busy = 0;
	ktime_t t0;
	struct hisi_qp *qp;
	dma_addr_t dma;
	void *va;
	int ret;

	va = dma_alloc_coherent(&pdev->dev, size, &dma, GFP_KERNEL);
	if (!va)
		return -ENOMEM;
	hzip_st_fill(va, HZIP_BURST_IN_LEN);
	hzip_st_sqe(&sqe, dma, HZIP_BURST_IN_LEN, dma + HZIP_BURST_IN_LEN, HZIP_BURST_OUT_LEN);
	ret = hzip_st_run(hzip, HZIP_ALG_TYPE_COMP, &sqe, &one);
	if (ret)
		goto out_leak_or_free;
	ret = hzip_st_check(pdev, "burst probe", &one, HZIP_BURST_IN_LEN);
	if (ret)
		goto out_leak_or_free;

	init_waitqueue_head(&b.wq);
	atomic_set(&b.done, 0);
	b.produced = one.produced;
	qp = hisi_qm_create_qp(&hzip->qm, HZIP_ALG_TYPE_COMP, HISI_QP_KERNEL);
	if (IS_ERR(qp)) {
		ret = PTR_ERR(qp);
		goto out_leak_or_free;
	}
	t0 = ktime_get();
	ret = hisi_qm_start_qp(qp, &hzip_burst_ops, &b);
	if (!ret)
		ret = hzip_burst_run(hzip, qp, &b, dma, n, &busy);
	hisi_qm_release_qp(qp);
	if (!ret)
		pci_info(pdev, "burst passed: %u requests on queue depth %u, %u waits for room, %lld us\n",
			 n, QM_Q_DEPTH, busy, ktime_us_delta(ktime_get(), t0));

out_leak_or_free:
	/* After a timeout the engine may still write the buffers: keep them. */
	if (ret == -ETIMEDOUT)
		pci_err(pdev, "burst: timed out after %d of %u completions\n",
			atomic_read(&b.done), n);
	else
		dma_free_coherent(&pdev->dev, size, va, dma);
	return ret;
}
