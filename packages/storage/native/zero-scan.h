// Finding zero and non-zero sectors in a buffer: convert looks at every
// byte it copies for runs of zeros to leave sparse, and doing that in
// JavaScript (slices and comparisons per 512-byte sector) cost more than
// the copy itself.
#pragma once

#include <napi.h>

namespace virt_storage {

// zeroSectors(buf, sectorSize): how many whole sectors at the start of buf
// are all zeros (a partial last sector counts as one).
Napi::Value ZeroSectors(const Napi::CallbackInfo& info);
// sectorRuns(buf, sectorSize): a promise of where each run of zero and
// non-zero sectors ends (alternating, a zero run first), scanned on the
// thread pool.
Napi::Value SectorRuns(const Napi::CallbackInfo& info);

}  // namespace virt_storage
