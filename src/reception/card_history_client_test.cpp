#include "reception/card_history_client.h"

#include <gtest/gtest.h>

#include <future>

namespace hb::reception {
namespace {

const CardHistoryQuery kQuery{"DN4110200003000", "LÒ THỊ HOA", "15/03/1990"};

TEST(CardHistoryClient, OffWithoutAUrl) {
  CardHistoryClient client(CardHistoryOptions{});
  EXPECT_FALSE(client.enabled());
  std::promise<Status> got;
  client.LookupAsync(kQuery, [&](Result<CardHistoryResult> r) { got.set_value(r.status()); });
  Status st = got.get_future().get();
  EXPECT_EQ(st.code(), ErrorCode::kUnavailable);
  EXPECT_NE(st.message().find("not configured"), std::string::npos) << st.message();
}

TEST(CardHistoryClient, AUrlThatIsNotHttpIsNamed) {
  for (const char* url : {"ftp://host/x", "http://", "https:///path", "host:9000"}) {
    CardHistoryClient client(CardHistoryOptions{.base_url = url});
    auto r = client.Lookup(kQuery);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), ErrorCode::kUnavailable);
    EXPECT_NE(r.status().message().find("is not http(s)://host"), std::string::npos)
        << r.status().message();
  }
}

TEST(CardHistoryClient, NoServiceIsUnavailableNamingIt) {
  // Port 1 on the loopback: nothing listens there, the connection is refused at once.
  CardHistoryClient client(
      CardHistoryOptions{.base_url = "http://127.0.0.1:1/", .timeout_ms = 2000});
  auto r = client.Lookup(kQuery);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(r.status().message().rfind("card-history service: ", 0), 0u) << r.status().message();
}

}  // namespace
}  // namespace hb::reception
