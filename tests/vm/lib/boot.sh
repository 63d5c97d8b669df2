# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# VM bench, boot half: assemble one initramfs per kernel, boot it under QEMU
# TCG inside the chroot (with the ZIP device model on a vfio-user socket when
# --model on), and turn the console log into ok/FAIL lines.
#
# Console protocol (written by tests/vm/guest/init):
#   WD-BOOT            /init started (anything earlier is an early-boot crash)
#   WD-RESULT ok|FAIL NAME
#   WD-OUT text        output of a failed test
#   WD-EXEC-BEGIN / WD-EXEC-RC n   around --exec output
#   WD-DMESG-BEGIN / WD-DMESG-END  the kernel log, scanned for splats
#   WD-KLOG-LOST n     the ring had lost its first n records (fails kernel-log)
#   WD-DONE            the guest finished cleanly

# Kernel modules the guest always needs, plus --share's 9p stack.
GUEST_KMODS="vfio vfio_iommu_type1 zram deflate"
SHARE_KMODS="virtio_pci 9pnet_virtio 9p"
# The model's control socket reaches the guest as a virtio-serial port.
MODEL_KMODS="virtio_pci virtio_console"
# ZIP functions in the guest, each a PF served by its own model process
# (two physical devices, as on a two-socket Kunpeng 920): enough for the
# tests of two owners on two functions and of spreading over functions.
MODEL_FNS=2
# The first model also serves VF 1 (19e5:a251), attached after the PFs with
# no queue share: hisi_zip refuses it at boot and it stays unbound until
# hzip-vf gives it queues the way a host PF driver does for a VM.
MODEL_VF_SOCK=zipvf.sock
# The arm64 guest's vIOMMU is virtio-iommu (a module in Debian's kernels);
# amd64 uses the built-in VT-d driver. Loaded in every guest (idle without
# the device) so one initramfs serves both boots of a kernel.
IOMMU_KMODS_arm64="virtio_iommu"

# A unit is one boot: a kernel name, plus "+iommu" for the boot with a
# virtual IOMMU in front of the device model (tests with "# needs: ... iommu").
unit_kernel() { echo "${1%+iommu}"; }
unit_iommu() { case $1 in *+iommu) return 0 ;; esac; return 1; }

# Print the module files (relative to the module dir) that NAME needs, deps
# first, each once. Built-in modules print nothing.
kmod_closure() {
	local moddir=$1; shift
	awk -v want="$*" '
		function base(p) { sub(/.*\//, "", p); sub(/\.ko.*/, "", p); gsub(/-/, "_", p); return p }
		{ sub(/:$/, "", $1); path[base($1)] = $1; n = 0
		  for (i = 2; i <= NF; i++) deps[base($1), ++n] = base($i); ndeps[base($1)] = n }
		function visit(m,   i) {
			if (m in seen || !(m in path)) return
			seen[m] = 1
			for (i = ndeps[m]; i >= 1; i--) visit(deps[m, i])
			print path[m]
		}
		END { split(want, w, " "); for (i in w) { m = w[i]; gsub(/-/, "_", m); visit(m) } }
	' "$moddir/modules.dep"
}

# Kernel modules our .ko files depend on (from their .modinfo).
our_kmod_deps() {
	local dir=$1 ko
	for ko in "$dir"/module/*.ko; do
		in_chroot /sbin/modinfo -F depends "${ko#"$CHROOT"}" 2>/dev/null | tr ',' '\n'
	done | grep -v -e '^$' -e '^sdmdev$' -e '^hisi_zip$' | sort -u
}

make_initramfs() {
	local name=$1 kv arch moddir out stage m f
	kv=$(kernel_kv "$name") arch=$(kernel_field "$name" 3)
	moddir=$(kernel_moddir "$kv") || { log "$name: no modules.dep"; return 1; }
	out="$RUNDIR/$name/initrd.gz"
	stage="$RUNDIR/$name/initrd"
	rm -rf "$stage" && mkdir -p "$stage"/{bin,etc/wd,wd/tests,lib/modules/"$kv"/extra,usr/bin}

	# busybox: the chroot's own for amd64, the arm64 package's for arm64.
	if [ "$arch" = arm64 ]; then
		f="$CHROOT/wd/busybox-arm64"
		[ -x "$f" ] || f=$(fetch_busybox_arm64)
	else
		f="$CHROOT/bin/busybox"
	fi
	cp "$f" "$stage/bin/busybox" || return 1
	cp "$TOP/tests/vm/guest/init" "$stage/init" && chmod +x "$stage/init"
	cp "$TOP/tests/vm/guest/wd-model" "$stage/usr/bin/"
	cp "$TOP"/tests/vm/guest/tests/*.sh "$stage/wd/tests/" 2>/dev/null
	echo "$name" >"$stage/etc/wd/kernel-name"

	local want
	want="$GUEST_KMODS $(our_kmod_deps "$CHROOT/wd/build/k-$name")"
	[ "$MODEL" = on ] && want+=" $MODEL_KMODS"
	[ "$arch" = arm64 ] && want+=" $IOMMU_KMODS_arm64"
	[ -n "$SHARE_DIR" ] && want+=" $SHARE_KMODS" && : >"$stage/etc/wd/share"
	: >"$stage/etc/wd/modules.order"
	for m in $(kmod_closure "$moddir" $want); do
		f=$(basename "${m%.xz}")
		f=${f%.zst}
		case $m in
		*.xz) xz -dc "$moddir/$m" >"$stage/lib/modules/$kv/$f" ;;
		*.zst) zstd -qdc "$moddir/$m" >"$stage/lib/modules/$kv/$f" ;;
		*) cp "$moddir/$m" "$stage/lib/modules/$kv/$f" ;;
		esac
		echo "$f" >>"$stage/etc/wd/modules.order"
	done
	cp "$CHROOT/wd/build/k-$name"/module/{sdmdev,hisi_zip}.ko "$stage/lib/modules/$kv/extra/"
	# test-only modules (tests/bench/run's kernel baseline), not loaded by init
	cp "$CHROOT/wd/build/k-$name"/tests/vm/guest/kmod/*.ko "$stage/lib/modules/$kv/extra/" 2>/dev/null
	# User space, installed statically for this architecture.
	[ -d "$CHROOT/wd/build/u-$arch/root/usr" ] &&
		cp -a "$CHROOT/wd/build/u-$arch/root/usr/." "$stage/usr/"
	rm -rf "${stage:?}/usr/include" "${stage:?}/usr/share" "$stage/usr/lib"/*/pkgconfig
	# In-guest test programs (tests/vm/guest/progs, built but never installed).
	local progs="$CHROOT/wd/build/u-$arch/tests/vm/guest/progs"
	if [ -d "$progs" ]; then
		find "$progs" -maxdepth 1 -type f -perm -u+x -exec cp {} "$stage/usr/bin/" \;
	fi
	# sdmdev-fuzz's seed: chosen here so that the host log shows it even
	# when only the kernel-log check fails; WD_FUZZ_SEED replays one.
	local seed=${WD_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
	echo "$seed" >"$stage/etc/wd/fuzz-seed"
	[ -n "${WD_FUZZ_OPS:-}" ] && echo "$WD_FUZZ_OPS" >"$stage/etc/wd/fuzz-ops"
	case ${ONLY:-sdmdev-fuzz} in
	*fuzz*|\**) log "$name: sdmdev-fuzz seed $seed (replay: WD_FUZZ_SEED=$seed tests/vm/run --kernel $name --only 'sdmdev-fuzz*')" ;;
	esac
	[ -n "$EXEC_CMD" ] && printf '%s\n' "$EXEC_CMD" >"$stage/etc/wd/exec"
	[ -n "$ONLY" ] && printf '%s\n' "$ONLY" >"$stage/etc/wd/only"
	[ "$MODEL" = on ] && : >"$stage/etc/wd/model"
	(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
}

# The +iommu unit's initramfs: the kernel's, plus a second cpio (the kernel
# unpacks concatenated archives in order) that adds /etc/wd/iommu.
make_iommu_initramfs() {
	local name=$1 unit="$1+iommu" stage
	stage="$RUNDIR/$unit/initrd-add"
	rm -rf "$stage" && mkdir -p "$stage/etc/wd" && : >"$stage/etc/wd/iommu"
	{
		cat "$RUNDIR/$name/initrd.gz"
		(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1)
	} >"$RUNDIR/$unit/initrd.gz"
}

fetch_busybox_arm64() {
	local dst="$CHROOT/wd/busybox-arm64" deb
	deb=$(ls "$WD_CACHE"/debs/busybox-static_*_arm64.deb 2>/dev/null | head -1)
	if [ -z "$deb" ]; then
		apt_state_init trixie
		(cd "$WD_CACHE/debs" && apt_g trixie download busybox-static:arm64 >/dev/null) || return 1
		deb=$(ls "$WD_CACHE"/debs/busybox-static_*_arm64.deb | head -1)
	fi
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/busybox >"$dst" && chmod +x "$dst"
	echo "$dst"
}

# The QEMU command line for one unit, one argument per line.
qemu_args() {
	local unit=$1 name kv arch machine
	name=$(unit_kernel "$unit")
	kv=$(kernel_kv "$name") arch=$(kernel_field "$name" 3)
	local console append mem=1024
	console=$(kernel_field "$name" 5)
	# log_buf_len: the kernel log must hold a whole run (guest/init checks
	# that it lost nothing): sdmdev-fuzz behind the vIOMMU alone logs about
	# 130 KB, the size of Debian's default ring (CONFIG_LOG_BUF_SHIFT=17).
	append="console=$console panic=-1 oops=panic loglevel=4 log_buf_len=4M"
	if [ "$arch" = arm64 ]; then
		echo qemu-system-aarch64
		machine="virt"
		printf '%s\n' -cpu max,pauth-impdef=on
	else
		echo qemu-system-x86_64
		machine="q35"
		printf '%s\n' -cpu max
	fi
	if unit_iommu "$unit"; then
		if [ "$arch" = arm64 ]; then
			# Before the model so it translates for it; no kernel option
			# needed (strict DMA mode is Debian arm64's default).
			printf '%s\n' -device virtio-iommu-pci
		else
			# VT-d: caching-mode=on makes QEMU see every map, which VFIO
			# (and so vfio-user) devices need; aw-bits=48 gives the
			# domain room above the parent driver's 40-bit DMA mask for
			# sdmdev's IOVA window; intremap needs a split irqchip.
			machine+=",kernel-irqchip=split"
			printf '%s\n' -device intel-iommu,caching-mode=on,aw-bits=48,intremap=on
			append+=" intel_iommu=on"
		fi
	fi
	if [ "$MODEL" = on ]; then
		machine+=",memory-backend=mem"
		printf '%s\n' -object "memory-backend-memfd,id=mem,size=${mem}M,share=on"
		# One ZIP PF per model process, in order: the first gets the
		# lower PCI address and the port wd.control, the n-th
		# (n >= 1) zip$n.sock and wd.control$n.
		local fn sfx
		for fn in $(seq 0 $((MODEL_FNS - 1))); do
			sfx=${fn#0}
			printf '%s\n' -device "{\"driver\":\"vfio-user-pci\",\"socket\":{\"type\":\"unix\",\"path\":\"/wd/run/$unit/zip$sfx.sock\"}}"
		done
		printf '%s\n' -device "{\"driver\":\"vfio-user-pci\",\"socket\":{\"type\":\"unix\",\"path\":\"/wd/run/$unit/$MODEL_VF_SOCK\"}}"
		printf '%s\n' -device virtio-serial-pci
		for fn in $(seq 0 $((MODEL_FNS - 1))); do
			sfx=${fn#0}
			printf '%s\n' -chardev "socket,id=wdctl$fn,path=/wd/run/$unit/control$sfx.sock" \
				-device "virtserialport,chardev=wdctl$fn,name=wd.control$sfx"
		done
	fi
	printf '%s\n' -machine "$machine" -accel tcg -smp 2 -m "$mem" -nographic \
		-no-reboot -kernel "$(kernel_image "$kv")" \
		-initrd "/wd/run/$unit/initrd.gz" -append "$append"
	if [ -n "$SHARE_DIR" ]; then
		printf '%s\n' -fsdev "local,id=wdshare,path=/wd/share,security_model=none" \
			-device "virtio-9p-pci,fsdev=wdshare,mount_tag=wdshare"
	fi
}

# Firmware clears the screen with escape sequences that can land in front of
# our first marker: drop them and the CRs of the serial line.
clean_console() {
	sed -u -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[c()][0-9A-Za-z]\?//g' -e 's/\r$//'
}

# One boot: start the model (if any), run QEMU, stop the model. Runs inside
# the chroot so QEMU, the model and their sockets share one filesystem.
boot_once() {
	local name=$1
	local log="$RUNDIR/$name/console.log" script="$RUNDIR/$name/boot.sh" args fn sfx vf
	mapfile -t args < <(qemu_args "$name")
	{
		echo 'set -u'
		echo "cd /wd/run/$name"
		if [ "$MODEL" = on ]; then
			echo 'models=""'
			for fn in $(seq 0 $((MODEL_FNS - 1))); do
				sfx=${fn#0}
				echo "rm -f zip$sfx.sock model$sfx.ready"
				vf=""
				[ "$fn" = 0 ] && vf=" --vf-socket $MODEL_VF_SOCK"
				echo "/wd/build/u-amd64/tests/hwmodel/wd-hwmodel --socket zip$sfx.sock$vf --control control$sfx.sock --ready-file model$sfx.ready${WD_MODEL_TRACE:+ -v} 2>model$sfx.log &"
				echo 'model=$!; models="$models $model"'
				echo "for i in \$(seq 100); do [ -e model$sfx.ready ] && break; kill -0 \$model 2>/dev/null || break; sleep 0.1; done"
				echo "[ -e model$sfx.ready ] || { echo 'WD-HOST: device model $fn did not start'; cat model$sfx.log; kill \$models 2>/dev/null; exit 97; }"
			done
		fi
		printf 'timeout -k 5 %s' "$VM_TIMEOUT"
		printf " '%s'" "${args[@]}"
		echo
		echo 'rc=$?'
		[ "$MODEL" = on ] && echo 'kill $models 2>/dev/null; wait $models 2>/dev/null'
		echo 'exit $rc'
	} >"$script"
	if [ "$VERBOSE" -gt 0 ]; then
		in_chroot sh "/wd/run/$name/boot.sh" 2>&1 | clean_console | tee "$log" >&2
	else
		in_chroot sh "/wd/run/$name/boot.sh" 2>&1 | clean_console >"$log"
	fi
}

# Boot NAME (retrying once on an early-boot crash) and write its results.
boot_kernel() {
	local name=$1
	local log="$RUNDIR/$name/console.log" res="$RUNDIR/$name/results"
	: >"$res"
	boot_once "$name"
	if ! grep -q '^WD-BOOT' "$log"; then
		cp "$log" "$RUNDIR/$name/console.first.log"
		log "$name: crashed before /init; retrying once (first log: $RUNDIR/$name/console.first.log)"
		echo "note $name/boot retried after an early-boot crash" >>"$res"
		boot_once "$name"
	fi
	parse_console "$name" "$log" >>"$res"
}

# Splats that fail a run even when every test passed.
SPLAT_RE='Oops|BUG:|WARNING:|Kernel panic|general protection fault|Call Trace:|possible circular locking|possible recursive locking|INFO: task .* blocked|UBSAN:|KASAN:|refcount_t:|list_add corruption|list_del corruption|segfault at'

parse_console() {
	local name=$1 log=$2
	if ! grep -q '^WD-BOOT' "$log"; then
		echo "FAIL $name/boot"
		tail -n 30 "$log" | sed 's/^/  | /' >&2
		return
	fi
	echo "ok $name/boot"
	if [ -n "$EXEC_CMD" ]; then
		sed -n '/^WD-EXEC-BEGIN/,/^WD-EXEC-RC/{/^WD-EXEC-/d;p}' "$log" >"$RUNDIR/$name/exec.out"
		local rc
		rc=$(sed -n 's/^WD-EXEC-RC //p' "$log")
		echo "${rc:-255}" >"$RUNDIR/$name/exec.rc"
		if [ "$rc" = 0 ]; then echo "ok $name/exec"; else echo "FAIL $name/exec"; fi
	fi
	sed -n 's/^WD-RESULT \(ok\|FAIL\) \(.*\)$/\1 '"$name"'\/\2/p' "$log"
	awk '/^WD-OUT / {sub(/^WD-OUT /, "  | "); print}' "$log" >&2
	local splat
	splat=$(sed -n '/^WD-DMESG-BEGIN/,/^WD-DMESG-END/p' "$log" | grep -E "$SPLAT_RE")
	[ -n "$splat" ] || splat=$(grep -v '^WD-' "$log" | grep -E "$SPLAT_RE")
	local lost
	lost=$(sed -n 's/^WD-KLOG-LOST \([0-9]*\)$/\1/p' "$log")
	if [ -n "$splat" ]; then
		echo "FAIL $name/kernel-log"
		sed 's/^/  | /' <<<"$splat" | head -n 20 >&2
	elif [ -n "$lost" ]; then
		# A WARN is logged below the console's loglevel: only the
		# ring has it, and a wrapped ring may have dropped it.
		echo "FAIL $name/kernel-log"
		echo "  | the kernel log ring overflowed: its first $lost records are lost (splats could be among them)" >&2
	else
		echo "ok $name/kernel-log"
	fi
	if grep -q '^WD-DONE' "$log"; then
		echo "ok $name/shutdown"
	else
		echo "FAIL $name/shutdown"
		tail -n 20 "$log" | sed 's/^/  | /' >&2
	fi
}
