/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The role of each flow of a labelled capture. A capture is labelled as a
 * whole, but its DNS lookups, NTP, mDNS and other background flows are not
 * the activity, and neither are the thumbnail or telemetry fetches beside a
 * video or a call: training on them as the capture's class would teach noise.
 *
 * The rule (docs/CLASSIFY.md):
 *  - background: not TCP or UDP, or either port is an infrastructure service
 *    (DNS 53, DHCP 67/68, NTP 123, NetBIOS 137-139, DHCPv6 546/547,
 *    SSDP 1900, WS-Discovery 3702, mDNS 5353, LLMNR 5355). These learn the
 *    class FS_BACKGROUND_CLASS (model.h), so that a model names them;
 *  - activity: any other flow that holds at least FS_ACTIVITY_MIN_SHARE of
 *    the capture's IP bytes and has at least FS_ACTIVITY_MIN_PACKETS packets.
 *    These learn the capture's class;
 *  - unlabelled: the rest (small flows of the capture's application or of
 *    others). Training leaves them out.
 */
#ifndef FS_ACTIVITY_H
#define FS_ACTIVITY_H

#include <stddef.h>

#include "features/unit.h"

#define FS_ACTIVITY_MIN_SHARE	0.05
#define FS_ACTIVITY_MIN_PACKETS 4

enum fs_flow_role {
	FS_FLOW_UNLABELLED,
	FS_FLOW_ACTIVITY,
	FS_FLOW_BACKGROUND,
	FS_FLOW_SIDE, /* per-flow labels only: the app's own flows beside the activity */
};

/* role[i] for each of the n flows of one capture. */
void fs_flow_roles(const struct fs_unit *flows, size_t n, unsigned char *role);

#endif /* FS_ACTIVITY_H */
