// Escape sequences: how HL7 v2 writes delimiters, line breaks and raw bytes inside a value.
//
// Contract: pure functions, thread-safe. Values are kept escaped (raw) in the message model
// so that encoding gives back the received bytes; Unescape() is applied when a value is read
// and Escape() when one is written.
//   \F\ \S\ \T\ \R\ \E\  field, component, subcomponent, repetition separators, escape char
//   \P\                  the truncation character (v2.7), when MSH-2 declares one
//   \Xhh..\              bytes in hex, in the message's character set
//   \.br\ \.sp n\ \.ce\  line breaks (read as "\n"); \.sk n\ n spaces
//   \H\ \N\ \.fi\ \.nf\ \.in n\ \.ti n\   presentation only: dropped when read
//   \Cxxyy\ \Mxxyyzz\ \Zxx\ and unknown   kept verbatim, escape characters included
// CheckEscapes() refuses what has no meaning: an escape character with no closing one before
// the value ends, an empty sequence, and \X with odd or non-hex digits or bytes the charset
// cannot hold. The parser runs it on every field, so Unescape() never meets those.
// Spec: HL7 v2.5.1 section 2.7 (use of escape sequences in text fields).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "lis/charset.h"
#include "lis/delimiters.h"

namespace hb::lis {

// OK, or an error whose message says what is wrong and at which character of `raw` (1-based).
Status CheckEscapes(std::string_view raw, const Delimiters& d, Charset charset);

// One leaf value (a component or subcomponent, already split) as UTF-8 text.
std::string Unescape(std::string_view raw, const Delimiters& d, Charset charset);

// `text` (UTF-8) as a leaf value: delimiters escaped, "\n" (and "\r\n") written as \.br\,
// a lone CR and the other control characters but tab as \Xhh\.
std::string Escape(std::string_view text, const Delimiters& d);

}  // namespace hb::lis
