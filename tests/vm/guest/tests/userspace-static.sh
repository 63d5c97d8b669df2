# SPDX-License-Identifier: GPL-2.0
# The guest runs our user space as built for its architecture (static).
set -e
out=$(wd-admin --version)
echo "$out"
case $out in "wd-admin "*" (libwd "*")") ;; *) echo "unexpected: $out"; exit 1 ;; esac
# sdmdev is loaded but nothing registers with it yet: 'list' says so, exit 1.
if wd-admin list 2>/tmp/err; then echo "list succeeded with no devices"; exit 1; fi
grep -q "no devices registered" /tmp/err
