/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zip.h - the ZIP engine on top of the QM: device state and the SQE layout.
 *
 * Locking: struct hisi_zip is set up in probe and torn down in remove (under
 * the device lock); everything else in it is the QM's, see qm.c and
 * qm_error.c.
 */
#ifndef HISI_ZIP_ZIP_H
#define HISI_ZIP_ZIP_H

#include <linux/types.h>

#include "qm.h"

struct dentry;
struct hisi_zip_sdmdev;

struct hisi_zip {
	struct hisi_qm qm;
	struct dentry *debug_dir;
	struct hisi_zip_sdmdev *sdmdev;	/* user-space queues, zip_sdmdev.c */
};

/* Request types (dw9[7:0]). */
#define HZIP_REQ_DEFLATE	0x01
#define HZIP_REQ_ZLIB		0x02
#define HZIP_REQ_GZIP		0x03

/* Completion status (dw3[7:0]). */
#define HZIP_STATUS_MASK	0xff
#define HZIP_NC_ERR		0x0d	/* incompressible; output still valid */
#define HZIP_DECOMP_END		0x13

/*
 * The 128-byte ZIP SQE as V2 uses it. The engine writes its results
 * (consumed, produced, status) back into the same slot.
 */
struct hisi_zip_sqe {
	__le32 consumed;
	__le32 produced;
	__le32 comp_data_length;
	__le32 dw3;			/* status [7:0], last block bit 8 */
	__le32 input_data_length;
	__le32 lba_l;
	__le32 lba_h;
	__le32 dw7;			/* flush/stream flags, src offset */
	__le32 dw8;			/* dst offset */
	__le32 dw9;			/* request type [7:0], buffer type [11:8] */
	__le32 dw10;
	__le32 priv_info;
	__le32 dw12;
	__le32 tag;
	__le32 dest_avail_out;
	__le32 ctx_dw0;
	__le32 comp_head_addr_l;
	__le32 comp_head_addr_h;
	__le32 source_addr_l;
	__le32 source_addr_h;
	__le32 dest_addr_l;
	__le32 dest_addr_h;
	__le32 stream_ctx_addr_l;
	__le32 stream_ctx_addr_h;
	__le32 cipher_key1_addr_l;
	__le32 cipher_key1_addr_h;
	__le32 cipher_key2_addr_l;
	__le32 cipher_key2_addr_h;
	__le32 rsvd1[4];
};

int hisi_zip_selftest(struct hisi_zip *hzip);
int hisi_zip_burst(struct hisi_zip *hzip, u32 n);

void hisi_zip_debugfs_init(struct hisi_zip *hzip);
void hisi_zip_debugfs_exit(struct hisi_zip *hzip);
void hisi_zip_debugfs_register(void);
void hisi_zip_debugfs_unregister(void);

void hisi_zip_sdmdev_register(struct hisi_zip *hzip);
void hisi_zip_sdmdev_unregister(struct hisi_zip *hzip);

#endif /* HISI_ZIP_ZIP_H */
