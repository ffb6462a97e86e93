// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* flowscope status: what flowscope has attached, read from its pins. */
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "live/attach.h"
#include "cli/cli.h"
#include "engine/counter_report.h"
#include "engine/engine.h"
#include "flow.h"
#include "common/util.h"

static int open_pin(const char *ifname, const char *map)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), FS_PIN_ROOT "/%s/%s", ifname, map);
	return bpf_obj_get(path);
}

/* Entries in use and the table's size. */
static void table_fill(int fd, __u64 *used, __u32 *size)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	struct fs_flow_key key, next;
	void *prev = NULL;

	*used = 0;
	*size = bpf_obj_get_info_by_fd(fd, &info, &len) == 0 ? info.max_entries : 0;
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		(*used)++;
	}
}

static void show(const char *ifname)
{
	int ifindex = (int)if_nametoindex(ifname), flows = open_pin(ifname, "flows");
	int cnt = open_pin(ifname, "counters");
	struct fs_hook_status hs = {};
	__u64 used = 0, c[FS_CNT_MAX] = {0};
	char line[FS_COUNTERS_TEXT_MAX];
	__u32 size = 0;

	if (ifindex)
		fs_query_hooks(ifindex, &hs);
	if (flows >= 0)
		table_fill(flows, &used, &size);
	if (cnt >= 0)
		fs_counters_read(cnt, c);
	printf("%s%s\n", ifname, ifindex ? "" : " (interface gone)");
	printf("  hooks: xdp prog %u", hs.xdp_prog_id);
	if (hs.xdp_dispatcher_id)
		printf(" (in libxdp dispatcher prog %u)", hs.xdp_dispatcher_id);
	printf(", tc ingress prog %u, tc egress prog %u (0: none)\n", hs.tc_ingress_prog_id,
	       hs.tc_egress_prog_id);
	printf("  flow table: %llu of %u entries in use\n", (unsigned long long)used, size);
	fs_counters_format(line, sizeof(line), c);
	printf("  packets seen %llu; not in a record: %s\n", (unsigned long long)c[FS_CNT_PACKETS],
	       line);
	if (flows >= 0)
		close(flows);
	if (cnt >= 0)
		close(cnt);
}

int fs_cmd_status(const struct fs_cli *cli, int argc, char **argv)
{
	struct dirent *d;
	DIR *dir;
	int n = 0;

	dir = opendir(FS_PIN_ROOT);
	if (!dir) {
		if (errno == ENOENT) {
			printf("flowscope is not attached to any interface\n");
			return FS_EXIT_OK;
		}
		fs_err(FS_PIN_ROOT, "%s", strerror(errno));
		return FS_EXIT_FAILURE;
	}
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		show(d->d_name);
		n++;
	}
	closedir(dir);
	if (!n)
		printf("flowscope is not attached to any interface\n");
	return FS_EXIT_OK;
}
