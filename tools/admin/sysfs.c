// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs.c - devices and instances into struct adm_sys: libwd's discovery
 * (wd_dev.h) for what it knows, sysfs directly for what only an admin
 * wants (docs/ABI/sysfs-bus-sdmdev); create and remove through libwd.
 *
 *   <root>/class/sdmdev/<parent>/          a parent: api, flags, queues, ...
 *   <root>/class/sdmdev/<parent>/device    link to the parent device
 *   <root>/bus/sdmdev/devices/<uuid>       an instance, a child of that device
 *   <root>/kernel/debug/<driver>/<parent>/status   driver counters (optional)
 *
 * <root> is /sys, or $WD_SYSFS_ROOT (which libwd honours too) so that the
 * tests can give a made-up tree. Attributes that an older module does not have read as ADM_UNKNOWN
 * and are shown as such, never as a made-up value.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wd.h"
#include "wd_dev.h"
#include "wd-admin.h"

const char *adm_sysfs_root(void)
{
	const char *root = getenv("WD_SYSFS_ROOT");

	return root && *root ? root : "/sys";
}

static __printf(1, 2) char *path_of(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : p;
}

/* A whole small file, trailing newline dropped; NULL if unreadable. */
static char *read_text(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return strdup(buf);
}

static char *read_attr(const char *dir, const char *name)
{
	char *p = path_of("%s/%s", dir, name);
	char *v = p ? read_text(p) : NULL;

	free(p);
	return v;
}

/* A decimal (or 0x hex) attribute; ADM_UNKNOWN if missing or not a number. */
static long read_long(const char *dir, const char *name)
{
	char *v = read_attr(dir, name), *end;
	long n;

	if (!v)
		return ADM_UNKNOWN;
	errno = 0;
	n = strtol(v, &end, 0);
	if (errno || end == v || *end)
		n = ADM_UNKNOWN;
	free(v);
	return n;
}

/* The last component of a symlink's target: a driver's or bus's name. */
static char *link_base(const char *dir, const char *name)
{
	char target[PATH_MAX], *p, *slash;
	ssize_t n;

	p = path_of("%s/%s", dir, name);
	if (!p)
		return NULL;
	n = readlink(p, target, sizeof(target) - 1);
	free(p);
	if (n <= 0)
		return NULL;
	target[n] = '\0';
	slash = strrchr(target, '/');
	return strdup(slash ? slash + 1 : target);
}

/* "queue pairs in use" -> "queue_pairs_in_use" */
static char *counter_key(const char *s, size_t len)
{
	char *k = malloc(len + 1), *o = k;
	bool sep = false;
	size_t i;

	if (!k)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (isalnum(c)) {
			if (sep && o != k)
				*o++ = '_';
			*o++ = tolower(c);
			sep = false;
		} else {
			sep = true;
		}
	}
	*o = '\0';
	return k;
}

/* "key: value" lines of the driver's debugfs status file. */
static void read_counters(struct adm_parent *p)
{
	char *text = read_text(p->debugfs), *line, *save = NULL;

	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':'), *val;
		struct adm_counter *c;

		if (!colon || colon == line)
			continue;
		c = realloc(p->counters, (p->ncounters + 1) * sizeof(*c));
		if (!c)
			break;
		p->counters = c;
		c = &p->counters[p->ncounters];
		val = colon + 1;
		while (*val == ' ' || *val == '\t')
			val++;
		c->key = counter_key(line, colon - line);
		c->value = strdup(val);
		if (!c->key || !c->value || !*c->key) {
			free(c->key);
			free(c->value);
			continue;
		}
		p->ncounters++;
	}
	free(text);
}

/* What libwd's discovery does not carry: bus, totals, owner, counters. */
static int read_extras(struct adm_sys *sys, struct adm_parent *p, bool counters)
{
	char *dir = path_of("%s/class/sdmdev/%s", sys->root, p->name);
	char *dev = dir ? path_of("%s/device", dir) : NULL;
	size_t i;

	if (!dev) {
		free(dir);
		return -1;
	}
	p->bus = link_base(dev, "subsystem");
	p->queues = read_long(dir, "queues");
	p->free_queues = read_long(dir, "free_queues");
	p->owner = read_long(dir, "owner");
	for (i = 0; i < p->ninst; i++) {
		struct adm_inst *in = &p->inst[i];
		char *idir = path_of("%s/bus/sdmdev/devices/%s", sys->root, in->uuid);

		if (!idir)
			break;
		in->queue = read_long(idir, "queue");
		in->owner = read_long(idir, "owner");
		in->opens = read_long(idir, "opens");
		free(idir);
	}
	if (counters && p->driver) {
		p->debugfs = path_of("%s/kernel/debug/%s/%s/status", sys->root,
				     p->driver, p->name);
		if (p->debugfs && access(p->debugfs, R_OK)) {
			free(p->debugfs);
			p->debugfs = NULL;
		}
		if (p->debugfs)
			read_counters(p);
	}
	free(dev);
	free(dir);
	return i < p->ninst ? -1 : 0;
}

static char *dup_or_null(const char *s)
{
	return *s ? strdup(s) : NULL;
}

/* One device of libwd's snapshot into @p. */
static int copy_dev(struct adm_parent *p, const struct wd_dev *d)
{
	unsigned int i;

	p->name = strdup(d->name);
	p->driver = dup_or_null(d->driver);
	p->desc = dup_or_null(d->desc);
	p->api = dup_or_null(d->api);
	p->flags = d->flags;
	p->numa_node = d->numa_node;
	p->available = d->available_instances;
	p->inst = calloc(d->num_instances ? d->num_instances : 1, sizeof(*p->inst));
	if (!p->name || !p->inst)
		return -1;
	for (i = 0; i < d->num_instances; i++) {
		struct adm_inst *in = &p->inst[i];

		snprintf(in->uuid, sizeof(in->uuid), "%s", d->instances[i].uuid);
		in->parent = p;
		in->group = d->instances[i].group;
		in->open = d->instances[i].open;
	}
	p->ninst = d->num_instances;
	return 0;
}

int adm_inst_group(struct adm_sys *sys, const char *uuid)
{
	char *dir = path_of("%s/bus/sdmdev/devices/%s", sys->root, uuid);
	char *g = dir ? link_base(dir, "iommu_group") : NULL, *end;
	long n = -1;

	if (g) {
		n = strtol(g, &end, 10);
		if (end == g || *end || n < 0 || n > INT32_MAX)
			n = -1;
	}
	free(g);
	free(dir);
	return n;
}

/* Devices and instances from libwd's discovery (wd_dev.h), plus the extras. */
int adm_scan(struct adm_sys *sys, bool counters)
{
	struct wd_dev_list *list;
	unsigned int n, i;
	int ret;

	memset(sys, 0, sizeof(*sys));
	sys->root = adm_sysfs_root();
	ret = wd_dev_scan(&list);
	if (ret == WD_ENODEV) {
		adm_err("sdmdev is not loaded (no %s/class/sdmdev): try 'modprobe sdmdev'",
			sys->root);
		return ADM_NOSDMDEV;
	}
	if (ret) {
		adm_err("reading %s/class/sdmdev: %s", sys->root, wd_strerror(ret));
		return ADM_ERROR;
	}
	n = wd_dev_count(list);
	sys->parents = calloc(n ? n : 1, sizeof(*sys->parents));
	if (!sys->parents)
		goto nomem;
	for (i = 0; i < n; i++) {
		struct adm_parent *p = &sys->parents[sys->nparents++];

		if (copy_dev(p, wd_dev_get(list, i)) || read_extras(sys, p, counters))
			goto nomem;
	}
	wd_dev_list_free(list);
	return ADM_OK;
nomem:
	wd_dev_list_free(list);
	adm_free(sys);
	adm_err("out of memory reading sysfs");
	return ADM_ERROR;
}

void adm_free(struct adm_sys *sys)
{
	size_t i, j;

	for (i = 0; i < sys->nparents; i++) {
		struct adm_parent *p = &sys->parents[i];

		free(p->name);
		free(p->bus);
		free(p->driver);
		free(p->desc);
		free(p->api);
		free(p->debugfs);
		free(p->inst);
		for (j = 0; j < p->ncounters; j++) {
			free(p->counters[j].key);
			free(p->counters[j].value);
		}
		free(p->counters);
	}
	free(sys->parents);
	memset(sys, 0, sizeof(*sys));
}

struct adm_parent *adm_find_parent(struct adm_sys *sys, const char *name)
{
	size_t i;

	for (i = 0; i < sys->nparents; i++)
		if (!strcmp(sys->parents[i].name, name))
			return &sys->parents[i];
	return NULL;
}

struct adm_inst *adm_find_inst(struct adm_sys *sys, const char *uuid)
{
	size_t i, j;

	for (i = 0; i < sys->nparents; i++)
		for (j = 0; j < sys->parents[i].ninst; j++)
			if (!strcasecmp(sys->parents[i].inst[j].uuid, uuid))
				return &sys->parents[i].inst[j];
	return NULL;
}

bool adm_valid_uuid(const char *s)
{
	size_t i;

	if (strlen(s) != ADM_UUID_LEN)
		return false;
	for (i = 0; i < ADM_UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

char *adm_proc_comm(long pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	return read_text(path);
}

/* Create @uuid (NULL: a random one, written to @out) on @p. */
int adm_create(struct adm_parent *p, const char *uuid, char out[ADM_UUID_LEN + 1])
{
	int ret = wd_dev_create_instance(p->name, uuid, out);

	switch (ret) {
	case WD_OK:
		return ADM_OK;
	case WD_EBUSY:
		adm_err("%s: an instance with this UUID exists already", uuid ? uuid : "?");
		break;
	case WD_EAGAIN:
		adm_err("%s: no queue left for another instance (available_instances is 0)",
			p->name);
		break;
	case WD_EPERM:
		adm_err("%s: cannot create instances: %s (root only)", p->name,
			wd_strerror(ret));
		break;
	case WD_ENOENT:
		adm_err("%s: no such device (unbound meanwhile?)", p->name);
		return ADM_NODEV;
	default:
		adm_err("%s: create: %s", p->name, wd_strerror(ret));
		break;
	}
	return ADM_ERROR;
}

int adm_remove(struct adm_sys *sys, const char *uuid)
{
	struct adm_inst *in = adm_find_inst(sys, uuid);
	int ret = wd_dev_remove_instance(uuid);
	char *comm;

	switch (ret) {
	case WD_OK:
		return ADM_OK;
	case WD_ENOENT:
		adm_err("%s: no such instance", uuid);
		return ADM_NODEV;
	case WD_EBUSY:
		comm = in && in->owner > 0 ? adm_proc_comm(in->owner) : NULL;
		if (in && in->owner > 0)
			adm_err("%s: in use by process %ld (%s): close it first", uuid,
				in->owner, comm ? comm : "?");
		else
			adm_err("%s: in use (open): close it first", uuid);
		free(comm);
		break;
	case WD_ENODEV:
		adm_err("%s: already being removed", uuid);
		break;
	case WD_EPERM:
		adm_err("%s: cannot remove: %s (root only)", uuid, wd_strerror(ret));
		break;
	default:
		adm_err("%s: remove: %s", uuid, wd_strerror(ret));
		break;
	}
	return ADM_ERROR;
}
