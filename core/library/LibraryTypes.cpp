#include "core/library/LibraryTypes.h"

#include "core/util/Error.h"

namespace sonolab::library {

std::string_view toString(LabelKind kind) {
    switch (kind) {
        case LabelKind::Binary: return "binary";
        case LabelKind::Single: return "single";
        case LabelKind::Multi: return "multi";
    }
    return "multi";
}

LabelKind labelKindFromString(std::string_view text) {
    if (text == "binary") return LabelKind::Binary;
    if (text == "single") return LabelKind::Single;
    if (text == "multi") return LabelKind::Multi;
    throw Error("label kind", "unknown kind '" + std::string(text) + "' (expected binary, single or multi)");
}

std::string_view toString(SplitPart part) {
    switch (part) {
        case SplitPart::Train: return "train";
        case SplitPart::Validation: return "validation";
        case SplitPart::Test: return "test";
    }
    return "train";
}

SplitPart splitPartFromString(std::string_view text) {
    if (text == "train") return SplitPart::Train;
    if (text == "validation" || text == "valid" || text == "val") return SplitPart::Validation;
    if (text == "test") return SplitPart::Test;
    throw Error("split", "unknown part '" + std::string(text) + "' (expected train, validation or test)");
}

}  // namespace sonolab::library
