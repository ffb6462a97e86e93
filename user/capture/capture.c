// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture/capture.h"
#include "common/util.h"

#define ETH_HLEN       14
#define ETHERTYPE_IP   0x0800
#define ETHERTYPE_IPV6 0x86DD
#define ETHERTYPE_NONE 0x0000

/* Link types that libpcap may report under numbers that differ by OS. */
#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#define LINKTYPE_RAW 101
#ifndef DLT_PPI
#define DLT_PPI 192
#endif

#define CAPTURE_READ_BUFFER (1 << 20)

/* Where the network layer starts, and its ethertype; -1 if there is none. */
typedef int (*l2_locate_fn)(const __u8 *p, __u32 caplen, __u16 *ethertype);

struct fs_capture {
	pcap_t *pcap;
	char *read_buffer; /* the FILE's buffer: freed after pcap_close() */
	const char *path;
	int linktype;
	l2_locate_fn locate; /* NULL for Ethernet */
	__u64 frames;
};

static __u16 ethertype_from_version(const __u8 *p, __u32 caplen)
{
	if (caplen < 1)
		return ETHERTYPE_NONE;
	switch (p[0] >> 4) {
	case 4:
		return ETHERTYPE_IP;
	case 6:
		return ETHERTYPE_IPV6;
	}
	return ETHERTYPE_NONE;
}

static int locate_raw(const __u8 *p, __u32 caplen, __u16 *ethertype)
{
	*ethertype = ethertype_from_version(p, caplen);
	return 0;
}

static int locate_sll(const __u8 *p, __u32 caplen, __u16 *ethertype)
{
	if (caplen < 16)
		return -1;
	*ethertype = (__u16)(p[14] << 8 | p[15]);
	return 16;
}

static int locate_sll2(const __u8 *p, __u32 caplen, __u16 *ethertype)
{
	if (caplen < 20)
		return -1;
	*ethertype = (__u16)(p[0] << 8 | p[1]);
	return 20;
}

/* BSD loopback: a 4-byte address family, in the writer's byte order. */
static int locate_null(const __u8 *p, __u32 caplen, __u16 *ethertype)
{
	__u32 family;

	if (caplen < 4)
		return -1;
	family = (__u32)p[0] | (__u32)p[1] << 8 | (__u32)p[2] << 16 | (__u32)p[3] << 24;
	if (family > 0xffff)
		family = __builtin_bswap32(family);
	if (family == 2)
		*ethertype = ETHERTYPE_IP;
	else if (family == 10 || family == 24 || family == 28 || family == 30)
		*ethertype = ETHERTYPE_IPV6;
	else
		*ethertype = ETHERTYPE_NONE;
	return 4;
}

/*
 * 802.11 data frames carry IP behind an LLC/SNAP header. Management,
 * control, null-data and protected (encrypted) frames carry no readable IP.
 */
static int locate_80211(const __u8 *p, __u32 caplen, __u16 *ethertype)
{
	static const __u8 snap[6] = {0xaa, 0xaa, 0x03, 0, 0, 0};
	__u32 hdr = 24;
	__u8 type, subtype, flags;

	*ethertype = ETHERTYPE_NONE;
	if (caplen < 24)
		return -1;
	type = (p[0] >> 2) & 3;
	subtype = p[0] >> 4;
	flags = p[1];
	if (type != 2 || (subtype & 0x4) || (flags & 0x40))
		return -1;
	if ((flags & 0x03) == 0x03)
		hdr += 6; /* four-address frame */
	if (subtype & 0x8) {
		hdr += 2; /* QoS control */
		if (flags & 0x80)
			hdr += 4; /* HT control */
	}
	if (caplen < hdr + 8 || memcmp(p + hdr, snap, sizeof(snap)) != 0)
		return -1;
	*ethertype = (__u16)(p[hdr + 6] << 8 | p[hdr + 7]);
	return (int)hdr + 8;
}

static int locate_radiotap(const __u8 *p, __u32 caplen, __u16 *ethertype)
{
	__u32 len;
	int inner;

	*ethertype = ETHERTYPE_NONE;
	if (caplen < 4)
		return -1;
	len = (__u32)p[2] | (__u32)p[3] << 8;
	if (len > caplen)
		return -1;
	inner = locate_80211(p + len, caplen - len, ethertype);
	return inner < 0 ? -1 : (int)len + inner;
}

/* Ethernet inside another header (PPI): a made-up header keeps its ethertype and VLAN tags. */
static int locate_ethernet(const __u8 *p, __u32 caplen, __u16 *ethertype)
{
	if (caplen < ETH_HLEN)
		return -1;
	*ethertype = (__u16)(p[12] << 8 | p[13]);
	return ETH_HLEN;
}

static l2_locate_fn ppi_inner_locate(__u32 dlt);

/*
 * Per-Packet Information (PPI): a little-endian header that gives its own
 * length and the link type of the frame behind it, most often 802.11.
 */
static int locate_ppi(const __u8 *p, __u32 caplen, __u16 *ethertype)
{
	l2_locate_fn inner;
	__u32 len, dlt;
	int off;

	*ethertype = ETHERTYPE_NONE;
	if (caplen < 8)
		return -1;
	len = (__u32)p[2] | (__u32)p[3] << 8;
	dlt = (__u32)p[4] | (__u32)p[5] << 8 | (__u32)p[6] << 16 | (__u32)p[7] << 24;
	inner = ppi_inner_locate(dlt);
	if (len < 8 || len > caplen || !inner)
		return -1;
	off = inner(p + len, caplen - len, ethertype);
	return off < 0 ? -1 : (int)len + off;
}

/* The link types flowscope reads, and how to find IP in each (NULL: Ethernet as is). */
static const struct {
	int linktype;
	l2_locate_fn locate;
} link_types[] = {
	{DLT_EN10MB, NULL},
	{DLT_RAW, locate_raw},
	{LINKTYPE_RAW, locate_raw},
	{DLT_IPV4, locate_raw},
	{DLT_IPV6, locate_raw},
	{DLT_LINUX_SLL, locate_sll},
	{DLT_LINUX_SLL2, locate_sll2},
	{DLT_NULL, locate_null},
	{DLT_LOOP, locate_null},
	{DLT_IEEE802_11, locate_80211},
	{DLT_IEEE802_11_RADIO, locate_radiotap},
	{DLT_PPI, locate_ppi},
};

/* Index into link_types, or -1 if flowscope does not read this link type. */
static int link_type_index(int linktype)
{
	size_t i;

	for (i = 0; i < FS_ARRAY_SIZE(link_types); i++) {
		if (link_types[i].linktype == linktype)
			return (int)i;
	}
	return -1;
}

/* What PPI may wrap: any link type read here but PPI itself. */
static l2_locate_fn ppi_inner_locate(__u32 dlt)
{
	int i = link_type_index((int)dlt);

	if (i < 0 || dlt == DLT_PPI)
		return NULL;
	return link_types[i].locate ? link_types[i].locate : locate_ethernet;
}

static int check_file(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return fs_err(path, "%s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return fs_err(path, "is a directory, not a capture file");
	if (S_ISREG(st.st_mode) && st.st_size == 0)
		return fs_err(path, "empty file, not a capture");
	return 0;
}

struct fs_capture *fs_capture_open(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct fs_capture *c;
	FILE *f;

	if (check_file(path) < 0)
		return NULL;
	f = fopen(path, "rb");
	if (!f) {
		fs_err(path, "%s", strerror(errno));
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		fclose(f);
		fs_err(path, "out of memory");
		return NULL;
	}
	c->path = path;
	/*
	 * stdio's 4 KiB default costs a read() system call every few packets.
	 * glibc ignores the size unless it is given the buffer too.
	 */
	c->read_buffer = malloc(CAPTURE_READ_BUFFER);
	if (c->read_buffer)
		setvbuf(f, c->read_buffer, _IOFBF, CAPTURE_READ_BUFFER);
	c->pcap = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!c->pcap) {
		fclose(f);
		free(c->read_buffer);
		if (strstr(errbuf, "unknown file format"))
			fs_err(path, "not a pcap or pcapng capture (unknown file format)");
		else if (strstr(errbuf, "truncated"))
			fs_err(path, "not a complete capture: file header cut short");
		else
			fs_err(path, "cannot read capture: %s", errbuf);
		free(c);
		return NULL;
	}
	c->linktype = pcap_datalink(c->pcap);
	if (link_type_index(c->linktype) < 0) {
		const char *name = pcap_datalink_val_to_name(c->linktype);

		fs_err(path,
		       "unsupported link type %s (%d); flowscope reads Ethernet, Linux "
		       "cooked, raw IP, BSD loopback and 802.11 (bare, radiotap or PPI)",
		       name ? name : "unknown", c->linktype);
		fs_capture_close(c);
		return NULL;
	}
	c->locate = link_types[link_type_index(c->linktype)].locate;
	return c;
}

/* Copy the network layer behind a made-up Ethernet header. */
static void synthesize_ethernet(struct fs_frame *out, __u16 ethertype, const __u8 *l3, __u32 l3_len,
				__u32 l3_wire_len)
{
	__u32 room = FS_FRAME_MAX - ETH_HLEN;

	memset(out->buf, 0, 12);
	out->buf[12] = ethertype >> 8;
	out->buf[13] = ethertype & 0xff;
	if (l3_len > room)
		l3_len = room;
	memcpy(out->buf + ETH_HLEN, l3, l3_len);
	out->data = out->buf;
	out->len = ETH_HLEN + l3_len;
	out->wire_len = ETH_HLEN + l3_wire_len;
}

int fs_capture_next(struct fs_capture *c, struct fs_frame *out)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;
	l2_locate_fn locate = c->locate;
	__u16 ethertype;
	int off, ret;

	ret = pcap_next_ex(c->pcap, &hdr, &data);
	if (ret == PCAP_ERROR_BREAK)
		return 0;
	if (ret != 1) {
		fs_warn(c->path,
			"capture damaged after %llu packets (%s); flows up to there "
			"are reported",
			(unsigned long long)c->frames, pcap_geterr(c->pcap));
		return -1;
	}
	c->frames++;
	out->ts_ns = (__u64)hdr->ts.tv_sec * 1000000000ULL + (__u64)hdr->ts.tv_usec;
	if (!locate && hdr->caplen < ETH_HLEN) {
		synthesize_ethernet(out, ETHERTYPE_NONE, data, 0, 0); /* a runt */
		return 1;
	}
	if (!locate) {
		out->data = data;
		out->len = hdr->caplen < FS_FRAME_MAX ? hdr->caplen : FS_FRAME_MAX;
		out->wire_len = hdr->len;
		return 1;
	}
	off = locate(data, hdr->caplen, &ethertype);
	if (off < 0)
		synthesize_ethernet(out, ETHERTYPE_NONE, data, 0, 0);
	else
		synthesize_ethernet(out, ethertype, data + off, hdr->caplen - (__u32)off,
				    hdr->len > (__u32)off ? hdr->len - (__u32)off : 0);
	return 1;
}

void fs_capture_close(struct fs_capture *c)
{
	if (!c)
		return;
	if (c->pcap)
		pcap_close(c->pcap);
	free(c->read_buffer);
	free(c);
}
