// SPDX-License-Identifier: GPL-3.0-or-later
// Container layout (little-endian):
//   16-byte magic, u32 container version, u64 payload size,
//   payload = u64 JSON length + JSON + u32 tensor count + tensors (u32 name length, name, u8 dtype,
//   u32 ndim, i64 dims..., raw data), then u32 CRC-32 of the payload.
// A home-grown container rather than a torch archive: a truncated or bit-flipped file is always detected (size +
// checksum), the JSON can be read without touching torch, and loading can never run code (TorchScript can).
#include "model/TensorContainer.h"
#include "model/ModelError.h"
#include "util/Crc32.h"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace emoscope {

// The compiler macro rather than C++20 std::endian: the fuzz build compiles the torch layers as C++17.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the container reads and writes little-endian data natively");

const ContainerKind kModelContainer{"EMOSCOPE-MODEL\n\0", "Emoscope model"};
const ContainerKind kCheckpointContainer{"EMOSCOPE-CKPT\n\0\0", "Emoscope checkpoint"};

namespace {

constexpr std::uint32_t kContainerVersion = 1;
constexpr std::size_t kHeaderSize = 16 + 4 + 8;
constexpr std::uint64_t kMaxFileSize = 1ull << 31; // 2 GB: anything larger is not one of ours
constexpr std::uint64_t kMaxJsonSize = 4ull << 20;  // cards and checkpoint states are a few KB

template <typename T> void put(std::string& out, T v)
{
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    out.append(b, sizeof(T));
}

// Bounds-checked reader over the payload: running off the end means the file lies about its contents.
class Reader {
public:
    Reader(const char* p, std::size_t n) : p_(p), n_(n) {}
    template <typename T> T get()
    {
        need(sizeof(T));
        T v;
        std::memcpy(&v, p_ + pos_, sizeof(T));
        pos_ += sizeof(T);
        return v;
    }
    const char* take(std::uint64_t n)
    {
        need(n);
        const char* r = p_ + pos_;
        pos_ += std::size_t(n);
        return r;
    }
    bool atEnd() const { return pos_ == n_; }

private:
    void need(std::uint64_t n)
    {
        if (n > n_ - pos_) throw std::runtime_error("corrupt (a length runs past the end of the data)");
    }
    const char* p_;
    std::size_t n_;
    std::size_t pos_ = 0;
};

bool startsWith(const std::string& b, const char* s) { return b.compare(0, std::strlen(s), s) == 0; }

// What a file that is not this kind of container most likely is, for the message.
std::string whatItIs(const std::string& b, const ContainerKind& kind)
{
    const ContainerKind& other = &kind == &kModelContainer ? kCheckpointContainer : kModelContainer;
    if (b.size() >= 16 && std::memcmp(b.data(), other.magic, 16) == 0)
        return std::string("an ") + other.noun + ", not an " + kind.noun;
    if (startsWith(b, "RIFF") || startsWith(b, "fLaC") || startsWith(b, "OggS") || startsWith(b, "ID3"))
        return std::string("an audio file, not an ") + kind.noun;
    if (startsWith(b, "PK")) {
        if (&kind == &kCheckpointContainer)
            return "an old-format (TorchScript) checkpoint, which is not loaded because it could run code; "
                   "delete it and train again";
        return std::string("a zip/torch archive, not an ") + kind.noun;
    }
    return std::string("not an ") + kind.noun + " (bad magic)";
}

std::uint64_t headerPayloadSize(const std::string& path, const std::string& head, std::uint64_t fileSize,
                                const ContainerKind& kind)
{
    if (head.size() < 16 || std::memcmp(head.data(), kind.magic, 16) != 0) {
        if (head.size() < 16 && std::string(kind.magic, head.size()) == head)
            throw ModelError(path, "truncated (" + std::to_string(fileSize) + " bytes, shorter than the header)");
        throw ModelError(path, whatItIs(head, kind));
    }
    if (head.size() < kHeaderSize)
        throw ModelError(path, "truncated (" + std::to_string(fileSize) + " bytes, shorter than the header)");
    std::uint32_t version;
    std::uint64_t payloadSize;
    std::memcpy(&version, head.data() + 16, 4);
    std::memcpy(&payloadSize, head.data() + 20, 8);
    if (version != kContainerVersion)
        throw ModelError(path, "unsupported file version " + std::to_string(version) + " (expected " +
                                   std::to_string(kContainerVersion) + ")");
    // Compared without adding to payloadSize, which would wrap for a crafted size.
    const std::uint64_t room = fileSize - kHeaderSize;
    if (payloadSize > kMaxFileSize)
        throw ModelError(path, "corrupt (header claims a " + std::to_string(payloadSize) + "-byte payload)");
    if (room < 4 || payloadSize > room - 4)
        throw ModelError(path, "truncated (the header says " + std::to_string(kHeaderSize + payloadSize + 4) +
                                   " bytes, the file has " + std::to_string(fileSize) + ")");
    if (payloadSize < room - 4) throw ModelError(path, "corrupt (trailing bytes after the checksum)");
    return payloadSize;
}

std::string errnoText() { return std::strerror(errno); }

} // namespace

ContainerFile parseContainer(const std::string& path, std::string bytes, const ContainerKind& kind)
{
    if (bytes.empty()) throw ModelError(path, std::string("empty file, not an ") + kind.noun);
    const std::uint64_t payloadSize =
        headerPayloadSize(path, bytes.substr(0, std::min<std::size_t>(bytes.size(), kHeaderSize)), bytes.size(), kind);
    ContainerFile out;
    out.bytes = std::move(bytes);
    const std::string& b = out.bytes;
    const auto* payload = reinterpret_cast<const unsigned char*>(b.data() + kHeaderSize);
    std::uint32_t storedCrc;
    std::memcpy(&storedCrc, b.data() + kHeaderSize + payloadSize, 4);
    if (crc32(payload, std::size_t(payloadSize)) != storedCrc) throw ModelError(path, "corrupt (checksum mismatch)");

    try {
        Reader r(b.data() + kHeaderSize, std::size_t(payloadSize));
        const auto jsonLen = r.get<std::uint64_t>();
        if (jsonLen > kMaxJsonSize) throw std::runtime_error("corrupt (implausible JSON length)");
        out.json.assign(r.take(jsonLen), std::size_t(jsonLen));
        const auto count = r.get<std::uint32_t>();
        if (count > 100000) throw std::runtime_error("corrupt (implausible tensor count)");
        for (std::uint32_t i = 0; i < count; ++i) {
            ContainerTensor t;
            const auto nameLen = r.get<std::uint32_t>();
            if (nameLen > 1024) throw std::runtime_error("corrupt (implausible tensor name length)");
            t.name.assign(r.take(nameLen), nameLen);
            t.dtype = r.get<std::uint8_t>();
            if (t.dtype > 1) throw std::runtime_error("corrupt (unknown tensor type for '" + t.name + "')");
            const auto ndim = r.get<std::uint32_t>();
            if (ndim > 8) throw std::runtime_error("corrupt (implausible rank for '" + t.name + "')");
            std::uint64_t elems = 1;
            for (std::uint32_t d = 0; d < ndim; ++d) {
                const auto dim = r.get<std::int64_t>();
                if (dim < 0 || dim > (1ll << 31)) throw std::runtime_error("corrupt (bad shape for '" + t.name + "')");
                t.dims.push_back(dim);
                elems *= std::uint64_t(dim);
                if (elems > kMaxFileSize) throw std::runtime_error("corrupt (bad shape for '" + t.name + "')");
            }
            t.bytes = std::size_t(elems) * (t.dtype == 0 ? 4 : 8);
            t.data = r.take(t.bytes);
            out.tensors.push_back(std::move(t));
        }
        if (!r.atEnd()) throw std::runtime_error("corrupt (unexpected bytes after the tensors)");
    } catch (const ModelError&) {
        throw;
    } catch (const std::exception& e) {
        throw ModelError(path, e.what());
    }
    return out;
}

ContainerFile readContainerFile(const std::string& path, const ContainerKind& kind)
{
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) throw ModelError(path, "no such file");
        throw ModelError(path, "cannot open: " + errnoText());
    }
    // Checked before opening: opening a FIFO blocks, and /dev/zero never ends.
    if (S_ISDIR(st.st_mode)) throw ModelError(path, std::string("a folder, not an ") + kind.noun + " file");
    if (!S_ISREG(st.st_mode)) throw ModelError(path, std::string("not a regular file (a device, FIFO or socket), not an ") + kind.noun);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) throw ModelError(path, "cannot open: " + errnoText());
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) // the same file we checked, not a swapped-in FIFO
        throw ModelError(path, std::string("not a regular file, not an ") + kind.noun);
    const std::uint64_t size = std::uint64_t(st.st_size);
    if (size == 0) throw ModelError(path, std::string("empty file, not an ") + kind.noun);
    const auto readAll = [&](char* dst, std::size_t n) {
        std::size_t done = 0;
        while (done < n) {
            const ssize_t got = ::read(fd, dst + done, n - done);
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) throw ModelError(path, "read failed: " + errnoText());
            if (got == 0) throw ModelError(path, "truncated while reading (the file shrank)");
            done += std::size_t(got);
        }
    };
    // The header first: a large file that is not ours is refused without reading it.
    std::string head(std::size_t(std::min<std::uint64_t>(size, kHeaderSize)), '\0');
    readAll(head.data(), head.size());
    headerPayloadSize(path, head, size, kind);
    std::string bytes = std::move(head);
    bytes.resize(std::size_t(size));
    readAll(bytes.data() + kHeaderSize, bytes.size() - kHeaderSize);
    return parseContainer(path, std::move(bytes), kind);
}

std::string packContainer(const ContainerKind& kind, const std::string& json, const std::vector<ContainerTensor>& tensors)
{
    std::string payload;
    put<std::uint64_t>(payload, json.size());
    payload += json;
    put<std::uint32_t>(payload, std::uint32_t(tensors.size()));
    for (const ContainerTensor& t : tensors) {
        put<std::uint32_t>(payload, std::uint32_t(t.name.size()));
        payload += t.name;
        put<std::uint8_t>(payload, t.dtype);
        put<std::uint32_t>(payload, std::uint32_t(t.dims.size()));
        for (auto d : t.dims) put<std::int64_t>(payload, d);
        payload.append(t.data, t.bytes);
    }
    std::string file(kind.magic, 16);
    put<std::uint32_t>(file, kContainerVersion);
    put<std::uint64_t>(file, payload.size());
    file += payload;
    put<std::uint32_t>(file, crc32(reinterpret_cast<const unsigned char*>(payload.data()), payload.size()));
    return file;
}

} // namespace emoscope
