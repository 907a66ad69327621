#pragma once
// What the Vamp tests share: where the plugin was built, and vamp-simple-host's printed features read back.
#include "support/TestSupport.h"

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace sonolab::test {

struct HostRow {
    double time = 0, duration = -1;  // duration -1: the feature has none
    std::vector<double> values;
    std::string label;
};

// vamp-simple-host prints " SECONDS: v1 v2 ... label" per feature, or " SECONDS, DURATION: ..." with a duration.
inline std::vector<HostRow> parseHost(const std::string& text) {
    std::vector<HostRow> rows;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        HostRow row;
        try {
            const std::string head = line.substr(0, colon);
            const auto comma = head.find(',');
            row.time = std::stod(head.substr(0, comma));
            if (comma != std::string::npos) row.duration = std::stod(head.substr(comma + 1));
        } catch (const std::exception&) {
            continue;
        }
        std::istringstream fields(line.substr(colon + 1));
        for (std::string field; fields >> field;) {
            try {
                std::size_t used = 0;
                const double v = std::stod(field, &used);
                if (used == field.size() && row.label.empty()) {
                    row.values.push_back(v);
                    continue;
                }
            } catch (const std::exception&) {
            }
            row.label += (row.label.empty() ? "" : " ") + field;
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

// build/vamp, beside build/app where sonolab-cli is.
inline std::filesystem::path vampPluginDir() { return std::filesystem::path(cliPath()).parent_path().parent_path() / "vamp"; }

}  // namespace sonolab::test
