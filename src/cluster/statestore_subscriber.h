// A node's side of the statestore (statestore.h): registers, heartbeats,
// publishes the entries this node owns and keeps the last state it received
// of the topics it follows. When the statestore goes away the node keeps that
// last state (queries go on with the membership it knew) and reconnects in
// the background; after reconnecting it registers again and republishes.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cluster/statestore.grpc.pb.h"

namespace basalt::cluster {

struct SubscriberOptions {
  std::string statestore_address;  // host:port
  NodeInfo self;
  std::vector<std::string> topics;  // to follow; the membership topic is always followed
  int heartbeat_interval_ms = 500;
  int failure_timeout_ms = 3000;
};

class StatestoreSubscriber {
 public:
  // Called (on the subscriber's thread, without its lock) after a topic changed.
  using Listener = std::function<void(const std::string& topic)>;

  explicit StatestoreSubscriber(SubscriberOptions options);
  ~StatestoreSubscriber();

  void AddListener(Listener listener);
  void Start();
  // Leaves the cluster cleanly (the statestore does not report a failure).
  void Stop();

  // Sets an entry this node owns; sent now if connected and again after every
  // re-registration.
  void Publish(const std::string& topic, const std::string& key, std::string value);
  void Unpublish(const std::string& topic, const std::string& key);
  // Makes `entries` the whole of `topic`, which this node alone publishes
  // (the catalog): its entries outlive this node (they are persistent). The
  // first call and every registration send the topic in full, replacing
  // whatever an earlier incarnation (or anyone) left there; later calls send
  // only what changed since the last, in one message, so subscribers see
  // the change at once.
  void PublishTopic(const std::string& topic, const std::map<std::string, std::string>& entries);

  bool connected() const { return connected_; }
  const NodeInfo& self() const { return options_.self; }
  // The live nodes as last heard from the statestore.
  std::vector<NodeInfo> LiveNodes() const;
  std::map<std::string, std::string> TopicEntries(const std::string& topic) const;
  // Waits until a registration was acknowledged; false on timeout.
  bool WaitConnected(int timeout_ms) const;

 private:
  void RunLoop();
  // One registered stream, until it breaks or Stop.
  void RunStream();
  void ApplyDelta(const TopicDelta& delta);

  const SubscriberOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Statestore::Stub> stub_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::map<std::string, std::map<std::string, std::string>> topics_;  // received
  std::map<std::pair<std::string, std::string>, std::string> owned_;  // published
  // Topics this node publishes whole (PublishTopic).
  std::set<std::string> whole_topics_;
  // Owned entries changed since the last send, one delta per change; each
  // is one message, applied by the statestore at once.
  std::vector<TopicDelta> pending_;
  std::vector<Listener> listeners_;
  grpc::ClientContext* active_context_ = nullptr;
  bool stopping_ = false;
  std::atomic<bool> connected_{false};
  std::thread thread_;
};

// Asks the statestore at `address` for its membership (live and failed
// nodes, when it last heard from each); nullopt when it does not answer
// within `timeout_ms`. For `basalt cluster status` and the HTTP API.
std::optional<Membership> FetchMembership(const std::string& address, int timeout_ms);

}  // namespace basalt::cluster
