// The batch collector's single-threaded parts (batch_collect.h): row order and duplicate
// resolution, fed rows by hand in the orders a pool of workers can produce.
#include "batch/batch_collect.h"

#include <gtest/gtest.h>

namespace dartdiag {
namespace {

BatchRow Row(size_t input, size_t part, std::string bundle, std::string sha = "", size_t parts = 1) {
  BatchRow row;
  row.key = {input, part};
  row.parts = parts;
  row.bundle = std::move(bundle);
  row.attachment = row.bundle;
  row.sha256 = std::move(sha);
  row.report = R"({"input": {"path": ")" + row.bundle + R"("}})";
  return row;
}

struct Written {
  std::vector<std::string> bundles;
  RowOrder Order(bool sort) {
    return RowOrder(sort, [this](BatchRow row) { bundles.push_back(row.bundle); });
  }
};

TEST(RowOrder, UnsortedRowsAreWrittenAsTheyCome) {
  Written written;
  RowOrder order = written.Order(false);
  order.Deliver(Row(2, 0, "c"));
  order.Deliver(Row(0, 0, "a"));
  EXPECT_EQ(written.bundles, (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(order.held(), 0U);
}

// Input 1 is an attachment of three bundles; its parts and the inputs around it finish in any order.
TEST(RowOrder, SortedRowsWaitForTheirTurnAttachmentPartsIncluded) {
  Written written;
  RowOrder order = written.Order(true);
  order.Deliver(Row(2, 0, "c"));
  order.Deliver(Row(1, 2, "b!/3"));
  order.Deliver(Row(1, 1, "b!/2"));
  EXPECT_TRUE(written.bundles.empty());
  EXPECT_EQ(order.next_input(), 0U);
  order.Deliver(Row(0, 0, "a"));
  EXPECT_EQ(written.bundles, (std::vector<std::string>{"a"}));
  EXPECT_EQ(order.next_input(), 1U);
  order.Deliver(Row(1, 0, "b!/1", "", 3));  // only the first part knows how many there are
  EXPECT_EQ(written.bundles, (std::vector<std::string>{"a", "b!/1", "b!/2", "b!/3", "c"}));
  EXPECT_EQ(order.next_input(), 3U);
  EXPECT_EQ(order.held(), 0U);
}

TEST(RowOrder, FlushAfterAStopWritesWhatFinishedInOrderGapsAndAll) {
  Written written;
  RowOrder order = written.Order(true);
  order.Deliver(Row(3, 0, "d"));
  order.Deliver(Row(1, 0, "b"));
  EXPECT_EQ(order.held(), 2U);
  order.Flush();
  EXPECT_EQ(written.bundles, (std::vector<std::string>{"b", "d"}));
  EXPECT_EQ(order.held(), 0U);
}

Finished Done(BatchRow row, bool duplicate = false) {
  Finished f;
  f.item.key = row.key;
  f.row = std::move(row);
  f.duplicate = duplicate;
  return f;
}

TEST(DuplicateResolver, ADuplicateAfterItsOriginalGetsItsFindingsUnderItsOwnName) {
  DuplicateResolver resolver(uint64_t{1} << 20, nullptr);
  BatchRow original = Row(0, 0, "a.zip", "sha-1");
  original.verdicts.push_back({"dns-unprotected", "ipv4", Severity::kError, "t0", "t1"});
  auto first = resolver.Resolve(Done(original));
  ASSERT_EQ(first.rows.size(), 1U);
  EXPECT_FALSE(first.reanalyse);
  const auto second = resolver.Resolve(Done(Row(1, 0, "copy.zip", "sha-1"), true));
  ASSERT_EQ(second.rows.size(), 1U);
  EXPECT_EQ(second.rows[0].bundle, "copy.zip");
  EXPECT_EQ(second.rows[0].key.input, 1U);
  ASSERT_EQ(second.rows[0].verdicts.size(), 1U);
  EXPECT_EQ(second.rows[0].verdicts[0].rule, "dns-unprotected");
  EXPECT_NE(second.rows[0].report.find("copy.zip"), std::string::npos);  // the report speaks of the copy
  EXPECT_EQ(second.rows[0].report.find("a.zip"), std::string::npos);
}

// A worker may find a bundle already claimed before the claiming worker's row arrives.
TEST(DuplicateResolver, ADuplicateBeforeItsOriginalIsParkedUntilTheOriginalArrives) {
  DuplicateResolver resolver(uint64_t{1} << 20, nullptr);
  const auto parked = resolver.Resolve(Done(Row(5, 0, "copy.zip", "sha-1"), true));
  EXPECT_TRUE(parked.rows.empty());
  EXPECT_FALSE(parked.reanalyse);
  const auto both = resolver.Resolve(Done(Row(0, 0, "a.zip", "sha-1")));
  ASSERT_EQ(both.rows.size(), 2U);
  EXPECT_EQ(both.rows[0].bundle, "a.zip");
  EXPECT_EQ(both.rows[1].bundle, "copy.zip");
  EXPECT_EQ(both.rows[1].key.input, 5U);
}

TEST(DuplicateResolver, ADuplicateWhoseOriginalLeftTheCacheIsAnalysedAfterAll) {
  DuplicateResolver resolver(0, nullptr);  // nothing is kept
  EXPECT_EQ(resolver.Resolve(Done(Row(0, 0, "a.zip", "sha-1"))).rows.size(), 1U);
  const auto again = resolver.Resolve(Done(Row(1, 0, "copy.zip", "sha-1"), true));
  EXPECT_TRUE(again.rows.empty());
  ASSERT_TRUE(again.reanalyse);
  EXPECT_TRUE(again.reanalyse->analyse_duplicate);
  EXPECT_EQ(again.reanalyse->key.input, 1U);
}

TEST(DuplicateResolver, RowsWithoutADigestAreNeverDuplicates) {
  DuplicateResolver resolver(uint64_t{1} << 20, nullptr);
  EXPECT_EQ(resolver.Resolve(Done(Row(0, 0, "folder"))).rows.size(), 1U);
  EXPECT_EQ(resolver.Resolve(Done(Row(1, 0, "folder2"))).rows.size(), 1U);
  BatchRow a = Row(0, 0, "folder"), b = Row(1, 0, "folder2");
  resolver.Label(a);
  resolver.Label(b);
  EXPECT_TRUE(b.duplicate_of.empty());
}

TEST(DuplicateResolver, TheSecondRowWrittenWithADigestNamesTheFirst) {
  DuplicateResolver resolver(uint64_t{1} << 20, nullptr);
  BatchRow later = Row(3, 0, "later.zip", "sha-1"), earlier = Row(1, 0, "earlier.zip", "sha-1");
  resolver.Label(later);  // written first, so it is the one the other names
  resolver.Label(earlier);
  EXPECT_TRUE(later.duplicate_of.empty());
  EXPECT_EQ(earlier.duplicate_of, "later.zip");
}

}  // namespace
}  // namespace dartdiag
