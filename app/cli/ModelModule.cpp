// SPDX-License-Identifier: GPL-3.0-or-later
#include "ModelModule.h"
#include "CliCommon.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <system_error>

namespace emoscope::cli {

namespace {
std::filesystem::path executableDir()
{
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : exe.parent_path();
}
} // namespace

std::vector<std::string> moduleCandidates(const std::string& module)
{
    std::vector<std::string> out;
    if (const char* env = std::getenv("EMOSCOPE_CLI_MODULE_DIR"); env && *env)
        out.push_back((std::filesystem::path(env) / module).string());
    const auto dir = executableDir();
    if (!dir.empty()) {
        out.push_back((dir / module).string());
        out.push_back((dir / EMOSCOPE_CLI_MODULE_RELDIR / module).lexically_normal().string());
    }
    return out;
}

int runInModule(const char* module, const std::string& command, const std::vector<std::string>& args)
{
    // libgomp reads its wait policy once, when libtorch loads it. Its default spins idle workers, which on a busy
    // machine steals the cores the file workers need; evaluate asks for passive waiting unless the user chose
    // otherwise. Training keeps the default. (classify and timeline load no libtorch, hence no libgomp.)
    if (command == "evaluate")
        ::setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
    std::string reasons;
    void* handle = nullptr;
    for (const auto& path : moduleCandidates(module)) {
        if (::access(path.c_str(), F_OK) != 0)
            continue;
        // Lazy binding, as for a linked library: libtorch has far more symbols than one command calls.
        handle = ::dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL);
        if (handle)
            break;
        const char* e = ::dlerror();
        reasons += std::string(reasons.empty() ? "" : "; ") + (e ? e : path);
    }
    if (!handle) {
        std::cerr << "emoscope-cli " << command << ": cannot load the model commands ("
                  << (reasons.empty() ? std::string(module) + " not found next to the executable or in "
                                                              EMOSCOPE_CLI_MODULE_RELDIR
                                      : reasons)
                  << ")" << std::endl;
        return ExitInternal;
    }
    auto entry = reinterpret_cast<ModuleEntryFunction>(::dlsym(handle, kModuleEntrySymbol));
    if (!entry) {
        std::cerr << "emoscope-cli " << command << ": " << module << " has no " << kModuleEntrySymbol << std::endl;
        return ExitInternal;
    }
    std::vector<const char*> argv;
    for (const auto& a : args)
        argv.push_back(a.c_str());
    argv.push_back(nullptr);
    // The module stays loaded until exit: libtorch's static objects must outlive every thread it started.
    return entry(EMOSCOPE_VERSION, command.c_str(), int(args.size()), argv.data());
}

} // namespace emoscope::cli
