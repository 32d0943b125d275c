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
	# The server answers: an RPC reply (after the record mark: xid 1, REPLY).
	nc -w 3 127.0.0.1 2049 </ksplice/sequence.rpc >/tmp/reply || true
	echo "nfsd reply: $(head -c 64 /tmp/reply | od -An -tx1 | tr -d ' \n')"
	[ "$(head -c 12 /tmp/reply | od -An -tx1 | tr -d ' \n' | cut -c9-24)" = "0000000100000001" ]
}
reach() { workload; }
