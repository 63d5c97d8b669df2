// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: device discovery (wd_dev.h) on a fake sysfs tree, built in a
 * temporary directory the way sdmdev lays out the real one
 * (docs/ABI/sysfs-bus-sdmdev), and found through WD_SYSFS_ROOT.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysfs.h"
#include "wd_dev.h"

#define PF "0000:00:03.0"
#define VF "0000:00:04.0"
#define U1 "11111111-2222-4333-8444-555555555555"
#define U2 "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
#define U3 "01234567-89ab-4cde-8f01-23456789abcd"

static char root[256];

static void mkdirs(const char *fmt, ...)
{
	char p[PATH_MAX], *s;
	va_list ap;
	int n;

	n = snprintf(p, sizeof(p), "%s/", root);
	va_start(ap, fmt);
	vsnprintf(p + n, sizeof(p) - (size_t)n, fmt, ap);
	va_end(ap);
	for (s = p + strlen(root) + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
}

static void put(const char *rel, const char *val)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(val, f);
	fclose(f);
}

static void get(const char *rel, char *buf, size_t len)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "r");
	ck_assert_ptr_nonnull(f);
	buf[0] = '\0';
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
}

static void link_to(const char *target, const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	ck_assert_int_eq(symlink(target, p), 0);
}

#define DEVS "devices/pci0000:00/"

/* A parent: the PCI device, its driver and its sdmdev class directory. */
static void add_parent(const char *bdf, const char *api, const char *flags,
		       const char *avail, const char *node)
{
	char rel[1024], tgt[1024];

	mkdirs(DEVS "%s/sdmdev/%s", bdf, bdf);
	snprintf(rel, sizeof(rel), DEVS "%s/driver", bdf);
	link_to("../../../bus/pci/drivers/hisi_zip", rel);
	mkdirs("class/sdmdev");
	snprintf(rel, sizeof(rel), "class/sdmdev/%s", bdf);
	snprintf(tgt, sizeof(tgt), "../../" DEVS "%s/sdmdev/%s", bdf, bdf);
	link_to(tgt, rel);
	snprintf(rel, sizeof(rel), DEVS "%s/sdmdev/%s/device", bdf, bdf);
	link_to("../..", rel);
#define ATTR(a, v) do {							\
	snprintf(rel, sizeof(rel), "class/sdmdev/%s/" a, bdf);		\
	put(rel, v);							\
} while (0)
	ATTR("api", api);
	ATTR("name", "hisi_zip PF queue\n");
	ATTR("flags", flags);
	ATTR("available_instances", avail);
	ATTR("numa_node", node);
	ATTR("mmio_size", "4096\n");
	ATTR("ring_size", "147456\n");
	ATTR("dma_size", "1048576\n");
	ATTR("create", "");
#undef ATTR
}

/* An instance: a child of the parent device, linked from the bus. */
static void add_instance(const char *bdf, const char *uuid, int group,
			 const char *open)
{
	char rel[1024], tgt[1024];

	mkdirs(DEVS "%s/%s", bdf, uuid);
	mkdirs("bus/sdmdev/devices");
	mkdirs("kernel/iommu_groups/%d", group);
	snprintf(rel, sizeof(rel), "bus/sdmdev/devices/%s", uuid);
	snprintf(tgt, sizeof(tgt), "../../../" DEVS "%s/%s", bdf, uuid);
	link_to(tgt, rel);
	snprintf(rel, sizeof(rel), DEVS "%s/%s/iommu_group", bdf, uuid);
	snprintf(tgt, sizeof(tgt), "../../../kernel/iommu_groups/%d", group);
	link_to(tgt, rel);
	snprintf(rel, sizeof(rel), DEVS "%s/%s/remove", bdf, uuid);
	put(rel, "");
	if (open) {
		snprintf(rel, sizeof(rel), DEVS "%s/%s/open", bdf, uuid);
		put(rel, open);
	}
}

static void setup(void)
{
	snprintf(root, sizeof(root), "%s/wd-sysfs-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(root));
	ck_assert_int_eq(setenv("WD_SYSFS_ROOT", root, 1), 0);
}

static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
	unsetenv("WD_SYSFS_ROOT");
}

START_TEST(test_no_sdmdev)
{
	struct wd_dev_list *l = (void *)1;

	ck_assert_int_eq(wd_dev_scan(&l), WD_ENODEV);
	ck_assert_ptr_eq(l, (void *)1);
	ck_assert_int_eq(wd_dev_scan(NULL), WD_EINVAL);
}
END_TEST

START_TEST(test_no_devices)
{
	struct wd_dev_list *l = NULL;

	mkdirs("class/sdmdev");
	ck_assert_int_eq(wd_dev_scan(&l), WD_OK);
	ck_assert_uint_eq(wd_dev_count(l), 0);
	ck_assert_ptr_null(wd_dev_get(l, 0));
	ck_assert_ptr_null(wd_dev_find(l, PF));
	wd_dev_list_free(l);
}
END_TEST

START_TEST(test_two_parents)
{
	struct wd_dev_list *l = NULL;
	const struct wd_dev *pf, *vf;

	/* VF first on disk: the list comes back sorted anyway */
	add_parent(VF, "hisi_qm_v2\n", "0x3\n", "7\n", "-1\n");
	add_parent(PF, "hisi_qm_v2\n", "0x7\n", "62\n", "1\n");
	add_instance(PF, U2, 5, "1\n");
	add_instance(PF, U1, 4, "0\n");
	add_instance(VF, U3, 9, NULL);
	ck_assert_int_eq(wd_dev_scan(&l), WD_OK);
	ck_assert_uint_eq(wd_dev_count(l), 2);

	pf = wd_dev_get(l, 0);
	ck_assert_ptr_nonnull(pf);
	ck_assert_str_eq(pf->name, PF);
	ck_assert_str_eq(pf->driver, "hisi_zip");
	ck_assert_str_eq(pf->api, "hisi_qm_v2");
	ck_assert_str_eq(pf->desc, "hisi_zip PF queue");
	ck_assert_uint_eq(pf->flags, WD_DEV_SHARED_MMIO | WD_DEV_NOIOMMU |
			  WD_DEV_WAIT);
	ck_assert_int_eq(pf->numa_node, 1);
	ck_assert_int_eq(pf->available_instances, 62);
	ck_assert_uint_eq(pf->mmio_size, 4096);
	ck_assert_uint_eq(pf->ring_size, 147456);
	ck_assert_uint_eq(pf->dma_size, 1048576);
	ck_assert_uint_eq(pf->num_instances, 2);
	ck_assert_str_eq(pf->instances[0].uuid, U1);
	ck_assert_int_eq(pf->instances[0].group, 4);
	ck_assert_int_eq(pf->instances[0].open, 0);
	ck_assert_str_eq(pf->instances[1].uuid, U2);
	ck_assert_int_eq(pf->instances[1].group, 5);
	ck_assert_int_eq(pf->instances[1].open, 1);

	vf = wd_dev_find(l, VF);
	ck_assert_ptr_eq(vf, wd_dev_get(l, 1));
	ck_assert_uint_eq(vf->flags, WD_DEV_SHARED_MMIO | WD_DEV_NOIOMMU);
	ck_assert_int_eq(vf->numa_node, -1);
	ck_assert_int_eq(vf->available_instances, 7);
	ck_assert_uint_eq(vf->num_instances, 1);
	ck_assert_str_eq(vf->instances[0].uuid, U3);
	ck_assert_int_eq(vf->instances[0].group, 9);
	/* an older kernel without the "open" attribute */
	ck_assert_int_eq(vf->instances[0].open, -1);
	ck_assert_ptr_null(wd_dev_get(l, 2));
	wd_dev_list_free(l);
	wd_dev_list_free(NULL);
}
END_TEST

/* The instances libwd makes for itself are marked; no others ever are. */
START_TEST(test_auto_uuid)
{
	char a[WD_UUID_LEN + 1], b[WD_UUID_LEN + 1];
	int i;

	ck_assert_int_eq(wd_auto_uuid(a), WD_OK);
	ck_assert_int_eq(wd_auto_uuid(b), WD_OK);
	ck_assert_str_ne(a, b);
	ck_assert(wd_uuid_is_auto(a));
	ck_assert_str_eq(a + 23, "-77646175746f");
	ck_assert_int_eq(a[14], '4');	/* still a version-4 UUID */
	ck_assert(!wd_uuid_is_auto(U2));
	ck_assert(!wd_uuid_is_auto(NULL));
	ck_assert(!wd_uuid_is_auto("x-77646175746f"));
	ck_assert(wd_uuid_is_auto("6F1A2B3C-4D5E-4F60-8A71-77646175746F"));
	add_parent(PF, "hisi_qm_v2\n", "0x3\n", "2\n", "0\n");
	for (i = 0; i < 1000; i++) {
		ck_assert_int_eq(wd_dev_create_instance(PF, NULL, a), WD_OK);
		ck_assert(!wd_uuid_is_auto(a));
	}
}
END_TEST

START_TEST(test_create_remove)
{
	char out[WD_UUID_LEN + 1], buf[128], rel[1024];

	add_parent(PF, "hisi_qm_v2\n", "0x3\n", "2\n", "0\n");
	add_instance(PF, U1, 4, "0\n");

	ck_assert_int_eq(wd_dev_create_instance(PF, U2, out), WD_OK);
	ck_assert_str_eq(out, U2);
	get("class/sdmdev/" PF "/create", buf, sizeof(buf));
	ck_assert_str_eq(buf, U2);

	/* a random one: version 4, variant 10 */
	ck_assert_int_eq(wd_dev_create_instance(PF, NULL, out), WD_OK);
	ck_assert_uint_eq(strlen(out), WD_UUID_LEN);
	ck_assert_int_eq(out[14], '4');
	ck_assert(strchr("89ab", out[19]));
	get("class/sdmdev/" PF "/create", buf, sizeof(buf));
	ck_assert_str_eq(buf, out);

	ck_assert_int_eq(wd_dev_create_instance(PF, "not-a-uuid", out),
			 WD_EINVAL);
	ck_assert_int_eq(wd_dev_create_instance("../x", NULL, out), WD_EINVAL);
	ck_assert_int_eq(wd_dev_create_instance(NULL, NULL, out), WD_EINVAL);
	ck_assert_int_eq(wd_dev_create_instance("0000:00:09.0", NULL, out),
			 WD_ENOENT);

	ck_assert_int_eq(wd_dev_remove_instance(U1), WD_OK);
	snprintf(rel, sizeof(rel), "bus/sdmdev/devices/%s/remove", U1);
	get(rel, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1");
	ck_assert_int_eq(wd_dev_remove_instance(U3), WD_ENOENT);
	ck_assert_int_eq(wd_dev_remove_instance("x"), WD_EINVAL);
	ck_assert_int_eq(wd_dev_remove_instance(NULL), WD_EINVAL);
}
END_TEST

static Suite *dev_suite(void)
{
	Suite *s = suite_create("wd_dev");
	TCase *tc = tcase_create("discovery");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_no_sdmdev);
	tcase_add_test(tc, test_no_devices);
	tcase_add_test(tc, test_two_parents);
	tcase_add_test(tc, test_create_remove);
	tcase_add_test(tc, test_auto_uuid);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dev_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
