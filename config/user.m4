dnl SPDX-License-Identifier: GPL-2.0
dnl #
dnl # User-space toolchain checks: warnings, zlib, threads, check.
dnl #
AC_DEFUN([WD_AC_USER], [
	dnl # dkms builds only the modules: it must not need zlib or check.
	AC_ARG_ENABLE([userspace],
		[AS_HELP_STRING([--disable-userspace],
			[build the kernel modules only (what dkms does)])],
		[], [enable_userspace=yes])
	AM_CONDITIONAL([BUILD_USERSPACE], [test "x$enable_userspace" != xno])
	AS_IF([test "x$enable_userspace" != xno], [WD_AC_USER_CHECKS], [
		AM_CONDITIONAL([HAVE_CHECK], [false])
	])
])

AC_DEFUN([WD_AC_USER_CHECKS], [
	AC_ARG_ENABLE([werror],
		[AS_HELP_STRING([--enable-werror],
			[treat compiler warnings as errors (CI does)])],
		[], [enable_werror=no])

	WD_CFLAGS="-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter -fvisibility=hidden"
	AS_IF([test "x$enable_werror" = xyes],
		[WD_CFLAGS="$WD_CFLAGS -Werror"])
	AC_SUBST([WD_CFLAGS])

	dnl # The VM bench's guest has no libc: it gets static programs.
	AC_ARG_ENABLE([static-programs],
		[AS_HELP_STRING([--enable-static-programs],
			[link the tools and test programs statically])],
		[], [enable_static_programs=no])
	WD_PROG_LDFLAGS=""
	AS_IF([test "x$enable_static_programs" = xyes],
		[WD_PROG_LDFLAGS="-all-static"])
	AC_SUBST([WD_PROG_LDFLAGS])

	PKG_CHECK_MODULES([ZLIB], [zlib], [], [
		AC_MSG_ERROR([
	*** zlib development files not found.
	*** On Debian: apt-get install zlib1g-dev])
	])

	dnl # wd-zip's software compression: libdeflate when there is one
	dnl # (faster than zlib at the same level and ratio), else zlib.
	AC_ARG_WITH([libdeflate],
		[AS_HELP_STRING([--without-libdeflate],
			[compress wd-zip's software blocks with zlib only])],
		[], [with_libdeflate=check])
	have_libdeflate=no
	AS_IF([test "x$with_libdeflate" != xno], [
		PKG_CHECK_MODULES([LIBDEFLATE], [libdeflate], [have_libdeflate=yes], [
			AS_IF([test "x$with_libdeflate" = xyes],
				[AC_MSG_ERROR([--with-libdeflate: libdeflate not found (apt-get install libdeflate-dev)])])
			AC_MSG_WARN([libdeflate not found: wd-zip compresses in software with zlib (apt-get install libdeflate-dev)])
		])
	])
	AS_IF([test "x$have_libdeflate" = xyes],
		[AC_DEFINE([HAVE_LIBDEFLATE], [1], [libdeflate serves wd-zip's software compression])])

	AC_SEARCH_LIBS([pthread_create], [pthread])
	PTHREAD_CFLAGS="-pthread"
	PTHREAD_LIBS="-pthread"
	AC_SUBST([PTHREAD_CFLAGS])
	AC_SUBST([PTHREAD_LIBS])

	PKG_CHECK_MODULES([CHECK], [check >= 0.10], [have_check=yes], [
		have_check=no
		AC_MSG_WARN([check not found: 'make check' cannot run the unit tests (apt-get install check)])
	])
	AM_CONDITIONAL([HAVE_CHECK], [test "x$have_check" = xyes])
])
