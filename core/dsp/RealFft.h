#pragma once
// A reusable real-to-complex FFT of one size on an FFTW3 float plan with its own aligned buffers.
// Planning goes through a process-wide mutex because FFTW's planner is not thread-safe; executing a plan is.
// One RealFft per thread.
#include <complex>
#include <memory>
#include <span>

namespace sonolab::dsp {

class RealFft {
public:
    explicit RealFft(int size);
    ~RealFft();
    RealFft(RealFft&&) noexcept;
    RealFft& operator=(RealFft&&) noexcept;

    int size() const { return size_; }
    int bins() const { return size_ / 2 + 1; }
    // Fill input() (size() values), call execute(), read output() (bins() values).
    std::span<float> input();
    void execute();
    std::span<const std::complex<float>> output() const;

private:
    struct Plan;
    int size_;
    std::unique_ptr<Plan> plan_;
};

}  // namespace sonolab::dsp
