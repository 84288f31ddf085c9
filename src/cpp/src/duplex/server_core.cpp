#include "duplex/server_core.hpp"

#include <chrono>
#include <utility>

#include "zerobuffer/errors.hpp"
#include "zerobuffer/logger.hpp"

namespace zerobuffer::duplex::detail {

namespace {
// How long one read waits before the loop looks at stop() and the client's liveness again.
constexpr std::chrono::milliseconds POLL_INTERVAL{100};
// Pause between attempts to open a response buffer that is not there (yet).
constexpr std::chrono::milliseconds CONNECT_RETRY{5};

void log_line(LogLevel level, const std::string& message) noexcept { zerobuffer::detail::log(level, message); }
}  // namespace

ServerCore::ServerCore(const std::string& channel, const BufferConfig& config, RequestHandler handler,
                       InitHandler on_init, const ServerOptions& options)
    : channel_(channel),
      handler_(std::move(handler)),
      on_init_(std::move(on_init)),
      options_(options),
      // The request buffer exists when start() returns, so a client can connect right away.
      requests_(request_name(channel), config) {
    if (options_.mode == ProcessingMode::ThreadPool) {
        for (std::size_t i = 0; i < options_.handlers; ++i) workers_.emplace_back([this] { work(); });
    }
    loop_ = std::thread([this] { run(); });
    log_line(LogLevel::Info, "duplex server '" + channel_ + "' started (" +
                                 (workers_.empty() ? std::string("SingleThread") : "ThreadPool x" + std::to_string(workers_.size())) +
                                 ", correlated " + (options_.is_correlated() ? "yes" : "no") + ")");
}

ServerCore::~ServerCore() {
    stopping_.store(true);
    loop_.join();
    {
        std::lock_guard lock(work_mutex_);
        no_more_work_ = true;
    }
    work_cv_.notify_all();
    for (std::thread& worker : workers_) worker.join();
    for (Work& left : queue_) release_.finish(left.ticket);
    if (session_) session_->close();
    release_.close();  // before requests_ goes away (it is destroyed after this body)
    log_line(LogLevel::Info, "duplex server '" + channel_ + "' stopped");
}

void ServerCore::run() noexcept {
    try {
        while (!stopping_.load()) {
            if (!session_ || session_->ended()) {
                if (session_) close_session(*session_);
                session_ = try_connect();
                if (!session_) std::this_thread::sleep_for(CONNECT_RETRY);
                continue;
            }
            serve_one(session_);
        }
    } catch (const std::exception& e) {
        log_line(LogLevel::Error, "duplex server '" + channel_ + "' loop failed; the server no longer answers: " + e.what());
    }
}

void ServerCore::serve_one(const std::shared_ptr<ResponseSession>& session) {
    std::uint64_t ticket = 0;
    if (carried_) {
        ticket = *carried_;
        carried_.reset();
    } else {
        Frame frame;
        try {
            frame = requests_.read_frame(POLL_INTERVAL);
        } catch (const WriterDeadException& e) {
            session->end(e.what());
            return;
        }
        if (!frame.valid()) {
            session->check_client_alive();
            return;
        }
        // Every client's requests start at 1, possibly from this same process.
        requests_.expect_sequence_restart();
        bool next_client = frame.sequence() == 1 && session->last_request_sequence != 0;
        ticket = release_.hold(std::move(frame));
        if (next_client) {
            // The next client's first request: the previous client is gone and all it left was read.
            carried_ = ticket;
            session->end("a new client connected");
            return;
        }
    }
    Frame& request = release_.frame(ticket);
    session->last_request_sequence = request.sequence();
    if (!session->initialized) {
        session->initialized = true;
        if (on_init_) {
            std::vector<std::uint8_t> metadata = requests_.get_metadata();
            on_init_(metadata.data(), metadata.size());
        }
    }
    if (!workers_.empty()) {
        dispatch(ticket, session);
        return;
    }
    handle(request, *session, loop_responder_);
    release_.finish(ticket);
}

void ServerCore::handle(Frame& frame, ResponseSession& session, ResponseWriter& responder) noexcept {
    responder.begin(&session, frame.sequence());
    try {
        handler_(frame, responder);
        responder.end();
        if (!responder.has_responded() && !session.ended()) {
            log_line(LogLevel::Warning, "duplex server '" + channel_ + "': the handler wrote no response to request " +
                                            std::to_string(frame.sequence()));
        }
    } catch (const ReaderDeadException& e) {
        try {
            responder.end();
            session.end(e.what());
        } catch (...) {
        }
    } catch (const std::exception& e) {
        try {
            responder.end();
        } catch (...) {
        }
        log_line(LogLevel::Error, "duplex server '" + channel_ + "': the handler failed on request " +
                                      std::to_string(frame.sequence()) + "; that request gets no response: " + e.what());
    }
}

void ServerCore::dispatch(std::uint64_t ticket, const std::shared_ptr<ResponseSession>& session) {
    std::unique_lock lock(work_mutex_);
    while (in_hand_ >= workers_.size()) {
        work_cv_.wait_for(lock, POLL_INTERVAL);
        if (stopping_.load()) {
            release_.finish(ticket);
            return;
        }
    }
    ++in_hand_;
    queue_.push_back(Work{ticket, session});
    work_cv_.notify_all();
}

void ServerCore::work() noexcept {
    ResponseWriter responder;
    while (true) {
        Work item;
        {
            std::unique_lock lock(work_mutex_);
            work_cv_.wait(lock, [&] { return no_more_work_ || !queue_.empty(); });
            if (queue_.empty()) return;
            item = std::move(queue_.front());
            queue_.pop_front();
        }
        if (!stopping_.load()) handle(release_.frame(item.ticket), *item.session, responder);
        release_.finish(item.ticket);
        {
            std::lock_guard lock(work_mutex_);
            --in_hand_;
        }
        work_cv_.notify_all();
    }
}

void ServerCore::wait_idle() {
    std::unique_lock lock(work_mutex_);
    work_cv_.wait(lock, [&] { return in_hand_ == 0; });
}

std::shared_ptr<ResponseSession> ServerCore::try_connect() {
    try {
        Writer writer(response_name(channel_));
        writer.set_write_timeout(options_.response_write_timeout);
        if (options_.is_correlated()) {
            auto record = metadata_record::encode(true);
            writer.set_metadata(record.data(), record.size());
        }
        last_connect_error_.clear();
        log_line(LogLevel::Info, "duplex server '" + channel_ + "' connected to a client's response buffer");
        return std::make_shared<ResponseSession>(std::move(writer), options_.is_correlated(),
                                                 [this] { return stopping_.load(); });
    } catch (const BufferNotFoundException&) {
        return nullptr;  // no client yet
    } catch (const ReaderDeadException&) {
        return nullptr;  // a dead client's leftover that the next client's reader replaces
    } catch (const ZeroBufferException& e) {
        if (last_connect_error_ != e.what()) {
            last_connect_error_ = e.what();
            log_line(LogLevel::Warning, "duplex server '" + channel_ + "' cannot use the response buffer yet: " + e.what());
        }
        return nullptr;
    }
}

void ServerCore::close_session(ResponseSession& session) {
    if (!workers_.empty()) wait_idle();
    session.close();
    int dropped = 0;
    requests_.expect_sequence_restart();
    while (!carried_) {  // with the next client's first request in hand, nothing is left to drop
        Frame frame;
        try {
            frame = requests_.read_frame(std::chrono::milliseconds(0));
        } catch (const WriterDeadException&) {
            break;
        }
        if (!frame.valid()) break;
        // Sequence 1 after the gone client's last request is the next client's first: keep it.
        if (frame.sequence() == 1 && session.last_request_sequence != 0) {
            carried_ = release_.hold(std::move(frame));
            break;
        }
        frame.release();
        ++dropped;
    }
    // A client that left with nothing unanswered is the normal end of a session, not a problem.
    log_line(dropped > 0 ? LogLevel::Warning : LogLevel::Info, "duplex server '" + channel_ + "' lost its client (" + session.end_reason() + "); " +
                                    std::to_string(dropped) + " pending request(s) dropped, waiting for the next client");
}

}  // namespace zerobuffer::duplex::detail
