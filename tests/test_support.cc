// Test helpers: see test_support.h.
#include "test_support.h"

#include <zip.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "cli/cli.h"

namespace dartdiag::testing {
namespace fs = std::filesystem;

fs::path TestData(const std::string& relative) { return fs::path(DARTDIAG_TESTDATA) / relative; }

TempDir::TempDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() / fmt::format("dartdiag-test-{:x}{:x}", rd(), rd());
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path TempDir::Write(const std::string& name, const std::string& bytes) const {
  const fs::path file = path_ / name;
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << bytes;
  return file;
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<ZipEntry> ReadTree(const fs::path& folder) {
  std::vector<ZipEntry> entries;
  for (const auto& item : fs::recursive_directory_iterator(folder)) {
    if (!item.is_regular_file()) continue;
    entries.push_back({fs::relative(item.path(), folder).generic_string(), ReadBytes(item.path())});
  }
  std::sort(entries.begin(), entries.end(), [](const ZipEntry& a, const ZipEntry& b) { return a.name < b.name; });
  return entries;
}

std::string MakeZip(const std::vector<ZipEntry>& entries) {
  TempDir dir;
  const std::string path = (dir.path() / "out.zip").string();
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (zip == nullptr) throw std::runtime_error("zip_open failed");
  for (const ZipEntry& entry : entries) {
    zip_source_t* source = zip_source_buffer(zip, entry.bytes.data(), entry.bytes.size(), 0);
    // ZIP_FL_ENC_RAW keeps '\' and '../' names exactly as given.
    const zip_int64_t index = zip_file_add(zip, entry.name.c_str(), source, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (index < 0) throw std::runtime_error(std::string("zip_file_add failed: ") + zip_strerror(zip));
    if (entry.encrypt &&
        zip_file_set_encryption(zip, static_cast<zip_uint64_t>(index), ZIP_EM_TRAD_PKWARE, "secret") != 0) {
      throw std::runtime_error(std::string("zip_file_set_encryption failed: ") + zip_strerror(zip));
    }
  }
  if (zip_close(zip) != 0) throw std::runtime_error(std::string("zip_close failed: ") + zip_strerror(zip));
  return ReadBytes(path);
}

std::string ToUtf16(const std::string& ascii, bool little_endian) {
  std::string out = little_endian ? std::string("\xFF\xFE") : std::string("\xFE\xFF");
  for (char c : ascii) {
    if (little_endian) {
      out.push_back(c);
      out.push_back('\0');
    } else {
      out.push_back('\0');
      out.push_back(c);
    }
  }
  return out;
}

CliRun Run(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  CliRun run;
  run.code = RunCli(args, out, err, Terminal{});
  run.out = out.str();
  run.err = err.str();
  return run;
}

CliRun RunWithStdin(const std::vector<std::string>& args, const std::string& stdin_bytes) {
  std::istringstream in(stdin_bytes);
  std::ostringstream out, err;
  Terminal terminal;
  terminal.in = &in;
  CliRun run;
  run.code = RunCli(args, out, err, terminal);
  run.out = out.str();
  run.err = err.str();
  return run;
}

namespace {
class DumpSink final : public EventSink {
 public:
  void OnEvent(const Event& event) override { dumps.push_back(Dump(event)); }
  void OnUnparsed(uint64_t line, std::string_view) override { dumps.push_back(fmt::format("unparsed L{}", line)); }
  std::vector<std::string> dumps;
};
}  // namespace

std::vector<std::string> ParseToDumps(const std::string& log_id, const std::string& text) {
  const auto log = LogTypeById(log_id);
  if (!log) throw std::runtime_error("unknown log type " + log_id);
  DumpSink sink;
  ParseText(*log, text, sink);
  return sink.dumps;
}

}  // namespace dartdiag::testing
