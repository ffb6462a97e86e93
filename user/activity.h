/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Which flows of a labelled capture carry its activity. A capture is labelled
 * as a whole, but its DNS lookups, NTP, mDNS and other background flows are
 * not the activity: training on them would teach noise.
 *
 * The rule (docs/CLASSIFY.md): a flow carries the activity when
 *  - it is TCP or UDP, and neither port is an infrastructure service
 *    (DNS 53, DHCP 67/68, NTP 123, NetBIOS 137-139, DHCPv6 546/547,
 *    SSDP 1900, WS-Discovery 3702, mDNS 5353, LLMNR 5355);
 *  - it holds at least FS_ACTIVITY_MIN_SHARE of the capture's IP bytes;
 *  - it has at least FS_ACTIVITY_MIN_PACKETS packets.
 * The other flows get no label: training leaves them out.
 */
#ifndef FS_ACTIVITY_H
#define FS_ACTIVITY_H

#include <stdbool.h>
#include <stddef.h>

#include "unit.h"

#define FS_ACTIVITY_MIN_SHARE	0.01
#define FS_ACTIVITY_MIN_PACKETS 4

bool fs_is_infrastructure(const struct fs_unit *u);
/* carries[i] for each of the n flows of one capture. */
void fs_activity_flows(const struct fs_unit *flows, size_t n, bool *carries);

#endif /* FS_ACTIVITY_H */
