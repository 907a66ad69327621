// `sonolab-cli features FILE --kind ... --out OUT.npy`: one file's features as a NumPy array any Python user can load.
#include "Commands.h"

#include "core/extraction/FeatureKinds.h"
#include "core/util/ContentHash.h"
#include "core/features/FeatureCache.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"

#include <cstdio>
#include <memory>

namespace sonolab::cli {
namespace {

struct FeaturesOptions {
    std::string file;
    std::string out;
    std::string cache;
    extraction::FeatureOptions feature;
    bool noNorm = false;
};

constexpr const char* kConventions = R"(Conventions (librosa's unless noted), written as float32 .npy in C order:
  logmel   (n_mels, frames): power spectrogram of centred frames (reflect padding of n_fft/2), periodic Hann
           window, Slaney mel scale with area ("slaney") normalisation (--htk / --no-norm for HTK triangles),
           then power_to_db with ref 1.0, amin 1e-10, top_db 80. Frame t is centred on sample t*hop;
           frames = 1 + samples // hop.
  mfcc     (n_mfcc, frames): orthonormal DCT-II of that log-mel (librosa.feature.mfcc).
  chroma   (12, frames): chroma_stft of the power spectrogram, tuning 0, rows C..B, each frame / its max.
  spectral (7, frames): centroid, bandwidth, rolloff 85% (Hz), flatness, flux, zero-crossing rate, RMS.
  rp (24, 60), ssd (24, 7), rh (60,): rp_extract's Rhythm Patterns, Statistical Spectrum Descriptor and Rhythm
           Histogram at 44.1 kHz with the ISMIR 2018 tutorial's settings (rows are Bark bands; rp_extract's flat
           vectors are these arrays flattened in Fortran order: a.flatten('F')).
  onsets   (1, frames): spectral-flux onset strength at 100 frames/s (madmom's chain, 44.1 kHz): the detection
           function `sonolab-cli onsets --method flux` picks its peaks from.
Audio is decoded with FFmpeg, mixed to mono and resampled to --sr (44.1 kHz for rp/ssd/rh/onsets).)";

void addFeatureOptions(CLI::App* cmd, FeaturesOptions& o) {
    cmd->add_option("--kind", o.feature.kind, "logmel | mfcc | chroma | spectral | rp | ssd | rh | onsets")
        ->capture_default_str();
    cmd->add_option("--sr", o.feature.sampleRate, "Sample rate to decode at (Hz)")->capture_default_str();
    cmd->add_option("--n-fft", o.feature.nFft, "FFT size (samples)")->capture_default_str();
    cmd->add_option("--hop", o.feature.hop, "Hop between frames (samples)")->capture_default_str();
    cmd->add_option("--n-mels", o.feature.nMels, "Mel bands")->capture_default_str();
    cmd->add_option("--n-mfcc", o.feature.nMfcc, "MFCC coefficients")->capture_default_str();
    cmd->add_option("--fmin", o.feature.fmin, "Lowest mel frequency (Hz)")->capture_default_str();
    cmd->add_option("--fmax", o.feature.fmax, "Highest mel frequency (Hz); 0 = sr/2")->capture_default_str();
    cmd->add_flag("--htk", o.feature.htk, "HTK mel scale instead of Slaney");
    cmd->add_flag("--no-norm", o.noNorm, "Mel triangles of height 1 instead of unit area");
}

int runFeatures(FeaturesOptions& o) {
    o.feature.slaneyNorm = !o.noNorm;
    const auto spec = extraction::specFor(o.feature);
    Matrix m;
    double seconds = 0;
    bool hit = false;
    if (!o.cache.empty()) {
        features::FeatureCache cache(o.cache);
        const auto hash = hashFile(o.file);
        if (auto cached = cache.load(hash, spec)) m = *cached, hit = true;
        else m = cache.getOrCompute(hash, spec, [&] { return extraction::computeFeatureForFile(spec, o.file, &seconds); });
    } else {
        m = extraction::computeFeatureForFile(spec, o.file, &seconds);
    }
    writeNpy(o.out, m);
    const auto npyShape = m.npyShape();
    std::string shape;
    for (std::size_t i = 0; i < npyShape.size(); ++i) shape += (i ? ", " : "") + std::to_string(npyShape[i]);
    std::printf("%s: %s (%s) float32 -> %s%s\n  spec %s\n", o.file.c_str(), spec.kind.c_str(), shape.c_str(),
                o.out.c_str(), hit ? " (from cache)" : "", spec.canonical().c_str());
    return 0;
}

}  // namespace

void addFeaturesCommand(CLI::App& app) {
    auto o = std::make_shared<FeaturesOptions>();
    auto* cmd = app.add_subcommand("features", "Compute one file's features and write them as a float32 .npy");
    cmd->add_option("file", o->file, "Audio file")->required()->check(CLI::ExistingFile);
    cmd->add_option("--out,-o", o->out, "Output .npy file")->required();
    cmd->add_option("--cache", o->cache, "Feature cache folder to read from / add to (optional)");
    addFeatureOptions(cmd, *o);
    cmd->footer(kConventions);
    cmd->callback([o] { runFeatures(*o); });
}

}  // namespace sonolab::cli
