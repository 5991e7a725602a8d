#include "shell/progress_bar.h"

#include <gtest/gtest.h>

namespace basalt {
namespace {

TEST(ProgressBarTest, RendersTheShareRowsAndInstances) {
  ProgressFigures figures;
  figures.instances_total = 8;
  figures.instances_done = 3;
  figures.rows_scanned = 1200000;
  figures.rows_estimated = 2400000;
  EXPECT_EQ(ProgressBar::Render(figures, 1.5, 10),
            "[=====>    ]  50%  1.2M of 2.4M rows  3/8 instances  1.5 s");
}

TEST(ProgressBarTest, AnEstimateTooLowStaysBelowDoneUntilTheEnd) {
  ProgressFigures figures;
  figures.instances_total = 4;
  figures.instances_done = 1;
  figures.rows_scanned = 5000;
  figures.rows_estimated = 100;
  EXPECT_EQ(ProgressBar::Render(figures, 0.5, 10),
            "[=========>]  99%  5.0K of 100 rows  1/4 instances  0.5 s");
  figures.instances_done = 4;
  EXPECT_EQ(ProgressBar::Render(figures, 0.6, 10),
            "[==========] 100%  5.0K of 100 rows  4/4 instances  0.6 s");
}

TEST(ProgressBarTest, WithoutEstimatesCountsInstances) {
  ProgressFigures figures;
  figures.instances_total = 4;
  figures.instances_done = 2;
  figures.rows_scanned = 42;
  EXPECT_EQ(ProgressBar::Render(figures, 2.0, 4), "[==> ]  50%  42 rows  2/4 instances  2.0 s");
}

}  // namespace
}  // namespace basalt
