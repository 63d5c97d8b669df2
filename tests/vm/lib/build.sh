# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# VM bench, build half: stage the working tree into the chroot, build the
# modules once per kernel the way dkms does (configure --with-linux, then
# make -C module), and user space once per architecture (static, for the
# guest; the amd64 build also gives the host the device model).
#
# Layout inside the chroot:
#   /wd/src                 staged tree, autogen'd once per run
#   /wd/build/k-<name>      copy of /wd/src configured for one kernel
#   /wd/build/u-<arch>      user-space build for one architecture
#   /wd/build/u-<arch>/root installed user space (make install DESTDIR=...)

# Copy tracked and untracked-but-not-ignored files: what the developer is
# working on, without in-tree build output.
stage_sources() {
	local dst="$CHROOT/wd/src"
	rm -rf "$dst" && mkdir -p "$dst"
	if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$TOP" && git ls-files -z -co --exclude-standard |
			xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
			tar --null -cf - -T -) | tar -C "$dst" -xf -
	else
		(cd "$TOP" && tar --exclude=.git -cf - .) | tar -C "$dst" -xf -
	fi
	in_chroot sh -c 'cd /wd/src && ./autogen.sh' >"$LOGDIR/autogen.log" 2>&1
}

arch_host() {
	case $1 in
	arm64) echo aarch64-linux-gnu ;;
	*) echo x86_64-linux-gnu ;;
	esac
}

# --modules-from DIR: take NAME's modules from DIR/NAME instead of building
# them (tests/pkg/run boots what dkms built); they must be for this kernel.
modules_from() {
	local name=$1 kv dir="/wd/build/k-$1" m v
	kv=$(kernel_kv "$name")
	rm -rf "$CHROOT$dir" && mkdir -p "$CHROOT$dir/module"
	for m in sdmdev hisi_zip; do
		[ -f "$MODULES_FROM/$name/$m.ko" ] ||
			{ echo "no $MODULES_FROM/$name/$m.ko"; return 1; }
		cp "$MODULES_FROM/$name/$m.ko" "$CHROOT$dir/module/" || return 1
		v=$(in_chroot /sbin/modinfo -F vermagic "$dir/module/$m.ko") || return 1
		echo "$m.ko from $MODULES_FROM/$name: vermagic $v"
		[ "${v%% *}" = "$kv" ] || { echo "$m.ko is not for $kv"; return 1; }
	done
}

# build_kernel_modules NAME: configure + make -C module; exit status is the result.
build_kernel_modules() {
	local name=$1 kv arch dir
	if [ -n "${MODULES_FROM:-}" ]; then
		modules_from "$name" >"$LOGDIR/build-$name.log" 2>&1
		return
	fi
	kv=$(kernel_kv "$name") arch=$(kernel_field "$name" 3)
	dir="/wd/build/k-$name"
	rm -rf "$CHROOT$dir" && cp -a "$CHROOT/wd/src" "$CHROOT$dir"
	in_chroot sh -c "cd $dir && ./configure --host=$(arch_host "$arch") \
		--with-linux=/usr/src/linux-headers-$kv --disable-silent-rules \
		&& make -C module modules-w1 && make -C module bench-modules-w1" \
		>"$LOGDIR/build-$name.log" 2>&1 || return 1
	# W=1 is the bar for our code: any warning from our sources fails the build.
	if grep -E "^(/wd/build/k-$name/)?(module|tests/vm/guest/kmod)/.*: warning:" "$LOGDIR/build-$name.log" >&2; then
		log "$name: compiler warnings in our modules (see $LOGDIR/build-$name.log)"
		return 1
	fi
	[ -f "$CHROOT$dir/module/sdmdev.ko" ] && [ -f "$CHROOT$dir/module/hisi_zip.ko" ]
}

build_user() {
	local arch=$1 dir="/wd/build/u-$1"
	rm -rf "$CHROOT$dir" && mkdir -p "$CHROOT$dir"
	in_chroot sh -c "cd $dir && /wd/src/configure --host=$(arch_host "$arch") \
		--disable-modules --enable-werror --enable-static-programs \
		--prefix=/usr --disable-silent-rules && make -j$JOBS && \
		make install DESTDIR=$dir/root" >"$LOGDIR/build-user-$arch.log" 2>&1
}

# Run the builds in parallel; record one result per build in $LOGDIR/result.*.
run_builds() {
	local pids=() name arch
	for arch in $(needed_arches); do
		(build_user "$arch"; echo $? >"$LOGDIR/result.user-$arch") &
		pids+=($!)
	done
	for name in "${KERNELS[@]}"; do
		(build_kernel_modules "$name"; echo $? >"$LOGDIR/result.build-$name") &
		pids+=($!)
	done
	wait "${pids[@]}"
}

needed_arches() {
	local name arches="amd64"	# amd64 always: the host runs the device model
	for name in "${KERNELS[@]}"; do
		arches+=" $(kernel_field "$name" 3)"
	done
	tr ' ' '\n' <<<"$arches" | sort -u
}
