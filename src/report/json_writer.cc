// The streaming JSON writer (json_writer.h). Its layout follows nlohmann's serializer: "{\n",
// members at one more indent as "key": value separated by ",\n", then "\n" and "}" at the outer
// indent; "{}" and "[]" when empty; the compact form has no spaces and no newlines. Text that is
// printable ASCII without quote or backslash is written as it is; any other text, and every
// number but an integer, is written by nlohmann's own dump, so escapes, replaced invalid UTF-8
// and floats are its bytes.
#include "json_writer.h"

#include <charconv>

namespace dartdiag {

namespace {

bool Plain(std::string_view text) {
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b >= 0x7f || c == '"' || c == '\\') return false;
  }
  return true;
}

template <typename Int>
void AppendInteger(std::string& out, Int value) {
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(buffer, end);
}

constexpr size_t kFlushBytes = 64 * 1024;

}  // namespace

JsonWriter::~JsonWriter() { Flush(); }

void JsonWriter::Flush() {
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
}

void JsonWriter::NewLine() {
  if (buffer_.size() >= kFlushBytes) Flush();
  if (indent_ < 0) return;
  buffer_ += '\n';
  buffer_.append(depth_ * static_cast<size_t>(indent_), ' ');
}

void JsonWriter::String(std::string_view text) {
  if (Plain(text)) {
    buffer_ += '"';
    buffer_ += text;
    buffer_ += '"';
  } else {
    buffer_ += json(text).dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

template <typename Each>
void JsonWriter::Items(char open, char close, size_t count, Each&& each) {
  buffer_ += open;
  if (count == 0) {
    buffer_ += close;
    return;
  }
  ++depth_;
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) buffer_ += ',';
    NewLine();
    each(i);
  }
  --depth_;
  NewLine();
  buffer_ += close;
}

void JsonWriter::Key(std::string_view key) {
  String(key);
  buffer_ += indent_ < 0 ? ":" : ": ";
}

void JsonWriter::Write(const json& value, const Splice& splice) {
  switch (value.type()) {
    case json::value_t::object: {
      auto member = value.begin();
      Items('{', '}', value.size(), [&](size_t) {
        Key(member.key());
        Write(member.value(), splice);
        ++member;
      });
      return;
    }
    case json::value_t::array: Items('[', ']', value.size(), [&](size_t i) { Write(value[i], splice); }); return;
    case json::value_t::string: String(value.get_ref<const std::string&>()); return;
    case json::value_t::number_integer: AppendInteger(buffer_, value.get<int64_t>()); return;
    case json::value_t::number_unsigned: AppendInteger(buffer_, value.get<uint64_t>()); return;
    case json::value_t::binary:
      if (splice) {
        splice(*this, value.get_binary().subtype());
        return;
      }
      break;
    default: break;
  }
  buffer_ += value.dump(-1, ' ', false, json::error_handler_t::replace);  // null, booleans, floats
}

void JsonWriter::TextObject(std::span<const TextMember> members) {
  Items('{', '}', members.size(), [&](size_t m) {
    Key(members[m].first);
    if (members[m].second != nullptr) {
      String(*members[m].second);
    } else {
      buffer_ += "null";
    }
  });
}

void JsonWriter::BeginArray() {
  open_.push_back(false);
  ++depth_;
}

void JsonWriter::Element() {
  buffer_ += open_.back() ? ',' : '[';
  open_.back() = true;
  NewLine();
}

void JsonWriter::EndArray() {
  --depth_;
  if (open_.back()) {
    NewLine();
    buffer_ += ']';
  } else {
    buffer_ += "[]";
  }
  open_.pop_back();
}

}  // namespace dartdiag
