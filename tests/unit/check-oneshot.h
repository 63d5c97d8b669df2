/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ck_assert_oneshot(): one wd_comp_oneshot() that must succeed and give
 * exactly the expected bytes. A macro, so that a failure names the test's
 * own line.
 */
#ifndef WD_CHECK_ONESHOT_H
#define WD_CHECK_ONESHOT_H

#include <check.h>
#include <stddef.h>

#include "wd_comp.h"

/*
 * One-shot request of src[0..slen) on session s into out, which has room
 * for cap bytes: WD_OK, and out holds exactly want[0..n).
 */
#define ck_assert_oneshot(s, src, slen, out, cap, want, n) do {		\
	size_t oneshot_len_ = (cap);					\
									\
	ck_assert_int_eq(wd_comp_oneshot((s), (src), (slen), (out),	\
					 &oneshot_len_), WD_OK);	\
	ck_assert_uint_eq(oneshot_len_, (n));				\
	ck_assert_mem_eq((out), (want), (n));				\
} while (0)

#endif
