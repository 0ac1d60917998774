// Base64 (RFC 4648 §4, standard alphabet "+/", and §5, URL-safe "-_"), one codec for every
// module: XML base64Binary payloads, FHIR base64Binary values, FHIRPath encode()/decode(),
// audit details, JOSE and PHC strings.
//
// Contract: pure functions, thread-safe. What a decoder accepts is the Base64Format's choice:
// the default is the padded standard form; kBase64Mime skips line breaks; kBase64Lenient takes
// either alphabet with or without padding (text people and other systems send);
// kBase64UrlCanonical refuses everything but the one encoding of each byte string (tokens and
// signatures: no malleability through re-encoding). A refused text is std::nullopt, never a
// partial result.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hb {

enum class Base64Alphabet {
  kStandard,  // "+/"
  kUrl,       // "-_"
  kEither,    // decoding only: both ("+" and "-" are 62, "/" and "_" 63); encodes as kStandard
};

enum class Base64Padding {
  kRequired,  // encode with '=' to a multiple of 4; decoding needs exactly that padding
  kOptional,  // encode with '='; decoding takes the exact padding or none
  kNone,      // encode without; decoding refuses '='
};

struct Base64Format {
  Base64Alphabet alphabet = Base64Alphabet::kStandard;
  Base64Padding padding = Base64Padding::kRequired;
  bool skip_whitespace = false;  // decoding: ignore space, tab, CR, LF (MIME line breaks)
  bool canonical = false;        // decoding: refuse non-zero bits after the last byte
};

inline constexpr Base64Format kBase64Standard{};
inline constexpr Base64Format kBase64Mime{Base64Alphabet::kStandard, Base64Padding::kRequired,
                                          /*skip_whitespace=*/true, /*canonical=*/false};
inline constexpr Base64Format kBase64Lenient{Base64Alphabet::kEither, Base64Padding::kOptional,
                                             /*skip_whitespace=*/false, /*canonical=*/false};
inline constexpr Base64Format kBase64UrlCanonical{Base64Alphabet::kUrl, Base64Padding::kNone,
                                                  /*skip_whitespace=*/false, /*canonical=*/true};

std::string Base64Encode(std::string_view bytes, const Base64Format& format = kBase64Standard);

// The bytes of `text`, or nullopt when `format` does not accept it: a character outside the
// alphabet, '=' other than as padding, padding the format does not allow, or a length no
// encoding has (one character over a multiple of 4).
std::optional<std::string> Base64Decode(std::string_view text,
                                        const Base64Format& format = kBase64Standard);

}  // namespace hb
