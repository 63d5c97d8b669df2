// SPDX-License-Identifier: GPL-2.0
/*
 * check_zipmodel_fault.c - the fault injection commands.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_zipmodel.h"

struct fx {
	struct zipm *m;
	struct tdev d;
	struct treq r;
	uint8_t text[20000];
};

static void fx_init(struct fx *x)
{
	t_std_pf(&x->d, &x->m);
	memset(&x->r, 0, sizeof(x->r));
	t_gen_text(x->text, sizeof(x->text), 12);
	x->r.type = 2;
	x->r.src = t_alloc(&x->d, sizeof(x->text), 64);
	x->r.in_len = sizeof(x->text);
	x->r.dst = t_alloc(&x->d, 2 * sizeof(x->text), 64) + 2;
	x->r.dest_len = 2 * sizeof(x->text) - 2;
	t_mem_write(&x->d, x->r.src, x->text, sizeof(x->text));
}

static void fx_fini(struct fx *x)
{
	t_dev_fini(&x->d);
	zipm_free(x->m);
}

static int cmd(struct fx *x, const char *c, char *reply, size_t len)
{
	return zipm_fault(x->m, c, reply, len);
}

/* Inflate the model's output of the last t_run(); -1 if it is damaged. */
static long fx_check_output(struct fx *x)
{
	uint8_t *out = malloc(x->r.produced + 2), chk[sizeof(x->text)];
	long n;

	t_put_hdr(2, out);
	t_mem_read(&x->d, x->r.dst, out + 2, x->r.produced);
	n = t_ref_inflate(2, out, x->r.produced + 2, chk, sizeof(chk));
	if (n == (long)sizeof(x->text) && memcmp(chk, x->text, sizeof(chk)))
		n = -1;
	free(out);
	return n;
}

START_TEST(test_fault_fail)
{
	struct fx x;
	char reply[128];
	int i;

	fx_init(&x);
	ck_assert_int_eq(cmd(&x, "fail 2 0x41", reply, sizeof(reply)), 0);
	ck_assert_str_eq(reply, "ok");
	for (i = 0; i < 2; i++) {
		t_run(&x.d, 0, &x.r);
		ck_assert_uint_eq(x.r.dw3 & 0xff, 0x41);
		ck_assert_uint_eq(x.r.produced, 0);
		ck_assert_uint_eq(x.r.consumed, 0);
	}
	t_run(&x.d, 0, &x.r);
	ck_assert_uint_eq(x.r.dw3 & 0xff, 0);
	ck_assert_int_eq(fx_check_output(&x), (long)sizeof(x.text));
	fx_fini(&x);
}
END_TEST

START_TEST(test_fault_hang_release)
{
	struct fx x;
	char reply[128];
	uint8_t sqe[128];
	uint16_t head;
	int i;

	fx_init(&x);
	ck_assert_int_eq(cmd(&x, "hang", reply, sizeof(reply)), 0);
	t_fill_sqe(sqe, &x.r);
	for (i = 0; i < 3; i++)
		t_submit(&x.d, 0, sqe);
	ck_assert(!t_wait_cqe(&x.d, 0, 100, &head));
	ck_assert_int_eq(cmd(&x, "status", reply, sizeof(reply)), 0);
	ck_assert_ptr_nonnull(strstr(reply, "hung=1"));
	ck_assert_ptr_nonnull(strstr(reply, "done=0"));
	ck_assert_int_eq(cmd(&x, "release", reply, sizeof(reply)), 0);
	for (i = 0; i < 3; i++) {
		ck_assert(t_wait_cqe(&x.d, 0, 5000, &head));
		ck_assert_uint_eq(head, i);
	}
	fx_fini(&x);
}
END_TEST

START_TEST(test_fault_abnormal)
{
	struct fx x;
	char reply[128];

	fx_init(&x);
	/* masked: source set, no vector */
	ck_assert_int_eq(cmd(&x, "abnormal 0x400", reply, sizeof(reply)), 0);
	ck_assert_uint_eq(t_r32(&x.d, 0x100000), 0x400);
	usleep(10000);
	ck_assert_uint_eq(t_irqs(&x.d, 3), 0);
	t_w32(&x.d, 0x100000, 0x400);
	/* unmasked: vector 3 */
	t_w32(&x.d, 0x100004, 0);
	ck_assert_int_eq(cmd(&x, "abnormal 2", reply, sizeof(reply)), 0);
	ck_assert_uint_eq(t_r32(&x.d, 0x100000), 2);
	ck_assert_uint_eq(t_r32(&x.d, 0x100008), 2);
	ck_assert(t_wait_irq(&x.d, 3, 1, 1000));
	/* out of range */
	ck_assert_int_eq(cmd(&x, "abnormal 0x2000", reply, sizeof(reply)),
			 -EINVAL);
	ck_assert_int_eq(cmd(&x, "abnormal 0", reply, sizeof(reply)), -EINVAL);
	fx_fini(&x);
}
END_TEST

START_TEST(test_fault_corrupt)
{
	struct fx x;
	char reply[128];

	fx_init(&x);
	ck_assert_int_eq(cmd(&x, "corrupt 1", reply, sizeof(reply)), 0);
	t_run(&x.d, 0, &x.r);
	ck_assert_uint_eq(x.r.dw3 & 0xff, 0);	/* status still success */
	ck_assert_uint_gt(x.r.produced, 0);
	ck_assert_int_eq(fx_check_output(&x), -1);
	t_run(&x.d, 0, &x.r);
	ck_assert_uint_eq(x.r.dw3 & 0xff, 0);
	ck_assert_int_eq(fx_check_output(&x), (long)sizeof(x.text));
	fx_fini(&x);
}
END_TEST

START_TEST(test_fault_status_and_reset_counters)
{
	struct fx x;
	char reply[512];

	fx_init(&x);
	ck_assert_int_eq(cmd(&x, "fail 1 0x0e", reply, sizeof(reply)), 0);
	t_run(&x.d, 0, &x.r);
	t_run(&x.d, 0, &x.r);
	t_run(&x.d, 0, &x.r);
	ck_assert_int_eq(cmd(&x, "status\n", reply, sizeof(reply)), 0);
	ck_assert_ptr_nonnull(strstr(reply, "done=3 "));
	ck_assert_ptr_nonnull(strstr(reply, "cqe=3 "));
	ck_assert_ptr_nonnull(strstr(reply, "st_0x00=2"));
	ck_assert_ptr_nonnull(strstr(reply, "st_0x0e=1"));
	ck_assert_ptr_nonnull(strstr(reply, "hung=0"));
	ck_assert_int_eq(cmd(&x, "reset-counters", reply, sizeof(reply)), 0);
	ck_assert_int_eq(cmd(&x, "status", reply, sizeof(reply)), 0);
	ck_assert_ptr_nonnull(strstr(reply, "done=0 "));
	ck_assert_ptr_null(strstr(reply, "st_0x"));
	/* Replies are truncated, never overflowed. */
	ck_assert_int_eq(cmd(&x, "status", reply, 8), 0);
	ck_assert_uint_eq(strlen(reply), 7);
	fx_fini(&x);
}
END_TEST

START_TEST(test_fault_syntax)
{
	struct fx x;
	char reply[128];

	fx_init(&x);
	ck_assert_int_eq(cmd(&x, "", reply, sizeof(reply)), -EINVAL);
	ck_assert_int_eq(cmd(&x, "explode", reply, sizeof(reply)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(reply, "unknown"));
	ck_assert_int_eq(cmd(&x, "fail 2", reply, sizeof(reply)), -EINVAL);
	ck_assert_int_eq(cmd(&x, "fail x 1", reply, sizeof(reply)), -EINVAL);
	ck_assert_int_eq(cmd(&x, "fail 1 0x100", reply, sizeof(reply)),
			 -EINVAL);
	ck_assert_int_eq(cmd(&x, "corrupt -1", reply, sizeof(reply)), -EINVAL);
	ck_assert_int_eq(cmd(&x, "hang now", reply, sizeof(reply)), -EINVAL);
	ck_assert_int_eq(cmd(&x, "help", reply, sizeof(reply)), 0);
	ck_assert_ptr_nonnull(strstr(reply, "fail N STATUS"));
	ck_assert_int_eq(zipm_fault(x.m, "status", NULL, 0), 0);
	/* Nothing above changed how requests run. */
	t_run(&x.d, 0, &x.r);
	ck_assert_uint_eq(x.r.dw3 & 0xff, 0);
	fx_fini(&x);
}
END_TEST

Suite *fault_suite(void)
{
	Suite *s = suite_create("fault");
	TCase *tc = tcase_create("fault");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fault_fail);
	tcase_add_test(tc, test_fault_hang_release);
	tcase_add_test(tc, test_fault_abnormal);
	tcase_add_test(tc, test_fault_corrupt);
	tcase_add_test(tc, test_fault_status_and_reset_counters);
	tcase_add_test(tc, test_fault_syntax);
	suite_add_tcase(s, tc);
	return s;
}
