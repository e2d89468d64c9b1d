// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/SameFile.h"

#include <filesystem>
#include <system_error>

#include <sys/stat.h>

namespace emoscope {

bool sameFile(const std::string& a, const std::string& b)
{
    struct stat sa{}, sb{};
    const bool ea = ::stat(a.c_str(), &sa) == 0, eb = ::stat(b.c_str(), &sb) == 0;
    if (ea && eb) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    if (ea != eb) return false; // one exists, the other does not: different names for sure
    std::error_code ec1, ec2;
    const auto ca = std::filesystem::weakly_canonical(a, ec1), cb = std::filesystem::weakly_canonical(b, ec2);
    return !ec1 && !ec2 && ca == cb;
}

} // namespace emoscope
