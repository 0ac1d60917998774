// Full-text search: `_text` (the narrative) and `_content` (the whole resource).
//
// At write time AddFullText turns a resource into two lists of words (IndexEntries::
// narrative and ::content): the narrative is Resource.text.div with its markup removed
// and its character references decoded; the content is every other string value of the
// resource (codes, displays, names, notes, ...; not ids, references, system and url
// URIs, meta or base64 data). Words are folded as string search folds ("Lò Văn A" ->
// "lo van a", "Đ" -> "d"): a word is a run of ASCII letters and digits or of non-ASCII
// bytes; everything else separates words. The stores keep one full-text row per
// resource (SQLite FTS5, PostgreSQL tsvector; docs/implementation/search.md).
//
// A query value is split into words the same way (FullTextWords); a resource matches
// when every word of the value is a word of its narrative (_text) or of its narrative or
// content (_content), in any order; several values (`,`) are ORed. Whole words, not
// prefixes: an index lookup each ("a" as a prefix would read every word beginning with
// a); string parameters' :text matches word starts instead.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "fhir/json.h"
#include "search/index_entries.h"

namespace hb::search {

// At most this many bytes of words per column and resource (the rest is not indexed).
constexpr size_t kMaxFullTextBytes = 64 * 1024;
// Longer words (encoded blobs, hashes) are not indexed.
constexpr size_t kMaxFullTextWord = 64;

// `text` folded and split into words, joined by one space ("Lò Văn-A, 8867-4" ->
// "lo van a 8867 4").
std::string FullTextWords(std::string_view text);

// The character data of an XHTML fragment: tags, comments and CDATA markers become
// spaces; &amp; &lt; &gt; &quot; &apos; &nbsp; and numeric references are decoded.
std::string NarrativeText(std::string_view xhtml);

// Fills out->narrative and out->content from `resource` (replacing what they held).
void AddFullText(const fhir::JsonValue& resource, IndexEntries* out);

}  // namespace hb::search
