# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# VM bench, set-up half: host tools, the trixie build/run chroot, and the
# stock Debian kernels (images + headers) resolved from the archive.
#
# Everything downloaded lands in $WD_CACHE and is keyed by exact package
# versions, so a warm run never touches the network. Sourced by tests/vm/run.

MIRROR=${WD_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${WD_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
CHROOT_RECIPE=5	# bump when the package list below changes

CHROOT_PKGS="make,gcc,gcc-12,libc6-dev,gcc-aarch64-linux-gnu,libc6-dev-arm64-cross,\
libelf1t64,libssl3t64,zlib1g,zlib1g-dev,pahole,kmod,cpio,xz-utils,bc,bison,flex,\
autoconf,automake,libtool,pkg-config,check,busybox-static,ca-certificates,rsync,\
python3,gzip"
CHROOT_BPO_PKGS="qemu-system-x86 qemu-system-arm"
CHROOT_ARM64_PKGS="zlib1g-dev:arm64 dkms"

# name  suite-state  arch  qemu  console
KERNEL_TABLE="\
debian12-amd64	bookworm	amd64	x86_64	ttyS0
debian13-amd64	trixie	amd64	x86_64	ttyS0
backports-amd64	backports	amd64	x86_64	ttyS0
debian13-arm64	trixie	arm64	aarch64	ttyAMA0"

kernel_names() { awk '{print $1}' <<<"$KERNEL_TABLE"; }
kernel_field() { awk -v n="$1" -v f="$2" '$1 == n {print $f}' <<<"$KERNEL_TABLE"; }

log() { printf '%s\n' "$*" >&2; }
vlog() { [ "$VERBOSE" -eq 0 ] || log "$@"; }
die() { log "tests/vm/run: $*"; exit 2; }

# Install host packages only when a command is missing: a warm run stays
# offline and a fresh Debian machine gets what it needs.
need_host_tools() {
	local missing=() cmd pkg
	for pair in debootstrap:debootstrap cpio:cpio xz:xz-utils zstd:zstd \
		    unshare:util-linux gzip:gzip flock:util-linux; do
		cmd=${pair%%:*} pkg=${pair#*:}
		command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "need root to install: ${missing[*]}"
	log "installing host packages: ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 ||
		die "apt-get install ${missing[*]} failed"
}

# Run a command inside the chroot with /dev, /proc and the bench's shared
# directories mounted in a private mount namespace: nothing leaks to the
# host, and nothing is left mounted if we are killed.
in_chroot() {
	local binds="" d
	for d in "${CHROOT_BINDS[@]}"; do
		binds+="mkdir -p '$CHROOT/${d#*:}' && mount --bind '${d%%:*}' '$CHROOT/${d#*:}' && "
	done
	unshare --mount --propagation private -- sh -c "
		mount --rbind /dev '$CHROOT/dev' && mount -t proc proc '$CHROOT/proc' &&
		mount -t tmpfs tmpfs '$CHROOT/tmp' && $binds
		exec chroot '$CHROOT' /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 \"\$@\"" sh "$@"
}
CHROOT_BINDS=()

ensure_chroot() {
	local stamp="$CHROOT/.wd-chroot-recipe"
	[ "$(cat "$stamp" 2>/dev/null)" = "$CHROOT_RECIPE" ] && return 0
	local new="$CHROOT.new.$$"
	log "creating the trixie build chroot in $CHROOT (once; ~2 min)"
	rm -rf "$new"
	debootstrap --variant=minbase --include="$CHROOT_PKGS" trixie "$new" \
		"$MIRROR" >"$WD_CACHE/debootstrap.log" 2>&1 ||
		die "debootstrap failed; see $WD_CACHE/debootstrap.log"
	cat >"$new/etc/apt/sources.list" <<-EOF
		deb $MIRROR trixie main
		deb $MIRROR trixie-backports main
	EOF
	CHROOT=$new in_chroot sh -c "
		dpkg --add-architecture arm64 && apt-get update -q &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			-t trixie-backports $CHROOT_BPO_PKGS &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			$CHROOT_ARM64_PKGS && apt-get clean" >>"$WD_CACHE/debootstrap.log" 2>&1 ||
		die "installing QEMU in the chroot failed; see $WD_CACHE/debootstrap.log"
	in_chroot_check_qemu "$new"
	echo "$CHROOT_RECIPE" >"$new/.wd-chroot-recipe"
	rm -rf "$CHROOT"
	mv "$new" "$CHROOT"
}

in_chroot_check_qemu() {
	local v
	v=$(CHROOT=$1 in_chroot qemu-system-x86_64 --version | head -1)
	log "chroot QEMU: $v"
	CHROOT=$1 in_chroot qemu-system-x86_64 -device help 2>/dev/null |
		grep -q vfio-user-pci || die "chroot QEMU lacks vfio-user-pci (need >= 10.1)"
}

# --- private apt state, one per suite group --------------------------------

apt_state_init() {
	local s=$1 dir="$WD_CACHE/apt/$1"
	mkdir -p "$dir/lists/partial" "$dir/archives/partial"
	case $s in
	bookworm) cat >"$dir/sources.list" <<-EOF ;;
		deb [arch=amd64] $MIRROR bookworm main
		deb [arch=amd64] $MIRROR bookworm-updates main
		deb [arch=amd64] $SECURITY_MIRROR bookworm-security main
	EOF
	trixie) cat >"$dir/sources.list" <<-EOF ;;
		deb [arch=amd64,arm64] $MIRROR trixie main
		deb [arch=amd64,arm64] $MIRROR trixie-updates main
		deb [arch=amd64,arm64] $SECURITY_MIRROR trixie-security main
	EOF
	backports) cat >"$dir/sources.list" <<-EOF ;;
		deb [arch=amd64] $MIRROR trixie main
		deb [arch=amd64] $MIRROR trixie-backports main
	EOF
	sid) cat >"$dir/sources.list" <<-EOF ;;
		deb [arch=amd64] $MIRROR sid main
	EOF
	esac
}

apt_opts() {
	local dir="$WD_CACHE/apt/$1"
	printf '%s\n' -q -o "Dir::Etc::SourceList=$dir/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$dir/lists" \
		-o "Dir::Cache=$dir" -o "Dir::Cache::archives=$dir/archives" \
		-o Dir::State::status=/dev/null -o APT::Architectures::=amd64 \
		-o APT::Architectures::=arm64 -o Acquire::Languages=none \
		-o APT::Sandbox::User=root
	[ "$1" = backports ] && printf '%s\n' -o APT::Default-Release=trixie-backports
	return 0
}

apt_q() { local s=$1; shift; mapfile -t o < <(apt_opts "$s"); apt-cache "${o[@]}" "$@"; }
apt_g() { local s=$1; shift; mapfile -t o < <(apt_opts "$s"); apt-get "${o[@]}" "$@"; }

# Depends of one package, names only (first alternative, no virtuals).
apt_depends() {
	apt_q "$1" depends --no-recommends --no-suggests "$2" 2>/dev/null |
		awk '/^ [ |]Depends: / {n = $2; gsub(/[<>]/, "", n); print n}'
}

# Resolve a kernel name to its exact packages. Writes $WD_CACHE/kernels/NAME.pkgs:
#   KV=<uname -r>  IMAGE="pkg ..."  HEADERS="pkg ..."
# Resolution uses the network; --offline (or a warm cache) reuses the file.
resolve_kernel() {
	local name=$1 state arch meta kv pkgs_img pkgs_hdr p suffix=""
	local out="$WD_CACHE/kernels/$name.pkgs"
	if [ -s "$out" ] && { [ "$OFFLINE" -eq 1 ] || [ -n "$(find "$out" -mmin -720)" ]; }; then
		return 0
	fi
	[ "$OFFLINE" -eq 1 ] && die "$name: not in the cache and --offline given"
	state=$(kernel_field "$name" 2) arch=$(kernel_field "$name" 3)
	apt_state_init "$state"
	if [ ! -f "$WD_CACHE/apt/$state/.updated" ] ||
	   [ -n "$(find "$WD_CACHE/apt/$state/.updated" -mmin +720)" ]; then
		if ! apt_g "$state" update >/dev/null 2>&1; then
			# Offline with a warm cache: keep testing what we have.
			if [ -s "$out" ]; then
				log "$name: archive unreachable; using the cached $(kernel_kv "$name")"
				return 0
			fi
			die "apt-get update ($state) failed and $name is not cached"
		fi
		touch "$WD_CACHE/apt/$state/.updated"
	fi
	[ "$arch" = arm64 ] && suffix=":arm64"
	meta=$(apt_depends "$state" "linux-headers-$arch$suffix" | grep '^linux-headers-' | head -1)
	[ -n "$meta" ] || die "$name: cannot resolve linux-headers-$arch in $state"
	meta=${meta%:arm64}
	kv=${meta#linux-headers-}
	# Header side: the flavour package and what it needs from linux-*.
	pkgs_hdr="$meta$suffix"
	for p in $(apt_depends "$state" "$meta$suffix"); do
		case ${p%:*} in
		linux-headers-*-common) pkgs_hdr+=" ${p%:*}" ;;
		linux-kbuild-*) pkgs_hdr+=" ${p%:*}:amd64" ;;	# runs on the build host
		esac
	done
	# Image side: the unsigned image, or (7.x split packaging) binary + modules.
	if apt_q "$state" show "linux-image-$kv-unsigned$suffix" >/dev/null 2>&1; then
		pkgs_img="linux-image-$kv-unsigned$suffix"
	else
		pkgs_img="linux-binary-$kv$suffix linux-modules-$kv$suffix"
	fi
	mkdir -p "$WD_CACHE/kernels"
	printf 'KV=%s\nIMAGE="%s"\nHEADERS="%s"\n' "$kv" "$pkgs_img" "$pkgs_hdr" >"$out.tmp"
	mv "$out.tmp" "$out"
}

# Download (once) and unpack (once) a kernel: the image into
# $CHROOT/wd/kernels/KV, the headers into the chroot's / because Debian's
# header Makefiles name /usr/src/... absolutely.
fetch_kernel() {
	local name=$1 state kv IMAGE HEADERS KV root
	state=$(kernel_field "$name" 2)
	# shellcheck disable=SC1090
	. "$WD_CACHE/kernels/$name.pkgs"
	kv=$KV root="$CHROOT/wd/kernels/$kv"
	[ -f "$root/.wd-unpacked" ] && [ -f "$CHROOT/.wd-headers-$kv" ] && return 0
	local dl="$WD_CACHE/debs/$name" p
	mkdir -p "$dl"
	local want=()
	for p in $IMAGE $HEADERS; do
		compgen -G "$dl/${p%%:*}_*.deb" >/dev/null || want+=("$p")
	done
	if [ ${#want[@]} -gt 0 ]; then
		[ "$OFFLINE" -eq 1 ] && die "$name: packages missing from the cache: ${want[*]}"
		apt_state_init "$state"
		log "$name: downloading ${want[*]}"
		(cd "$dl" && apt_g "$state" download "${want[@]}" >/dev/null) ||
			die "$name: apt-get download failed"
	fi
	if [ ! -f "$root/.wd-unpacked" ]; then
		rm -rf "$root" && mkdir -p "$root"
		for p in $IMAGE; do
			dpkg-deb --fsys-tarfile "$(ls "$dl/${p%%:*}"_*.deb | head -1)" |
				tar -C "$root" -x --keep-directory-symlink || die "$name: unpack $p"
		done
		# Packages ship no modules.dep (depmod runs at install): make one.
		[ -e "$root/lib" ] || ln -s usr/lib "$root/lib"
		in_chroot depmod -b "/wd/kernels/$kv" "$kv" 2>"$root/depmod.log" ||
			die "$name: depmod failed; see $root/depmod.log"
		touch "$root/.wd-unpacked"
	fi
	if [ ! -f "$CHROOT/.wd-headers-$kv" ]; then
		for p in $HEADERS; do
			dpkg-deb --fsys-tarfile "$(ls "$dl/${p%%:*}"_*.deb | head -1)" |
				tar -C "$CHROOT" -x --keep-directory-symlink || die "$name: unpack $p"
		done
		touch "$CHROOT/.wd-headers-$kv"
	fi
}

kernel_kv() { (. "$WD_CACHE/kernels/$1.pkgs" && echo "$KV"); }

# The kernel image inside its unpacked root (layouts differ between 6.1 and 7.x).
kernel_image() {
	local kv=$1 root="$CHROOT/wd/kernels/$1" f
	for f in "$root/boot/vmlinuz-$kv" "$root/usr/lib/modules/$kv/vmlinuz" \
		 "$root/lib/modules/$kv/vmlinuz" "$root/boot/vmlinux-$kv"; do
		[ -f "$f" ] && { echo "${f#"$CHROOT"}"; return 0; }
	done
	return 1
}

kernel_moddir() {
	local d="$CHROOT/wd/kernels/$1/lib/modules/$1"
	[ -f "$d/modules.dep" ] && echo "$d"
}
