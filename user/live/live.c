// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/counter_report.h"
#include "engine/engine_kernel.h"
#include "live/live.h"
#include "live/metrics.h"
#include "live/metrics_http.h"
#include "live/summary.h"
#include "features/unit.h"
#include "common/util.h"

struct live_iface {
	struct fs_attachment att;
	struct fs_engine *engine;
	struct fs_metrics_iface metrics; /* as of the latest refresh */
};

struct live {
	const struct fs_live_options *opt;
	struct live_iface *ifaces;
	int n;
	struct fs_flow_output *output;
	__s64 wall_offset_ns; /* CLOCK_REALTIME - CLOCK_BOOTTIME */
	__u64 records, packets, bytes;
	char title[256];
	struct fs_metrics_server *metrics; /* NULL: no --metrics */
	struct fs_drain_histogram drains;
	double start_time;
};

static const char *const hook_names[] = {
	[FS_HOOKS_TC] = "tc ingress+egress",
	[FS_HOOKS_XDP] = "xdp",
	[FS_HOOKS_BOTH] = "xdp + tc egress",
};

static volatile sig_atomic_t stop_signal, report_asked;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static void on_report(int sig)
{
	report_asked = 1;
}

static __u64 clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

static void shift(__u64 *ts, __s64 by)
{
	if (*ts)
		*ts = (__u64)((__s64)*ts + by);
}

/* Records leave with wall-clock times; the kernel keeps boot time. */
static int emit(void *ctx, const struct fs_record *rec)
{
	struct live *l = ctx;
	struct fs_record r = *rec;
	struct fs_unit u;

	shift(&r.stats.first_ts, l->wall_offset_ns);
	shift(&r.stats.last_ts, l->wall_offset_ns);
	l->records++;
	l->packets += fs_flow_packets(&r.stats);
	l->bytes += r.stats.dir[0].bytes + r.stats.dir[1].bytes;
	fs_unit_from_flow(&u, &r, l->opt->meter.cic_compat);
	return fs_flow_output_unit(l->output, &u);
}

/* The program's entry points each set of hooks runs. */
static const unsigned int hook_entry_points[] = {
	[FS_HOOKS_TC] = FS_ENTRY_TC,
	[FS_HOOKS_XDP] = FS_ENTRY_XDP,
	[FS_HOOKS_BOTH] = FS_ENTRY_XDP | FS_ENTRY_TC,
};

static int start_iface(struct live *l, struct live_iface *li, const char *ifname)
{
	const struct fs_live_options *o = l->opt;

	li->metrics.name = ifname;
	li->metrics.table_size = o->max_flows;
	struct fs_engine_config cfg = {
		.kind = FS_ENGINE_KERNEL,
		.live = true,
		.entry_points = hook_entry_points[o->attach.hooks],
		.max_flows = o->max_flows,
		.meter = o->meter,
		.kmodel = o->kmodel,
		.class_actions = o->class_actions,
		.emit = emit,
		.emit_ctx = l,
	};

	li->engine = fs_engine_create(&cfg);
	if (!li->engine)
		return -1;
	if (fs_attach(&li->att, fs_engine_kernel_skel(li->engine), ifname, &o->attach) < 0 ||
	    fs_pin_maps(&li->att, fs_engine_kernel_skel(li->engine)) < 0)
		return -1;
	fs_notice(ifname, "attached (%s%s), maps pinned in %s", hook_names[o->attach.hooks],
		  li->att.xdp_generic ? ", generic XDP" : "", li->att.pin_dir);
	return 0;
}

static void stop_iface(struct live *l, struct live_iface *li)
{
	if (li->engine) {
		fs_detach(&li->att, l->opt->keep_pins);
		fs_engine_destroy(li->engine);
		li->engine = NULL;
	}
}

/* The kernel model's verdicts on one more interface (all load the same model). */
static void add_class_counts(struct fs_class_counts *sum, const struct fs_class_counts *c)
{
	unsigned int i;

	for (i = 0; i < c->n; i++) {
		memcpy(sum->names[i], c->names[i], sizeof(sum->names[i]));
		sum->count[i].flows += c->count[i].flows;
		sum->count[i].packets += c->count[i].packets;
		sum->count[i].bytes += c->count[i].bytes;
		sum->count[i].moved += c->count[i].moved;
	}
	if (c->n > sum->n)
		sum->n = c->n;
}

/* A refresh: every interface's table and counters, into cur. */
static void collect(struct live *l, struct fs_summary *cur)
{
	struct fs_hosts *hosts = l->output->hosts;
	__u64 ended = 0, before;
	int i;

	memset(cur, 0, sizeof(*cur));
	cur->model = l->output->model;
	cur->now_ns = clock_ns(CLOCK_BOOTTIME);
	cur->hosts = hosts;
	cur->wall_offset_ns = l->wall_offset_ns;
	cur->host_window_ns = l->opt->host_window_ns;
	/* Ended flows' ballots stay for the window; open flows' join them for this refresh. */
	if (hosts) {
		__u64 wall = cur->now_ns + l->wall_offset_ns, keep = l->output->host_keep_ns;

		fs_hosts_prune(hosts, wall > keep ? wall - keep : 0);
		ended = fs_hosts_mark(hosts);
	}
	for (i = 0; i < l->n; i++) {
		struct live_iface *li = &l->ifaces[i];

		before = cur->active_flows;
		fs_summary_collect(cur, li->engine, li->metrics.counters);
		li->metrics.table_flows = cur->active_flows - before;
		fs_engine_kernel_class_counts(li->engine, &li->metrics.classes);
		add_class_counts(&cur->kernel, &li->metrics.classes);
	}
	fs_summary_judge_hosts(cur);
	if (hosts)
		fs_hosts_rollback(hosts, ended);
	cur->packets += l->packets;
	cur->bytes += l->bytes;
	cur->records = l->records;
	cur->record_packets = l->packets;
	cur->alerts = fs_alerts_count(l->output->alerts);
	memcpy(cur->finished, l->output->tally, sizeof(cur->finished));
}

/* The refresh as /metrics serves it from now on. */
static void publish_metrics(struct live *l, const struct fs_summary *cur)
{
	struct fs_metrics_iface ifaces[l->n];
	struct fs_ipfix_stats ipfix;
	struct fs_metrics_view v = {
		.summary = cur,
		.ifaces = ifaces,
		.nifaces = l->n,
		.drains = &l->drains,
		.model_path = l->opt->model_path,
		.start_time = l->start_time,
	};
	size_t len;
	char *text;
	int i;

	for (i = 0; i < l->n; i++)
		ifaces[i] = l->ifaces[i].metrics;
	if (l->output->ipfix) {
		fs_ipfix_stats(l->output->ipfix, &ipfix);
		v.ipfix = &ipfix;
	}
	text = fs_metrics_render(&v, &len);
	if (text)
		fs_metrics_publish(l->metrics, text, len);
}

static void refresh(struct live *l, struct fs_summary *cur, struct fs_summary *prev,
		    bool *have_prev)
{
	collect(l, cur);
	if (l->metrics)
		publish_metrics(l, cur);
	if (!l->opt->summary)
		return;
	fs_summary_print(l->opt->summary, l->opt->summary_tty, l->title, cur,
			 *have_prev ? prev : NULL);
	*prev = *cur;
	*have_prev = true;
}

/* Every table's ended flows out; 0, or an error that ends the monitoring. */
static int drain(struct live *l, __u64 now)
{
	__u64 started = clock_ns(CLOCK_MONOTONIC);
	int i, err = 0;

	for (i = 0; i < l->n && !err; i++) {
		if (!if_nametoindex(l->ifaces[i].att.ifname)) {
			fs_err(l->ifaces[i].att.ifname, "the interface is gone; stopping");
			return -ENODEV;
		}
		err = fs_engine_expire(l->ifaces[i].engine, now, false);
		err = err < 0 ? err : 0;
	}
	fs_drain_histogram_observe(&l->drains, (clock_ns(CLOCK_MONOTONIC) - started) / 1e9);
	return err;
}

/* The counters of every interface, summed. 0, or -1 after printing why. */
static int sum_counters(struct live *l, __u64 sum[FS_CNT_MAX])
{
	__u64 c[FS_CNT_MAX];
	int i, j;

	memset(sum, 0, FS_CNT_MAX * sizeof(*sum));
	for (i = 0; i < l->n; i++) {
		if (!l->ifaces[i].engine)
			continue;
		if (fs_engine_read_counters(l->ifaces[i].engine, c) < 0)
			return fs_err("attach", "cannot read the counters");
		for (j = 0; j < FS_CNT_MAX; j++)
			sum[j] += c[j];
	}
	return 0;
}

static int account_packets(struct live *l)
{
	__u64 sum[FS_CNT_MAX];

	if (sum_counters(l, sum) < 0)
		return -1;
	return fs_packets_close("attach", sum, l->records, l->packets, true);
}

/* --report: the flows ended so far and the counters now, drawn whole. */
static int write_report(struct live *l)
{
	__u64 sum[FS_CNT_MAX];

	if (!l->opt->report_path || !l->output->report)
		return 0;
	if (sum_counters(l, sum) < 0)
		return -1;
	fs_report_set_counters(l->output->report, sum);
	return fs_report_write(l->output->report, l->opt->report_path);
}

/* Ring buffer events as they come; ended flows every drain_ns; the summary every interval_ns. */
static int monitor(struct live *l)
{
	struct fs_summary *cur = calloc(2, sizeof(*cur)), *prev = cur + 1;
	__u64 now = clock_ns(CLOCK_BOOTTIME);
	__u64 next_drain = now + l->opt->drain_ns, next_summary = now;
	bool have_prev = false;
	int i, err = 0;

	if (!cur)
		return -ENOMEM;
	while (!stop_signal && !err) {
		for (i = 0; i < l->n && !err; i++)
			err = fs_engine_kernel_poll(l->ifaces[i].engine, i == 0 ? 50 : 0);
		now = clock_ns(CLOCK_BOOTTIME);
		if (now >= next_drain) {
			err = drain(l, now);
			next_drain = now + l->opt->drain_ns;
		}
		if (report_asked) {
			report_asked = 0;
			write_report(l); /* a failure is said, and the run goes on */
		}
		if ((l->opt->summary || l->metrics) && now >= next_summary) {
			refresh(l, cur, prev, &have_prev);
			next_summary = now + l->opt->interval_ns;
		}
	}
	free(cur);
	return err;
}

/*
 * Every flow still open becomes a record: nothing seen is lost at exit. The
 * programs come off the interfaces first, and every run of them ends, so no
 * packet is counted into the table after its last drain.
 */
static int flush_all(struct live *l)
{
	__u64 now;
	int i, err = 0;

	for (i = 0; i < l->n; i++)
		fs_unhook(&l->ifaces[i].att);
	fs_wait_for_programs();
	now = clock_ns(CLOCK_BOOTTIME);
	for (i = 0; i < l->n; i++) {
		if (!l->ifaces[i].engine)
			continue;
		if (fs_engine_kernel_poll(l->ifaces[i].engine, 0) < 0 ||
		    fs_engine_expire(l->ifaces[i].engine, now, false) < 0 ||
		    fs_engine_expire(l->ifaces[i].engine, now, true) < 0)
			err = -1;
	}
	return err;
}

/* The run's last line: where every packet seen went (counter_report.h). */
static void describe(struct live *l, char **ifnames, int n)
{
	size_t len = 0;
	int i;

	for (i = 0; i < n; i++)
		len += snprintf(l->title + len, sizeof(l->title) - len, "%s%s", i ? ", " : "",
				ifnames[i]);
	snprintf(l->title + len, sizeof(l->title) - len, " (%s)", hook_names[l->opt->attach.hooks]);
}

int fs_live_run(const struct fs_live_options *opt, char **ifnames, int nifaces,
		struct fs_flow_output *out)
{
	struct live l = {.opt = opt, .n = nifaces, .output = out};
	struct sigaction sa = {.sa_handler = on_stop}, usr1 = {.sa_handler = on_report};
	bool started;
	int i, err = 0;

	if (fs_ensure_bpffs() < 0)
		return 1;
	l.ifaces = calloc(nifaces, sizeof(*l.ifaces));
	if (!l.ifaces)
		return 1;
	l.wall_offset_ns = (__s64)(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME));
	l.start_time = clock_ns(CLOCK_REALTIME) / 1e9;
	/* A port in use ends the run before anything is attached. */
	if (opt->metrics_listen && !(l.metrics = fs_metrics_serve(opt->metrics_listen))) {
		free(l.ifaces);
		return 1;
	}
	describe(&l, ifnames, nifaces);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&usr1.sa_mask);
	if (opt->report_path)
		sigaction(SIGUSR1, &usr1, NULL);
	for (i = 0; i < nifaces && !err; i++)
		err = start_iface(&l, &l.ifaces[i], ifnames[i]);
	started = !err;
	if (started)
		err = monitor(&l);
	if (flush_all(&l) < 0)
		err = -1;
	else if (started && account_packets(&l) < 0)
		err = -1;
	if (started && write_report(&l) < 0)
		err = -1;
	for (i = 0; i < nifaces; i++)
		stop_iface(&l, &l.ifaces[i]);
	fs_metrics_stop(l.metrics);
	free(l.ifaces);
	return err ? 1 : 0;
}
