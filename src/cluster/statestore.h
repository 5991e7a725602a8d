// The statestore role (Impala's statestored, Tajo's resource tracker): who is
// in the cluster, whether they are alive, and small replicated topics.
//
// Each node keeps one Subscribe stream open. The statestore adds the node to
// the membership topic when it registers, sends every topic the node asked for
// (in full, then as deltas), and heartbeats both ways. A node it has not heard
// from for `failure_timeout_ms`, or whose stream breaks, is declared failed:
// its membership entry and every entry it published are deleted, and the
// deletions reach all other subscribers with the next delta.
// The statestore keeps nothing on disk: after a restart every node
// re-registers and republishes what it owns. See docs/cluster.md.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster/statestore.grpc.pb.h"

namespace basalt::cluster {

struct StatestoreOptions {
  int heartbeat_interval_ms = 500;
  int failure_timeout_ms = 3000;
};

class StatestoreService final : public Statestore::Service {
 public:
  explicit StatestoreService(StatestoreOptions options);
  ~StatestoreService() override;

  grpc::Status Subscribe(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<StatestoreMessage, SubscriberMessage>* stream) override;
  grpc::Status GetMembership(grpc::ServerContext* context, const MembershipRequest* request,
                             Membership* response) override;

  // Ends every Subscribe stream, so the gRPC server can shut down.
  void Shutdown();

  uint64_t incarnation() const { return incarnation_; }

 private:
  using Clock = std::chrono::steady_clock;

  struct Subscriber {
    NodeInfo node;
    std::vector<std::string> topics;
    grpc::ServerContext* context = nullptr;
    Clock::time_point last_heard;
    // Per topic, the version this subscriber has been sent (absent: nothing yet).
    std::map<std::string, int64_t> sent_versions;
    bool dead = false;
    bool left = false;  // ended its stream itself: not a failure
    std::string failure_reason;
  };

  struct OwnedEntry {
    TopicEntry entry;
    std::string owner;  // node name; "" for the statestore's own entries
    bool persistent = false;  // kept when the owner fails or leaves
  };

  struct Topic {
    int64_t version = 0;
    std::map<std::string, OwnedEntry> entries;  // tombstones too (entry.deleted)
  };

  // The calls below hold mu_.
  // An unchanged value (same owner and persistence) keeps its version, so a
  // node republishing after a reconnect sends nobody anything new.
  void SetEntryLocked(const std::string& topic, const std::string& key, std::string value,
                      const std::string& owner, bool persistent = false);
  void DeleteEntryLocked(Topic& topic, OwnedEntry& slot);
  // Deletes what `owner` published, except persistent entries.
  void DeleteOwnedEntriesLocked(const std::string& owner);
  // Applies a subscriber's publish (SubscriberMessage.publish).
  void ApplyPublishLocked(const TopicDelta& publish, const std::string& owner);
  void PruneTombstonesLocked();
  // The deltas `subscriber` has not been sent yet; marks them sent.
  std::vector<TopicDelta> TakeDeltasLocked(Subscriber& subscriber);
  void RemoveSubscriberLocked(const std::shared_ptr<Subscriber>& subscriber);
  void MarkDeadLocked(Subscriber& subscriber, std::string reason);

  void MonitorLoop();

  const StatestoreOptions options_;
  const uint64_t incarnation_;

  std::mutex mu_;
  std::condition_variable changed_;  // topics changed, a subscriber died, or shutdown
  std::map<std::string, Topic> topics_;
  std::map<std::string, std::shared_ptr<Subscriber>> subscribers_;  // by node name
  std::deque<FailedNode> failed_;
  bool shutting_down_ = false;
  std::thread monitor_;
};

}  // namespace basalt::cluster
