#!/bin/busybox sh
# /init of the nested-KVM harness guest: load KVM for SVM, the 9p stack,
# overlayfs, TUN and bridging; mount the host's root read-only over 9p with
# a tmpfs overlay on top; chroot into it and run the command the host put
# in a file named on the kernel command line (virt.run=<path on the host>);
# report its exit status.
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev /host /rw /root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for module in $(cat /etc/virt-modules); do insmod "/lib/modules/$module.ko" || echo "nested-kvm: cannot load $module"; done
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose host /host || { echo "nested-kvm: cannot mount the host's root"; poweroff -f; }
mount -t tmpfs -o size=75% tmpfs /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/host,upperdir=/rw/upper,workdir=/rw/work overlay /root
for fs in proc sys dev; do mount --rbind /$fs /root/$fs; done
# /tmp and /run stay the host's, under the overlay: a checkout under /tmp must remain visible
mkdir -p /root/dev/net /root/dev/shm
[ -e /root/dev/net/tun ] || mknod /root/dev/net/tun c 10 200
script=$(sed -n 's/.*virt\.run=\([^ ]*\).*/\1/p' /proc/cmdline)
echo "nested-kvm: running"
chroot /root /bin/sh "$script" </dev/console >/dev/console 2>&1
echo "nested-kvm: exit $?"
poweroff -f
