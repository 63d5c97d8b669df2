/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wd_comp.h - compression and decompression on WarpDrive, zlib-like.
 *
 * A session compresses or decompresses one format (raw deflate, zlib, gzip)
 * on one engine: an accelerator queue (hardware) or zlib inside libwd
 * (software). Both engines take the same calls and produce standard streams
 * that any inflate implementation reads.
 *
 * Three ways to use a session:
 *  - one-shot:  wd_comp_oneshot() turns a whole input into a whole stream
 *    (or back) in one call;
 *  - streaming: wd_comp_stream() with caller-owned buffers, as zlib's
 *    deflate()/inflate(): inputs of any size produce or consume ONE stream;
 *  - async:     wd_comp_submit() queues one-shot requests, wd_comp_poll()
 *    completes them and runs their callbacks.
 * A session is in one of these modes until wd_comp_reset(); mixing them
 * without a reset returns WD_EBUSY.
 *
 * The hardware engine (a queue of wd_queue.h, today the HiSilicon ZIP
 * engine) works through bounce buffers in device memory: one-shot and
 * streaming data of any size goes to the device in pieces of 128 KiB that
 * the device chains into ONE stream; async requests of up to 16 KiB of
 * input (and 48 KiB of output) are on the device 8 at a time, larger ones
 * are run when wd_comp_poll() reaches them. It has one compression level
 * (the setup's level is ignored) and no preset dictionaries. Its
 * wd_comp_poll() and wd_comp_submit() make no system call when timeout_ms
 * is 0.
 *
 * Errors: calls return 0 (WD_OK), a positive status where documented
 * (WD_STREAM_END), or a negative WD_E* code from wd.h; wd_strerror() names
 * it. A failed call leaves the session usable only for wd_comp_reset() and
 * wd_comp_close(), except WD_EAGAIN and WD_ENOSPC, which change nothing and
 * may be retried.
 *
 * Threads: a session belongs to one thread at a time (no internal locking);
 * different sessions may be used from different threads at once. Callbacks
 * run in the thread that calls wd_comp_poll(). The library keeps no global
 * mutable state.
 */
#ifndef WD_COMP_H
#define WD_COMP_H

#include <stddef.h>
#include <stdint.h>

#include "wd.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Values match the ZIP engine's request types. */
enum wd_comp_format {
	WD_FORMAT_RAW = 1,	/* RFC 1951 deflate, no header or trailer */
	WD_FORMAT_ZLIB = 2,	/* RFC 1950 */
	WD_FORMAT_GZIP = 3,	/* RFC 1952, one member per stream */
};

enum wd_comp_dir {
	WD_DIR_COMPRESS = 0,
	WD_DIR_DECOMPRESS = 1,
};

enum wd_engine {
	WD_ENGINE_AUTO = 0,	/* hardware if a queue is free, else software */
	WD_ENGINE_HW = 1,	/* hardware only: WD_ENODEV/WD_EAGAIN if none */
	WD_ENGINE_SW = 2,	/* zlib inside libwd */
};

enum wd_flush {
	WD_FLUSH_NONE = 0,	/* more input follows; output may be held back */
	WD_FLUSH_SYNC = 1,	/* emit everything so far, end on a byte boundary;
				 * the stream continues (compress only) */
	WD_FLUSH_FINISH = 2,	/* no more input: complete the stream */
};

/* wd_comp_stream() returns this when the stream is complete. */
#define WD_STREAM_END 1

enum wd_comp_flag {
	/*
	 * The session is one of several a program uses together for
	 * throughput (wd-zip -p N): its queue goes to the function where the
	 * process has the fewest queues, spreading over functions. Without
	 * it, a process's queues stay on the functions it already has, which
	 * leaves the others to other processes (a function's queues belong
	 * to one process at a time).
	 */
	WD_COMP_SPREAD = 1U << 0,
};

struct wd_ctx;	/* wd_queue.h */

struct wd_comp_setup {
	enum wd_comp_format format;
	enum wd_comp_dir dir;
	int level;		/* 1 (fast) .. 9 (best), 0 = default (6); compress only */
	enum wd_engine engine;
	int numa_node;		/* preferred node for the queue, -1 = any */
	unsigned int flags;	/* WD_COMP_* */
	/*
	 * NULL, or the device context (wd_queue.h) of the process's
	 * hardware sessions: needed when one process has several hardware
	 * sessions on one function behind an IOMMU.
	 */
	struct wd_ctx *ctx;
};

struct wd_comp_sess;

/*
 * Open a session. *sess is set only on success. Returns WD_EINVAL for a bad
 * setup; with WD_ENGINE_HW: WD_ENODEV when no device exists, WD_EAGAIN when
 * devices exist but none has a free queue, WD_EPERM without access to one,
 * WD_EOPNOTSUPP when the device cannot do the direction. WD_ENGINE_AUTO
 * falls back to software in all those cases.
 */
WD_API int wd_comp_open(struct wd_comp_sess **sess,
			const struct wd_comp_setup *setup);
/* Close a session; pending async requests are cancelled without callbacks. */
WD_API void wd_comp_close(struct wd_comp_sess *sess);
/* Forget the current stream or requests; keep the queue and settings. */
WD_API int wd_comp_reset(struct wd_comp_sess *sess);

/* The engine serving this session: WD_ENGINE_HW or WD_ENGINE_SW. */
WD_API enum wd_engine wd_comp_engine(const struct wd_comp_sess *sess);
/* "auto", "hw", "sw". */
WD_API const char *wd_engine_name(enum wd_engine engine);

/*
 * Largest compressed size of @len input bytes in @format for one-shot
 * compression (incompressible data included).
 */
WD_API size_t wd_comp_bound(enum wd_comp_format format, size_t len);

/*
 * One-shot: compress or decompress src[0..src_len) into dst. On entry
 * *dst_len is the capacity of dst, on success the bytes written.
 * WD_ENOSPC: dst too small (nothing useful written; retry with more room).
 * WD_EBADMSG: corrupt or truncated input (decompress).
 */
WD_API int wd_comp_oneshot(struct wd_comp_sess *sess, const void *src,
			   size_t src_len, void *dst, size_t *dst_len);

/* Caller-owned buffers for streaming, as zlib's z_stream. */
struct wd_comp_buf {
	const void *next_in;
	size_t avail_in;
	void *next_out;
	size_t avail_out;
	/*
	 * This stream's totals, stored by every wd_comp_stream(); they count
	 * from zero again after wd_comp_reset().
	 */
	uint64_t total_in;
	uint64_t total_out;
};

/*
 * Streaming: consume from next_in and produce into next_out, advancing both.
 * Returns WD_OK when more input or output space is needed, WD_STREAM_END
 * when the stream is complete (compress: after WD_FLUSH_FINISH and all
 * output delivered; decompress: at the end of the stream's trailer, with any
 * bytes after it left unconsumed in next_in), or an error: WD_EBADMSG for
 * corrupt input. Calling again with no input and no output space makes no
 * progress and returns WD_OK. After WD_STREAM_END, wd_comp_reset() starts
 * a new stream (e.g. the next member of a multi-member gzip file).
 */
WD_API int wd_comp_stream(struct wd_comp_sess *sess, struct wd_comp_buf *buf,
			  enum wd_flush flush);

/*
 * Preset dictionary for raw deflate compression (what lets chunks compressed
 * in parallel keep the ratio of one stream). Call before the first
 * wd_comp_stream() of a stream; at most 32 KiB are used.
 * WD_EOPNOTSUPP on engines or formats that cannot use one.
 */
WD_API int wd_comp_set_dictionary(struct wd_comp_sess *sess, const void *dict,
				  size_t len);

/*
 * Async one-shot requests. The buffers must stay valid until the callback.
 * @status is WD_OK, WD_ENOSPC, WD_EBADMSG, WD_EIO, ...; @produced is the
 * output length on success.
 */
typedef void (*wd_comp_cb)(void *opaque, int status, size_t consumed,
			   size_t produced);

/* Queue one request. WD_EAGAIN when the queue is full: poll, then retry. */
WD_API int wd_comp_submit(struct wd_comp_sess *sess, const void *src,
			  size_t src_len, void *dst, size_t dst_cap,
			  wd_comp_cb cb, void *opaque);
/*
 * Complete up to @max finished requests, running their callbacks. Waits up
 * to @timeout_ms for the first one (0 = don't wait, -1 = forever). Returns
 * the number completed (0 on timeout) or a negative error.
 */
WD_API int wd_comp_poll(struct wd_comp_sess *sess, unsigned int max,
			int timeout_ms);
/* Requests submitted and not yet completed by wd_comp_poll(). */
WD_API unsigned int wd_comp_pending(const struct wd_comp_sess *sess);

#ifdef __cplusplus
}
#endif

#endif /* WD_COMP_H */
