// <linux/kvm.h> for C++. Debian 12's UAPI headers declare flexible array
// members (kvm_cpuid2.entries, kvm_msrs.entries, ...) through a C-only
// trick that in C++ adds a byte before the array, which moves the entries
// and changes the size encoded in the ioctl numbers. Newer kernels declare
// them as zero-length arrays for C++; so do we, and check the layout.
#pragma once

#include <linux/stddef.h>
#undef __DECLARE_FLEX_ARRAY
#define __DECLARE_FLEX_ARRAY(TYPE, NAME) TYPE NAME[0]

// zero-length arrays are a GNU extension the kernel's headers rely on
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#include <linux/kvm.h>
#pragma GCC diagnostic pop

#include <cstddef>

static_assert(sizeof(kvm_cpuid2) == 8 && offsetof(kvm_cpuid2, entries) == 8, "kvm_cpuid2 as the kernel lays it out");
static_assert(sizeof(kvm_msrs) == 8 && offsetof(kvm_msrs, entries) == 8, "kvm_msrs as the kernel lays it out");
static_assert(sizeof(kvm_msr_list) == 4 && offsetof(kvm_msr_list, indices) == 4, "kvm_msr_list as the kernel lays it out");
