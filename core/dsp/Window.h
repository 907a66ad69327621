#pragma once
// Analysis windows. Periodic windows (the default, as in librosa/scipy get_window(fftbins=True)) tile exactly under
// overlap-add; symmetric ones (numpy.hanning) are what rp_extract uses.
#include <vector>

namespace sonolab::dsp {

enum class WindowType { Hann, Hamming, Blackman, Rectangular };

// periodic: w[n] computed over length+1 points with the last dropped (DFT-even). Throws Error for length < 1.
std::vector<float> makeWindow(WindowType type, int length, bool periodic = true);

}  // namespace sonolab::dsp
