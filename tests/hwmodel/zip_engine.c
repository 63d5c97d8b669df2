// SPDX-License-Identifier: GPL-2.0
/*
 * zip_engine.c - what the ZIP cores do with one SQE: read the source buffer,
 * (de)compress it with zlib, write the destination and the result fields.
 *
 * The hardware emits and checks only the deflate body and the zlib/gzip
 * trailer; the headers are the driver's business. Stateful streams keep their
 * zlib state inside the model (it cannot be serialised into the guest's
 * context buffer the way the real cores do it), keyed by function and stream
 * context address; the guest buffer gets a small marker record instead.
 */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

#define STREAM_MAGIC	0x43534d5au	/* "ZMSC" */
#define MARKER_SIZE	16

struct zstream {
	struct zstream *next;
	unsigned int fn;
	uint64_t ctx;
	uint32_t id;
	bool busy;
	bool comp;
	bool zinit;
	bool done;		/* finished or broken: freed on release */
	unsigned int type;
	z_stream *live;		/* current state */
	z_stream *spare;	/* compress: snapshot to roll back to */
	bool body_done;		/* decompress: deflate body ended */
	uint8_t trailer[8];
	unsigned int trailer_have;
	uint64_t total_in, total_out;
	z_stream zs[2];
};

struct zjob {
	struct zipm_fn *f;
	uint8_t *sqe;
	bool decomp;
	unsigned int type;
	uint32_t dw7;
	uint32_t in_len;
	size_t dest_len;
	uint64_t src, dst, ctx;
	uint8_t *in;
	uint8_t *out;
	size_t consumed, produced;
	uint32_t status;	/* dw3 value: status | last-block bit */
	uint32_t ctx_st;
	uint32_t isize, cksum;
	bool stream_words;	/* report isize/checksum in dw30/dw31 */
};

static unsigned int trailer_len(unsigned int type)
{
	return type == REQ_ZLIB ? 4 : type == REQ_GZIP ? 8 : 0;
}

static uint32_t cksum_init(unsigned int type)
{
	return type == REQ_ZLIB ? 1 : 0;
}

static uint32_t cksum_update(unsigned int type, uint32_t ck, const uint8_t *p,
			     size_t len)
{
	if (type == REQ_ZLIB)
		return (uint32_t)adler32_z(ck, p, len);
	if (type == REQ_GZIP)
		return (uint32_t)crc32_z(ck, p, len);
	return 0;
}

static void put_trailer(unsigned int type, uint8_t *p, uint32_t ck,
			uint32_t isize)
{
	if (type == REQ_ZLIB) {
		p[0] = (uint8_t)(ck >> 24);
		p[1] = (uint8_t)(ck >> 16);
		p[2] = (uint8_t)(ck >> 8);
		p[3] = (uint8_t)ck;
	} else if (type == REQ_GZIP) {
		put_le32(p, ck);
		put_le32(p + 4, isize);
	}
}

static bool trailer_ok(unsigned int type, const uint8_t *p, uint32_t ck,
		       uint32_t isize)
{
	uint8_t want[8];
	unsigned int n = trailer_len(type);

	put_trailer(type, want, ck, isize);
	return !memcmp(want, p, n);
}

static void *xmalloc(size_t n)
{
	return malloc(n ? n : 1);
}

/* ---- stateless -------------------------------------------------------- */

static void comp_oneshot(struct zjob *j)
{
	unsigned int tl = trailer_len(j->type);
	z_stream zs = { 0 };
	size_t cap, body;
	int ret;

	if (deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		j->status = ZST_BAD_REQ;
		return;
	}
	cap = deflateBound(&zs, j->in_len) + tl;
	if (cap > j->dest_len)
		cap = j->dest_len;
	j->out = xmalloc(cap);
	if (!j->out) {
		deflateEnd(&zs);
		j->status = ZST_BAD_REQ;
		return;
	}
	zs.next_in = j->in;
	zs.avail_in = j->in_len;
	zs.next_out = j->out;
	zs.avail_out = (uInt)cap;
	ret = deflate(&zs, Z_FINISH);
	body = cap - zs.avail_out;
	deflateEnd(&zs);
	if (ret != Z_STREAM_END || body + tl > cap) {
		j->status = ZST_DSTLEN;
		return;
	}
	j->cksum = cksum_update(j->type, cksum_init(j->type), j->in, j->in_len);
	j->isize = j->in_len;
	put_trailer(j->type, j->out + body, j->cksum, j->isize);
	j->consumed = j->in_len;
	j->produced = body + tl;
	j->status = j->produced > j->in_len ? ZST_NEGACOMP : ZST_OK;
}

static void decomp_oneshot(struct zjob *j)
{
	unsigned int tl = trailer_len(j->type);
	z_stream zs = { 0 };
	size_t body_in, out;
	int ret;

	if (inflateInit2(&zs, -15) != Z_OK) {
		j->status = ZST_BAD_REQ;
		return;
	}
	j->out = xmalloc(j->dest_len);
	if (!j->out) {
		inflateEnd(&zs);
		j->status = ZST_BAD_REQ;
		return;
	}
	zs.next_in = j->in;
	zs.avail_in = j->in_len;
	zs.next_out = j->out;
	zs.avail_out = (uInt)j->dest_len;
	ret = inflate(&zs, Z_FINISH);
	body_in = j->in_len - zs.avail_in;
	out = j->dest_len - zs.avail_out;
	inflateEnd(&zs);

	if (ret != Z_STREAM_END) {
		/* Out of room, or input ended (truncated) or was malformed. */
		bool room = ret == Z_BUF_ERROR && zs.avail_out == 0;

		j->status = room ? ZST_DSTLEN : ZST_DATA;
		return;
	}
	if (j->in_len - body_in < tl) {
		j->status = ZST_DATA;
		return;
	}
	j->cksum = cksum_update(j->type, cksum_init(j->type), j->out, out);
	j->isize = (uint32_t)out;
	if (!trailer_ok(j->type, j->in + body_in, j->cksum, j->isize)) {
		j->status = ZST_CRC;
		return;
	}
	j->consumed = body_in + tl;
	j->produced = out;
	j->status = ZST_OK | ZST_LAST_BLOCK;
}

/* ---- streams ---------------------------------------------------------- */

static struct zstream *stream_find_locked(struct zipm *m, unsigned int fn,
					  uint64_t ctx)
{
	struct zstream *s;

	for (s = m->streams; s; s = s->next)
		if (s->fn == fn && s->ctx == ctx)
			return s;
	return NULL;
}

static void stream_zfree(struct zstream *s)
{
	if (!s->zinit)
		return;
	if (s->comp)
		deflateEnd(s->live);
	else
		inflateEnd(s->live);
	s->zinit = false;
}

static void stream_unlink_locked(struct zipm *m, struct zstream *s)
{
	struct zstream **pp;

	for (pp = &m->streams; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			m->nstreams--;
			return;
		}
	}
}

void streams_free_fn_locked(struct zipm *m, unsigned int fn)
{
	struct zstream **pp = &m->streams;

	while (*pp) {
		struct zstream *s = *pp;

		if (s->fn != fn) {
			pp = &s->next;
			continue;
		}
		*pp = s->next;
		m->nstreams--;
		stream_zfree(s);
		free(s);
	}
}

/* (Re)initialise zlib state for a new stream; called unlocked, stream busy. */
static bool stream_zinit(struct zstream *s, bool comp, unsigned int type)
{
	int ret;

	stream_zfree(s);
	s->comp = comp;
	s->type = type;
	s->done = false;
	s->body_done = false;
	s->trailer_have = 0;
	s->total_in = 0;
	s->total_out = 0;
	s->live = &s->zs[0];
	s->spare = &s->zs[1];
	memset(s->zs, 0, sizeof(s->zs));
	if (comp)
		ret = deflateInit2(s->live, 6, Z_DEFLATED, -15, 8,
				   Z_DEFAULT_STRATEGY);
	else
		ret = inflateInit2(s->live, -15);
	s->zinit = ret == Z_OK;
	return s->zinit;
}

static void marker_write(struct zjob *j, struct zstream *s)
{
	uint8_t mk[MARKER_SIZE];

	put_le32(mk, STREAM_MAGIC);
	put_le32(mk + 4, s->done ? 0 : s->id);
	put_le32(mk + 8, (uint32_t)s->total_in);
	put_le32(mk + 12, (uint32_t)s->total_out);
	if (dma_write_chunked(j->f, j->ctx, mk, sizeof(mk)))
		j->status = ZST_AXI;
}

static bool marker_matches(struct zjob *j, const struct zstream *s)
{
	uint8_t mk[MARKER_SIZE];

	if (dma_read_chunked(j->f, j->ctx, mk, sizeof(mk)))
		return false;
	return get_le32(mk) == STREAM_MAGIC && get_le32(mk + 4) == s->id;
}

/* Find or create the stream of this request and mark it busy. */
static struct zstream *stream_acquire(struct zjob *j, bool new)
{
	struct zipm *m = j->f->m;
	struct zstream *s;

	pthread_mutex_lock(&m->lock);
	s = stream_find_locked(m, j->f->idx, j->ctx);
	if (s && s->busy) {
		s = NULL;
	} else if (!s && new && m->nstreams < ZIPM_MAX_STREAMS) {
		s = calloc(1, sizeof(*s));
		if (s) {
			s->fn = j->f->idx;
			s->ctx = j->ctx;
			s->next = m->streams;
			m->streams = s;
			m->nstreams++;
		}
	} else if (s && !new && (s->comp == j->decomp || s->type != j->type)) {
		s = NULL;
	}
	if (s) {
		s->busy = true;
		if (new) {
			if (++m->next_stream_id == 0)
				m->next_stream_id = 1;
			s->id = m->next_stream_id;
		}
	}
	pthread_mutex_unlock(&m->lock);
	if (!s)
		return NULL;
	if (new ? stream_zinit(s, !j->decomp, j->type) : marker_matches(j, s))
		return s;
	pthread_mutex_lock(&m->lock);
	s->busy = false;
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

static void stream_release(struct zjob *j, struct zstream *s)
{
	struct zipm *m = j->f->m;

	pthread_mutex_lock(&m->lock);
	s->busy = false;
	if (s->done)
		stream_unlink_locked(m, s);
	pthread_mutex_unlock(&m->lock);
	if (s->done) {
		stream_zfree(s);
		free(s);
	}
}

static void comp_stream(struct zjob *j, struct zstream *s)
{
	bool finish = j->dw7 & DW7_FLUSH_FINISH;
	unsigned int tl = finish ? trailer_len(j->type) : 0;
	z_stream *z = s->live, *t;
	size_t cap, body;
	bool ok;
	int ret;

	if (deflateCopy(s->spare, z) != Z_OK) {
		j->status = ZST_CTX;
		return;
	}
	/* Slack for the sync-flush marker and block headers. */
	cap = deflateBound(z, j->in_len) + 64 + tl;
	if (cap > j->dest_len)
		cap = j->dest_len;
	j->out = xmalloc(cap);
	z->next_in = j->in;
	z->avail_in = j->in_len;
	z->next_out = j->out;
	z->avail_out = (uInt)cap;
	ret = j->out ? deflate(z, finish ? Z_FINISH : Z_SYNC_FLUSH) : Z_MEM_ERROR;
	body = cap - z->avail_out;
	if (finish)
		ok = ret == Z_STREAM_END && body + tl <= cap;
	else
		ok = (ret == Z_OK || ret == Z_BUF_ERROR) && !z->avail_in &&
		     z->avail_out;
	if (!ok) {
		/* Roll back so the driver can resend with a bigger buffer. */
		deflateEnd(z);
		t = s->live;
		s->live = s->spare;
		s->spare = t;
		j->status = ZST_DSTLEN;
		return;
	}
	deflateEnd(s->spare);
	j->cksum = cksum_update(j->type, j->cksum, j->in, j->in_len);
	j->isize += j->in_len;
	if (finish) {
		put_trailer(j->type, j->out + body, j->cksum, j->isize);
		s->done = true;
	}
	j->consumed = j->in_len;
	j->produced = body + tl;
	j->status = ZST_OK;
}

static void decomp_stream(struct zjob *j, struct zstream *s)
{
	unsigned int tl = trailer_len(j->type);
	z_stream *z = s->live;
	size_t pos = 0;
	int ret;

	j->out = xmalloc(j->dest_len);
	if (!j->out) {
		j->status = ZST_BAD_REQ;
		return;
	}
	if (!s->body_done) {
		z->next_in = j->in;
		z->avail_in = j->in_len;
		z->next_out = j->out;
		z->avail_out = (uInt)j->dest_len;
		ret = inflate(z, Z_SYNC_FLUSH);
		if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR) {
			s->done = true;
			j->status = ZST_DATA;
			return;
		}
		s->body_done = ret == Z_STREAM_END;
		pos = j->in_len - z->avail_in;
		j->produced = j->dest_len - z->avail_out;
		j->cksum = cksum_update(j->type, j->cksum, j->out, j->produced);
		j->isize += (uint32_t)j->produced;
		/* Output full mid-body: more may be pending, resend. */
		if (!s->body_done && !z->avail_out)
			j->ctx_st = 1;
	}
	if (s->body_done) {
		size_t take = tl - s->trailer_have;

		if (take > j->in_len - pos)
			take = j->in_len - pos;
		memcpy(s->trailer + s->trailer_have, j->in + pos, take);
		s->trailer_have += (unsigned int)take;
		pos += take;
	}
	j->consumed = pos;
	j->status = ZST_OK;
	if (s->body_done && s->trailer_have == tl) {
		s->done = true;
		j->status = trailer_ok(j->type, s->trailer, j->cksum, j->isize) ?
			    ZST_DECOMP_END | ZST_LAST_BLOCK : ZST_CRC;
	}
}

static void run_stream(struct zjob *j)
{
	bool new = j->dw7 & DW7_NEW_STREAM;
	struct zstream *s;

	if (!j->ctx) {
		j->status = ZST_BAD_REQ;
		return;
	}
	s = stream_acquire(j, new);
	if (!s) {
		j->status = ZST_CTX;
		return;
	}
	/* Running isize/checksum come back in dw30/dw31, as UADK carries them. */
	if (new) {
		j->isize = 0;
		j->cksum = cksum_init(j->type);
	} else {
		j->isize = sqe_get(j->sqe, SQE_ISIZE);
		j->cksum = sqe_get(j->sqe, SQE_CHECKSUM);
	}
	j->stream_words = true;
	if (j->decomp)
		decomp_stream(j, s);
	else
		comp_stream(j, s);
	s->total_in += j->consumed;
	s->total_out += j->produced;
	marker_write(j, s);
	stream_release(j, s);
}

/* ---- one request ------------------------------------------------------- */

static void parse(struct zjob *j, struct zq *q)
{
	uint32_t dw9 = sqe_get(j->sqe, SQE_DW9);

	j->decomp = q->decomp;
	j->type = dw9 & 0xff;
	j->dw7 = sqe_get(j->sqe, SQE_DW7);
	j->in_len = sqe_get(j->sqe, SQE_IN_LEN);
	j->dest_len = sqe_get(j->sqe, SQE_DEST_AVAIL);
	if (j->dest_len > ZIPM_MAX_REQ_BYTES)
		j->dest_len = ZIPM_MAX_REQ_BYTES;
	j->src = sqe_get64(j->sqe, SQE_SRC_L);
	j->dst = sqe_get64(j->sqe, SQE_DST_L);
	j->ctx = sqe_get64(j->sqe, SQE_STREAM_CTX_L);
	if (j->type < REQ_DEFLATE || j->type > REQ_GZIP ||
	    ((dw9 >> 8) & 0xf) != 0 || j->in_len > ZIPM_MAX_REQ_BYTES)
		j->status = ZST_BAD_REQ;
}

static void execute(struct zjob *j)
{
	struct zipm *m = j->f->m;
	struct irqbatch b = { 0 };

	j->in = xmalloc(j->in_len);
	if (!j->in) {
		j->status = ZST_BAD_REQ;
		return;
	}
	if (dma_read_chunked(j->f, j->src, j->in, j->in_len)) {
		j->status = ZST_AXI;
		pthread_mutex_lock(&m->lock);
		core_error_raise_locked(m, CORE_AXI_RRESP, &b);
		pthread_mutex_unlock(&m->lock);
		irq_flush(m, &b);
		return;
	}
	if (j->dw7 & DW7_STATEFUL)
		run_stream(j);
	else if (j->decomp)
		decomp_oneshot(j);
	else
		comp_oneshot(j);
}

static void write_output(struct zjob *j)
{
	struct zipm *m = j->f->m;
	struct irqbatch b = { 0 };
	uint8_t st = j->status & 0xff;
	bool good = st == ZST_OK || st == ZST_NEGACOMP || st == ZST_DECOMP_END;

	if (!good || !j->produced)
		return;
	pthread_mutex_lock(&m->lock);
	if (fault_take_corrupt_locked(m))
		j->out[j->produced / 2] ^= 0xff;
	pthread_mutex_unlock(&m->lock);
	if (dma_write_chunked(j->f, j->dst, j->out, j->produced)) {
		j->status = ZST_AXI;
		j->produced = 0;
		pthread_mutex_lock(&m->lock);
		core_error_raise_locked(m, CORE_AXI_BRESP, &b);
		pthread_mutex_unlock(&m->lock);
		irq_flush(m, &b);
	}
}

/*
 * Process the SQE in @sqe (a copy the caller writes back to the ring). The
 * caller holds a reference on @f and @q is busy, so its context is stable.
 */
void zip_process(struct zipm_fn *f, struct zq *q, uint8_t *sqe)
{
	struct zipm *m = f->m;
	struct zjob j = { .f = f, .sqe = sqe };
	uint8_t fail;
	bool failed, stall = false;

	pthread_mutex_lock(&m->lock);
	failed = fault_take_fail_locked(m, &fail);
	parse(&j, q);
	/*
	 * "stall": a stateful decompression past a stream's first request
	 * answers "output full, resend" and makes no progress; the stream
	 * state stays as it was.
	 */
	if (!failed && !j.status && j.decomp && (j.dw7 & DW7_STATEFUL) &&
	    !(j.dw7 & DW7_NEW_STREAM))
		stall = fault_take_stall_locked(m);
	pthread_mutex_unlock(&m->lock);

	if (failed)
		j.status = fail;
	else if (stall)
		j.ctx_st = 1;
	else if (!j.status)
		execute(&j);
	if (j.status & 0xff && (j.status & 0xff) != ZST_NEGACOMP &&
	    (j.status & 0xff) != ZST_DECOMP_END) {
		j.consumed = 0;	/* errors report nothing done */
		j.produced = 0;
	}
	write_output(&j);

	sqe_set(sqe, SQE_CONSUMED, (uint32_t)j.consumed);
	sqe_set(sqe, SQE_PRODUCED, (uint32_t)j.produced);
	sqe_set(sqe, SQE_DW3, j.status);
	sqe_set(sqe, SQE_CTX_DW0,
		(sqe_get(sqe, SQE_CTX_DW0) & ~0xfu) | j.ctx_st);
	if (j.stream_words) {
		sqe_set(sqe, SQE_ISIZE, j.isize);
		sqe_set(sqe, SQE_CHECKSUM, j.cksum);
	}
	free(j.in);
	free(j.out);

	pthread_mutex_lock(&m->lock);
	fault_count_locked(m, j.status & 0xff);
	pthread_mutex_unlock(&m->lock);
}
