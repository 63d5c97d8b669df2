# SPDX-License-Identifier: GPL-2.0
# Runs last: unload our modules so the kernel log check also covers exit paths.
set -e
rmmod hisi_zip
rmmod sdmdev
if lsmod | grep -qE '^(hisi_zip|sdmdev) '; then
	echo "modules still loaded:"; lsmod; exit 1
fi
