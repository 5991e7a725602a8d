#include "cluster/statestore.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "cluster/node_identity.h"
#include "cluster/statestore_subscriber.h"

namespace basalt::cluster {
namespace {

// A statestore on a loopback port, restartable on the same port.
class TestStatestore {
 public:
  explicit TestStatestore(int port = 0) { Start(port); }
  ~TestStatestore() { Stop(); }

  void Start(int port) {
    service_ = std::make_unique<StatestoreService>(StatestoreOptions{50, 600});
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:" + std::to_string(port), grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(port_, 0);
  }
  void Stop() {
    if (!server_) return;
    service_->Shutdown();
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
    server_.reset();
    service_.reset();
  }
  StatestoreService& service() { return *service_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  std::unique_ptr<StatestoreService> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

std::unique_ptr<StatestoreSubscriber> Subscribe(const std::string& address, int fake_port,
                                                std::vector<std::string> topics = {}) {
  SubscriberOptions options;
  options.statestore_address = address;
  options.self = MakeLocalNode("127.0.0.1", uint32_t(fake_port), 0, {kRoleExecutor});
  options.topics = std::move(topics);
  options.heartbeat_interval_ms = 50;
  options.failure_timeout_ms = 600;
  auto subscriber = std::make_unique<StatestoreSubscriber>(std::move(options));
  subscriber->Start();
  return subscriber;
}

bool Eventually(const std::function<bool()>& condition, int timeout_ms = 5000) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

Membership GetMembership(StatestoreService& service) {
  grpc::ServerContext context;
  MembershipRequest request;
  Membership membership;
  EXPECT_TRUE(service.GetMembership(&context, &request, &membership).ok());
  return membership;
}

TEST(StatestoreTest, MembersSeeEachOtherAndADepartureIsNotAFailure) {
  TestStatestore statestore;
  auto a = Subscribe(statestore.address(), 1001);
  auto b = Subscribe(statestore.address(), 1002);
  ASSERT_TRUE(a->WaitConnected(5000));
  ASSERT_TRUE(b->WaitConnected(5000));
  EXPECT_TRUE(Eventually([&] { return a->LiveNodes().size() == 2 && b->LiveNodes().size() == 2; }));
  b->Stop();
  EXPECT_TRUE(Eventually([&] { return a->LiveNodes().size() == 1; }));
  EXPECT_EQ(a->LiveNodes()[0].id().name(), "127.0.0.1:1001");
  Membership membership = GetMembership(statestore.service());
  EXPECT_EQ(membership.live_size(), 1);
  EXPECT_EQ(membership.failed_size(), 0) << "a clean stop is a departure";
}

TEST(StatestoreTest, TopicEntriesReachSubscribersAndGoWithTheirOwner) {
  TestStatestore statestore;
  auto catalog = Subscribe(statestore.address(), 1001, {"catalog"});
  auto coordinator = Subscribe(statestore.address(), 1002, {"catalog"});
  catalog->Publish("catalog", "version", "7");
  EXPECT_TRUE(Eventually([&] { return coordinator->TopicEntries("catalog")["version"] == "7"; }));
  catalog->Publish("catalog", "version", "8");
  EXPECT_TRUE(Eventually([&] { return coordinator->TopicEntries("catalog")["version"] == "8"; }));
  catalog->Unpublish("catalog", "version");
  EXPECT_TRUE(Eventually([&] { return coordinator->TopicEntries("catalog").empty(); }));
  catalog->Publish("catalog", "version", "9");
  EXPECT_TRUE(Eventually([&] { return coordinator->TopicEntries("catalog").size() == 1; }));
  catalog->Stop();  // its entries are transient
  EXPECT_TRUE(Eventually([&] { return coordinator->TopicEntries("catalog").empty(); }));
}

TEST(StatestoreTest, AWholeTopicOutlivesItsOwnerAndIsReplacedByItsNextIncarnation) {
  TestStatestore statestore;
  auto coordinator = Subscribe(statestore.address(), 1002, {"catalog"});
  auto catalog = Subscribe(statestore.address(), 1001, {"catalog"});
  // A node's transient entry in the same topic, which the whole topic replaces.
  coordinator->Publish("catalog", "stray", "x");
  ASSERT_TRUE(Eventually([&] { return coordinator->TopicEntries("catalog").size() == 1; }));
  catalog->PublishTopic("catalog", {{"version", "1"}, {"table/a", "A"}, {"table/b", "B"}});
  EXPECT_TRUE(Eventually([&] {
    auto entries = coordinator->TopicEntries("catalog");
    return entries.size() == 3 && entries["table/a"] == "A" && !entries.contains("stray");
  }));
  // Only the change goes, in one message: "a" goes and "c" comes at once.
  catalog->PublishTopic("catalog", {{"version", "2"}, {"table/b", "B"}, {"table/c", "C"}});
  EXPECT_TRUE(Eventually([&] {
    auto entries = coordinator->TopicEntries("catalog");
    return entries.size() == 3 && entries["version"] == "2" && entries.contains("table/c") &&
           !entries.contains("table/a");
  }));
  // The owner goes (a failure deletes what a node owns the same way);
  // its persistent entries stay.
  catalog.reset();
  EXPECT_TRUE(Eventually([&] { return coordinator->LiveNodes().size() == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(coordinator->TopicEntries("catalog").size(), 3u);
  // A new incarnation publishes the topic in full: what it lacks goes.
  auto next = Subscribe(statestore.address(), 1001, {"catalog"});
  next->PublishTopic("catalog", {{"version", "1"}, {"table/b", "B2"}});
  EXPECT_TRUE(Eventually([&] {
    auto entries = coordinator->TopicEntries("catalog");
    return entries.size() == 2 && entries["table/b"] == "B2" && entries["version"] == "1";
  }));
}

TEST(StatestoreTest, NodesKeepTheirStateWhileTheStatestoreIsAwayAndReRegister) {
  auto statestore = std::make_unique<TestStatestore>();
  int port = statestore->port();
  auto a = Subscribe(statestore->address(), 1001, {"catalog"});
  auto b = Subscribe(statestore->address(), 1002, {"catalog"});
  a->Publish("catalog", "version", "3");
  ASSERT_TRUE(Eventually([&] {
    return b->LiveNodes().size() == 2 && b->TopicEntries("catalog")["version"] == "3";
  }));
  statestore->Stop();
  EXPECT_TRUE(Eventually([&] { return !a->connected() && !b->connected(); }));
  // The last known membership and topics stay.
  EXPECT_EQ(b->LiveNodes().size(), 2u);
  EXPECT_EQ(b->TopicEntries("catalog")["version"], "3");

  statestore = std::make_unique<TestStatestore>(port);
  EXPECT_TRUE(Eventually([&] { return a->connected() && b->connected(); }));
  // Both registered again, and `a` republished what it owns.
  EXPECT_TRUE(Eventually([&] { return GetMembership(statestore->service()).live_size() == 2; }));
  EXPECT_TRUE(Eventually([&] { return b->TopicEntries("catalog")["version"] == "3"; }));
}

TEST(StatestoreTest, ASilentNodeIsDeclaredFailed) {
  TestStatestore statestore;
  auto watcher = Subscribe(statestore.address(), 1001);
  // A raw stream that registers and then says nothing more.
  auto channel = grpc::CreateChannel(statestore.address(), grpc::InsecureChannelCredentials());
  auto stub = Statestore::NewStub(channel);
  grpc::ClientContext context;
  auto stream = stub->Subscribe(&context);
  SubscriberMessage registration;
  *registration.mutable_register_()->mutable_node() =
      MakeLocalNode("127.0.0.1", 1002, 0, {kRoleExecutor});
  ASSERT_TRUE(stream->Write(registration));
  EXPECT_TRUE(Eventually([&] { return watcher->LiveNodes().size() == 2; }));
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(Eventually([&] { return watcher->LiveNodes().size() == 1; }));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(3));
  Membership membership = GetMembership(statestore.service());
  ASSERT_EQ(membership.failed_size(), 1);
  EXPECT_EQ(membership.failed(0).node().id().name(), "127.0.0.1:1002");
  EXPECT_NE(membership.failed(0).reason().find("no heartbeat"), std::string::npos)
      << membership.failed(0).reason();
  context.TryCancel();
  stream->Finish().ok();
}

TEST(StatestoreTest, AnOlderIncarnationCannotTakeBackItsName) {
  TestStatestore statestore;
  NodeInfo old_node = MakeLocalNode("127.0.0.1", 1005, 0, {kRoleExecutor});
  old_node.set_start_time_ms(old_node.start_time_ms() - 60000);
  auto current = Subscribe(statestore.address(), 1005);
  ASSERT_TRUE(current->WaitConnected(5000));

  auto channel = grpc::CreateChannel(statestore.address(), grpc::InsecureChannelCredentials());
  auto stub = Statestore::NewStub(channel);
  grpc::ClientContext context;
  auto stream = stub->Subscribe(&context);
  SubscriberMessage registration;
  *registration.mutable_register_()->mutable_node() = old_node;
  stream->Write(registration);
  stream->WritesDone();
  StatestoreMessage message;
  while (stream->Read(&message)) {
  }
  grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("older"), std::string::npos) << status.error_message();
  Membership membership = GetMembership(statestore.service());
  ASSERT_EQ(membership.live_size(), 1);
  EXPECT_EQ(membership.live(0).id().incarnation(), current->self().id().incarnation());
}

TEST(NodeIdentityTest, RolesAreCheckedAndIncarnationsDiffer) {
  std::vector<std::string> roles;
  EXPECT_EQ(ParseRoles("executor,coordinator", &roles), "");
  EXPECT_EQ(roles, (std::vector<std::string>{"executor", "coordinator"}));
  EXPECT_NE(ParseRoles("executor,worker", &roles).find("unknown role \"worker\""),
            std::string::npos);
  EXPECT_NE(ParseRoles("executor,executor", &roles).find("twice"), std::string::npos);
  EXPECT_NE(ParseRoles("", &roles), "");
  NodeInfo a = MakeLocalNode("127.0.0.1", 7000, 0, {kRoleExecutor});
  NodeInfo b = MakeLocalNode("127.0.0.1", 7000, 0, {kRoleExecutor});
  EXPECT_EQ(a.id().name(), "127.0.0.1:7000");
  EXPECT_NE(a.id().incarnation(), b.id().incarnation());
  EXPECT_GE(a.cores(), 1u);
}

}  // namespace
}  // namespace basalt::cluster
