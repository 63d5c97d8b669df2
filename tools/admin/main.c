// SPDX-License-Identifier: GPL-2.0
/*
 * wd-admin - inspect and manage WarpDrive devices on this machine.
 *
 *   list            every parent function: driver, api, PCI address, NUMA
 *                   node, queues, instances
 *   status          instances: VFIO group, open or not, queue, owner
 *                   process, opens; the driver's debugfs counters
 *   create, remove  instances, through sdmdev's sysfs files
 *
 * Output is a table for people, or JSON (--json) for scripts. Exit status:
 * see wd-admin.h and wd-admin.8.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wd.h"
#include "wd-admin.h"

struct adm_opts {
	bool json;
	bool all;
	const char *parent;
	unsigned long count;
};

void adm_err(const char *fmt, ...)
{
	va_list ap;

	fputs("wd-admin: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: wd-admin [OPTION]... COMMAND [ARG]...\n"
		"Inspect and manage WarpDrive accelerator devices (sdmdev).\n\n"
		"Commands:\n"
		"  list                     every device: driver, api, address, NUMA node,\n"
		"                           queues (total, free), instances\n"
		"  status [NAME]...         instances (VFIO group, open, queue, owner process)\n"
		"                           and driver counters; NAME: a device or instance\n"
		"  create [UUID]...         create instances (a random UUID when none given)\n"
		"  remove UUID...           remove instances; with --all, every closed one\n\n"
		"Options:\n"
		"  -j, --json               JSON on standard output, for scripts\n"
		"  -p, --parent=DEVICE      create on / remove from this device\n"
		"  -n, --count=N            create N instances with random UUIDs\n"
		"  -a, --all                remove: every instance (of --parent)\n"
		"  -h, --help               show this help\n"
		"  -V, --version            show versions\n\n"
		"Exit status: 0 ok, 1 an operation failed, 2 usage error,\n"
		"3 sdmdev is not loaded, 4 no device or no such device/instance.\n");
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_str(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		default:
			/* sysfs text is ASCII; anything else is escaped, not dropped */
			if (*p < 0x20 || *p >= 0x7f)
				printf("\\u%04x", *p);
			else
				putchar(*p);
		}
	}
	putchar('"');
}

/* A number, or null when the kernel did not say. */
static void json_num(long v)
{
	if (v == ADM_UNKNOWN)
		fputs("null", stdout);
	else
		printf("%ld", v);
}

static void json_key(const char *k, bool *first)
{
	if (!*first)
		putchar(',');
	*first = false;
	json_str(k);
	putchar(':');
}

static void json_owner(long pid)
{
	char *comm;

	if (pid <= 0) {		/* none, or ADM_UNKNOWN */
		fputs("null", stdout);
		return;
	}
	comm = adm_proc_comm(pid);
	printf("{\"pid\":%ld,\"comm\":", pid);
	json_str(comm);
	putchar('}');
	free(comm);
}

static const char *const flag_names[] = { "shared_mmio", "noiommu", "wait" };

/*
 * The flags attribute by name, as a JSON array or as text ("a,b", "-" for
 * none, "?" unknown); bits this tool does not know yet as "bitN".
 */
static void put_flags(long flags, bool json)
{
	bool first = true;
	unsigned int i;

	if (flags == ADM_UNKNOWN) {
		fputs(json ? "null" : "?", stdout);
		return;
	}
	if (json)
		putchar('[');
	for (i = 0; i < 32; i++) {
		const char *name = NULL;

		if (!(flags & (1L << i)))
			continue;
		if (!first)
			putchar(',');
		first = false;
		if (i < sizeof(flag_names) / sizeof(flag_names[0]))
			name = flag_names[i];
		if (json && name)
			json_str(name);
		else if (json)
			printf("\"bit%u\"", i);
		else if (name)
			fputs(name, stdout);
		else
			printf("bit%u", i);
	}
	if (json)
		putchar(']');
	else if (first)
		putchar('-');
}

/* 1 open, 0 closed, -1 unknown: the open attribute, else the queue one. */
static int inst_open(const struct adm_inst *in)
{
	if (in->open >= 0)
		return in->open;
	if (in->queue != ADM_UNKNOWN)
		return in->queue >= 0;
	return -1;
}

static void json_inst(const struct adm_inst *in)
{
	bool first = true;
	char dev[32];

	putchar('{');
	json_key("uuid", &first);
	json_str(in->uuid);
	json_key("parent", &first);
	json_str(in->parent->name);
	json_key("vfio_group", &first);
	if (in->group >= 0) {
		printf("%d", in->group);
		snprintf(dev, sizeof(dev), "/dev/vfio/%d", in->group);
	} else {
		fputs("null", stdout);
	}
	json_key("device", &first);
	json_str(in->group >= 0 ? dev : NULL);
	json_key("open", &first);
	fputs(inst_open(in) < 0 ? "null" : inst_open(in) ? "true" : "false", stdout);
	json_key("queue", &first);
	json_num(in->queue >= 0 ? in->queue : ADM_UNKNOWN);	/* null: none */
	json_key("opens", &first);
	json_num(in->opens);
	json_key("owner", &first);
	json_owner(in->owner);
	putchar('}');
}

static size_t open_count(const struct adm_parent *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->ninst; i++)
		n += inst_open(&p->inst[i]) == 1;
	return n;
}

static void json_parent(const struct adm_parent *p, bool counters)
{
	bool first = true;
	size_t i;

	putchar('{');
	json_key("name", &first);
	json_str(p->name);
	json_key("bus", &first);
	json_str(p->bus);
	json_key("pci_address", &first);
	json_str(p->bus && !strcmp(p->bus, "pci") ? p->name : NULL);
	json_key("driver", &first);
	json_str(p->driver);
	json_key("description", &first);
	json_str(p->desc);
	json_key("api", &first);
	json_str(p->api);
	json_key("flags", &first);
	put_flags(p->flags, true);
	json_key("numa_node", &first);
	json_num(p->numa_node);
	json_key("queues", &first);
	/* 0 from the kernel means the driver does not say */
	json_num(p->queues > 0 ? p->queues : ADM_UNKNOWN);
	json_key("free_queues", &first);
	json_num(p->free_queues);
	json_key("available_instances", &first);
	json_num(p->available);
	json_key("open_instances", &first);
	printf("%zu", open_count(p));
	json_key("owner", &first);
	json_owner(p->owner);
	json_key("instances", &first);
	putchar('[');
	for (i = 0; i < p->ninst; i++) {
		if (i)
			putchar(',');
		json_inst(&p->inst[i]);
	}
	putchar(']');
	if (counters) {
		json_key("counters", &first);
		if (!p->debugfs) {
			fputs("null", stdout);
		} else {
			bool cfirst = true;

			putchar('{');
			for (i = 0; i < p->ncounters; i++) {
				json_key(p->counters[i].key, &cfirst);
				json_str(p->counters[i].value);
			}
			putchar('}');
		}
	}
	putchar('}');
}

/* ---- text ---------------------------------------------------------------- */

static const char *num(char *buf, size_t len, long v)
{
	if (v == ADM_UNKNOWN)
		return "?";
	snprintf(buf, len, "%ld", v);
	return buf;
}

static void print_owner(long pid)
{
	char *comm;

	if (pid == ADM_UNKNOWN) {
		fputs("?", stdout);
		return;
	}
	if (pid <= 0) {
		fputs("-", stdout);
		return;
	}
	comm = adm_proc_comm(pid);
	printf("%ld (%s)", pid, comm ? comm : "?");
	free(comm);
}

static void text_list(const struct adm_sys *sys)
{
	char b[6][24];
	size_t i;

	printf("%-14s %-10s %-12s %4s %6s %5s %5s %4s %5s  %s\n", "DEVICE", "DRIVER",
	       "API", "NODE", "QUEUES", "FREE", "INST", "OPEN", "AVAIL", "FLAGS");
	for (i = 0; i < sys->nparents; i++) {
		const struct adm_parent *p = &sys->parents[i];

		printf("%-14s %-10s %-12s %4s %6s %5s %5zu %4zu %5s  ", p->name,
		       p->driver ? p->driver : "-", p->api ? p->api : "?",
		       num(b[0], sizeof(b[0]), p->numa_node),
		       p->queues > 0 ? num(b[1], sizeof(b[1]), p->queues) : "?",
		       num(b[2], sizeof(b[2]), p->free_queues), p->ninst,
		       open_count(p), num(b[3], sizeof(b[3]), p->available));
		put_flags(p->flags, false);
		putchar('\n');
	}
}

static void text_status_parent(const struct adm_parent *p,
			       const struct adm_inst *only)
{
	char b[3][24];
	size_t i;

	printf("%s: %s (driver %s, api %s%s%s), owner ", p->name,
	       p->desc ? p->desc : "?", p->driver ? p->driver : "-",
	       p->api ? p->api : "?",
	       p->bus && !strcmp(p->bus, "pci") ? ", PCI " : "",
	       p->bus && !strcmp(p->bus, "pci") ? p->name : "");
	print_owner(p->owner);
	putchar('\n');
	if (p->debugfs) {
		printf("  driver counters (%s):\n", p->debugfs);
		for (i = 0; i < p->ncounters; i++)
			printf("    %s: %s\n", p->counters[i].key, p->counters[i].value);
	} else {
		printf("  driver counters: none readable (root, and debugfs mounted on /sys/kernel/debug)\n");
	}
	if (!p->ninst) {
		printf("  no instances\n");
		return;
	}
	printf("  %-36s %-13s %-6s %5s %5s  %s\n", "INSTANCE", "DEVICE", "STATE",
	       "QUEUE", "OPENS", "OWNER");
	for (i = 0; i < p->ninst; i++) {
		const struct adm_inst *in = &p->inst[i];

		if (only && only != in)
			continue;
		if (in->group >= 0)
			snprintf(b[0], sizeof(b[0]), "/dev/vfio/%d", in->group);
		printf("  %-36s %-13s %-6s %5s %5s  ", in->uuid,
		       in->group >= 0 ? b[0] : "-",
		       inst_open(in) < 0 ? "?" : inst_open(in) ? "open" : "closed",
		       in->queue >= 0 ? num(b[1], sizeof(b[1]), in->queue) : "-",
		       num(b[2], sizeof(b[2]), in->opens));
		print_owner(inst_open(in) ? in->owner : 0);
		putchar('\n');
	}
}

/* ---- commands ------------------------------------------------------------ */

/* sdmdev is loaded and no driver registered a device: say what to check. */
static int no_devices(void)
{
	adm_err("no device: sdmdev is loaded but no driver offers queues (is hisi_zip loaded and a ZIP function present? 'modprobe hisi_zip', 'lspci -d 19e5:')");
	return ADM_NODEV;
}

static int cmd_list(struct adm_sys *sys, const struct adm_opts *o)
{
	size_t i;

	if (o->json) {
		printf("{\"parents\":[");
		for (i = 0; i < sys->nparents; i++) {
			if (i)
				putchar(',');
			json_parent(&sys->parents[i], false);
		}
		printf("]}\n");
	} else if (sys->nparents) {
		text_list(sys);
	}
	return sys->nparents ? ADM_OK : no_devices();
}

static int cmd_status(struct adm_sys *sys, const struct adm_opts *o, char **names,
		      int nnames)
{
	bool first = true;
	int i, ret = ADM_OK;
	size_t j;

	/* Unknown names first: no partial output for a typo. */
	for (i = 0; i < nnames; i++) {
		if (!adm_find_parent(sys, names[i]) && !adm_find_inst(sys, names[i])) {
			adm_err("%s: no such device or instance", names[i]);
			ret = ADM_NODEV;
		}
	}
	if (ret)
		return ret;
	if (o->json)
		printf("{\"parents\":[");
	for (j = 0; j < sys->nparents; j++) {
		struct adm_parent *p = &sys->parents[j];
		const struct adm_inst *only = NULL;
		bool want = !nnames;

		for (i = 0; i < nnames && !want; i++) {
			struct adm_inst *in = adm_find_inst(sys, names[i]);

			if (!strcmp(p->name, names[i])) {
				want = true;
			} else if (in && in->parent == p) {
				want = true;
				only = in;
			}
		}
		if (!want)
			continue;
		if (o->json) {
			if (!first)
				putchar(',');
			json_parent(p, true);
		} else {
			if (!first)
				putchar('\n');
			text_status_parent(p, only);
		}
		first = false;
	}
	if (o->json)
		printf("]}\n");
	return sys->nparents ? ADM_OK : no_devices();
}

/* The parent for create: --parent, else the first with a queue to spare. */
static struct adm_parent *create_parent(struct adm_sys *sys, const struct adm_opts *o)
{
	size_t i;

	if (o->parent) {
		struct adm_parent *p = adm_find_parent(sys, o->parent);

		if (!p)
			adm_err("%s: no such device (see 'wd-admin list')", o->parent);
		return p;
	}
	if (!sys->nparents) {
		no_devices();
		return NULL;
	}
	for (i = 0; i < sys->nparents; i++)
		if (sys->parents[i].available != 0)
			return &sys->parents[i];
	adm_err("no device has a queue left for another instance (see 'wd-admin list')");
	return NULL;
}

static int cmd_create(struct adm_sys *sys, const struct adm_opts *o, char **uuids,
		      int nuuids)
{
	unsigned long n = nuuids ? (unsigned long)nuuids : o->count, i;
	struct adm_parent *p;
	int ret = ADM_OK, g;

	p = create_parent(sys, o);
	if (!p)
		return sys->nparents ? (o->parent ? ADM_NODEV : ADM_ERROR) : ADM_NODEV;
	if (o->json)
		printf("{\"created\":[");
	for (i = 0; i < n; i++) {
		char uuid[ADM_UUID_LEN + 1];

		ret = adm_create(p, nuuids ? uuids[i] : NULL, uuid);
		if (ret)
			break;
		g = adm_inst_group(sys, uuid);
		if (o->json) {
			printf("%s{\"uuid\":\"%s\",\"parent\":", i ? "," : "", uuid);
			json_str(p->name);
			if (g >= 0)
				printf(",\"vfio_group\":%d,\"device\":\"/dev/vfio/%d\"}", g, g);
			else
				printf(",\"vfio_group\":null,\"device\":null}");
		} else if (g >= 0) {
			printf("%s %s /dev/vfio/%d\n", uuid, p->name, g);
		} else {
			printf("%s %s -\n", uuid, p->name);
		}
	}
	if (o->json)
		printf("]}\n");
	return ret;
}

static int cmd_remove(struct adm_sys *sys, const struct adm_opts *o, char **uuids,
		      int nuuids)
{
	struct adm_parent *only = NULL;
	int i, r, ret = ADM_OK;
	bool first = true;
	size_t j, k;

	if (o->parent) {
		only = adm_find_parent(sys, o->parent);
		if (!only) {
			adm_err("%s: no such device (see 'wd-admin list')", o->parent);
			return ADM_NODEV;
		}
	}
	if (o->json)
		printf("{\"removed\":[");
	for (i = 0; i < nuuids; i++) {
		struct adm_inst *in = adm_find_inst(sys, uuids[i]);

		if (!adm_valid_uuid(uuids[i]) || !in || (only && in->parent != only)) {
			adm_err("%s: no such instance%s%s", uuids[i], only ? " of " : "",
				only ? only->name : "");
			ret = ADM_NODEV;
			continue;
		}
		r = adm_remove(sys, in->uuid);
		if (!r && o->json) {
			printf("%s\"%s\"", first ? "" : ",", in->uuid);
			first = false;
		}
		if (r && (!ret || r == ADM_ERROR))
			ret = r;
	}
	for (j = 0; o->all && j < sys->nparents; j++) {
		struct adm_parent *p = &sys->parents[j];

		if (only && p != only)
			continue;
		for (k = 0; k < p->ninst; k++) {
			r = adm_remove(sys, p->inst[k].uuid);
			if (!r && o->json) {
				printf("%s\"%s\"", first ? "" : ",", p->inst[k].uuid);
				first = false;
			}
			if (r && (!ret || r == ADM_ERROR))
				ret = r;
		}
	}
	if (o->json)
		printf("]}\n");
	return ret;
}

static int parse_count(const char *arg, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || *arg == '-' || !*v || *v > 4096) {
		adm_err("invalid count '%s' (1 to 4096)", arg);
		return -1;
	}
	return 0;
}

/* Usage errors before anything is read or written. */
static int check_args(const char *cmd, struct adm_opts *o, char **args, int nargs)
{
	int i;

	if (!strcmp(cmd, "create")) {
		if (nargs && o->count) {
			adm_err("create: give UUIDs or --count, not both");
			return ADM_USAGE;
		}
		for (i = 0; i < nargs; i++) {
			if (!adm_valid_uuid(args[i])) {
				adm_err("'%s' is not a UUID (like 6f1a2b3c-4d5e-4f60-8a71-92b3c4d5e6f7)",
					args[i]);
				return ADM_USAGE;
			}
		}
		if (!nargs && !o->count)
			o->count = 1;
	} else if (!strcmp(cmd, "remove") && o->all == !!nargs) {
		adm_err(o->all ? "remove: give UUIDs or --all, not both" :
			"remove what? give instance UUIDs, or --all");
		return ADM_USAGE;
	}
	return ADM_OK;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "parent", required_argument, NULL, 'p' },
		{ "count", required_argument, NULL, 'n' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct adm_opts o = { .json = false };
	struct adm_sys sys;
	const char *cmd;
	char **args;
	int c, nargs, ret;

	while ((c = getopt_long(argc, argv, "jp:n:ahV", lopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = true;
			break;
		case 'p':
			o.parent = optarg;
			break;
		case 'n':
			if (parse_count(optarg, &o.count))
				return ADM_USAGE;
			break;
		case 'a':
			o.all = true;
			break;
		case 'h':
			usage(stdout);
			return ADM_OK;
		case 'V':
			printf("wd-admin %s (libwd %s)\n", PACKAGE_VERSION, wd_version());
			return ADM_OK;
		default:
			fprintf(stderr, "Try 'wd-admin --help'.\n");
			return ADM_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return ADM_USAGE;
	}
	cmd = argv[optind];
	args = argv + optind + 1;
	nargs = argc - optind - 1;
	if (strcmp(cmd, "list") && strcmp(cmd, "status") && strcmp(cmd, "create") &&
	    strcmp(cmd, "remove")) {
		adm_err("unknown command '%s'\nTry 'wd-admin --help'.", cmd);
		return ADM_USAGE;
	}
	if ((!strcmp(cmd, "list") && nargs) ||
	    ((o.parent || o.count || o.all) && strcmp(cmd, "create") && strcmp(cmd, "remove")) ||
	    (o.count && strcmp(cmd, "create")) || (o.all && strcmp(cmd, "remove"))) {
		adm_err("%s: unexpected arguments or options\nTry 'wd-admin --help'.", cmd);
		return ADM_USAGE;
	}
	ret = check_args(cmd, &o, args, nargs);
	if (ret)
		return ret;

	ret = adm_scan(&sys, !strcmp(cmd, "status"));
	if (ret)
		return ret;
	if (!strcmp(cmd, "list"))
		ret = cmd_list(&sys, &o);
	else if (!strcmp(cmd, "status"))
		ret = cmd_status(&sys, &o, args, nargs);
	else if (!strcmp(cmd, "create"))
		ret = cmd_create(&sys, &o, args, nargs);
	else
		ret = cmd_remove(&sys, &o, args, nargs);
	adm_free(&sys);
	if (fflush(stdout) || ferror(stdout)) {
		adm_err("standard output: %s", strerror(errno));
		ret = ADM_ERROR;
	}
	return ret;
}
