// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware compression engine: a session drives one accelerator queue
 * (wd_queue.h) through its user driver's compression hooks.
 *
 * The device sees only its own memory, so every request goes through bounce
 * buffers in an arena of device memory allocated at open (hisi_zip without
 * an IOMMU offers 1 MiB per queue; the arena takes HW_ARENA, 960 KiB):
 *  - one-shot and streaming: an input buffer of HW_IN, an output buffer of
 *    HW_OUT and the device's stream context. Inputs longer than HW_IN become
 *    a chain of stateful requests that the device turns into ONE stream
 *    (each non-final piece ends with a sync flush, an empty stored block);
 *  - async: HW_SLOTS slots of HW_SLOT_IN in and HW_SLOT_OUT out, one
 *    stateless request each, all in flight together. A request that does
 *    not fit a slot is run at poll time the one-shot way, in its turn
 *    (the slots and the one-shot buffers do not overlap, so requests on
 *    slots stay in flight meanwhile).
 * The device writes the deflate body and the trailer; headers are written
 * and parsed here (zlib: 78 9c; gzip: a 10-byte header, and every header
 * field on input, FHCRC checked).
 *
 * Threads: a session belongs to one thread (wd_comp.h), and so does its
 * queue; nothing is locked.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "comp_internal.h"
#include "queue_internal.h"

#define HW_SLOTS	8
#define HW_SLOT_IN	(16u * 1024)
#define HW_SLOT_OUT	(48u * 1024)
#define HW_SLOTS_SIZE	(HW_SLOTS * (HW_SLOT_IN + HW_SLOT_OUT))
#define HW_IN		(128u * 1024)
#define HW_OUT		(256u * 1024)	/* >= wd_comp_bound(HW_IN) */
#define HW_CTX		(64u * 1024)
#define HW_ARENA	(HW_SLOTS_SIZE + HW_IN + HW_OUT + HW_CTX)
#define HW_TIMEOUT_MS	20000
#define HW_SYNC_TAG	0xffffffffu
#define HW_DESC_MAX	128
/*
 * "Output full, resend" answers in a row that neither take input nor give
 * output: a working engine makes progress on every request, so after this
 * many it is stuck and decompression fails with WD_EIO instead of asking
 * forever (a few are ridden out).
 */
#define HW_STALL_MAX	8

/* gzip header parsing, one byte at a time so input may be split anywhere. */
enum hdr_state {
	HDR_FIXED,		/* the 10 fixed bytes (zlib: 2) */
	HDR_XLEN,
	HDR_EXTRA,
	HDR_NAME,
	HDR_COMMENT,
	HDR_HCRC,
	HDR_DONE,
};

struct hdr_parser {
	enum hdr_state state;
	unsigned int n;		/* bytes of the current field seen */
	unsigned int need;	/* XLEN */
	uint8_t b[10];
	uint8_t flags;
	uLong crc;
};

#define HW_SLOT_NONE	(-1)	/* not for a slot: run at poll, one-shot */
#define HW_SLOT_WAIT	(-2)	/* waiting for a free slot */

struct hw_areq {
	struct comp_req r;
	int slot;		/* a slot, or HW_SLOT_NONE / HW_SLOT_WAIT */
	bool done;
	int status;
	size_t hdr;		/* header bytes written (compress) */
	size_t produced;
};

struct comp_hw {
	struct wd_queue *q;
	bool own_queue;
	const struct wd_drv *drv;
	bool compress;
	unsigned int format;
	uint8_t *arena;
	uint64_t iova;
	uint8_t *in, *out;
	uint64_t in_iova, out_iova, ctx_iova;
	bool broken;		/* the device stopped answering */

	/* the current stream */
	bool started;		/* its first request went out */
	uint32_t isize, cksum;
	size_t in_fill;		/* compress: bytes waiting in ->in */
	uint8_t hdr[10];
	size_t hdr_off, hdr_len; /* compress: header not yet delivered */
	size_t out_off, out_len; /* output not yet delivered from ->out */
	bool finished;		/* compress: the final request is done */
	bool resend;		/* decompress: the device holds output */
	unsigned int stalls;	/* resend answers in a row with no progress */
	bool ended;		/* decompress: the stream is complete */
	struct hdr_parser hp;

	/* async */
	struct hw_areq areq[COMP_QUEUE_DEPTH];
	unsigned int head, count;
	unsigned int waiting;	/* requests in HW_SLOT_WAIT */
	unsigned int slot_free;	/* bitmask */
};

static struct comp_hw *hw_of(struct wd_comp_sess *sess)
{
	return sess->priv;
}

static size_t hdr_size(unsigned int format)
{
	return format == WD_FORMAT_ZLIB ? 2 : format == WD_FORMAT_GZIP ? 10 : 0;
}

static void hdr_make(unsigned int format, uint8_t *p)
{
	static const uint8_t zlib_hdr[2] = { 0x78, 0x9c };
	/* no name, no time; XFL 0, OS 3 (Unix), as zlib writes it */
	static const uint8_t gzip_hdr[10] = {
		0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3,
	};

	if (format == WD_FORMAT_ZLIB)
		memcpy(p, zlib_hdr, sizeof(zlib_hdr));
	else if (format == WD_FORMAT_GZIP)
		memcpy(p, gzip_hdr, sizeof(gzip_hdr));
}

/*
 * Feed header bytes. Returns 1 when the header is complete, 0 when more is
 * needed, or WD_EBADMSG / WD_EOPNOTSUPP (zlib preset dictionary); *used
 * says how many bytes belonged to the header.
 */
static int hdr_feed(struct hdr_parser *p, unsigned int format,
		    const uint8_t *in, size_t len, size_t *used)
{
	size_t i = 0;
	uint8_t c;

	*used = 0;
	if (format == WD_FORMAT_RAW)
		p->state = HDR_DONE;
	while (p->state != HDR_DONE && i < len) {
		c = in[i++];
		if ((p->flags & 0x02) && p->state != HDR_HCRC)
			p->crc = crc32(p->crc, &c, 1);
		switch (p->state) {
		case HDR_FIXED:
			p->b[p->n++] = c;
			if (format == WD_FORMAT_ZLIB && p->n == 2) {
				if ((p->b[0] & 0x0f) != 8 || p->b[0] >> 4 > 7 ||
				    ((p->b[0] << 8) | p->b[1]) % 31)
					return WD_EBADMSG;
				if (p->b[1] & 0x20)
					return WD_EOPNOTSUPP;
				p->state = HDR_DONE;
			} else if (format == WD_FORMAT_GZIP && p->n == 10) {
				if (p->b[0] != 0x1f || p->b[1] != 0x8b ||
				    p->b[2] != 8 || (p->b[3] & 0xe0))
					return WD_EBADMSG;
				p->flags = p->b[3];
				if (p->flags & 0x02)
					p->crc = crc32(crc32(0, NULL, 0),
						       p->b, 10);
				p->n = 0;
				p->state = HDR_XLEN;
			}
			break;
		case HDR_XLEN:
			p->need |= (unsigned int)c << (8 * p->n);
			if (++p->n == 2) {
				p->n = 0;
				p->state = p->need ? HDR_EXTRA : HDR_NAME;
			}
			break;
		case HDR_EXTRA:
			if (++p->n == p->need) {
				p->n = 0;
				p->state = HDR_NAME;
			}
			break;
		case HDR_NAME:
		case HDR_COMMENT:
			if (!c)
				p->state++;
			break;
		case HDR_HCRC:
			p->b[p->n++] = c;
			if (p->n == 2) {
				if ((unsigned int)(p->b[0] | p->b[1] << 8) !=
				    (unsigned int)(p->crc & 0xffff))
					return WD_EBADMSG;
				p->state = HDR_DONE;
			}
			break;
		case HDR_DONE:
			break;
		}
		/* skip the optional fields the flags do not announce */
		for (;;) {
			if (p->state == HDR_XLEN && !(p->flags & 0x04))
				p->state = HDR_NAME;
			else if (p->state == HDR_NAME && !(p->flags & 0x08))
				p->state = HDR_COMMENT;
			else if (p->state == HDR_COMMENT && !(p->flags & 0x10))
				p->state = HDR_HCRC;
			else if (p->state == HDR_HCRC && !(p->flags & 0x02))
				p->state = HDR_DONE;
			else
				break;
		}
	}
	*used = i;
	return p->state == HDR_DONE;
}

/* ---- requests ------------------------------------------------------------ */

static void areq_complete(struct comp_hw *h, const struct wd_comp_msg *m);

/*
 * Run one request to completion. Async requests that complete meanwhile
 * are recorded for wd_comp_poll().
 */
static int hw_run(struct comp_hw *h, struct wd_comp_msg *m)
{
	uint8_t desc[HW_DESC_MAX];
	struct wd_comp_msg r;
	int ret;

	if (h->broken)
		return WD_EIO;
	m->tag = HW_SYNC_TAG;
	h->drv->comp_fill(desc, m);
	ret = wd_send(h->q, desc);
	if (ret)
		return ret == WD_EBUSY ? WD_EAGAIN : ret;
	for (;;) {
		ret = wd_queue_wait(h->q, HW_TIMEOUT_MS);
		if (ret) {
			h->broken = true;	/* it may still write our buffers */
			return ret == WD_ETIMEDOUT ? WD_ETIMEDOUT : WD_EIO;
		}
		if (wd_recv(h->q, desc))
			continue;
		h->drv->comp_parse(desc, &r);
		if (r.tag != HW_SYNC_TAG) {
			areq_complete(h, &r);
			continue;
		}
		r.tag = m->tag;
		*m = r;
		return WD_OK;
	}
}

static void msg_init(struct comp_hw *h, struct wd_comp_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->format = h->format;
	m->ctx = h->ctx_iova;
}

/* One stateful request over h->in[0..len) into h->out. */
static int hw_stream_req(struct comp_hw *h, size_t len, bool finish,
			 struct wd_comp_msg *m)
{
	int ret;

	msg_init(h, m);
	m->stateful = true;
	m->new_stream = !h->started;
	m->finish = finish;
	m->src = h->in_iova;
	m->dst = h->out_iova;
	m->in_len = (uint32_t)len;
	m->out_cap = HW_OUT;
	m->isize = h->isize;
	m->cksum = h->cksum;
	ret = hw_run(h, m);
	if (!ret)
		ret = m->status;
	if (ret)
		return ret;
	h->started = true;
	h->isize = m->isize;
	h->cksum = m->cksum;
	return WD_OK;
}

/* Decompress: copy up to HW_IN of src in and run one stateful request. */
static int hw_decomp_step(struct comp_hw *h, const uint8_t *src, size_t len,
			  struct wd_comp_msg *m)
{
	int ret;

	if (len > HW_IN)
		len = HW_IN;
	if (len)
		memcpy(h->in, src, len);
	ret = hw_stream_req(h, len, false, m);
	if (ret)
		return ret;
	if (m->consumed > len || m->produced > HW_OUT)
		return WD_EIO;
	if (m->consumed || m->produced || m->end) {
		h->stalls = 0;
		return WD_OK;
	}
	/*
	 * Neither input taken nor output made. The engine answers "output
	 * full, resend" whenever the output buffer fills before the body
	 * ends; only the fetch that follows tells whether it held more. When
	 * the buffer filled exactly where the input ran out, that fetch (no
	 * input) brings nothing and asks nothing more: the engine waits for
	 * input, which is progress enough. With input, or asking again
	 * without giving anything (a bounded number of times), it is stuck.
	 */
	if (!len && !m->resend) {
		h->stalls = 0;
		return WD_OK;
	}
	if (!m->resend || ++h->stalls >= HW_STALL_MAX)
		return WD_EIO;
	return WD_OK;
}

static void stream_reset(struct comp_hw *h)
{
	h->started = false;
	h->isize = 0;
	h->cksum = 0;
	h->in_fill = 0;
	h->out_off = 0;
	h->out_len = 0;
	h->finished = false;
	h->resend = false;
	h->stalls = 0;
	h->ended = false;
	memset(&h->hp, 0, sizeof(h->hp));
	h->hdr_off = 0;
	h->hdr_len = h->compress ? hdr_size(h->format) : 0;
	hdr_make(h->format, h->hdr);
}

/* ---- one-shot ---------------------------------------------------------- */

static int hw_compress_oneshot(struct comp_hw *h, const uint8_t *src,
			       size_t len, uint8_t *dst, size_t *dst_len)
{
	size_t cap = *dst_len, pos = 0, hl = hdr_size(h->format), out;
	struct wd_comp_msg m;
	int ret;

	if (cap < hl)
		return WD_ENOSPC;
	hdr_make(h->format, dst);
	out = hl;
	if (len <= HW_IN) {
		/* one stateless request: no stream context needed */
		if (len)
			memcpy(h->in, src, len);
		msg_init(h, &m);
		m.ctx = 0;
		m.src = h->in_iova;
		m.dst = h->out_iova;
		m.in_len = (uint32_t)len;
		m.out_cap = (uint32_t)(cap - hl < HW_OUT ? cap - hl : HW_OUT);
		ret = hw_run(h, &m);
		if (!ret)
			ret = m.status;
		if (ret)
			return ret;
		if (m.produced > cap - hl)
			return WD_EIO;
		memcpy(dst + hl, h->out, m.produced);
		*dst_len = hl + m.produced;
		return WD_OK;
	}
	h->started = false;
	h->isize = 0;
	h->cksum = 0;
	while (pos < len) {
		size_t n = len - pos < HW_IN ? len - pos : HW_IN;

		memcpy(h->in, src + pos, n);
		ret = hw_stream_req(h, n, pos + n == len, &m);
		if (ret)
			return ret;
		if (m.produced > HW_OUT)
			return WD_EIO;
		if (m.produced > cap - out)
			return WD_ENOSPC;
		memcpy(dst + out, h->out, m.produced);
		out += m.produced;
		pos += n;
	}
	*dst_len = out;
	return WD_OK;
}

static int hw_decompress_oneshot(struct comp_hw *h, const uint8_t *src,
				 size_t len, uint8_t *dst, size_t *dst_len)
{
	size_t cap = *dst_len, pos, out = 0;
	struct wd_comp_msg m;
	int ret;

	memset(&h->hp, 0, sizeof(h->hp));
	ret = hdr_feed(&h->hp, h->format, src, len, &pos);
	if (ret < 0)
		return ret;
	if (!ret)
		return WD_EBADMSG;	/* the header alone is cut short */
	h->started = false;
	h->isize = 0;
	h->cksum = 0;
	h->stalls = 0;
	for (;;) {
		ret = hw_decomp_step(h, src + pos, len - pos, &m);
		if (ret)
			return ret;
		if (m.produced > cap - out)
			return WD_ENOSPC;
		memcpy(dst + out, h->out, m.produced);
		out += m.produced;
		pos += m.consumed;
		if (m.end)
			break;
		if (pos == len && !m.resend)
			return WD_EBADMSG;	/* truncated */
	}
	/* exactly one stream: bytes after it are not ours to ignore */
	if (pos != len)
		return WD_EBADMSG;
	*dst_len = out;
	return WD_OK;
}

static int hw_oneshot(struct wd_comp_sess *sess, const void *src,
		      size_t src_len, void *dst, size_t *dst_len)
{
	struct comp_hw *h = hw_of(sess);

	if (h->compress)
		return hw_compress_oneshot(h, src, src_len, dst, dst_len);
	return hw_decompress_oneshot(h, src, src_len, dst, dst_len);
}

/* ---- streaming ------------------------------------------------------------ */

/* Hand pending header and output to the caller; true if some remains. */
static bool drain(struct comp_hw *h, struct wd_comp_buf *buf)
{
	size_t n;

	if (h->hdr_off < h->hdr_len) {
		n = h->hdr_len - h->hdr_off;
		if (n > buf->avail_out)
			n = buf->avail_out;
		memcpy(buf->next_out, h->hdr + h->hdr_off, n);
		h->hdr_off += n;
		buf->next_out = (uint8_t *)buf->next_out + n;
		buf->avail_out -= n;
		if (h->hdr_off < h->hdr_len)
			return true;
	}
	if (h->out_off < h->out_len) {
		n = h->out_len - h->out_off;
		if (n > buf->avail_out)
			n = buf->avail_out;
		memcpy(buf->next_out, h->out + h->out_off, n);
		h->out_off += n;
		buf->next_out = (uint8_t *)buf->next_out + n;
		buf->avail_out -= n;
	}
	return h->out_off < h->out_len;
}

static int hw_compress_stream(struct comp_hw *h, struct wd_comp_buf *buf,
			      enum wd_flush flush)
{
	struct wd_comp_msg m;
	bool last;
	size_t n;
	int ret;

	for (;;) {
		if (drain(h, buf))
			return WD_OK;
		if (h->finished)
			return WD_STREAM_END;
		n = HW_IN - h->in_fill;
		if (n > buf->avail_in)
			n = buf->avail_in;
		memcpy(h->in + h->in_fill, buf->next_in, n);
		h->in_fill += n;
		buf->next_in = (const uint8_t *)buf->next_in + n;
		buf->avail_in -= n;
		last = flush == WD_FLUSH_FINISH && !buf->avail_in;
		if (h->in_fill < HW_IN && !last &&
		    !(flush == WD_FLUSH_SYNC && !buf->avail_in && h->in_fill))
			return WD_OK;	/* gather more before a request */
		ret = hw_stream_req(h, h->in_fill, last, &m);
		if (ret)
			return ret;
		if (m.produced > HW_OUT)
			return WD_EIO;
		h->in_fill = 0;
		h->out_off = 0;
		h->out_len = m.produced;
		h->finished = last;
	}
}

static int hw_decompress_stream(struct comp_hw *h, struct wd_comp_buf *buf,
				enum wd_flush flush)
{
	struct wd_comp_msg m;
	size_t used;
	int ret;

	for (;;) {
		if (drain(h, buf))
			return WD_OK;
		if (h->ended)
			return WD_STREAM_END;
		if (h->hp.state != HDR_DONE) {
			ret = hdr_feed(&h->hp, h->format, buf->next_in,
				       buf->avail_in, &used);
			buf->next_in = (const uint8_t *)buf->next_in + used;
			buf->avail_in -= used;
			if (ret < 0)
				return ret;
			if (!ret)
				return flush == WD_FLUSH_FINISH &&
				       buf->avail_out ? WD_EBADMSG : WD_OK;
		}
		if (!buf->avail_in && !h->resend)
			/* FINISH promises no more input: the stream is cut */
			return flush == WD_FLUSH_FINISH && buf->avail_out ?
			       WD_EBADMSG : WD_OK;
		if (!buf->avail_out)
			return WD_OK;	/* pending output would have no room */
		ret = hw_decomp_step(h, buf->next_in, buf->avail_in, &m);
		if (ret)
			return ret;
		buf->next_in = (const uint8_t *)buf->next_in + m.consumed;
		buf->avail_in -= m.consumed;
		h->out_off = 0;
		h->out_len = m.produced;
		h->resend = m.resend && !m.end;
		h->ended = m.end;
	}
}

static int hw_stream(struct wd_comp_sess *sess, struct wd_comp_buf *buf,
		     enum wd_flush flush)
{
	struct comp_hw *h = hw_of(sess);

	if (h->compress)
		return hw_compress_stream(h, buf, flush);
	return hw_decompress_stream(h, buf, flush);
}

/* ---- async ------------------------------------------------------------------ */

static uint8_t *slot_in(struct comp_hw *h, int slot)
{
	return h->arena + (size_t)slot * (HW_SLOT_IN + HW_SLOT_OUT);
}

static uint64_t slot_iova(struct comp_hw *h, int slot)
{
	return h->iova + (uint64_t)slot * (HW_SLOT_IN + HW_SLOT_OUT);
}

/* A device completion of async request m->tag. */
static void areq_complete(struct comp_hw *h, const struct wd_comp_msg *m)
{
	struct hw_areq *a;
	uint32_t body_len;

	if (m->tag >= COMP_QUEUE_DEPTH)
		return;		/* not ours: a stale tag */
	a = &h->areq[m->tag];
	if (a->slot < 0 || a->done)
		return;
	a->done = true;
	a->status = m->status;
	a->produced = m->produced;
	if (a->status)
		return;
	if (m->produced > HW_SLOT_OUT) {
		a->status = WD_EIO;
		return;
	}
	if (!h->compress) {
		body_len = (uint32_t)(a->r.src_len - a->hdr);
		/* one whole stream, nothing after it */
		if (!m->end || m->consumed != body_len)
			a->status = WD_EBADMSG;
	}
}

/* Take every completion the device has posted. */
static void hw_reap(struct comp_hw *h)
{
	uint8_t desc[HW_DESC_MAX];
	struct wd_comp_msg m;

	while (!wd_recv(h->q, desc)) {
		h->drv->comp_parse(desc, &m);
		areq_complete(h, &m);
	}
}

/* Put queued request @idx on the device in a free slot. */
static int areq_send(struct comp_hw *h, unsigned int idx)
{
	struct hw_areq *a = &h->areq[idx];
	const struct comp_req *r = &a->r;
	uint8_t desc[HW_DESC_MAX];
	struct wd_comp_msg m;
	size_t hl = a->hdr;
	int slot, ret;

	slot = __builtin_ctz(h->slot_free);
	msg_init(h, &m);
	m.ctx = 0;
	m.tag = idx;
	if (h->compress) {
		m.in_len = (uint32_t)r->src_len;
		memcpy(slot_in(h, slot), r->src, r->src_len);
		m.out_cap = (uint32_t)(r->dst_cap - hl < HW_SLOT_OUT ?
				       r->dst_cap - hl : HW_SLOT_OUT);
	} else {
		m.in_len = (uint32_t)(r->src_len - hl);
		memcpy(slot_in(h, slot), (const uint8_t *)r->src + hl,
		       m.in_len);
		m.out_cap = (uint32_t)(r->dst_cap < HW_SLOT_OUT ?
				       r->dst_cap : HW_SLOT_OUT);
	}
	m.src = slot_iova(h, slot);
	m.dst = m.src + HW_SLOT_IN;
	h->drv->comp_fill(desc, &m);
	ret = wd_send(h->q, desc);
	if (ret)
		return ret == WD_EBUSY ? WD_EAGAIN : ret;
	h->slot_free &= ~(1u << slot);
	a->slot = slot;
	return WD_OK;
}

/* Requests waiting for a slot go out in order as slots come free. */
static int hw_dispatch(struct comp_hw *h)
{
	unsigned int i, idx;
	int ret;

	for (i = 0; i < h->count && h->waiting && h->slot_free; i++) {
		idx = (h->head + i) % COMP_QUEUE_DEPTH;
		if (h->areq[idx].slot != HW_SLOT_WAIT)
			continue;
		ret = areq_send(h, idx);
		if (ret)
			return ret;
		h->waiting--;
	}
	return WD_OK;
}

static int hw_submit(struct wd_comp_sess *sess, const struct comp_req *r)
{
	struct comp_hw *h = hw_of(sess);
	unsigned int idx = (h->head + h->count) % COMP_QUEUE_DEPTH;
	struct hw_areq *a = &h->areq[idx];
	size_t hl = 0, used;
	int ret;

	if (h->count == COMP_QUEUE_DEPTH)
		return WD_EAGAIN;
	if (h->broken)
		return WD_EIO;
	memset(a, 0, sizeof(*a));
	a->r = *r;
	a->slot = HW_SLOT_NONE;
	if (!h->compress) {
		memset(&h->hp, 0, sizeof(h->hp));
		ret = hdr_feed(&h->hp, h->format, r->src, r->src_len, &used);
		if (ret <= 0) {
			/* a bad header fails the request, not the submit */
			a->done = true;
			a->status = ret ? ret : WD_EBADMSG;
			goto queued;
		}
		hl = used;
	} else {
		hl = hdr_size(h->format);
		if (r->dst_cap < hl) {
			a->done = true;
			a->status = WD_ENOSPC;
			goto queued;
		}
	}
	a->hdr = hl;
	if (r->src_len - (h->compress ? 0 : hl) > HW_SLOT_IN)
		goto queued;	/* too big for a slot: the one-shot way */
	if (h->waiting || !h->slot_free) {
		a->slot = HW_SLOT_WAIT;	/* after those already waiting */
		h->waiting++;
		goto queued;
	}
	ret = areq_send(h, idx);
	if (ret)
		return ret;
queued:
	h->count++;
	return WD_OK;
}

/* Finish the request at the head: results into dst, slot back. */
static void areq_finish(struct comp_hw *h, struct wd_comp_sess *sess,
			struct hw_areq *a, size_t *produced)
{
	bool fits;

	*produced = 0;
	if (a->slot == HW_SLOT_WAIT) {	/* no slot came free: not expected */
		a->slot = HW_SLOT_NONE;
		h->waiting--;
	}
	if (a->slot >= 0) {
		h->slot_free |= 1u << a->slot;
		/* the slot was too small, the caller's buffer is not */
		fits = h->compress ? a->r.dst_cap - a->hdr <= HW_SLOT_OUT :
				     a->r.dst_cap <= HW_SLOT_OUT;
		if (a->status == WD_ENOSPC && !fits) {
			a->slot = HW_SLOT_NONE;
			a->done = false;
		}
	}
	if (a->slot < 0 && !a->done) {
		*produced = a->r.dst_cap;
		a->status = hw_oneshot(sess, a->r.src, a->r.src_len, a->r.dst,
				       produced);
		return;
	}
	if (a->status)
		return;
	if (h->compress) {
		hdr_make(h->format, a->r.dst);
		memcpy((uint8_t *)a->r.dst + a->hdr,
		       slot_in(h, a->slot) + HW_SLOT_IN, a->produced);
		*produced = a->hdr + a->produced;
	} else {
		memcpy(a->r.dst, slot_in(h, a->slot) + HW_SLOT_IN,
		       a->produced);
		*produced = a->produced;
	}
}

static int hw_poll(struct wd_comp_sess *sess, unsigned int max,
		   int timeout_ms)
{
	struct comp_hw *h = hw_of(sess);
	struct hw_areq a;
	size_t produced;
	int done = 0, ret;

	while ((unsigned int)done < max && h->count) {
		struct hw_areq *head = &h->areq[h->head];

		ret = hw_dispatch(h);
		if (ret)
			return done ? done : ret;

		if (head->slot >= 0 && !head->done) {
			hw_reap(h);
			if (!head->done) {
				if (!timeout_ms)
					break;
				ret = wd_queue_wait(h->q, timeout_ms);
				if (ret == WD_ETIMEDOUT)
					break;
				if (ret) {
					h->broken = true;
					return done ? done : WD_EIO;
				}
				continue;
			}
		}
		areq_finish(h, sess, head, &produced);
		/* dequeue first: the callback may submit into this entry */
		a = *head;
		h->head = (h->head + 1) % COMP_QUEUE_DEPTH;
		h->count--;
		if (a.status)
			a.r.cb(a.r.opaque, a.status, 0, 0);
		else
			a.r.cb(a.r.opaque, WD_OK, a.r.src_len, produced);
		done++;
		timeout_ms = 0;	/* wait for the first one only */
	}
	return done;
}

static unsigned int hw_pending(const struct wd_comp_sess *sess)
{
	const struct comp_hw *h = sess->priv;

	return h->count;
}

/* ---- life cycle ------------------------------------------------------------- */

/* Let everything in flight land before buffers are reused or freed. */
static int hw_drain(struct comp_hw *h)
{
	uint8_t desc[HW_DESC_MAX];

	while (!h->broken && wd_queue_inflight(h->q)) {
		if (wd_queue_wait(h->q, HW_TIMEOUT_MS)) {
			h->broken = true;
			return WD_ETIMEDOUT;
		}
		while (!wd_recv(h->q, desc))
			;
	}
	h->head = 0;
	h->count = 0;
	h->waiting = 0;
	h->slot_free = (1u << HW_SLOTS) - 1;
	return h->broken ? WD_EIO : WD_OK;
}

static int hw_setup(struct comp_hw *h, struct wd_comp_sess *sess)
{
	h->drv = h->q->drv;
	if (!h->drv->comp_fill || !h->drv->comp_parse)
		return WD_EOPNOTSUPP;
	h->compress = sess->setup.dir == WD_DIR_COMPRESS;
	h->format = sess->setup.format;
	h->arena = wd_mem_alloc(h->q, HW_ARENA);
	if (!h->arena)
		return WD_ENOMEM;
	if (wd_mem_iova(h->q, h->arena, HW_ARENA, &h->iova)) {
		wd_mem_free(h->q, h->arena);
		h->arena = NULL;
		return WD_EIO;
	}
	h->in = h->arena + HW_SLOTS_SIZE;
	h->out = h->in + HW_IN;
	h->in_iova = h->iova + HW_SLOTS_SIZE;
	h->out_iova = h->in_iova + HW_IN;
	h->ctx_iova = h->out_iova + HW_OUT;
	h->slot_free = (1u << HW_SLOTS) - 1;
	stream_reset(h);
	sess->priv = h;
	return WD_OK;
}

int comp_hw_init_on_queue(struct wd_comp_sess *sess, struct wd_queue *q)
{
	struct comp_hw *h = calloc(1, sizeof(*h));
	int ret;

	if (!h)
		return WD_ENOMEM;
	h->q = q;
	ret = q->drv->set_alg(q, sess->setup.dir == WD_DIR_DECOMPRESS);
	if (!ret)
		ret = hw_setup(h, sess);
	if (ret)
		free(h);
	return ret;
}

static int hw_init(struct wd_comp_sess *sess)
{
	struct wd_queue_setup qs = {
		.numa_node = sess->setup.numa_node,
		.flags = WD_QUEUE_CREATE |
			 (sess->setup.flags & WD_COMP_SPREAD ? WD_QUEUE_SPREAD : 0),
		.alg = sess->setup.dir == WD_DIR_DECOMPRESS,
		.ctx = sess->setup.ctx,
	};
	struct comp_hw *h = calloc(1, sizeof(*h));
	int ret;

	if (!h)
		return WD_ENOMEM;
	ret = wd_queue_open(&h->q, &qs);
	if (ret) {
		free(h);
		return ret;
	}
	h->own_queue = true;
	ret = hw_setup(h, sess);
	if (ret) {
		wd_queue_close(h->q);
		free(h);
	}
	return ret;
}

static void hw_exit(struct wd_comp_sess *sess)
{
	struct comp_hw *h = hw_of(sess);

	if (!h)
		return;
	hw_drain(h);
	/* a device that stopped answering may still write the arena */
	if (!h->broken)
		wd_mem_free(h->q, h->arena);
	if (h->own_queue)
		wd_queue_close(h->q);
	free(h);
	sess->priv = NULL;
}

static int hw_reset(struct wd_comp_sess *sess)
{
	struct comp_hw *h = hw_of(sess);
	int ret = hw_drain(h);

	stream_reset(h);
	return ret;
}

const struct comp_engine_ops comp_hw_ops = {
	.engine = WD_ENGINE_HW,
	.init = hw_init,
	.exit = hw_exit,
	.reset = hw_reset,
	.oneshot = hw_oneshot,
	.stream = hw_stream,
	.submit = hw_submit,
	.poll = hw_poll,
	.pending = hw_pending,
};
