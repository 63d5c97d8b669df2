// SPDX-License-Identifier: GPL-2.0
/*
 * gzip.c - gzip (RFC 1952) members and decompression for wd-zip.
 *
 * The deflate data goes through libwd as raw deflate; the member header and
 * trailer are handled here, because that is where the original name and
 * time stamp (-N) live, where multi-member files continue, and where
 * "trailing garbage" is told apart from a corrupt file - the parts of gzip's
 * behaviour users rely on. zlib and raw streams go through libwd whole.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "wd-zip.h"

#define GZ_FTEXT	0x01
#define GZ_FHCRC	0x02
#define GZ_FEXTRA	0x04
#define GZ_FNAME	0x08
#define GZ_FCOMMENT	0x10
#define GZ_FRESERVED	0xe0

/* Header parse results beyond WD_* codes. */
#define GZ_EOF		1	/* clean end of input before a member */
#define GZ_NOTGZ	2	/* not a gzip member */

void wdz_put32le(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

uint32_t wdz_get32le(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* @out has room for 10 bytes + a 4 KiB name. */
size_t wdz_gzip_header(unsigned char *out, const char *name, uint32_t mtime,
		       int level)
{
	size_t n = 10;

	out[0] = 0x1f;
	out[1] = 0x8b;
	out[2] = 8;			/* deflate */
	out[3] = name ? GZ_FNAME : 0;
	wdz_put32le(out + 4, mtime);
	out[8] = level == 9 ? 2 : level == 1 ? 4 : 0;	/* XFL */
	out[9] = 3;			/* OS: Unix */
	if (name) {
		size_t len = strnlen(name, 4095);

		memcpy(out + n, name, len);
		n += len;
		out[n++] = 0;
	}
	return n;
}

int wdz_reader_init(struct wdz_reader *rd, int fd, const char *name)
{
	memset(rd, 0, sizeof(*rd));
	rd->fd = fd;
	rd->name = name;
	rd->buf = malloc(WDZ_IOBUF);
	if (!rd->buf) {
		wdz_err("%s: out of memory", name);
		return -1;
	}
	return 0;
}

void wdz_reader_free(struct wdz_reader *rd)
{
	free(rd->buf);
	rd->buf = NULL;
}

/* Refill an empty buffer. Returns bytes available, 0 at EOF, -1 on error. */
int wdz_reader_fill(struct wdz_reader *rd)
{
	ssize_t n;

	if (rd->pos < rd->len)
		return rd->len - rd->pos;
	rd->total += rd->len;
	rd->pos = 0;
	rd->len = 0;
	if (rd->eof)
		return 0;
	do {
		n = read(rd->fd, rd->buf, WDZ_IOBUF);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		wdz_err("%s: read error: %s", rd->name, strerror(errno));
		return -1;
	}
	if (!n)
		rd->eof = true;
	rd->len = n;
	return n;
}

/* Next byte, -1 at EOF, -2 on a read error (reported). */
static int rd_byte(struct wdz_reader *rd)
{
	int n = wdz_reader_fill(rd);

	if (n <= 0)
		return n ? -2 : -1;
	return rd->buf[rd->pos++];
}

static uint64_t rd_offset(const struct wdz_reader *rd)
{
	return rd->total + rd->pos;
}

/*
 * Parse one member header. Returns 0, GZ_EOF when the input ends before a
 * header byte, GZ_NOTGZ when the magic is wrong (nothing consumed but what
 * was read), WD_EBADMSG for a broken header (reported), -1 on read error.
 */
int wdz_gzip_parse(struct wdz_reader *rd, struct wdz_gzhdr *h)
{
	unsigned char fixed[10];
	uint32_t hcrc = crc32(0, NULL, 0);
	char name[4096];
	size_t nlen = 0;
	int c, i;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < 10; i++) {
		c = rd_byte(rd);
		if (c == -2)
			return -1;
		if (c == -1) {
			if (!i)
				return GZ_EOF;
			if (i == 1 && fixed[0] == 0x1f)
				goto truncated;
			if (i >= 2)
				goto truncated;
			return GZ_NOTGZ;
		}
		fixed[i] = c;
		if ((i == 0 && c != 0x1f) || (i == 1 && c != 0x8b))
			return GZ_NOTGZ;
	}
	hcrc = crc32(hcrc, fixed, 10);
	if (fixed[2] != 8) {
		wdz_err("%s: unknown method %d -- not supported", rd->name, fixed[2]);
		return WD_EBADMSG;
	}
	h->flags = fixed[3];
	if (h->flags & GZ_FRESERVED) {
		wdz_err("%s: has flags 0x%x -- not supported", rd->name, h->flags);
		return WD_EBADMSG;
	}
	h->mtime = wdz_get32le(fixed + 4);
	h->len = 10;
	if (h->flags & GZ_FEXTRA) {
		unsigned char xl[2];
		unsigned int xlen;

		for (i = 0; i < 2; i++) {
			c = rd_byte(rd);
			if (c < 0)
				goto short_read;
			xl[i] = c;
		}
		hcrc = crc32(hcrc, xl, 2);
		xlen = xl[0] | xl[1] << 8;
		h->len += 2 + xlen;
		while (xlen--) {
			unsigned char b;

			c = rd_byte(rd);
			if (c < 0)
				goto short_read;
			b = c;
			hcrc = crc32(hcrc, &b, 1);
		}
	}
	for (i = 0; i < 2; i++) {
		int field = i ? GZ_FCOMMENT : GZ_FNAME;

		if (!(h->flags & field))
			continue;
		do {
			unsigned char b;

			c = rd_byte(rd);
			if (c < 0)
				goto short_read;
			b = c;
			hcrc = crc32(hcrc, &b, 1);
			h->len++;
			if (field == GZ_FNAME && nlen < sizeof(name))
				name[nlen++] = c;
		} while (c);
	}
	if (h->flags & GZ_FHCRC) {
		unsigned int want;

		c = rd_byte(rd);
		if (c < 0)
			goto short_read;
		want = c;
		c = rd_byte(rd);
		if (c < 0)
			goto short_read;
		want |= c << 8;
		h->len += 2;
		if (want != (hcrc & 0xffff)) {
			wdz_err("%s: invalid compressed data--header crc error", rd->name);
			return WD_EBADMSG;
		}
	}
	if (nlen) {
		name[sizeof(name) - 1] = 0;
		h->name = strdup(name);
	}
	return 0;
short_read:
	if (c == -2)
		return -1;
truncated:
	wdz_err("%s: unexpected end of file", rd->name);
	return WD_EBADMSG;
}

/* Read the first header before the output is chosen (-N needs its name). */
int wdz_dec_begin(struct wdz_job *job, struct wdz_reader *rd)
{
	struct wdz_gzhdr h;
	int ret;

	if (opt.format != WD_FORMAT_GZIP)
		return 0;
	ret = wdz_gzip_parse(rd, &h);
	if (ret == GZ_EOF) {
		wdz_err("%s: unexpected end of file", job->in_name);
		return -1;
	}
	if (ret == GZ_NOTGZ) {
		/* gzip -dcf passes other data through; so do we. */
		if (opt.force && opt.to_stdout)
			return 1;
		wdz_err("%s: not in gzip format", job->in_name);
		return -1;
	}
	if (ret)
		return -1;
	job->orig_name = h.name;
	job->orig_mtime = h.mtime;
	return 0;
}

static int emit(struct wdz_job *job, const void *buf, size_t len)
{
	job->bytes_out += len;
	if (job->discard || !len)
		return 0;
	return wdz_write_all(job->out_fd, buf, len, job->out_name);
}

/* Pass the rest of a non-gzip input through (gzip -dcf). */
static int copy_through(struct wdz_job *job, struct wdz_reader *rd)
{
	rd->pos = 0;	/* the magic check read at most 2 bytes of a fresh buffer */
	for (;;) {
		int n = wdz_reader_fill(rd);

		if (n < 0)
			return -1;
		if (!n)
			return 0;
		if (emit(job, rd->buf + rd->pos, n))
			return -1;
		rd->pos += n;
	}
}

/*
 * Output queue: a writer thread checks (CRC) and writes what the inflating
 * thread produces, as pigz does, so that inflate never waits for write().
 * The CRC and length of a member are read after q_drain().
 */
#define OUTQ_BUFS 4

struct outq {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned char *buf[OUTQ_BUFS];
	size_t len[OUTQ_BUFS];
	unsigned int head, tail;	/* filled by inflate / written */
	bool quit, failed;
	uint32_t crc;			/* of the current member's output */
	uint64_t bytes;
	struct wdz_job *job;
	pthread_t tid;
};

static void *writer_main(void *arg)
{
	struct outq *q = arg;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		unsigned int i;
		bool failed;

		while (q->tail == q->head && !q->quit)
			pthread_cond_wait(&q->cond, &q->lock);
		if (q->tail == q->head)
			break;
		i = q->tail % OUTQ_BUFS;
		failed = q->failed;
		pthread_mutex_unlock(&q->lock);
		q->crc = crc32(q->crc, q->buf[i], q->len[i]);
		q->bytes += q->len[i];
		if (!failed && !q->job->discard &&
		    wdz_write_all(q->job->out_fd, q->buf[i], q->len[i], q->job->out_name))
			failed = true;
		pthread_mutex_lock(&q->lock);
		q->failed |= failed;
		q->tail++;
		pthread_cond_broadcast(&q->cond);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

static int q_start(struct outq *q, struct wdz_job *job)
{
	unsigned int i;

	memset(q, 0, sizeof(*q));
	q->job = job;
	for (i = 0; i < OUTQ_BUFS; i++) {
		q->buf[i] = malloc(WDZ_IOBUF);
		if (!q->buf[i])
			goto fail;
	}
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->cond, NULL);
	if (pthread_create(&q->tid, NULL, writer_main, q)) {
		pthread_mutex_destroy(&q->lock);
		pthread_cond_destroy(&q->cond);
		goto fail;
	}
	return 0;
fail:
	for (i = 0; i < OUTQ_BUFS; i++)
		free(q->buf[i]);
	wdz_err("%s: cannot start the writer: out of resources", job->in_name);
	return -1;
}

static void q_stop(struct outq *q)
{
	unsigned int i;

	pthread_mutex_lock(&q->lock);
	q->quit = true;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->tid, NULL);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->cond);
	for (i = 0; i < OUTQ_BUFS; i++)
		free(q->buf[i]);
}

/* A free buffer to inflate into, or NULL once writing has failed. */
static unsigned char *q_get(struct outq *q)
{
	unsigned char *b;

	pthread_mutex_lock(&q->lock);
	while (q->head - q->tail == OUTQ_BUFS && !q->failed)
		pthread_cond_wait(&q->cond, &q->lock);
	b = q->failed ? NULL : q->buf[q->head % OUTQ_BUFS];
	pthread_mutex_unlock(&q->lock);
	return b;
}

static void q_put(struct outq *q, size_t len)
{
	pthread_mutex_lock(&q->lock);
	q->len[q->head % OUTQ_BUFS] = len;
	q->head++;
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&q->lock);
}

/* Wait until everything queued is written; the member's CRC and length. */
static int q_drain(struct outq *q, uint32_t *crc, uint64_t *len)
{
	int ret;

	pthread_mutex_lock(&q->lock);
	while (q->tail != q->head)
		pthread_cond_wait(&q->cond, &q->lock);
	*crc = q->crc;
	*len = q->bytes;
	q->crc = 0;
	q->bytes = 0;
	ret = q->failed ? -1 : 0;
	pthread_mutex_unlock(&q->lock);
	return ret;
}

/*
 * Inflate one stream from the reader into the output queue. Returns 0 at
 * its end (the reader then points just after it), -1 when reported.
 */
static int inflate_stream(struct wdz_job *job, struct wdz_reader *rd,
			  struct wd_comp_sess *sess, struct outq *q,
			  uint32_t *crc, uint64_t *len)
{
	struct wd_comp_buf buf;
	unsigned char *out;
	int ret, n;

	memset(&buf, 0, sizeof(buf));
	for (;;) {
		size_t before;

		n = wdz_reader_fill(rd);
		if (n < 0)
			return -1;
		out = q_get(q);
		if (!out)
			return -1;
		buf.next_in = rd->buf + rd->pos;
		buf.avail_in = n;
		buf.next_out = out;
		buf.avail_out = WDZ_IOBUF;
		before = buf.avail_in;
		ret = wd_comp_stream(sess, &buf, n ? WD_FLUSH_NONE : WD_FLUSH_FINISH);
		rd->pos += before - buf.avail_in;
		if (ret < 0) {
			/*
			 * --engine=auto: whatever the device says (even
			 * "corrupt"), software gets the last word; main.c
			 * starts the file again on it when it can.
			 */
			if (opt.engine == WD_ENGINE_AUTO &&
			    wd_comp_engine(sess) == WD_ENGINE_HW)
				return WDZ_RETRY_SW;
			if (ret == WD_EBADMSG)
				wdz_err("%s: invalid compressed data--format violated",
					job->in_name);
			else
				wdz_err("%s: decompression failed (%s engine): %s",
					job->in_name, wd_engine_name(wd_comp_engine(sess)),
					wd_strerror(ret));
			return -1;
		}
		n = WDZ_IOBUF - buf.avail_out;
		if (n) {
			job->bytes_out += n;
			q_put(q, n);
		}
		if (ret == WD_STREAM_END)
			return q_drain(q, crc, len);
		/* End of input with no progress: the stream was cut short. */
		if (!before && !n) {
			wdz_err("%s: unexpected end of file", job->in_name);
			return -1;
		}
		wdz_progress(job, rd_offset(rd), false);
	}
}

/* After the last member: nothing, zeros (silently ok, as gzip) or garbage. */
static int check_tail(struct wdz_job *job, struct wdz_reader *rd, int first)
{
	bool zeros = first == 0;
	int c;

	while ((c = rd_byte(rd)) >= 0) {
		if (c)
			zeros = false;
	}
	if (c == -2)
		return -1;
	if (zeros) {
		if (opt.verbose > 0)
			wdz_warn("%s: decompression OK, trailing zero bytes ignored",
				 job->in_name);
		return 0;
	}
	wdz_warn("%s: decompression OK, trailing garbage ignored", job->in_name);
	return 0;
}

static int open_dec(struct wdz_job *job, struct wd_comp_sess **sess,
		    enum wd_comp_format format)
{
	struct wd_comp_setup s = {
		.format = format,
		.dir = WD_DIR_DECOMPRESS,
		.engine = job->sw_only ? WD_ENGINE_SW : opt.engine,
		.numa_node = -1,
	};
	int ret = wd_comp_open(sess, &s);

	if (ret && opt.engine == WD_ENGINE_AUTO) {
		s.engine = WD_ENGINE_SW;
		ret = wd_comp_open(sess, &s);
	}
	if (ret) {
		if (opt.engine == WD_ENGINE_HW && ret == WD_ENODEV)
			wdz_err("%s: --engine=hw: no accelerator found", job->in_name);
		else
			wdz_err("%s: cannot open a %s decompression session: %s",
				job->in_name, wd_engine_name(opt.engine),
				wd_strerror(ret));
		return -1;
	}
	job->engine = wd_comp_engine(*sess);
	job->threads = 1;
	return 0;
}

/*
 * Decompress after wdz_dec_begin() has read the first header. Returns 0,
 * -1 (reported) or WDZ_RETRY_SW (a device failed under --engine=auto).
 */
int wdz_decompress(struct wdz_job *job, struct wdz_reader *rd)
{
	struct wd_comp_sess *sess = NULL;
	struct outq q;
	unsigned char tr[8];
	uint32_t crc;
	uint64_t len;
	int ret = -1, c, i;

	if (job->passthrough)
		return copy_through(job, rd);
	if (q_start(&q, job))
		return -1;
	/* gzip members are parsed here: libwd sees raw deflate. */
	if (open_dec(job, &sess, opt.format == WD_FORMAT_GZIP ? WD_FORMAT_RAW :
		     opt.format))
		goto out;
	if (opt.format != WD_FORMAT_GZIP) {
		/* zlib and raw: libwd checks the trailer; one stream. */
		ret = inflate_stream(job, rd, sess, &q, &crc, &len);
		if (ret)
			goto out;
		ret = -1;
		c = rd_byte(rd);
		if (c == -2)
			goto out;
		if (c >= 0 && check_tail(job, rd, c))
			goto out;
		ret = 0;
		goto out;
	}
	/* gzip: the first header has been read by wdz_dec_begin(). */
	for (;;) {
		struct wdz_gzhdr h;

		ret = inflate_stream(job, rd, sess, &q, &crc, &len);
		if (ret)
			goto out;
		ret = -1;
		for (i = 0; i < 8; i++) {
			c = rd_byte(rd);
			if (c == -2)
				goto out;
			if (c == -1) {
				wdz_err("%s: unexpected end of file", job->in_name);
				goto out;
			}
			tr[i] = c;
		}
		if (wdz_get32le(tr) != crc) {
			wdz_err("%s: invalid compressed data--crc error", job->in_name);
			goto out;
		}
		if (wdz_get32le(tr + 4) != (uint32_t)len) {
			wdz_err("%s: invalid compressed data--length error", job->in_name);
			goto out;
		}
		/* Another member, the end, or something else after the data. */
		if (wdz_reader_fill(rd) < 0)
			goto out;
		if (rd->pos == rd->len)
			break;
		ret = wdz_gzip_parse(rd, &h);
		if (ret == GZ_NOTGZ || ret == GZ_EOF) {
			ret = -1;
			/* The bytes the parse looked at are part of the tail. */
			if (check_tail(job, rd, rd->pos ? rd->buf[rd->pos - 1] : 1))
				goto out;
			break;
		}
		if (ret) {
			ret = -1;
			goto out;
		}
		free(h.name);
		ret = wd_comp_reset(sess);
		if (ret) {
			wdz_err("%s: %s", job->in_name, wd_strerror(ret));
			ret = -1;
			goto out;
		}
		ret = -1;
	}
	ret = 0;
out:
	job->bytes_in = rd_offset(rd);
	q_stop(&q);
	if (sess)
		wd_comp_close(sess);
	wdz_progress(job, job->bytes_in, true);
	return ret;
}
