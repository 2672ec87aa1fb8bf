// Typed spans of a warning message that MaskMessage replaces before template mining: URLs,
// e-mail addresses, Windows paths, host names and negative numbers. Each detector looks at one
// position and says how long the span there is (0: none), so MaskMessage stays one pass.
// Only shapes that are cheap to check and certain are taken; the rest is left to the miner.
// Tested by unexplained_test.cc (the MaskMessage table).
#pragma once

#include <cstddef>
#include <string_view>

namespace dartdiag {

// "scheme://..." (scheme of 2-10 letters) up to whitespace, a quote or <>, without trailing
// punctuation.
size_t UrlAt(std::string_view s, size_t pos);

// local@domain.tld: local part of letters, digits and . _ % + -, a domain with at least one dot.
size_t EmailAt(std::string_view s, size_t pos);

// "C:\..." or "\\server\..." up to whitespace (or, after an opening quote, up to the closing
// quote), without trailing punctuation.
size_t WindowsPathAt(std::string_view s, size_t pos);

// A dotted host name whose last label is a well-known top-level domain (corp.example.com,
// acme-corp.local), or a Windows default computer name (DESKTOP-7Q2W9E, LAPTOP-.., WIN-..).
size_t HostAt(std::string_view s, size_t pos);

}  // namespace dartdiag
