#!/bin/sh
# Installs what flowscope needs to build, run and test, from Debian 12's archive.
set -e
PACKAGES="make gcc clang llvm libclang-rt-14-dev libbpf-dev libxdp-dev xdp-tools libelf-dev zlib1g-dev bpftool libpcap-dev pkg-config
	  iproute2 ethtool curl tcpdump libcmocka-dev tshark python3-scapy libhdf5-dev python3-h5py
	  python3-sklearn groff-base man-db bsdextrautils systemd util-linux
	  libmicrohttpd-dev prometheus build-essential debhelper lintian
	  libfixbuf-dev libfixbuf-tools nfdump pmacct
	  libjson-c-dev chromium libxml2-utils nftables"
if [ "$(id -u)" != 0 ]; then
	echo "flowscope: installing packages needs root (run with sudo)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $PACKAGES
