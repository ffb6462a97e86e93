#!/bin/bash
# make deb: debhelper builds build/flowscope_VERSION_ARCH.deb, lintian finds
# nothing to warn of, and `apt-get install ./flowscope_*.deb` installs it
# with its dependencies declared: the binary in /usr/sbin finds its model,
# the man pages and completion are where man and bash look, the unit passes
# systemd-analyze verify, the config is a conffile (kept on remove, gone on
# purge). The test purges the package again, even when it fails.
. "$(dirname "$0")/../lib.sh"
need_captures
if [ "$(id -u)" != 0 ]; then
	[ -n "${CI:-}" ] && { echo "  FAIL: installing a package needs root, and CI runs as root"; exit 1; }
	echo "  SKIP: installing a package needs root"
	exit 77
fi
for tool in dpkg-buildpackage dh lintian apt-get; do
	command -v "$tool" >/dev/null || { echo "  FAIL: no $tool (tools/install-deps.sh)"; exit 1; }
done
# The package is built from the tree, not from $BUILD: the sanitizer pass has
# nothing more to test here.
case $BUILD in
*/san)
	echo "  note: the package is built and tested once, with build/"
	exit 0
	;;
esac
if dpkg-query -W -f='${Status}' flowscope 2>/dev/null | grep -q installed; then
	echo "  FAIL: a flowscope package is installed already; this test installs and purges its own"
	exit 1
fi
trap 'apt-get purge -y -qq flowscope >/dev/null 2>&1; rm -rf "$TMP"' EXIT
export DEBIAN_FRONTEND=noninteractive
VERSION=$(sed -n 's/^VERSION := //p' "$ROOT/Makefile")

make -C "$ROOT" deb BUILD="$TMP/b" >"$TMP/build.log" 2>&1
status=$?
check_eq "make deb: exit status" "$status" 0
deb=$(ls "$TMP"/b/flowscope_"$VERSION"_*.deb 2>/dev/null)
check_true "make deb: the package is there" [ -f "$deb" ]
if [ "$status" != 0 ] || [ ! -f "$deb" ]; then
	tail -20 "$TMP/build.log"
	finish
	exit 1
fi

out=$(lintian --fail-on error,warning "$deb" 2>&1 | grep -v '^running with root privileges')
check_eq "lintian: no error, no warning" "$out" ""
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libbpf1 libxdp1 libpcap0.8 libfixbuf9 libmicrohttpd12 libhdf5 zlib1g libc6; do
	check_match "Depends names $lib" "$depends" "(^|, )$lib"
done

apt-get install -y -qq "$deb" >"$TMP/install.log" 2>&1
status=$?
check_eq "apt-get install ./flowscope_*.deb: exit status" "$status" 0
[ "$status" = 0 ] || tail -5 "$TMP/install.log"
check_eq "installed: --version" "$(/usr/sbin/flowscope --version)" "flowscope $VERSION"
check_eq "the man page, where man looks" "$(man -w flowscope-attach)" \
	/usr/share/man/man8/flowscope-attach.8.gz
check_eq "bash completion, where bash-completion looks" \
	"$(bash -c '. /usr/share/bash-completion/completions/flowscope && complete -p flowscope')" \
	"complete -o filenames -F _flowscope flowscope"
out=$(systemd-analyze verify /lib/systemd/system/flowscope@.service 2>&1)
check_eq "the installed unit: systemd-analyze verify has nothing to say" "$out" ""
check_match "the unit runs /usr/sbin/flowscope with /etc's config" \
	"$(grep ^ExecStart= /lib/systemd/system/flowscope@.service)" \
	"^ExecStart=/usr/sbin/flowscope attach --config /etc/flowscope/flowscope.conf "
check_eq "the config is a conffile" \
	"$(dpkg-query -W -f='${Conffiles}' flowscope | awk '{ print $1 }')" /etc/flowscope/flowscope.conf

# The installed binary classifies with the installed model, the shipped one.
cap=$CAPTURES/$(awk -F'\t' 'NR > 1 && $2 == "call" { print $1; exit }' "$CAPTURES/MANIFEST.tsv")
/usr/sbin/flowscope replay --engine user --quiet -o "$TMP/installed.csv" "$cap"
check_eq "installed replay: exit status" "$?" 0
"$FLOWSCOPE" replay --engine user --quiet --model "$ROOT/models/default.model" \
	-o "$TMP/tree.csv" "$cap"
check_true "installed replay: the tree's records, classes and all" \
	cmp -s "$TMP/installed.csv" "$TMP/tree.csv"
check_true "installed replay: classified" grep -q ',call,' "$TMP/installed.csv"

# HDF5 is loaded when first used (user/common/lazylib.h): its package must be there.
/usr/sbin/flowscope export --engine user --quiet --fit "$TMP/scaler" "$cap" >/dev/null
/usr/sbin/flowscope export --engine user --quiet --scaler "$TMP/scaler" -o "$TMP/set.h5" "$cap"
check_eq "installed export -o FILE.h5: exit status" "$?" 0
check_eq "installed export -o FILE.h5: an HDF5 file" "$(head -c 8 "$TMP/set.h5" | od -An -tx1 | tr -d ' ')" \
	894844460d0a1a0a

apt-get remove -y -qq flowscope >/dev/null 2>&1
check_true "removed: the binary is gone" [ ! -e /usr/sbin/flowscope ]
check_true "removed: the config stays" [ -f /etc/flowscope/flowscope.conf ]
apt-get purge -y -qq flowscope >/dev/null 2>&1
check_true "purged: the config is gone" [ ! -e /etc/flowscope/flowscope.conf ]
finish
