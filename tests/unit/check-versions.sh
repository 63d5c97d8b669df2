#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dkms.conf carries the package version by hand: fail when it drifts.
set -e
v=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top_srcdir/dkms.conf")
if [ "$v" != "$PACKAGE_VERSION" ]; then
	echo "dkms.conf PACKAGE_VERSION '$v' != configure version '$PACKAGE_VERSION'"
	exit 1
fi
echo "versions agree: $v"
