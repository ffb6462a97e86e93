# flowscope: see README.md. `make` builds, `make test` tests, `make bench` measures.

CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
PREFIX ?= /usr/local
# Section 8: a command for root, so in sbin.
SBINDIR ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
VERSION := 0.2.0
BUILD := build
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

PKGS := libbpf libxdp libpcap hdf5 zlib libmicrohttpd libfixbuf json-c
# Loaded when first used, not linked (user/common/lazylib.h says why): their
# headers from pkg-config, their sonames read off the libraries themselves.
LAZY_PKGS := hdf5 libmicrohttpd
lib_file = $(firstword $(wildcard $(patsubst -L%,%/lib$(2).so,$(shell pkg-config --libs-only-L $(1)))) \
	   $(shell $(CC) -print-file-name=lib$(2).so))
soname = $(shell objdump -p $(call lib_file,$(1),$(2)) 2>/dev/null | awk '/SONAME/ { print $$2 }')
HDF5_SONAME := $(call soname,hdf5,hdf5)
MHD_SONAME := $(call soname,libmicrohttpd,microhttpd)
CFLAGS ?= -O2 -g
# Sanitized builds, by clang, each in a tree of its own; any finding aborts.
#   make SANITIZE=1 ...     AddressSanitizer and UndefinedBehaviorSanitizer, in build/san
#   make SANITIZE=fuzz ...  the same, instrumented for libFuzzer, in build/fuzz
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
ifeq ($(SANITIZE),1)
override CC := clang
BUILD := build/san
override CFLAGS := -O1 -g -fno-omit-frame-pointer $(SAN_FLAGS)
else ifeq ($(SANITIZE),fuzz)
override CC := clang
BUILD := build/fuzz
override CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(SAN_FLAGS)
else
# Loops vectorized where cheap: the MLP's forward pass is 3x faster (make bench),
# with the same results (no reduction is reordered). Kept when CFLAGS come from
# elsewhere (dpkg-buildflags).
override CFLAGS += -ftree-vectorize -fvect-cost-model=cheap
endif
override CFLAGS += -Wall -Wextra -Wno-unused-parameter -std=gnu11 -D_GNU_SOURCE -Iinclude -Iuser -I$(BUILD) \
	  -DFS_DATADIR='"$(PREFIX)/share/flowscope"' -DFS_VERSION='"$(VERSION)"' \
	  -DFS_HDF5_SONAME='"$(HDF5_SONAME)"' -DFS_MHD_SONAME='"$(MHD_SONAME)"' \
	  $(shell pkg-config --cflags $(PKGS))
override LDLIBS += $(shell pkg-config --libs $(filter-out $(LAZY_PKGS),$(PKGS))) -lm -lpthread -ldl
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Ivmlinux -Iinclude -Wall

INCLUDE_HDRS := $(wildcard include/*.h)
# user/ has a folder per stage of the pipeline (README, "Where things live").
USER_HDRS := $(wildcard user/*/*.h)
# Everything in user/ but main.c: the unit tests and tools link it too.
LIB_SRCS := $(filter-out user/cli/main.c,$(wildcard user/*/*.c))
LIB_OBJS := $(patsubst user/%.c,$(BUILD)/user/%.o,$(LIB_SRCS))
# The kernel programs user/ loads; the benchmark's minimal counter is a tool's.
SKELS := $(BUILD)/flowscope.skel.h $(BUILD)/drain.skel.h

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/*.c))
TEST_PROGS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/*.c))
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(BUILD)/%,$(wildcard tests/fuzz/fuzz_*.c))
BENCH := $(BUILD)/flowscope-bench
CROSSCHECK := $(BUILD)/flowscope-crosscheck

.PHONY: all deps vmlinux test test-programs fuzz-targets fuzz stress bench install deb clean docs model lazy-sonames
.DELETE_ON_ERROR:

all: $(BUILD)/flowscope $(BUILD)/flowscope.bpf.o $(BUILD)/man/stamp $(BUILD)/flowscope.bash

# Man pages and bash completion, made by the binary from the tables --help reads.
$(BUILD)/man/stamp: $(BUILD)/flowscope
	mkdir -p $(BUILD)/man
	$< --man >$(BUILD)/man/flowscope.8
	for c in $$($< --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $$1 }'); do \
		$< --man $$c >$(BUILD)/man/flowscope-$$c.8 || exit 1; \
	done
	touch $@

$(BUILD)/flowscope.bash: $(BUILD)/flowscope
	$< --completion >$@

deps:
	tools/install-deps.sh

# vmlinux.h is committed; this regenerates it from the running kernel's BTF.
vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/vmlinux.h

$(BUILD):
	mkdir -p $(BUILD) $(BUILD)/tests/unit

$(BUILD)/%.bpf.o: bpf/%.bpf.c $(INCLUDE_HDRS) $(wildcard bpf/*.h) vmlinux/vmlinux.h | $(BUILD)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/counter.bpf.o: tools/counter.bpf.c $(INCLUDE_HDRS) vmlinux/vmlinux.h | $(BUILD)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(BPFTOOL) gen skeleton $< > $@

$(BUILD)/user/%.o: user/%.c $(USER_HDRS) $(INCLUDE_HDRS) $(SKELS) | $(BUILD)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# The shipped model's place is compiled in (FS_DATADIR): a build for another
# PREFIX (make install PREFIX=/usr after make) compiles model.c again.
$(BUILD)/prefix: FORCE | $(BUILD)
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' >$@
$(BUILD)/user/classify/model.o: $(BUILD)/prefix
.PHONY: FORCE

$(BUILD)/libflowscope.a: $(LIB_OBJS)
	$(AR) rcs $@ $^

$(BUILD)/flowscope: $(BUILD)/user/cli/main.o $(BUILD)/libflowscope.a
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libflowscope.a $(INCLUDE_HDRS) | $(BUILD)
	$(CC) $(CFLAGS) $< $(BUILD)/libflowscope.a -o $@ $(LDLIBS) -lcmocka

$(BUILD)/tests/%: tests/%.c tests/check.h tests/frames.h $(BUILD)/libflowscope.a $(SKELS) | $(BUILD)
	$(CC) $(CFLAGS) $< $(BUILD)/libflowscope.a -o $@ $(LDLIBS)

# libFuzzer targets (make SANITIZE=fuzz): one per kind of input, tests/fuzz/.
$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/input.c tests/fuzz/input.h $(BUILD)/libflowscope.a
	$(CC) $(CFLAGS) -fsanitize=fuzzer -Itests/fuzz $< tests/fuzz/input.c $(BUILD)/libflowscope.a \
		-o $@ $(LDLIBS)

$(BUILD)/udp-blast: tools/udp_blast.c | $(BUILD)
	$(CC) $(CFLAGS) $< -o $@

$(BENCH): tools/bench.c tools/bench_capture.c tools/bench_ipfix.c tools/bench_report.c tools/bench.h tests/frames.h \
	  $(BUILD)/libflowscope.a $(SKELS) $(BUILD)/counter.skel.h | $(BUILD)
	$(CC) $(CFLAGS) -Itools tools/bench.c tools/bench_capture.c tools/bench_ipfix.c tools/bench_report.c \
		$(BUILD)/libflowscope.a -o $@ $(LDLIBS)

$(CROSSCHECK): tools/crosscheck.c $(BUILD)/libflowscope.a | $(BUILD)
	$(CC) $(CFLAGS) $< $(BUILD)/libflowscope.a -o $@ $(LDLIBS)

test-programs: all $(UNIT_TESTS) $(TEST_PROGS) $(CROSSCHECK)

fuzz-targets: $(FUZZ_TARGETS)

# Every test on the plain build, then again under the sanitizers, and every
# fuzz target over its seeds and the inputs that once made it fail.
test: test-programs
	$(MAKE) SANITIZE=1 BUILD=$(BUILD)/san test-programs
	$(MAKE) SANITIZE=fuzz BUILD=$(BUILD)/fuzz fuzz-targets
	FUZZ_BUILD=$(BUILD)/fuzz tests/run.sh $(BUILD) $(BUILD)/san

# Each fuzz target for FUZZ_SECONDS, from seeds made of the shared captures;
# what it finds lands in build/fuzz/findings (docs/RELIABILITY.md, "Fuzzing").
FUZZ_SECONDS ?= 60
fuzz: all
	$(MAKE) SANITIZE=fuzz BUILD=$(BUILD)/fuzz fuzz-targets
	FLOWSCOPE=$(BUILD)/flowscope FUZZ_BUILD=$(BUILD)/fuzz tools/fuzz.sh $(FUZZ_SECONDS)

# The drain race again and again for STRESS_SECONDS (default 180): every packet
# must be in a record or a counter (tests/concurrency.c, docs/LIVE.md).
STRESS_SECONDS ?= 180
stress: $(BUILD)/tests/concurrency
	$(BUILD)/tests/concurrency --rounds 0 --drain-runs 1000000 --seconds $(STRESS_SECONDS)

# docs/FEATURES.md ends with the feature table, made from the code's one list.
docs: all
	sed '/^## The features$$/q' docs/FEATURES.md >docs/FEATURES.md.tmp
	echo >>docs/FEATURES.md.tmp
	$(BUILD)/flowscope features --markdown >>docs/FEATURES.md.tmp
	mv docs/FEATURES.md.tmp docs/FEATURES.md

# The shipped model: trained on the shared captures with their per-flow
# labels, the same file on every rerun.
CAPTURES ?= ../shared/pcaps
model: all
	SOURCE_DATE_EPOCH=0 $(BUILD)/flowscope train --engine user --seed 1 --ensemble 3 --cv 5 \
		--manifest $(CAPTURES)/MANIFEST.tsv --flow-labels $(CAPTURES)/FLOW_LABELS.tsv \
		-o models/default.model

bench: all $(BENCH) $(BUILD)/udp-blast
	$(BENCH)
	tools/bench_veth.sh

# The service's unit, for where `make install` puts flowscope and its config.
$(BUILD)/flowscope@.service: dist/flowscope@.service.in | $(BUILD)
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' $< >$@

# The config is the admin's once there: an existing one is left as it is.
install: all $(BUILD)/flowscope@.service
	install -D -m 0755 $(BUILD)/flowscope $(DESTDIR)$(SBINDIR)/flowscope
	install -D -m 0644 $(BUILD)/flowscope@.service $(DESTDIR)$(UNITDIR)/flowscope@.service
	[ -e $(DESTDIR)$(SYSCONFDIR)/flowscope/flowscope.conf ] || \
		install -D -m 0644 dist/flowscope.conf $(DESTDIR)$(SYSCONFDIR)/flowscope/flowscope.conf
	install -D -m 0644 models/default.model $(DESTDIR)$(PREFIX)/share/flowscope/default.model
	install -d $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 0644 $(BUILD)/man/*.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -D -m 0644 $(BUILD)/flowscope.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/flowscope

# A Debian package, build/flowscope_VERSION_ARCH.deb, built by debhelper
# (dist/debian) from a copy of the tree, so the tree stays as it is.
DEB_TREE := $(BUILD)/deb/flowscope-$(VERSION)
deb:
	@test "$$(dpkg-parsechangelog -l dist/debian/changelog -S Version)" = "$(VERSION)" || \
		{ echo "flowscope: dist/debian/changelog: its version is not $(VERSION)" >&2; exit 1; }
	rm -rf $(BUILD)/deb
	mkdir -p $(DEB_TREE)
	cp -r Makefile README.md bpf include user vmlinux docs models dist $(DEB_TREE)/
	cp -r dist/debian $(DEB_TREE)/debian
	# The package's own make must not inherit this one's variables (BUILD=...).
	cd $(DEB_TREE) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL dpkg-buildpackage -b -us -uc
	mv $(BUILD)/deb/flowscope_$(VERSION)_*.deb $(BUILD)/

# The libraries flowscope loads itself: dist/debian/rules names their packages.
lazy-sonames:
	@echo $(HDF5_SONAME) $(MHD_SONAME)

clean:
	rm -rf $(BUILD)
