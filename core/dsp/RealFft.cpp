#include "core/dsp/RealFft.h"

#include "core/util/Error.h"

#include <fftw3.h>

#include <mutex>

namespace sonolab::dsp {
namespace {
std::mutex& plannerMutex() {
    static std::mutex m;  // FFTW's planner shares global state (wisdom) between all plans
    return m;
}
}  // namespace

struct RealFft::Plan {
    float* in = nullptr;
    fftwf_complex* out = nullptr;
    fftwf_plan plan = nullptr;
    ~Plan() {
        std::lock_guard lock(plannerMutex());
        if (plan) fftwf_destroy_plan(plan);
        if (in) fftwf_free(in);
        if (out) fftwf_free(out);
    }
};

RealFft::RealFft(int size) : size_(size), plan_(std::make_unique<Plan>()) {
    if (size < 2) throw Error("fft", "FFT size must be at least 2, got " + std::to_string(size));
    std::lock_guard lock(plannerMutex());
    plan_->in = fftwf_alloc_real(static_cast<std::size_t>(size));
    plan_->out = fftwf_alloc_complex(static_cast<std::size_t>(size / 2 + 1));
    if (!plan_->in || !plan_->out) throw Error("fft", "out of memory for FFT buffers");
    // ESTIMATE, not MEASURE: MEASURE times candidate algorithms on this run's machine load and may pick another one
    // next run, and another algorithm rounds differently, so features (and the cache, and everything trained on it)
    // were not reproducible from run to run (scripts/kill-test.py found it). ESTIMATE's choice depends only on the
    // size and the CPU's instruction set, and plans at once; its transforms measured as fast for our sizes.
    plan_->plan = fftwf_plan_dft_r2c_1d(size, plan_->in, plan_->out, FFTW_ESTIMATE);
    if (!plan_->plan) throw Error("fft", "FFTW could not plan a transform of size " + std::to_string(size));
}

RealFft::~RealFft() = default;
RealFft::RealFft(RealFft&&) noexcept = default;
RealFft& RealFft::operator=(RealFft&&) noexcept = default;

std::span<float> RealFft::input() { return {plan_->in, static_cast<std::size_t>(size_)}; }
void RealFft::execute() { fftwf_execute(plan_->plan); }
std::span<const std::complex<float>> RealFft::output() const {
    return {reinterpret_cast<const std::complex<float>*>(plan_->out), static_cast<std::size_t>(bins())};
}

}  // namespace sonolab::dsp
