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
 * Locking: runs in probe, single-threaded; the completion callback (EQ hard
 * IRQ) only copies the result and completes st->done.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/string.h>

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
	ret = hisi_qm_start_qp(qp, hzip_st_cb, res);
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
