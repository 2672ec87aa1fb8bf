// Field names of the rule pack vocabulary, the Dump() text form, and OwnedEvent copies.
// Tested by parser_test.cc.
#include "dartdiag/event.h"

#include <bit>
#include <cstring>
#include <functional>

#include <fmt/format.h>

namespace dartdiag {
namespace {

constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "level",  "thread", "pid",        "component", "source", "event_id", "message",
    "family", "port",   "candidates", "fail_open", "cmode",  "tmode",
};

}  // namespace

std::string_view FieldName(FieldId id) { return kFieldNames[static_cast<size_t>(id)]; }

std::optional<FieldId> FieldByName(std::string_view name) {
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (kFieldNames[i] == name) return static_cast<FieldId>(i);
  }
  return std::nullopt;
}

std::string Dump(const Event& event) {
  std::string out = fmt::format("L{} {}", event.line, event.time.empty() ? "-" : event.time);
  for (size_t i = 0; i < kFieldCount; ++i) {
    const std::string_view value = event.Get(static_cast<FieldId>(i));
    if (value.empty()) continue;
    const bool quote = static_cast<FieldId>(i) == FieldId::kMessage || value.find(' ') != std::string_view::npos;
    if (quote) {
      fmt::format_to(std::back_inserter(out), " {}=\"{}\"", kFieldNames[i], value);
    } else {
      fmt::format_to(std::back_inserter(out), " {}={}", kFieldNames[i], value);
    }
  }
  return out;
}

OwnedEvent OwnedEvent::From(const Event& event, size_t file, uint64_t seq) {
  OwnedEvent owned;
  owned.Assign(event, file, seq);
  return owned;
}

namespace {

// Whether `part` lies within `whole` (std::less orders pointers into unrelated objects too).
bool Inside(std::string_view part, std::string_view whole) {
  const std::less<const char*> before;
  return !before(part.data(), whole.data()) && !before(whole.data() + whole.size(), part.data() + part.size());
}

}  // namespace

std::optional<OwnedEvent::Span> OwnedEvent::PlaceIn(std::string_view value, std::string_view text) {
  if (value.empty()) return Span{};
  if (Inside(value, text)) return Span{static_cast<size_t>(value.data() - text.data()), value.size()};
  return std::nullopt;
}

OwnedEvent& OwnedEvent::operator=(const OwnedEvent& other) {
  if (this == &other) return *this;
  log = other.log;
  file = other.file;
  line = other.line;
  seq = other.seq;
  sort_time = other.sort_time;
  text_ = other.text_;
  raw_ = other.raw_;
  time_ = other.time_;
  deferred_ = other.deferred_;
  derive_ = other.derive_;
  if (other.places_ == nullptr) {
    places_.reset();
  } else {
    PlacesToWrite() = *other.places_;
  }
  return *this;
}

OwnedEvent::Places& OwnedEvent::PlacesToWrite() const {
  if (places_ == nullptr) places_ = std::make_unique<Places>();
  return *places_;
}

void OwnedEvent::Assign(const Event& event, size_t file_index, uint64_t arrival) {
  log = event.log;
  file = file_index;
  line = event.line;
  seq = arrival;
  sort_time = event.sort_time;
  // Most fields are parts of the raw text: they are kept as places in it. The rest (the time as
  // the parser wrote it, a value it made up) is appended, in one allocation at most. Fields the
  // event has not filled yet stay so: the fill runs on this copy when someone asks.
  const std::string_view raw = event.raw;
  if (event.reparse != nullptr) {  // the text says every field: it is all that is kept
    // No field is filled: Derive writes each one's place (and literal) as it fills it. A reused
    // event keeps no place of the one it held before.
    deferred_ = static_cast<uint16_t>((1u << kFieldCount) - 1);
    places_.reset();
    derive_ = event.reparse;
    const std::optional<Span> time_place = PlaceIn(event.time, raw);
    const size_t time_size = time_place ? 0 : event.time.size();
    text_.resize(raw.size() + time_size);
    if (!raw.empty()) std::memcpy(text_.data(), raw.data(), raw.size());
    if (time_size != 0) std::memcpy(text_.data() + raw.size(), event.time.data(), time_size);
    raw_ = {0, raw.size()};
    time_ = time_place ? *time_place : Span{raw.size(), time_size};
    return;
  }
  deferred_ = event.deferred_fields();
  derive_ = event.deferred_fill();
  Places& places = PlacesToWrite();
  places.literals = {};
  uint32_t outside = 0;  // bit per field whose value is appended
  size_t size = raw.size() + event.time.size();
  for (size_t i = 0; i < kFieldCount; ++i) {
    const std::string_view value = ((deferred_ >> i) & 1u) != 0 ? std::string_view() : event.fields[i];
    if (const std::optional<Span> place = PlaceIn(value, raw)) {
      places.spans[i] = *place;
    } else {
      outside |= 1u << i;
      size += value.size();
    }
  }
  text_.clear();
  text_.reserve(size);
  text_.append(raw);
  raw_ = {0, raw.size()};
  const auto append = [&](std::string_view value) -> Span {
    const Span span{text_.size(), value.size()};
    text_.append(value);
    return span;
  };
  const std::optional<Span> time_place = PlaceIn(event.time, raw);
  time_ = time_place ? *time_place : append(event.time);
  for (; outside != 0; outside &= outside - 1) {
    const auto i = static_cast<size_t>(std::countr_zero(outside));
    places.spans[i] = append(event.fields[i]);
  }
}

void OwnedEvent::Derive(FieldId id) const {
  // The event as it was, its fields viewing this copy's text, with the same fields left to fill.
  Event event;
  event.log = log;
  event.line = line;
  event.time = time();
  event.sort_time = sort_time;
  event.raw = raw();
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (((deferred_ >> i) & 1u) == 0) event.fields[i] = Get(static_cast<FieldId>(i));
  }
  event.Defer(deferred_, derive_);
  event.Get(id);
  const uint16_t filled = deferred_ & static_cast<uint16_t>(~event.deferred_fields());
  // A new Places reads as empty: so were the fields filled before it (none was written).
  Places& places = PlacesToWrite();
  deferred_ = event.deferred_fields();
  const std::string_view text = text_;
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (((filled >> i) & 1u) == 0) continue;
    const std::string_view value = event.fields[i];
    if (const std::optional<Span> place = PlaceIn(value, text)) {
      places.spans[i] = *place;
      places.literals[i] = nullptr;
    } else {
      places.literals[i] = value.data();  // Event::Defer: a literal, which outlives this event
      places.spans[i] = {0, value.size()};
    }
  }
}

}  // namespace dartdiag
