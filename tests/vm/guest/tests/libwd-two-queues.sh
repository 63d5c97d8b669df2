# SPDX-License-Identifier: GPL-2.0
# needs: model iommu
# Behind an IOMMU the instances of a function share one domain, so the
# queues a process has on one function must take their device addresses
# from one IOVA space (libwd's device context, wd_ctx_new()):
# - two hardware sessions of one process on one function with a shared
#   context both work, requests on both at once, checked with zlib; a
#   third without the context collides and cannot open (WD_ENOMEM);
# - wd-zip -p 4 (a context, WD_COMP_SPREAD) compresses one file on four
#   queues over both functions, two each, into one gzip member.
set -e
. sdmdev-testlib
sdm_find_parent
sdm_find_parent2
for p in "$P" "$P2"; do
	[ $(($(cat "$p/flags") & 2)) -eq 0 ] || { echo "$p: NOIOMMU"; exit 1; }
done

wd-hwtest twoq
[ -z "$(ls /sys/bus/sdmdev/devices)" ] || { ls /sys/bus/sdmdev/devices; exit 1; }
sdm_queues_idle

cd /tmp
seq 1 60000 | sed 's/$/: four queues, two functions, one IOVA space each/' > f.txt
wd-zip -v -c -p 4 -b 128 --engine=hw f.txt > f.gz 2> err || { cat err; exit 1; }
cat err
grep -q "\[hw engine, 4 threads, " err || { echo "not four hw threads"; exit 1; }
busybox gzip -dc f.gz | cmp - f.txt || { echo "other bytes"; exit 1; }
rm -f f.txt f.gz err
[ -z "$(ls /sys/bus/sdmdev/devices)" ] || { ls /sys/bus/sdmdev/devices; exit 1; }
sdm_queues_idle
BDF=$BDF2
sdm_queues_idle
echo "two queues per function, one process: ok"
