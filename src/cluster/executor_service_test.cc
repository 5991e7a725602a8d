// The executor's side of RunQuery refuses what it must not run: a plan meant
// for another incarnation of the node, a request from a node that is not a
// live coordinator, and bytes that are not a plan.
#include "cluster/executor_service.h"

#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>

#include "main/database.h"

namespace basalt::cluster {
namespace {

using namespace std::chrono_literals;

class ExecutorServiceTest : public ::testing::Test {
 protected:
  ExecutorServiceTest()
      : service_(database_, registry_, channels_, [this](const NodeId& id) {
          return id.name() == coordinator_.name() && id.incarnation() == coordinator_.incarnation();
        }) {
    coordinator_.set_name("127.0.0.1:7000");
    coordinator_.set_incarnation(11);
    self_.set_name("127.0.0.1:7001");
    self_.set_incarnation(22);
    service_.set_self(self_);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    stub_ = Executor::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port_),
                                                  grpc::InsecureChannelCredentials()));
  }
  ~ExecutorServiceTest() override { server_->Shutdown(std::chrono::system_clock::now() + 1s); }

  RunQueryRequest Request() {
    RunQueryRequest request;
    request.set_query_id("q1");
    *request.mutable_coordinator() = coordinator_;
    *request.mutable_executor() = self_;
    request.add_nodes("127.0.0.1:7000");
    request.add_nodes("127.0.0.1:7001");
    request.set_self(1);
    return request;
  }

  // The call's statuses and its outcome.
  grpc::Status Run(const RunQueryRequest& request, std::vector<QueryPartStatus>* statuses) {
    grpc::ClientContext context;
    auto reader = stub_->RunQuery(&context, request);
    QueryPartStatus status;
    while (reader->Read(&status)) statuses->push_back(status);
    return reader->Finish();
  }

  Database database_{DatabaseOptions{}};
  ExchangeRegistry registry_;
  ChannelCache channels_;
  NodeId coordinator_;
  NodeId self_;
  ExecutorService service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<Executor::Stub> stub_;
  int port_ = 0;
};

TEST_F(ExecutorServiceTest, APlanForAnotherIncarnationIsRefused) {
  RunQueryRequest request = Request();
  request.mutable_executor()->set_incarnation(21);  // this node before a restart
  std::vector<QueryPartStatus> statuses;
  grpc::Status status = Run(request, &statuses);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("it restarted"), std::string::npos)
      << status.error_message();
  EXPECT_TRUE(statuses.empty());
}

TEST_F(ExecutorServiceTest, OnlyALiveCoordinatorMayRunOrCancel) {
  RunQueryRequest request = Request();
  request.mutable_coordinator()->set_incarnation(12);  // a stale coordinator process
  std::vector<QueryPartStatus> statuses;
  grpc::Status status = Run(request, &statuses);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(status.error_message().find("not a live coordinator"), std::string::npos);

  grpc::ClientContext context;
  CancelQueryRequest cancel;
  cancel.set_query_id("q1");
  *cancel.mutable_coordinator() = request.coordinator();
  CancelQueryResponse response;
  status = stub_->CancelQuery(&context, cancel, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ExecutorServiceTest, BytesThatAreNotAPlanFinishWith08P01) {
  RunQueryRequest request = Request();
  request.set_plan("not a protobuf message \xff\xff");
  std::vector<QueryPartStatus> statuses;
  grpc::Status status = Run(request, &statuses);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(statuses[0].state(), QueryPartStatus::FINISHED);
  EXPECT_EQ(statuses[0].error_code(), "08P01");

  request = Request();
  request.set_self(5);  // not among the nodes
  statuses.clear();
  status = Run(request, &statuses);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace basalt::cluster
