# ext4 mballoc: allocate blocks in a fresh group on a loop-mounted image,
# so the buddy cache is loaded (ext4_mb_load_buddy_gfp, ext4_mb_init_cache).
prepare() {
	mkdir -p /mnt/ext4
	mount -t ext4 -o loop /ksplice/ext4.img /mnt/ext4
}
round=0
workload() {
	round=$((round + 1))
	# Remount: a cold buddy cache, so loading it runs again.
	umount /mnt/ext4
	echo 3 >/proc/sys/vm/drop_caches
	mount -t ext4 -o loop /ksplice/ext4.img /mnt/ext4
	for i in 1 2 3 4; do
		dd if=/dev/zero of=/mnt/ext4/f$round.$i bs=64k count=8 2>/dev/null
	done
	sync
	rm -f /mnt/ext4/f$round.1 /mnt/ext4/f$round.3
	sync
	[ "$(cat /mnt/ext4/f$round.2 | wc -c)" = 524288 ]
}
reach() { workload; }
