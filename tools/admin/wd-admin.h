/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wd-admin.h - what the parts of wd-admin share.
 *
 * admin/main.c   options, commands, text and JSON output
 * admin/sysfs.c  reading what sdmdev (and the parent drivers) publish:
 *                parents, their instances, driver counters in debugfs;
 *                creating and removing instances
 *
 * The devices and instances come from libwd's discovery (wd_dev.h); what
 * only an admin wants (queue totals, owners, counters) wd-admin reads from
 * sysfs itself, and shows as unknown when a kernel does not publish it.
 */
#ifndef WD_ADMIN_H
#define WD_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit status, documented in wd-admin.8. */
#define ADM_OK		0
#define ADM_ERROR	1	/* an operation failed */
#define ADM_USAGE	2	/* bad command line */
#define ADM_NOSDMDEV	3	/* sdmdev.ko is not loaded */
#define ADM_NODEV	4	/* no device, or no such parent/instance */

#define ADM_UUID_LEN	36

/* Attributes that a kernel may not have read as this. */
#define ADM_UNKNOWN	(-2)

struct adm_counter {
	char *key;		/* lower case, words joined by '_' */
	char *value;
};

struct adm_inst {
	char uuid[ADM_UUID_LEN + 1];
	struct adm_parent *parent;
	int group;		/* VFIO group number, -1 if none */
	int open;		/* 1, 0, -1 the kernel does not say */
	long queue;		/* -1 closed, ADM_UNKNOWN */
	long owner;		/* pid, 0 none, ADM_UNKNOWN */
	long long opens;	/* ADM_UNKNOWN if not published */
};

struct adm_parent {
	char *name;		/* directory in /sys/class/sdmdev: the device name */
	char *bus;		/* "pci", ... or NULL */
	char *driver;		/* bound driver or NULL */
	char *desc;		/* the "name" attribute */
	char *api;
	long flags;		/* ADM_UNKNOWN if unreadable */
	long numa_node;		/* -1 none */
	long queues;		/* 0 the driver does not say, ADM_UNKNOWN */
	long free_queues;
	long available;		/* available_instances */
	long owner;		/* pid, 0 none, ADM_UNKNOWN */
	char *debugfs;		/* the driver's status file, if readable */

	struct adm_inst *inst;
	size_t ninst;
	struct adm_counter *counters;	/* from debugfs */
	size_t ncounters;
};

struct adm_sys {
	const char *root;	/* "/sys" or $WD_SYSFS_ROOT */
	struct adm_parent *parents;
	size_t nparents;
};

#define __printf(a, b) __attribute__((format(printf, a, b)))

__printf(1, 2) void adm_err(const char *fmt, ...);

/* sysfs.c */
const char *adm_sysfs_root(void);
int adm_scan(struct adm_sys *sys, bool counters);
void adm_free(struct adm_sys *sys);
struct adm_parent *adm_find_parent(struct adm_sys *sys, const char *name);
struct adm_inst *adm_find_inst(struct adm_sys *sys, const char *uuid);
int adm_create(struct adm_parent *p, const char *uuid, char out[ADM_UUID_LEN + 1]);
int adm_remove(struct adm_sys *sys, const char *uuid);
bool adm_valid_uuid(const char *s);
char *adm_proc_comm(long pid);
int adm_inst_group(struct adm_sys *sys, const char *uuid);

#endif /* WD_ADMIN_H */
