// The planted corpus: one document per format the extractor reads, each with
// sensitive items placed where that format hides them (split across runs,
// tags, spans, pages, sheets, attachments, archive members) and decoys that
// must not be reported (Luhn-failing cards, script, comments, fallbacks).
#ifndef DLPD_TESTS_FILETYPE_CORPUS_HPP
#define DLPD_TESTS_FILETYPE_CORPUS_HPP

#include <string>
#include <vector>

#include "filetype_support.hpp"

namespace dlpd::test::filetype {

struct CorpusFile {
    std::string name;  // file name (a path relative to the corpus folder)
    std::string bytes;
    std::vector<Hit> expected;  // paths relative to the corpus folder
};

std::vector<CorpusFile> build_corpus(uint32_t seed);

}  // namespace dlpd::test::filetype

#endif
