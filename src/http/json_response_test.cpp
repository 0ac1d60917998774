#include "http/json_response.h"

#include <gtest/gtest.h>

namespace hb::http {
namespace {

TEST(JsonResponse, CarriesTheBodyAsJson) {
  Response r = JsonResponse(202, R"({"ok":true})");
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(r.body, R"({"ok":true})");
  EXPECT_TRUE(r.headers.empty());
}

TEST(JsonResponse, NoStoreForSecrets) {
  Response r = JsonResponse(200, "{}", /*no_store=*/true);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].name, "Cache-Control");
  EXPECT_EQ(r.headers[0].value, "no-store");
}

}  // namespace
}  // namespace hb::http
