// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the per-function IOVA spaces (libwd/iova.h) and the device
 * context that holds them for a process's queues (wd_ctx_new()).
 */
#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "queue_internal.h"

#define PG	4096ull
#define START	(1ull << 40)

START_TEST(test_first_fit)
{
	struct wd_iova_space s;
	uint64_t a, b, c, d;

	wd_iova_init(&s, "f", START, START + 16 * PG - 1);
	ck_assert_int_eq(wd_iova_alloc(&s, 4 * PG, &a), WD_OK);
	ck_assert_int_eq(wd_iova_alloc(&s, 4 * PG, &b), WD_OK);
	ck_assert_int_eq(wd_iova_alloc(&s, 8 * PG, &c), WD_OK);
	ck_assert_uint_eq(a, START);
	ck_assert_uint_eq(b, START + 4 * PG);
	ck_assert_uint_eq(c, START + 8 * PG);
	/* full */
	ck_assert_int_eq(wd_iova_alloc(&s, PG, &d), WD_ENOMEM);
	/* a freed hole is used again, first fit */
	wd_iova_free(&s, b);
	ck_assert_int_eq(wd_iova_alloc(&s, 8 * PG, &d), WD_ENOMEM);
	ck_assert_int_eq(wd_iova_alloc(&s, 2 * PG, &d), WD_OK);
	ck_assert_uint_eq(d, START + 4 * PG);
	ck_assert_int_eq(wd_iova_alloc(&s, 2 * PG, &b), WD_OK);
	ck_assert_uint_eq(b, START + 6 * PG);
	ck_assert_int_eq(wd_iova_alloc(&s, PG, &b), WD_ENOMEM);
	/* freeing something never handed out changes nothing */
	wd_iova_free(&s, START + 3 * PG);
	ck_assert_int_eq(wd_iova_alloc(&s, PG, &b), WD_ENOMEM);
	wd_iova_free(&s, a);
	ck_assert_int_eq(wd_iova_alloc(&s, 4 * PG, &a), WD_OK);
	ck_assert_uint_eq(a, START);
	wd_iova_fini(&s);
}
END_TEST

/* A window ending at the top of the address space, and an empty one. */
START_TEST(test_window_edges)
{
	struct wd_iova_space s;
	uint64_t a;

	wd_iova_init(&s, "f", UINT64_MAX - 4 * PG + 1, UINT64_MAX);
	ck_assert_int_eq(wd_iova_alloc(&s, 4 * PG, &a), WD_OK);
	ck_assert_uint_eq(a, UINT64_MAX - 4 * PG + 1);
	ck_assert_int_eq(wd_iova_alloc(&s, PG, &a), WD_ENOMEM);
	wd_iova_fini(&s);
	wd_iova_init(&s, "f", 0, 0);	/* no window: no-IOMMU mode */
	ck_assert_int_eq(wd_iova_alloc(&s, PG, &a), WD_ENOMEM);
	wd_iova_fini(&s);
}
END_TEST

/* Many ranges in and out: nothing handed out twice. */
START_TEST(test_no_overlap)
{
	struct wd_iova_space s;
	uint64_t got[200] = { 0 }, len[200];
	unsigned int i, j, k;
	uint64_t r = 12345;

	wd_iova_init(&s, "f", START, START + (1ull << 30) - 1);
	for (k = 0; k < 5000; k++) {
		r = r * 6364136223846793005ull + 1442695040888963407ull;
		i = (unsigned int)(r >> 33) % 200;
		if (got[i]) {
			wd_iova_free(&s, got[i]);
			got[i] = 0;
			continue;
		}
		len[i] = ((r >> 20) % 64 + 1) * PG;
		ck_assert_int_eq(wd_iova_alloc(&s, len[i], &got[i]), WD_OK);
		ck_assert_uint_ge(got[i], START);
		for (j = 0; j < 200; j++)
			if (j != i && got[j])
				ck_assert(got[i] + len[i] <= got[j] ||
					  got[j] + len[j] <= got[i]);
	}
	wd_iova_fini(&s);
}
END_TEST

/* One space per function in a context, made once, shared by its queues. */
START_TEST(test_ctx_spaces)
{
	struct wd_ctx *ctx = NULL;
	struct wd_iova_space *a, *b, *a2;
	uint64_t x, y;

	ck_assert_int_eq(wd_ctx_new(NULL), WD_EINVAL);
	ck_assert_int_eq(wd_ctx_new(&ctx), WD_OK);
	a = wd_ctx_space_locked(ctx, "0000:00:04.0", START, START + 8 * PG - 1);
	b = wd_ctx_space_locked(ctx, "0000:00:05.0", START, START + 8 * PG - 1);
	a2 = wd_ctx_space_locked(ctx, "0000:00:04.0", 0, 0);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_eq(a, a2);
	ck_assert_ptr_ne(a, b);
	/* two queues of one function: different addresses */
	ck_assert_int_eq(wd_iova_alloc(a, 4 * PG, &x), WD_OK);
	ck_assert_int_eq(wd_iova_alloc(a2, 4 * PG, &y), WD_OK);
	ck_assert_uint_ne(x, y);
	/* another function has a domain of its own: the same address */
	ck_assert_int_eq(wd_iova_alloc(b, 4 * PG, &y), WD_OK);
	ck_assert_uint_eq(x, y);
	wd_ctx_free(ctx);
	wd_ctx_free(NULL);
}
END_TEST

struct thr {
	struct wd_ctx *ctx;
	uint64_t got[64];
	int bad;
};

static void *thr_main(void *arg)
{
	struct thr *t = arg;
	struct wd_iova_space *s;
	unsigned int round, i;

	for (round = 0; round < 200; round++) {
		for (i = 0; i < 64; i++) {
			pthread_mutex_lock(&t->ctx->lock);
			s = wd_ctx_space_locked(t->ctx, "fn", START,
						START + (1ull << 30) - 1);
			if (!s || wd_iova_alloc(s, PG, &t->got[i]))
				t->bad++;
			pthread_mutex_unlock(&t->ctx->lock);
		}
		for (i = 0; i < 64; i++) {
			pthread_mutex_lock(&t->ctx->lock);
			s = wd_ctx_space_locked(t->ctx, "fn", 0, 0);
			wd_iova_free(s, t->got[i]);
			pthread_mutex_unlock(&t->ctx->lock);
		}
	}
	/* keep the last round to compare across threads */
	for (i = 0; i < 64; i++) {
		pthread_mutex_lock(&t->ctx->lock);
		s = wd_ctx_space_locked(t->ctx, "fn", 0, 0);
		if (wd_iova_alloc(s, PG, &t->got[i]))
			t->bad++;
		pthread_mutex_unlock(&t->ctx->lock);
	}
	return NULL;
}

/* Queues of different threads share a context under its lock. */
START_TEST(test_ctx_threads)
{
	static struct thr t[4];
	unsigned int i, j, a, b;

	ck_assert_int_eq(wd_ctx_new(&t[0].ctx), WD_OK);
	for (i = 1; i < 4; i++)
		t[i].ctx = t[0].ctx;
	for (i = 0; i < 4; i++)
		t[i].bad = 0;
	{
		pthread_t tid[4];

		for (i = 0; i < 4; i++)
			ck_assert_int_eq(pthread_create(&tid[i], NULL, thr_main,
							&t[i]), 0);
		for (i = 0; i < 4; i++)
			pthread_join(tid[i], NULL);
	}
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(t[i].bad, 0);
	for (a = 0; a < 4; a++)
		for (i = 0; i < 64; i++)
			for (b = 0; b < 4; b++)
				for (j = 0; j < 64; j++)
					if (a != b || i != j)
						ck_assert_uint_ne(t[a].got[i],
								  t[b].got[j]);
	wd_ctx_free(t[0].ctx);
}
END_TEST

static Suite *iova_suite(void)
{
	Suite *s = suite_create("wd_iova");
	TCase *tc = tcase_create("iova");

	tcase_add_test(tc, test_first_fit);
	tcase_add_test(tc, test_window_edges);
	tcase_add_test(tc, test_no_overlap);
	tcase_add_test(tc, test_ctx_spaces);
	tcase_add_test(tc, test_ctx_threads);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(iova_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
