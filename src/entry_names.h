// The rules about archive entry names the input stage applies: which names are decoys, which
// would escape a folder, and the order members are listed in. Tested by collect_test.cc
// (EntryNames.*).
#pragma once

#include <string>
#include <string_view>

namespace dartdiag {

// Logs and other entries in one order whatever the input's kind (a zip keeps the order its entries
// were added, a folder is walked in name order), so the same bundle zipped or unzipped gives the
// same report: by name ignoring ASCII case, a separator ('/', or '\\' in zips made on Windows)
// first so a folder's entries stay together; names equal but for case by their bytes.
bool PathBefore(const std::string& a, const std::string& b);

// True for macOS resource-fork decoys: any "__MACOSX" path component or a "._" base name.
bool IsDecoyName(std::string_view entry_name);
// True for absolute names and names with a ".." component.
bool IsEscapingName(std::string_view entry_name);

}  // namespace dartdiag
