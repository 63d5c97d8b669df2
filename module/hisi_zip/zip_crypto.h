/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zip_crypto.h - hisi_zip's acomp algorithms (zip_crypto.c): "deflate" and
 * "zlib-deflate", registered with the crypto API while at least one ZIP
 * function is bound.
 */
#ifndef HISI_ZIP_ZIP_CRYPTO_H
#define HISI_ZIP_ZIP_CRYPTO_H

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

#endif /* HISI_ZIP_ZIP_CRYPTO_H */
