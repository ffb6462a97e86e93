// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The capture reader's thread (capture/reader.c) against the capture read
 * in place (capture.c): the same frames in the same order through many
 * rounds of its ring, a damaged file's good frames then its error, a stop
 * in the middle of a long file, and one reader for file after file; and
 * the same on one CPU, where it reads in line.
 */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include "capture/capture.h"
#include "capture/reader.h"

enum { FRAMES = 5000 }; /* about ten times the frames the ring holds */

static char path[] = "/tmp/flowscope-test-reader.XXXXXX";

/* Frame i: 60 to 1519 bytes of a pattern of i, i us after the first. */
static __u32 frame_len(unsigned int i)
{
	return 60 + (i * 37) % 1460;
}

static int write_capture(const char *file, unsigned int frames)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = pcap_dump_open(dead, file);
	static __u8 frame[2048];
	unsigned int i, j;

	if (!d)
		return -1;
	for (i = 0; i < frames; i++) {
		struct pcap_pkthdr h = {.ts = {1700000000 + i / 1000000, i % 1000000}};

		h.caplen = h.len = frame_len(i);
		for (j = 0; j < h.caplen; j++)
			frame[j] = (__u8)(i * 7 + j);
		pcap_dump((u_char *)d, &h, frame);
	}
	pcap_dump_close(d);
	pcap_close(dead);
	return 0;
}

static int setup(void **state)
{
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	close(fd);
	return write_capture(path, FRAMES);
}

static int teardown(void **state)
{
	unlink(path);
	return 0;
}

/* Every frame r gives of file is the one the capture gives in place. */
static unsigned int compare_reads_by(struct fs_capture_reader *r, const char *file, int *reader_end,
				     int *capture_end)
{
	struct fs_capture *c = fs_capture_open(file);
	static struct fs_frame want;
	const struct fs_frame *got;
	unsigned int n = 0;

	assert_non_null(c);
	assert_int_equal(fs_capture_reader_open(r, file), 0);
	while ((*reader_end = fs_capture_reader_next(r, &got)) > 0) {
		assert_int_equal(fs_capture_next(c, &want), 1);
		assert_int_equal(got->len, want.len);
		assert_int_equal(got->wire_len, want.wire_len);
		assert_true(got->ts_ns == want.ts_ns);
		assert_memory_equal(got->data, want.data, want.len);
		n++;
	}
	*capture_end = fs_capture_next(c, &want);
	/* An ended reader keeps saying so. */
	assert_int_equal(fs_capture_reader_next(r, &got), *reader_end);
	fs_capture_reader_close(r);
	fs_capture_close(c);
	return n;
}

/* The same with a reader of its own. */
static unsigned int compare_reads(const char *file, int *reader_end, int *capture_end)
{
	struct fs_capture_reader *r = fs_capture_reader_new();
	unsigned int n;

	assert_non_null(r);
	n = compare_reads_by(r, file, reader_end, capture_end);
	fs_capture_reader_free(r);
	return n;
}

static void test_same_frames_in_order(void **state)
{
	int reader_end, capture_end;

	assert_int_equal(compare_reads(path, &reader_end, &capture_end), FRAMES);
	assert_int_equal(reader_end, 0);
	assert_int_equal(capture_end, 0);
}

static void test_damaged_file_gives_its_good_frames_then_its_error(void **state)
{
	char cut[] = "/tmp/flowscope-test-reader-cut.XXXXXX";
	FILE *in = fopen(path, "rb"), *out;
	int fd = mkstemp(cut), reader_end, capture_end;
	long size, i;

	assert_non_null(in);
	assert_true(fd >= 0);
	out = fdopen(fd, "wb");
	fseek(in, 0, SEEK_END);
	size = ftell(in);
	rewind(in);
	/* Two thirds of the file: a record cut in its middle. */
	for (i = 0; i < size * 2 / 3; i++)
		fputc(fgetc(in), out);
	fclose(in);
	fclose(out);
	assert_in_range(compare_reads(cut, &reader_end, &capture_end), FRAMES / 2, FRAMES - 1);
	assert_int_equal(reader_end, -1);
	assert_int_equal(capture_end, -1);
	unlink(cut);
}

/* Three frames of the file, then stops reading it. */
static void read_three_and_stop(struct fs_capture_reader *r)
{
	const struct fs_frame *f;
	int i;

	assert_int_equal(fs_capture_reader_open(r, path), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(fs_capture_reader_next(r, &f), 1);
	assert_int_equal(f->len, frame_len(2));
	fs_capture_reader_close(r);
}

static void test_stop_mid_file(void **state)
{
	struct fs_capture_reader *r = fs_capture_reader_new();

	assert_non_null(r);
	read_three_and_stop(r);
	fs_capture_reader_free(r); /* the sanitized run checks nothing leaks */
}

/*
 * One reader for file after file, as a replay of several captures uses it:
 * each read whole and right, after a file stopped midway and after a
 * missing one; opened again while open, and freed with a file still open.
 */
static void test_one_reader_for_many_files(void **state)
{
	struct fs_capture_reader *r = fs_capture_reader_new();
	int reader_end, capture_end, i;

	assert_non_null(r);
	for (i = 0; i < 3; i++) {
		assert_int_equal(compare_reads_by(r, path, &reader_end, &capture_end), FRAMES);
		assert_int_equal(reader_end, 0);
		read_three_and_stop(r);
		assert_int_equal(fs_capture_reader_open(r, "/nonexistent/flowscope.pcap"), -1);
		fs_capture_reader_close(r); /* nothing open: nothing to do */
	}
	assert_int_equal(fs_capture_reader_open(r, path), 0);
	assert_int_equal(fs_capture_reader_open(r, path), 0); /* the first one closed */
	fs_capture_reader_free(r);
}

static void test_one_cpu_same_frames(void **state)
{
	cpu_set_t all, one;
	int reader_end, capture_end;

	assert_int_equal(sched_getaffinity(0, sizeof(all), &all), 0);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
	assert_int_equal(compare_reads(path, &reader_end, &capture_end), FRAMES);
	assert_int_equal(reader_end, 0);
	test_stop_mid_file(state);
	test_one_reader_for_many_files(state);
	assert_int_equal(sched_setaffinity(0, sizeof(all), &all), 0);
}

static void test_missing_file_is_refused(void **state)
{
	struct fs_capture_reader *r = fs_capture_reader_new();

	assert_int_equal(fs_capture_reader_open(r, "/nonexistent/flowscope.pcap"), -1);
	fs_capture_reader_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_frames_in_order),
		cmocka_unit_test(test_damaged_file_gives_its_good_frames_then_its_error),
		cmocka_unit_test(test_stop_mid_file),
		cmocka_unit_test(test_one_reader_for_many_files),
		cmocka_unit_test(test_one_cpu_same_frames),
		cmocka_unit_test(test_missing_file_is_refused),
	};

	return cmocka_run_group_tests_name("capture_reader", tests, setup, teardown);
}
