#include "core/ml/Dataset.h"

#include "core/features/Patches.h"
#include "core/util/Error.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>

namespace sonolab::ml {

struct Dataset::Impl {
    struct Entry {
        ExampleInfo info;
        InputShape shape;
        FeatureLoader loader;
        mutable std::once_flag loaded;
        mutable FeatureMatrix features;
    };
    std::string name;
    TaskSpec task;
    std::vector<std::unique_ptr<Entry>> entries;
    std::size_t windowFrames = 0;
    Standardization standardization;
    Augmentation augmentation;

    const Entry& entry(std::size_t i) const {
        if (i >= entries.size())
            throw Error("data set '" + name + "'", "example " + std::to_string(i) + " out of range (" +
                                                       std::to_string(entries.size()) + ")");
        return *entries[i];
    }

    void checkTarget(const ExampleInfo& info) const {
        if (info.target.size() != task.outputs())
            throw Error("data set '" + name + "'", "example '" + info.id + "' has " +
                                                       std::to_string(info.target.size()) + " targets, task " +
                                                       task.toString() + " needs " + std::to_string(task.outputs()));
    }

    const FeatureMatrix& load(const Entry& e) const {
        std::call_once(e.loaded, [&] {
            if (!e.loader) return;
            FeatureMatrix m = e.loader();
            m.requireLayout(Layout::BinsByFrames, e.info.id);
            if (shapeOf(m) != e.shape)
                throw Error(e.info.id, "features have shape " + std::to_string(m.bins()) + "x" +
                                           std::to_string(m.frames()) + ", expected " + std::to_string(e.shape.bands) +
                                           "x" + std::to_string(e.shape.frames));
            e.features = std::move(m);
        });
        return e.features;
    }
};

Dataset::Dataset(std::string name, TaskSpec task) : impl_(std::make_unique<Impl>()) {
    impl_->name = std::move(name);
    impl_->task = std::move(task);
}
Dataset::~Dataset() = default;
Dataset::Dataset(Dataset&&) noexcept = default;
Dataset& Dataset::operator=(Dataset&&) noexcept = default;

const std::string& Dataset::name() const { return impl_->name; }
const TaskSpec& Dataset::task() const { return impl_->task; }

void Dataset::add(ExampleInfo info, FeatureMatrix features) {
    impl_->checkTarget(info);
    features.requireLayout(Layout::BinsByFrames, info.id);
    if (features.empty())
        throw Error(info.id, "feature matrix is empty (" + std::to_string(features.bins()) + "x" +
                                 std::to_string(features.frames()) + ")");
    auto e = std::make_unique<Impl::Entry>();
    e->info = std::move(info);
    e->shape = shapeOf(features);
    e->features = std::move(features);
    impl_->entries.push_back(std::move(e));
}

void Dataset::addLazy(ExampleInfo info, InputShape shape, FeatureLoader loader) {
    impl_->checkTarget(info);
    if (!loader) throw Error(info.id, "no feature loader");
    auto e = std::make_unique<Impl::Entry>();
    e->info = std::move(info);
    e->shape = shape;
    e->loader = std::move(loader);
    impl_->entries.push_back(std::move(e));
}

std::size_t Dataset::size() const { return impl_->entries.size(); }
const ExampleInfo& Dataset::info(std::size_t i) const { return impl_->entry(i).info; }
InputShape Dataset::exampleShape(std::size_t i) const { return impl_->entry(i).shape; }
const FeatureMatrix& Dataset::features(std::size_t i) const { return impl_->load(impl_->entry(i)); }

void Dataset::setWindowFrames(std::size_t frames) { impl_->windowFrames = frames; }
std::size_t Dataset::windowFrames() const { return impl_->windowFrames; }

InputShape Dataset::inputShape() const {
    if (impl_->entries.empty()) throw Error("data set '" + impl_->name + "'", "is empty");
    const InputShape first = impl_->entries.front()->shape;
    for (const auto& e : impl_->entries) {
        if (e->shape.bands != first.bands)
            throw Error("data set '" + impl_->name + "'", "example '" + e->info.id + "' has " +
                                                              std::to_string(e->shape.bands) + " bands, others " +
                                                              std::to_string(first.bands));
        if (impl_->windowFrames == 0 && e->shape.frames != first.frames)
            throw Error("data set '" + impl_->name + "'",
                        "examples differ in length (" + std::to_string(e->shape.frames) + " vs " +
                            std::to_string(first.frames) + " frames): set a window length to crop them");
    }
    return {first.bands, impl_->windowFrames ? impl_->windowFrames : first.frames};
}

namespace {

// Count, mean and sum of squared deviations of a stream of values, merged with Chan et al.'s parallel update:
// unlike sum and sum of squares it does not cancel when the mean is large against the spread (log features in dB).
struct Moments {
    double count = 0, mean = 0, m2 = 0;

    void merge(double n, double otherMean, double otherM2) {
        if (n == 0) return;
        const double total = count + n, delta = otherMean - mean;
        mean += delta * n / total;
        m2 += otherM2 + delta * delta * count * n / total;
        count = total;
    }
    // One row of values: its own mean and deviations first (two passes), then merged.
    void mergeRow(const float* row, std::size_t n) {
        if (n == 0) return;
        double sum = 0;
        for (std::size_t f = 0; f < n; ++f) sum += row[f];
        const double rowMean = sum / double(n);
        double rowM2 = 0;
        for (std::size_t f = 0; f < n; ++f) rowM2 += (row[f] - rowMean) * (row[f] - rowMean);
        merge(double(n), rowMean, rowM2);
    }
    void add(double v) { merge(1, v, 0); }
    double variance() const { return count > 0 ? m2 / count : 0.0; }  // population (numpy's default, ddof=0)
};

}  // namespace

Standardization Dataset::fitStandardization(StandardizationMode mode) const {
    Standardization s;
    s.mode = mode;
    if (mode == StandardizationMode::None || empty()) return s;
    const InputShape shape = inputShape();
    s.shape = shape;
    std::size_t n = mode == StandardizationMode::Global ? 1 : mode == StandardizationMode::PerBand ? shape.bands
                                                                                                   : shape.size();
    std::vector<Moments> moments(n);
    for (std::size_t i = 0; i < size(); ++i) {
        const FeatureMatrix& m = features(i);
        if (mode == StandardizationMode::PerElement) {
            // Fitted on the centre crops the network sees when evaluating (frames past a short example's end are
            // padding, not data, and are left out).
            const std::size_t w = shape.frames;
            const std::size_t off = features::centreCropStart(m.frames(), w);
            const std::size_t valid = std::min(w, m.frames());
            for (std::size_t b = 0; b < shape.bands; ++b)
                for (std::size_t f = 0; f < valid; ++f) moments[b * w + f].add(m.at(b, off + f));
            continue;
        }
        for (std::size_t b = 0; b < m.bins(); ++b)
            moments[mode == StandardizationMode::Global ? 0 : b].mergeRow(m.row(b).data(), m.frames());
    }
    s.mean.resize(n);
    s.scale.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
        s.mean[k] = float(moments[k].mean);
        s.scale[k] = float(1.0 / std::max(std::sqrt(moments[k].variance()), 1e-6));
    }
    return s;
}

void Dataset::setStandardization(Standardization s) { impl_->standardization = std::move(s); }
const Standardization& Dataset::standardization() const { return impl_->standardization; }
void Dataset::setAugmentation(Augmentation a) { impl_->augmentation = a; }
const Augmentation& Dataset::augmentation() const { return impl_->augmentation; }

void Dataset::fill(std::size_t i, bool training, std::mt19937_64& rng, float* out) const {
    const Impl::Entry& e = impl_->entry(i);
    const FeatureMatrix& m = impl_->load(e);
    const std::size_t bands = m.bins();
    const std::size_t w = impl_->windowFrames ? impl_->windowFrames : m.frames();
    const Augmentation& aug = impl_->augmentation;
    const std::size_t offset = training && aug.randomCrop ? features::randomCropStart(m.frames(), w, rng)
                                                          : features::centreCropStart(m.frames(), w);
    const std::size_t valid = features::copyWindow(m.values(), bands, m.frames(), offset, w, {out, bands * w});
    impl_->standardization.apply(out, {bands, w});
    if (valid < w)  // padding stands for "nothing": the mean after standardisation
        for (std::size_t b = 0; b < bands; ++b) std::fill(out + b * w + valid, out + (b + 1) * w, 0.0f);
    if (!training) return;
    if (aug.noiseStd > 0) {
        std::normal_distribution<float> noise(0.0f, aug.noiseStd);
        for (std::size_t k = 0; k < bands * w; ++k) out[k] += noise(rng);
    }
}

std::vector<std::size_t> Dataset::positives() const {
    std::vector<std::size_t> counts(impl_->task.outputs(), 0);
    for (const auto& e : impl_->entries)
        for (std::size_t k = 0; k < counts.size(); ++k)
            if (e->info.target[k] >= 0.5f) ++counts[k];
    return counts;
}

void Dataset::preload(int threads) const {
    const std::size_t n = size();
    if (n == 0) return;
    std::size_t t = threads > 0 ? std::size_t(threads) : std::max(1u, std::thread::hardware_concurrency());
    t = std::min(t, n);
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failureMutex;
    auto work = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < n;) {
            try {
                features(i);
            } catch (...) {
                std::lock_guard lock(failureMutex);
                if (!failure) failure = std::current_exception();
            }
        }
    };
    std::vector<std::jthread> pool;
    for (std::size_t k = 1; k < t; ++k) pool.emplace_back(work);
    work();
    pool.clear();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace sonolab::ml
