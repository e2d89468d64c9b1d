// SPDX-License-Identifier: GPL-3.0-or-later
// Model file container (little-endian):
//   16-byte magic "EMOSCOPE-MODEL\n\0", u32 container version, u64 payload size,
//   payload = u64 card length + card JSON + u32 tensor count + tensors (u32 name length, name, u8 dtype,
//   u32 ndim, i64 dims..., raw data), then u32 CRC-32 of the payload.
// A home-grown container rather than a torch zip archive so that a truncated or bit-flipped file is always
// detected (size + checksum) and the card can be read without touching torch.
#include "model/ModelFile.h"
#include "model/ModelError.h"
#include "model/ModelIO.h"
#include "util/AtomicFile.h"
#include "util/Crc32.h"
#include <array>
#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace emoscope {

// The container is written and read with memcpy of native integers and floats, which is only little-endian
// on a little-endian machine.
static_assert(std::endian::native == std::endian::little, "ModelFile reads and writes little-endian data natively");

namespace {

constexpr char kMagic[16] = {'E', 'M', 'O', 'S', 'C', 'O', 'P', 'E', '-', 'M', 'O', 'D', 'E', 'L', '\n', '\0'};
constexpr std::uint32_t kContainerVersion = 1;
constexpr std::size_t kHeaderSize = 16 + 4 + 8;
constexpr std::uint64_t kMaxFileSize = 1ull << 31; // 2 GB: anything larger is not one of ours

template <typename T> void put(std::string& out, T v)
{
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    out.append(b, sizeof(T));
}

struct StoredTensor {
    std::string name;
    std::uint8_t dtype = 0; // 0 float32, 1 int64
    std::vector<std::int64_t> dims;
    const char* data = nullptr;
    std::size_t bytes = 0;
};

struct Parsed {
    std::string bytes; // owns the file contents the tensors point into
    ModelCard card;
    std::vector<StoredTensor> tensors;
};

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
    const char* take(std::size_t n)
    {
        need(n);
        const char* r = p_ + pos_;
        pos_ += n;
        return r;
    }
    bool atEnd() const { return pos_ == n_; }

private:
    void need(std::size_t n)
    {
        if (n > n_ - pos_) throw std::runtime_error("corrupt: payload ends early");
    }
    const char* p_;
    std::size_t n_;
    std::size_t pos_ = 0;
};

Parsed parseFile(const std::string& path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw ModelError(path, "no such file");
    if (!fs::is_regular_file(status)) throw ModelError(path, "not a regular file");
    const auto size = fs::file_size(path, ec);
    if (ec) throw ModelError(path, "cannot read the file size");
    if (size == 0) throw ModelError(path, "empty file, not an Emoscope model");
    if (size > kMaxFileSize) throw ModelError(path, "too large to be an Emoscope model");

    Parsed out;
    {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw ModelError(path, "cannot open for reading");
        out.bytes.resize(size);
        in.read(out.bytes.data(), std::streamsize(size));
        if (std::size_t(in.gcount()) != size) throw ModelError(path, "read failed");
    }
    const std::string& b = out.bytes;
    if (b.size() < 16 || std::memcmp(b.data(), kMagic, 16) != 0) {
        if (b.compare(0, 4, "RIFF") == 0 || b.compare(0, 4, "fLaC") == 0 || b.compare(0, 4, "OggS") == 0)
            throw ModelError(path, "an audio file, not an Emoscope model");
        if (b.compare(0, 2, "PK") == 0) throw ModelError(path, "a zip/torch archive, not an Emoscope model");
        throw ModelError(path, "not an Emoscope model (bad magic)");
    }
    if (b.size() < kHeaderSize) throw ModelError(path, "truncated (header incomplete)");
    std::uint32_t version;
    std::uint64_t payloadSize;
    std::memcpy(&version, b.data() + 16, 4);
    std::memcpy(&payloadSize, b.data() + 20, 8);
    if (version != kContainerVersion)
        throw ModelError(path, "unsupported model file version " + std::to_string(version) + " (expected " +
                                   std::to_string(kContainerVersion) + ")");
    const std::uint64_t expected = kHeaderSize + payloadSize + 4;
    if (payloadSize > kMaxFileSize || b.size() < expected)
        throw ModelError(path, "truncated (" + std::to_string(b.size()) + " of " + std::to_string(expected) + " bytes)");
    if (b.size() > expected) throw ModelError(path, "corrupt (trailing bytes after the checksum)");
    const auto* payload = reinterpret_cast<const unsigned char*>(b.data() + kHeaderSize);
    std::uint32_t storedCrc;
    std::memcpy(&storedCrc, b.data() + kHeaderSize + payloadSize, 4);
    if (crc32(payload, payloadSize) != storedCrc) throw ModelError(path, "corrupt (checksum mismatch)");

    try {
        Reader r(b.data() + kHeaderSize, payloadSize);
        const auto cardLen = r.get<std::uint64_t>();
        const char* cardText = r.take(cardLen);
        try {
            out.card = ModelCard::fromJson(std::string(cardText, cardLen));
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string("bad model card: ") + e.what());
        }
        const auto count = r.get<std::uint32_t>();
        if (count > 100000) throw std::runtime_error("corrupt: implausible tensor count");
        for (std::uint32_t i = 0; i < count; ++i) {
            StoredTensor t;
            const auto nameLen = r.get<std::uint32_t>();
            t.name.assign(r.take(nameLen), nameLen);
            t.dtype = r.get<std::uint8_t>();
            if (t.dtype > 1) throw std::runtime_error("corrupt: unknown tensor type for " + t.name);
            const auto ndim = r.get<std::uint32_t>();
            if (ndim > 8) throw std::runtime_error("corrupt: implausible rank for " + t.name);
            std::uint64_t elems = 1;
            for (std::uint32_t d = 0; d < ndim; ++d) {
                const auto dim = r.get<std::int64_t>();
                if (dim < 0 || dim > (1ll << 31)) throw std::runtime_error("corrupt: bad shape for " + t.name);
                t.dims.push_back(dim);
                elems *= std::uint64_t(dim);
                if (elems > kMaxFileSize) throw std::runtime_error("corrupt: bad shape for " + t.name);
            }
            t.bytes = std::size_t(elems) * (t.dtype == 0 ? 4 : 8);
            t.data = r.take(t.bytes);
            out.tensors.push_back(std::move(t));
        }
        if (!r.atEnd()) throw std::runtime_error("corrupt: unexpected bytes after the tensors");
    } catch (const ModelError&) {
        throw;
    } catch (const std::exception& e) {
        throw ModelError(path, e.what());
    }
    return out;
}

// Builds the network the card describes and checks that the stored tensors match it name by name and shape by
// shape. With copy = true the weights are loaded into it.
ResNet buildAndCheck(const std::string& path, const Parsed& p, bool copy)
{
    ResNet net{nullptr};
    try {
        net = ResNet(p.card.arch, int(p.card.labels.size()));
    } catch (const std::exception& e) {
        throw ModelError(path, std::string("bad architecture: ") + e.what());
    }
    auto state = namedState(*net);
    if (state.size() != p.tensors.size())
        throw ModelError(path, "weights do not match the architecture (" + std::to_string(p.tensors.size()) +
                                   " tensors stored, " + std::to_string(state.size()) + " expected)");
    torch::NoGradGuard noGrad;
    for (std::size_t i = 0; i < state.size(); ++i) {
        const auto& [name, dst] = state[i];
        const StoredTensor& t = p.tensors[i];
        if (t.name != name) throw ModelError(path, "weights do not match the architecture (found '" + t.name +
                                                       "', expected '" + name + "')");
        if (t.dims != dst.sizes().vec())
            throw ModelError(path, "weights do not match the architecture (shape of '" + name + "' differs)");
        const auto expectType = dst.scalar_type() == torch::kFloat ? 0 : 1;
        if (t.dtype != expectType) throw ModelError(path, "weights do not match the architecture (type of '" + name + "')");
        if (!copy) continue;
        auto src = torch::from_blob(const_cast<char*>(t.data), t.dims, t.dtype == 0 ? torch::kFloat : torch::kLong);
        if (t.dtype == 0 && !torch::isfinite(src).all().item<bool>())
            throw ModelError(path, "corrupt (non-finite weights in '" + name + "')");
        dst.copy_(src);
    }
    net->eval();
    return net;
}

} // namespace

ModelCard readModelCard(const std::string& path)
{
    Parsed p = parseFile(path);
    buildAndCheck(path, p, false); // cheap: a few ms for the shapes; catches label count vs. output layer
    return p.card;
}

LoadedModel loadModelFile(const std::string& path)
{
    Parsed p = parseFile(path);
    LoadedModel m;
    m.net = buildAndCheck(path, p, true);
    m.card = std::move(p.card);
    return m;
}

void saveModelFile(const std::string& path, const ModelCard& card, const ResNet& net)
{
    try {
        card.validate();
    } catch (const std::exception& e) {
        throw ModelError(path, std::string("refusing to save an invalid card: ") + e.what());
    }
    std::string payload;
    const std::string cardText = card.toJson();
    put<std::uint64_t>(payload, cardText.size());
    payload += cardText;
    const auto state = namedState(*net);
    put<std::uint32_t>(payload, std::uint32_t(state.size()));
    for (const auto& [name, tensor] : state) {
        const bool isFloat = tensor.scalar_type() == torch::kFloat;
        const torch::Tensor t = tensor.detach().contiguous().to(isFloat ? torch::kFloat : torch::kLong);
        put<std::uint32_t>(payload, std::uint32_t(name.size()));
        payload += name;
        put<std::uint8_t>(payload, isFloat ? 0 : 1);
        put<std::uint32_t>(payload, std::uint32_t(t.dim()));
        for (auto d : t.sizes()) put<std::int64_t>(payload, d);
        payload.append(static_cast<const char*>(t.data_ptr()), t.nbytes());
    }
    std::string file(kMagic, 16);
    put<std::uint32_t>(file, kContainerVersion);
    put<std::uint64_t>(file, payload.size());
    file += payload;
    put<std::uint32_t>(file, crc32(reinterpret_cast<const unsigned char*>(payload.data()), payload.size()));
    try {
        writeBytesAtomically(path, file);
    } catch (const std::exception& e) {
        throw ModelError(path, std::string("cannot write: ") + e.what());
    }
}

} // namespace emoscope
