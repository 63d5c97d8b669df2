// SPDX-License-Identifier: GPL-2.0
/*
 * The software compression engine: zlib inside libwd. It serves sessions
 * when no accelerator queue is available, and is the reference the hardware
 * engine's output is checked against.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>

#define ZLIB_CONST
#include <zlib.h>

#include "comp_internal.h"

/* The window every format uses; a dictionary longer than this is cut. */
#define SW_WBITS	15
#define SW_WINDOW	(1u << SW_WBITS)
#define SW_MEMLEVEL	8

/* zlib counts bytes in uInt; larger buffers go through it in pieces. */
#define SW_PIECE_MAX	((size_t)UINT_MAX)

struct comp_sw {
	z_stream zs;
	bool compress;
};

static struct comp_sw *sw_of(struct wd_comp_sess *sess)
{
	return sess->priv;
}

static int sw_wbits(enum wd_comp_format format)
{
	switch (format) {
	case WD_FORMAT_RAW:
		return -SW_WBITS;
	case WD_FORMAT_ZLIB:
		return SW_WBITS;
	default:
		/* +16: gzip only, so a zlib stream is not taken for one */
		return SW_WBITS + 16;
	}
}

static int sw_init(struct wd_comp_sess *sess)
{
	struct comp_sw *sw;
	int wbits = sw_wbits(sess->setup.format);
	int ret;

	sw = calloc(1, sizeof(*sw));
	if (!sw)
		return WD_ENOMEM;
	sw->compress = sess->setup.dir == WD_DIR_COMPRESS;
	if (sw->compress)
		ret = deflateInit2(&sw->zs, sess->setup.level, Z_DEFLATED,
				   wbits, SW_MEMLEVEL, Z_DEFAULT_STRATEGY);
	else
		ret = inflateInit2(&sw->zs, wbits);
	if (ret != Z_OK) {
		free(sw);
		return ret == Z_MEM_ERROR ? WD_ENOMEM : WD_EINVAL;
	}
	sess->priv = sw;
	return WD_OK;
}

static void sw_exit(struct wd_comp_sess *sess)
{
	struct comp_sw *sw = sw_of(sess);

	if (!sw)
		return;
	if (sw->compress)
		deflateEnd(&sw->zs);
	else
		inflateEnd(&sw->zs);
	free(sw);
	sess->priv = NULL;
}

static int sw_reset(struct wd_comp_sess *sess)
{
	struct comp_sw *sw = sw_of(sess);
	int ret;

	ret = sw->compress ? deflateReset(&sw->zs) : inflateReset(&sw->zs);
	return ret == Z_OK ? WD_OK : WD_EINVAL;
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/*
 * Run zlib over buf until it needs more input or more room, or stops with
 * a result other than Z_OK. Returns zlib's last result.
 */
static int sw_run(struct comp_sw *sw, struct wd_comp_buf *buf, int flush)
{
	z_stream *zs = &sw->zs;
	unsigned char none;
	size_t in, out;
	int ret;

	for (;;) {
		in = min_size(buf->avail_in, SW_PIECE_MAX);
		out = min_size(buf->avail_out, SW_PIECE_MAX);
		zs->next_in = buf->next_in;
		zs->avail_in = (uInt)in;
		/* zlib refuses a NULL next_out even with no room: never written */
		zs->next_out = buf->next_out ? buf->next_out : &none;
		zs->avail_out = (uInt)out;
		/*
		 * A flush or finish applies after the caller's last byte:
		 * earlier pieces of a huge input go in unflushed.
		 */
		if (sw->compress)
			ret = deflate(zs, in == buf->avail_in ? flush : Z_NO_FLUSH);
		else
			ret = inflate(zs, Z_NO_FLUSH);
		in -= zs->avail_in;
		out -= zs->avail_out;
		buf->next_in = (const unsigned char *)buf->next_in + in;
		buf->avail_in -= in;
		if (out)
			buf->next_out = (unsigned char *)buf->next_out + out;
		buf->avail_out -= out;
		if (ret != Z_OK)
			return ret;
		/* zlib stopped at the end of a piece: go on if there is more */
		if (zs->avail_in == 0 && buf->avail_in)
			continue;
		if (zs->avail_out == 0 && buf->avail_out)
			continue;
		return ret;
	}
}

/* zlib's failures as WD_E* codes. */
static int sw_error(int zret)
{
	switch (zret) {
	case Z_DATA_ERROR:
		return WD_EBADMSG;
	case Z_NEED_DICT:
		/* a zlib stream made with a preset dictionary: valid, not ours */
		return WD_EOPNOTSUPP;
	case Z_MEM_ERROR:
		return WD_ENOMEM;
	default:
		return WD_EINVAL;
	}
}

static int sw_flush(enum wd_flush flush)
{
	switch (flush) {
	case WD_FLUSH_SYNC:
		return Z_SYNC_FLUSH;
	case WD_FLUSH_FINISH:
		return Z_FINISH;
	default:
		return Z_NO_FLUSH;
	}
}

static int sw_stream(struct wd_comp_sess *sess, struct wd_comp_buf *buf,
		     enum wd_flush flush)
{
	struct comp_sw *sw = sw_of(sess);
	int ret;

	ret = sw_run(sw, buf, sw_flush(flush));
	switch (ret) {
	case Z_STREAM_END:
		return WD_STREAM_END;
	case Z_OK:
	case Z_BUF_ERROR:	/* no progress possible: not an error for us */
		/*
		 * Decompressing with FINISH promises no more input: if zlib
		 * still wants some while it has room to write, the stream was
		 * cut short.
		 */
		if (!sw->compress && flush == WD_FLUSH_FINISH &&
		    !buf->avail_in && buf->avail_out)
			return WD_EBADMSG;
		return WD_OK;
	default:
		return sw_error(ret);
	}
}

/*
 * Decompression filled dst exactly and used all input without reaching the
 * end: either more room or more input is missing. Ask zlib for one more
 * byte to tell WD_ENOSPC from a truncated stream; the state is thrown away
 * with the one-shot call anyway.
 */
static int sw_probe(struct comp_sw *sw, size_t *dst_len)
{
	unsigned char byte;
	struct wd_comp_buf buf = { .next_out = &byte, .avail_out = 1 };
	int ret;

	ret = sw_run(sw, &buf, Z_NO_FLUSH);
	if (buf.avail_out == 0)
		return WD_ENOSPC;
	if (ret == Z_STREAM_END)
		return WD_OK;	/* *dst_len: dst was exactly full */
	if (ret == Z_OK || ret == Z_BUF_ERROR)
		return WD_EBADMSG;
	return sw_error(ret);
}

static int sw_oneshot(struct wd_comp_sess *sess, const void *src,
		      size_t src_len, void *dst, size_t *dst_len)
{
	struct comp_sw *sw = sw_of(sess);
	struct wd_comp_buf buf = {
		.next_in = src, .avail_in = src_len,
		.next_out = dst, .avail_out = *dst_len,
	};
	int ret;

	/* each one-shot call is a stream of its own */
	ret = sw_reset(sess);
	if (ret)
		return ret;
	ret = sw_run(sw, &buf, Z_FINISH);
	switch (ret) {
	case Z_STREAM_END:
		/* exactly one stream: bytes after it are not ours to ignore */
		if (buf.avail_in)
			return WD_EBADMSG;
		*dst_len -= buf.avail_out;
		return WD_OK;
	case Z_OK:
	case Z_BUF_ERROR:
		/* zlib stops short only for want of room or of input */
		if (sw->compress || buf.avail_in)
			return WD_ENOSPC;
		if (buf.avail_out)
			return WD_EBADMSG;
		return sw_probe(sw, dst_len);
	default:
		return sw_error(ret);
	}
}

static int sw_set_dictionary(struct wd_comp_sess *sess, const void *dict,
			     size_t len)
{
	struct comp_sw *sw = sw_of(sess);
	const unsigned char *p = dict;

	/* only the window's worth at the end can ever be referenced */
	if (len > SW_WINDOW) {
		p += len - SW_WINDOW;
		len = SW_WINDOW;
	}
	if (deflateSetDictionary(&sw->zs, p, (uInt)len) != Z_OK)
		return WD_EINVAL;
	return WD_OK;
}

const struct comp_engine_ops comp_sw_ops = {
	.engine = WD_ENGINE_SW,
	.init = sw_init,
	.exit = sw_exit,
	.reset = sw_reset,
	.oneshot = sw_oneshot,
	.stream = sw_stream,
	.set_dictionary = sw_set_dictionary,
};
