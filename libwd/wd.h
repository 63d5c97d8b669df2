/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wd.h - WarpDrive user library: accelerator queues driven from user space.
 *
 * Errors: every call that can fail returns 0 or a negative errno-style code
 * (WD_E*); wd_strerror() names it. No call sets errno as its result.
 *
 * Threads: the library has no global mutable state. Functions that take no
 * object are safe from any thread.
 */
#ifndef WD_H
#define WD_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define WD_API __attribute__((visibility("default")))
#else
#define WD_API
#endif

#define WD_VERSION_MAJOR 0
#define WD_VERSION_MINOR 1
#define WD_VERSION_PATCH 0
#define WD_VERSION_NUMBER \
	(WD_VERSION_MAJOR * 10000 + WD_VERSION_MINOR * 100 + WD_VERSION_PATCH)

/* Error codes: negated errno values, so they print sensibly with strerror(). */
enum wd_status {
	WD_OK = 0,
	WD_EPERM = -1,		/* not allowed (device or VFIO permissions) */
	WD_ENOENT = -2,		/* no such device or queue */
	WD_EIO = -5,		/* the device reported an error */
	WD_EAGAIN = -11,	/* no free queue or slot right now: retry */
	WD_ENOMEM = -12,	/* out of memory */
	WD_EBUSY = -16,		/* queue or device in use */
	WD_ENODEV = -19,	/* no accelerator present */
	WD_EINVAL = -22,	/* invalid argument */
	WD_ENOSPC = -28,	/* output buffer too small */
	WD_EBADMSG = -74,	/* corrupt input data */
	WD_EOPNOTSUPP = -95,	/* not supported by this engine or format */
	WD_ETIMEDOUT = -110,	/* the device did not answer in time */
};

/* Library version as "MAJOR.MINOR.PATCH"; compare with WD_VERSION_NUMBER. */
WD_API const char *wd_version(void);
WD_API int wd_version_number(void);

/*
 * A short English name for a status code: "success", "invalid argument", ...
 * Never NULL; unknown codes give "unknown error".
 */
WD_API const char *wd_strerror(int status);

#ifdef __cplusplus
}
#endif

#endif /* WD_H */
