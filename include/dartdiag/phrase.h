// Phrase: a sentence of the human reports built during analysis (a capture finding, a diagnostic),
// kept as a message of the catalogue (src/messages.inc) and its named arguments, so that the text
// and HTML writers say it in the reader's language. The model keeps its English text beside it,
// which is what JSON shows. Rendered by RenderPhrase (src/messages.h); tested by messages_test.cc.
#pragma once

#include <string>
#include <vector>

namespace dartdiag {

struct Phrase;

struct PhraseArg {
  std::string name;
  // A value said the same in every language: a number, an address, a name or a text from the
  // input (which the writers escape with the rest of the sentence).
  std::string text;
  // Or sentences of their own, joined by the catalogue's message named `join`.
  std::vector<Phrase> phrases;
  std::string join;
};

struct Phrase {
  std::string msg;  // the catalogue's message id ("kCaptureDnsBlocked"); "" when there is none
  std::vector<PhraseArg> args;
  bool empty() const { return msg.empty(); }
};

}  // namespace dartdiag
