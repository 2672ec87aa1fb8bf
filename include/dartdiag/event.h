// Event: one typed record parsed from a log line (or a multi-line event-log record).
// Parsers produce Events whose views point into their input; the rule engine copies the few
// it keeps into OwnedEvent. Tested by parser_test.cc through Dump().
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace dartdiag {

// Every field a rule can name. Generic fields first, then typed fields that parsers fill
// where the message states them. Names (FieldName) are the rule pack's vocabulary.
enum class FieldId : uint8_t {
  kLevel,       // DEBUG, INFO, WARN, ERROR, ... (event log: Warning, Error, ... unless the
                // description carries its own level)
  kThread,      // thread id as written (plugin: "12", event log: "27cc")
  kPid,         // process id (plugin log)
  kComponent,   // plugin component, e.g. "Dns Protection IPv4 State Machine"
  kSource,      // event-log source, e.g. "csc_swgagent"
  kEventId,     // event-log event id (wevtutil export)
  kMessage,     // the message text
  kFamily,      // "ipv4" / "ipv6", from the component
  kPort,        // "443", "53", from "using port P" / "port P" / "for port P"
  kCandidates,  // "208.67.222.222, 208.67.220.220"
  kFailOpen,    // "1" / "0" from "[FailOpen : 1, ...]"
  kCMode,       // from "CMode : 1"
  kTMode,       // from "TMode : 0"
  kCount        // number of fields; not a field
};
inline constexpr size_t kFieldCount = static_cast<size_t>(FieldId::kCount);

std::string_view FieldName(FieldId id);
std::optional<FieldId> FieldByName(std::string_view name);

// Identifies the log type (a row of the log-type table in log_types.cc).
using LogTypeId = uint8_t;

// A parsed event. Views are valid only during the sink call that receives it.
// A machine or account name a log states at a known position (the event log's Computer and
// User), reported for redaction (src/redact_result.cc), never shown.
enum class IdentityKind : uint8_t { kHost, kUser };

struct Event {
  LogTypeId log = 0;
  uint64_t line = 0;      // 1-based line number where the record starts
  std::string_view time;  // ISO 8601 as far as the log states it, no invented zone
  int64_t sort_time = 0;  // seconds since 1970 of `time` read as UTC, for ordering only
  std::string_view raw;   // the raw record text (first line for multi-line records)
  // Read through Get(): fields a parser derives on demand are filled on first use.
  mutable std::array<std::string_view, kFieldCount> fields{};

  std::string_view Get(FieldId id) const {
    const auto i = static_cast<size_t>(id);
    if ((deferred >> i) & 1u) {
      deferred &= static_cast<uint16_t>(~(1u << i));  // a fill that asks for its own field gets it empty
      deferred &= static_cast<uint16_t>(~derive(*this, id));
    }
    return fields[i];
  }
  void Set(FieldId id, std::string_view value) {
    fields[static_cast<size_t>(id)] = value;
    deferred &= static_cast<uint16_t>(~(1u << static_cast<size_t>(id)));
  }
  // Fields (bit per FieldId) that `fill` fills from the others when first asked for: typed fields
  // most events are never asked for (a port found by searching the message). `fill` is asked for
  // one field and returns the bits of the fields it filled (at least that one). A value it fills
  // must be a part of the event's other fields or text that outlives every event (a literal):
  // a kept event (OwnedEvent) fills its fields later, from its own copy of the text.
  using Fill = uint16_t (*)(const Event&, FieldId asked);
  void Defer(uint16_t fields_mask, Fill fill) {
    deferred = fields_mask;
    derive = fill;
  }
  uint16_t deferred_fields() const { return deferred; }  // not filled yet
  Fill deferred_fill() const { return derive; }

  // Set by a parser whose records are one line each and whose fields depend on nothing but that
  // line: fills every field from `raw` alone (a Fill that fills all of them at once). A kept copy
  // (OwnedEvent) of such an event holds the text only and fills its fields when first asked.
  Fill reparse = nullptr;

 private:
  mutable uint16_t deferred = 0;
  Fill derive = nullptr;
};
static_assert(kFieldCount <= 16, "Event::deferred holds one bit per field");

// A stable one-line text form of an event, for tests and debugging:
// `L6 2024-08-27T03:07:53 level=DEBUG thread=12 ... message="..."` (empty fields omitted).
std::string Dump(const Event& event);

// An event that owns its text, for the events the rule engine and the state models keep. One
// buffer holds the raw text, then the time and the text of each field that is not a part of the
// raw text (most fields are); the time and the fields are spans of it, so a copy costs one
// allocation, and Assign into a kept event none once its buffer is large enough. Of an event
// with Event::reparse, only the raw text and the time are kept: every field is read from the
// text again when first asked for.
class OwnedEvent {
 public:
  LogTypeId log = 0;
  size_t file = 0;  // index into the analysis' file list
  uint64_t line = 0;
  uint64_t seq = 0;  // order of arrival across all files
  int64_t sort_time = 0;

  OwnedEvent() = default;
  OwnedEvent(const OwnedEvent& other) { *this = other; }
  OwnedEvent& operator=(const OwnedEvent& other);
  OwnedEvent(OwnedEvent&&) noexcept = default;
  OwnedEvent& operator=(OwnedEvent&&) noexcept = default;

  static OwnedEvent From(const Event& event, size_t file, uint64_t seq);
  // The same into this one, reusing its buffer.
  void Assign(const Event& event, size_t file, uint64_t seq);
  // For a pool of buffers: the buffer of an event no longer needed (which is left empty, to be
  // assigned or destroyed), and one given to an event to be assigned.
  std::string TakeBuffer() {
    std::string buffer = std::move(text_);
    text_.clear();
    raw_ = time_ = {};
    places_.reset();
    deferred_ = 0;
    return buffer;
  }
  void Reuse(std::string&& buffer) { text_ = std::move(buffer); }
  size_t text_capacity() const { return text_.capacity(); }
  std::string_view time() const { return View(time_); }
  std::string_view raw() const { return View(raw_); }
  // A field the event had not filled yet is filled on first use, as the event would have.
  std::string_view Get(FieldId id) const {
    const auto i = static_cast<size_t>(id);
    if ((deferred_ >> i) & 1u) Derive(id);
    if (places_ == nullptr) return {};
    const Places& p = *places_;
    return p.literals[i] != nullptr ? std::string_view(p.literals[i], p.spans[i].size) : View(p.spans[i]);
  }

 private:
  struct Span {
    size_t begin = 0, size = 0;
  };
  // Where each filled field lies: a span of the text, or a literal (Event::Defer) that starts at
  // literals[i] with the span's size.
  struct Places {
    std::array<Span, kFieldCount> spans{};
    std::array<const char*, kFieldCount> literals{};
  };
  std::string_view View(Span span) const { return std::string_view(text_).substr(span.begin, span.size); }
  void Derive(FieldId id) const;
  Places& PlacesToWrite() const;
  // Where `value` lies in `text` (an empty span for an empty value); nullopt when it lies outside.
  static std::optional<Span> PlaceIn(std::string_view value, std::string_view text);

  std::string text_;
  Span raw_, time_;
  // Fields not filled yet and the event's fill.
  mutable uint16_t deferred_ = 0;
  Event::Fill derive_ = nullptr;
  // The places of the filled fields; none (every filled field empty) until a field is written.
  // Most kept events are plugin lines whose fields are all deferred (Event::reparse) and never
  // asked for: they never allocate it, and making, moving or pooling them touches none of it.
  mutable std::unique_ptr<Places> places_;
};

}  // namespace dartdiag
