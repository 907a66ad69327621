#include "core/features/Standardizer.h"

#include "core/features/FeatureMatrix.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace sonolab::features {

void Standardizer::partialFit(std::span<const float> values, std::size_t bands, std::size_t frames) {
    if (values.size() != bands * frames) throw Error("standardizer", "values do not match bands x frames");
    if (frames == 0) return;
    if (count_ == 0 && mean_.empty()) {
        mean_.assign(bands, 0.0);
        m2_.assign(bands, 0.0);
    }
    if (bands != mean_.size())
        throw Error("standardizer", "matrix has " + std::to_string(bands) + " bands, the statistics have " +
                                        std::to_string(mean_.size()));
    const double nb = double(frames), na = double(count_);
    for (std::size_t b = 0; b < bands; ++b) {
        const float* row = values.data() + b * frames;
        double sum = 0;
        for (std::size_t f = 0; f < frames; ++f) sum += row[f];
        const double mb = sum / nb;
        double m2b = 0;
        for (std::size_t f = 0; f < frames; ++f) m2b += (row[f] - mb) * (row[f] - mb);
        const double delta = mb - mean_[b];
        mean_[b] += delta * nb / (na + nb);
        m2_[b] += m2b + delta * delta * na * nb / (na + nb);
    }
    count_ += frames;
}

void Standardizer::partialFit(const FeatureMatrix& m) { partialFit(m.data(), m.rows(), m.cols()); }

void Standardizer::fit(std::span<const FeatureMatrix> matrices) {
    *this = Standardizer{};
    for (const auto& m : matrices) partialFit(m);
}

std::vector<float> Standardizer::mean() const { return {mean_.begin(), mean_.end()}; }

std::vector<float> Standardizer::stddev() const {
    std::vector<float> s(mean_.size(), 1.0f);
    for (std::size_t b = 0; b < s.size() && count_ > 0; ++b) {
        const double sd = std::sqrt(m2_[b] / double(count_));
        s[b] = sd > 1e-12 ? static_cast<float>(sd) : 1.0f;
    }
    return s;
}

void Standardizer::apply(std::span<float> values, std::size_t bands, std::size_t frames) const {
    if (!fitted()) throw Error("standardizer", "not fitted");
    if (bands != mean_.size() || values.size() != bands * frames)
        throw Error("standardizer", "matrix has " + std::to_string(bands) + " bands, the statistics have " +
                                        std::to_string(mean_.size()));
    const auto sd = stddev();
    for (std::size_t b = 0; b < bands; ++b) {
        const float mu = static_cast<float>(mean_[b]), inv = 1.0f / sd[b];
        float* row = values.data() + b * frames;
        for (std::size_t f = 0; f < frames; ++f) row[f] = (row[f] - mu) * inv;
    }
}

std::vector<float> Standardizer::applied(const FeatureMatrix& m) const {
    auto v = m.toVector();
    apply(v, m.rows(), m.cols());
    return v;
}

void Standardizer::save(const std::filesystem::path& file) const {
    std::ostringstream out;
    out << "sonolab-standardizer 1\nbands " << mean_.size() << "\ncount " << count_ << "\n";
    char line[96];
    for (std::size_t b = 0; b < mean_.size(); ++b) {
        std::snprintf(line, sizeof line, "%.17g %.17g\n", mean_[b], m2_[b]);
        out << line;
    }
    writeFileAtomically(file, out.str());
}

Standardizer Standardizer::load(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw fileError(file, "cannot open standardizer file");
    std::string magic, key;
    int version = 0;
    std::size_t bands = 0, count = 0;
    in >> magic >> version;
    if (magic != "sonolab-standardizer" || version != 1) throw fileError(file, "not a sonolab standardizer file");
    in >> key >> bands;
    if (key != "bands") throw fileError(file, "malformed standardizer file (bands)");
    in >> key >> count;
    if (key != "count") throw fileError(file, "malformed standardizer file (count)");
    Standardizer s;
    s.mean_.resize(bands);
    s.m2_.resize(bands);
    for (std::size_t b = 0; b < bands; ++b) in >> s.mean_[b] >> s.m2_[b];
    if (!in) throw fileError(file, "truncated standardizer file");
    s.count_ = count;
    return s;
}

}  // namespace sonolab::features
