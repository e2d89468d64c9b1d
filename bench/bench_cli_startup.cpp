// SPDX-License-Identifier: GPL-3.0-or-later
// emoscope-cli as a shell loop sees it: wall time of whole processes. Start-up per command (median of repeated runs)
// for --version, info, spectrogram and classify of one TESS clip, then batch throughput of classify in clips/s with
// --jobs 1 and --jobs 2 over TESS clips.
// Usage: bench_cli_startup [--cli PATH] [--runs N] [--clips K]   (default: the emoscope-cli of this build, 15 runs,
// 200 clips). Run it on an idle machine: the figures are wall times.
#include "train/Dataset.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

// Runs argv with stdout and stderr to /dev/null; returns the wall time in seconds, or -1 on failure.
double timedRun(const std::vector<std::string>& args)
{
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    const auto t0 = Clock::now();
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? s : -1;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    namespace fs = std::filesystem;
    std::string cli = (fs::path(argv[0]).parent_path() / ".." / "app" / "emoscope-cli").lexically_normal().string();
    int runs = 15, clips = 200;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--cli") cli = argv[i + 1];
        else if (a == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
        else if (a == "--clips") clips = std::max(2, std::atoi(argv[i + 1]));
    }
    const std::string tess = std::string(EMOSCOPE_SHARED_DIR) + "/data/tess";
    const emoscope::Dataset ds = emoscope::scanDataset(tess);
    if (ds.clips.size() < std::size_t(clips) || access(cli.c_str(), X_OK) != 0) {
        std::fprintf(stderr, "need %s and %d TESS clips under %s\n", cli.c_str(), clips, tess.c_str());
        return 2;
    }
    // Every 7th clip, so the batch spans speakers and emotions.
    std::vector<std::string> files;
    for (std::size_t i = 0; files.size() < std::size_t(clips) && i < ds.clips.size(); i += 7) files.push_back(ds.clips[i].path);
    for (std::size_t i = 1; files.size() < std::size_t(clips); i += 7) files.push_back(ds.clips[i].path);
    const std::string clip = files.front();
    const std::string out = (fs::temp_directory_path() / ("bench_cli_startup." + std::to_string(getpid()) + ".f32")).string();

    std::printf("emoscope-cli start-up, median of %d runs (wall time)\n", runs);
    const std::vector<std::pair<const char*, std::vector<std::string>>> commands{
        {"--version", {cli, "--version"}},
        {"info FILE", {cli, "info", clip}},
        {"spectrogram FILE", {cli, "spectrogram", clip, "--out", out}},
        {"classify FILE", {cli, "classify", clip}},
    };
    for (const auto& [name, args] : commands) {
        timedRun(args); // warm the page cache
        std::vector<double> t;
        for (int r = 0; r < runs; ++r) {
            const double s = timedRun(args);
            if (s < 0) {
                std::fprintf(stderr, "%s failed\n", name);
                return 1;
            }
            t.push_back(s);
        }
        std::printf("  %-18s median %7.1f ms   min %7.1f ms\n", name, 1000 * median(t), 1000 * *std::min_element(t.begin(), t.end()));
    }
    fs::remove(out);

    std::printf("classify of %d TESS clips in one process (median of 3 runs)\n", clips);
    for (const char* jobs : {"1", "2"}) {
        std::vector<std::string> args{cli, "classify", "--json", "--jobs", jobs};
        args.insert(args.end(), files.begin(), files.end());
        std::vector<double> t;
        for (int r = 0; r < 3; ++r) t.push_back(timedRun(args));
        if (*std::min_element(t.begin(), t.end()) < 0) {
            std::fprintf(stderr, "classify --jobs %s failed\n", jobs);
            return 1;
        }
        const double s = median(t);
        std::printf("  --jobs %s   %6.2f s   %6.1f clips/s\n", jobs, s, clips / s);
    }
    return 0;
}
