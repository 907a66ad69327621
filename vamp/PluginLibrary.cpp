// The Vamp entry point of sonolab.so: hosts call vampGetPluginDescriptor(version, index) for index 0, 1, ... until
// it returns null.
#include "ClassifierPlugin.h"
#include "FeaturesPlugin.h"
#include "OnsetsPlugin.h"
#include "RnnOnsetsPlugin.h"

#include <vamp-sdk/PluginAdapter.h>
#include <vamp/vamp.h>

extern "C" const VampPluginDescriptor* vampGetPluginDescriptor(unsigned int version, unsigned int index) {
    if (version < 1) return nullptr;
    // The adapters live as long as the library (hosts keep the descriptors); function-local statics, built on first use.
    static ::Vamp::PluginAdapter<sonolab::vamp::OnsetsPlugin> onsets;
    static ::Vamp::PluginAdapter<sonolab::vamp::FeaturesPlugin> features;
    static ::Vamp::PluginAdapter<sonolab::vamp::RnnOnsetsPlugin> rnnOnsets;
    static ::Vamp::PluginAdapter<sonolab::vamp::ClassifierPlugin> classifier;
    switch (index) {
        case 0: return onsets.getDescriptor();
        case 1: return features.getDescriptor();
        case 2: return rnnOnsets.getDescriptor();
        case 3: return classifier.getDescriptor();
        default: return nullptr;
    }
}
