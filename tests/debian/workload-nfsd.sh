# nfsd: start the server (NFSv4 only: no rpcbind needed), allow localhost
# without mountd (auth.unix.ip entry written directly), send SEQUENCE.
prepare() {
	ip link set lo up
	mkdir -p /proc/fs/nfsd /var/lib/nfs/v4recovery
	mount -t nfsd nfsd /proc/fs/nfsd
	echo "-2 -3 +4 +4.1" >/proc/fs/nfsd/versions
	echo 2 >/proc/fs/nfsd/threads
	echo "nfsd 127.0.0.1 2147483647 localhost" >/proc/net/rpc/auth.unix.ip/channel
	[ "$(cat /proc/fs/nfsd/threads)" = 2 ]
}
workload() {
	# nc stops reading once its input ends: keep it open for the answer.
	(cat /ksplice/sequence.rpc; sleep 2) | nc 127.0.0.1 2049 >/tmp/reply || true
	reply=$(od -An -tx1 /tmp/reply | tr -d ' \n')
	echo "nfsd reply: $reply"
	# xid 1, an accepted REPLY, then one result: SEQUENCE (0x35), NFS4ERR_BADSESSION (10052).
	case $reply in
	8*00000001000000010000000000000000*000000010000003500002744) return 0 ;;
	*) return 1 ;;
	esac
}
reach() { workload; }
