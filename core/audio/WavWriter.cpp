// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/WavWriter.h"

#include "audio/AudioError.h"
#include "util/AtomicFile.h"

#include <sndfile.h>

#include <stdexcept>
#include <string>

namespace emoscope {

void writeWavAtomic(const std::string& path, const float* samples, std::size_t n, int sampleRate, bool floatFormat)
{
    if (sampleRate <= 0)
        throw AudioError(AudioErrorKind::WriteFailed, path, "cannot write: sample rate must be positive");
    try {
        writeFileAtomically(path, [&](const std::string& tmp) {
            SF_INFO info{};
            info.samplerate = sampleRate;
            info.channels = 1;
            info.format = SF_FORMAT_WAV | (floatFormat ? SF_FORMAT_FLOAT : SF_FORMAT_PCM_16);
            SNDFILE* f = sf_open(tmp.c_str(), SFM_WRITE, &info);
            if (!f)
                throw std::runtime_error(path + ": cannot create: " + sf_strerror(nullptr));
            // Clip rather than wrap when converting out-of-range floats to 16-bit.
            sf_command(f, SFC_SET_CLIPPING, nullptr, SF_TRUE);
            const sf_count_t written = sf_writef_float(f, samples, static_cast<sf_count_t>(n));
            const std::string err = written == static_cast<sf_count_t>(n) ? std::string() : sf_strerror(f);
            if (sf_close(f) != 0 || !err.empty())
                throw std::runtime_error(path + ": cannot write: " + (err.empty() ? "close failed" : err));
        });
    } catch (const AudioError&) {
        throw;
    } catch (const std::exception& e) {
        // AtomicFile messages already start with the path; keep only the reason.
        std::string reason = e.what();
        if (reason.rfind(path + ": ", 0) == 0)
            reason.erase(0, path.size() + 2);
        throw AudioError(AudioErrorKind::WriteFailed, path, reason);
    }
}

} // namespace emoscope
