// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/AtomicFile.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

namespace emoscope {

namespace {

std::string errnoText() { return std::strerror(errno); }

std::string folderOf(const std::string& path)
{
    const std::string dir = std::filesystem::path(path).parent_path().string();
    return dir.empty() ? "." : dir;
}

// 64 unpredictable bits: another local user cannot guess the name to plant a link at it in advance.
std::string randomHex()
{
    unsigned char b[8];
    std::size_t got = 0;
    while (got < sizeof b) {
        const ssize_t n = ::getrandom(b + got, sizeof b - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::runtime_error(std::string("no random bytes for a temporary name: ") + errnoText());
        got += std::size_t(n);
    }
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (unsigned char c : b) {
        s += digits[c >> 4];
        s += digits[c & 15];
    }
    return s;
}

struct Temporary {
    std::string path;
    int fd = -1;
    dev_t dev = 0;
    ino_t ino = 0;
};

// O_EXCL with O_CREAT never follows a link and fails when the name exists: the file is ours and new.
Temporary createTemporary(const std::string& target)
{
    const std::filesystem::path t(target);
    for (int attempt = 0; attempt < 16; ++attempt) {
        std::string name(".");
        name.append(t.filename().string()).append(kTemporaryMarker).append(std::to_string(::getpid())).append(".").append(randomHex());
        Temporary tmp;
        tmp.path = (t.parent_path() / name).string();
        tmp.fd = ::open(tmp.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (tmp.fd < 0 && errno == EEXIST) continue;
        if (tmp.fd < 0) throw std::runtime_error(target + ": cannot create a temporary file: " + errnoText());
        struct stat st{};
        ::fstat(tmp.fd, &st);
        tmp.dev = st.st_dev;
        tmp.ino = st.st_ino;
        return tmp;
    }
    throw std::runtime_error(target + ": cannot create a temporary file (every name taken)");
}

// Temporaries of writers that were killed: our marker, a regular file we own, and its process gone or the file
// older than an hour (a live writer never takes that long; the PID may have been reused).
void removeStaleTemporaries(const std::string& dir)
{
    DIR* d = ::opendir(dir.c_str());
    if (!d) return;
    const auto now = std::chrono::system_clock::now();
    while (const dirent* e = ::readdir(d)) {
        const std::string name = e->d_name;
        const auto marker = name.find(kTemporaryMarker);
        if (name.empty() || name[0] != '.' || marker == std::string::npos) continue;
        const std::string rest = name.substr(marker + std::strlen(kTemporaryMarker));
        const auto dot = rest.find('.');
        if (dot == std::string::npos || dot == 0 || rest.size() - dot - 1 != 16) continue;
        char* end = nullptr;
        const long pid = std::strtol(rest.c_str(), &end, 10);
        if (end != rest.c_str() + dot || pid <= 0) continue;
        const std::string full = dir + "/" + name;
        struct stat st{};
        if (::lstat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) continue;
        const bool ownerGone = pid != ::getpid() && ::kill(pid_t(pid), 0) != 0 && errno == ESRCH;
        const auto age = now - std::chrono::system_clock::from_time_t(st.st_mtime);
        if (ownerGone || age > std::chrono::hours(1)) ::unlink(full.c_str());
    }
    ::closedir(d);
}

// Once per folder and process: a folder of many files (the feature cache) is not listed on every write.
void cleanFolderOnce(const std::string& dir)
{
    static std::mutex* mutex = new std::mutex; // never destroyed: writers may run during exit
    static std::set<std::string>* done = new std::set<std::string>;
    {
        std::lock_guard<std::mutex> lock(*mutex);
        if (!done->insert(dir).second) return;
    }
    removeStaleTemporaries(dir);
}

// Data must reach the disk before the rename makes it visible, or a crash can leave an empty target.
void syncFd(int fd, const std::string& target)
{
    if (::fsync(fd) != 0) throw std::runtime_error(target + ": cannot flush to disk: " + errnoText());
}

// The folder entry of the rename must be durable too.
void syncDirectoryOf(const std::string& path)
{
    const int fd = ::open(folderOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd); // best effort: some filesystems refuse fsync on folders
        ::close(fd);
    }
}

void commit(const Temporary& tmp, const std::string& path)
{
    if (std::rename(tmp.path.c_str(), path.c_str()) != 0)
        throw std::runtime_error(path + ": cannot rename temporary file into place: " + errnoText());
    syncDirectoryOf(path);
}

void writeWith(const std::string& path, const std::function<void(Temporary&)>& body)
{
    if (path.empty()) throw std::runtime_error("(empty path): cannot write");
    cleanFolderOnce(folderOf(path));
    Temporary tmp = createTemporary(path);
    try {
        body(tmp);
        if (tmp.fd >= 0 && ::close(tmp.fd) != 0) {
            tmp.fd = -1;
            throw std::runtime_error(path + ": cannot write: " + errnoText());
        }
        tmp.fd = -1;
        commit(tmp, path);
    } catch (...) {
        if (tmp.fd >= 0) ::close(tmp.fd);
        ::unlink(tmp.path.c_str());
        throw;
    }
}

} // namespace

void writeFileAtomically(const std::string& path, const std::function<void(const std::string& tmpPath)>& write)
{
    writeWith(path, [&](Temporary& tmp) {
        ::close(tmp.fd); // the writer opens the file by name
        tmp.fd = -1;
        write(tmp.path);
        // Still the file created above (not replaced by a link or another file), then flushed.
        const int fd = ::open(tmp.path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) throw std::runtime_error(path + ": writer did not create the temporary file");
        tmp.fd = fd;
        struct stat st{};
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
            throw std::runtime_error(path + ": the temporary file is not a regular file");
        if (st.st_dev != tmp.dev || st.st_ino != tmp.ino)
            throw std::runtime_error(path + ": the temporary file was replaced while being written");
        if (st.st_size == 0) throw std::runtime_error(path + ": writer wrote nothing to the temporary file");
        syncFd(fd, path);
    });
}

void writeBytesAtomically(const std::string& path, const std::string& bytes)
{
    writeWith(path, [&](Temporary& tmp) {
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::write(tmp.fd, bytes.data() + done, bytes.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw std::runtime_error(path + ": cannot write: " + errnoText());
            done += std::size_t(n);
        }
        syncFd(tmp.fd, path);
    });
}

} // namespace emoscope
