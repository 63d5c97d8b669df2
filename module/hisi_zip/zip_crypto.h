/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zip_crypto.h - hisi_zip's acomp algorithms (zip_crypto.c): "deflate" and
 * "zlib-deflate", registered with the crypto API while at least one ZIP
 * function is bound; their software fallback (zip_fallback.c).
 */
#ifndef HISI_ZIP_ZIP_CRYPTO_H
#define HISI_ZIP_ZIP_CRYPTO_H

#include <linux/types.h>

struct hisi_zip;

/* probe, after the QM started and debugfs exists; failures are logged only */
void hisi_zip_crypto_register(struct hisi_zip *hzip);
/* remove, before the QM stops: fails or finishes this device's requests */
void hisi_zip_crypto_unregister(struct hisi_zip *hzip);
/* module exit, after the PCI driver is gone: drops a deferred registration */
void hisi_zip_crypto_exit(void);
/*
 * sdmdev IOMMU mode: user space takes the function (-EBUSY while kernel
 * transforms use it; no new ones attach until released) and gives it back.
 */
int hisi_zip_crypto_claim(struct hisi_zip *hzip);
void hisi_zip_crypto_release(struct hisi_zip *hzip);

/*
 * Between zip_crypto.c and zip_fallback.c only: software transforms for
 * the acomp transforms that lost their function (see zip_fallback.c).
 */
struct acomp_req;
struct hzip_sw;

struct hzip_sw *hzip_sw_alloc(const char *name);
void hzip_sw_free(struct hzip_sw *sw);
void hzip_sw_install(struct hzip_sw **slot, struct hzip_sw *sw);
void hzip_sw_get(struct hzip_sw **slot, const char *name);
int hzip_sw_run(struct hzip_sw *sw, struct acomp_req *req, bool decomp);

/* Software transforms allocated at an unbind for the transforms it leaves. */
struct hzip_sw_pool {
	unsigned int n[2];	/* wanted, set by the caller: [0] deflate, [1] zlib */
	unsigned int used[2];	/* handed out */
	struct hzip_sw **sws;
};

void hzip_sw_pool_fill(struct hzip_sw_pool *p);
struct hzip_sw *hzip_sw_pool_take(struct hzip_sw_pool *p, bool zlib);
unsigned int hzip_sw_pool_used(const struct hzip_sw_pool *p);
void hzip_sw_pool_free(struct hzip_sw_pool *p);

#endif /* HISI_ZIP_ZIP_CRYPTO_H */
