#include "jobs/outbox_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <vector>

#include "jobs/temp_store_test.h"

namespace hb::jobs {
namespace {

using storage::OutboxItem;
using storage::OutboxState;
using namespace std::chrono_literals;

class OutboxTest : public testing::TempStoreTest {
 protected:
  OutboxTest() : TempStoreTest("hb_outbox_test") {}
  bool Enqueue(const std::string& topic, const std::string& key, const std::string& payload) {
    bool queued = false;
    Status st = store_->WriteSync([&](storage::WriteTxn& txn) {
      auto r = txn.EnqueueOutbox(topic, key, payload);
      if (!r.ok()) return r.status();
      queued = *r;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return queued;
  }
  std::vector<OutboxItem> All(const std::string& topic) {
    storage::OutboxQuery q;
    q.topic = topic;
    q.oldest_first = true;
    auto r = store_->BeginRead()->Outbox(q);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<OutboxItem>{};
  }
};

TEST_F(OutboxTest, QueuesOncePerKeyAndDeliversInOrder) {
  EXPECT_TRUE(Enqueue("t", "a", "1"));
  EXPECT_TRUE(Enqueue("t", "b", "2"));
  EXPECT_FALSE(Enqueue("t", "a", "changed"));  // the same key: nothing queued twice
  EXPECT_TRUE(Enqueue("other", "a", "3"));     // keys are per topic
  std::vector<std::string> seen;
  OutboxWorker w(*store_);
  w.Register("t", [&](const OutboxItem& item) {
    seen.push_back(item.key + "=" + item.payload);
    return DeliveryResult{Delivery::kDelivered, "ok:" + item.key};
  });
  EXPECT_EQ(w.RunOnce(), 2);
  EXPECT_EQ(seen, (std::vector<std::string>{"a=1", "b=2"}));
  auto items = All("t");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].state, OutboxState::kDelivered);
  EXPECT_EQ(items[0].result, "ok:a");
  EXPECT_EQ(items[0].attempts, 1);
  EXPECT_EQ(w.RunOnce(), 0);                         // delivered items are not sent again
  EXPECT_EQ(All("other")[0].state, OutboxState::kPending);  // no sender for that topic
}

TEST_F(OutboxTest, RetriesWithBackoffKeepsOrderAndFailsForGood) {
  Enqueue("t", "a", "1");
  Enqueue("t", "b", "2");
  OutboxOptions o;
  o.backoff_base = 0ms;  // due again at once, for the test
  o.max_attempts = 3;
  OutboxWorker w(*store_, o);
  int calls_a = 0, calls_b = 0;
  w.Register("t", [&](const OutboxItem& item) {
    if (item.key == "a") {
      ++calls_a;
      return DeliveryResult{Delivery::kRetry, "portal down"};
    }
    ++calls_b;
    return DeliveryResult{Delivery::kFailed, "record rejected: SO_CCCD"};
  });
  w.RunOnce();
  EXPECT_EQ(calls_a, 1);
  EXPECT_EQ(calls_b, 0);  // b waits behind a's retry
  w.RunOnce();
  w.RunOnce();  // a's third attempt: failed for good, then b
  EXPECT_EQ(calls_a, 3);
  auto items = All("t");
  EXPECT_EQ(items[0].state, OutboxState::kFailed);
  EXPECT_EQ(items[0].last_error, "portal down");
  w.RunOnce();
  items = All("t");
  EXPECT_EQ(items[1].state, OutboxState::kFailed);
  EXPECT_EQ(items[1].last_error, "record rejected: SO_CCCD");
  // Requeued after correction: delivered next time, with the new payload.
  ASSERT_TRUE(store_->WriteSync([&](storage::WriteTxn& txn) {
    return txn.RequeueOutbox(items[1].seq, std::string_view("2-fixed"));
  }).ok());
  std::string delivered;
  OutboxWorker again(*store_, o);
  again.Register("t", [&](const OutboxItem& item) {
    delivered = item.payload;
    return DeliveryResult{Delivery::kDelivered, ""};
  });
  again.RunOnce();
  EXPECT_EQ(delivered, "2-fixed");
}

TEST_F(OutboxTest, AnItemWaitingOutItsBackoffIsNotOvertaken) {
  Enqueue("t", "a", "1");
  Enqueue("t", "b", "2");
  OutboxOptions o;
  o.backoff_base = std::chrono::hours(1);  // a's retry is far in the future
  OutboxWorker w(*store_, o);
  std::vector<std::string> sent;
  w.Register("t", [&](const OutboxItem& item) {
    sent.push_back(item.key);
    return DeliveryResult{item.key == "a" ? Delivery::kRetry : Delivery::kDelivered, ""};
  });
  EXPECT_EQ(w.RunOnce(), 1);
  EXPECT_EQ(w.RunOnce(), 0);  // a is not due; b must wait behind it
  EXPECT_EQ(sent, (std::vector<std::string>{"a"}));
  auto items = All("t");
  EXPECT_EQ(items[1].state, OutboxState::kPending);
  EXPECT_EQ(items[1].attempts, 0);
}

TEST_F(OutboxTest, BackoffDoublesUpToTheCap) {
  OutboxOptions o;
  o.backoff_base = 2s;
  o.backoff_max = 10s;
  OutboxWorker w(*store_, o);
  EXPECT_EQ(w.Backoff(1), 2s);
  EXPECT_EQ(w.Backoff(2), 4s);
  EXPECT_EQ(w.Backoff(3), 8s);
  EXPECT_EQ(w.Backoff(4), 10s);
  EXPECT_EQ(w.Backoff(40), 10s);
}

TEST_F(OutboxTest, TheWorkerThreadDeliversWhatIsQueuedLater) {
  std::atomic<int> delivered{0};
  OutboxWorker w(*store_);
  w.Register("t", [&](const OutboxItem&) {
    ++delivered;
    return DeliveryResult{Delivery::kDelivered, ""};
  });
  w.Start();
  Enqueue("t", "x", "1");
  w.Wake();
  for (int i = 0; i < 200 && delivered == 0; ++i) std::this_thread::sleep_for(10ms);
  w.Stop();
  EXPECT_EQ(delivered, 1);
}

}  // namespace
}  // namespace hb::jobs
