#pragma once
// Playback tests run against ALSA's null device: CTest sets ALSA_CONFIG_PATH; when the program is started by hand,
// the same configuration is written and set here before PortAudio first reads it.
#include "support/TestSupport.h"

#include <cstdlib>
#include <fstream>

namespace sonolab::test {

inline void useAlsaNullDevice() {
    if (std::getenv("ALSA_CONFIG_PATH")) return;
    auto conf = freshDir("playback-alsa") / "alsa-null.conf";
    std::ofstream(conf) << "pcm.!default { type null }\nctl.!default { type hw card 0 }\n";
    setenv("ALSA_CONFIG_PATH", conf.c_str(), 1);
}

}  // namespace sonolab::test
