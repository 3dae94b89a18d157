#!/bin/busybox sh
# /init of @virt's test guest: report, load the virtio modules, check the
# disk and the network, say it is ready, then power off (or give a shell
# with virt.shell on the kernel command line).
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "virt-guest: Linux $(uname -r) up after $(cut -d' ' -f1 /proc/uptime) s, $(grep -c ^processor /proc/cpuinfo) CPU(s)"
for module in $(cat /etc/virt-modules); do insmod "/lib/modules/$module.ko" 2>/dev/null; done
echo "virt-guest: clock $(date -u +%Y-%m-%d), rtc $(cat /sys/class/rtc/rtc0/name 2>/dev/null || echo none)"
if [ -b /dev/vda ]; then
  echo "virt-guest: disk vda $(cat /sys/block/vda/size) sectors, first sector $(head -c 512 /dev/vda | md5sum | cut -d' ' -f1)"
else
  echo "virt-guest: no disk"
fi
if [ -e /sys/class/net/eth0 ]; then
  ip link set eth0 up
  echo "virt-guest: eth0 $(cat /sys/class/net/eth0/address)"
else
  echo "virt-guest: no network"
fi
echo "VIRT-GUEST-READY"
case " $(cat /proc/cmdline) " in
  *" virt.shell "*) exec setsid cttyhack sh ;;
esac
poweroff -f
