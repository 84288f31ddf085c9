// The duplex channel (feature 14, STEPS.md "Duplex channel"): servers, clients and their checks.
#include <algorithm>
#include <dirent.h>
#include <exception>
#include <functional>
#include <thread>

#include "logging/log_capture.hpp"
#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/duplex_context.hpp"
#include "step_definitions/support/error_kinds.hpp"
#include "steps/step_arguments.hpp"

namespace zbserve::step_definitions {

using namespace phrases;
namespace duplex_api = zerobuffer::duplex;
using Clock = std::chrono::steady_clock;

namespace {

const std::string HANDLER = "'([a-z]+)'";
const std::string MODE = "'([A-Za-z]+)'";
const std::string IMMUTABLE_SERVER = "starts an immutable " + HANDLER + " server on channel " + NAME + " with payload size " + COUNT;
constexpr std::chrono::milliseconds SETTLE{2000};
constexpr std::chrono::milliseconds POLL{10};
constexpr std::chrono::milliseconds RECEIVE_SLICE{100};

duplex_api::ServerOptions options_for(const std::string& mode) {
    duplex_api::ServerOptions options;
    if (mode == "SingleThread") {
        options.mode = duplex_api::ProcessingMode::SingleThread;
    } else if (mode == "ThreadPool") {
        options.mode = duplex_api::ProcessingMode::ThreadPool;
    } else {
        throw steps::StepArgumentError("unknown processing mode '" + mode + "' (SingleThread or ThreadPool)");
    }
    return options;
}

// a[1] handler, a[2] channel, a[3] payload size (the IMMUTABLE_SERVER captures).
void start(ScenarioContext& ctx, const StepArgs& a, StepResult& r, bool mutable_server,
           const duplex_api::ServerOptions& options, AnswerPlan plan) {
    DuplexContext& state = duplex(ctx);
    std::string channel = state.channel_name(a[2]);
    state.add_server(std::make_unique<StepServer>(a[2], channel, steps::to_uint(a[3]), parse_handler(a[1]),
                                                  mutable_server, options, plan));
    r.data["channel"] = channel;
    r.data["correlated"] = options.is_correlated();
}

bool poll(ScenarioContext& ctx, const std::function<bool()>& condition, std::chrono::milliseconds limit) {
    auto deadline = Clock::now() + limit;
    while (!condition()) {
        if (Clock::now() >= deadline) return false;
        ctx.sleep_for(POLL);
    }
    return true;
}

std::vector<std::uint64_t> receive(ScenarioContext& ctx, StepClient& client, DuplexHandler handler, std::size_t count,
                                   std::chrono::milliseconds limit) {
    std::vector<std::uint64_t> received;
    auto deadline = Clock::now() + limit;
    while (received.size() < count) {
        ctx.check_cancelled();
        auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (remaining.count() <= 0) {
            throw AssertionFailed("channel '" + client.channel_name() + "': received " + std::to_string(received.size()) +
                                  " of " + std::to_string(count) + " responses within " + std::to_string(limit.count()) +
                                  " ms (still pending: " + describe_sequences(client.pending) + ")");
        }
        client.receive_one(handler, std::min(remaining, RECEIVE_SLICE), received);
    }
    return received;
}

std::string join(const std::vector<std::uint64_t>& values) {
    std::string text;
    for (auto v : values) text += (text.empty() ? "" : ", ") + std::to_string(v);
    return text;
}

void at_least(StepResult& r, StepClient& client, const std::optional<Clock::time_point>& from,
              const std::optional<Clock::time_point>& to, const std::string& ms, const std::string& what) {
    if (!from || !to) throw AssertionFailed("channel '" + client.channel_name() + "': no time was recorded " + what);
    double elapsed = std::chrono::duration<double, std::milli>(*to - *from).count();
    if (elapsed < static_cast<double>(steps::to_uint(ms))) {
        throw AssertionFailed("channel '" + client.channel_name() + "': " + std::to_string(elapsed) + " ms passed " +
                              what + "; expected at least " + ms + " ms");
    }
    r.data["channel"] = client.channel_name();
    r.data["elapsedMs"] = elapsed;
}

std::pair<StepServer*, std::vector<std::uint64_t>> measured(ScenarioContext& ctx, const std::string& channel) {
    StepServer& server = duplex(ctx).server(channel);
    std::vector<std::uint64_t> per_request = server.meter() ? server.meter()->measured() : std::vector<std::uint64_t>{};
    if (per_request.empty()) {
        throw AssertionFailed("channel '" + server.channel_name() +
                              "': no per-request allocation was measured (an 'xor' server measures from its third request on)");
    }
    return {&server, per_request};
}

void allocation_data(StepResult& r, const StepServer& server, const std::vector<std::uint64_t>& per_request) {
    r.data["channel"] = server.channel_name();
    r.data["metrics"] = {{"max_alloc_bytes_per_request", *std::max_element(per_request.begin(), per_request.end())},
                         {"min_alloc_bytes_per_request", *std::min_element(per_request.begin(), per_request.end())}};
}

// One thread of the concurrent step: send its requests through the shared client, then receive until
// each has its response; a response to another thread's request is a failure.
void client_thread(StepClient& client, std::uint64_t thread, std::uint64_t count, std::size_t size,
                   DuplexHandler handler, Clock::time_point deadline, ScenarioContext& ctx) {
    std::map<std::uint64_t, std::vector<std::uint8_t>> mine;
    for (std::uint64_t k = 0; k < count; ++k) {
        std::vector<std::uint8_t> request = pattern_bytes(thread * count + k + 1, size);  // per-thread seed
        mine[client.client().send_request(request)] = std::move(request);
    }
    while (!mine.empty()) {
        ctx.check_cancelled();
        auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (remaining.count() <= 0) {
            throw AssertionFailed("channel '" + client.channel_name() + "': thread " + std::to_string(thread) +
                                  " received " + std::to_string(count - mine.size()) + " of its " + std::to_string(count) +
                                  " responses in time (waiting for " + describe_sequences(mine) + ")");
        }
        duplex_api::DuplexResponse response = client.client().receive_response(std::min(remaining, RECEIVE_SLICE));
        if (!response.valid()) continue;
        auto it = mine.find(response.sequence());
        if (it == mine.end()) {
            throw AssertionFailed("channel '" + client.channel_name() + "': thread " + std::to_string(thread) +
                                  " was handed response " + std::to_string(response.sequence()) +
                                  ", which answers none of its requests (its pending: " + describe_sequences(mine) + ")");
        }
        check_response(client.channel_name(), handler, response.sequence(), it->second, response.data(), response.size());
        mine.erase(it);
    }
}

}  // namespace

void register_duplex_steps(steps::StepRegistry& registry) {
    registry.given(ROLE + IMMUTABLE_SERVER + " in " + MODE + " mode",
                   [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                       start(ctx, a, r, false, options_for(a[4]), {});
                   });
    registry.given(ROLE + IMMUTABLE_SERVER + " in " + MODE + " mode with " + COUNT + " ms delay",
                   [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                       start(ctx, a, r, false, options_for(a[4]), {AnswerPlan::Kind::Fixed, steps::to_uint(a[5]), 0});
                   });
    registry.given(ROLE + IMMUTABLE_SERVER + " in " + MODE + " mode with a delay of up to " + COUNT + " ms",
                   [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                       start(ctx, a, r, false, options_for(a[4]), {AnswerPlan::Kind::UpTo, steps::to_uint(a[5]), 0});
                   });
    registry.given(ROLE + IMMUTABLE_SERVER + " answering every " + COUNT + " requests in reverse order after " + COUNT + " ms",
                   [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                       duplex_api::ServerOptions options;
                       options.mode = duplex_api::ProcessingMode::ThreadPool;
                       options.handlers = steps::to_uint(a[4]);
                       start(ctx, a, r, false, options,
                             {AnswerPlan::Kind::ReverseBatch, steps::to_uint(a[5]), steps::to_uint(a[4])});
                   });
    registry.given(ROLE + IMMUTABLE_SERVER + " answering only the first " + COUNT + " requests",
                   [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                       start(ctx, a, r, false, {}, {AnswerPlan::Kind::FirstOnly, 0, steps::to_uint(a[4])});
                   });
    registry.given(ROLE + "starts a mutable " + HANDLER + " server on channel " + NAME + " with payload size " + COUNT +
                       " in " + MODE + " mode",
                   [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                       start(ctx, a, r, true, options_for(a[4]), {});
                   });

    registry.when(ROLE + "stops the server on channel " + NAME, [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
        r.data["answered"] = duplex(ctx).stop_server(a[1]);
        r.data["channel"] = duplex(ctx).channel_name(a[1]);
    });

    registry.then(ROLE + "should be handling a request within " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      StepServer& server = duplex(ctx).current_server();
                      if (!poll(ctx, [&] { return server.handling.load() > 0; }, steps::to_ms(a[1]))) {
                          throw AssertionFailed("channel '" + server.channel_name() + "': no handler was running within " +
                                                a[1] + " ms (" + std::to_string(server.answered.load()) + " answered)");
                      }
                      r.data["channel"] = server.channel_name();
                  });

    registry.then(ROLE + "should still be writing a response after " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      StepServer& server = duplex(ctx).current_server();
                      auto ms = steps::to_ms(a[1]);
                      ctx.sleep_for(ms / 2);
                      int half_writing = server.writing.load();
                      int half_answered = server.answered.load();
                      ctx.sleep_for(ms - ms / 2);
                      if (half_writing == 0 || server.writing.load() == 0 || server.answered.load() != half_answered) {
                          throw AssertionFailed("channel '" + server.channel_name() +
                                                "': expected a response blocked in its write through the second half of " +
                                                a[1] + " ms, but " + std::to_string(half_writing) + " then " +
                                                std::to_string(server.writing.load()) +
                                                " were being written and the answered count went from " +
                                                std::to_string(half_answered) + " to " + std::to_string(server.answered.load()));
                      }
                      r.data["channel"] = server.channel_name();
                      r.data["answered"] = server.answered.load();
                  });

    registry.then(ROLE + "should have answered " + COUNT + " requests within " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      StepServer& server = duplex(ctx).current_server();
                      int count = static_cast<int>(steps::to_uint(a[1]));
                      poll(ctx, [&] { return server.answered.load() >= count; }, steps::to_ms(a[2]));
                      if (server.answered.load() != count) {
                          throw AssertionFailed("channel '" + server.channel_name() + "': expected " + a[1] +
                                                " requests answered within " + a[2] + " ms, found " +
                                                std::to_string(server.answered.load()));
                      }
                      r.data["answered"] = count;
                  });

    registry.then(ROLE + "should see a response fail with " + KIND + " within " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      StepServer& server = duplex(ctx).current_server();
                      poll(ctx, [&] { return !server.failure_kind().empty(); }, steps::to_ms(a[2]));
                      std::string kind = server.failure_kind();
                      if (kind != a[1]) {
                          throw AssertionFailed("channel '" + server.channel_name() + "': expected a response to fail with '" +
                                                a[1] + "' within " + a[2] + " ms, but " +
                                                (kind.empty() ? std::string("none failed") : "it failed with '" + kind + "'"));
                      }
                      r.data["errorType"] = kind;
                  });

    registry.then(ROLE + "should have allocated nothing per request on channel " + NAME,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      auto [server, per_request] = measured(ctx, a[1]);
                      std::uint64_t worst = *std::max_element(per_request.begin(), per_request.end());
                      if (worst != 0) {
                          throw AssertionFailed("channel '" + server->channel_name() + "': the server thread allocated up to " +
                                                std::to_string(worst) + " B per request (" + join(per_request) +
                                                "); expected none");
                      }
                      allocation_data(r, *server, per_request);
                  });

    registry.then(ROLE + "should have allocated at least the request size per request on channel " + NAME,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      auto [server, per_request] = measured(ctx, a[1]);
                      std::uint64_t least = *std::min_element(per_request.begin(), per_request.end());
                      if (least < server->last_request_size.load()) {
                          throw AssertionFailed("channel '" + server->channel_name() +
                                                "': expected every request to allocate at least " +
                                                std::to_string(server->last_request_size.load()) + " B, the least was " +
                                                std::to_string(least) + " B");
                      }
                      allocation_data(r, *server, per_request);
                  });

    registry.then(ROLE + "should see no shared memory left for channel " + NAME,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::string channel = duplex(ctx).channel_name(a[1]);
                      std::string request = duplex_api::request_name(channel);
                      std::string response = duplex_api::response_name(channel);
                      std::string left;
                      if (DIR* dir = opendir("/dev/shm")) {
                          while (dirent* entry = readdir(dir)) {
                              std::string name = entry->d_name;
                              if (name.find(request) != std::string::npos || name.find(response) != std::string::npos) {
                                  left += (left.empty() ? "" : ", ") + name;
                              }
                          }
                          closedir(dir);
                      }
                      if (!left.empty()) throw AssertionFailed("channel '" + channel + "' left shared memory behind: " + left);
                      r.data["channel"] = channel;
                  });

    registry.given(ROLE + "connects to channel " + NAME + " with response payload size " + COUNT,
                   [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                       r.data["channel"] = duplex(ctx).connect(a[1], steps::to_uint(a[2])).channel_name();
                   });

    registry.when(ROLE + "disconnects from channel " + NAME, [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
        duplex(ctx).disconnect(a[1]);
        r.data["channel"] = duplex(ctx).channel_name(a[1]);
    });

    registry.when(ROLE + "sends a request with size " + COUNT, [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
        StepClient& client = duplex(ctx).current_client();
        r.data["sequence"] = client.send(steps::to_uint(a[1]));
        r.data["size"] = steps::to_uint(a[1]);
    });

    registry.when(ROLE + "sends " + COUNT + " requests with size " + COUNT,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      StepClient& client = duplex(ctx).current_client();
                      std::uint64_t count = steps::to_uint(a[1]);
                      for (std::uint64_t i = 0; i < count; ++i) r.data["lastSequence"] = client.send(steps::to_uint(a[2]));
                      r.data["count"] = count;
                  });

    registry.when(ROLE + "sends " + COUNT + " requests with size " + COUNT + " through the zero-copy path",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      StepClient& client = duplex(ctx).current_client();
                      std::uint64_t count = steps::to_uint(a[1]);
                      for (std::uint64_t i = 0; i < count; ++i) {
                          r.data["lastSequence"] = client.send_zero_copy(steps::to_uint(a[2]));
                      }
                      r.data["count"] = count;
                  });

    registry.then(ROLE + "should receive the " + HANDLER + " response to every request in '([a-z]+)' order within " +
                      COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      StepClient& client = duplex(ctx).current_client();
                      const std::string& order = a[2];
                      if (order != "request" && order != "reverse" && order != "any") {
                          throw steps::StepArgumentError("unknown order '" + order + "' (request, reverse or any)");
                      }
                      auto received = receive(ctx, client, parse_handler(a[1]), client.pending.size(), steps::to_ms(a[3]));
                      auto wanted = received;
                      if (order == "request") std::sort(wanted.begin(), wanted.end());
                      if (order == "reverse") std::sort(wanted.begin(), wanted.end(), std::greater<>());
                      if (received != wanted) {
                          throw AssertionFailed("channel '" + client.channel_name() + "': responses came as " +
                                                join(received) + ", not in " + order + " order");
                      }
                      r.data["count"] = received.size();
                      r.data["sequences"] = received;
                  });

    registry.then(ROLE + "should receive " + COUNT + " " + HANDLER + " responses within " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      StepClient& client = duplex(ctx).current_client();
                      auto received = receive(ctx, client, parse_handler(a[2]), steps::to_uint(a[1]), steps::to_ms(a[3]));
                      r.data["count"] = received.size();
                      r.data["sequences"] = received;
                  });

    registry.then(ROLE + "should fail to receive the " + COUNT + " pending responses with " + KIND + " within " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      StepClient& client = duplex(ctx).current_client();
                      std::uint64_t count = steps::to_uint(a[1]);
                      if (client.pending.size() != count) {
                          throw AssertionFailed("channel '" + client.channel_name() + "': expected " + a[1] +
                                                " unanswered requests, found " + std::to_string(client.pending.size()) + " " +
                                                describe_sequences(client.pending));
                      }
                      auto limit = steps::to_ms(a[3]);
                      auto deadline = Clock::now() + limit;
                      for (std::uint64_t i = 0; i < count; ++i) {
                          auto remaining = std::max(std::chrono::milliseconds(0),
                                                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
                          client.on_client_thread([&] {
                              expect_error(a[2], "receiving pending response " + std::to_string(i + 1) + " of " + a[1] +
                                                     " on '" + client.channel_name() + "'",
                                           r, [&] {
                                               auto response = client.client().receive_response(remaining);
                                               throw AssertionFailed(
                                                   response.valid()
                                                       ? "channel '" + client.channel_name() + "': expected receiving to fail with '" +
                                                             a[2] + "', but response " + std::to_string(response.sequence()) + " arrived"
                                                       : "channel '" + client.channel_name() + "': expected receiving to fail with '" +
                                                             a[2] + "' within " + a[3] + " ms, but it timed out without an error");
                                           });
                          });
                      }
                      r.data["count"] = count;
                  });

    registry.then(ROLE + "should see the server (connected|disconnected)",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      StepClient& client = duplex(ctx).current_client();
                      bool want = a[1] == "connected";
                      if (!poll(ctx, [&] { return client.client().is_server_connected() == want; }, SETTLE)) {
                          throw AssertionFailed("channel '" + client.channel_name() + "': expected the server " + a[1] +
                                                " within " + std::to_string(SETTLE.count()) + " ms");
                      }
                      r.data["serverConnected"] = want;
                  });

    registry.then(ROLE + "should have waited at least " + COUNT + " ms for the first response",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      StepClient& client = duplex(ctx).current_client();
                      at_least(r, client, client.last_sent, client.first_received, a[1],
                               "from the last request to the first response");
                  });

    registry.then(ROLE + "should have taken at least " + COUNT + " ms from the first request to the last response",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      StepClient& client = duplex(ctx).current_client();
                      at_least(r, client, client.first_sent, client.last_received, a[1],
                               "from the first request to the last response");
                  });

    registry.then(ROLE + "should have received identical responses on channels " + NAME + " and " + NAME,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const auto& left = duplex(ctx).client(a[1]).responses;
                      const auto& right = duplex(ctx).client(a[2]).responses;
                      if (left.empty() || left.size() != right.size()) {
                          throw AssertionFailed("channels '" + a[1] + "' and '" + a[2] + "' received " +
                                                std::to_string(left.size()) + " and " + std::to_string(right.size()) +
                                                " responses; expected the same number, at least one");
                      }
                      auto l = left.begin();
                      for (auto rr = right.begin(); rr != right.end(); ++rr, ++l) {
                          if (l->second != rr->second) {
                              throw AssertionFailed("channels '" + a[1] + "' and '" + a[2] + "' answered request " +
                                                    std::to_string(l->first) + " differently");
                          }
                      }
                      r.data["count"] = left.size();
                  });

    registry.when(ROLE + "sends " + COUNT + " requests with size " + COUNT + " from each of " + COUNT +
                      " threads and each thread receives its " + HANDLER + " responses within " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      StepClient& client = duplex(ctx).current_client();
                      std::uint64_t count = steps::to_uint(a[1]);
                      std::size_t size = steps::to_uint(a[2]);
                      std::uint64_t threads = steps::to_uint(a[3]);
                      DuplexHandler handler = parse_handler(a[4]);
                      auto started = Clock::now();
                      auto deadline = started + steps::to_ms(a[5]);
                      std::vector<std::exception_ptr> failures(threads);
                      std::vector<std::thread> workers;
                      for (std::uint64_t t = 0; t < threads; ++t) {
                          workers.emplace_back([&, t] {
                              try {
                                  client_thread(client, t, count, size, handler, deadline, ctx);
                              } catch (...) {
                                  failures[t] = std::current_exception();
                              }
                          });
                      }
                      for (auto& worker : workers) worker.join();
                      for (auto& failure : failures) {
                          if (failure) std::rethrow_exception(failure);
                      }
                      r.data["threads"] = threads;
                      r.data["requests"] = threads * count;
                      r.data["elapsedMs"] = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
                  });
}

}  // namespace zbserve::step_definitions
