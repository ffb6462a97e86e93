// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Per-flow labels: how a row is read and which flows it names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "train/flow_labels.h"

static const char table[] =
	"file\ttransport\tendpoint_a\tendpoint_b\trole\tlabel\tevidence\n"
	"dir/a.pcap\tTCP\t10.0.0.1:443\t192.168.1.5:50000\tactivity\tvideo\tTLS\n"
	"a.pcap\tUDP\t2001:db8::1:443\tfe80::2:5353\tside\tbrowsing\t\n"
	"a.pcap\tOTHER\t10.0.0.9:\t10.0.0.1:\tbackground\tother\tICMP\n"
	"a.pcap\tOTHER\t:\t:\tbackground\tother\tARP\n"
	"b.pcap\tTCP\t10.0.0.1:443\t192.168.1.5:50000\tunsure\t\t\n";

static char path[] = "/tmp/flowscope-labels-XXXXXX";

static int write_table(void **state)
{
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, table, sizeof(table) - 1) != (ssize_t)(sizeof(table) - 1))
		return -1;
	close(fd);
	*state = fs_flow_labels_load(path);
	return *state ? 0 : -1;
}

static int remove_table(void **state)
{
	fs_flow_labels_free(*state);
	unlink(path);
	return 0;
}

static void set_addr(__u8 *addr, const char *text)
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, text, addr + 12) == 1)
		addr[10] = addr[11] = 0xff;
	else
		assert_int_equal(inet_pton(AF_INET6, text, addr), 1);
}

static struct fs_unit flow(__u8 proto, const char *src, __u16 sport, const char *dst, __u16 dport)
{
	struct fs_unit u = {.proto = proto, .src_port = sport, .dst_port = dport};

	set_addr(u.src_addr, src);
	set_addr(u.dst_addr, dst);
	return u;
}

static void test_either_direction_and_base_name(void **state)
{
	struct fs_unit u = flow(6, "192.168.1.5", 50000, "10.0.0.1", 443);
	enum fs_flow_role role;
	const char *label;

	assert_true(fs_flow_labels_find(*state, "/x/y/a.pcap", &u, &role, &label));
	assert_int_equal(role, FS_FLOW_ACTIVITY);
	assert_string_equal(label, "video");
	u = flow(6, "10.0.0.1", 443, "192.168.1.5", 50000);
	assert_true(fs_flow_labels_find(*state, "a.pcap", &u, &role, &label));
	assert_true(fs_flow_labels_find(*state, "b.pcap", &u, &role, &label));
	assert_int_equal(role, FS_FLOW_UNLABELLED);
	assert_string_equal(label, "");
}

static void test_transport_and_port_must_match(void **state)
{
	struct fs_unit udp = flow(17, "192.168.1.5", 50000, "10.0.0.1", 443);
	struct fs_unit port = flow(6, "192.168.1.5", 50001, "10.0.0.1", 443);
	enum fs_flow_role role;
	const char *label;

	assert_false(fs_flow_labels_find(*state, "a.pcap", &udp, &role, &label));
	assert_false(fs_flow_labels_find(*state, "a.pcap", &port, &role, &label));
	assert_false(fs_flow_labels_find(*state, "c.pcap", &port, &role, &label));
}

static void test_ipv6_endpoints_split_at_the_last_colon(void **state)
{
	struct fs_unit u = flow(17, "fe80::2", 5353, "2001:db8::1", 443);
	enum fs_flow_role role;
	const char *label;

	assert_true(fs_flow_labels_find(*state, "a.pcap", &u, &role, &label));
	assert_int_equal(role, FS_FLOW_SIDE);
	assert_string_equal(label, "browsing");
}

static void test_other_matches_addresses_only(void **state)
{
	struct fs_unit icmp = flow(1, "10.0.0.1", 0, "10.0.0.9", 0);
	struct fs_unit tcp = flow(6, "10.0.0.1", 1, "10.0.0.9", 2);
	enum fs_flow_role role;
	const char *label;

	assert_true(fs_flow_labels_find(*state, "a.pcap", &icmp, &role, &label));
	assert_int_equal(role, FS_FLOW_BACKGROUND);
	assert_false(fs_flow_labels_find(*state, "a.pcap", &tcp, &role, &label));
}

static void test_has_capture(void **state)
{
	assert_true(fs_flow_labels_has_capture(*state, "a.pcap"));
	assert_true(fs_flow_labels_has_capture(*state, "/elsewhere/b.pcap"));
	assert_false(fs_flow_labels_has_capture(*state, "c.pcap"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_either_direction_and_base_name),
		cmocka_unit_test(test_transport_and_port_must_match),
		cmocka_unit_test(test_ipv6_endpoints_split_at_the_last_colon),
		cmocka_unit_test(test_other_matches_addresses_only),
		cmocka_unit_test(test_has_capture),
	};

	return cmocka_run_group_tests(tests, write_table, remove_table);
}
