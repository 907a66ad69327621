// `sonolab-cli info FILE... [--json]`: container, codec, duration, sample rate and channels of each file.
// A bad file gets a clear message on stderr; the other files are still reported; the exit status is 1 if any failed.
#include "Commands.h"

#include "core/audio/AudioDecoder.h"
#include "core/util/Error.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

namespace sonolab::cli {
namespace {

std::string clock(double seconds) {
    const auto total = static_cast<long long>(std::floor(seconds));
    char buf[64];
    const double frac = seconds - double(total);
    if (total >= 3600)
        std::snprintf(buf, sizeof buf, "%lld:%02lld:%04.1f", total / 3600, total / 60 % 60, double(total % 60) + frac);
    else
        std::snprintf(buf, sizeof buf, "%lld:%04.1f", total / 60, double(total % 60) + frac);
    return buf;
}

struct InfoOptions {
    std::vector<std::string> files;
    bool json = false;
};

int runInfo(const InfoOptions& o) {
    int failures = 0;
    nlohmann::json all = nlohmann::json::array();
    for (const auto& name : o.files) {
        try {
            auto info = audio::probe(name);
            if (o.json) {
                all.push_back({{"file", name},
                               {"container", info.container},
                               {"codec", info.codec},
                               {"duration_seconds", info.durationSeconds},
                               {"sample_rate", info.sampleRate},
                               {"channels", info.channels},
                               {"frames", info.frames},
                               {"bit_rate", info.bitRate}});
            } else {
                std::cout << name << "\n  format " << info.container << ", codec " << info.codec << ", duration "
                          << clock(info.durationSeconds) << " (" << info.durationSeconds << " s), " << info.sampleRate
                          << " Hz, " << info.channels << (info.channels == 1 ? " channel" : " channels");
                if (info.bitRate > 0) std::cout << ", " << (info.bitRate + 500) / 1000 << " kb/s";
                std::cout << "\n";
            }
        } catch (const Error& e) {
            ++failures;
            std::cerr << "sonolab-cli info: " << e.what() << "\n";
            if (o.json) all.push_back({{"file", name}, {"error", e.problem()}});
        }
    }
    if (o.json) std::cout << all.dump(2) << "\n";
    return failures == 0 ? 0 : 1;
}

}  // namespace

void addInfoCommand(CLI::App& app) {
    auto o = std::make_shared<InfoOptions>();
    auto* cmd = app.add_subcommand("info", "Show format, codec, duration, sample rate and channels of audio files");
    cmd->add_option("files", o->files, "Audio files (anything FFmpeg reads)")->required();
    cmd->add_flag("--json", o->json, "Print a JSON array (bad files get an \"error\" member)");
    cmd->callback([o] {
        if (int rc = runInfo(*o); rc != 0) throw CommandFailed{rc};
    });
}

}  // namespace sonolab::cli
