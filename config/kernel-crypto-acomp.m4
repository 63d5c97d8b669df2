dnl SPDX-License-Identifier: GPL-2.0
dnl #
dnl # Asynchronous compression (acomp) provider API, for hisi_zip's
dnl # algorithms.
dnl #
dnl # 6.1, 6.12: the request context size is acomp_alg.reqsize, and a request
dnl #            may ask the driver to allocate its output
dnl #            (req->flags & CRYPTO_ACOMP_ALLOC_OUTPUT).
dnl # 6.15+:     reqsize moves to crypto_alg.cra_reqsize; output allocation
dnl #            and req->flags are gone; requests may carry virtual
dnl #            addresses, which the core turns into scatterlists for
dnl #            algorithms without CRYPTO_ALG_REQ_VIRT.
dnl #
AC_DEFUN([WD_AC_KERNEL_SRC_CRYPTO_ACOMP], [
	WD_LINUX_TEST_SRC([acomp_register], [
		#include <crypto/internal/acompress.h>
	], [
		int ret = crypto_register_acomp(NULL);
		crypto_unregister_acomp(NULL);
		(void)ret;
	])
	WD_LINUX_TEST_SRC([acomp_alg_reqsize], [
		#include <crypto/internal/acompress.h>
		static struct acomp_alg wd_probe_alg __maybe_unused = {
			.reqsize = 16,
		};
	], [])
	WD_LINUX_TEST_SRC([crypto_alg_cra_reqsize], [
		#include <linux/crypto.h>
		static struct crypto_alg wd_probe_alg __maybe_unused = {
			.cra_reqsize = 16,
		};
	], [])
	WD_LINUX_TEST_SRC([acomp_req_flags], [
		#include <crypto/acompress.h>
	], [
		struct acomp_req *req = NULL;
		u32 f = req->flags & CRYPTO_ACOMP_ALLOC_OUTPUT;
		(void)f;
	])
	WD_LINUX_TEST_SRC([acomp_req_virt], [
		#include <crypto/internal/acompress.h>
	], [
		bool v = acomp_request_isvirt(NULL);
		(void)v;
	])
])

AC_DEFUN([WD_AC_KERNEL_CRYPTO_ACOMP], [
	WD_LINUX_TEST_RESULT([acomp_register], [], [
		AC_MSG_ERROR([*** crypto_register_acomp() is missing from $LINUX_VERSION.])
	])
	WD_LINUX_PROBE([acomp_alg_reqsize], [HAVE_ACOMP_ALG_REQSIZE],
		[whether acomp_alg has reqsize])
	WD_LINUX_PROBE([crypto_alg_cra_reqsize], [HAVE_CRYPTO_ALG_CRA_REQSIZE],
		[whether crypto_alg has cra_reqsize])
	WD_LINUX_PROBE([acomp_req_flags], [HAVE_ACOMP_REQ_ALLOC_OUTPUT],
		[whether acomp requests can ask for output allocation])
	WD_LINUX_PROBE([acomp_req_virt], [HAVE_ACOMP_REQ_VIRT],
		[whether acomp requests can carry virtual addresses])
	AS_IF([test -f "$wd_probe_dir/acomp_alg_reqsize/acomp_alg_reqsize.o" ||
	       test -f "$wd_probe_dir/crypto_alg_cra_reqsize/crypto_alg_cra_reqsize.o"], [], [
		AC_MSG_ERROR([*** no place for an acomp request context size in $LINUX_VERSION.])
	])
])
