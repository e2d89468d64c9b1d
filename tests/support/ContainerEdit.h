// SPDX-License-Identifier: GPL-3.0-or-later
// Test-side reader/writer of the model/checkpoint container (layout in core/model/TensorContainer.cpp), written
// independently of core's code so that crafted files (a changed card, a negative variance, a lying header) can be
// made in tests with valid sizes and checksums.
#pragma once
#include <QByteArray>
#include <QFile>
#include <QString>
#include <cstdint>
#include <cstring>
#include <vector>

namespace testdata {

struct EditTensor {
    QByteArray name;
    std::uint8_t dtype = 0;
    std::vector<std::int64_t> dims;
    QByteArray data;
};

struct EditContainer {
    QByteArray magic; // 16 bytes
    QByteArray json;
    std::vector<EditTensor> tensors;
    bool ok = false;

    EditTensor* find(const QByteArray& name)
    {
        for (auto& t : tensors)
            if (t.name == name) return &t;
        return nullptr;
    }
};

inline std::uint32_t crc32Of(const QByteArray& payload)
{
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char ch : payload) {
        c ^= ch;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

template <typename T> T getAt(const QByteArray& b, qsizetype& pos)
{
    T v{};
    if (pos + qsizetype(sizeof(T)) > b.size()) { pos = b.size() + 1; return v; }
    std::memcpy(&v, b.constData() + pos, sizeof(T));
    pos += qsizetype(sizeof(T));
    return v;
}

template <typename T> void putTo(QByteArray& b, T v) { b.append(reinterpret_cast<const char*>(&v), sizeof(T)); }

inline EditContainer parseContainerBytes(const QByteArray& b)
{
    EditContainer c;
    if (b.size() < 32) return c;
    c.magic = b.left(16);
    qsizetype pos = 20;
    const auto payloadSize = getAt<std::uint64_t>(b, pos);
    const QByteArray p = b.mid(28, qsizetype(payloadSize));
    pos = 0;
    const auto jsonLen = getAt<std::uint64_t>(p, pos);
    c.json = p.mid(pos, qsizetype(jsonLen));
    pos += qsizetype(jsonLen);
    const auto count = getAt<std::uint32_t>(p, pos);
    for (std::uint32_t i = 0; i < count && pos <= p.size(); ++i) {
        EditTensor t;
        const auto nameLen = getAt<std::uint32_t>(p, pos);
        t.name = p.mid(pos, nameLen);
        pos += nameLen;
        t.dtype = getAt<std::uint8_t>(p, pos);
        const auto ndim = getAt<std::uint32_t>(p, pos);
        std::int64_t elems = 1;
        for (std::uint32_t d = 0; d < ndim; ++d) {
            t.dims.push_back(getAt<std::int64_t>(p, pos));
            elems *= t.dims.back();
        }
        const qsizetype bytes = qsizetype(elems) * (t.dtype == 0 ? 4 : 8);
        t.data = p.mid(pos, bytes);
        pos += bytes;
        c.tensors.push_back(std::move(t));
    }
    c.ok = pos == p.size();
    return c;
}

inline QByteArray packContainerBytes(const EditContainer& c)
{
    QByteArray payload;
    putTo<std::uint64_t>(payload, std::uint64_t(c.json.size()));
    payload += c.json;
    putTo<std::uint32_t>(payload, std::uint32_t(c.tensors.size()));
    for (const auto& t : c.tensors) {
        putTo<std::uint32_t>(payload, std::uint32_t(t.name.size()));
        payload += t.name;
        putTo<std::uint8_t>(payload, t.dtype);
        putTo<std::uint32_t>(payload, std::uint32_t(t.dims.size()));
        for (auto d : t.dims) putTo<std::int64_t>(payload, d);
        payload += t.data;
    }
    QByteArray out = c.magic;
    putTo<std::uint32_t>(out, 1);
    putTo<std::uint64_t>(out, std::uint64_t(payload.size()));
    out += payload;
    putTo<std::uint32_t>(out, crc32Of(payload));
    return out;
}

// The payload's CRC recomputed (after a byte was changed inside it), so the parser behind the checksum is exercised.
inline QByteArray withFixedCrc(QByteArray b)
{
    if (b.size() < 32) return b;
    std::uint64_t payloadSize = 0;
    std::memcpy(&payloadSize, b.constData() + 20, 8);
    if (payloadSize > std::uint64_t(b.size()) - 32) return b;
    const std::uint32_t c = crc32Of(b.mid(28, qsizetype(payloadSize)));
    std::memcpy(b.data() + 28 + payloadSize, &c, 4);
    return b;
}

inline QByteArray readBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

} // namespace testdata
