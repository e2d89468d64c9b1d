// SPDX-License-Identifier: GPL-3.0-or-later
// Whether this test binary is the AddressSanitizer build (tests/sanitize.sh). There a process's resident memory
// includes ASan's shadow memory and its quarantine of freed blocks (256 MB by default), so memory bounds are not
// the program's own: tests that bound RSS still log the figure but do not compare it.
#pragma once

namespace testdata {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif

} // namespace testdata
