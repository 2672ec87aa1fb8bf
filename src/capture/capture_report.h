// The capture's part of the reports: JSON (the "capture" object and each verdict's "capture"
// field, docs/report.schema.json) in capture_json.cc, text (a capture section and a line under
// each verdict) in capture_text.cc. Internal header; tested by capture_test.cc.
#pragma once

#include <optional>
#include <ostream>

#include <nlohmann/json.hpp>

#include "dartdiag/capture.h"
#include "messages.h"
#include "text_painter.h"

namespace dartdiag {

nlohmann::ordered_json CaptureJson(const std::optional<CaptureReport>& capture);    // null when absent
nlohmann::ordered_json CaptureCheckJson(const std::optional<CaptureCheck>& check);  // null when absent

void WriteCaptureCheck(const CaptureCheck& check, Lang lang, const Painter& paint, std::ostream& out);
void WriteCaptureSection(const CaptureReport& capture, Lang lang, const Painter& paint, std::ostream& out);

}  // namespace dartdiag
