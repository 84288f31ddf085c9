// Racing to create one buffer (catalogue 3.2): every attempt must own the buffer alone or be refused.
#include <unistd.h>

#include <thread>

#include "logging/log_capture.hpp"
#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "steps/step_arguments.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "zerobuffer/inspect.hpp"

namespace zbserve::step_definitions {

using namespace phrases;
using steps::BackgroundWork;

namespace {

constexpr std::chrono::milliseconds START_GRID{100};
constexpr std::chrono::milliseconds START_LEAD{50};
constexpr std::chrono::milliseconds HOLD_WIN{1};
// Attempt i of every racer starts at start + (i - 1) * ROUND (or at once when running late). Unpaced,
// a loser, refused in microseconds, spends all its attempts while one win is held, so neither side
// would both win and lose; rounds on a shared grid make every round a race of its own.
constexpr std::chrono::milliseconds ROUND{5};

// Written by the race's thread; read only after the work has finished.
struct RaceTally {
    std::uint64_t attempts = 0;
    std::uint64_t wins = 0;
    std::uint64_t losses = 0;
    std::vector<std::string> failures;
};

struct Race {
    BackgroundWork* work;
    std::shared_ptr<RaceTally> tally;
};

// The races the scenario started (their threads are owned by the context's background work).
class Races : public steps::ScenarioService {
public:
    explicit Races(steps::ScenarioContext&) {}
    std::vector<Race> started;
    std::vector<std::string> release() override {
        started.clear();
        return {};
    }
};

// The next START_GRID boundary of the wall clock at least START_LEAD ahead: racers in other
// processes started in the same few ms pick the same instant.
std::chrono::system_clock::time_point common_start() {
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
        (std::chrono::system_clock::now() + START_LEAD).time_since_epoch());
    auto grid = (now + START_GRID - std::chrono::milliseconds(1)) / START_GRID * START_GRID;
    return std::chrono::system_clock::time_point(grid);
}

// One attempt: a win must really own the buffer (its pid recorded, its lock file held).
void attempt(const std::string& name, std::uint64_t number, RaceTally& tally) {
    ++tally.attempts;
    try {
        zerobuffer::Reader reader(name, zerobuffer::BufferConfig(1024, 10240));
        const std::uint64_t recorded = zerobuffer::inspect_buffer(name).oieb.reader_pid;
        const bool held = zerobuffer::buffer_objects(name).lock_file == zerobuffer::LockFileState::Held;
        if (recorded != static_cast<std::uint64_t>(::getpid()) || !held) {
            tally.failures.push_back("attempt " + std::to_string(number) + " created the buffer but reader_pid is " +
                                     std::to_string(recorded) + (held ? "" : " and its lock file is not held"));
            return;
        }
        std::this_thread::sleep_for(HOLD_WIN);
        ++tally.wins;
    } catch (const zerobuffer::ReaderAlreadyConnectedException&) {
        ++tally.losses;
    } catch (const zerobuffer::ZeroBufferException& e) {
        tally.failures.push_back("attempt " + std::to_string(number) + " failed with " + e.kind() + ": " + e.what());
    }
}

}  // namespace

void register_race_steps(steps::StepRegistry& registry) {
    registry.when(ROLE + "starts racing to create buffer " + NAME + " " + COUNT + " times",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::string name = zb(ctx).buffer_name(a[1]);
                      std::uint64_t count = steps::to_uint(a[2]);
                      auto tally = std::make_shared<RaceTally>();
                      auto start = common_start();
                      auto work = std::make_unique<BackgroundWork>(
                          "racing " + a[2] + " times to create '" + name + "'",
                          [name, count, tally, start](BackgroundWork& self) {
                              std::this_thread::sleep_until(start);
                              log_info("racing from " + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                                          start.time_since_epoch()).count()) +
                                       " ms since the epoch");
                              for (std::uint64_t i = 1; i <= count && !self.cancel_requested(); ++i) {
                                  std::this_thread::sleep_until(start + ROUND * static_cast<std::int64_t>(i - 1));
                                  attempt(name, i, *tally);
                                  self.progress = i;
                              }
                              log_info("race over: " + std::to_string(tally->wins) + " wins, " +
                                       std::to_string(tally->losses) + " losses");
                          });
                      work->goal = count;
                      work->role = a[0];
                      ctx.service<Races>().started.push_back({work.get(), tally});
                      ctx.background.push_back(std::move(work));
                      r.data["buffer"] = name;
                      r.data["attempts"] = count;
                  });

    registry.then(ROLE + "should finish racing within " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      auto& races = ctx.service<Races>().started;
                      if (races.empty()) throw AssertionFailed("this worker started no race in this scenario");
                      const auto deadline = std::chrono::steady_clock::now() + steps::to_ms(a[1]);
                      RaceTally total;
                      for (const Race& race : races) {
                          auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now());
                          if (!race.work->wait_for(std::max(left, std::chrono::milliseconds(0)))) {
                              throw AssertionFailed("race " + race.work->description() + " is still running after " +
                                                    a[1] + " ms (" + std::to_string(race.work->progress.load()) +
                                                    " attempts made)");
                          }
                          race.work->join();
                          if (auto error = race.work->error()) {
                              throw AssertionFailed("race " + race.work->description() + " failed: " + steps::describe(error));
                          }
                          total.attempts += race.tally->attempts;
                          total.wins += race.tally->wins;
                          total.losses += race.tally->losses;
                          total.failures.insert(total.failures.end(), race.tally->failures.begin(), race.tally->failures.end());
                          if (race.tally->attempts != race.work->goal) {
                              total.failures.push_back(race.work->description() + " made only " +
                                                       std::to_string(race.tally->attempts) + " attempts");
                          }
                      }
                      r.data["wins"] = total.wins;
                      r.data["losses"] = total.losses;
                      if (!total.failures.empty()) {
                          std::string list;
                          for (const auto& f : total.failures) list += (list.empty() ? "" : "; ") + f;
                          throw AssertionFailed(std::to_string(total.failures.size()) + " race attempt(s) went wrong: " + list);
                      }
                      if (total.wins + total.losses != total.attempts || total.wins == 0 || total.losses == 0) {
                          throw AssertionFailed("the race did not really happen: " + std::to_string(total.wins) + " wins and " +
                                                std::to_string(total.losses) + " losses in " +
                                                std::to_string(total.attempts) + " attempts (at least one of each expected)");
                      }
                      log_info("race finished: " + std::to_string(total.wins) + " wins, " + std::to_string(total.losses) +
                               " losses");
                  });
}

}  // namespace zbserve::step_definitions
