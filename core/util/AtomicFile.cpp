// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/AtomicFile.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

#include <fcntl.h>
#include <unistd.h>

namespace emoscope {

namespace {

std::string errnoText() { return std::strerror(errno); }

// Unique per process and call, so concurrent writers of the same target never share a temporary.
std::string temporaryPathFor(const std::string& path)
{
    static std::atomic<unsigned> counter{0};
    const std::filesystem::path target(path);
    // Built with append, not a chain of operator+ (which trips GCC 12's -Wrestrict false positive).
    std::string name(".");
    name.append(target.filename().string())
        .append(".tmp.")
        .append(std::to_string(::getpid()))
        .append(".")
        .append(std::to_string(counter.fetch_add(1)));
    return (target.parent_path() / name).string();
}

// Data must reach the disk before the rename makes it visible, or a crash can leave an empty target.
void syncFile(const std::string& path, const std::string& target)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw std::runtime_error(target + ": cannot reopen temporary file to flush: " + errnoText());
    const int rc = ::fsync(fd);
    const int savedErrno = errno;
    ::close(fd);
    if (rc != 0) {
        errno = savedErrno;
        throw std::runtime_error(target + ": cannot flush to disk: " + errnoText());
    }
}

// The folder entry of the rename must be durable too.
void syncDirectoryOf(const std::string& path)
{
    std::filesystem::path dir = std::filesystem::path(path).parent_path();
    if (dir.empty())
        dir = ".";
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd); // best effort: some filesystems refuse fsync on folders
        ::close(fd);
    }
}

} // namespace

void writeFileAtomically(const std::string& path, const std::function<void(const std::string& tmpPath)>& write)
{
    if (path.empty())
        throw std::runtime_error("(empty path): cannot write");
    const std::string tmp = temporaryPathFor(path);
    try {
        write(tmp);
        std::error_code ec;
        if (!std::filesystem::is_regular_file(tmp, ec))
            throw std::runtime_error(path + ": writer did not create the temporary file");
        syncFile(tmp, path);
        if (std::rename(tmp.c_str(), path.c_str()) != 0)
            throw std::runtime_error(path + ": cannot rename temporary file into place: " + errnoText());
    } catch (...) {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        throw;
    }
    syncDirectoryOf(path);
}

void writeBytesAtomically(const std::string& path, const std::string& bytes)
{
    writeFileAtomically(path, [&](const std::string& tmp) {
        std::FILE* f = std::fopen(tmp.c_str(), "wb");
        if (!f)
            throw std::runtime_error(path + ": cannot create temporary file: " + errnoText());
        const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size() && std::fflush(f) == 0;
        const int savedErrno = errno;
        const bool closed = std::fclose(f) == 0;
        if (!ok || !closed) {
            errno = savedErrno;
            throw std::runtime_error(path + ": cannot write: " + errnoText());
        }
    });
}

} // namespace emoscope
