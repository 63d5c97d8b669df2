// SPDX-License-Identifier: GPL-2.0
/*
 * Status codes and version: the parts of libwd every other part reports
 * through.
 */
#include "config.h"

#include "wd.h"

#define WD_STR2(x) #x
#define WD_STR(x) WD_STR2(x)

const char *wd_version(void)
{
	return WD_STR(WD_VERSION_MAJOR) "." WD_STR(WD_VERSION_MINOR) "."
	       WD_STR(WD_VERSION_PATCH);
}

int wd_version_number(void)
{
	return WD_VERSION_NUMBER;
}

const char *wd_strerror(int status)
{
	switch (status) {
	case WD_OK:		return "success";
	case WD_EPERM:		return "operation not permitted";
	case WD_ENOENT:		return "no such device or queue";
	case WD_EIO:		return "device error";
	case WD_EAGAIN:		return "resource temporarily unavailable";
	case WD_ENOMEM:		return "out of memory";
	case WD_EBUSY:		return "device or queue busy";
	case WD_ENODEV:		return "no accelerator device";
	case WD_EINVAL:		return "invalid argument";
	case WD_ENOSPC:		return "output buffer too small";
	case WD_EBADMSG:	return "corrupt input data";
	case WD_EOPNOTSUPP:	return "not supported by this engine";
	case WD_ETIMEDOUT:	return "device timed out";
	default:		return "unknown error";
	}
}
