// SPDX-License-Identifier: GPL-2.0
/*
 * Compression sessions (wd_comp.h): argument checks, engine choice, the
 * three modes and the async queue. The bytes are moved by an engine
 * (comp_internal.h); this file holds what every engine must get the same.
 */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "comp_internal.h"

#define COMP_LEVEL_DEFAULT 6

static int comp_check_setup(const struct wd_comp_setup *setup)
{
	switch (setup->format) {
	case WD_FORMAT_RAW:
	case WD_FORMAT_ZLIB:
	case WD_FORMAT_GZIP:
		break;
	default:
		return WD_EINVAL;
	}
	if (setup->dir != WD_DIR_COMPRESS && setup->dir != WD_DIR_DECOMPRESS)
		return WD_EINVAL;
	/* checked for both directions: an out-of-range level is a bug */
	if (setup->level < 0 || setup->level > 9)
		return WD_EINVAL;
	switch (setup->engine) {
	case WD_ENGINE_AUTO:
	case WD_ENGINE_HW:
	case WD_ENGINE_SW:
		break;
	default:
		return WD_EINVAL;
	}
	if (setup->flags & ~(unsigned int)WD_COMP_SPREAD)
		return WD_EINVAL;
	if (setup->numa_node < -1)
		return WD_EINVAL;
	return WD_OK;
}

/* A session for a checked setup, without its engine yet. */
static int comp_sess_new(struct wd_comp_sess **sessp,
			 const struct wd_comp_setup *setup)
{
	struct wd_comp_sess *sess;
	int ret;

	if (!setup)
		return WD_EINVAL;
	ret = comp_check_setup(setup);
	if (ret)
		return ret;
	sess = calloc(1, sizeof(*sess));
	if (!sess)
		return WD_ENOMEM;
	sess->setup = *setup;
	if (!sess->setup.level)
		sess->setup.level = COMP_LEVEL_DEFAULT;
	*sessp = sess;
	return WD_OK;
}

int wd_comp_open(struct wd_comp_sess **sessp,
		 const struct wd_comp_setup *setup)
{
	struct wd_comp_sess *sess;
	int ret;

	if (!sessp)
		return WD_EINVAL;
	ret = comp_sess_new(&sess, setup);
	if (ret)
		return ret;
	/*
	 * AUTO takes the hardware when a queue can be had and falls back to
	 * software for any reason it cannot (no device, none free, no
	 * permission, a direction the device does not offer).
	 */
	ret = WD_ENODEV;
	if (setup->engine != WD_ENGINE_SW) {
		sess->ops = &comp_hw_ops;
		ret = comp_hw_ops.init(sess);
		if (ret && setup->engine == WD_ENGINE_HW) {
			free(sess);
			return ret;
		}
	}
	if (ret) {
		sess->ops = &comp_sw_ops;
		ret = comp_sw_ops.init(sess);
		if (ret) {
			free(sess);
			return ret;
		}
	}
	*sessp = sess;
	return WD_OK;
}

int comp_open_on_queue(struct wd_comp_sess **sessp,
		       const struct wd_comp_setup *setup, struct wd_queue *q)
{
	struct wd_comp_sess *sess;
	int ret;

	if (!sessp || !q)
		return WD_EINVAL;
	ret = comp_sess_new(&sess, setup);
	if (ret)
		return ret;
	sess->setup.engine = WD_ENGINE_HW;
	sess->ops = &comp_hw_ops;
	ret = comp_hw_init_on_queue(sess, q);
	if (ret) {
		free(sess);
		return ret;
	}
	*sessp = sess;
	return WD_OK;
}

void wd_comp_close(struct wd_comp_sess *sess)
{
	if (!sess)
		return;
	/* queued requests are dropped: their callbacks never run */
	sess->ops->exit(sess);
	free(sess);
}

int wd_comp_reset(struct wd_comp_sess *sess)
{
	int ret;

	if (!sess)
		return WD_EINVAL;
	/* a callback resetting its own session would pull the queue away */
	if (sess->in_poll)
		return WD_EBUSY;
	ret = sess->ops->reset(sess);
	sess->mode = COMP_MODE_IDLE;
	sess->error = ret;
	sess->finishing = false;
	sess->ended = false;
	sess->total_in = 0;
	sess->total_out = 0;
	sess->head = 0;
	sess->count = 0;
	return ret;
}

enum wd_engine wd_comp_engine(const struct wd_comp_sess *sess)
{
	return sess ? sess->ops->engine : WD_ENGINE_AUTO;
}

const char *wd_engine_name(enum wd_engine engine)
{
	switch (engine) {
	case WD_ENGINE_AUTO:
		return "auto";
	case WD_ENGINE_HW:
		return "hw";
	case WD_ENGINE_SW:
		return "sw";
	}
	return "unknown";
}

/*
 * Worst case of one-shot compression, for every engine. Incompressible
 * input costs most as stored blocks: 5 bytes of framing (3 header bits
 * padded to a byte, LEN, NLEN) per block. zlib's blocks hold at least
 * 16 KiB, and an engine must keep its blocks at 10 KiB or more (or fall
 * back to stored ones), so len / 2048 covers the framing. 16 bytes cover
 * a last partial block and an empty final block; the wrapper adds its
 * header and trailer. The test suite checks this against zlib's own
 * deflateBound().
 */
size_t wd_comp_bound(enum wd_comp_format format, size_t len)
{
	size_t wrap, extra;

	switch (format) {
	case WD_FORMAT_RAW:
		wrap = 0;
		break;
	case WD_FORMAT_ZLIB:
		wrap = 2 + 4;	/* CMF, FLG; Adler-32 */
		break;
	case WD_FORMAT_GZIP:
		wrap = 10 + 8;	/* fixed header; CRC-32, ISIZE */
		break;
	default:
		return 0;
	}
	extra = (len >> 11) + 16 + wrap;
	/* a bound that does not fit is no bound: say so with SIZE_MAX */
	if (len > SIZE_MAX - extra)
		return SIZE_MAX;
	return len + extra;
}

/*
 * Mode bookkeeping shared by every data call: a sticky error first, then
 * WD_EBUSY when the session is already in another mode.
 */
static int comp_enter(struct wd_comp_sess *sess, enum comp_mode mode)
{
	if (sess->error)
		return sess->error;
	if (sess->mode != COMP_MODE_IDLE && sess->mode != mode)
		return WD_EBUSY;
	sess->mode = mode;
	return WD_OK;
}

/* Record a data call's failure; only reset clears it. */
static int comp_fail(struct wd_comp_sess *sess, int ret)
{
	if (ret < 0 && ret != WD_EAGAIN && ret != WD_ENOSPC)
		sess->error = ret;
	return ret;
}

int wd_comp_oneshot(struct wd_comp_sess *sess, const void *src,
		    size_t src_len, void *dst, size_t *dst_len)
{
	size_t cap;
	int ret;

	if (!sess || !dst_len || (!src && src_len) || (!dst && *dst_len))
		return WD_EINVAL;
	ret = comp_enter(sess, COMP_MODE_ONESHOT);
	if (ret)
		return ret;
	/* *dst_len changes only on success */
	cap = *dst_len;
	ret = sess->ops->oneshot(sess, src, src_len, dst, &cap);
	if (ret)
		return comp_fail(sess, ret);
	*dst_len = cap;
	return WD_OK;
}

int wd_comp_stream(struct wd_comp_sess *sess, struct wd_comp_buf *buf,
		   enum wd_flush flush)
{
	const void *in0;
	void *out0;
	int ret;

	if (!sess || !buf || (!buf->next_in && buf->avail_in) ||
	    (!buf->next_out && buf->avail_out))
		return WD_EINVAL;
	switch (flush) {
	case WD_FLUSH_NONE:
	case WD_FLUSH_SYNC:
	case WD_FLUSH_FINISH:
		break;
	default:
		return WD_EINVAL;
	}
	/* once finishing, compression takes no other flush (as zlib) */
	if (sess->finishing && flush != WD_FLUSH_FINISH &&
	    sess->setup.dir == WD_DIR_COMPRESS)
		return WD_EINVAL;
	ret = comp_enter(sess, COMP_MODE_STREAM);
	if (ret)
		return ret;
	/* a complete stream stays complete: input is left for the caller */
	if (sess->ended)
		goto out;

	in0 = buf->next_in;
	out0 = buf->next_out;
	ret = sess->ops->stream(sess, buf, flush);
	sess->total_in += (size_t)((const char *)buf->next_in -
				   (const char *)in0);
	sess->total_out += (size_t)((char *)buf->next_out - (char *)out0);
	if (ret < 0) {
		/* how far the stream got, also when it failed (wd_comp.h) */
		buf->total_in = sess->total_in;
		buf->total_out = sess->total_out;
		return comp_fail(sess, ret);
	}
	if (flush == WD_FLUSH_FINISH)
		sess->finishing = true;
	if (ret == WD_STREAM_END)
		sess->ended = true;
out:
	buf->total_in = sess->total_in;
	buf->total_out = sess->total_out;
	return sess->ended ? WD_STREAM_END : WD_OK;
}

int wd_comp_set_dictionary(struct wd_comp_sess *sess, const void *dict,
			   size_t len)
{
	if (!sess || (!dict && len))
		return WD_EINVAL;
	if (sess->error)
		return sess->error;
	/* decompression would need it for zlib streams only: not offered */
	if (sess->setup.format != WD_FORMAT_RAW ||
	    sess->setup.dir != WD_DIR_COMPRESS || !sess->ops->set_dictionary)
		return WD_EOPNOTSUPP;
	/* it belongs before the stream's first byte */
	if (sess->mode == COMP_MODE_STREAM &&
	    (sess->total_in || sess->total_out || sess->finishing))
		return WD_EBUSY;
	if (comp_enter(sess, COMP_MODE_STREAM))
		return WD_EBUSY;
	if (!len)
		return WD_OK;
	return comp_fail(sess, sess->ops->set_dictionary(sess, dict, len));
}

int wd_comp_submit(struct wd_comp_sess *sess, const void *src,
		   size_t src_len, void *dst, size_t dst_cap,
		   wd_comp_cb cb, void *opaque)
{
	struct comp_req *req;
	int ret;

	if (!sess || !cb || (!src && src_len) || (!dst && dst_cap))
		return WD_EINVAL;
	ret = comp_enter(sess, COMP_MODE_ASYNC);
	if (ret)
		return ret;
	if (sess->ops->submit) {
		struct comp_req r = {
			.src = src, .src_len = src_len, .dst = dst,
			.dst_cap = dst_cap, .cb = cb, .opaque = opaque,
		};

		return comp_fail(sess, sess->ops->submit(sess, &r));
	}
	if (sess->count == COMP_QUEUE_DEPTH)
		return WD_EAGAIN;
	req = &sess->queue[(sess->head + sess->count) % COMP_QUEUE_DEPTH];
	req->src = src;
	req->src_len = src_len;
	req->dst = dst;
	req->dst_cap = dst_cap;
	req->cb = cb;
	req->opaque = opaque;
	sess->count++;
	return WD_OK;
}

/*
 * The software engine does each request's work here, in submission order,
 * so a request is always finished by the time it is polled and timeout_ms
 * never makes us wait. With nothing pending there is nothing to wait for:
 * return 0 at once rather than sleep for the full timeout.
 */
int wd_comp_poll(struct wd_comp_sess *sess, unsigned int max, int timeout_ms)
{
	struct comp_req req;
	size_t produced;
	int done = 0;
	int ret;

	if (!sess || !max || timeout_ms < -1)
		return WD_EINVAL;
	if (sess->in_poll)
		return WD_EBUSY;
	if (sess->mode == COMP_MODE_IDLE)
		return 0;
	ret = comp_enter(sess, COMP_MODE_ASYNC);
	if (ret)
		return ret;
	if (max > INT_MAX)
		max = INT_MAX;

	sess->in_poll = true;
	if (sess->ops->poll) {
		ret = sess->ops->poll(sess, max, timeout_ms);
		sess->in_poll = false;
		return comp_fail(sess, ret);
	}
	while ((unsigned int)done < max && sess->count) {
		/* dequeue first: the callback may submit into this slot */
		req = sess->queue[sess->head];
		sess->head = (sess->head + 1) % COMP_QUEUE_DEPTH;
		sess->count--;
		produced = req.dst_cap;
		/* a request's failure is its own: the session goes on */
		ret = sess->ops->oneshot(sess, req.src, req.src_len, req.dst,
					 &produced);
		if (ret)
			req.cb(req.opaque, ret, 0, 0);
		else
			req.cb(req.opaque, WD_OK, req.src_len, produced);
		done++;
	}
	sess->in_poll = false;
	return done;
}

unsigned int wd_comp_pending(const struct wd_comp_sess *sess)
{
	if (!sess)
		return 0;
	return sess->ops->pending ? sess->ops->pending(sess) : sess->count;
}
