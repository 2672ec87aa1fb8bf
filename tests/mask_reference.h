// The slow reference for MaskMessage: the masker as it was before the one-scan rewrite, kept
// verbatim in mask_reference.cc. mask_test.cc compares both over generated messages.
#pragma once

#include <string>
#include <string_view>

namespace dartdiag::testing {

std::string ReferenceMaskMessage(std::string_view message);

}  // namespace dartdiag::testing
