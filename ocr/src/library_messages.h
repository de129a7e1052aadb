// Where poppler's, Leptonica's and the image decoders' own messages go: to stderr, one line
// each, naming the document being read ("warning: FILE: poppler: ..."), at most a few per
// document so that a damaged file cannot flood the terminal or the indexer's log.
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace lupa::ocr {

/// Installs the handlers (poppler's debug function, Leptonica's stderr handler, for its errors)
/// once; cheap afterwards.
void route_library_messages();

/// The messages about one document, kept until it has been read: a file that fails gets one
/// line, its error, which the libraries' complaints would only repeat; a file read despite them
/// gets them, at most kShownPerDocument, when flush() is called.
class DocumentMessages {
 public:
  static constexpr int kShownPerDocument = 10;

  explicit DocumentMessages(std::string name) : name_(std::move(name)) {}
  DocumentMessages(const DocumentMessages&) = delete;
  DocumentMessages& operator=(const DocumentMessages&) = delete;

  /// Keeps "warning: NAME: LIBRARY: MESSAGE" (no name part for an empty name).
  void report(std::string_view library, std::string_view message);
  /// Writes what was kept to stderr, and how many more there were.
  void flush();

 private:
  std::string name_;
  std::mutex mutex_;
  std::vector<std::string> kept_;
  int held_back_ = 0;
};

/// While alive, library messages raised on this thread are about `messages`'s document.
class MessageScope {
 public:
  explicit MessageScope(std::shared_ptr<DocumentMessages> messages);
  ~MessageScope();
  MessageScope(const MessageScope&) = delete;
  MessageScope& operator=(const MessageScope&) = delete;

 private:
  std::shared_ptr<DocumentMessages> previous_;
};

/// libpng, libjpeg and libtiff print their warnings straight to file descriptor 2, and
/// Leptonica, which creates their decoders, gives no hook for them. While alive, what is written
/// there is collected in a temporary file; on destruction it is reported as messages about this
/// thread's document. One capture at a time in the process (a decode is short); a thread that
/// writes to stderr meanwhile has its line reported too, rather than lost.
class StderrCapture {
 public:
  StderrCapture();
  ~StderrCapture();
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

 private:
  std::unique_lock<std::mutex> lock_;
  std::FILE* file_ = nullptr;
  int saved_stderr_ = -1;
};

}  // namespace lupa::ocr
