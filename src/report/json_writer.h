// Writes a JSON document to a stream exactly as nlohmann's dump(indent, ' ', false, replace) would
// write it, byte for byte, without building the text of the whole document first, and with parts
// of the document streamed from the caller's own data: a `binary` value in the tree is a splice
// point, written by the caller's function in its place. The JSON report streams its timelines'
// intervals that way (the bulk of a report on a long log), so their tree is never built. Internal
// header; tested by json_writer_test.cc against dump() over every testdata bundle and fuzz seed.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace dartdiag {

class JsonWriter {
 public:
  using json = nlohmann::ordered_json;
  // Writes the value at a splice point: `id` is the binary value's subtype.
  using Splice = std::function<void(JsonWriter& writer, uint64_t id)>;

  // `indent` as dump's: spaces per level, or negative for the compact form.
  // Text goes to `out` in pieces of about 64 KiB, and the rest when Flush() is called or the
  // writer is destroyed.
  JsonWriter(std::ostream& out, int indent) : out_(out), indent_(indent) {}
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;
  void Flush();

  // Writes `value` at the current depth; splice points call `splice`.
  void Write(const json& value, const Splice& splice = {});

  // An array written element by element (at a splice point, or at the top): Begin, then one
  // Element before each value, then End.
  void BeginArray();
  void Element();
  void EndArray();

  // An object whose members are all text, written without a tree: (key, text), a null for a
  // nullptr text.
  using TextMember = std::pair<std::string_view, const std::string*>;
  void TextObject(std::span<const TextMember> members);

 private:
  void String(std::string_view text);
  void Key(std::string_view key);  // "key": then the value (no space when compact)
  void NewLine();
  // open, then `each(i)` for i < count on lines of their own separated by commas, then close;
  // open and close only when count is 0.
  template <typename Each>
  void Items(char open, char close, size_t count, Each&& each);

  std::ostream& out_;
  std::string buffer_;
  int indent_;
  size_t depth_ = 0;
  // Per open streamed array: whether it has an element yet.
  std::vector<bool> open_;
};

}  // namespace dartdiag
