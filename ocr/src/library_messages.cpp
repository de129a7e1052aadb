#include "library_messages.h"

#include <leptonica/allheaders.h>
#include <poppler/cpp/poppler-global.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace lupa::ocr {
namespace {

thread_local std::shared_ptr<DocumentMessages> current_document;

// A line in one write(2) when the descriptor takes it whole, so that it is not interleaved with
// the lines other threads write to stderr.
void write_line(std::string line) {
  static std::mutex writing;
  line += '\n';
  const std::lock_guard lock(writing);
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    written += static_cast<std::size_t>(n);
  }
}

std::string_view trimmed(std::string_view text) {
  for (;;) {
    if (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
      text.remove_suffix(1);
    } else if (text.ends_with("<0a>")) {  // poppler escapes the newline its messages end with
      text.remove_suffix(4);
    } else {
      break;
    }
  }
  while (!text.empty() && (text.front() == '\n' || text.front() == ' ')) text.remove_prefix(1);
  return text;
}

// Each line of `text` as a message about this thread's document (or about no document).
void report_lines(std::string_view library, std::string_view text) {
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = trimmed(text.substr(0, end));
    if (!line.empty()) {
      if (current_document) {
        current_document->report(library, line);
      } else {
        write_line("warning: " + (library.empty() ? "" : std::string(library) + ": ") +
                   std::string(line));
      }
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

void from_poppler(const std::string& message, void*) {
  report_lines("poppler", message);
}

void from_leptonica(const char* message) {
  if (message) report_lines("leptonica", message);
}

}  // namespace

void route_library_messages() {
  static std::once_flag once;
  std::call_once(once, [] {
    poppler::set_debug_error_function(from_poppler, nullptr);
    leptSetStderrHandler(from_leptonica);
    // Leptonica's warnings are about its own heuristics on a page (a skew search that ended at
    // its edge), not about the file; its errors say what in the file could not be read.
    setMsgSeverity(L_SEVERITY_ERROR);
  });
}

void DocumentMessages::report(std::string_view library, std::string_view message) {
  const std::lock_guard lock(mutex_);
  if (static_cast<int>(kept_.size()) >= kShownPerDocument) {
    ++held_back_;
    return;
  }
  kept_.push_back("warning: " + (name_.empty() ? "" : name_ + ": ") +
                  (library.empty() ? "" : std::string(library) + ": ") + std::string(message));
}

void DocumentMessages::flush() {
  const std::lock_guard lock(mutex_);
  for (std::string& line : kept_) write_line(std::move(line));
  if (held_back_ > 0)
    write_line("warning: " + (name_.empty() ? "" : name_ + ": ") + std::to_string(held_back_) +
               " more library messages not shown");
  kept_.clear();
  held_back_ = 0;
}

MessageScope::MessageScope(std::shared_ptr<DocumentMessages> messages)
    : previous_(std::exchange(current_document, std::move(messages))) {}

MessageScope::~MessageScope() {
  current_document = std::move(previous_);
}

}  // namespace lupa::ocr
