// pgjdbc (the PostgreSQL JDBC driver) against `basalt server`. Run with Java's
// source launcher by tests/server/test_jdbc.py, which starts the server:
//
//   java -cp /usr/share/java/postgresql.jar tests/server/JdbcTest.java PORT
//
// Each section prints "PASS name" or "FAIL name: what went wrong" (with the
// SQLSTATE of an SQLException), so that one failing part does not hide the
// others; the exit status is the number of failed sections (0: all passed).
// pgjdbc uses the extended query protocol for every statement, sends int
// parameters in binary, and switches to named server-side statements after
// five executions of a PreparedStatement (prepareThreshold).

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

public class JdbcTest {
  // A query that runs for about half a minute on two cores unless cancelled.
  static final String LONG_QUERY =
      "SELECT count(*) FROM generate_series(1, 100000) a(i), generate_series(1, 100000) b(i) "
          + "WHERE a.i + b.i = 7";
  static final int CANCEL_WAIT_SECONDS = 15;

  static String url;
  static Connection sectionConnection;
  static int failures = 0;

  interface Body {
    void run() throws Exception;
  }

  // A lineitem row, TPC-H's columns that Q1 reads.
  record Line(int orderkey, int linenumber, BigDecimal quantity, BigDecimal extendedprice,
      BigDecimal discount, BigDecimal tax, String returnflag, String linestatus, Date shipdate,
      String comment) {}

  static final List<Line> lines = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/basalt";
    section("connect", JdbcTest::connect);
    section("create_and_insert", JdbcTest::createAndInsert);
    section("select_types", JdbcTest::selectTypes);
    section("tpch_q1_aggregate", JdbcTest::tpchAggregate);
    section("prepared_statement", JdbcTest::preparedStatement);
    section("prepared_statement_without_date", JdbcTest::preparedStatementNoDate);
    section("prepared_select_list_parameters", JdbcTest::preparedSelectListParameters);
    section("prepared_batch_insert", JdbcTest::preparedBatchInsert);
    section("errors", JdbcTest::errors);
    section("metadata_get_tables", JdbcTest::metadataTables);
    section("metadata_get_columns", JdbcTest::metadataColumns);
    section("cancel", JdbcTest::cancel);
    section("query_timeout", JdbcTest::queryTimeout);
    System.out.println(failures == 0 ? "ALL PASSED" : failures + " SECTIONS FAILED");
    System.exit(failures);
  }

  // Runs one part on a connection of its own (connection()), so that a part
  // that leaves pgjdbc's connection broken does not fail the parts after it.
  static void section(String name, Body body) {
    long start = System.nanoTime();
    try {
      body.run();
      System.out.printf("PASS %s (%d ms)%n", name, (System.nanoTime() - start) / 1_000_000);
    } catch (Throwable t) {
      failures++;
      System.out.printf("FAIL %s: %s%n", name, describe(t));
      System.out.flush();
      t.printStackTrace(System.err);
    } finally {
      if (sectionConnection != null) {
        try {
          sectionConnection.close();
        } catch (SQLException e) {
          // A broken connection; the section has reported why.
        }
        sectionConnection = null;
      }
    }
    System.out.flush();
  }

  static String describe(Throwable t) {
    StringBuilder out = new StringBuilder();
    for (Throwable e = t; e != null; e = e.getCause()) {
      if (out.length() > 0) out.append(" / caused by: ");
      if (e instanceof SQLException sql) {
        out.append("SQLState ").append(sql.getSQLState()).append(": ");
        out.append(String.valueOf(sql.getMessage()).replace('\n', ' '));
      } else {
        out.append(String.valueOf(e).replace('\n', ' '));
      }
      if (e.getCause() == e) break;
    }
    return out.toString();
  }

  static void check(boolean condition, String what) {
    if (!condition) throw new AssertionError(what);
  }

  static void checkEquals(Object expected, Object actual, String what) {
    if (!Objects.equals(expected, actual)) {
      throw new AssertionError(what + ": expected <" + expected + "> but got <" + actual + ">");
    }
  }

  // Exact decimal comparison whatever the scales (12.5 == 12.50).
  static void checkDecimal(BigDecimal expected, BigDecimal actual, String what) {
    if (actual == null || expected.compareTo(actual) != 0) {
      throw new AssertionError(what + ": expected <" + expected + "> but got <" + actual + ">");
    }
  }

  // The current section's connection, opened on first use.
  static Connection connection() throws SQLException {
    if (sectionConnection == null) sectionConnection = open();
    return sectionConnection;
  }

  static Connection open() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "basalt");
    props.setProperty("password", "");
    props.setProperty("connectTimeout", "10");
    // A server that stops answering fails the section instead of hanging the test.
    props.setProperty("socketTimeout", "60");
    return DriverManager.getConnection(url, props);
  }

  static void connect() throws Exception {
    Connection conn = connection();
    check(conn.getAutoCommit(), "autocommit by default");
    DatabaseMetaData meta = conn.getMetaData();
    checkEquals("PostgreSQL", meta.getDatabaseProductName(), "product name");
    System.out.println("  server version " + meta.getDatabaseProductVersion() + ", driver "
        + meta.getDriverVersion());
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
      check(rs.next(), "a row");
      checkEquals(1, rs.getInt(1), "SELECT 1");
    }
  }

  static BigDecimal dec(String text) {
    return new BigDecimal(text);
  }

  static void createAndInsert() throws Exception {
    String[] flags = {"A", "N", "R"};
    String[] statuses = {"F", "O"};
    for (int i = 1; i <= 60; i++) {
      lines.add(new Line(i / 4 + 1, i % 4 + 1, dec(String.valueOf(i % 50 + 1)),
          dec(String.valueOf(1000 + i * 37 % 9000)).add(dec("0.25")),
          dec("0.0" + (i % 10)), dec("0.0" + (i % 8)), flags[i % 3], statuses[i / 2 % 2],
          Date.valueOf(Date.valueOf("1998-08-01").toLocalDate().plusDays(i * 3 % 70)),
          "comment " + i));
    }
    try (Statement st = connection().createStatement()) {
      st.execute("CREATE TABLE lineitem (l_orderkey INTEGER, l_linenumber INTEGER, "
          + "l_quantity DECIMAL(15,2), l_extendedprice DECIMAL(15,2), l_discount DECIMAL(15,2), "
          + "l_tax DECIMAL(15,2), l_returnflag VARCHAR, l_linestatus VARCHAR, l_shipdate DATE, "
          + "l_comment VARCHAR)");
      StringBuilder sql = new StringBuilder("INSERT INTO lineitem VALUES ");
      for (int i = 0; i < lines.size(); i++) {
        Line l = lines.get(i);
        if (i > 0) sql.append(", ");
        sql.append(String.format("(%d, %d, %s, %s, %s, %s, '%s', '%s', DATE '%s', '%s')",
            l.orderkey, l.linenumber, l.quantity, l.extendedprice, l.discount, l.tax,
            l.returnflag, l.linestatus, l.shipdate, l.comment));
      }
      checkEquals(lines.size(), st.executeUpdate(sql.toString()), "INSERT update count");
    }
  }

  static void selectTypes() throws Exception {
    try (Statement st = connection().createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT l_orderkey, l_quantity, l_shipdate, l_returnflag, l_orderkey > 3 AS big, "
                + "CAST(l_orderkey AS BIGINT) * 10000000000 AS huge, CAST(1.5 AS DOUBLE) AS d, "
                + "NULL AS nothing FROM lineitem WHERE l_orderkey = 1 AND l_linenumber = 2")) {
      ResultSetMetaData md = rs.getMetaData();
      checkEquals(8, md.getColumnCount(), "column count");
      checkEquals(Types.INTEGER, md.getColumnType(1), "INTEGER column type");
      checkEquals(Types.NUMERIC, md.getColumnType(2), "DECIMAL column type");
      checkEquals(15, md.getPrecision(2), "DECIMAL precision");
      checkEquals(2, md.getScale(2), "DECIMAL scale");
      checkEquals(Types.DATE, md.getColumnType(3), "DATE column type");
      checkEquals(Types.BIT, md.getColumnType(5), "BOOLEAN column type (pgjdbc says BIT)");
      checkEquals(Types.BIGINT, md.getColumnType(6), "BIGINT column type");
      checkEquals(Types.DOUBLE, md.getColumnType(7), "DOUBLE column type");
      check(rs.next(), "one row");
      Line l = lines.get(0);  // i = 1: orderkey 1, linenumber 2
      checkEquals(1, rs.getObject(1), "getObject INTEGER");
      checkDecimal(l.quantity, rs.getBigDecimal(2), "getBigDecimal");
      checkEquals(l.shipdate, rs.getDate(3), "getDate");
      checkEquals(l.returnflag, rs.getString(4), "getString");
      checkEquals(Boolean.FALSE, rs.getObject(5), "getObject BOOLEAN");
      checkEquals(10000000000L, rs.getObject(6), "getObject BIGINT");
      checkEquals(1.5, rs.getDouble(7), "getDouble");
      checkEquals(null, rs.getObject(8), "NULL");
      check(rs.wasNull(), "wasNull");
      check(!rs.next(), "only one row");
    }
  }

  static final Date Q1_CUTOFF = Date.valueOf("1998-09-02");  // 1998-12-01 - 90 days

  static void tpchAggregate() throws Exception {
    // What TPC-H Q1 returns for the rows inserted, computed here.
    Map<String, BigDecimal[]> expected = new TreeMap<>();
    Map<String, Long> counts = new TreeMap<>();
    for (Line l : lines) {
      if (l.shipdate.after(Q1_CUTOFF)) continue;
      String key = l.returnflag + "|" + l.linestatus;
      BigDecimal[] sums = expected.computeIfAbsent(key, k -> new BigDecimal[] {
          BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
      BigDecimal discPrice = l.extendedprice.multiply(BigDecimal.ONE.subtract(l.discount));
      sums[0] = sums[0].add(l.quantity);
      sums[1] = sums[1].add(l.extendedprice);
      sums[2] = sums[2].add(discPrice);
      sums[3] = sums[3].add(discPrice.multiply(BigDecimal.ONE.add(l.tax)));
      counts.merge(key, 1L, Long::sum);
    }
    check(expected.size() >= 4, "test data covers several groups");
    String q1 = "SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, "
        + "sum(l_extendedprice) AS sum_base_price, "
        + "sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price, "
        + "sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge, "
        + "avg(l_quantity) AS avg_qty, avg(l_extendedprice) AS avg_price, "
        + "avg(l_discount) AS avg_disc, count(*) AS count_order "
        + "FROM lineitem WHERE l_shipdate <= DATE '1998-12-01' - INTERVAL '90' DAY "
        + "GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus";
    try (Statement st = connection().createStatement(); ResultSet rs = st.executeQuery(q1)) {
      checkEquals("count_order", rs.getMetaData().getColumnLabel(10), "column label");
      checkEquals(Types.BIGINT, rs.getMetaData().getColumnType(10), "count(*) type");
      for (Map.Entry<String, BigDecimal[]> e : expected.entrySet()) {
        check(rs.next(), "a row for group " + e.getKey());
        String key = rs.getString("l_returnflag") + "|" + rs.getString("l_linestatus");
        checkEquals(e.getKey(), key, "group order");
        BigDecimal[] sums = e.getValue();
        long count = counts.get(e.getKey());
        checkDecimal(sums[0], rs.getBigDecimal("sum_qty"), key + " sum_qty");
        checkDecimal(sums[1], rs.getBigDecimal("sum_base_price"), key + " sum_base_price");
        checkDecimal(sums[2], rs.getBigDecimal("sum_disc_price"), key + " sum_disc_price");
        checkDecimal(sums[3], rs.getBigDecimal("sum_charge"), key + " sum_charge");
        BigDecimal avgQty = sums[0].divide(BigDecimal.valueOf(count), 6, RoundingMode.HALF_UP);
        BigDecimal gotAvg = rs.getBigDecimal("avg_qty").setScale(6, RoundingMode.HALF_UP);
        checkDecimal(avgQty, gotAvg, key + " avg_qty (6 digits)");
        checkEquals(count, rs.getLong("count_order"), key + " count_order");
      }
      check(!rs.next(), "no more groups");
    }
  }

  static List<Object> expectedFilter(int minOrder, String flag, BigDecimal minPrice, Date before) {
    long count = 0;
    BigDecimal sum = null;
    Date first = null;
    for (Line l : lines) {
      if (l.orderkey >= minOrder && l.returnflag.equals(flag)
          && l.extendedprice.compareTo(minPrice) > 0 && l.shipdate.before(before)) {
        count++;
        sum = sum == null ? l.extendedprice : sum.add(l.extendedprice);
        if (first == null || l.shipdate.before(first)) first = l.shipdate;
      }
    }
    return Arrays.asList(count, sum, first);
  }

  static void preparedStatement() throws Exception {
    String sql = "SELECT count(*), sum(l_extendedprice), min(l_shipdate) FROM lineitem "
        + "WHERE l_orderkey >= ? AND l_returnflag = ? AND l_extendedprice > ? AND l_shipdate < ?";
    try (PreparedStatement ps = connection().prepareStatement(sql)) {
      // Seven runs: pgjdbc moves to a named server-side statement from the fifth.
      Object[][] runs = {
          {1, "A", dec("0"), Date.valueOf("1999-01-01")},
          {3, "N", dec("2000.25"), Date.valueOf("1998-09-15")},
          {5, "R", dec("1500"), Date.valueOf("1998-10-01")},
          {1, "N", dec("99999"), Date.valueOf("1999-01-01")},  // no row: sum is NULL
          {2, "A", dec("3000.5"), Date.valueOf("1998-08-20")},
          {10, "R", dec("1000"), Date.valueOf("1998-12-31")},
          {1, "R", dec("0.01"), Date.valueOf("1998-09-02")},
      };
      for (Object[] run : runs) {
        ps.setInt(1, (Integer) run[0]);
        ps.setString(2, (String) run[1]);
        ps.setBigDecimal(3, (BigDecimal) run[2]);
        ps.setDate(4, (Date) run[3]);
        List<Object> want = expectedFilter((Integer) run[0], (String) run[1],
            (BigDecimal) run[2], (Date) run[3]);
        String what = "parameters " + Arrays.toString(run);
        try (ResultSet rs = ps.executeQuery()) {
          check(rs.next(), what + ": a row");
          checkEquals(want.get(0), rs.getLong(1), what + ": count");
          if (want.get(1) == null) {
            checkEquals(null, rs.getBigDecimal(2), what + ": sum of no rows");
          } else {
            checkDecimal((BigDecimal) want.get(1), rs.getBigDecimal(2), what + ": sum");
          }
          checkEquals(want.get(2), rs.getDate(3), what + ": min date");
          check(!rs.next(), what + ": one row");
        }
      }
    }
  }

  // The same without a date parameter, so that a failure of setDate alone
  // does not hide how the others fare (and seven runs: named statements too).
  static void preparedStatementNoDate() throws Exception {
    String sql = "SELECT count(*), sum(l_extendedprice) FROM lineitem "
        + "WHERE l_orderkey >= ? AND l_returnflag = ? AND l_extendedprice > ?";
    Date always = Date.valueOf("2100-01-01");
    try (PreparedStatement ps = connection().prepareStatement(sql)) {
      for (int run = 0; run < 7; run++) {
        int minOrder = 1 + run * 2;
        String flag = new String[] {"A", "N", "R"}[run % 3];
        BigDecimal minPrice = dec(String.valueOf(1000 * run)).add(dec("0.25"));
        ps.setInt(1, minOrder);
        ps.setString(2, flag);
        ps.setBigDecimal(3, minPrice);
        List<Object> want = expectedFilter(minOrder, flag, minPrice, always);
        String what = "run " + run;
        try (ResultSet rs = ps.executeQuery()) {
          check(rs.next(), what + ": a row");
          checkEquals(want.get(0), rs.getLong(1), what + ": count");
          if (want.get(1) == null) {
            checkEquals(null, rs.getBigDecimal(2), what + ": sum of no rows");
          } else {
            checkDecimal((BigDecimal) want.get(1), rs.getBigDecimal(2), what + ": sum");
          }
        }
      }
    }
  }

  // Parameters in the select list come back with the types they were given.
  static void preparedSelectListParameters() throws Exception {
    try (PreparedStatement ps = connection().prepareStatement(
             "SELECT ? + 1 AS n, ? || '!' AS s, ? * 2 AS d, ? AS day")) {
      ps.setInt(1, 41);
      ps.setString(2, "héllo");
      ps.setBigDecimal(3, dec("1.25"));
      ps.setDate(4, Date.valueOf("2024-02-29"));
      try (ResultSet rs = ps.executeQuery()) {
        check(rs.next(), "a row");
        checkEquals(42, rs.getInt("n"), "int parameter");
        checkEquals("héllo!", rs.getString("s"), "string parameter");
        checkDecimal(dec("2.50"), rs.getBigDecimal("d"), "decimal parameter");
        checkEquals(Date.valueOf("2024-02-29"), rs.getDate("day"), "date parameter");
      }
    }
  }

  static void preparedBatchInsert() throws Exception {
    Connection c = connection();
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (o_orderkey INTEGER, o_status VARCHAR, "
          + "o_total DECIMAL(12,2), o_date DATE)");
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?)")) {
      for (int i = 1; i <= 6; i++) {
        ps.setInt(1, i);
        if (i == 3) {
          ps.setNull(2, Types.VARCHAR);
        } else {
          ps.setString(2, i % 2 == 0 ? "O" : "F");
        }
        ps.setBigDecimal(3, dec(i + "00.5" + i));
        ps.setDate(4, Date.valueOf("1995-03-1" + i));
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      checkEquals("[1, 1, 1, 1, 1, 1]", Arrays.toString(counts), "batch update counts");
    }
    try (PreparedStatement ps = c.prepareStatement(
             "SELECT count(*), sum(o_total), count(o_status), max(o_date) FROM orders "
                 + "WHERE o_orderkey <= ?")) {
      ps.setInt(1, 5);
      try (ResultSet rs = ps.executeQuery()) {
        check(rs.next(), "a row");
        checkEquals(5L, rs.getLong(1), "count");
        checkDecimal(dec("1502.65"), rs.getBigDecimal(2), "sum");
        checkEquals(4L, rs.getLong(3), "count of non-NULL status");
        checkEquals(Date.valueOf("1995-03-15"), rs.getDate(4), "max date");
      }
    }
  }

  static void expectSqlState(String sqlState, Body body, String what) throws Exception {
    try {
      body.run();
    } catch (SQLException e) {
      checkEquals(sqlState, e.getSQLState(), what + " (" + e.getMessage() + ")");
      return;
    }
    throw new AssertionError(what + ": no error");
  }

  static void errors() throws Exception {
    Connection c = connection();
    try (Statement st = c.createStatement()) {
      expectSqlState("42P01", () -> st.executeQuery("SELECT * FROM no_such_table"),
          "unknown table");
      expectSqlState("42601", () -> st.executeQuery("SELEC 1"), "syntax error");
      expectSqlState("42703", () -> st.executeQuery("SELECT no_such_column FROM lineitem"),
          "unknown column");
      expectSqlState("22012",
          () -> st.executeQuery("SELECT l_orderkey / (l_linenumber - l_linenumber) FROM lineitem"),
          "division by zero");
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT 10 / ?")) {
      ps.setInt(1, 0);
      expectSqlState("22012", ps::executeQuery, "division by zero with a parameter");
      ps.setInt(1, 5);
      try (ResultSet rs = ps.executeQuery()) {
        check(rs.next(), "a row after the error");
        checkEquals(2, rs.getInt(1), "10 / 5");
      }
    }
    // The connection is still usable.
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 2")) {
      check(rs.next(), "a row");
      checkEquals(2, rs.getInt(1), "SELECT 2 after errors");
    }
  }

  static void metadataTables() throws Exception {
    DatabaseMetaData meta = connection().getMetaData();
    // Basalt's tables live in schema "main" (docs/system_tables.md), not "public".
    String schema;
    try (Statement st = connection().createStatement();
        ResultSet rs = st.executeQuery("SELECT current_schema()")) {
      check(rs.next(), "current_schema() row");
      schema = rs.getString(1);
    }
    checkEquals("main", schema, "current_schema()");
    List<String> found = new ArrayList<>();
    try (ResultSet rs = meta.getTables(null, null, "lineitem", new String[] {"TABLE"})) {
      while (rs.next()) {
        found.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME") + ":"
            + rs.getString("TABLE_TYPE"));
      }
    }
    checkEquals(List.of(schema + ".lineitem:TABLE"), found, "getTables(lineitem)");
    found.clear();
    try (ResultSet rs = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
      while (rs.next()) found.add(rs.getString("TABLE_NAME"));
    }
    check(found.contains("lineitem") && found.contains("orders"),
        "getTables(" + schema + ", %) lists lineitem and orders: " + found);
    try (ResultSet rs = meta.getTables(null, null, "no_such_table", null)) {
      check(!rs.next(), "getTables(no_such_table) is empty");
    }
  }

  static void metadataColumns() throws Exception {
    DatabaseMetaData meta = connection().getMetaData();
    List<String> names = new ArrayList<>();
    try (ResultSet rs = meta.getColumns(null, null, "lineitem", null)) {
      while (rs.next()) {
        String name = rs.getString("COLUMN_NAME");
        names.add(name);
        checkEquals("lineitem", rs.getString("TABLE_NAME"), name + " TABLE_NAME");
        checkEquals(names.size(), rs.getInt("ORDINAL_POSITION"), name + " ORDINAL_POSITION");
        int type = rs.getInt("DATA_TYPE");
        switch (name) {
          case "l_orderkey" -> {
            checkEquals(Types.INTEGER, type, name + " DATA_TYPE");
            checkEquals("int4", rs.getString("TYPE_NAME"), name + " TYPE_NAME");
          }
          case "l_quantity" -> {
            checkEquals(Types.NUMERIC, type, name + " DATA_TYPE");
            checkEquals("numeric", rs.getString("TYPE_NAME"), name + " TYPE_NAME");
            checkEquals(15, rs.getInt("COLUMN_SIZE"), name + " COLUMN_SIZE");
            checkEquals(2, rs.getInt("DECIMAL_DIGITS"), name + " DECIMAL_DIGITS");
          }
          case "l_shipdate" -> {
            checkEquals(Types.DATE, type, name + " DATA_TYPE");
            checkEquals("date", rs.getString("TYPE_NAME"), name + " TYPE_NAME");
          }
          case "l_returnflag", "l_comment" -> checkEquals(Types.VARCHAR, type,
              name + " DATA_TYPE");
          default -> {}
        }
        checkEquals(DatabaseMetaData.columnNullable, rs.getInt("NULLABLE"), name + " NULLABLE");
      }
    }
    checkEquals(List.of("l_orderkey", "l_linenumber", "l_quantity", "l_extendedprice",
        "l_discount", "l_tax", "l_returnflag", "l_linestatus", "l_shipdate", "l_comment"),
        names, "getColumns(lineitem) in order");
  }

  // Runs LONG_QUERY on its own connection, calling `interrupt` after a second;
  // expects 57014. If the query is still running after CANCEL_WAIT_SECONDS,
  // the connection is aborted so that the test goes on (and fails).
  static void runCancelled(Connection c, Statement st, Runnable interrupt, String what)
      throws Exception {
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    AtomicBoolean aborted = new AtomicBoolean(false);
    try {
      timer.schedule(interrupt, 1, TimeUnit.SECONDS);
      timer.schedule(() -> {
        aborted.set(true);
        try {
          c.abort(Runnable::run);
        } catch (SQLException e) {
          // Reported as the failure below.
        }
      }, CANCEL_WAIT_SECONDS, TimeUnit.SECONDS);
      long start = System.nanoTime();
      try (ResultSet rs = st.executeQuery(LONG_QUERY)) {
        throw new AssertionError(what + ": the query finished instead of being cancelled");
      } catch (SQLException e) {
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (aborted.get()) {
          throw new AssertionError(what + ": not cancelled within " + CANCEL_WAIT_SECONDS
              + " s (" + describe(e) + ")");
        }
        checkEquals("57014", e.getSQLState(), what + " SQLState (" + e.getMessage() + ")");
        System.out.println("  " + what + ": cancelled after " + ms + " ms: " + e.getMessage());
      }
    } finally {
      timer.shutdownNow();
    }
    // The connection survives a cancelled statement.
    try (Statement again = c.createStatement(); ResultSet rs = again.executeQuery("SELECT 3")) {
      check(rs.next(), "a row after the cancel");
      checkEquals(3, rs.getInt(1), what + ": SELECT 3 after the cancel");
    }
  }

  static void cancel() throws Exception {
    Connection c = connection();
    try (Statement st = c.createStatement()) {
      runCancelled(c, st, () -> {
        try {
          st.cancel();
        } catch (SQLException e) {
          System.out.println("  Statement.cancel() threw " + describe(e));
        }
      }, "Statement.cancel()");
    }
  }

  static void queryTimeout() throws Exception {
    Connection c = connection();
    try (Statement st = c.createStatement()) {
      st.setQueryTimeout(1);  // pgjdbc sends a cancel request when it expires
      runCancelled(c, st, () -> {}, "setQueryTimeout(1)");
    }
  }
}
