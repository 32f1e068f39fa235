// Shared by the fuzz targets: a sink that checks what readers emit (text and
// member names are always valid UTF-8, nothing is emitted past the budget),
// small limits so each input runs fast, and a stored-zip writer to wrap a
// fuzzed XML part into an Office package.
#ifndef DLPD_FILETYPE_FUZZ_SUPPORT_HPP
#define DLPD_FILETYPE_FUZZ_SUPPORT_HPP

#include <dlpd/plugin.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extraction.hpp"
#include "text_decoding.hpp"

namespace dlpd::filetype::fuzz {

// Stops the fuzzer with a crash: a broken invariant is a bug like any other.
inline void check(bool ok) {
    if (!ok) __builtin_trap();
}

class CheckingSink final : public Sink {
public:
    int32_t text(std::string_view text, std::string_view location) override {
        check(is_valid_utf8(text));
        check(is_valid_utf8(location));
        emitted_ += text.size();
        return DLPD_OK;
    }
    int32_t blob(std::string_view data, std::string_view name, std::string_view) override {
        check(is_valid_utf8(name));
        emitted_ += data.size();
        return DLPD_OK;
    }
    void diagnostic(int32_t level, int32_t status, std::string_view subject, std::string_view message) override {
        check(level >= DLPD_LOG_DEBUG && level <= DLPD_LOG_ERROR);
        check(status <= 0);
        check(!message.empty());
        (void)subject;
    }
    uint64_t emitted() const { return emitted_; }

private:
    uint64_t emitted_ = 0;
};

// Limits small enough for thousands of executions a second.
inline Limits fuzz_limits() {
    Limits l;
    l.max_input_bytes = 4 << 20;
    l.max_extracted_bytes = 8 << 20;
    l.max_members = 256;
    l.max_depth = 3;
    l.max_nanoseconds = 0;
    return l;
}

inline uint64_t fixed_clock() {
    return 1;
}

// A zip of stored members (no compression), for wrapping fuzzed parts.
inline std::string stored_zip(const std::vector<std::pair<std::string, std::string>> &files) {
    auto put16 = [](std::string &s, uint32_t v) {
        s.push_back(static_cast<char>(v & 0xFF));
        s.push_back(static_cast<char>((v >> 8) & 0xFF));
    };
    auto put32 = [&](std::string &s, uint32_t v) {
        put16(s, v & 0xFFFF);
        put16(s, v >> 16);
    };
    // The CRC is left 0: the reader reports the mismatch and still reads the part.
    std::string out, cd;
    for (const auto &[name, content] : files) {
        const uint32_t offset = static_cast<uint32_t>(out.size());
        put32(out, 0x04034b50), put16(out, 20), put16(out, 0), put16(out, 0), put16(out, 0), put16(out, 0);
        put32(out, 0), put32(out, static_cast<uint32_t>(content.size())),
            put32(out, static_cast<uint32_t>(content.size()));
        put16(out, static_cast<uint32_t>(name.size())), put16(out, 0);
        out += name + content;
        put32(cd, 0x02014b50), put16(cd, 20), put16(cd, 20), put16(cd, 0), put16(cd, 0), put16(cd, 0), put16(cd, 0);
        put32(cd, 0), put32(cd, static_cast<uint32_t>(content.size())),
            put32(cd, static_cast<uint32_t>(content.size()));
        put16(cd, static_cast<uint32_t>(name.size())), put16(cd, 0), put16(cd, 0), put16(cd, 0), put16(cd, 0);
        put32(cd, 0), put32(cd, offset);
        cd += name;
    }
    const uint32_t cd_offset = static_cast<uint32_t>(out.size());
    out += cd;
    put32(out, 0x06054b50), put16(out, 0), put16(out, 0);
    put16(out, static_cast<uint32_t>(files.size())), put16(out, static_cast<uint32_t>(files.size()));
    put32(out, static_cast<uint32_t>(cd.size())), put32(out, cd_offset), put16(out, 0);
    return out;
}

}  // namespace dlpd::filetype::fuzz

#endif
