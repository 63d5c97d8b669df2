// SPDX-License-Identifier: GPL-2.0
/*
 * parallel.c - compression on N threads into ONE stream, as pigz does.
 *
 * The input is cut into blocks (-b, default 128 KiB; --rsyncable ends them
 * early at points the content picks). Each block becomes raw
 * deflate ending on a byte boundary (WD_FLUSH_SYNC; the last one
 * WD_FLUSH_FINISH) with the 32 KiB before it as preset dictionary, so the
 * blocks concatenate into one deflate stream that compresses about as well
 * as a serial one. Check values are computed per block in the workers and
 * combined in order (crc32_combine / adler32_combine).
 *
 * The main thread reads blocks into a ring of jobs and writes finished jobs
 * in order; the workers each own one libwd session (sessions are
 * single-threaded by contract) and take jobs in order.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "wd-zip.h"

enum { JOB_FREE, JOB_READY, JOB_DONE };

struct block {
	unsigned char *in;	/* WDZ_WINDOW bytes of dictionary, then data */
	size_t dict, len;
	unsigned char *out;
	size_t out_cap, out_len;
	uint32_t check;		/* crc32 (gzip) or adler32 (zlib) of the data */
	bool last;
	int state;
	int status;		/* WD_* of the failed call */
	const char *what;	/* which call failed */
};

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t work, done;
	struct block *ring;
	unsigned int nring;
	uint64_t queued;	/* jobs handed to the workers */
	uint64_t taken;		/* jobs a worker has started */
	bool quit;
	struct wd_comp_setup setup;
	enum wd_engine engine;	/* what served (the last session opened) */
	bool used_hw, used_sw;
};

struct worker {
	struct pool *pool;
	pthread_t tid;
	struct wd_comp_sess *sess;
};

static int open_session(struct pool *p, struct wd_comp_sess **sess,
			enum wd_engine engine)
{
	struct wd_comp_setup s = p->setup;
	int ret;

	s.engine = engine;
	ret = wd_comp_open(sess, &s);
	if (ret)
		return ret;
	pthread_mutex_lock(&p->lock);
	if (wd_comp_engine(*sess) == WD_ENGINE_HW)
		p->used_hw = true;
	else
		p->used_sw = true;
	pthread_mutex_unlock(&p->lock);
	return 0;
}

static int grow_out(struct block *b)
{
	size_t cap = b->out_cap * 2;
	unsigned char *n = realloc(b->out, cap);

	if (!n)
		return WD_ENOMEM;
	b->out = n;
	b->out_cap = cap;
	return 0;
}

/* One block into raw deflate. Returns 0 or a WD_* error, b->what says where. */
static int deflate_block(struct wd_comp_sess *sess, struct block *b)
{
	enum wd_flush flush = b->last ? WD_FLUSH_FINISH : WD_FLUSH_SYNC;
	struct wd_comp_buf buf;
	int ret;

	b->what = "reset";
	ret = wd_comp_reset(sess);
	if (ret)
		return ret;
	if (b->dict) {
		b->what = "set dictionary";
		ret = wd_comp_set_dictionary(sess, b->in + WDZ_WINDOW - b->dict,
					     b->dict);
		/* Without one the block is still valid deflate, a bit larger. */
		if (ret && ret != WD_EOPNOTSUPP)
			return ret;
	}
	memset(&buf, 0, sizeof(buf));
	buf.next_in = b->in + WDZ_WINDOW;
	buf.avail_in = b->len;
	buf.next_out = b->out;
	buf.avail_out = b->out_cap;
	b->what = "compress";
	for (;;) {
		size_t ai = buf.avail_in, ao = buf.avail_out;

		ret = wd_comp_stream(sess, &buf, flush);
		if (ret < 0)
			return ret;
		if (ret == WD_STREAM_END)
			break;
		/* A sync flush is complete when output room is left over. */
		if (!b->last && !buf.avail_in && buf.avail_out)
			break;
		if (!buf.avail_out) {
			size_t used = buf.next_out ? (unsigned char *)buf.next_out - b->out : 0;

			ret = grow_out(b);
			if (ret)
				return ret;
			buf.next_out = b->out + used;
			buf.avail_out = b->out_cap - used;
		} else if (ai == buf.avail_in && ao == buf.avail_out) {
			/* No progress with input and room: the engine is stuck. */
			return WD_EIO;
		}
	}
	b->out_len = (unsigned char *)buf.next_out - b->out;
	return 0;
}

/*
 * A device's output is read back before it is trusted: inflate the block
 * with its dictionary and compare it with the input. A device that writes
 * valid-looking but wrong data (the engine cannot check itself) would
 * otherwise cost the user the file once the input is removed. zlib's own
 * output is not checked. Returns 0 or WD_EBADMSG.
 */
static int verify_block(const struct block *b)
{
	unsigned char out[16384];
	const unsigned char *want = b->in + WDZ_WINDOW;
	bool bad = false, drained = false;
	size_t done = 0;
	z_stream zs;
	int ret;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, -15) != Z_OK)
		return WD_ENOMEM;
	if (b->dict && inflateSetDictionary(&zs, b->in + WDZ_WINDOW - b->dict,
					    (uInt)b->dict) != Z_OK)
		bad = true;
	zs.next_in = b->out;
	zs.avail_in = (uInt)b->out_len;
	while (!bad) {
		size_t got;

		zs.next_out = out;
		zs.avail_out = sizeof(out);
		ret = inflate(&zs, Z_SYNC_FLUSH);
		got = sizeof(out) - zs.avail_out;
		if (got > b->len - done || memcmp(out, want + done, got)) {
			bad = true;
			break;
		}
		done += got;
		if (ret == Z_STREAM_END)
			break;
		if (ret == Z_BUF_ERROR && !zs.avail_in) {
			drained = true;	/* all read: where a sync flush ends */
			break;
		}
		if (ret != Z_OK)
			bad = true;
	}
	/* the last block ends the stream; the others end on a byte boundary */
	if (!bad && (done != b->len || zs.avail_in ||
		     (b->last ? ret != Z_STREAM_END : !drained)))
		bad = true;
	inflateEnd(&zs);
	return bad ? WD_EBADMSG : 0;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct block *b;
		int ret;

		while (!p->quit && p->taken == p->queued)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->quit)
			break;
		b = &p->ring[p->taken++ % p->nring];
		pthread_mutex_unlock(&p->lock);

		if (opt.format == WD_FORMAT_ZLIB)
			b->check = adler32(1, b->in + WDZ_WINDOW, b->len);
		else
			b->check = crc32(0, b->in + WDZ_WINDOW, b->len);
		ret = w->sess ? deflate_block(w->sess, b) : WD_ENODEV;
		if (!ret && wd_comp_engine(w->sess) == WD_ENGINE_HW) {
			b->what = "verify the device's output";
			ret = verify_block(b);
		}
		/*
		 * --engine=auto: a device that fails mid-job costs speed, not
		 * the file: redo the block on a software session.
		 */
		if (ret && ret != WD_ENOMEM && opt.engine == WD_ENGINE_AUTO &&
		    (!w->sess || wd_comp_engine(w->sess) == WD_ENGINE_HW)) {
			if (w->sess)
				wd_comp_close(w->sess);
			w->sess = NULL;
			ret = open_session(p, &w->sess, WD_ENGINE_SW);
			if (!ret)
				ret = deflate_block(w->sess, b);
		}
		b->status = ret;

		pthread_mutex_lock(&p->lock);
		b->state = JOB_DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* zlib's header: CMF 0x78 (deflate, 32 KiB window), FLEVEL from the level. */
static size_t zlib_header(unsigned char *h, int level)
{
	unsigned int flevel = level <= 1 ? 0 : level <= 5 ? 1 : level == 6 ? 2 : 3;
	unsigned int v = 0x7800 | flevel << 6;

	v += 31 - v % 31;
	h[0] = v >> 8;
	h[1] = v & 0xff;
	return 2;
}

static int write_header(struct wdz_job *job)
{
	unsigned char h[16 + 4096];
	size_t n = 0;

	if (opt.format == WD_FORMAT_GZIP)
		n = wdz_gzip_header(h, job->hdr_name, job->hdr_mtime, opt.level);
	else if (opt.format == WD_FORMAT_ZLIB)
		n = zlib_header(h, opt.level);
	job->bytes_out += n;
	return n ? wdz_write_all(job->out_fd, h, n, job->out_name) : 0;
}

static int write_trailer(struct wdz_job *job, uint32_t check)
{
	unsigned char t[8];
	size_t n = 0;

	if (opt.format == WD_FORMAT_GZIP) {
		wdz_put32le(t, check);
		/* ISIZE is the length modulo 2^32 (RFC 1952). */
		wdz_put32le(t + 4, (uint32_t)job->bytes_in);
		n = 8;
	} else if (opt.format == WD_FORMAT_ZLIB) {
		t[0] = check >> 24;
		t[1] = check >> 16;
		t[2] = check >> 8;
		t[3] = check;
		n = 4;
	}
	job->bytes_out += n;
	return n ? wdz_write_all(job->out_fd, t, n, job->out_name) : 0;
}

static void engine_error(struct wdz_job *job, struct block *b)
{
	if (b->status == WD_ENODEV && opt.engine == WD_ENGINE_HW)
		wdz_err("%s: no accelerator for --engine=hw: %s", job->in_name,
			wd_strerror(b->status));
	else
		wdz_err("%s: compression failed (%s): %s", job->in_name,
			b->what ? b->what : "open", wd_strerror(b->status));
}

/*
 * Read the next block; the data goes after the dictionary room: first what
 * --rsyncable cut off the previous block (@carry bytes after prev->len),
 * then new input. *eof: the input ended within this block.
 */
static int read_block(struct wdz_job *job, struct block *b,
		      const struct block *prev, size_t carry, bool *eof)
{
	size_t want = opt.blocksize - carry, got;

	if (carry)
		memcpy(b->in + WDZ_WINDOW, prev->in + WDZ_WINDOW + prev->len, carry);
	if (wdz_read_full(job->in_fd, b->in + WDZ_WINDOW + carry, want,
			  job->in_name, &got))
		return -1;
	b->len = carry + got;
	*eof = got < want;
	return 0;
}

/*
 * --rsyncable, as pigz: a hash of the last 12 input bytes picks cut points
 * from the content alone, and a block ends after the last one it holds.
 * An insertion or deletion then changes the output only up to the next
 * cut point (and its 32 KiB dictionary), so rsync finds the rest again.
 * Returns how many bytes move on to the next block; *hash carries the
 * state to the cut.
 */
#define RSYNC_BITS	12
#define RSYNC_MASK	((1U << RSYNC_BITS) - 1)
#define RSYNC_HIT	(RSYNC_MASK >> 1)

static size_t rsync_cut(struct block *b, unsigned int *hash)
{
	const unsigned char *p = b->in + WDZ_WINDOW;
	unsigned int h = *hash;
	size_t i, cut = 0, left;

	for (i = 0; i < b->len; i++) {
		h = ((h << 1) ^ p[i]) & RSYNC_MASK;
		if (h == RSYNC_HIT)
			cut = i + 1;
	}
	if (!cut || cut == b->len) {
		*hash = h;
		return 0;
	}
	/* the next block starts at the cut and scans its bytes again */
	*hash = RSYNC_HIT;
	left = b->len - cut;
	b->len = cut;
	return left;
}

int wdz_compress(struct wdz_job *job)
{
	unsigned int nthr = opt.procs, i;
	struct worker *w = NULL;
	struct pool p;
	uint64_t nread = 0, nwritten = 0;
	uint32_t check = opt.format == WD_FORMAT_ZLIB ? 1 : 0;
	struct block *prev = NULL, *pending = NULL;
	unsigned int rsync_hash = 0;
	size_t carry = 0;
	bool eof = false, short_read;
	int ret = -1, err;

	memset(&p, 0, sizeof(p));
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.work, NULL);
	pthread_cond_init(&p.done, NULL);
	p.setup.format = WD_FORMAT_RAW;
	p.setup.dir = WD_DIR_COMPRESS;
	p.setup.level = opt.level;
	p.setup.numa_node = -1;
	/*
	 * One queue per worker, over every function there is; the workers'
	 * queues on one function share its IOVA space through the context.
	 */
	p.setup.flags = WD_COMP_SPREAD;
	if (wd_ctx_new(&p.setup.ctx))
		goto nomem;
	/* Reading ahead of the workers keeps them busy; more is just memory. */
	p.nring = 2 * nthr + 2;
	p.ring = calloc(p.nring, sizeof(*p.ring));
	w = calloc(nthr, sizeof(*w));
	if (!p.ring || !w)
		goto nomem;
	for (i = 0; i < p.nring; i++) {
		struct block *b = &p.ring[i];

		b->out_cap = wd_comp_bound(WD_FORMAT_RAW, opt.blocksize) + 64;
		b->in = malloc(WDZ_WINDOW + opt.blocksize);
		b->out = malloc(b->out_cap);
		if (!b->in || !b->out)
			goto nomem;
	}
	/* Open every session up front: --engine=hw must fail before output. */
	for (i = 0; i < nthr; i++) {
		w[i].pool = &p;
		err = open_session(&p, &w[i].sess, opt.engine);
		if (err) {
			w[i].sess = NULL;
			if (opt.engine == WD_ENGINE_HW || i == 0) {
				if (opt.engine == WD_ENGINE_HW && err == WD_ENODEV)
					wdz_err("%s: --engine=hw: no accelerator found",
						job->in_name);
				else
					wdz_err("%s: cannot open a %s compression session: %s",
						job->in_name, wd_engine_name(opt.engine),
						wd_strerror(err));
				nthr = i;
				goto out;
			}
		}
	}
	job->engine = wd_comp_engine(w[0].sess);
	for (i = 0; i < nthr; i++) {
		if (pthread_create(&w[i].tid, NULL, worker_main, &w[i])) {
			wdz_err("cannot start a thread: %s", strerror(errno));
			nthr = i;
			goto out;
		}
	}
	job->threads = nthr;
	if (write_header(job))
		goto out;

	/*
	 * A block is queued only once the next read shows whether it is the
	 * last (FINISH instead of SYNC), so 'pending' trails the reads by one.
	 */
	while (!eof || nwritten < nread) {
		struct block *b = NULL;

		pthread_mutex_lock(&p.lock);
		/* Read when a slot is free, else wait for the oldest job. */
		if (!eof && nread - nwritten < p.nring) {
			pthread_mutex_unlock(&p.lock);
			b = &p.ring[nread % p.nring];
			if (read_block(job, b, prev, carry, &short_read))
				goto out;
			carry = 0;
			if (!b->len && nread) {
				eof = true;
				pending->last = true;
			} else {
				b->state = JOB_FREE;
				b->last = false;
				b->dict = 0;
				if (prev) {
					b->dict = prev->len < WDZ_WINDOW ? prev->len : WDZ_WINDOW;
					memcpy(b->in + WDZ_WINDOW - b->dict,
					       prev->in + WDZ_WINDOW + prev->len - b->dict,
					       b->dict);
				}
				if (!b->len) {	/* empty input: one empty block */
					eof = true;
					b->last = true;
				} else if (short_read) {
					/* End of the file or pipe. */
					eof = true;
					b->last = true;
				} else if (opt.rsyncable) {
					carry = rsync_cut(b, &rsync_hash);
				}
				nread++;
				job->bytes_in += b->len;
				prev = b;
			}
			pthread_mutex_lock(&p.lock);
			if (pending) {
				pending->state = JOB_READY;
				p.queued++;
				pthread_cond_signal(&p.work);
			}
			pending = NULL;
			if (b->len) {
				if (b->last) {
					b->state = JOB_READY;
					p.queued++;
					pthread_cond_signal(&p.work);
				} else {
					pending = b;
				}
			} else if (nread == 1 && b->last) {
				b->state = JOB_READY;
				p.queued++;
				pthread_cond_signal(&p.work);
			}
			pthread_mutex_unlock(&p.lock);
			wdz_progress(job, job->bytes_in, false);
			continue;
		}
		b = &p.ring[nwritten % p.nring];
		while (b->state != JOB_DONE)
			pthread_cond_wait(&p.done, &p.lock);
		pthread_mutex_unlock(&p.lock);
		if (b->status) {
			engine_error(job, b);
			goto out;
		}
		if (wdz_write_all(job->out_fd, b->out, b->out_len, job->out_name))
			goto out;
		job->bytes_out += b->out_len;
		if (opt.format == WD_FORMAT_ZLIB)
			check = adler32_combine(check, b->check, b->len);
		else
			check = crc32_combine(check, b->check, b->len);
		b->state = JOB_FREE;
		nwritten++;
	}
	if (write_trailer(job, check))
		goto out;
	ret = 0;
	goto out;
nomem:
	wdz_err("%s: out of memory", job->in_name);
out:
	pthread_mutex_lock(&p.lock);
	p.quit = true;
	pthread_cond_broadcast(&p.work);
	pthread_mutex_unlock(&p.lock);
	for (i = 0; w && i < nthr; i++)
		pthread_join(w[i].tid, NULL);
	for (i = 0; w && i < opt.procs; i++)
		if (w[i].sess)
			wd_comp_close(w[i].sess);
	if (p.used_hw && p.used_sw)
		job->engine = WD_ENGINE_AUTO;	/* both served: say so */
	else if (p.used_hw)
		job->engine = WD_ENGINE_HW;
	else
		job->engine = WD_ENGINE_SW;
	for (i = 0; p.ring && i < p.nring; i++) {
		free(p.ring[i].in);
		free(p.ring[i].out);
	}
	free(p.ring);
	free(w);
	wd_ctx_free(p.setup.ctx);	/* after the sessions */
	pthread_mutex_destroy(&p.lock);
	pthread_cond_destroy(&p.work);
	pthread_cond_destroy(&p.done);
	wdz_progress(job, job->bytes_in, true);
	return ret;
}
