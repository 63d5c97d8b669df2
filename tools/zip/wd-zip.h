/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wd-zip.h - what the parts of wd-zip share.
 *
 * zip/main.c      options, which files, output names, messages
 * zip/file.c      safe output (temp file, fsync, rename, attributes), signals
 * zip/gzip.c      gzip member headers and trailers, decompression
 * zip/parallel.c  compression: blocks on N threads into one stream
 * zip/list.c      -l
 */
#ifndef WD_ZIP_H
#define WD_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "wd_comp.h"
#include "wd_queue.h"

#define WDZ_OK		0
#define WDZ_ERROR	1
#define WDZ_WARNING	2

/* wdz_decompress(): the device failed, the file may be redone in software. */
#define WDZ_RETRY_SW	(-2)

#define WDZ_WINDOW	32768		/* deflate's window: the dictionary */
#define WDZ_IOBUF	(256 * 1024)

struct wdz_opts {
	bool decompress, to_stdout, force, keep, list, test, recursive, rsyncable;
	int name;		/* -1 default, 0 -n, 1 -N */
	int verbose;		/* -1 quiet, 0 normal, 1 verbose */
	int level;		/* 1..9 */
	enum wd_comp_format format;
	unsigned int procs;
	size_t blocksize;
	enum wd_engine engine;
	int progress;		/* -1 auto, 0 off, 1 on */
	const char *suffix;
};

extern struct wdz_opts opt;
extern int wdz_exit;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define __printf(a, b) __attribute__((format(printf, a, b)))

/* Messages on stderr, "wd-zip: " first; they set the exit status. */
__printf(1, 2) void wdz_err(const char *fmt, ...);
__printf(1, 2) void wdz_warn(const char *fmt, ...);
__printf(1, 2) void wdz_note(const char *fmt, ...);

/* One (de)compression: an input stream into an output stream. */
struct wdz_job {
	int in_fd, out_fd;
	const char *in_name;	/* for messages */
	const char *out_name;
	uint64_t in_size;	/* 0 = unknown (progress only) */

	/* compression: what the gzip header records */
	const char *hdr_name;	/* NULL: no FNAME */
	uint32_t hdr_mtime;

	/* decompression: what the first gzip header recorded */
	char *orig_name;
	uint32_t orig_mtime;
	bool discard;		/* -t: check only */
	bool passthrough;	/* -dcf on data that is not gzip: copy it */
	bool sw_only;		/* a device failed on this file: software */
	off_t out_start;	/* where this file's output began */

	/* results */
	uint64_t bytes_in, bytes_out;
	enum wd_engine engine;
	const char *sw_name;	/* the software compressor that served, or NULL */
	unsigned int threads;
	double seconds;
	double t0, t_shown;	/* progress: start, last line (0 = none yet) */
};

/* file.c */
void wdz_signals_init(void);
int wdz_read_full(int fd, void *buf, size_t len, const char *name, size_t *got);
int wdz_write_all(int fd, const void *buf, size_t len, const char *name);
int wdz_out_create(const char *path, const struct stat *st);
int wdz_out_commit(int fd, const char *path, const struct stat *st,
		   const struct timespec *mtime);
void wdz_out_abort(int fd);
double wdz_now(void);
void wdz_progress(struct wdz_job *job, uint64_t done, bool final);

/* parallel.c */
int wdz_compress(struct wdz_job *job);

/* gzip.c */
struct wdz_reader {
	int fd;
	const char *name;
	unsigned char *buf;
	size_t pos, len;
	bool eof;
	uint64_t total;		/* bytes consumed before buf[pos] (whole file) */
};

struct wdz_gzhdr {
	uint8_t flags;
	uint32_t mtime;
	char *name;		/* FNAME or NULL (malloc'd) */
	size_t len;		/* header bytes */
};

int wdz_reader_init(struct wdz_reader *rd, int fd, const char *name);
void wdz_reader_free(struct wdz_reader *rd);
int wdz_reader_fill(struct wdz_reader *rd);
size_t wdz_gzip_header(unsigned char *out, const char *name, uint32_t mtime,
		       int level);
int wdz_gzip_parse(struct wdz_reader *rd, struct wdz_gzhdr *h);
int wdz_dec_begin(struct wdz_job *job, struct wdz_reader *rd);
int wdz_decompress(struct wdz_job *job, struct wdz_reader *rd);
void wdz_put32le(unsigned char *p, uint32_t v);
uint32_t wdz_get32le(const unsigned char *p);

/* list.c */
int wdz_list(int fd, const char *in_name, const char *out_name,
	     const struct stat *st);
void wdz_list_totals(void);

#endif /* WD_ZIP_H */
