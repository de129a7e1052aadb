// Where poppler's and Leptonica's own messages go: to stderr, one line each, naming the
// document being read ("warning: FILE: poppler: ..."), at most a few per document so that a
// damaged file cannot flood the terminal or the indexer's log. Both libraries hand their
// messages to a function we install, and the function runs on the thread that is reading the
// document, which is how it knows the name. The image decoders under Leptonica have no such
// hook: libpng and libjpeg print their warnings to stderr themselves, unnamed, and Leptonica
// turns libtiff's off. Those are not captured by redirecting descriptor 2: that is the whole
// process's stderr, and it would catch (and mislabel) every other thread's lines too.
#pragma once

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

}  // namespace lupa::ocr
