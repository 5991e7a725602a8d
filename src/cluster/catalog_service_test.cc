#include "cluster/catalog_service.h"

#include <gtest/gtest.h>

#include "cluster/catalog_objects.h"
#include "cluster/catalog_replica.h"
#include "cluster/node_identity.h"
#include "common/exception.h"
#include "common/temp_dir_test_util.h"
#include "main/database_instance.h"
#include "sql/parser.h"

namespace basalt::cluster {
namespace {

using basalt::testing::TempDir;

const CatalogTable& PublishedTable(const std::map<std::string, std::string>& entries,
                                   const std::string& key, CatalogObject* storage) {
  EXPECT_TRUE(entries.contains(key)) << key;
  EXPECT_TRUE(storage->ParseFromString(entries.at(key)));
  return storage->table();
}

TEST(CatalogObjectsTest, AManagedTableTravelsWithItsSegmentsAndStatistics) {
  TempDir dir;
  DatabaseOptions options;
  options.data_dir = dir.path();
  Database db(options);
  Connection c(db);
  ASSERT_TRUE(c.Query("CREATE TABLE t (k INTEGER, v VARCHAR)").ok);
  ASSERT_TRUE(c.Query("INSERT INTO t VALUES (1, 'a'), (2, NULL)").ok);
  ASSERT_TRUE(c.Query("INSERT INTO t VALUES (3, 'c')").ok);
  ASSERT_TRUE(c.Query("ANALYZE t").ok);
  ASSERT_TRUE(c.Query("CREATE VIEW w AS SELECT k FROM t").ok);

  auto entries = CatalogObjectEntries(db.instance().catalog().Snapshot());
  EXPECT_TRUE(entries.contains("schema/main"));
  EXPECT_TRUE(entries.contains("view/main/w"));
  CatalogObject object;
  const CatalogTable& message = PublishedTable(entries, "table/main/t", &object);
  EXPECT_EQ(message.segments_size(), 2);
  EXPECT_EQ(message.sketches_size(), 2);
  EXPECT_TRUE(message.has_statistics());

  auto table = TableFromObject(message, dir.path());
  auto original = db.instance().catalog().GetTable("main", "t");
  EXPECT_EQ(table->oid, original->oid);
  EXPECT_EQ(table->Types(), original->Types());
  EXPECT_EQ(table->storage->RowCount(), 3u);
  ASSERT_NE(table->statistics.load(), nullptr);
  EXPECT_EQ(table->statistics.load()->record.row_count, 3u);
  // The replica's handles read the catalog node's files.
  for (const auto& segment : table->storage->Snapshot()->segments) {
    EXPECT_TRUE(segment->IsAvailable()) << segment->file_path();
  }
}

TEST(CatalogObjectsTest, ASegmentOutsideTheWarehouseIsRefused) {
  for (const char* directory : {"../etc", "/etc", "warehouse/../../x", "warehouse//x", ""}) {
    CatalogTable message;
    message.set_schema("main");
    message.set_name("t");
    message.set_partition_column(-1);
    CatalogSegment* segment = message.add_segments();
    segment->set_id("s1");
    segment->set_directory(directory);
    try {
      TableFromObject(message, "/data");
      FAIL() << "accepted " << directory;
    } catch (const BasaltError& e) {
      EXPECT_EQ(std::string(e.code()), "08P01") << directory;
    }
  }
}

class CatalogServiceTest : public ::testing::Test {
 protected:
  CatalogServiceTest() : db_(Options()) {
    SubscriberOptions options;
    options.statestore_address = "127.0.0.1:1";  // never started
    options.self = MakeLocalNode("127.0.0.1", 1, 0, {kRoleCatalog});
    subscriber_ = std::make_unique<StatestoreSubscriber>(std::move(options));
    publisher_ = std::make_unique<CatalogPublisher>(db_, *subscriber_, 7);
    db_.instance().set_change_listener([this] { publisher_->Publish(); });
    coordinator_ = MakeLocalNode("127.0.0.1", 2, 0, {kRoleCoordinator}).id();
    service_ = std::make_unique<CatalogServiceImpl>(
        db_, [this] { return publisher_->version(); },
        [this](const NodeId& id) { return id.incarnation() == coordinator_.incarnation(); });
  }
  DatabaseOptions Options() {
    DatabaseOptions options;
    options.data_dir = dir_.path();
    return options;
  }
  grpc::Status Run(const std::string& sql, StatementOutcome* outcome, bool live = true) {
    ForwardedStatement request;
    *request.mutable_coordinator() = coordinator_;
    if (!live) request.mutable_coordinator()->set_incarnation(coordinator_.incarnation() + 1);
    request.set_sql(sql);
    grpc::ServerContext context;
    return service_->ExecuteStatement(&context, &request, outcome);
  }

  TempDir dir_;
  Database db_;
  std::unique_ptr<StatestoreSubscriber> subscriber_;
  std::unique_ptr<CatalogPublisher> publisher_;
  NodeId coordinator_;
  std::unique_ptr<CatalogServiceImpl> service_;
};

TEST_F(CatalogServiceTest, RunsChangesAndAnswersWithTheVersionHoldingThem) {
  StatementOutcome outcome;
  ASSERT_TRUE(Run("CREATE TABLE t (x INTEGER)", &outcome).ok());
  EXPECT_TRUE(outcome.ok()) << outcome.error_message();
  EXPECT_EQ(outcome.tag(), "CREATE TABLE");
  EXPECT_EQ(outcome.catalog_version().catalog_incarnation(), 7u);
  const int64_t created = outcome.catalog_version().version();
  EXPECT_GE(created, 1);
  ASSERT_TRUE(Run("INSERT INTO t VALUES (1)", &outcome).ok());
  EXPECT_EQ(outcome.catalog_version().version(), created + 1);
  EXPECT_EQ(outcome.catalog_version().data_dir(), dir_.path());
  // A failed statement keeps its code and position; nothing changed, so
  // the version stays.
  StatementOutcome failed;
  ASSERT_TRUE(Run("INSERT INTO t SELECT nosuch", &failed).ok());
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.error_code(), "42703");
  EXPECT_EQ(failed.error_position(), 21);
  EXPECT_EQ(failed.catalog_version().version(), created + 1);
}

TEST_F(CatalogServiceTest, RefusesQueriesAndStrangers) {
  StatementOutcome outcome;
  ASSERT_TRUE(Run("SELECT 1", &outcome).ok());
  EXPECT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error_code(), "08P01");
  grpc::Status status = Run("CREATE TABLE t (x INTEGER)", &outcome, /*live=*/false);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_FALSE(db_.instance().catalog().GetTable("main", "t"));
}

TEST(ForwardStatementTest, WithoutALiveCatalogAWriteFailsWith08006) {
  Database db;
  SubscriberOptions options;
  options.statestore_address = "127.0.0.1:1";
  options.self = MakeLocalNode("127.0.0.1", 2, 0, {kRoleCoordinator});
  StatestoreSubscriber subscriber(std::move(options));
  CatalogReplica replica(db, subscriber);
  ChannelCache channels;
  auto statements = sql::ParseSql("SELECT 1; CREATE TABLE t (x INTEGER)");
  SessionSettings settings(1);
  try {
    ForwardStatement(*statements[1], nullptr, settings, subscriber.self().id(), {}, channels,
                     replica);
    FAIL() << "forwarded without a catalog";
  } catch (const BasaltError& e) {
    EXPECT_EQ(std::string(e.code()), "08006");
    EXPECT_NE(std::string(e.what()).find("no catalog service is live"), std::string::npos);
    EXPECT_EQ(e.position(), 10);
  }
}

TEST(CatalogReplicaTest, AReplicaRefusesChangesOfItsOwn) {
  Database db;
  db.instance().catalog().InstallReplica({{"main", kFirstUserOid, {}, {}}}, true);
  EXPECT_TRUE(db.instance().catalog().replica());
  try {
    db.instance().catalog().CreateSchema("s", false);
    FAIL() << "a replica changed itself";
  } catch (const BasaltError& e) {
    EXPECT_EQ(std::string(e.code()), "25006");
  }
}

}  // namespace
}  // namespace basalt::cluster
