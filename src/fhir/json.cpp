#include "fhir/json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/reader.h>
#include <rapidjson/writer.h>

#include <string>

#include "common/utf8.h"

namespace hb::fhir {

namespace {

// Forwards SAX events into a Document, keeping numbers' text and bounding depth.
class BuildHandler {
 public:
  BuildHandler(JsonDoc& doc, size_t max_depth) : doc_(doc), max_depth_(max_depth) {}
  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int) { return false; }  // never called: kParseNumbersAsStringsFlag
  bool Uint(unsigned) { return false; }
  bool Int64(int64_t) { return false; }
  bool Uint64(uint64_t) { return false; }
  bool Double(double) { return false; }
  bool RawNumber(const char* str, rapidjson::SizeType len, bool) {
    scratch_.assign(1, kNumberMark);
    scratch_.append(str, len);
    return doc_.String(scratch_.data(), static_cast<rapidjson::SizeType>(scratch_.size()), true);
  }
  bool String(const char* str, rapidjson::SizeType len, bool copy) {
    // A string starting with U+0001 would read back as a number (see kNumberMark);
    // FHIR forbids control characters in strings anyway.
    if (len > 0 && str[0] == kNumberMark) {
      marked_string_ = true;
      return false;
    }
    // RapidJSON decodes a lone surrogate escape ("\ude0d") into bytes that are not
    // UTF-8; refuse them here so that nothing stored can fail to parse again.
    if (!IsValidUtf8(std::string_view(str, len))) {
      bad_escape_ = true;
      return false;
    }
    return doc_.String(str, len, copy);
  }
  bool StartObject() { return Enter() && doc_.StartObject(); }
  bool Key(const char* str, rapidjson::SizeType len, bool copy) {
    if (!IsValidUtf8(std::string_view(str, len))) {
      bad_escape_ = true;
      return false;
    }
    return doc_.Key(str, len, copy);
  }
  bool EndObject(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndObject(n);
  }
  bool StartArray() { return Enter() && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndArray(n);
  }
  bool too_deep() const { return too_deep_; }
  bool marked_string() const { return marked_string_; }
  bool bad_escape() const { return bad_escape_; }

 private:
  bool Enter() {
    if (++depth_ > max_depth_) {
      too_deep_ = true;
      return false;
    }
    return true;
  }
  JsonDoc& doc_;
  size_t max_depth_;
  size_t depth_ = 0;
  bool too_deep_ = false;
  bool marked_string_ = false;
  bool bad_escape_ = false;
  std::string scratch_;
};

template <typename Writer>
class WriteHandler {
 public:
  explicit WriteHandler(Writer& w) : w_(w) {}
  bool Null() { return w_.Null(); }
  bool Bool(bool b) { return w_.Bool(b); }
  bool Int(int i) { return w_.Int(i); }
  bool Uint(unsigned u) { return w_.Uint(u); }
  bool Int64(int64_t i) { return w_.Int64(i); }
  bool Uint64(uint64_t u) { return w_.Uint64(u); }
  bool Double(double d) { return w_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool c) { return w_.RawNumber(s, n, c); }
  bool String(const char* s, rapidjson::SizeType n, bool c) {
    if (n > 0 && s[0] == kNumberMark) return w_.RawValue(s + 1, n - 1, rapidjson::kNumberType);
    return w_.String(s, n, c);
  }
  bool StartObject() { return w_.StartObject(); }
  bool Key(const char* s, rapidjson::SizeType n, bool c) { return w_.Key(s, n, c); }
  bool EndObject(rapidjson::SizeType n) { return w_.EndObject(n); }
  bool StartArray() { return w_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) { return w_.EndArray(n); }

 private:
  Writer& w_;
};

}  // namespace

Result<JsonDoc> ParseJson(std::string_view text, const ParseOptions& options) {
  JsonDoc doc;
  rapidjson::Reader reader;
  bool too_deep = false;
  bool marked_string = false;
  bool bad_escape = false;
  rapidjson::ParseResult pr;
  auto generator = [&](JsonDoc& d) {
    BuildHandler handler(d, options.max_depth);
    rapidjson::MemoryStream ms(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
    constexpr unsigned kFlags = rapidjson::kParseNumbersAsStringsFlag |
                                rapidjson::kParseValidateEncodingFlag |
                                rapidjson::kParseIterativeFlag;
    pr = reader.Parse<kFlags>(is, handler);
    too_deep = handler.too_deep();
    marked_string = handler.marked_string();
    bad_escape = handler.bad_escape();
    return !pr.IsError();
  };
  doc.Populate(generator);
  if (too_deep) {
    return Status(ErrorCode::kTooLarge,
                  "JSON nesting is deeper than " + std::to_string(options.max_depth) + " levels");
  }
  if (bad_escape) {
    return Status(ErrorCode::kMalformedJson,
                  "malformed JSON before byte " + std::to_string(pr.Offset()) +
                      ": a \\u escape encodes a lone surrogate, which is not a character");
  }
  if (marked_string) {
    return Status(ErrorCode::kInvalidResource,
                  "a string starts with the control character U+0001 at byte " +
                      std::to_string(pr.Offset()) + "; FHIR strings may not contain it");
  }
  if (pr.IsError()) {
    return Status(ErrorCode::kMalformedJson,
                  std::string("malformed JSON at byte ") + std::to_string(pr.Offset()) + ": " +
                      rapidjson::GetParseError_En(pr.Code()));
  }
  return doc;
}

void SetNumber(JsonValue& v, std::string_view text, JsonAlloc& alloc) {
  std::string marked(1, kNumberMark);
  marked.append(text);
  v.SetString(marked.data(), static_cast<rapidjson::SizeType>(marked.size()), alloc);
}

void SetString(JsonValue& v, std::string_view text, JsonAlloc& alloc) {
  v.SetString(text.data(), static_cast<rapidjson::SizeType>(text.size()), alloc);
}

const JsonValue* Member(const JsonValue& obj, std::string_view name) {
  if (!obj.IsObject()) return nullptr;
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
    if (StringView(it->name) == name) return &it->value;
  }
  return nullptr;
}

JsonValue* Member(JsonValue& obj, std::string_view name) {
  return const_cast<JsonValue*>(Member(static_cast<const JsonValue&>(obj), name));
}

std::string_view MemberString(const JsonValue& obj, std::string_view name) {
  const JsonValue* v = Member(obj, name);
  if (v == nullptr || !IsString(*v)) return {};
  return StringView(*v);
}

void SerializeTo(const JsonValue& v, rapidjson::StringBuffer& out) {
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  WriteHandler<rapidjson::Writer<rapidjson::StringBuffer>> handler(writer);
  v.Accept(handler);
}

std::string Serialize(const JsonValue& v) {
  rapidjson::StringBuffer buf;
  SerializeTo(v, buf);
  return std::string(buf.GetString(), buf.GetSize());
}

std::string SerializeResource(const JsonValue& resource, std::string_view id,
                              std::string_view version_id, std::string_view last_updated) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
  WriteHandler<rapidjson::Writer<rapidjson::StringBuffer>> handler(writer);
  auto str = [&](std::string_view v) {
    writer.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  writer.StartObject();
  writer.Key("resourceType");
  str(MemberString(resource, "resourceType"));
  writer.Key("id");
  str(id);
  writer.Key("meta");
  writer.StartObject();
  writer.Key("versionId");
  str(version_id);
  writer.Key("lastUpdated");
  str(last_updated);
  if (const JsonValue* meta = Member(resource, "meta"); meta && meta->IsObject()) {
    for (auto it = meta->MemberBegin(); it != meta->MemberEnd(); ++it) {
      std::string_view k = StringView(it->name);
      if (k == "versionId" || k == "lastUpdated") continue;
      writer.Key(it->name.GetString(), it->name.GetStringLength());
      it->value.Accept(handler);
    }
  }
  writer.EndObject();
  for (auto it = resource.MemberBegin(); it != resource.MemberEnd(); ++it) {
    std::string_view k = StringView(it->name);
    if (k == "resourceType" || k == "id" || k == "meta") continue;
    writer.Key(it->name.GetString(), it->name.GetStringLength());
    it->value.Accept(handler);
  }
  writer.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string SerializePretty(const JsonValue& v) {
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buf);
  writer.SetIndent(' ', 2);
  WriteHandler<rapidjson::PrettyWriter<rapidjson::StringBuffer>> handler(writer);
  v.Accept(handler);
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace hb::fhir
