// SPDX-License-Identifier: GPL-2.0
/*
 * parallel.c - compression on N threads into ONE stream, as pigz does.
 *
 * The input is cut into blocks (-b; --rsyncable ends them early at points
 * the content picks). Every block becomes raw deflate that ends on a byte
 * boundary, except the last, which ends the stream, so the blocks
 * concatenate into one deflate stream. Check values are computed per block
 * in the workers and combined in order (crc32_combine / adler32_combine).
 *
 * Three ways to compress a block:
 * - on the device, through a libwd session: 128 KiB blocks by default, each
 *   with the 32 KiB before it as preset dictionary and a sync flush
 *   (WD_FLUSH_SYNC; the last one WD_FLUSH_FINISH);
 * - in software with libdeflate, when configure found it and the level is
 *   one where it beats zlib on both speed and ratio (ld_level()): it only
 *   compresses whole buffers into a complete deflate stream, with no
 *   dictionary and no flush, so blocks are larger (1 MiB by default) and
 *   each is made joinable afterwards (ld_join());
 * - in software with zlib, exactly as pigz does it (z_block()): 128 KiB,
 *   the dictionary, and the cheapest way to a byte boundary.
 * wd-zip drives the software compressors itself rather than through
 * libwd's software engine: libwd's streaming API has no place for
 * libdeflate or for pigz's block ends. A worker on the device that fails
 * under --engine=auto redoes the block in software; every kind of block
 * joins the same stream.
 *
 * The main thread reads blocks into a ring of jobs and writes finished jobs
 * in order; the workers each own their compressor (a libwd session, a
 * libdeflate compressor or a z_stream; none is shared between threads) and
 * take jobs in order.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#ifdef HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

#include "wd-zip.h"

#define WDZ_BLOCK_ZLIB	(128 * 1024)	/* pigz's; the dictionary keeps the ratio */
#define WDZ_BLOCK_LD	(1024 * 1024)	/* no dictionary: fewer cold starts */
/* smaller libdeflate blocks lose to pigz's ratio: zlib serves them */
#define WDZ_BLOCK_LD_MIN (256 * 1024)
/* ld_join() adds at most a byte and an empty stored block's LEN/NLEN */
#define WDZ_JOIN_ROOM	5

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
	size_t blocksize;	/* input bytes per block, at most */
	bool libdeflate;	/* software blocks are libdeflate's, not zlib's */
	bool used_hw, used_sw;
};

struct worker {
	struct pool *pool;
	pthread_t tid;
	struct wd_comp_sess *sess;
	bool soft;		/* compresses in software, not with a session */
	z_stream def;		/* z_block()'s */
	bool def_ready;
#ifdef HAVE_LIBDEFLATE
	struct libdeflate_compressor *ldc;
	z_stream walk;		/* ld_join()'s inflate */
	bool walk_ready;
	unsigned char *scratch;	/* its output: a block's data, thrown away */
#endif
};

static uint32_t check_value(const unsigned char *p, size_t len)
{
#ifdef HAVE_LIBDEFLATE
	/* the same values as zlib's, faster (carry-less multiply) */
	if (opt.format == WD_FORMAT_ZLIB)
		return libdeflate_adler32(1, p, len);
	return libdeflate_crc32(0, p, len);
#else
	if (opt.format == WD_FORMAT_ZLIB)
		return adler32(1, p, len);
	return crc32(0, p, len);
#endif
}

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

#ifdef HAVE_LIBDEFLATE
/*
 * Make a complete deflate stream joinable: clear the BFINAL bit of its last
 * block and end it on a byte boundary with an empty stored block (what a
 * sync flush writes). Where the last block starts is only known by decoding
 * the stream: zlib's inflate() with Z_BLOCK stops at every block boundary,
 * and data_type then says how many bits of the last byte it took are unused
 * (the next block header starts right after the used ones; deflate fills
 * bytes from the least significant bit). The decoding is not free: about
 * 40% of a worker's time at -1, under 10% at -6 (measured on text and
 * binaries); a walker that only skips over the codes would cost less.
 * Returns 0, WD_ENOMEM or WD_EIO (not a deflate stream as expected).
 */
static int ld_join(struct worker *w, struct block *b)
{
	static const unsigned char stored_empty[4] = { 0x00, 0x00, 0xff, 0xff };
	z_stream *zs = &w->walk;
	unsigned char *out = b->out;
	unsigned int unused;
	size_t end;
	bool last;

	if (!w->walk_ready) {
		memset(zs, 0, sizeof(*zs));
		if (inflateInit2(zs, -15) != Z_OK)
			return WD_ENOMEM;
		w->walk_ready = true;
	} else if (inflateReset(zs) != Z_OK) {
		return WD_EIO;
	}
	if (!b->out_len)
		return WD_EIO;
	/* the first block's header is the first bit */
	last = out[0] & 1;
	out[0] &= ~1;
	zs->next_in = out;
	zs->avail_in = (uInt)b->out_len;
	zs->next_out = w->scratch;
	zs->avail_out = (uInt)w->pool->blocksize;
	for (;;) {
		if (inflate(zs, Z_BLOCK) != Z_OK || !(zs->data_type & 128))
			return WD_EIO;	/* a bad stream, or one cut short */
		unused = zs->data_type & 7;
		if (last)
			break;
		/*
		 * The next header's first bit is BFINAL. When it is in the
		 * byte inflate() took last, inflate() sees it set and still
		 * stops at that block's end (Z_BLOCK stops before it looks
		 * at the last-block state): clearing it in the output is
		 * enough.
		 */
		if (unused) {
			unsigned char bit = 0x100 >> unused;

			last = zs->next_in[-1] & bit;
			out[zs->next_in - out - 1] &= ~bit;
		} else {
			if (!zs->avail_in)
				return WD_EIO;	/* no last block */
			last = zs->next_in[0] & 1;
			out[zs->next_in - out] &= ~1;
		}
	}
	end = zs->next_in - out;
	if (end != b->out_len || zs->total_out != b->len)
		return WD_EIO;
	/*
	 * The stored block's 3 header bits (all 0: not final, type 00) go
	 * right after the last used bit; its LEN starts on the next byte.
	 */
	if (unused)
		out[end - 1] &= (1U << (8 - unused)) - 1;
	if (unused < 3)
		out[end++] = 0;
	memcpy(out + end, stored_empty, sizeof(stored_empty));
	b->out_len = end + sizeof(stored_empty);
	return 0;
}

/*
 * libdeflate's level for -N, 0 where zlib serves instead. libdeflate's
 * levels are not zlib's: on text its 6 makes up to 2% more than zlib's 6,
 * its 7 less (text with a large vocabulary, sources, binaries) in half
 * the time. The map keeps every level's output no larger than zlib's
 * (pigz's) on such data, and faster: 1 2 4 4 6 7 - - 10 (its 3 and 5 are
 * only just as good as zlib's on repetitive text). At 7 and 8 nothing of
 * libdeflate's is both (its 8 and 9 are slower than zlib's 7 and 8 on
 * text, its 7 and 9 larger), so zlib serves there, as in pigz.
 * tests/tools/wd-zip-ratio.sh holds wd-zip to pigz at every level.
 */
static int ld_level(int level)
{
	static const signed char map[10] = { 0, 1, 2, 4, 4, 6, 7, 0, 0, 10 };

	return level >= 1 && level <= 9 ? map[level] : 0;
}

/* One block with libdeflate; 0 or a WD_* error, b->what says where. */
static int ld_block(struct worker *w, struct block *b)
{
	size_t n;

	b->what = "compress (libdeflate)";
	if (!w->ldc) {
		w->ldc = libdeflate_alloc_compressor(ld_level(opt.level));
		w->scratch = malloc(w->pool->blocksize);
		if (!w->ldc || !w->scratch)
			return WD_ENOMEM;
	}
	n = libdeflate_deflate_compress(w->ldc, b->in + WDZ_WINDOW, b->len,
					b->out, b->out_cap - WDZ_JOIN_ROOM);
	if (!n)
		return WD_ENOSPC;	/* the room is libdeflate's bound */
	b->out_len = n;
	if (b->last)
		return 0;
	b->what = "join libdeflate's blocks";
	return ld_join(w, b);
}

static void ld_free(struct worker *w)
{
	libdeflate_free_compressor(w->ldc);
	if (w->walk_ready)
		inflateEnd(&w->walk);
	free(w->scratch);
}
#else
static int ld_block(struct worker *w, struct block *b)
{
	return WD_EOPNOTSUPP;
}

static void ld_free(struct worker *w)
{
}
#endif

/*
 * One block with zlib, the way pigz ends it: Z_BLOCK ends the last deflate
 * block without aligning; then, when 2, 4 or 6 bits are left over, empty
 * static blocks (10 bits each) reach the byte boundary, which costs less
 * than a sync flush's empty stored block (needed when an odd number is
 * left). Returns 0 or a WD_* error.
 */
static int z_block(struct worker *w, struct block *b)
{
	z_stream *zs = &w->def;
	int bits;

	b->what = "compress (zlib)";
	if (!w->def_ready) {
		memset(zs, 0, sizeof(*zs));
		if (deflateInit2(zs, opt.level, Z_DEFLATED, -15, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK)
			return WD_ENOMEM;
		w->def_ready = true;
	} else if (deflateReset(zs) != Z_OK) {
		return WD_EIO;
	}
	if (b->dict && deflateSetDictionary(zs, b->in + WDZ_WINDOW - b->dict,
					    (uInt)b->dict) != Z_OK)
		return WD_EIO;
	/* -b is at most 1 GiB: it fits in a uInt */
	zs->next_in = b->in + WDZ_WINDOW;
	zs->avail_in = (uInt)b->len;
	zs->next_out = b->out;
	zs->avail_out = (uInt)b->out_cap;
	if (b->last) {
		if (deflate(zs, Z_FINISH) != Z_STREAM_END)
			return WD_EIO;
	} else {
		if (deflate(zs, Z_BLOCK) != Z_OK || zs->avail_in)
			return WD_EIO;
		deflatePending(zs, NULL, &bits);
		if (bits & 1) {
			if (deflate(zs, Z_SYNC_FLUSH) != Z_OK)
				return WD_EIO;
		} else if (bits & 7) {
			do {
				if (deflatePrime(zs, 10, 2) != Z_OK)
					return WD_EIO;
				deflatePending(zs, NULL, &bits);
			} while (bits & 7);
			if (deflate(zs, Z_BLOCK) != Z_OK)
				return WD_EIO;
		}
		/* out_cap is deflate's bound and more: never full */
		if (!zs->avail_out)
			return WD_EIO;
	}
	b->out_len = b->out_cap - zs->avail_out;
	return 0;
}

static int soft_block(struct worker *w, struct block *b)
{
	return w->pool->libdeflate ? ld_block(w, b) : z_block(w, b);
}

/* Software from now on, for this worker (--engine=auto, the device failed). */
static void go_soft(struct worker *w)
{
	struct pool *p = w->pool;

	if (w->sess)
		wd_comp_close(w->sess);
	w->sess = NULL;
	w->soft = true;
	pthread_mutex_lock(&p->lock);
	p->used_sw = true;
	pthread_mutex_unlock(&p->lock);
}

static int run_block(struct worker *w, struct block *b)
{
	int ret;

	if (w->soft)
		return soft_block(w, b);
	ret = w->sess ? deflate_block(w->sess, b) : WD_ENODEV;
	if (!ret && wd_comp_engine(w->sess) == WD_ENGINE_HW) {
		b->what = "verify the device's output";
		ret = verify_block(b);
	}
	/*
	 * --engine=auto: a device that fails mid-job costs speed, not
	 * the file: redo the block in software.
	 */
	if (ret && ret != WD_ENOMEM && opt.engine == WD_ENGINE_AUTO &&
	    (!w->sess || wd_comp_engine(w->sess) == WD_ENGINE_HW)) {
		go_soft(w);
		ret = soft_block(w, b);
	}
	return ret;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct block *b;

		while (!p->quit && p->taken == p->queued)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->quit)
			break;
		b = &p->ring[p->taken++ % p->nring];
		pthread_mutex_unlock(&p->lock);

		b->check = check_value(b->in + WDZ_WINDOW, b->len);
		b->status = run_block(w, b);

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
static int read_block(struct wdz_job *job, const struct pool *p, struct block *b,
		      const struct block *prev, size_t carry, bool *eof)
{
	size_t want = p->blocksize - carry, got;

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
	unsigned int nthr = opt.procs, started = 0, i;
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
	w = calloc(nthr, sizeof(*w));
	if (!w)
		goto nomem;
	/*
	 * Open every session up front: --engine=hw must fail before output.
	 * Software is wd-zip's own, not a session's.
	 */
	for (i = 0; i < nthr; i++) {
		w[i].pool = &p;
		if (opt.engine == WD_ENGINE_SW) {
			w[i].soft = true;
			p.used_sw = true;
			continue;
		}
		err = open_session(&p, &w[i].sess, opt.engine);
		if (!err && wd_comp_engine(w[i].sess) == WD_ENGINE_SW) {
			wd_comp_close(w[i].sess);
			w[i].sess = NULL;
			w[i].soft = true;
			continue;
		}
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
	job->engine = w[0].soft ? WD_ENGINE_SW : wd_comp_engine(w[0].sess);
	/*
	 * libdeflate needs large blocks to match zlib's ratio without a
	 * dictionary: it serves -b 256 and more, and by default when the
	 * software does all the work. --rsyncable: a change costs the
	 * blocks it touches, so they stay small: zlib's, as in pigz.
	 */
#ifdef HAVE_LIBDEFLATE
	p.libdeflate = ld_level(opt.level) && !opt.rsyncable &&
		       (!opt.blocksize || opt.blocksize >= WDZ_BLOCK_LD_MIN);
#endif
	p.blocksize = opt.blocksize;
	if (!p.blocksize) {
		bool device = false;

		for (i = 0; i < nthr; i++)
			device |= w[i].sess != NULL;	/* only devices' stay open */
		p.blocksize = !device && p.libdeflate ? WDZ_BLOCK_LD : WDZ_BLOCK_ZLIB;
	}
	if (p.blocksize < WDZ_BLOCK_LD_MIN)
		p.libdeflate = false;

	/* Reading ahead of the workers keeps them busy; more is just memory. */
	p.nring = 2 * nthr + 2;
	p.ring = calloc(p.nring, sizeof(*p.ring));
	if (!p.ring)
		goto nomem;
	for (i = 0; i < p.nring; i++) {
		struct block *b = &p.ring[i];

		b->out_cap = wd_comp_bound(WD_FORMAT_RAW, p.blocksize);
		if (b->out_cap < compressBound(p.blocksize))
			b->out_cap = compressBound(p.blocksize);
#ifdef HAVE_LIBDEFLATE
		if (b->out_cap < libdeflate_deflate_compress_bound(NULL, p.blocksize))
			b->out_cap = libdeflate_deflate_compress_bound(NULL, p.blocksize);
#endif
		b->out_cap += 64 + WDZ_JOIN_ROOM;
		b->in = malloc(WDZ_WINDOW + p.blocksize);
		b->out = malloc(b->out_cap);
		if (!b->in || !b->out)
			goto nomem;
	}
	for (i = 0; i < nthr; i++) {
		if (pthread_create(&w[i].tid, NULL, worker_main, &w[i])) {
			wdz_err("cannot start a thread: %s", strerror(errno));
			goto out;
		}
		started++;
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
			if (read_block(job, &p, b, prev, carry, &short_read))
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
	for (i = 0; i < started; i++)
		pthread_join(w[i].tid, NULL);
	for (i = 0; w && i < opt.procs; i++) {
		if (w[i].sess)
			wd_comp_close(w[i].sess);
		ld_free(&w[i]);
		if (w[i].def_ready)
			deflateEnd(&w[i].def);
	}
	job->sw_name = p.used_sw ? (p.libdeflate ? "libdeflate" : "zlib") : NULL;
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
