// SPDX-License-Identifier: GPL-2.0
/* Unit tests: libwd status codes and version. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#include "wd.h"

START_TEST(test_strerror_names_every_code)
{
	static const int codes[] = {
		WD_EPERM, WD_ENOENT, WD_EIO, WD_EAGAIN, WD_ENOMEM, WD_EBUSY,
		WD_ENODEV, WD_EINVAL, WD_ENOSPC, WD_EBADMSG, WD_EOPNOTSUPP,
		WD_ETIMEDOUT,
	};
	size_t i, j;

	ck_assert_str_eq(wd_strerror(WD_OK), "success");
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		ck_assert_str_ne(wd_strerror(codes[i]), "unknown error");
		for (j = 0; j < i; j++)
			ck_assert_str_ne(wd_strerror(codes[i]), wd_strerror(codes[j]));
	}
}
END_TEST

START_TEST(test_codes_are_negated_errno)
{
	ck_assert_int_eq(WD_EINVAL, -EINVAL);
	ck_assert_int_eq(WD_ENOMEM, -ENOMEM);
	ck_assert_int_eq(WD_EAGAIN, -EAGAIN);
	ck_assert_int_eq(WD_ENOSPC, -ENOSPC);
	ck_assert_int_eq(WD_EBADMSG, -EBADMSG);
	ck_assert_int_eq(WD_ETIMEDOUT, -ETIMEDOUT);
	ck_assert_int_eq(WD_ENODEV, -ENODEV);
}
END_TEST

START_TEST(test_unknown_code)
{
	ck_assert_str_eq(wd_strerror(-9999), "unknown error");
	ck_assert_str_eq(wd_strerror(42), "unknown error");
}
END_TEST

START_TEST(test_version_matches_header)
{
	char want[32];

	snprintf(want, sizeof(want), "%d.%d.%d", WD_VERSION_MAJOR,
		 WD_VERSION_MINOR, WD_VERSION_PATCH);
	ck_assert_str_eq(wd_version(), want);
	ck_assert_int_eq(wd_version_number(), WD_VERSION_NUMBER);
	/* The library and the package must not drift apart. */
	ck_assert_str_eq(wd_version(), PACKAGE_VERSION);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wd_error");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_strerror_names_every_code);
	tcase_add_test(tc, test_codes_are_negated_errno);
	tcase_add_test(tc, test_unknown_code);
	tcase_add_test(tc, test_version_matches_header);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
