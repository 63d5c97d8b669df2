// SPDX-License-Identifier: GPL-2.0
/*
 * zip_fallback.c - software deflate for hisi_zip's acomp transforms
 * (zip_crypto.c) that lost their ZIP function.
 *
 * A transform outlives its function in two ways: the function is unbound
 * (a PCI unbind while zswap holds the transform), or it is found gone
 * (surprise removal; the QM sends HISI_QP_EVENT_GONE, or a late request
 * finds it). Either way the transform gets a synchronous software
 * transform of the same algorithm (struct hzip_sw): at unbind from a pool
 * allocated for every transform of the function (hzip_sw_pool_*), when the
 * function is found gone at once from the queue's work item (hzip_sw_get),
 * without waiting for an unbind that may come much later or never. The
 * requests in flight, the backlog and every later request then run there
 * (hzip_sw_run): the callers' buffers are intact, and a consumer such as
 * zswap, which cannot take a failed decompression, never sees one. Only
 * where no software implementation can be had (out of memory; every
 * algorithm zip_crypto.c registers has one) do they fail with -ENODEV.
 *
 * Locking:
 *   sw->lock (spinlock, bh)  - the software transform's one request and its
 *                              parameters; bottom halves off, the callers
 *                              may be softirqs. Innermost: nothing else is
 *                              taken under it.
 *   the owner's hzip_sw pointer (tctx->sw in zip_crypto.c) is set once, from
 *                              NULL, by cmpxchg (hzip_sw_install; the loser
 *                              frees its own), read with READ_ONCE, and freed
 *                              by the owner with the transform.
 *   a struct hzip_sw_pool      belongs to its one caller (an unbind): no lock.
 * Allocating a software transform sleeps and may load a module and run its
 * self-tests: never done under a lock of zip_crypto.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <crypto/acompress.h>

#include "zip_crypto.h"

/* A synchronous software transform that serves a detached transform. */
struct hzip_sw {
	struct crypto_acomp *tfm;
	struct acomp_req *req;
	spinlock_t lock;	/* req; bottom halves off, callers may be softirqs */
};

void hzip_sw_free(struct hzip_sw *sw)
{
	if (!sw)
		return;
	acomp_request_free(sw->req);
	crypto_free_acomp(sw->tfm);
	kfree(sw);
}

/* A synchronous implementation of @name (ours are asynchronous). */
struct hzip_sw *hzip_sw_alloc(const char *name)
{
	struct hzip_sw *sw = kzalloc(sizeof(*sw), GFP_KERNEL);

	if (!sw)
		return NULL;
	spin_lock_init(&sw->lock);
	sw->tfm = crypto_alloc_acomp(name, 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(sw->tfm)) {
		pr_warn("acomp: no software %s (%ld): transforms left by a removed device will fail\n",
			name, PTR_ERR(sw->tfm));
		kfree(sw);
		return NULL;
	}
	sw->req = acomp_request_alloc(sw->tfm);
	if (!sw->req) {
		crypto_free_acomp(sw->tfm);
		kfree(sw);
		return NULL;
	}
	acomp_request_set_callback(sw->req, 0, NULL, NULL);
	return sw;
}

/*
 * Give @sw to the owner whose pointer is @slot, unless it has one already
 * (a transform whose function was found gone): then @sw is freed.
 */
void hzip_sw_install(struct hzip_sw **slot, struct hzip_sw *sw)
{
	if (sw && cmpxchg(slot, NULL, sw))
		hzip_sw_free(sw);
}

/*
 * The owner's function is gone: give it its software implementation of
 * @name now, not at the unbind. From the queue's work item, which may
 * sleep, with no lock of zip_crypto.c held. No I/O in its reclaim: zswap
 * may be waiting for this very queue, and swapping out would need a
 * compressor of its own.
 */
void hzip_sw_get(struct hzip_sw **slot, const char *name)
{
	struct hzip_sw *sw;
	unsigned int noio;

	if (READ_ONCE(*slot))
		return;
	noio = memalloc_noio_save();
	sw = hzip_sw_alloc(name);
	memalloc_noio_restore(noio);
	hzip_sw_install(slot, sw);	/* the other queue of the pair may win */
}

/*
 * Run @req on @sw, synchronously, in the caller's context; -ENODEV without
 * a software transform. On success req->dlen is the output's length.
 */
int hzip_sw_run(struct hzip_sw *sw, struct acomp_req *req, bool decomp)
{
	int ret;

	if (!sw)
		return -ENODEV;
	spin_lock_bh(&sw->lock);
	acomp_request_set_params(sw->req, req->src, req->dst, req->slen, req->dlen);
	ret = decomp ? crypto_acomp_decompress(sw->req) : crypto_acomp_compress(sw->req);
	if (!ret)
		req->dlen = sw->req->dlen;
	spin_unlock_bh(&sw->lock);
	return ret;
}

/*
 * Unbind: one software transform for each of @p->n[0] deflate and @p->n[1]
 * zlib-deflate transforms that outlive the function. Without memory for
 * the array none is handed out; a failed allocation leaves a hole.
 */
void hzip_sw_pool_fill(struct hzip_sw_pool *p)
{
	unsigned int i, n = p->n[0] + p->n[1];

	p->used[0] = 0;
	p->used[1] = 0;
	p->sws = n ? kcalloc(n, sizeof(*p->sws), GFP_KERNEL) : NULL;
	for (i = 0; p->sws && i < n; i++)
		p->sws[i] = hzip_sw_alloc(i < p->n[0] ? "deflate" : "zlib-deflate");
}

/*
 * The next software transform of the pool for a transform of the kind
 * @zlib, now the caller's; NULL when there is none (a transform made after
 * the pool was filled, or no memory). hzip_sw_pool_used() counts it anyway.
 */
struct hzip_sw *hzip_sw_pool_take(struct hzip_sw_pool *p, bool zlib)
{
	struct hzip_sw *sw;
	unsigned int i;

	if (!p->sws || p->used[zlib] >= p->n[zlib])
		return NULL;
	i = (zlib ? p->n[0] : 0) + p->used[zlib]++;
	sw = p->sws[i];
	p->sws[i] = NULL;
	return sw;
}

unsigned int hzip_sw_pool_used(const struct hzip_sw_pool *p)
{
	return p->used[0] + p->used[1];
}

/* Free what was not taken. */
void hzip_sw_pool_free(struct hzip_sw_pool *p)
{
	unsigned int i;

	for (i = 0; p->sws && i < p->n[0] + p->n[1]; i++)
		hzip_sw_free(p->sws[i]);
	kfree(p->sws);
	p->sws = NULL;
}
