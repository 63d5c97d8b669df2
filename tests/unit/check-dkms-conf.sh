#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# dkms.conf: BUILD_EXCLUSIVE_KERNEL accepts every kernel from 6.1 on and
# rejects older ones (dkms tests it with bash's =~, as done here), and
# PRE_BUILD still goes through scripts/dkms-pre-build.
conf=${top_srcdir:-.}/dkms.conf
# dkms sources it the same way, with its own variables possibly unset.
# shellcheck disable=SC1090
. "$conf" || { echo "cannot source $conf"; exit 1; }
set -u
rc=0
[ -n "${BUILD_EXCLUSIVE_KERNEL:-}" ] || { echo "BUILD_EXCLUSIVE_KERNEL unset"; exit 1; }
for k in 6.1.0-56-amd64 6.1.192 6.1 6.2.0 6.9.1 6.10.3 6.12.117+deb13-amd64 \
	 6.12.0-rc1 6.19.2-arm64 7.0.0 7.3.4+deb13-amd64 9.9.9 10.0.0-1-amd64 \
	 10.2 16.1.0 60.0.1; do
	if [[ $k =~ $BUILD_EXCLUSIVE_KERNEL ]]; then echo "accepts $k"
	else echo "FAIL: rejects $k"; rc=1; fi
done
for k in 5.15.0-91-generic 5.10.0-28-amd64 4.19.0 6.0.0-1-amd64 6.0 6.0.19 \
	 3.10.0-1160.el7.x86_64 2.6.32 1.0; do
	if [[ $k =~ $BUILD_EXCLUSIVE_KERNEL ]]; then echo "FAIL: accepts $k"; rc=1
	else echo "rejects $k"; fi
done
case ${PRE_BUILD:-} in
"scripts/dkms-pre-build "*) echo "PRE_BUILD: $PRE_BUILD" ;;
*) echo "FAIL: PRE_BUILD is '${PRE_BUILD:-}', not scripts/dkms-pre-build"; rc=1 ;;
esac
exit $rc
