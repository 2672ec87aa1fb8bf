// Helpers shared by the tests: testdata paths, temporary folders, zips built at test time from
// plain-text fixtures, and in-process runs of the command line.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "dartdiag/event.h"
#include "log_types.h"

namespace dartdiag::testing {

std::filesystem::path TestData(const std::string& relative);

// A fresh folder under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path Write(const std::string& name, const std::string& bytes) const;

 private:
  std::filesystem::path path_;
};

struct ZipEntry {
  std::string name;
  std::string bytes;
  bool encrypt = false;  // traditional PKWARE encryption, password "secret"
};

// Every regular file under `folder`, as entries named by their relative path with '/'.
std::vector<ZipEntry> ReadTree(const std::filesystem::path& folder);

// Writes a zip holding `entries` (deflated) and returns its bytes.
std::string MakeZip(const std::vector<ZipEntry>& entries);

std::string ReadBytes(const std::filesystem::path& path);

// UTF-8 (ASCII) text to UTF-16 with a BOM.
std::string ToUtf16(const std::string& ascii, bool little_endian);

struct CliRun {
  int code = -1;
  std::string out, err;
};
CliRun Run(const std::vector<std::string>& args);
// The same with `stdin_bytes` as standard input (for the input "-").
CliRun RunWithStdin(const std::vector<std::string>& args, const std::string& stdin_bytes);

// Parses `text` with the parser of log type `log_id` and returns Dump() of each event, then
// "unparsed L<n>" for each unparsed line.
std::vector<std::string> ParseToDumps(const std::string& log_id, const std::string& text);

}  // namespace dartdiag::testing
