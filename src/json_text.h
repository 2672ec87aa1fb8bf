// A first pass over a JSON text before nlohmann_json builds anything from it: syntax, UTF-8,
// numbers in double range and nesting depth, each problem located by line and column and said
// in dartdiag's words (never the JSON library's). Rule packs are checked with it, so a hostile
// pack never reaches a recursive copy 200,000 levels deep. Internal header; tested by
// json_text_test.cc (against nlohmann_json's own verdict on generated texts) and rule_pack_test.cc.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dartdiag {

struct JsonTextProblem {
  size_t line = 1;        // 1-based
  size_t column = 1;      // 1-based, in characters (UTF-8 sequences count once)
  std::string what;       // e.g. "expected ',' or '}' after a member, found ']'"; printable ASCII only
  bool too_deep = false;  // the text nests deeper than allowed (otherwise it is not valid JSON)
};

// nullopt when `text` is one JSON value (RFC 8259, an optional UTF-8 BOM first, as nlohmann_json
// accepts it) nesting at most `max_depth` arrays and objects; else the first problem.
std::optional<JsonTextProblem> CheckJsonText(std::string_view text, int max_depth);

}  // namespace dartdiag
