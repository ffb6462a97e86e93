// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdbool.h>

#include "train/activity.h"
#include "flow_parse.h"
#include "common/util.h"

static const __u16 infrastructure_ports[] = {53,  67,  68,   123,  137,	 138, 139,
					     546, 547, 1900, 3702, 5353, 5355};

static bool infrastructure_port(__u16 port)
{
	unsigned int i;

	for (i = 0; i < FS_ARRAY_SIZE(infrastructure_ports); i++)
		if (port == infrastructure_ports[i])
			return true;
	return false;
}

static bool is_background(const struct fs_unit *u)
{
	if (u->proto != FS_IPPROTO_TCP && u->proto != FS_IPPROTO_UDP)
		return true;
	return infrastructure_port(u->src_port) || infrastructure_port(u->dst_port);
}

static __u64 unit_bytes(const struct fs_unit *u)
{
	return u->dir[0].bytes + u->dir[1].bytes;
}

void fs_flow_roles(const struct fs_unit *flows, size_t n, unsigned char *role)
{
	__u64 total = 0;
	size_t i;

	for (i = 0; i < n; i++)
		total += unit_bytes(&flows[i]);
	for (i = 0; i < n; i++) {
		const struct fs_unit *u = &flows[i];

		if (is_background(u))
			role[i] = FS_FLOW_BACKGROUND;
		else if ((double)unit_bytes(u) >= FS_ACTIVITY_MIN_SHARE * (double)total &&
			 u->dir[0].packets + u->dir[1].packets >= FS_ACTIVITY_MIN_PACKETS)
			role[i] = FS_FLOW_ACTIVITY;
		else
			role[i] = FS_FLOW_UNLABELLED;
	}
}
