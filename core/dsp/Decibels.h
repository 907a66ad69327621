#pragma once
// librosa.power_to_db / amplitude_to_db: 10*log10(max(amin, S)) - 10*log10(max(amin, ref)), then, when topDb > 0,
// clipped from below at max(result) - topDb. amplitudeToDb works on |S| with 20*log10 and amin squared as librosa does
// (it calls power_to_db(S**2, ref=ref**2, amin=amin**2)).
#include <span>

namespace sonolab::dsp {

struct DecibelParams {
    float amin = 1e-10f;
    float ref = 1.0f;
    bool refIsMax = false;  // ref = max(S) (librosa ref=np.max)
    float topDb = 80.0f;    // <= 0: no clipping
};

void powerToDb(std::span<float> values, const DecibelParams& params = {});  // in place
// librosa's amplitude_to_db default amin is 1e-5; pass it explicitly when you want that.
void amplitudeToDb(std::span<float> values, DecibelParams params = {});  // in place

}  // namespace sonolab::dsp
