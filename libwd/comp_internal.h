/* SPDX-License-Identifier: GPL-2.0 */
/*
 * comp_internal.h - what wd_comp.c shares with the compression engines.
 *
 * wd_comp.c owns everything the API promises independently of the engine:
 * argument checks, the session's mode (one-shot, streaming, async), the
 * sticky error after a failed call, stream totals and the async request
 * queue. An engine only moves bytes: the software engine (comp_sw.c, zlib)
 * and the hardware engine (comp_hw.c, accelerator queues of wd_queue.h).
 */
#ifndef WD_COMP_INTERNAL_H
#define WD_COMP_INTERNAL_H

#include <stdbool.h>

#include "wd_comp.h"

/* Async requests a session holds before wd_comp_submit() says WD_EAGAIN. */
#define COMP_QUEUE_DEPTH 64

enum comp_mode {
	COMP_MODE_IDLE = 0,	/* nothing since open or reset */
	COMP_MODE_ONESHOT,
	COMP_MODE_STREAM,
	COMP_MODE_ASYNC,
};

struct comp_req {
	const void *src;
	size_t src_len;
	void *dst;
	size_t dst_cap;
	wd_comp_cb cb;
	void *opaque;
};

struct comp_engine_ops;

struct wd_comp_sess {
	struct wd_comp_setup setup;	/* checked; level 0 already made 6 */
	const struct comp_engine_ops *ops;
	void *priv;			/* the engine's state */

	enum comp_mode mode;
	int error;			/* sticky WD_E* after a failed call */

	/* streaming */
	bool finishing;			/* WD_FLUSH_FINISH was given */
	bool ended;			/* WD_STREAM_END was returned */
	uint64_t total_in;
	uint64_t total_out;

	/* async: a ring of requests; the sw engine runs them at poll time */
	struct comp_req queue[COMP_QUEUE_DEPTH];
	unsigned int head;
	unsigned int count;
	bool in_poll;			/* a callback is running */
};

/*
 * An engine. Every call gets a session whose setup is valid and whose mode
 * allows the call; the engine never sees NULL buffers with non-zero sizes.
 * Returns are WD_OK, WD_STREAM_END (stream only) or WD_E* codes.
 */
struct comp_engine_ops {
	enum wd_engine engine;
	/* Allocate sess->priv for sess->setup. */
	int (*init)(struct wd_comp_sess *sess);
	void (*exit)(struct wd_comp_sess *sess);
	/* Drop the current stream; keep the settings. */
	int (*reset)(struct wd_comp_sess *sess);
	/*
	 * One whole stream in, one whole stream out, independent of any
	 * earlier call. WD_ENOSPC when dst is too small; decompress gives
	 * WD_EBADMSG for corrupt, truncated or trailing input.
	 */
	int (*oneshot)(struct wd_comp_sess *sess, const void *src,
		       size_t src_len, void *dst, size_t *dst_len);
	/*
	 * Streaming step: advance buf's next/avail fields (the totals are
	 * wd_comp.c's business). Decompress with WD_FLUSH_FINISH reports
	 * input that ends before the stream as WD_EBADMSG.
	 */
	int (*stream)(struct wd_comp_sess *sess, struct wd_comp_buf *buf,
		      enum wd_flush flush);
	/* Raw deflate compression only; NULL: the engine has no dictionaries. */
	int (*set_dictionary)(struct wd_comp_sess *sess, const void *dict,
			      size_t len);
	/*
	 * Async requests. Without these hooks wd_comp.c queues requests and
	 * runs them through ->oneshot at poll time (all a CPU engine can
	 * do). An engine with a device puts them on its ring at submit
	 * (WD_EAGAIN when full) and completes them at poll, in submission
	 * order, running the callbacks; ->pending counts its requests.
	 */
	int (*submit)(struct wd_comp_sess *sess, const struct comp_req *req);
	int (*poll)(struct wd_comp_sess *sess, unsigned int max,
		    int timeout_ms);
	unsigned int (*pending)(const struct wd_comp_sess *sess);
};

extern const struct comp_engine_ops comp_sw_ops;
extern const struct comp_engine_ops comp_hw_ops;

struct wd_queue;
/* The hardware engine's init on a queue the caller keeps (unit tests). */
int comp_hw_init_on_queue(struct wd_comp_sess *sess, struct wd_queue *q);
/* A hardware session on @q, which must outlive it (unit tests). */
int comp_open_on_queue(struct wd_comp_sess **sess,
		       const struct wd_comp_setup *setup, struct wd_queue *q);

#endif /* WD_COMP_INTERNAL_H */
