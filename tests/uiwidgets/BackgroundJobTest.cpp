#include "core/util/Error.h"
#include "ui/widgets/BackgroundJob.h"

#include <QApplication>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

using namespace sonolab;
using namespace sonolab::ui;

namespace {

bool onGuiThread() { return QThread::currentThread() == QApplication::instance()->thread(); }

// Work that runs until it is cancelled (or 60 s pass: a test that forgot to cancel fails instead of hanging),
// reporting each round; `rounds` counts them and `returned` says the worker left the function.
struct Spinner {
    std::shared_ptr<std::atomic<int>> rounds = std::make_shared<std::atomic<int>>(0);
    std::shared_ptr<std::atomic<bool>> returned = std::make_shared<std::atomic<bool>>(false);

    auto work() const {
        return [rounds = rounds, returned = returned](const JobContext& c) {
            struct Flag {
                std::atomic<bool>& flag;
                ~Flag() { flag = true; }
            } flag{*returned};
            const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
            while (std::chrono::steady_clock::now() < end) {
                c.progress.throwIfCancelled();
                c.progress(double(++*rounds), 0, "spinning");
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
            return 0;
        };
    }
};

}  // namespace

TEST(BackgroundJob, WorkRunsOffTheGuiThreadAndEverythingItReportsArrivesOnIt) {
    BackgroundJob job;
    std::vector<std::pair<double, bool>> reports;  // done, on the GUI thread
    QObject::connect(&job, &BackgroundJob::progress, [&](double done, double total, const QString& message) {
        EXPECT_EQ(total, 50.0);
        EXPECT_EQ(message, QStringLiteral("summing"));
        reports.emplace_back(done, onGuiThread());
    });
    std::vector<std::pair<int, bool>> posted;  // touched only on the GUI thread, by the posted functions
    std::atomic<bool> workOnGui{true};
    std::optional<long> result;
    bool resultOnGui = false;
    std::size_t postedBeforeResult = 0;
    job.start(
        [&workOnGui, &posted](const JobContext& c) {
            workOnGui = onGuiThread();
            long sum = 0;
            for (int i = 1; i <= 50; ++i) {
                sum += i;
                c.progress(i, 50, "summing");
                if (i % 10 == 0) c.post([i, &posted] { posted.emplace_back(i, onGuiThread()); });
            }
            return sum;
        },
        [&](long sum) {
            result = sum;
            resultOnGui = onGuiThread();
            postedBeforeResult = posted.size();
        });
    EXPECT_TRUE(job.isRunning());
    QSignalSpy finished(&job, &BackgroundJob::finished);
    ASSERT_TRUE(finished.wait(10000));
    EXPECT_FALSE(workOnGui);
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(*result, 50 * 51 / 2);
    EXPECT_TRUE(resultOnGui);
    EXPECT_EQ(finished.at(0).at(0).value<JobEnd>(), JobEnd::Finished);
    EXPECT_FALSE(job.isRunning());
    // Everything posted arrives, on the GUI thread, in order, before the result.
    ASSERT_EQ(posted.size(), 5u);
    EXPECT_EQ(postedBeforeResult, 5u);
    for (std::size_t i = 0; i < posted.size(); ++i) {
        EXPECT_EQ(posted[i].first, int(10 * (i + 1)));
        EXPECT_TRUE(posted[i].second);
    }
    // Reports may be coalesced, but they arrive on the GUI thread, in order, and the last one is the last sent.
    ASSERT_FALSE(reports.empty());
    for (std::size_t i = 0; i < reports.size(); ++i) {
        EXPECT_TRUE(reports[i].second);
        if (i > 0) {
            EXPECT_GT(reports[i].first, reports[i - 1].first);
        }
    }
    EXPECT_EQ(reports.back().first, 50.0);
}

TEST(BackgroundJob, CancelStopsTheWorkAndReportsCancelled) {
    BackgroundJob job;
    Spinner spin;
    bool resultDelivered = false;
    job.start(spin.work(), [&](int) { resultDelivered = true; });
    QSignalSpy progress(&job, &BackgroundJob::progress);
    ASSERT_TRUE(progress.wait(10000));  // it is running
    QSignalSpy finished(&job, &BackgroundJob::finished);
    job.cancel();
    EXPECT_TRUE(job.isRunning());  // until its end is delivered
    ASSERT_TRUE(finished.wait(10000));
    EXPECT_EQ(finished.at(0).at(0).value<JobEnd>(), JobEnd::Cancelled);
    EXPECT_TRUE(finished.at(0).at(1).toString().isEmpty());
    EXPECT_TRUE(*spin.returned);
    EXPECT_FALSE(resultDelivered);
    EXPECT_FALSE(job.isRunning());
    const int rounds = *spin.rounds;
    QTest::qWait(50);
    EXPECT_EQ(*spin.rounds, rounds);  // the work stopped
}

TEST(BackgroundJob, AnExceptionBecomesAnErrorOnTheGuiThread) {
    BackgroundJob job;
    bool resultDelivered = false;
    bool endOnGui = false;
    QString error;
    JobEnd end = JobEnd::Finished;
    QObject::connect(&job, &BackgroundJob::finished, [&](JobEnd e, const QString& message) {
        end = e;
        error = message;
        endOnGui = onGuiThread();
    });
    job.start([](const JobContext&) -> int { throw Error("song.flac", "is not an audio file"); },
              [&](int) { resultDelivered = true; });
    ASSERT_TRUE(QTest::qWaitFor([&] { return !job.isRunning(); }, 10000));
    EXPECT_EQ(end, JobEnd::Failed);
    EXPECT_TRUE(error.contains("song.flac")) << error.toStdString();
    EXPECT_TRUE(error.contains("is not an audio file")) << error.toStdString();
    EXPECT_TRUE(endOnGui);
    EXPECT_FALSE(resultDelivered);

    // What the GUI-thread callback throws (a database that went away meanwhile) ends the run the same way.
    job.start([](const JobContext&) { return 1; }, [](int) { throw Error("library.sqlite", "is locked"); });
    ASSERT_TRUE(QTest::qWaitFor([&] { return !job.isRunning(); }, 10000));
    EXPECT_EQ(end, JobEnd::Failed);
    EXPECT_TRUE(error.contains("library.sqlite")) << error.toStdString();
}

TEST(BackgroundJob, ANewerStartDiscardsTheOlderRun) {
    BackgroundJob job;
    Spinner first;
    std::vector<int> results;
    QSignalSpy finished(&job, &BackgroundJob::finished);
    job.start(first.work(), [&](int r) { results.push_back(r); });
    ASSERT_TRUE(QTest::qWaitFor([&] { return *first.rounds > 0; }, 10000));
    job.start([](const JobContext&) { return 2; }, [&](int r) { results.push_back(r); });
    ASSERT_TRUE(finished.wait(10000));
    ASSERT_EQ(finished.count(), 1);  // the discarded run says nothing, not even that it was cancelled
    EXPECT_EQ(finished.at(0).at(0).value<JobEnd>(), JobEnd::Finished);
    EXPECT_EQ(results, std::vector<int>{2});
    ASSERT_TRUE(QTest::qWaitFor([&] { return first.returned->load(); }, 10000));  // it was cancelled all the same
    QTest::qWait(50);
    EXPECT_EQ(finished.count(), 1);
}

TEST(BackgroundJob, DestroyingItWhileRunningCancelsAndWaitsForTheWorker) {
    Spinner spin, discarded;
    bool delivered = false;
    {
        BackgroundJob job;
        job.start(discarded.work(), [&](int) { delivered = true; });
        job.start(spin.work(), [&](int) { delivered = true; });
        ASSERT_TRUE(QTest::qWaitFor([&] { return *spin.rounds > 3; }, 10000));
    }
    // Both workers had returned before the destructor did: nothing runs on with a dangling job.
    EXPECT_TRUE(*spin.returned);
    EXPECT_TRUE(*discarded.returned);
    QTest::qWait(50);  // whatever they had posted is dropped with the job
    EXPECT_FALSE(delivered);
}
