# SPDX-License-Identifier: GPL-2.0
# needs: model
# The device model's faults under user-space load (libwd, wd-zip): for each
# of error status, corrupt output, a short (2 s) and a long (22 s) hang, and an abnormal
# (RAS) interrupt, one process drives three threads' queues through libwd
# (progs/wd-load.c -k, every result checked with zlib) while the fault is
# injected. The affected requests fail with a libwd error or are caught as
# wrong by the referee (corrupt output), everything else completes and is
# right; the model's and the driver's counters say what happened; a clean
# run afterwards passes (the device recovered). wd-zip with --engine=hw:
# a failing request makes it exit 1 with a message, leaving no output
# and the input untouched, and so does corrupt compressed output (every
# device block is read back); with --engine=auto the block is redone in
# software and the output is right.
set -e
. sdmdev-testlib
sdm_find_parent
D=/sys/kernel/debug/hisi_zip/$BDF
HOLD2=""
trap 'wd-model release >/dev/null 2>&1 || true; wd-model fail 0 0 >/dev/null 2>&1 || true
      wd-model corrupt 0 >/dev/null 2>&1 || true
      [ -z "$HOLD2" ] || { kill -9 $HOLD2; wait $HOLD2; echo 1 >"/sys/bus/sdmdev/devices/$U3/remove"; } 2>/dev/null || true' EXIT
# The faults go to the first function's model (wd-model): any other
# function is held by a process of its own, so that libwd's queues (wd-load,
# wd-zip) are all on the first one.
U3=5b6c7d8e-9fa0-4b1c-8d2e-3f4a5b6c7d8e
if [ "$(ls /sys/class/sdmdev | wc -l)" -ge 2 ]; then
	sdm_find_parent2
	echo "$U3" >"$P2/create"
	sdm_start /tmp/fl-hold2.out holding sdmdev-open "$U3" hold
	HOLD2=$BG
fi
field() { sed -n "s/^$1: //p" "$D/status"; }
model() { wd-model status | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# load SECONDS ARGS: wd-load in the background (one process, three threads,
# one turn: its queues stay open) until it has completed a request
load() {
	sdm_start /tmp/fl.out "wd-load: running" wd-load -p 1 -t 3 -o -s "$@"
	L=$BG
}
# load_end: wd-load passed (no wrong result passed as right, nothing left pinned)
load_end() {
	wait $L || { echo "wd-load failed:"; cat /tmp/fl.out; exit 1; }
	grep "^wd-load: \|^caught" /tmp/fl.out
}
# errors NAME: how many requests failed cleanly with libwd error NAME
errors() { sed -n "s/.*failed cleanly:.* $1 \([0-9]*\).*/\1/p" /tmp/fl.out | grep . || echo 0; }
caught() { sed -n 's/.*wrong results caught: \([0-9]*\).*/\1/p' /tmp/fl.out; }
# faulty FAULT CMD...: run CMD while the model injects FAULT (a wd-model
# command: fail, corrupt or stall), then clear it; rc is CMD's exit status,
# its messages are in err (and shown).
faulty() {
	wd-model $1 >/dev/null
	rc=0
	_f=${1%% *}
	shift
	"$@" 2>err || rc=$?
	case $_f in fail) wd-model fail 0 0 ;; *) wd-model "$_f" 0 ;; esac >/dev/null
	cat err >&2
}
recovered() {
	wd-load -p 1 -t 2 -s 3 >/tmp/fl-after.out 2>&1 || { echo "after $1:"; cat /tmp/fl-after.out; exit 1; }
	sdm_queues_idle
	echo "after $1: a clean run passes"
}

# 1. Error status: three requests complete with status 0x11 (any queue).
load 5 -k
wd-model fail 3 0x11
load_end
n=$(errors "device error")
[ "$n" -ge 1 ] && [ "$n" -le 3 ] || { echo "error status: $n requests failed, want 1..3"; exit 1; }
[ "$(model fail_left)" = 0 ] || { echo "the model still has $(model fail_left) failures to give"; exit 1; }
recovered "error status"

# 2. Corrupt output: three outputs with a flipped byte. libwd cannot tell on
# compression (zlib, the referee, does) and on hardware decompression the
# engine's own checksum covers what it produced before the flip; either way
# the wrong result is caught, no other result is wrong.
load 5 -c
wd-model corrupt 3
load_end
n=$(( $(caught) + $(errors "corrupt input data") ))
[ "$n" -ge 1 ] && [ "$n" -le 3 ] || { echo "corrupt output: $n caught, want 1..3"; exit 1; }
[ "$(model corrupt_left)" = 0 ] || { echo "corruption not used up"; exit 1; }
recovered "corrupt output"

# 3. A short hang (2 s, below libwd's 20 s timeout): requests wait, nothing fails.
load 5
wd-model hang
sleep 2
wd-model release
load_end
recovered "a short hang"

# 4. A long hang (22 s, past libwd's 20 s): every thread's request times out, the sessions
# fail cleanly (the queue may still write their buffers, so libwd gives
# them up), the queues are released at close; the late completions land
# once the engine resumes.
load 24 -k
wd-model hang
sleep 22
wd-model release
load_end
n=$(errors "device timed out")
[ "$n" -ge 1 ] || { echo "long hang: no request timed out"; exit 1; }
recovered "a long hang"

# 5. Abnormal (RAS) interrupt, "SQ not in function's VFT": counted, the
# queues are reset; their owners' requests in flight fail or are redone.
abn=$(field "abnormal errors")
resets=$(field "error resets")
load 5 -k
wd-model abnormal 0x200
load_end
[ "$(field "abnormal errors")" = $((abn + 1)) ] || { echo "abnormal error not counted"; cat "$D/status"; exit 1; }
[ "$(field "error resets")" -ge $((resets + 1)) ] || { echo "no error reset"; cat "$D/status"; exit 1; }
wd-model status | grep -q "abnormal=0x0 " || { echo "abnormal source not cleared: $(wd-model status)"; exit 1; }
dmesg | grep "QM error: asked the owners of" | tail -n 1
recovered "an abnormal interrupt"

# 6. wd-zip --engine=hw with a failing request: exit 1 with a message,
# no output file, no temp file, the input as it was.
cd /tmp && rm -rf wdf && mkdir wdf && cd wdf
i=0
while [ $i -lt 3000 ]; do echo "line $i: a request fails and nothing is lost"; i=$((i + 1)); done >f
cp f f.orig
faulty "fail 1 0x11" wd-zip --engine=hw -p 2 -b 64 f
[ $rc = 1 ] || { echo "wd-zip with a failing request: exit $rc, want 1"; exit 1; }
[ -s err ] || { echo "wd-zip failed without a message"; exit 1; }
cmp f f.orig || { echo "input changed"; exit 1; }
[ "$(ls)" = "$(printf 'err\nf\nf.orig')" ] || { echo "files left: $(ls)"; exit 1; }
# ... and a failing decompression: the .gz stays, no partial output
wd-zip --engine=hw -k f
faulty "fail 1 0x11" wd-zip -d --engine=hw -c f.gz >out
[ $rc = 1 ] && [ -s err ] || { echo "wd-zip -d with a failing request: exit $rc"; exit 1; }
# ... and corrupt decompressed data: wd-zip's own CRC check refuses it,
# f is not created, f.gz stays
rm -f out f
cp f.gz f.gz.orig
faulty "corrupt 1" wd-zip -d --engine=hw f.gz
[ $rc = 1 ] && [ -s err ] || { echo "wd-zip -d with corrupt output: exit $rc"; exit 1; }
cmp f.gz f.gz.orig || { echo "f.gz changed"; exit 1; }
[ "$(ls)" = "$(printf 'err\nf.gz\nf.gz.orig\nf.orig')" ] || { echo "files after a failed -d: $(ls)"; exit 1; }
# --engine=auto: a block the device fails is redone in software
cp f.orig g
faulty "fail 1 0x11" wd-zip -p 2 -b 64 g
[ $rc = 0 ] || { echo "wd-zip --engine=auto with a failing request failed"; exit 1; }
[ ! -e g ] && busybox gzip -dc g.gz | cmp - f.orig || { echo "--engine=auto: wrong after the retry"; exit 1; }
# Corrupt compressed output: wd-zip reads every device block back before
# trusting it. --engine=hw refuses (input kept, nothing left behind) ...
rm -f g.gz
cp f.orig h
faulty "corrupt 1" wd-zip --engine=hw -p 2 -b 64 h
[ $rc = 1 ] && grep -q "verify" err || { echo "wd-zip --engine=hw with corrupt output: exit $rc"; exit 1; }
cmp h f.orig && [ ! -e h.gz ] || { echo "corrupt compress: h changed or h.gz left"; ls; exit 1; }
# ... --engine=auto redoes that block in software: right output, h removed
faulty "corrupt 1" wd-zip -p 2 -b 64 h
[ $rc = 0 ] || { echo "wd-zip --engine=auto with corrupt output failed"; exit 1; }
[ ! -e h ] && busybox gzip -dc h.gz | cmp - f.orig || { echo "--engine=auto: corrupt block kept"; exit 1; }
# An engine that answers "output full, resend" without progress (stall):
# a stream of more than one 128 KiB request gets them on its continuation
# requests. libwd rides out a few (3: the right output) and gives up on
# eight in a row (WD_EIO: wd-zip --engine=hw exits 1, no output file).
head -c 600000 /dev/urandom >r.orig
cp r.orig r
wd-zip --engine=sw r
rc=0
wd-model stall 3
wd-zip -d --engine=hw -c r.gz >r.out 2>err || rc=$?
left=$(wd-model status | sed -n 's/.*stall_left=\([0-9]*\).*/\1/p')
wd-model stall 0 >/dev/null
[ $rc = 0 ] && cmp r.out r.orig || { echo "3 stalls: exit $rc, output wrong"; cat err; exit 1; }
[ "$left" = 0 ] || { echo "3 stalls: $left not taken (no stream continued?)"; exit 1; }
faulty "stall 8" wd-zip -d --engine=hw r.gz
[ $rc = 1 ] && [ -s err ] || { echo "8 stalls: exit $rc, want 1"; exit 1; }
[ ! -e r ] && [ -e r.gz ] || { echo "8 stalls: partial output or r.gz gone: $(ls)"; exit 1; }
rm -f r.orig r.gz r.out
sdm_queues_idle
if [ -n "$HOLD2" ]; then
	kill -9 $HOLD2
	wait $HOLD2 2>/dev/null || true
	HOLD2=""
	echo 1 >"/sys/bus/sdmdev/devices/$U3/remove"
fi
echo "user-side faults ok"
