// Expression::Compile, Evaluate and the value writers of fhirpath.h.
#include <string>

#include "fhirpath/evaluator.h"
#include "fhirpath/fhirpath.h"
#include "fhirpath/navigation.h"
#include "fhirpath/operators.h"
#include "fhirpath/parser.h"

namespace hb::fhirpath {

Result<Expression> Expression::Compile(std::string_view text) {
  HB_ASSIGN_OR_RETURN(std::unique_ptr<internal::Node> root, internal::Parse(text));
  auto ast = std::make_shared<internal::Ast>();
  ast->text = std::string(text);
  ast->root = std::move(root);
  Expression e;
  e.ast_ = std::move(ast);
  return e;
}

const std::string& Expression::text() const { return ast_->text; }

Result<std::vector<Item>> Evaluate(const Expression& expression, std::span<const Item> input,
                                   const EvalOptions& options) {
  std::optional<Item> resource;
  if (options.resource != nullptr) {
    resource = internal::ResourceItem(*options.resource);
  } else if (input.size() == 1 && input[0].is_node()) {
    resource = input[0];
  }
  internal::Evaluator ev(options, input, resource ? &*resource : nullptr);
  std::vector<Item> out;
  HB_RETURN_IF_ERROR(ev.Eval(*expression.ast().root, nullptr, out));
  return out;
}

Result<std::vector<Item>> Evaluate(const Expression& expression, const fhir::JsonValue& input,
                                   std::string_view input_type, const EvalOptions& options) {
  Item root = internal::ResourceItem(input);
  if (!input_type.empty()) {
    const fhir::TypeDef* type = fhir::Model::R4().FindType(input_type);
    if (type == nullptr) {
      return Status(ErrorCode::kInvalidArgument,
                    "fhirpath: unknown input type '" + std::string(input_type) + "'");
    }
    root = Item::Node(&input, nullptr, nullptr, type);
  }
  return Evaluate(expression, std::span<const Item>(&root, 1), options);
}

std::string LiteralText(const Item& item) {
  switch (item.kind()) {
    case ItemKind::kBoolean:
      return item.boolean() ? "true" : "false";
    case ItemKind::kInteger:
      return std::to_string(item.integer());
    case ItemKind::kDecimal:
      return item.decimal().ToString();
    case ItemKind::kString:
      return std::string(item.string());
    case ItemKind::kDate:
    case ItemKind::kDateTime:
    case ItemKind::kTime: {
      std::string text = item.kind() == ItemKind::kTime ? "@T" : "@";
      text += item.datetime().ToString();
      return text;
    }
    case ItemKind::kQuantity:
      return ToString(item.quantity());
    case ItemKind::kTypeInfo:
      return std::string(item.type_namespace()) + "." + std::string(item.type_name());
    case ItemKind::kNode: {
      if (!item.is_primitive()) return fhir::Serialize(item.json());
      std::optional<Item> v = internal::ToSystem(item);
      return v ? LiteralText(*v) : std::string();
    }
  }
  return {};
}

void WriteValueJson(const Item& item, rapidjson::Writer<rapidjson::StringBuffer>& w) {
  auto str = [&w](std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()), true);
  };
  auto number = [&w](const std::string& s) {
    w.RawValue(s.data(), s.size(), rapidjson::kNumberType);
  };
  switch (item.kind()) {
    case ItemKind::kBoolean:
      w.Bool(item.boolean());
      return;
    case ItemKind::kInteger:
      w.Int64(item.integer());
      return;
    case ItemKind::kDecimal:
      number(item.decimal().ToString());
      return;
    case ItemKind::kString:
      str(item.string());
      return;
    case ItemKind::kDate:
    case ItemKind::kDateTime:
    case ItemKind::kTime:
      str(item.datetime().ToString());
      return;
    case ItemKind::kQuantity:
      w.StartObject();
      w.Key("value");
      number(item.decimal().ToString());
      w.Key("unit");
      str(item.string());
      w.EndObject();
      return;
    case ItemKind::kTypeInfo:
      w.StartObject();
      w.Key("namespace");
      str(item.type_namespace());
      w.Key("name");
      str(item.type_name());
      w.EndObject();
      return;
    case ItemKind::kNode: {
      const fhir::JsonValue& v = item.json();
      if (v.IsNull()) {
        w.Null();
      } else if (v.IsBool()) {
        w.Bool(v.GetBool());
      } else if (fhir::IsNumber(v)) {
        number(std::string(fhir::NumberText(v)));
      } else if (v.IsString()) {
        str(fhir::StringView(v));
      } else {
        std::string json = fhir::Serialize(v);
        w.RawValue(json.data(), json.size(),
                   v.IsArray() ? rapidjson::kArrayType : rapidjson::kObjectType);
      }
      return;
    }
  }
}

}  // namespace hb::fhirpath
