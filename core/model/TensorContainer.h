// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to core: the one container format of model files and training checkpoints (no torch here).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace emoscope {

// Which file a container is: its 16-byte magic and the words messages use for it.
struct ContainerKind {
    const char* magic; // exactly 16 bytes
    const char* noun;  // "Emoscope model", "Emoscope checkpoint"
};
extern const ContainerKind kModelContainer;
extern const ContainerKind kCheckpointContainer;

// A tensor as stored: raw little-endian data of dtype 0 (float32) or 1 (int64).
struct ContainerTensor {
    std::string name;
    std::uint8_t dtype = 0;
    std::vector<std::int64_t> dims;
    const char* data = nullptr; // into ContainerFile::bytes (reading) or the caller's memory (writing)
    std::size_t bytes = 0;
};

struct ContainerFile {
    std::string bytes; // owns the file contents the tensors point into
    std::string json;  // the JSON text (card or checkpoint state); not parsed here
    std::vector<ContainerTensor> tensors;
};

// Reads and checks a container: file type (a folder, device or FIFO is refused without reading it), size, magic,
// version, header before the body is read, checksum, every length. Throws ModelError "<path>: <reason>".
ContainerFile readContainerFile(const std::string& path, const ContainerKind& kind);

// Same checks on bytes already in memory (the fuzz targets use it). `path` only names the source in messages.
ContainerFile parseContainer(const std::string& path, std::string bytes, const ContainerKind& kind);

// The file bytes: magic, version, payload size, payload (JSON + tensors), CRC-32 of the payload.
std::string packContainer(const ContainerKind& kind, const std::string& json, const std::vector<ContainerTensor>& tensors);

} // namespace emoscope
