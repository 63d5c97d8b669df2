// SPDX-License-Identifier: GPL-2.0
/*
 * wd-zip - gzip-compatible compression on WarpDrive accelerators.
 *
 * Behaves like gzip (flags, file names, suffixes, exit status, messages) so
 * that it can stand in for it; compresses on N threads like pigz: through
 * libwd's wd_comp API on a ZIP engine queue when there is one, else in
 * software with libdeflate or zlib (--engine; zip/parallel.c).
 *
 * Exit status: 0 ok, 1 error, 2 warning (gzip's rule: an error wins).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wd-zip.h"

struct wdz_opts opt = {
	.name = -1,
	.level = 6,
	.format = WD_FORMAT_GZIP,
	.blocksize = 0,		/* the engine's: 128 KiB, libdeflate 1 MiB */
	.engine = WD_ENGINE_AUTO,
	.progress = -1,
};

int wdz_exit;

static void vmsg(const char *fmt, va_list ap)
{
	fputs("wd-zip: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void wdz_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	wdz_exit = WDZ_ERROR;
}

/* A warning: exit 2 unless an error happened; -q hides the message. */
void wdz_warn(const char *fmt, ...)
{
	va_list ap;

	if (opt.verbose >= 0) {
		va_start(ap, fmt);
		vmsg(fmt, ap);
		va_end(ap);
	}
	if (wdz_exit == WDZ_OK)
		wdz_exit = WDZ_WARNING;
}

/* A message that changes nothing (gzip's "already has suffix"). */
void wdz_note(const char *fmt, ...)
{
	va_list ap;

	if (opt.verbose < 0)
		return;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: wd-zip [OPTION]... [FILE]...\n"
		"Compress or decompress FILEs in gzip format (by default, in place),\n"
		"on a WarpDrive accelerator when there is one.\n\n"
		"  -c, --stdout       write on standard output, keep original files\n"
		"  -d, --decompress   decompress\n"
		"  -f, --force        overwrite output, compress links, allow terminals\n"
		"  -k, --keep         keep (don't delete) input files\n"
		"  -l, --list         list compressed file contents\n"
		"  -n, --no-name      don't save or restore the original name and time stamp\n"
		"  -N, --name         save or restore the original name and time stamp\n"
		"  -q, --quiet        suppress all warnings\n"
		"  -r, --recursive    operate recursively on directories\n"
		"  -S, --suffix=SUF   use suffix SUF on compressed files\n"
		"  -t, --test         test compressed file integrity\n"
		"  -v, --verbose      verbose mode: ratio, engine, throughput\n"
		"  -1, --fast         compress faster\n"
		"  -9, --best         compress better\n"
		"      --format=F     gzip (default), zlib or raw (deflate)\n"
		"  -p, --processes=N  compress on N threads (default: online CPUs)\n"
		"  -b, --blocksize=K  compress in blocks of K KiB (at least 32; default 128,\n"
		"                     1024 in software with libdeflate)\n"
		"      --engine=E     auto (default: accelerator if free, else software),\n"
		"                     hw (accelerator only) or sw (software only)\n"
		"      --[no-]progress  progress line on a terminal (default: long jobs)\n"
		"      --rsyncable    make rsync-friendly output (block ends from the content)\n"
		"      --synchronous  accepted: output is always synced before rename\n"
		"  -a, --ascii        accepted and ignored, as gzip on this system\n"
		"  -h, --help         give this help\n"
		"  -L, --license      display software license\n"
		"  -V, --version      display version number\n\n"
		"With no FILE, or when FILE is -, read standard input.\n"
		"Exit status: 0 ok, 1 error, 2 warning.\n");
}

/* Suffixes gzip recognises when decompressing, and what replaces them. */
static const struct {
	const char *suf, *repl;
} known[] = {
	{ ".gz", "" }, { "-gz", "" }, { ".z", "" }, { "-z", "" }, { "_z", "" },
	{ ".Z", "" }, { ".tgz", ".tar" }, { ".taz", ".tar" },
};

static bool ends_with(const char *s, const char *suf)
{
	size_t ls = strlen(s), lf = strlen(suf);

	return lf && ls > lf && !strcmp(s + ls - lf, suf);
}

/* The suffix that makes @path a compressed name, or NULL. */
static const char *compressed_suffix(const char *path, const char **repl)
{
	const char *base = strrchr(path, '/');
	unsigned int i;

	base = base ? base + 1 : path;
	*repl = "";
	if (ends_with(base, opt.suffix))
		return opt.suffix;
	if (opt.format != WD_FORMAT_GZIP)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(known); i++) {
		if (ends_with(base, known[i].suf)) {
			*repl = known[i].repl;
			return known[i].suf;
		}
	}
	return NULL;
}

static bool want_stdout(void)
{
	return opt.to_stdout || opt.test || opt.list;
}

/* Compressed data is never written to or read from a terminal (-f overrides). */
static bool tty_refused(bool reading_stdin)
{
	if (opt.force || opt.list)
		return false;
	if (!opt.decompress && !opt.test && isatty(STDOUT_FILENO)) {
		wdz_err("compressed data not written to a terminal. Use -f to force compression.\n"
			"For help, type: wd-zip -h");
		return true;
	}
	if (opt.decompress && reading_stdin && isatty(STDIN_FILENO)) {
		wdz_err("compressed data not read from a terminal. Use -f to force decompression.\n"
			"For help, type: wd-zip -h");
		return true;
	}
	return false;
}

static void report(struct wdz_job *job, const char *what, const char *out)
{
	double in = opt.decompress ? job->bytes_out : job->bytes_in;
	double z = opt.decompress ? job->bytes_in : job->bytes_out;
	double mbs = job->seconds > 0 ? in / job->seconds / 1e6 : 0;

	if (opt.verbose <= 0)
		return;
	if (opt.test) {
		fprintf(stderr, "%s:\t OK [%s engine, %.1f MB/s]\n", job->in_name,
			wd_engine_name(job->engine), mbs);
		return;
	}
	fprintf(stderr, "%s:\t%5.1f%%", job->in_name, in ? 100.0 * (in - z) / in : 0.0);
	if (what)
		fprintf(stderr, " -- %s %s", what, out);
	fprintf(stderr, " [%s engine, ",
		job->engine == WD_ENGINE_AUTO ? "hw+sw" : wd_engine_name(job->engine));
	if (job->sw_name)
		fprintf(stderr, "%s, ", job->sw_name);
	fprintf(stderr, "%u thread%s, %.1f MB/s]\n",
		job->threads, job->threads == 1 ? "" : "s", mbs);
}

/*
 * --engine=auto and the device failed while decompressing: start the file
 * again in software when both ends can be rewound (a file, not a pipe);
 * output already in a pipe cannot be taken back.
 */
static int retry_sw(struct wdz_job *job, struct wdz_reader *rd)
{
	int ret;

	if (lseek(job->in_fd, 0, SEEK_SET)) {
		wdz_err("%s: the accelerator failed and the input cannot be read again: try --engine=sw",
			job->in_name);
		return -1;
	}
	if (!job->discard && (job->out_start < 0 ||
			      lseek(job->out_fd, job->out_start, SEEK_SET) < 0 ||
			      ftruncate(job->out_fd, job->out_start))) {
		wdz_err("%s: the accelerator failed and its output cannot be taken back: try --engine=sw",
			job->in_name);
		return -1;
	}
	if (opt.verbose > 0)
		wdz_note("%s: the accelerator failed: decompressing in software", job->in_name);
	free(job->orig_name);
	job->orig_name = NULL;
	job->sw_only = true;
	job->bytes_in = 0;
	job->bytes_out = 0;
	rd->pos = 0;
	rd->len = 0;
	rd->total = 0;
	rd->eof = false;
	ret = wdz_dec_begin(job, rd);
	if (ret < 0)
		return -1;
	ret = wdz_decompress(job, rd);
	return ret ? -1 : 0;
}

static int run(struct wdz_job *job, struct wdz_reader *rd)
{
	int ret;

	job->t0 = wdz_now();
	job->out_start = lseek(job->out_fd, 0, SEEK_CUR);
	if (!opt.decompress) {
		ret = wdz_compress(job);
	} else {
		ret = wdz_decompress(job, rd);
		if (ret == WDZ_RETRY_SW)
			ret = retry_sw(job, rd);
	}
	job->seconds = wdz_now() - job->t0;
	return ret;
}

static void treat_stdin(void)
{
	struct wdz_job job = {
		.in_fd = STDIN_FILENO,
		.out_fd = STDOUT_FILENO,
		.in_name = "stdin",
		.out_name = "stdout",
		.discard = opt.test,
	};
	struct wdz_reader rd = { .buf = NULL };
	struct stat st;
	int ret;

	if (tty_refused(true))
		return;
	if (fstat(STDIN_FILENO, &st)) {
		wdz_err("stdin: %s", strerror(errno));
		return;
	}
	if (opt.list) {
		wdz_list(STDIN_FILENO, "stdin", "stdout", &st);
		return;
	}
	/* gzip records a regular file's time even when it comes on stdin. */
	if (S_ISREG(st.st_mode) && opt.name != 0 && st.st_mtime > 0 &&
	    st.st_mtime <= UINT32_MAX)
		job.hdr_mtime = st.st_mtime;
	if (S_ISREG(st.st_mode))
		job.in_size = st.st_size;
	if (opt.decompress) {
		if (wdz_reader_init(&rd, STDIN_FILENO, "stdin"))
			return;
		ret = wdz_dec_begin(&job, &rd);
		if (ret < 0)
			goto out;
		job.passthrough = ret == 1;
	}
	if (!run(&job, &rd))
		report(&job, NULL, NULL);
out:
	free(job.orig_name);
	wdz_reader_free(&rd);
}

/* Output path for @path, or NULL (reported). The caller frees it. */
static char *output_name(const char *path, bool recursing)
{
	const char *suf, *repl;
	char *out;
	size_t len;

	suf = compressed_suffix(path, &repl);
	if (!opt.decompress) {
		if (suf) {
			/* gzip: a note, not a warning; silent under -r. */
			if (!recursing)
				wdz_note("%s already has %s suffix -- unchanged", path,
					 suf);
			return NULL;
		}
		if (asprintf(&out, "%s%s", path, opt.suffix) < 0)
			out = NULL;
	} else {
		if (!suf) {
			/* gzip: -q silences this one completely, exit status too. */
			if (!recursing && opt.verbose >= 0)
				wdz_warn("%s: unknown suffix -- ignored", path);
			return NULL;
		}
		len = strlen(path) - strlen(suf);
		if (asprintf(&out, "%.*s%s", (int)len, path, repl) < 0)
			out = NULL;
	}
	if (!out)
		wdz_err("%s: out of memory", path);
	return out;
}

/* -N: the name from the header, in the input's directory, no path parts. */
static char *restored_name(const char *path, const char *orig)
{
	const char *slash = strrchr(path, '/');
	const char *base = strrchr(orig, '/');
	char *out;

	base = base ? base + 1 : orig;
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return NULL;
	if (asprintf(&out, "%.*s%s", slash ? (int)(slash - path + 1) : 0, path,
		     base) < 0)
		return NULL;
	return out;
}

static void treat_file(const char *path, bool recursing);

static void treat_dir(const char *path)
{
	struct dirent *de;
	DIR *d = opendir(path);

	if (!d) {
		wdz_err("%s: %s", path, strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		char *child;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (asprintf(&child, "%s/%s", path, de->d_name) < 0) {
			wdz_err("%s: out of memory", path);
			break;
		}
		treat_file(child, true);
		free(child);
	}
	closedir(d);
}

static void treat_file(const char *path, bool recursing)
{
	struct wdz_job job = { .in_name = path, .discard = opt.test };
	struct wdz_reader rd = { .buf = NULL };
	char *out = NULL;
	struct stat st, ost;
	struct timespec mtime;
	bool to_stdout = want_stdout();
	int fd = -1, ofd = -1, flags = O_RDONLY | O_NOCTTY;
	int ret;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (opt.recursive && (!recursing || lstat(path, &st) || !S_ISLNK(st.st_mode)))
			treat_dir(path);
		else if (!opt.recursive)
			wdz_warn("%s is a directory -- ignored", path);
		return;
	}
	/* Links are followed only with -f or -c, as gzip does. */
	if (!to_stdout && !opt.force)
		flags |= O_NOFOLLOW;
	fd = open(path, flags);
	if (fd < 0) {
		wdz_err("%s: %s", path, strerror(errno));
		return;
	}
	if (fstat(fd, &st)) {
		wdz_err("%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) && !(to_stdout && opt.force)) {
		wdz_warn("%s is not a directory or a regular file - ignored", path);
		goto out;
	}
	if (st.st_nlink > 1 && !to_stdout && !opt.force) {
		wdz_warn("%s has %lu other link%s -- file ignored", path,
			 (unsigned long)st.st_nlink - 1, st.st_nlink > 2 ? "s" : "");
		goto out;
	}
	if (opt.list) {
		const char *suf, *repl;
		char *name;

		suf = compressed_suffix(path, &repl);
		if (asprintf(&name, "%.*s%s", (int)(strlen(path) - (suf ? strlen(suf) : 0)),
			     path, suf ? repl : "") >= 0) {
			wdz_list(fd, path, name, &st);
			free(name);
		}
		goto out;
	}
	if (!to_stdout) {
		out = output_name(path, recursing);
		if (!out)
			goto out;
	}
	job.in_fd = fd;
	job.in_size = st.st_size;
	if (opt.decompress) {
		if (wdz_reader_init(&rd, fd, path))
			goto out;
		ret = wdz_dec_begin(&job, &rd);
		if (ret < 0)
			goto out;
		job.passthrough = ret == 1;
		if (opt.name > 0 && job.orig_name && out) {
			char *n = restored_name(path, job.orig_name);

			if (n) {
				free(out);
				out = n;
			}
		}
	} else if (opt.name != 0) {
		const char *base = strrchr(path, '/');

		job.hdr_name = base ? base + 1 : path;
		if (st.st_mtime > 0 && st.st_mtime <= UINT32_MAX)
			job.hdr_mtime = st.st_mtime;
	}
	if (to_stdout) {
		job.out_fd = STDOUT_FILENO;
		job.out_name = "stdout";
		/* gzip's wording, though -c leaves the input in place */
		if (!run(&job, &rd))
			report(&job, opt.keep ? "created" : "replaced with", "stdout");
		goto out;
	}
	if (lstat(out, &ost) == 0 && !opt.force) {
		/* Not silenced by -q: the user asked for a file they won't get. */
		fprintf(stderr, "wd-zip: %s already exists; not overwritten\n", out);
		if (wdz_exit == WDZ_OK)
			wdz_exit = WDZ_WARNING;
		goto out;
	}
	/* -f -dN with a stored name equal to the input's: never write over it. */
	if (!strcmp(out, path) || (stat(out, &ost) == 0 && ost.st_dev == st.st_dev &&
				   ost.st_ino == st.st_ino)) {
		wdz_err("%s: output would overwrite the input -- skipped", path);
		goto out;
	}
	ofd = wdz_out_create(out, &st);
	if (ofd < 0)
		goto out;
	job.out_fd = ofd;
	job.out_name = out;
	if (run(&job, &rd)) {
		wdz_out_abort(ofd);
		goto out;
	}
	mtime = st.st_mtim;
	if (opt.decompress && opt.name > 0 && job.orig_mtime) {
		mtime.tv_sec = job.orig_mtime;
		mtime.tv_nsec = 0;
	}
	if (wdz_out_commit(ofd, out, &st, &mtime))
		goto out;
	/* Only now, with the output complete and checked, may the input go. */
	if (!opt.keep && unlink(path))
		wdz_err("%s: cannot remove: %s", path, strerror(errno));
	report(&job, opt.keep ? "created" : "replaced with", out);
out:
	if (fd >= 0)
		close(fd);
	free(job.orig_name);
	wdz_reader_free(&rd);
	free(out);
}

/*
 * gzip -d NAME with no file NAME reads NAME.gz (or .z, -z, .Z): the name a
 * user types is often the one they want back. The message names NAME plus
 * the suffix, as gzip's does.
 */
static void treat_arg(const char *path)
{
	static const char *const sufs[] = { NULL, ".gz", ".z", "-z", ".Z" };
	const char *repl;
	struct stat st;
	unsigned int i;
	char *name;

	if (!opt.decompress || !lstat(path, &st) || errno != ENOENT ||
	    compressed_suffix(path, &repl)) {
		treat_file(path, false);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(sufs); i++) {
		const char *suf = i ? sufs[i] : opt.suffix;

		if (i && (opt.format != WD_FORMAT_GZIP || !strcmp(suf, opt.suffix)))
			continue;
		if (asprintf(&name, "%s%s", path, suf) < 0)
			break;
		if (!lstat(name, &st)) {
			treat_file(name, false);
			free(name);
			return;
		}
		free(name);
	}
	wdz_err("%s%s: %s", path, opt.suffix, strerror(ENOENT));
}

static int parse_uint(const char *arg, const char *what, unsigned long max,
		      unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || *arg == '-' || *v > max) {
		fprintf(stderr, "wd-zip: invalid %s '%s'\nTry 'wd-zip --help'.\n",
			what, arg);
		return -1;
	}
	return 0;
}

enum {
	OPT_FORMAT = 256, OPT_ENGINE, OPT_PROGRESS, OPT_NO_PROGRESS,
	OPT_SYNCHRONOUS, OPT_RSYNCABLE,
};

static void license(void)
{
	printf("wd-zip %s\n"
	       "Copyright (C) 2026 the WarpDrive developers.\n"
	       "License GPL-2.0: GNU GPL version 2 <https://www.gnu.org/licenses/old-licenses/gpl-2.0.html>.\n"
	       "This is free software: you are free to change and redistribute it.\n"
	       "There is NO WARRANTY, to the extent permitted by law.\n",
	       PACKAGE_VERSION);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "stdout", no_argument, NULL, 'c' },
		{ "to-stdout", no_argument, NULL, 'c' },
		{ "decompress", no_argument, NULL, 'd' },
		{ "uncompress", no_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'f' },
		{ "keep", no_argument, NULL, 'k' },
		{ "list", no_argument, NULL, 'l' },
		{ "no-name", no_argument, NULL, 'n' },
		{ "name", no_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "silent", no_argument, NULL, 'q' },
		{ "recursive", no_argument, NULL, 'r' },
		{ "suffix", required_argument, NULL, 'S' },
		{ "test", no_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "fast", no_argument, NULL, '1' },
		{ "best", no_argument, NULL, '9' },
		{ "processes", required_argument, NULL, 'p' },
		{ "blocksize", required_argument, NULL, 'b' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "engine", required_argument, NULL, OPT_ENGINE },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
		{ "ascii", no_argument, NULL, 'a' },
		{ "synchronous", no_argument, NULL, OPT_SYNCHRONOUS },
		{ "rsyncable", no_argument, NULL, OPT_RSYNCABLE },
		{ "license", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool ascii = false;
	unsigned long v;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int c, i;

	opt.procs = ncpu > 0 ? ncpu : 1;
	while ((c = getopt_long(argc, argv, "acdfklLnNqrS:tv123456789p:b:hV",
				lopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			opt.to_stdout = true;
			break;
		case 'd':
			opt.decompress = true;
			break;
		case 'f':
			opt.force = true;
			break;
		case 'k':
			opt.keep = true;
			break;
		case 'l':
			opt.list = true;
			break;
		case 'n':
			opt.name = 0;
			break;
		case 'N':
			opt.name = 1;
			break;
		case 'q':
			opt.verbose = -1;
			break;
		case 'r':
			opt.recursive = true;
			break;
		case 'S':
			opt.suffix = optarg;
			break;
		case 't':
			opt.test = true;
			break;
		case 'v':
			opt.verbose = 1;
			break;
		case '1': case '2': case '3': case '4': case '5':
		case '6': case '7': case '8': case '9':
			opt.level = c - '0';
			break;
		case 'p':
			if (parse_uint(optarg, "number of processes", 1024, &v) || !v) {
				if (!v)
					fprintf(stderr, "wd-zip: need at least one process\n");
				return WDZ_ERROR;
			}
			opt.procs = v;
			break;
		case 'b':
			/* KiB, as pigz; below the window the dictionary is short. */
			if (parse_uint(optarg, "block size", 1UL << 20, &v))
				return WDZ_ERROR;
			if (v < 32) {
				fprintf(stderr, "wd-zip: block size must be at least 32 (KiB)\n");
				return WDZ_ERROR;
			}
			opt.blocksize = v * 1024;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "gzip") || !strcmp(optarg, "gz")) {
				opt.format = WD_FORMAT_GZIP;
			} else if (!strcmp(optarg, "zlib")) {
				opt.format = WD_FORMAT_ZLIB;
			} else if (!strcmp(optarg, "raw") || !strcmp(optarg, "deflate")) {
				opt.format = WD_FORMAT_RAW;
			} else {
				fprintf(stderr, "wd-zip: unknown format '%s' (gzip, zlib or raw)\n",
					optarg);
				return WDZ_ERROR;
			}
			break;
		case OPT_ENGINE:
			if (!strcmp(optarg, "auto")) {
				opt.engine = WD_ENGINE_AUTO;
			} else if (!strcmp(optarg, "hw")) {
				opt.engine = WD_ENGINE_HW;
			} else if (!strcmp(optarg, "sw")) {
				opt.engine = WD_ENGINE_SW;
			} else {
				fprintf(stderr, "wd-zip: unknown engine '%s' (auto, hw or sw)\n",
					optarg);
				return WDZ_ERROR;
			}
			break;
		case OPT_PROGRESS:
			opt.progress = 1;
			break;
		case OPT_NO_PROGRESS:
			opt.progress = 0;
			break;
		case 'a':
			ascii = true;
			break;
		case OPT_RSYNCABLE:
			opt.rsyncable = true;
			break;
		case OPT_SYNCHRONOUS:
			/* every output file is synced before it is renamed anyway */
			break;
		case 'L':
			license();
			return WDZ_OK;
		case 'h':
			usage(stdout);
			return WDZ_OK;
		case 'V':
			printf("wd-zip %s (libwd %s)\n", PACKAGE_VERSION, wd_version());
			return WDZ_OK;
		default:
			fprintf(stderr, "Try 'wd-zip --help'.\n");
			return WDZ_ERROR;
		}
	}
	/* gzip's words: there is no text mode to convert line ends for. */
	if (ascii && opt.verbose >= 0)
		fprintf(stderr, "wd-zip: option --ascii ignored on this system\n");
	if (!opt.suffix)
		opt.suffix = opt.format == WD_FORMAT_ZLIB ? ".zz" :
			     opt.format == WD_FORMAT_RAW ? ".deflate" : ".gz";
	if (!*opt.suffix || strchr(opt.suffix, '/') || strlen(opt.suffix) > 30) {
		fprintf(stderr, "wd-zip: invalid suffix '%s'\n", opt.suffix);
		return WDZ_ERROR;
	}
	if (opt.test || opt.list)
		opt.decompress = true;
	if (opt.list && opt.format != WD_FORMAT_GZIP) {
		fprintf(stderr, "wd-zip: --list needs --format=gzip\n");
		return WDZ_ERROR;
	}
	wdz_signals_init();
	if (optind >= argc) {
		treat_stdin();
	} else {
		for (i = optind; i < argc; i++) {
			if (!strcmp(argv[i], "-"))
				treat_stdin();
			else
				treat_arg(argv[i]);
		}
	}
	if (opt.list)
		wdz_list_totals();
	/* Data already written to stdout must reach it, or it is an error. */
	if (fflush(stdout) || (close(STDOUT_FILENO) && errno != EBADF)) {
		if (errno != EPIPE)
			wdz_err("stdout: write error: %s", strerror(errno));
	}
	return wdz_exit;
}
